"""Ce que les routes reçoivent : le contexte de l'application et ses services, en alias de dépendances FastAPI.

C'est le seul module du web qui connaît le câblage (`api.bootstrap`) : quand celui-ci change, seul
`contexte_par_defaut()` change (`bootstrap.Application` remplit le protocole `Contexte`). Une route déclare
ce qu'il lui faut, jamais d'où cela vient :

    def page(guichet: GuichetDep, uow: UniteDeTravailDep): ...
"""
from typing import Annotated, Protocol

from fastapi import Depends, Request
from starlette.templating import Jinja2Templates

from instruction.comptes.limitation import LIMITES, Limites
from instruction.comptes.mots_de_passe import HACHEUR, Hacheur
from instruction.evaluation.guichet import Guichet
from instruction.evaluation.territoire import Territoire
from instruction.ports import UniteDeTravail
from instruction.temps import Horloge, maintenant


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


# What the accounts need from the context. `bootstrap.Application` has an `horloge`; the hasher and the login
# limits are the domain's defaults unless a test's context brings its own (a fast hasher, tighter limits).
def horloge_de(contexte: Contexte) -> Horloge:
    return getattr(contexte, "horloge", None) or maintenant


def hacheur_de(contexte: Contexte) -> Hacheur:
    return getattr(contexte, "hacheur", None) or HACHEUR


def limites_de(contexte: Contexte) -> Limites:
    return getattr(contexte, "limites", None) or LIMITES


def _horloge(contexte: ContexteDep) -> Horloge:
    return horloge_de(contexte)


def _hacheur(contexte: ContexteDep) -> Hacheur:
    return hacheur_de(contexte)


def _limites(contexte: ContexteDep) -> Limites:
    return limites_de(contexte)


HorlogeDep = Annotated[Horloge, Depends(_horloge)]
HacheurDep = Annotated[Hacheur, Depends(_hacheur)]
LimitesDep = Annotated[Limites, Depends(_limites)]
