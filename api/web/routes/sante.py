"""`GET /sante` : 200 `{"statut": "ok"}` quand la base répond, 503 sinon (contract.md), pour les sondes."""
import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.web.dependances import Contexte, ContexteDep

routeur = APIRouter(include_in_schema=False)
journal = logging.getLogger("guichet.web")


def base_repond(contexte: Contexte) -> bool:
    """Une lecture par clé d'une table du schéma, dans une unité de travail : la base est là, ouverte et migrée."""
    try:
        uow = contexte.unite_de_travail()  # inside the try: a bad DATABASE_URL fails here already
        with uow:
            uow.regles.obtenir("sante")  # any key: a read that needs the schema, not just a connection
        return True
    except Exception as exc:  # noqa: BLE001 - whatever breaks, the probe's answer is the same: 503
        journal.warning("base injoignable : %s", exc)
        return False


@routeur.get("/sante")
def sante(contexte: ContexteDep) -> JSONResponse:
    if base_repond(contexte):
        return JSONResponse({"statut": "ok"}, headers={"Cache-Control": "no-store"})
    return JSONResponse({"statut": "indisponible", "message": "la base de données ne répond pas"},
                        status_code=503, headers={"Cache-Control": "no-store"})
