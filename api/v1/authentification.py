"""Qui appelle l'API : l'agent du jeton `Authorization: Bearer JETON`, et lui seul.

Le jeton est reconnu par `api.web.acces.agent_courant` (sous `/api/v1`, il ne lit jamais le cookie de session),
au moyen du cas d'usage `agent_du_jeton` ; l'agent a le rôle du jeton, ou celui du compte au nom duquel il agit.
Sans jeton, ou avec un jeton inconnu ou révoqué : 401 au format du contrat. Ce que l'agent peut faire ensuite,
chaque cas d'usage le demande à la politique d'accès (`instruction.acces`) : 403 pour une action que le rôle n'a
pas, 404 pour un dossier qu'il ne doit pas voir.

`SCHEMA_BEARER` déclare le schéma dans le document OpenAPI (`components.securitySchemes.jeton`).
"""
from typing import Annotated, Optional

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from api.v1.erreurs import ErreurApi, une_erreur
from api.web.acces import AgentOptionnelDep
from instruction.acces import Agent

SCHEMA_BEARER = HTTPBearer(
    auto_error=False, scheme_name="jeton", bearerFormat="gch_…",
    description="Un jeton d'API créé par un administrateur (page /admin ou `guichet jeton creer --role R`), "
                "montré une seule fois ; il agit avec son rôle, ou au nom du compte auquel il est rattaché.")
SANS_JETON = "authentification requise : envoyez l’en-tête « Authorization: Bearer JETON »"
JETON_REFUSE = "jeton d’API inconnu ou révoqué"


def _porte_un_jeton(request: Request) -> bool:
    schema, _, valeur = request.headers.get("authorization", "").partition(" ")
    return schema.lower() == "bearer" and bool(valeur.strip())


async def agent_api(request: Request, agent: AgentOptionnelDep,
                    _schema: Annotated[Optional[object], Depends(SCHEMA_BEARER)] = None) -> Agent:
    if agent is None:
        message = JETON_REFUSE if _porte_un_jeton(request) else SANS_JETON
        raise ErreurApi(401, [une_erreur(None, message)], {"WWW-Authenticate": "Bearer"})
    return agent


AgentApiDep = Annotated[Agent, Depends(agent_api)]
