import json
import os
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("GUICHET_SOURCES", RACINE.parent / "shared" / "seeds"))
EXEMPLES = RACINE / "examples" / "dossiers.json"


@pytest.fixture(scope="session")
def base():
    from rules.base import BaseDeRegles
    return BaseDeRegles.charger()


@pytest.fixture(scope="session")
def territoire():
    from instruction.evaluation.territoire import Territoire
    return Territoire.charger()


@pytest.fixture(scope="session")
def guichet_python(base, territoire):
    from instruction.evaluation.guichet import Guichet
    return Guichet(base, territoire, moteur="python")


@pytest.fixture(scope="session")
def controles():
    from instruction.comite.controles import charger_controles
    return charger_controles()


@pytest.fixture(scope="session")
def exemples() -> list[dict]:
    """Les dossiers d'exemple du dépôt (examples/dossiers.json), lus une fois pour toute la session."""
    return json.loads(EXEMPLES.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def exemples_par_reference(exemples) -> dict[str, dict]:
    return {d["reference"]: d for d in exemples}
