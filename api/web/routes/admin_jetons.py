"""`/admin/jetons/…` : créer un jeton d'API (son secret est montré une seule fois, sur la page qui suit le
formulaire, jamais gardée en cache) et en révoquer un. Réservé à l'administrateur, comme toute la rubrique."""
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.web.acces import AdminDep, exiger
from api.web.dependances import GabaritsDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.sessions import adresse
from instruction.comptes import services_jetons

routeur = APIRouter(prefix="/admin/jetons", include_in_schema=False, dependencies=[Depends(exiger("administrer"))])
Champ = Annotated[str, Form()]


@routeur.get("/nouveau", response_class=HTMLResponse)
def page_nouveau_jeton(request: Request, uow: UniteDeTravailDep, gabarits: GabaritsDep):
    return formulaire(request, uow, gabarits, "admin/jeton_nouveau.html", {"valeurs": {"role": "instructeur"}})


@routeur.post("/nouveau", response_class=HTMLResponse)
def creer_jeton(request: Request, agent: AdminDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                horloge: HorlogeDep, nom: Champ = "", role: Champ = "", compte: Champ = ""):
    erreurs, jeton, secret = services_jetons.creer_jeton(uow, agent, role, nom, compte or None, adresse(request),
                                                         horloge)
    if erreurs:
        return formulaire(request, uow, gabarits, "admin/jeton_nouveau.html",
                          {"valeurs": {"nom": nom.strip(), "role": role, "compte": compte.strip()}}, erreurs)
    return gabarits.TemplateResponse(request, "admin/jeton_cree.html", {"jeton": jeton, "secret": secret},
                                     headers={"Cache-Control": "no-store"})


@routeur.post("/revoquer")
def revoquer(request: Request, agent: AdminDep, uow: UniteDeTravailDep, horloge: HorlogeDep, prefixe: Champ = ""):
    services_jetons.revoquer_jeton(uow, agent, prefixe, adresse(request), horloge)  # unknown: 404, twice: 409
    return RedirectResponse("/admin?fait=revocation", status_code=303)
