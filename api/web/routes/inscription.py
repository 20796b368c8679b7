"""`/inscription` : un porteur de projet crée son compte ; il le confirme par le lien reçu à son adresse
(`/inscription/confirmer?jeton=…`) avant de pouvoir se connecter.

La réponse est la même que l'adresse ait déjà un compte ou non : la page ne dit pas qui est inscrit.
"""
from typing import Annotated, Optional

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.web import courriel
from api.web.dependances import GabaritsDep, HacheurDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.sessions import adresse
from instruction.comptes import services

routeur = APIRouter(include_in_schema=False)
Champ = Annotated[str, Form()]


@routeur.get("/inscription")
def page_inscription(request: Request, uow: UniteDeTravailDep, gabarits: GabaritsDep):
    return formulaire(request, uow, gabarits, "inscription.html", {"valeurs": {}})


@routeur.post("/inscription")
def inscrire(request: Request, uow: UniteDeTravailDep, gabarits: GabaritsDep, hacheur: HacheurDep,
             horloge: HorlogeDep, email: Champ = "", nom: Champ = "", mot_de_passe: Champ = "",
             confirmation: Champ = ""):
    inscription = services.inscrire(uow, email, mot_de_passe, confirmation, nom, adresse(request), horloge, hacheur)
    if inscription.erreurs:
        return formulaire(request, uow, gabarits, "inscription.html",
                          {"valeurs": {"email": email.strip(), "nom": nom.strip()}}, inscription.erreurs)
    if inscription.secret:
        courriel.envoyer_confirmation(email.strip().lower(),
                                      courriel.lien_de_confirmation(str(request.base_url), inscription.secret))
    return RedirectResponse("/inscription/envoyee", status_code=303)


@routeur.get("/inscription/envoyee", response_class=HTMLResponse)
def inscription_envoyee(request: Request, gabarits: GabaritsDep):
    return gabarits.TemplateResponse(request, "inscription_envoyee.html", {})


@routeur.get("/inscription/confirmer", response_class=HTMLResponse)
def confirmer(request: Request, uow: UniteDeTravailDep, gabarits: GabaritsDep, horloge: HorlogeDep,
              jeton: Optional[str] = None):
    compte = services.confirmer_adresse(uow, jeton or "", adresse(request), horloge)
    return gabarits.TemplateResponse(request, "inscription_confirmee.html", {"compte": compte},
                                     status_code=200 if compte else 404)
