"""Ce qu'on montre d'une réunion du comité technique en JSON (l'API) : lu champ par champ, jamais `__dict__`,
pour qu'un champ ajouté au domaine ne sorte pas sans qu'on le décide."""
from typing import Any

from instruction.comite.reunion import Comite


def comite_en_json(c: Comite) -> dict[str, Any]:
    return {"code": c.code, "date": c.date.isoformat(), "contrat": c.contrat,
            "membres": [{"structure": m.structure, "representant": m.representant, "present": m.present}
                        for m in c.membres],
            "ordre_du_jour": list(c.ordre_du_jour), "controles": list(c.controles),
            "evalue_le": c.evalue_le.isoformat() if c.evalue_le else None, "version_regles": c.version_regles}
