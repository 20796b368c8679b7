"""Jouer les exemples d'une règle : chacun est un petit dossier et le résultat attendu.

Partagé par les tests et par `guichet rules check`, pour qu'un technicien qui modifie une
règle sache tout de suite si ses exemples tiennent encore.
"""
from dataclasses import dataclass
from datetime import date
from typing import Optional, Sequence

from forms.validation import valider_dossier
from instruction.evaluation.faits import champs_du_formulaire, faits_du_dossier
from instruction.evaluation.territoire import Territoire
from rules.conditions import evaluer
from rules.regle import Exemple, Regle

JOUR_PAR_DEFAUT = date(2025, 6, 1)  # inside the Lys Artois contract: most rules are in force
ATTENDU = {"applicable": True, "non_applicable": False, "inconnu": None}
NOM_RESULTAT = {True: "applicable", False: "non_applicable", None: "inconnu"}


@dataclass(frozen=True)
class Verdict:
    resultat: Optional[bool]
    manquants: frozenset[str]
    erreur: Optional[str] = None

    def probleme(self, exemple: Exemple) -> Optional[str]:
        if self.erreur:
            return self.erreur
        if self.resultat is not ATTENDU[exemple.attendu]:
            return f"attendu {exemple.attendu}, obtenu {NOM_RESULTAT[self.resultat]}"
        if exemple.manquants is not None and self.manquants != set(exemple.manquants):
            return f"manquants attendus {sorted(exemple.manquants)}, obtenus {sorted(self.manquants)}"
        return None


def jouer(regle: Regle, exemple: Exemple, territoire: Territoire) -> Verdict:
    dossier, erreurs = valider_dossier({"reference": "EXEMPLE", **exemple.dossier})
    if dossier is None:
        detail = "; ".join(f"{e.champ} : {e.message}" for e in erreurs)
        return Verdict(None, frozenset(), f"l'exemple n'est pas un dossier valide ({detail})")
    insee = dossier.projet.commune_insee
    if insee and territoire.commune(insee) is None:
        return Verdict(None, frozenset(), f"l'exemple cite une commune inconnue ({insee})")
    faits = faits_du_dossier(dossier, territoire, dossier.date_depot or JOUR_PAR_DEFAUT)
    trace = evaluer(regle.condition, faits)
    manquants = frozenset(c for champ in trace.inconnus() for c in champs_du_formulaire(champ, faits))
    return Verdict(trace.resultat, manquants)


def verifier_exemples(regles: Sequence[Regle], territoire: Territoire) -> list[str]:
    problemes = []
    for regle in regles:
        if not regle.exemples:
            problemes.append(f"{regle.fichier}: règle {regle.id} : aucun exemple")
        for exemple in regle.exemples:
            probleme = jouer(regle, exemple, territoire).probleme(exemple)
            if probleme:
                problemes.append(f"{regle.fichier}: règle {regle.id} : exemple « {exemple.nom} » : {probleme}")
    return problemes
