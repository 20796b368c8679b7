"""`GET /api/v1/regles` : les règles en vigueur, le même JSON que `guichet rules export --format json`."""
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.v1 import schemas
from api.v1.documentation import reponses
from api.v1.parametres import json, lire_date
from api.web.dependances import GuichetDep, HorlogeDep
from instruction.evaluation import regles
from instruction.temps import jour_de

routeur = APIRouter(tags=["règles"])


@routeur.get("/regles", operation_id="exporter_les_regles", summary="Les règles en vigueur",
             response_class=Response,
             responses=reponses(200, list[schemas.Regle], "Chaque règle, comme `guichet rules export`.", (422,)))
def exporter(guichet: GuichetDep, horloge: HorlogeDep,
             date: Annotated[str | None, Query(description="Les règles en vigueur à cette date (AAAA-MM-JJ) ; "
                                               "aujourd'hui par défaut.", max_length=10,
                                               json_schema_extra={"format": "date"})] = None,
             toutes: Annotated[bool, Query(description="Toutes les règles, quelle que soit leur période.")] = False,
             ) -> Response:
    jour = lire_date(date) or jour_de(horloge())
    return json(regles.exporter(guichet.base, jour, toutes))
