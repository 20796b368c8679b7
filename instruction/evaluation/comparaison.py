"""Et si ? Ce qui change d'une évaluation à l'autre d'un même dossier : l'avis, chaque statut,
les informations manquantes, les constats (par identifiant de règle). Sert à rejouer un comité à une
autre date ou sous d'autres règles, et à mesurer l'impact d'un changement de règles (`impact.py`)."""
from typing import Any, Optional

from instruction.evaluation.resultat import Evaluation, EvaluationInvalide, Resultat


def comparer(avant: Optional[Resultat], apres: Resultat) -> dict[str, Any]:
    """`avant` est None quand le dossier n'avait jamais été évalué."""
    if isinstance(apres, EvaluationInvalide):
        return {"reference": apres.reference, "change": True, "erreurs": apres.en_json()["erreurs"], "avis": None,
                "financeurs": [], "manquants_ajoutes": [], "manquants_retires": [], "constats_ajoutes": [],
                "constats_retires": []}
    avant = avant if isinstance(avant, Evaluation) else None
    statuts_avant = avant.statuts() if avant else {}
    financeurs = [
        {"financeur": f.financeur, "avant": statuts_avant.get(f.financeur), "apres": f.statut,
         "motifs_ajoutes": sorted(set(f.motifs) - _motifs(avant, f.financeur)),
         "motifs_retires": sorted(_motifs(avant, f.financeur) - set(f.motifs)),
         "constats_ajoutes": sorted(_regles(apres, f.financeur) - _regles(avant, f.financeur)),
         "constats_retires": sorted(_regles(avant, f.financeur) - _regles(apres, f.financeur))}
        for f in apres.financeurs if statuts_avant.get(f.financeur) != f.statut
    ]
    manquants_avant = set(avant.informations_manquantes) if avant else set()
    manquants_apres = set(apres.informations_manquantes)
    avis = None if avant and avant.avis == apres.avis else {"avant": avant.avis if avant else None,
                                                            "apres": apres.avis}
    resultat = {
        "reference": apres.reference,
        "avis": avis,
        "financeurs": financeurs,
        "manquants_ajoutes": sorted(manquants_apres - manquants_avant),
        "manquants_retires": sorted(manquants_avant - manquants_apres),
        "constats_ajoutes": sorted(_regles(apres) - _regles(avant)),
        "constats_retires": sorted(_regles(avant) - _regles(apres)),
        "version_avant": avant.version_regles if avant else None,
        "version_apres": apres.version_regles,
    }
    # Constats alone do not make a change here: a replayed comité reports what moves its outcome.
    resultat["change"] = bool(avis or financeurs or resultat["manquants_ajoutes"] or resultat["manquants_retires"])
    return resultat


def _motifs(evaluation: Optional[Evaluation], financeur: str) -> set[str]:
    if not evaluation:
        return set()
    return next((set(f.motifs) for f in evaluation.financeurs if f.financeur == financeur), set())


_TOUS = object()  # every funder, and the constats about the whole dossier


def _regles(evaluation: Optional[Evaluation], financeur: Any = _TOUS) -> set[str]:
    """Les règles des constats d'une évaluation (d'un financeur, ou toutes)."""
    if not evaluation:
        return set()
    return {c.regle for c in evaluation.constats if financeur is _TOUS or c.financeur == financeur}
