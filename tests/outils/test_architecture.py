"""Les sens d'import sont vérifiés mécaniquement, pas de mémoire : import-linter, et la lecture des
sources pour ce qu'il ne sait pas dire (qui importe durable-rules, ce qu'importent les modules purs)."""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
# The durable-rules engine itself: its C module, and the Python host around it.
DURABLE_RULES = {"durable", "durable_rules_engine"}
SESSION_DURABLE = RACINE / "rules" / "durable" / "session.py"
# The parts of the adapter that must run where durable-rules does not import (Python 3.13).
PURS = ("codage", "traduction", "erreurs")


def _imports(chemin: Path) -> set[str]:
    noms = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            noms.update(alias.name.split(".")[0] for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
            noms.add(noeud.module.split(".")[0])
    return noms


def _modules_importes(chemin: Path) -> set[str]:
    noms = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            noms.update(alias.name for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom):
            assert noeud.level == 0, f"{chemin.name} : import relatif"
            noms.add(noeud.module)
            noms.update(f"{noeud.module}.{alias.name}" for alias in noeud.names)
    return noms


def test_les_contrats_import_linter_sont_respectes():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter doit être installé (extra test)"
    sortie = subprocess.run([lint], cwd=RACINE, capture_output=True, text=True)
    assert sortie.returncode == 0, sortie.stdout + sortie.stderr


def test_seule_la_session_de_l_adaptateur_importe_durable_rules():
    importateurs = [
        str(chemin.relative_to(RACINE))
        for paquet in ("forms", "rules", "instruction", "api", "scripts", "bench", "tests")
        for chemin in (RACINE / paquet).rglob("*.py")
        if _imports(chemin) & DURABLE_RULES
    ]
    assert importateurs == [str(SESSION_DURABLE.relative_to(RACINE))]


@pytest.mark.parametrize("module", PURS)
def test_un_module_pur_n_importe_ni_durable_rules_ni_sa_session(module):
    importes = _modules_importes(RACINE / "rules" / "durable" / f"{module}.py")
    racines = {nom.split(".")[0] for nom in importes}
    assert not racines & DURABLE_RULES
    du_paquet = {nom.split(".")[2] for nom in importes if nom.startswith("rules.durable.")}
    assert du_paquet <= set(PURS), du_paquet  # not session, moteur or jointures, which import it


def test_le_paquet_s_importe_et_traduit_sans_durable_rules():
    # A fresh interpreter where both durable-rules modules refuse to import, as on Python 3.13.
    code = ("import sys; sys.modules['durable_rules_engine'] = None; sys.modules['durable'] = None\n"
            "from rules import durable\n"
            "from rules.durable import codage, traduction\n"
            "from rules.conditions import lire_condition\n"
            "e = traduction.expression(lire_condition({'budget.cout_total_ht': {'inf': 1e-5}}), "
            "{'budget.cout_total_ht': 'c0'})\n"
            "print(durable.disponible(), codage.json_ruleset(e))")
    fini = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=RACINE, timeout=60)
    assert (fini.returncode, fini.stdout.strip()) == (0, 'False {"$lt":{"c0":0.00001}}'), fini.stderr
