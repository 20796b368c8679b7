"""`/mes-dossiers` : l'espace du porteur de projet (ses dossiers). Page d'attente : un prochain lot la remplit."""
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.web.acces import exiger
from api.web.dependances import GabaritsDep

routeur = APIRouter(include_in_schema=False, dependencies=[Depends(exiger("espace_porteur"))])


@routeur.get("/mes-dossiers", response_class=HTMLResponse)
def mes_dossiers(request: Request, gabarits: GabaritsDep):
    return gabarits.TemplateResponse(request, "a_venir.html", {
        "titre": "Mes dossiers",
        "texte": "Vous pourrez bientôt déposer ici vos projets et suivre l’instruction de vos dossiers."})
