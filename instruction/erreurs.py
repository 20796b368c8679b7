"""Les erreurs de l'instruction : chacune dit ce qui ne va pas, sur quel objet, et ce qui est permis.

Un avis défavorable ou un dossier incomplet sont des valeurs, pas des erreurs : ces exceptions
signalent une demande qu'on ne peut pas exécuter (transition interdite, dossier introuvable…),
et l'état reste celui d'avant.
"""
from typing import Iterable, Optional


class ErreurInstruction(Exception):
    """Une demande refusée ; `message` est la phrase montrée à l'utilisateur."""

    def __init__(self, message: str, reference: Optional[str] = None, champ: Optional[str] = None):
        self.message = message
        self.reference = reference
        self.champ = champ
        super().__init__(f"{reference} : {message}" if reference else message)


class DossierIntrouvable(ErreurInstruction):
    def __init__(self, reference: str):
        super().__init__("dossier introuvable (vérifiez la référence)", reference)


class DossierExistant(ErreurInstruction):
    def __init__(self, reference: str):
        super().__init__("un dossier porte déjà cette référence", reference, "reference")


class TransitionInterdite(ErreurInstruction):
    def __init__(self, reference: str, de: str, vers: str, permises: Iterable[str]):
        self.de, self.vers = de, vers
        possibles = ", ".join(permises) or "aucune (état final)"
        super().__init__(f"passage de « {de} » à « {vers} » interdit ; possibles depuis « {de} » : {possibles}",
                         reference)


class SaisieRefusee(ErreurInstruction):
    """Une saisie de l'instructeur incomplète ou hors des valeurs permises ; nomme le champ."""

    def __init__(self, champ: str, message: str, reference: Optional[str] = None):
        super().__init__(f"{champ} : {message}", reference, champ)


class ComiteIntrouvable(ErreurInstruction):
    def __init__(self, code: str):
        super().__init__(f"comité technique « {code} » introuvable")


class ComiteExistant(ErreurInstruction):
    def __init__(self, code: str):
        super().__init__(f"un comité technique porte déjà le code « {code} »", champ="code")


class VersionReglesInconnue(ErreurInstruction):
    def __init__(self, version: str):
        super().__init__(f"version des règles inconnue « {version} » : aucune évaluation enregistrée ne l'a "
                         "utilisée (donnez un dossier de règles ou une version déjà employée)")
