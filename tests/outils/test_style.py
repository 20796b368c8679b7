"""Le code suit les règles de ruff déclarées dans pyproject.toml."""
import shutil
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]


def test_ruff_ne_trouve_rien():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff, "ruff doit être installé (extra test)"
    sortie = subprocess.run([ruff, "check", "forms", "rules", "instruction", "api", "scripts", "bench", "tests"],
                            cwd=RACINE, capture_output=True, text=True)
    assert sortie.returncode == 0, sortie.stdout
