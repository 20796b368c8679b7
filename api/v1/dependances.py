"""Ce que les routes de l'API reçoivent en plus des services du web (`api.web.dependances`)."""
from typing import Annotated

from fastapi import Depends

from api.web.dependances import ContexteDep
from instruction.comite.controles import Controle


def _controles(contexte: ContexteDep) -> dict[str, Controle]:
    # `bootstrap.Application` has the comité's cross-checks; a test's context brings its own.
    return contexte.controles


ControlesDep = Annotated[dict[str, Controle], Depends(_controles)]
