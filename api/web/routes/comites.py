"""`/comites` : la rubrique du comité technique (instructeurs et membres du comité). Page d'attente : un prochain
lot y met les réunions, leur ordre du jour et leurs décisions."""
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.web.acces import exiger
from api.web.dependances import GabaritsDep

routeur = APIRouter(include_in_schema=False, dependencies=[Depends(exiger("lister_comites"))])


@routeur.get("/comites", response_class=HTMLResponse)
def comites(request: Request, gabarits: GabaritsDep):
    return gabarits.TemplateResponse(request, "a_venir.html", {
        "titre": "Comités techniques",
        "texte": "Les réunions du comité, leur ordre du jour et leurs décisions arrivent bientôt ici."})
