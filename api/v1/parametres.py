"""Les paramètres d'adresse communs (`?date=`, pagination) et les réponses JSON de l'API.

Une date se lit ici, strictement (`AAAA-MM-JJ`, rien d'autre : un nombre n'est pas une date), pour que le refus
nomme le paramètre en français ; FastAPI ne lit que des textes.
"""
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Optional

import orjson
from fastapi import Query, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

from api.v1.erreurs import ErreurApi, une_erreur
from forms.textes import visible

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DateQuery = Annotated[Optional[str], Query(
    description="Juger selon les règles en vigueur à cette date (AAAA-MM-JJ) ; par défaut, la date de dépôt du "
                "dossier, ou aujourd'hui.", json_schema_extra={"format": "date"}, max_length=10)]


def lire_date(texte: Optional[str], champ: str = "date") -> Optional[date]:
    if texte is None:
        return None
    try:
        if not _DATE.match(texte):
            raise ValueError
        return date.fromisoformat(texte)
    except ValueError:
        raise ErreurApi(422, [une_erreur(champ, "doit être une date au format AAAA-MM-JJ")]) from None


def _autre(valeur: Any) -> Any:
    # What orjson does not know: exact amounts (Decimal) are JSON numbers, as in the contract.
    if isinstance(valeur, Decimal):
        return float(valeur)
    if isinstance(valeur, (set, frozenset, tuple)):
        return sorted(valeur) if isinstance(valeur, (set, frozenset)) else list(valeur)
    raise TypeError(f"non sérialisable en JSON : {type(valeur).__name__}")


def json(contenu: Any, code: int = 200, entetes: Optional[dict[str, str]] = None) -> Response:
    """Une réponse JSON écrite par orjson (dates ISO 8601, UTF-8 sans échappement)."""
    return Response(orjson.dumps(contenu, default=_autre), status_code=code, media_type="application/json",
                    headers=entetes)


def _parametres(dependant) -> set[str]:
    return {p.alias for p in dependant.query_params}.union(*(_parametres(d) for d in dependant.dependencies))


def _declares(route: APIRoute) -> frozenset[str]:
    # Computed once per route and kept on it (a route is not hashable, and lives as long as its application).
    if not hasattr(route, "parametres_declares"):
        route.parametres_declares = frozenset(_parametres(route.dependant))
    return route.parametres_declares


async def refuser_parametres_inconnus(request: Request) -> None:
    """Un paramètre d'adresse que la route ne connaît pas est refusé (422), comme un champ inconnu du dossier : un
    filtre mal orthographié (`?etta=depose`) rendrait sinon toute la liste sans le dire."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    inconnus = sorted(set(request.query_params) - _declares(route))
    if inconnus:
        permis = ", ".join(sorted(_declares(route))) or "aucun"
        raise ErreurApi(422, [une_erreur(visible(nom), f"paramètre inconnu ; possibles : {permis}")
                              for nom in inconnus])
