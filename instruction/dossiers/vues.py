"""Ce qu'on montre d'un dossier : son historique en JSON, pour la ligne de commande et l'API, lu champ
par champ (jamais `__dict__` : un champ ajouté au domaine ne doit pas sortir sans qu'on le décide)."""
from dataclasses import asdict
from typing import Any

from instruction.dossiers.dossier_instruit import DossierInstruit


def _transition(t) -> dict[str, Any]:
    return {"de": t.de, "vers": t.vers, "auteur": t.auteur, "quand": t.quand.isoformat(), "motif": t.motif}


def _evaluation(e) -> dict[str, Any]:
    return {"numero": e.numero, "version_regles": e.version_regles, "date_reference": e.date_reference.isoformat(),
            "auteur": e.auteur, "quand": e.quand.isoformat(), "resultat": e.resultat.en_json()}


def _correction(c) -> dict[str, Any]:
    return {**asdict(c), "quand": c.quand.isoformat(), "active": c.active}


def _decision(d) -> dict[str, Any]:
    return {"financeur": d.financeur, "decision": d.decision, "motif": d.motif, "auteur": d.auteur,
            "quand": d.quand.isoformat(), "comite": d.comite}


def historique(dossier: DossierInstruit) -> dict[str, Any]:
    return {"reference": dossier.reference, "etat": dossier.etat, "donnees": dossier.donnees.model_dump(mode="json"),
            "transitions": [_transition(t) for t in dossier.transitions],
            "evaluations": [_evaluation(e) for e in dossier.evaluations],
            "corrections": [_correction(c) for c in dossier.corrections],
            "decisions": [_decision(d) for d in dossier.decisions],
            "evaluation_retenue": retenue.en_json() if (retenue := dossier.evaluation_retenue()) else None}
