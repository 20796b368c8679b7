"""Et si ? Ce qui change d'une évaluation à l'autre d'un même dossier : l'avis, chaque statut,
les informations manquantes. Sert à rejouer un comité à une autre date ou sous d'autres règles."""
from typing import Any, Optional


def comparer(avant: Optional[dict[str, Any]], apres: dict[str, Any]) -> dict[str, Any]:
    """`avant` est None quand le dossier n'avait jamais été évalué."""
    reference = apres.get("reference")
    if "erreurs" in apres:
        return {"reference": reference, "change": True, "erreurs": apres["erreurs"], "avis": None, "financeurs": [],
                "manquants_ajoutes": [], "manquants_retires": []}
    statuts_avant = {f["financeur"]: f["statut"] for f in avant["financeurs"]} if avant else {}
    financeurs = [
        {"financeur": f["financeur"], "avant": statuts_avant.get(f["financeur"]), "apres": f["statut"],
         "motifs_ajoutes": sorted(set(f["motifs"]) - _motifs(avant, f["financeur"])),
         "motifs_retires": sorted(_motifs(avant, f["financeur"]) - set(f["motifs"]))}
        for f in apres["financeurs"] if statuts_avant.get(f["financeur"]) != f["statut"]
    ]
    manquants_avant = set(avant["informations_manquantes"]) if avant else set()
    manquants_apres = set(apres["informations_manquantes"])
    avis = None if avant and avant["avis"] == apres["avis"] else {"avant": avant["avis"] if avant else None,
                                                                  "apres": apres["avis"]}
    resultat = {
        "reference": reference,
        "avis": avis,
        "financeurs": financeurs,
        "manquants_ajoutes": sorted(manquants_apres - manquants_avant),
        "manquants_retires": sorted(manquants_avant - manquants_apres),
        "version_avant": avant["version_regles"] if avant else None,
        "version_apres": apres["version_regles"],
    }
    resultat["change"] = bool(avis or financeurs or resultat["manquants_ajoutes"] or resultat["manquants_retires"])
    return resultat


def _motifs(evaluation: Optional[dict[str, Any]], financeur: str) -> set[str]:
    if not evaluation:
        return set()
    return next((set(f["motifs"]) for f in evaluation["financeurs"] if f["financeur"] == financeur), set())
