"""`/comites/{code}/enveloppes` : les enveloppes budgétaires de la réunion par financeur et dispositif, les montants
proposés et décidés contre chacune (avertissement quand l'une est dépassée), l'ajout et le retrait d'une enveloppe."""
from typing import Annotated, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.web.acces import exiger
from api.web.dependances import GabaritsDep, HorlogeDep, TerritoireDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.routes.comite_commun import FAITS, erreur_de, verifier_gestion
from instruction.acces import Agent
from instruction.comite import salle, services_enveloppes
from instruction.comite.enveloppes import lire_montant
from instruction.erreurs import SaisieRefusee

routeur = APIRouter(include_in_schema=False)
AgentDep = Annotated[Agent, Depends(exiger("lister_comites"))]
Champ = Annotated[str, Form()]


def chemin(code: str) -> str:
    return f"/comites/{quote(code, safe='')}"


def _page(request, uow, gabarits, territoire, horloge, code, agent, erreurs=(), valeurs=None, fait=None):
    vue = salle.consulter(uow, territoire, code, agent, horloge())
    return formulaire(request, uow, gabarits, "comites/enveloppes.html", {
        "s": vue, "chemin": chemin(code), "valeurs": valeurs or {}, "fait": FAITS.get(fait or ""),
        "page": "enveloppes"}, erreurs)


@routeur.get("/comites/{code}/enveloppes", response_class=HTMLResponse)
def enveloppes(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
               territoire: TerritoireDep, horloge: HorlogeDep, fait: Optional[str] = None):
    return _page(request, uow, gabarits, territoire, horloge, code, agent, fait=fait)


@routeur.post("/comites/{code}/enveloppes")
def ajouter(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
            territoire: TerritoireDep, horloge: HorlogeDep, financeur: Champ = "", dispositif: Champ = "",
            montant: Champ = "", source: Champ = ""):
    verifier_gestion(uow, code, agent)
    try:
        services_enveloppes.ajouter(uow, code, agent, financeur, dispositif, lire_montant(montant), source)
    except SaisieRefusee as exc:
        valeurs = {"financeur": financeur, "dispositif": dispositif, "montant": montant, "source": source}
        return _page(request, uow, gabarits, territoire, horloge, code, agent, [erreur_de(exc)], valeurs)
    return RedirectResponse(f"{chemin(code)}/enveloppes?fait=enveloppe", status_code=303)


@routeur.post("/comites/{code}/enveloppes/retirer")
def retirer(code: str, agent: AgentDep, uow: UniteDeTravailDep, financeur: Champ = "", dispositif: Champ = ""):
    services_enveloppes.retirer(uow, code, agent, financeur, dispositif)
    return RedirectResponse(f"{chemin(code)}/enveloppes?fait=enveloppe_retiree", status_code=303)
