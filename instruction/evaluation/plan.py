"""Ce que l'assemblage d'une évaluation tire d'un jeu de règles, calculé une fois par jeu.

Regrouper les règles par financeur et par effet, préparer la partie fixe de chaque constat
et la liste des tests à expliquer ne dépend que des règles en vigueur, pas du dossier.
"""
from datetime import date
from typing import Any, Sequence

from forms.valeurs import ACCOMPAGNEMENTS, FINANCEURS
from instruction.evaluation.resultat import Bande
from rules.chargement import DETAIL
from rules.regle import EFFETS_STATUT, Regle

EFFETS_RESERVE = ("avertissement", "piece_requise")


def en_json(valeur: Any) -> Any:
    if isinstance(valeur, (frozenset, set)):
        return sorted(valeur)
    if isinstance(valeur, (tuple, list)):
        return [en_json(v) for v in valeur]
    if isinstance(valeur, date):
        return valeur.isoformat()
    return valeur if isinstance(valeur, (str, int, float, bool, type(None))) else str(valeur)


def _constat_fixe(regle: Regle) -> dict[str, Any]:
    """Les champs d'un constat qui ne dépendent que de la règle ; les conditions s'y ajoutent par dossier."""
    return {
        "regle": regle.id,
        "financeur": regle.financeur,
        "effet": regle.effet,
        "message": regle.message,
        "source": regle.source,
        "interpretation": regle.interpretation,
        "piece": regle.piece,
        "montant": Bande(regle.montant["min"], regle.montant["max"]) if regle.montant else None,
        "motif_interpretation": regle.motif_interpretation,
    }


class PlanEvaluation:
    def __init__(self, regles: Sequence[Regle], feuilles: Sequence[Sequence[int]]):
        """`feuilles` : pour chaque règle, la position de chacun de ses tests dans le vecteur des tests."""
        self.regles = tuple(regles)
        self.par_financeur: dict[str, dict[str, list[int]]] = {f: {} for f in FINANCEURS}
        for i, regle in enumerate(self.regles):
            if regle.financeur in self.par_financeur and regle.effet in EFFETS_STATUT + ("montant",):
                self.par_financeur[regle.financeur].setdefault(regle.effet, []).append(i)
        self.reserve = frozenset(i for i, r in enumerate(self.regles) if r.effet in EFFETS_RESERVE)
        # A warning about one funder's route (ADEME's "plutôt TPE/PME") is not a reserve on the avis.
        self.reserve_avis = frozenset(i for i in self.reserve if self.regles[i].financeur in (None, "region_hdf"))
        self.accompagnement = {i: r.financeur for i, r in enumerate(self.regles) if r.effet == "accompagnement"}
        self.ordre_accompagnement = {a: rang for rang, a in enumerate(ACCOMPAGNEMENTS)}
        self.constats_fixes = [_constat_fixe(r) for r in self.regles]
        # The few messages that quote a detail of the dossier ({{...}}): filled only when they apply.
        self.details = {i: tuple(DETAIL.findall(r.message)) for i, r in enumerate(self.regles) if "{{" in r.message}
        self.tests = [[(k, t.champ, t.operateur, en_json(t.valeur)) for k, t in zip(positions, r.condition.feuilles())]
                      for r, positions in zip(self.regles, feuilles)]
        # A test is unknown exactly when its field is (except « renseigne », never unknown).
        self.champs_inconnus_possibles = [
            tuple(dict.fromkeys(t.champ for t in r.condition.feuilles() if t.operateur != "renseigne"))
            for r in self.regles
        ]

