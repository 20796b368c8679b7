"""Assembler l'évaluation du contrat public à partir des résultats des règles."""
from datetime import date
from typing import Any, Optional, Sequence

from forms.libelles import CHAMPS as ORDRE_DU_FORMULAIRE
from forms.valeurs import ACCOMPAGNEMENTS, FINANCEURS
from instruction.faits import champs_du_formulaire
from instruction.statuts import RANG, StatutFinanceur, statut_financeur
from rules.conditions import evaluer
from rules.regle import Regle

EFFETS_RESERVE = ("avertissement", "piece_requise")
_RANG_FORMULAIRE = {c: i for i, c in enumerate(ORDRE_DU_FORMULAIRE)}


def _constat(regle: Regle, faits: dict[str, Any]) -> dict[str, Any]:
    trace = evaluer(regle.condition, faits)
    constat = {
        "regle": regle.id,
        "financeur": regle.financeur,
        "effet": regle.effet,
        "message": regle.message,
        "source": regle.source.en_json(),
        "interpretation": regle.interpretation,
        "conditions": [
            {"champ": t.champ, "test": t.operateur, "attendu": _json(t.valeur), "valeur": _json(v), "resultat": r}
            for t, v, r in trace.tests
        ],
    }
    if regle.piece:
        constat["piece"] = regle.piece
    if regle.montant:
        constat["montant"] = dict(regle.montant)
    return constat


def _json(valeur: Any) -> Any:
    if isinstance(valeur, (frozenset, set)):
        return sorted(valeur)
    if isinstance(valeur, tuple):
        return list(valeur)
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, list):
        return [_json(v) for v in valeur]
    return valeur if isinstance(valeur, (str, int, float, bool, type(None))) else str(valeur)


def _avis(statuts: dict[str, StatutFinanceur], reserve: bool, accompagnement: list[str]) -> str:
    region = statuts["region_hdf"].statut
    if region in ("prioritaire", "eligible"):
        return "favorable_sous_reserve" if reserve else "favorable"
    if region == "a_completer":
        return "incomplet"
    autres = any(s.statut in ("prioritaire", "eligible", "a_completer")
                 for f, s in statuts.items() if f != "region_hdf")
    return "a_reorienter" if autres or accompagnement else "defavorable"


def assembler(reference: str, regles: Sequence[Regle], resultats: Sequence[Optional[bool]],
              faits: dict[str, Any], version: str) -> dict[str, Any]:
    par_financeur: dict[str, list[int]] = {f: [] for f in FINANCEURS}
    for i, regle in enumerate(regles):
        if regle.financeur in par_financeur and regle.effet not in EFFETS_RESERVE + ("information",):
            par_financeur[regle.financeur].append(i)
    statuts = {f: statut_financeur(f, par_financeur[f], regles, resultats) for f in FINANCEURS}
    fermes = {f: set(s.motifs) for f, s in statuts.items() if s.statut in ("exclu", "non_concerne")}

    def pertinente(i: int) -> bool:
        # A closed funder shows only what closed it: its other findings would mislead the holder.
        regle = regles[i]
        return regle.financeur not in fermes or regle.id in fermes[regle.financeur]

    vrais = [i for i, r in enumerate(resultats) if r is True and pertinente(i)]
    accompagnement = [a for a in ACCOMPAGNEMENTS
                      if any(regles[i].effet == "accompagnement" and regles[i].financeur == a for i in vrais)]
    decisives = {i for s in statuts.values() for i in s.regles_decisives}
    decisives |= {i for i, r in enumerate(resultats)
                  if r is None and regles[i].effet in EFFETS_RESERVE and pertinente(i)}
    manquants = _manquants(sorted(decisives), regles, faits)
    if faits.get("date_depot") is None and "date_depot" not in manquants:
        manquants.insert(0, "date_depot")  # rules were chosen at another date: the avis is provisional
    reserve = bool(manquants) or any(regles[i].effet in EFFETS_RESERVE for i in vrais)
    orientation = sorted((f for f, s in statuts.items() if s.statut in ("prioritaire", "eligible", "a_completer")),
                         key=lambda f: (RANG[statuts[f].statut], FINANCEURS.index(f)))
    return {
        "reference": reference,
        "avis": _avis(statuts, reserve, accompagnement),
        "financeurs": [
            {"financeur": s.financeur, "statut": s.statut, "motifs": list(s.motifs),
             "montant_indicatif": s.montant_indicatif}
            for s in statuts.values()
        ],
        "orientation": orientation,
        "accompagnement": accompagnement,
        "informations_manquantes": manquants,
        "pieces_requises": [regles[i].piece for i in vrais if regles[i].piece],
        "constats": [_constat(regles[i], faits) for i in vrais],
        "version_regles": version,
    }


def _manquants(indices: list[int], regles: Sequence[Regle], faits: dict[str, Any]) -> list[str]:
    champs: dict[str, None] = {}
    for i in indices:
        for champ in evaluer(regles[i].condition, faits).inconnus():
            champs.update(dict.fromkeys(champs_du_formulaire(champ, faits)))
    return sorted(champs, key=lambda c: _RANG_FORMULAIRE.get(c, len(_RANG_FORMULAIRE)))
