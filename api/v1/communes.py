"""`GET /api/v1/communes?q=…` : jusqu'à 20 communes du territoire dont le nom commence par `q`, sans égard aux
accents ni à la casse ; l'autocomplétion du formulaire du porteur l'appelle à chaque lettre."""
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.v1 import schemas
from api.v1.documentation import reponses
from api.v1.parametres import json
from api.web.dependances import TerritoireDep
from instruction.evaluation.communes import LIMITE_MAX, LIMITE_PAR_DEFAUT, annuaire

routeur = APIRouter(tags=["communes"])


@routeur.get("/communes", operation_id="chercher_des_communes", summary="Chercher une commune par son nom",
             response_class=Response,
             responses=reponses(200, list[schemas.Commune], "Les communes trouvées, par ordre alphabétique (une "
                                "liste vide si aucune).", (422,)))
async def chercher(territoire: TerritoireDep,
                   q: Annotated[str, Query(description="Le début du nom (« beth », « saint omer »).",
                                           max_length=100)] = "",
                   limite: Annotated[int, Query(ge=1, le=LIMITE_MAX, description="Le nombre maximal de communes.")]
                   = LIMITE_PAR_DEFAUT) -> Response:
    # In the event loop: a binary search over a prebuilt index, microseconds, no I/O.
    return json([c.en_json() for c in annuaire(territoire).chercher(q, limite)],
                entetes={"Cache-Control": "public, max-age=86400"})
