"""L'API JSON sous `/api/v1` (contract.md) : un routeur par ressource, assemblés par `routeur_api()`.

- sans authentification : `evaluations`, `regles`, `communes` ;
- avec un jeton (`Authorization: Bearer …`, `authentification.py`) : `dossiers`, `comites`, `documents`.

Chaque corps d'erreur a la forme `{"erreurs": [{"champ", "message"}]}` (`erreurs.py`) ; le document OpenAPI
(`/api/v1/openapi.json`) décrit chaque réponse, avec des exemples tirés de la démonstration (`documentation.py`,
`exemples.py`). `installer(app)` pose les gestionnaires d'erreurs de l'API et ce document.
"""
from fastapi import APIRouter, Depends, FastAPI

from api.v1 import comites, communes, documentation, documents, dossiers, erreurs, evaluations, exemples, regles
from api.v1.parametres import refuser_parametres_inconnus

PREFIXE = "/api/v1"


def routeur_api() -> APIRouter:
    routeur = APIRouter(prefix=PREFIXE, dependencies=[Depends(refuser_parametres_inconnus)])
    for module in (evaluations, regles, communes, dossiers, comites, documents):
        routeur.include_router(module.routeur)
    return routeur


def installer(app: FastAPI) -> None:
    """Après les gestionnaires d'erreurs des pages (`api.web.erreurs.installer`)."""
    erreurs.installer(app)
    documentation.installer(app, exemples.exemples)
