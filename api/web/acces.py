"""Qui fait la demande, et peut-il : le seul endroit du web où l'accès est décidé, par `instruction.acces`.

- `agent_courant` : l'`Agent` de la session (pages) ou du jeton `Authorization: Bearer …` (sous `/api/v1`, où
  le cookie de session n'authentifie jamais) ; None sans l'un ni l'autre.
- `exiger(action)` : la dépendance d'une route ou d'une rubrique. Sans connexion, une page renvoie vers
  `/connexion?suivant=…` et l'API répond 401 ; une action que le rôle n'a pas répond 403 (une rubrique
  entière) ; une cible invisible, 404.
- `verifier_csrf` : pour toute méthode qui écrit, le jeton anti-CSRF de la session, lu dans le champ
  `csrf_token` du formulaire ou dans l'en-tête `X-CSRF-Token` (htmx) ; sinon 403.
"""
import hmac
from functools import lru_cache
from typing import Annotated, Callable, Optional
from urllib.parse import quote, urlsplit

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from api.web.dependances import horloge_de
from api.web.sessions import session_de
from instruction import acces
from instruction.acces import AUTORISE, INVISIBLE, Agent
from instruction.comptes.services_jetons import agent_du_jeton

PREFIXE_API = "/api/v1"
METHODES_SURES = {"GET", "HEAD", "OPTIONS", "TRACE"}
# The page a role lands on after signing in: the first section its role may enter, in this order.
ACCUEILS = (("administrer", "/admin"), ("espace_instruction", "/instruction/dossiers"),
            ("lister_comites", "/comites"), ("espace_porteur", "/mes-dossiers"))


class ConnexionRequise(Exception):
    """Une page demandée sans session : `erreurs.py` répond par un renvoi vers la connexion."""

    def __init__(self, suivant: str):
        self.suivant = suivant
        super().__init__(suivant)


def adresse_de_connexion(suivant: str) -> str:
    return f"/connexion?suivant={quote(suivant, safe='/')}"


def suivant_sur(valeur: Optional[str]) -> Optional[str]:
    """L'adresse où revenir après la connexion, si elle est relative à ce site ; None sinon (jamais ailleurs)."""
    if not valeur or not valeur.startswith("/") or valeur.startswith("//") or "\\" in valeur:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in valeur):
        return None
    morceaux = urlsplit(valeur)
    return valeur if not morceaux.scheme and not morceaux.netloc else None


def accueil_de(agent: Agent) -> str:
    return next((adresse for action, adresse in ACCUEILS if acces.decider(agent, action) == AUTORISE), "/")


def _jeton_porte(request: Request) -> Optional[str]:
    schema, _, valeur = request.headers.get("authorization", "").partition(" ")
    return valeur.strip() if schema.lower() == "bearer" and valeur.strip() else None


async def agent_courant(request: Request) -> Optional[Agent]:
    """L'agent de la demande, relu une fois par demande."""
    etat = request.scope.setdefault("state", {})
    if "agent" not in etat:
        if request.url.path.startswith(PREFIXE_API):
            jeton, contexte = _jeton_porte(request), request.app.state.contexte
            etat["agent"] = jeton and await run_in_threadpool(
                agent_du_jeton, contexte.unite_de_travail(), jeton, horloge_de(contexte))
        else:
            courante = session_de(request)
            etat["agent"] = courante.compte.agent() if courante and courante.compte else None
    return etat["agent"] or None


AgentOptionnelDep = Annotated[Optional[Agent], Depends(agent_courant)]


def _sans_agent(request: Request) -> Exception:
    if request.url.path.startswith(PREFIXE_API):
        message = ("jeton d’API inconnu ou révoqué" if _jeton_porte(request)
                   else "authentification requise : envoyez l’en-tête « Authorization: Bearer JETON »")
        return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})
    chemin = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return ConnexionRequise(chemin)


@lru_cache(maxsize=None)
def exiger(action: str) -> Callable:
    """La dépendance qui rend l'agent autorisé à `action` (une même fonction par action : FastAPI ne la calcule
    qu'une fois par demande, qu'elle soit déclarée sur la rubrique ou sur la route)."""
    async def dependance(request: Request, agent: AgentOptionnelDep) -> Agent:
        if agent is None:
            raise _sans_agent(request)
        decision = acces.decider(agent, action)
        if decision == INVISIBLE:
            raise HTTPException(404)
        if decision != AUTORISE:
            raise HTTPException(403)
        return agent
    dependance.__name__ = f"exiger_{action}"
    return dependance


ConnecteDep = Annotated[Agent, Depends(exiger("gerer_son_compte"))]
AdminDep = Annotated[Agent, Depends(exiger("administrer"))]

REFUS_CSRF = ("Le jeton de sécurité du formulaire est absent ou périmé. Rechargez la page, puis envoyez "
              "le formulaire à nouveau.")


async def verifier_csrf(request: Request) -> None:
    """Refuse (403) toute écriture sans le jeton anti-CSRF de la session."""
    if request.method in METHODES_SURES:
        return
    courante = session_de(request)
    jeton = request.headers.get("x-csrf-token")
    if jeton is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        jeton = (await request.form()).get("csrf_token")  # cached by Starlette: the route reads the same form
    if courante is None or not isinstance(jeton, str) or not hmac.compare_digest(
            jeton.encode(), courante.session.csrf.encode()):
        raise HTTPException(403, REFUS_CSRF)
