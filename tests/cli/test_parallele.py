"""Un processus de travail qui meurt (durable-rules est un moteur C) ne fait perdre aucun dossier."""
import json
import os
from pathlib import Path

import api.cli.parallele as parallele


def test_un_travailleur_mort_est_remplace_par_l_evaluateur_python(guichet_python, monkeypatch):
    modeles = json.loads((Path(__file__).parents[2] / "examples" / "dossiers.json").read_text(encoding="utf-8"))
    lot = [dict(modeles[i % len(modeles)], reference=f"M-{i:05d}") for i in range(parallele.SEUIL + 10)]
    vrai_paquet = parallele._evaluer_paquet

    def paquet_qui_tue(paquet):
        if paquet[0]["reference"] == "M-01000":
            os._exit(139)  # what a segfault in the C engine does to a worker
        return vrai_paquet(paquet)

    monkeypatch.setattr(parallele, "_evaluer_paquet", paquet_qui_tue)
    sorties = [json.loads(texte) for texte, _ in parallele.evaluer_en_json(guichet_python, lot, None)]
    assert sorties == [e.en_json() for e in guichet_python.evaluer_lot(lot)]
