"""`/instruction/…` : la rubrique des services de la Région (instructeurs). Page d'attente de
`/instruction/dossiers` : un prochain lot y met la liste des dossiers et leurs filtres."""
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.web.acces import exiger
from api.web.dependances import GabaritsDep

routeur = APIRouter(prefix="/instruction", include_in_schema=False,
                    dependencies=[Depends(exiger("espace_instruction"))])


@routeur.get("/dossiers", response_class=HTMLResponse)
def dossiers(request: Request, gabarits: GabaritsDep):
    return gabarits.TemplateResponse(request, "a_venir.html", {
        "titre": "Dossiers à instruire",
        "texte": "La liste des dossiers, leurs filtres et leur instruction arrivent bientôt ici."})
