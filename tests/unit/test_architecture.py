"""Les sens d'import sont vérifiés mécaniquement, pas de mémoire."""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
# The durable-rules engine itself: its C module, and the Python host around it.
DURABLE_RULES = {"durable", "durable_rules_engine"}
SESSION_DURABLE = RACINE / "rules" / "durable" / "session.py"


def _imports(chemin: Path) -> set[str]:
    noms = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            noms.update(alias.name.split(".")[0] for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
            noms.add(noeud.module.split(".")[0])
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
