"""Le corpus des mauvaises entrées : chacune donne une erreur claire, jamais une trace."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DOSSIER = Path(__file__).parent / "mauvaises_entrees"
ATTENDUS = yaml.safe_load((DOSSIER / "attendus.yaml").read_text(encoding="utf-8"))


def guichet(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("nom", sorted(ATTENDUS))
def test_mauvaise_entree(nom):
    code, champ, fragment = ATTENDUS[nom]
    sortie = guichet("evaluate", str(DOSSIER / nom), "--engine", "python")
    assert "Traceback" not in sortie.stderr + sortie.stdout
    assert sortie.returncode == code, sortie.stderr
    if champ is None:
        assert fragment in sortie.stderr
        assert len(sortie.stderr.strip().splitlines()) == 1
    else:
        erreurs = [e for ev in json.loads(sortie.stdout) for e in ev.get("erreurs", [])]
        assert any(e["champ"] == champ and fragment in e["message"] for e in erreurs), erreurs


def test_un_lot_avec_des_dossiers_invalides_evalue_les_autres_dans_l_ordre():
    sortie = guichet("evaluate", str(DOSSIER / "lot_partiellement_invalide.jsonl"), "--engine", "python")
    evaluations = json.loads(sortie.stdout)
    assert [e.get("reference") for e in evaluations] == ["OK-1", "KO-1", "OK-2", None]
    assert "avis" in evaluations[0] and "avis" in evaluations[2]
    assert evaluations[3]["erreurs"][0]["champ"] == "ligne 4"


def test_un_fichier_de_50_mo_est_refuse_clairement(tmp_path):
    gros = tmp_path / "gros.jsonl"
    ligne = json.dumps({"reference": "G", "projet": {"description": "x" * 1000}}) + "\n"
    with gros.open("w") as f:
        for _ in range(50 * 1024 * 1024 // len(ligne) + 1):
            f.write(ligne)
    sortie = guichet("evaluate", str(gros))
    assert sortie.returncode == 2
    assert "trop volumineux" in sortie.stderr and "Traceback" not in sortie.stderr


def test_un_fichier_absent_et_une_option_inconnue_sortent_en_2(tmp_path):
    assert guichet("evaluate", str(tmp_path / "absent.json")).returncode == 2
    sortie = guichet("evaluate", str(DOSSIER / "vide.json"), "--format", "xml")
    assert sortie.returncode == 2 and "format inconnu" in sortie.stderr
    sortie = guichet("evaluate", str(DOSSIER / "enum_inconnu.json"), "--date", "2025-02-30")
    assert sortie.returncode == 2 and "date invalide" in sortie.stderr


def test_une_commande_mal_formee_sort_en_2_sur_une_ligne():
    for args in ((), ("evaluate",), ("inconnue",), ("evaluate", "x.json", "--frmat", "json")):
        sortie = guichet(*args)
        assert sortie.returncode == 2, args
        assert "Traceback" not in sortie.stderr + sortie.stdout
        if args:  # with no argument at all, the help is printed instead
            assert len(sortie.stderr.strip().splitlines()) == 1, sortie.stderr
