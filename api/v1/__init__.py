"""L'API JSON sous `/api/v1` (contract.md) : un routeur par ressource, assemblés par `routeur_api()`.

Chaque corps d'erreur a la forme `{"erreurs": [{"champ", "message"}]}` (voir `api.web.erreurs`).
"""
from fastapi import APIRouter

from api.v1 import communes, evaluations, regles

PREFIXE = "/api/v1"


def routeur_api() -> APIRouter:
    routeur = APIRouter(prefix=PREFIXE)
    for module in (evaluations, regles, communes):
        routeur.include_router(module.routeur)
    return routeur
