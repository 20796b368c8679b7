"""`/mon-compte/mot-de-passe` : changer son mot de passe (l'actuel, puis le nouveau deux fois). Les autres
sessions du compte sont fermées ; celle-ci reste ouverte."""
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from api.web.acces import ConnecteDep, exiger
from api.web.dependances import GabaritsDep, HacheurDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.sessions import adresse, session_de
from instruction.comptes import services

routeur = APIRouter(prefix="/mon-compte", include_in_schema=False,
                    dependencies=[Depends(exiger("gerer_son_compte"))])
Champ = Annotated[str, Form()]


@routeur.get("/mot-de-passe")
def page_mot_de_passe(request: Request, uow: UniteDeTravailDep, gabarits: GabaritsDep, change: Optional[str] = None):
    return formulaire(request, uow, gabarits, "mot_de_passe.html", {"change": change is not None})


@routeur.post("/mot-de-passe")
def changer(request: Request, agent: ConnecteDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
            hacheur: HacheurDep, horloge: HorlogeDep, mot_de_passe_actuel: Champ = "",
            nouveau_mot_de_passe: Champ = "", confirmation: Champ = ""):
    erreurs = services.changer_mot_de_passe(uow, agent, mot_de_passe_actuel, nouveau_mot_de_passe, confirmation,
                                            session_de(request).session.empreinte, adresse(request), horloge, hacheur)
    if erreurs:
        return formulaire(request, uow, gabarits, "mot_de_passe.html", {"change": False}, erreurs)
    return RedirectResponse("/mon-compte/mot-de-passe?change=1", status_code=303)
