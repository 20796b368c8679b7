"""`/instruction/travaux` : les travaux par lots lancés depuis la liste des dossiers, et la page de chacun.

La page d'un travail en cours montre une barre de progression (`<progress>`, avec son libellé) ; htmx la
rafraîchit chaque seconde par `/instruction/travaux/N/avancement` (le même fragment, sans le reste de la page),
et sans JavaScript un lien « Actualiser » recharge la page. Quand le travail est fini, le fragment montre les
réussites et les échecs, chaque échec avec sa raison, et ne demande plus de rafraîchissement.
"""
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.web.acces import exiger
from api.web.dependances import GabaritsDep, HorlogeDep, UniteDeTravailDep
from instruction import travaux
from instruction.acces import Agent

routeur = APIRouter(prefix="/travaux")
TravauxDep = Annotated[Agent, Depends(exiger("travaux"))]
ETATS = {travaux.EN_COURS: ("En cours", "govuk-tag--blue"), travaux.TERMINE: ("Terminé", "govuk-tag--green"),
         travaux.INTERROMPU: ("Interrompu", "govuk-tag--red")}


def vue(travail: travaux.Travail) -> dict[str, Any]:
    libelle, classe = ETATS.get(travail.etat, (travail.etat, "govuk-tag--grey"))
    return {"numero": travail.id, "libelle": travail.libelle, "auteur": travail.auteur, "cree_le": travail.cree_le,
            "fini_le": travail.fini_le, "etat": travail.etat, "etat_libelle": libelle, "etat_classe": classe,
            "en_cours": travail.en_cours, "total": travail.total, "faits": travail.faits, "echecs": travail.echecs,
            "reussis": travail.reussis, "pourcentage": travail.pourcentage,
            "reussites": travail.elements_dans(travaux.REUSSI), "echoues": travail.elements_dans(travaux.ECHOUE),
            "en_attente": travail.elements_dans(travaux.EN_ATTENTE),
            "retour": travail.parametres.get("retour") or "/instruction/dossiers",
            "adresse": f"/instruction/travaux/{travail.id}"}


@routeur.get("", response_class=HTMLResponse)
def liste(request: Request, agent: TravauxDep, uow: UniteDeTravailDep, gabarits: GabaritsDep, horloge: HorlogeDep):
    return gabarits.TemplateResponse(request, "instruction/travaux_liste.html", {
        "travaux": [vue(t) for t in travaux.lister(uow, agent, 30, horloge)]})


@routeur.get("/{numero}", response_class=HTMLResponse)
def page(request: Request, numero: int, agent: TravauxDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
         horloge: HorlogeDep):
    return gabarits.TemplateResponse(request, "instruction/travail.html",
                                     {"travail": vue(travaux.consulter(uow, agent, numero, horloge))})


@routeur.get("/{numero}/avancement", response_class=HTMLResponse)
def avancement(request: Request, numero: int, agent: TravauxDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
               horloge: HorlogeDep):
    return gabarits.TemplateResponse(request, "instruction/travaux_etat.html",
                                     {"travail": vue(travaux.consulter(uow, agent, numero, horloge))})
