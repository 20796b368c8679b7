"""`/connexion` et `/deconnexion` : ouvrir une session (adresse et mot de passe), la fermer.

Le refus ne dit jamais si le compte existe : « Identifiant ou mot de passe incorrect », ou, après trop d'échecs
sur le compte ou depuis l'adresse, l'heure à partir de laquelle réessayer (429). Réussie, la connexion renvoie
(303) vers `suivant` s'il désigne une page de ce site, sinon vers l'accueil du rôle.
"""
from datetime import datetime
from typing import Annotated, Optional

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from api.web.acces import AgentOptionnelDep, accueil_de, suivant_sur
from api.web.dependances import GabaritsDep, HacheurDep, HorlogeDep, LimitesDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.gabarits import heure_fr
from api.web.sessions import COOKIE, adresse, effacer_cookie, poser_cookie, session_de
from forms.validation import ErreurChamp
from instruction.comptes import connexion
from instruction.comptes.connexion import SessionCourante

routeur = APIRouter(include_in_schema=False)
Champ = Annotated[str, Form()]
INCORRECT = "Identifiant ou mot de passe incorrect"
NON_CONFIRME = "Votre adresse n’est pas encore confirmée : suivez le lien que nous vous avons envoyé par courriel"


def _bloque(jusqu_a: datetime, maintenant: datetime) -> ErreurChamp:
    minutes = max(1, round((jusqu_a - maintenant).total_seconds() / 60))
    return ErreurChamp("email", f"Trop de tentatives de connexion. Réessayez à partir de {heure_fr(jusqu_a)} "
                                f"(dans {minutes} minute{'s' if minutes > 1 else ''})")


@routeur.get("/connexion")
def page_connexion(request: Request, uow: UniteDeTravailDep, gabarits: GabaritsDep, agent: AgentOptionnelDep,
                   suivant: Optional[str] = None, deconnexion: Optional[str] = None):
    if agent is not None:  # already signed in: straight where they were going
        return RedirectResponse(suivant_sur(suivant) or accueil_de(agent), status_code=303)
    return formulaire(request, uow, gabarits, "connexion.html",
                      {"email": "", "suivant": suivant_sur(suivant) or "", "deconnecte": deconnexion is not None})


@routeur.post("/connexion")
def connecter(request: Request, uow: UniteDeTravailDep, gabarits: GabaritsDep, hacheur: HacheurDep,
              horloge: HorlogeDep, limites: LimitesDep, email: Champ = "", mot_de_passe: Champ = "",
              suivant: Champ = ""):
    valeurs = {"email": email.strip(), "suivant": suivant_sur(suivant) or ""}
    manquants = ([ErreurChamp("email", "Saisissez votre adresse électronique")] if not email.strip() else []) + (
        [ErreurChamp("mot_de_passe", "Saisissez votre mot de passe")] if not mot_de_passe else [])
    if manquants:
        return formulaire(request, uow, gabarits, "connexion.html", valeurs, manquants)
    courante = session_de(request)
    resultat = connexion.connecter(uow, email, mot_de_passe, adresse(request),
                                   anonyme=courante.session.empreinte if courante else None,
                                   horloge=horloge, hacheur=hacheur, limites=limites)
    if resultat.refus == "bloque":
        attente = max(1, int((resultat.reessayer_a - horloge()).total_seconds()))
        return formulaire(request, uow, gabarits, "connexion.html", valeurs,
                          [_bloque(resultat.reessayer_a, horloge())], code=429, entetes={"Retry-After": str(attente)})
    if resultat.refus == "non_confirme":
        return formulaire(request, uow, gabarits, "connexion.html", valeurs, [ErreurChamp("email", NON_CONFIRME)])
    if resultat.refus:
        return formulaire(request, uow, gabarits, "connexion.html", valeurs,
                          [ErreurChamp("mot_de_passe", INCORRECT)])
    poser_cookie(request, resultat.secret, SessionCourante(resultat.session, resultat.compte))
    return RedirectResponse(suivant_sur(suivant) or accueil_de(resultat.compte.agent()), status_code=303)


@routeur.post("/deconnexion")
def deconnecter(request: Request, uow: UniteDeTravailDep, horloge: HorlogeDep):
    courante = session_de(request)
    if courante is not None:
        connexion.deconnecter(uow, request.cookies.get(COOKIE, ""), adresse(request), horloge)
    effacer_cookie(request)
    return RedirectResponse("/connexion?deconnexion=1", status_code=303)
