"""`/opendata/subventions.csv` : public, les subventions de la Région au format SCDL « subventions » 2.1.1, en
UTF-8 ; les mêmes octets que `guichet opendata subventions --output FICHIER.csv`."""
from fastapi import APIRouter
from fastapi.responses import Response

from api.rendu.opendata import csv_subventions
from api.web.dependances import TerritoireDep, UniteDeTravailDep
from instruction.documents import services_opendata

routeur = APIRouter(include_in_schema=False)


@routeur.get("/opendata/subventions.csv")
def subventions(uow: UniteDeTravailDep, territoire: TerritoireDep) -> Response:
    publication = services_opendata.subventions(uow, territoire)
    return Response(csv_subventions(publication.lignes), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="subventions.csv"'})
