"""L'installation (`make` : la cible du venv) se répare et ne se marche pas dessus.

Le vrai `pip install` prendrait des minutes et le réseau : le Makefile du dépôt tourne ici dans une copie, avec
un faux Python qui joue `python -m venv` et `pip` (et peut s'interrompre comme un Ctrl-C pendant la création
du venv). Le vrai parcours (le vrai Python, le vrai pip, un pyproject minimal : `make` interrompu pendant
`python -m venv`, puis relancé ; deux `make` lancés ensemble) a été vérifié à la main ; il demande le réseau.
"""
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
CIBLE = ".venv/.installe"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make absent")

# The fake interpreter: `-c` runs the real one (the version check), `-m venv DIR` makes a venv whose python
# answers `-m pip …` while DIR/pip-ok exists. FAUX_INTERROMPU makes the creation stop before pip, as Ctrl-C
# during ensurepip would.
FAUX_PYTHON = textwrap.dedent(f"""\
    #!{sys.executable}
    import os, sys, time
    from pathlib import Path
    journal = Path(os.environ["FAUX_JOURNAL"])
    args = sys.argv[1:]
    if args[0] == "-c":
        os.execv({sys.executable!r}, [{sys.executable!r}, *args])
    if args[:2] == ["-m", "venv"]:
        venv = Path(args[2])
        (venv / "bin").mkdir(parents=True)
        python = venv / "bin" / "python"
        python.write_text(Path(__file__).read_text().replace("VENV_MODE = False", "VENV_MODE = True"))
        python.chmod(0o755)
        with journal.open("a") as f:
            f.write("venv\\n")
        time.sleep(0.5)  # a window for a second make to collide with this one
        if os.environ.get("FAUX_INTERROMPU"):
            sys.exit(130)
        (venv / "pip-ok").touch()
        sys.exit(0)
    VENV_MODE = False
    if VENV_MODE and args[:2] == ["-m", "pip"]:
        if not (Path(__file__).parent.parent / "pip-ok").exists():
            sys.exit("No module named pip")
        if args[2] == "install":
            with journal.open("a") as f:
                f.write("install " + " ".join(args[3:]) + "\\n")
        sys.exit(0)
    sys.exit("faux python : " + " ".join(args))
""")


@pytest.fixture
def projet(tmp_path: Path) -> Path:
    shutil.copy(RACINE / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'essai'\n", encoding="utf-8")
    faux = tmp_path / "fauxpython"
    faux.write_text(FAUX_PYTHON, encoding="utf-8")
    faux.chmod(faux.stat().st_mode | stat.S_IXUSR)
    return tmp_path


def _make(projet: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(["make", "--no-print-directory", CIBLE, f"PYTHON={projet / 'fauxpython'}"], cwd=projet,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "FAUX_JOURNAL": str(projet / "journal"), **env})


def _finir(processus: subprocess.Popen) -> tuple[int, str]:
    sortie, _ = processus.communicate(timeout=60)
    return processus.returncode, sortie


def _journal(projet: Path) -> list[str]:
    chemin = projet / "journal"
    return chemin.read_text().splitlines() if chemin.exists() else []


def test_un_venv_sans_pip_laisse_par_une_creation_interrompue_est_recree(projet):
    code, sortie = _finir(_make(projet, FAUX_INTERROMPU="1"))
    assert code != 0 and (projet / ".venv" / "bin" / "python").exists()  # the state a Ctrl-C leaves
    code, sortie = _finir(_make(projet))
    assert code == 0, sortie
    assert "incomplet" in sortie
    assert (projet / CIBLE).exists()
    assert _journal(projet) == ["venv", "venv", "install --quiet --upgrade pip", "install --quiet -e .[test,bench]"]


def test_deux_installations_lancees_ensemble_s_attendent(projet):
    if shutil.which("flock") is None:
        pytest.skip("flock absent (util-linux)")
    premiere, seconde = _make(projet), _make(projet)
    (code1, sortie1), (code2, sortie2) = _finir(premiere), _finir(seconde)
    assert (code1, code2) == (0, 0), sortie1 + sortie2
    assert _journal(projet).count("venv") == 1  # the second one waited, then found the work done
    assert _journal(projet).count("install --quiet -e .[test,bench]") == 1


def test_une_installation_faite_n_est_pas_refaite(projet):
    assert _finir(_make(projet))[0] == 0
    code, sortie = _finir(_make(projet))
    assert code == 0, sortie
    assert _journal(projet).count("venv") == 1
