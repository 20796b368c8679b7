"""Ce que les routes reçoivent : le contexte de l'application et ses services, en alias de dépendances FastAPI.

C'est le seul module du web qui connaît le câblage (`api.bootstrap`) : quand celui-ci change, seul
`contexte_par_defaut()` change (`bootstrap.Application` remplit le protocole `Contexte`). Une route déclare
ce qu'il lui faut, jamais d'où cela vient :

    def page(guichet: GuichetDep, uow: UniteDeTravailDep): ...
"""
from typing import Annotated, Protocol

from fastapi import Depends, Request
from starlette.templating import Jinja2Templates

from instruction.evaluation.guichet import Guichet
from instruction.evaluation.territoire import Territoire
from instruction.ports import UniteDeTravail


class Contexte(Protocol):
    """Les services de l'application : la base de règles prête à évaluer, le territoire, les unités de travail."""

    guichet: Guichet
    territoire: Territoire

    def unite_de_travail(self) -> UniteDeTravail: ...


class ContexteIndisponible(Exception):
    """Le contexte ne peut pas être construit (règles ou données invalides…) : le message dit pourquoi."""


def contexte_par_defaut() -> Contexte:
    """Le contexte de `guichet serve` : l'application câblée par `api.bootstrap` (règles en vigueur, base de la
    configuration). C'est le seul endroit du web qui connaît le câblage."""
    from api import bootstrap

    try:
        return bootstrap.application()
    except bootstrap.ErreurDemarrage as exc:
        raise ContexteIndisponible(exc.message) from None


def _contexte(request: Request) -> Contexte:
    return request.app.state.contexte


ContexteDep = Annotated[Contexte, Depends(_contexte)]


def _guichet(contexte: ContexteDep) -> Guichet:
    return contexte.guichet


def _territoire(contexte: ContexteDep) -> Territoire:
    return contexte.territoire


def _unite_de_travail(contexte: ContexteDep) -> UniteDeTravail:
    # A fresh unit of work per request: one is not to be shared between threads, and sync routes run in a pool.
    return contexte.unite_de_travail()


def _gabarits(request: Request) -> Jinja2Templates:
    return request.app.state.gabarits


GuichetDep = Annotated[Guichet, Depends(_guichet)]
TerritoireDep = Annotated[Territoire, Depends(_territoire)]
UniteDeTravailDep = Annotated[UniteDeTravail, Depends(_unite_de_travail)]
GabaritsDep = Annotated[Jinja2Templates, Depends(_gabarits)]
