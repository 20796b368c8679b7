"""`/regles` : le site public des règles, sans connexion, tiré des fichiers de règles que le serveur a chargés.

- `/regles?q=…` : chaque financeur et ses règles ; la recherche (un formulaire GET, sans JavaScript) garde les
  règles dont l'identifiant, le titre, le message ou le passage cité contient chaque mot ;
- `/regles/financeurs/{financeur}` : les règles d'un financeur, par ce qu'elles concluent ;
- `/regles/{id}` : une règle — ses conditions en français, sa fenêtre, l'interprétation et son motif, ses
  exemples, le passage dans son texte (et le lien qui l'ouvre surligné). Un identifiant inconnu : 404.
"""
from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse

from api.web.dependances import GabaritsDep, GuichetDep, TerritoireDep
from api.web.routes.textes import TextesDep
from instruction.evaluation import site_regles

routeur = APIRouter(include_in_schema=False)


@routeur.get("/regles", response_class=HTMLResponse)
def liste(request: Request, guichet: GuichetDep, gabarits: GabaritsDep, q: str = ""):
    return gabarits.TemplateResponse(request, "regles/liste.html", {"vue": site_regles.sommaire(guichet.base, q)})


@routeur.get("/regles/financeurs/{financeur}", response_class=HTMLResponse)
def financeur(request: Request, financeur: str, guichet: GuichetDep, gabarits: GabaritsDep):
    vue = site_regles.page_financeur(guichet.base, financeur)  # unknown: FinanceurIntrouvable (404)
    return gabarits.TemplateResponse(request, "regles/financeur.html", {"vue": vue})


@routeur.get("/regles/{rid}", response_class=HTMLResponse)
def regle(request: Request, rid: str, guichet: GuichetDep, territoire: TerritoireDep, textes: TextesDep,
          gabarits: GabaritsDep, apres: BackgroundTasks):
    vue = site_regles.page_regle(guichet.base, rid, territoire, textes)  # unknown: RegleIntrouvable (404)
    # The page's main link opens the rule's text: have it cut by the time the reader follows it.
    apres.add_task(site_regles.prechauffer, guichet.base, [vue["source"]["document"]], textes)
    return gabarits.TemplateResponse(request, "regles/regle.html", {"vue": vue})
