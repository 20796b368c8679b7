"""La page d'accueil : ce que fait le guichet et ses quatre rubriques."""
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.web.dependances import GabaritsDep

routeur = APIRouter(include_in_schema=False)

RUBRIQUES = (
    {"titre": "Déposer un projet", "href": "/mes-dossiers",
     "description": "Porteurs de projet : décrivez votre projet et suivez vos dossiers."},
    {"titre": "Instruction", "href": "/instruction/dossiers",
     "description": "Services de la Région : instruisez les dossiers et rendez les avis techniques."},
    {"titre": "Comités", "href": "/comites",
     "description": "Comité technique : préparez l’ordre du jour et enregistrez les décisions."},
    {"titre": "Les règles", "href": "/regles",
     "description": "Les engagements des financeurs, règle par règle, avec le passage du texte qui les fonde."},
)


@routeur.get("/", response_class=HTMLResponse)
def accueil(request: Request, gabarits: GabaritsDep):
    return gabarits.TemplateResponse(request, "accueil.html", {"rubriques": RUBRIQUES})
