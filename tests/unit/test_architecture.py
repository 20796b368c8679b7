"""Les sens d'import sont vérifiés mécaniquement, pas de mémoire."""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
ADAPTATEUR_DURABLE = RACINE / "rules" / "moteur_durable.py"


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


def test_seul_l_adaptateur_importe_durable_rules():
    fautifs = [
        str(chemin.relative_to(RACINE))
        for paquet in ("forms", "rules", "instruction", "api", "scripts", "bench")
        for chemin in (RACINE / paquet).rglob("*.py")
        if chemin != ADAPTATEUR_DURABLE and _imports(chemin) & {"durable", "durable_rules_engine"}
    ]
    assert fautifs == []
