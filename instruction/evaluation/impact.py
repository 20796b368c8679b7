"""L'impact d'un changement de règles sur un lot de dossiers (`guichet rules impact`).

Le même lot a été évalué sous deux versions des règles ; on compte, par financeur, les statuts qui
passent de l'un à l'autre, on relève les avis qui changent, et, pour chaque dossier qui bouge, les
règles en cause : motifs et constats ajoutés ou retirés. Un dossier invalide est listé à part ;
il n'empêche jamais de comparer les autres. Rien ici ne lit de fichier ni de base.
"""
from collections import Counter
from typing import Any, Optional, Sequence

from forms.valeurs import ACCOMPAGNEMENTS, FINANCEURS
from instruction.evaluation.comparaison import comparer
from instruction.evaluation.resultat import Evaluation, EvaluationInvalide, Resultat

# Funders first in the contract's order, then the engineering routes, then the whole dossier (None).
_ORDRE = {f: rang for rang, f in enumerate((*FINANCEURS, *ACCOMPAGNEMENTS))}


def ordre_financeur(financeur: Optional[str]) -> tuple[int, str]:
    return (_ORDRE.get(financeur, len(_ORDRE)) if financeur else len(_ORDRE) + 1, financeur or "")


def mesurer_impact(avant: Sequence[Resultat], apres: Sequence[Resultat]) -> dict[str, Any]:
    """`avant` et `apres` : les évaluations d'un même lot, dans le même ordre, sous chacune des deux versions."""
    if len(avant) != len(apres):
        raise ValueError(f"deux lots de tailles différentes ({len(avant)} et {len(apres)})")
    transitions: Counter = Counter()
    avis, dossiers, invalides = [], [], []
    for position, (eval_avant, eval_apres) in enumerate(zip(avant, apres), 1):
        if isinstance(eval_avant, EvaluationInvalide) or isinstance(eval_apres, EvaluationInvalide):
            invalides.append(_invalide(position, eval_avant, eval_apres))
            continue
        dossier = _dossier(position, eval_avant, eval_apres)
        if dossier is None:
            continue
        transitions.update((f["financeur"], f["avant"], f["apres"]) for f in dossier["financeurs"])
        if dossier["avis"]:
            avis.append({"position": position, "reference": dossier["reference"], **dossier["avis"]})
        dossiers.append(dossier)
    return {
        "total": len(apres),
        "changes": len(dossiers),
        "inchanges": len(apres) - len(dossiers) - len(invalides),
        "transitions": [{"financeur": f, "avant": a, "apres": b, "nombre": n}
                        for (f, a, b), n in sorted(transitions.items(),
                                                   key=lambda t: (ordre_financeur(t[0][0]), -t[1], t[0][1:]))],
        "avis": avis,
        "dossiers": dossiers,
        "invalides": invalides,
    }


def _dossier(position: int, avant: Evaluation, apres: Evaluation) -> Optional[dict[str, Any]]:
    """Ce qui bouge pour un dossier, ou None s'il est inchangé (constats compris)."""
    changement = comparer(avant, apres)
    autres = _autres_constats(changement, avant, apres)
    if not (changement["change"] or autres):
        return None
    return {
        "position": position,
        "reference": changement["reference"],
        "avis": changement["avis"],
        "financeurs": sorted(changement["financeurs"], key=lambda f: ordre_financeur(f["financeur"])),
        "autres_constats": autres,
        "manquants_ajoutes": changement["manquants_ajoutes"],
        "manquants_retires": changement["manquants_retires"],
    }


def _autres_constats(changement: dict[str, Any], avant: Evaluation, apres: Evaluation) -> list[dict[str, Any]]:
    """Les constats qui apparaissent ou disparaissent hors des financeurs dont le statut a bougé
    (un avertissement, une pièce, un accompagnement, une voie restée ouverte pour un autre motif)."""
    # Rules already shown under a funder whose status moved are not repeated.
    deja = {r for f in changement["financeurs"] for r in (*f["constats_ajoutes"], *f["constats_retires"])}
    financeur_de = {c.regle: c.financeur for e in (avant, apres) for c in e.constats}
    groupes: dict[Optional[str], dict[str, list[str]]] = {}
    for cle, regles in (("ajoutes", changement["constats_ajoutes"]), ("retires", changement["constats_retires"])):
        for regle in regles:
            if regle not in deja:
                groupe = groupes.setdefault(financeur_de.get(regle), {"ajoutes": [], "retires": []})
                groupe[cle].append(regle)
    return [{"financeur": f, **g} for f, g in sorted(groupes.items(), key=lambda t: ordre_financeur(t[0]))]


def _invalide(position: int, avant: Resultat, apres: Resultat) -> dict[str, Any]:
    erreurs: list[dict[str, Any]] = []
    for evaluation in (avant, apres):
        if isinstance(evaluation, EvaluationInvalide):
            erreurs += [e for e in evaluation.en_json()["erreurs"] if e not in erreurs]
    return {"position": position, "reference": apres.reference or avant.reference, "erreurs": erreurs,
            "sous": [nom for nom, e in (("avant", avant), ("apres", apres)) if isinstance(e, EvaluationInvalide)]}
