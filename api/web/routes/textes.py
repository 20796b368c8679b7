"""`/textes` et `/textes/{document}` : les textes sources, publics, chaque passage cité par une règle marqué
(`<mark>`, un élément `id="regle-{identifiant}"` par règle qui le cite, surligné quand l'adresse le vise) et lié à
ses règles. `document` est le nom du fichier source (contrat, « The web app and the HTTP API »)."""
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse

from api.textes_sources import textes_du_depot
from api.web.dependances import ContexteDep, GabaritsDep, GuichetDep
from instruction.evaluation import site_regles
from instruction.evaluation.site_regles import Textes

routeur = APIRouter(include_in_schema=False)


def _textes(contexte: ContexteDep) -> Textes:
    # A test's context may bring its own texts; the server reads the rules' source folder (api.textes_sources).
    return getattr(contexte, "textes", None) or textes_du_depot()


TextesDep = Annotated[Textes, Depends(_textes)]


@routeur.get("/textes", response_class=HTMLResponse)
def index(request: Request, guichet: GuichetDep, textes: TextesDep, gabarits: GabaritsDep, apres: BackgroundTasks):
    vue = site_regles.index_textes(guichet.base, textes)
    apres.add_task(site_regles.prechauffer, guichet.base, [d["document"] for d in vue["documents"]], textes)
    return gabarits.TemplateResponse(request, "textes/index.html", {"vue": vue})


@routeur.get("/textes/{document}", response_class=HTMLResponse)
def texte(request: Request, document: str, guichet: GuichetDep, textes: TextesDep, gabarits: GabaritsDep):
    vue = site_regles.page_texte(guichet.base, document, textes)  # unknown: TexteIntrouvable (404)
    return gabarits.TemplateResponse(request, "textes/texte.html", {"vue": vue})
