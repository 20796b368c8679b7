import os
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("GUICHET_SOURCES", RACINE.parent / "shared" / "seeds"))


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
