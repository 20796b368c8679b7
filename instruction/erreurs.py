"""Les erreurs de l'instruction : chacune dit ce qui ne va pas, sur quel objet, et ce qui est permis.

Un avis défavorable ou un dossier incomplet sont des valeurs, pas des erreurs : ces exceptions
signalent une demande qu'on ne peut pas exécuter, et l'état reste celui d'avant. Chacune a un
**genre**, que chaque entrée traduit en un seul endroit (la ligne de commande en code de sortie, le
web en statut HTTP) :

| genre          | quand                                          | HTTP | CLI |
|----------------|------------------------------------------------|------|-----|
| `refus`        | la demande contredit l'état (transition…)      | 409  | 2   |
| `saisie`       | une valeur saisie est invalide (nomme le champ) | 422  | 2   |
| `introuvable`  | l'objet n'existe pas, ou vous est invisible    | 404  | 2   |
| `interdit`     | votre rôle ne permet pas cette action          | 403  | 2   |
| `indisponible` | la base ne répond pas ou refuse d'écrire       | 503  | 2   |
"""
from typing import Iterable, Optional

GENRES = ("refus", "saisie", "introuvable", "interdit", "indisponible")


class ErreurInstruction(Exception):
    """Une demande qu'on ne peut pas exécuter ; `message` est la phrase montrée à l'utilisateur."""
    genre = "refus"

    def __init__(self, message: str, reference: Optional[str] = None, champ: Optional[str] = None):
        self.message = message
        self.reference = reference
        self.champ = champ
        super().__init__(f"{reference} : {message}" if reference else message)


class Refus(ErreurInstruction):
    """La demande contredit l'état des choses (une transition interdite, un doublon…)."""


class Introuvable(ErreurInstruction):
    """L'objet n'existe pas, ou l'agent ne peut pas le voir (les deux se disent de la même façon, pour
    qu'on ne puisse pas sonder les références d'autrui)."""
    genre = "introuvable"


class Interdit(ErreurInstruction):
    genre = "interdit"

    def __init__(self, action: str, role: str, reference: Optional[str] = None):
        self.action, self.role = action, role
        super().__init__(f"action « {action} » non permise au rôle « {role} »", reference)


class Indisponible(ErreurInstruction):
    """Le stockage ne répond pas ou refuse d'écrire : ni la demande ni l'objet ne sont en cause."""
    genre = "indisponible"


class SaisieRefusee(ErreurInstruction):
    """Une saisie incomplète ou hors des valeurs permises ; nomme le champ."""
    genre = "saisie"

    def __init__(self, champ: str, message: str, reference: Optional[str] = None):
        super().__init__(f"{champ} : {message}", reference, champ)


class DossierIntrouvable(Introuvable):
    def __init__(self, reference: str):
        super().__init__("dossier introuvable (vérifiez la référence)", reference)


class DossierExistant(Refus):
    def __init__(self, reference: str):
        super().__init__("un dossier porte déjà cette référence", reference, "reference")


class TransitionInterdite(Refus):
    def __init__(self, reference: str, de: str, vers: str, permises: Iterable[str]):
        self.de, self.vers = de, vers
        self.permises = tuple(permises)
        possibles = ", ".join(self.permises) or "aucune (état final)"
        super().__init__(f"passage de « {de} » à « {vers} » interdit ; possibles depuis « {de} » : {possibles}",
                         reference)


class ComiteIntrouvable(Introuvable):
    def __init__(self, code: str):
        super().__init__(f"comité technique « {code} » introuvable")


class ComiteExistant(Refus):
    def __init__(self, code: str):
        super().__init__(f"un comité technique porte déjà le code « {code} »", champ="code")


class VersionReglesInconnue(Introuvable):
    def __init__(self, version: str):
        super().__init__(f"version des règles inconnue « {version} » : aucune évaluation enregistrée ne l'a "
                         "utilisée (donnez un dossier de règles ou une version déjà employée)")


class PasEncoreEvalue(Refus):
    def __init__(self, reference: str):
        super().__init__("pas d'avis technique sans évaluation (évaluez d'abord le dossier)", reference)
