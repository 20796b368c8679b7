"""Les routes des pages, un module par rubrique ; `app.py` les assemble.

`routeur_pages()` réunit les rubriques qui ont des formulaires, sous la vérification anti-CSRF
(`api.web.acces.verifier_csrf`) : toute méthode qui écrit, sur toute page, passe par elle.
"""
from fastapi import APIRouter, Depends

from api.web.acces import verifier_csrf


def routeur_pages() -> APIRouter:
    from api.web.routes import (
        admin,
        admin_jetons,
        comites,
        connexion,
        inscription,
        instruction,
        mes_dossiers,
        mon_compte,
    )

    routeur = APIRouter(include_in_schema=False, dependencies=[Depends(verifier_csrf)])
    for module in (connexion, inscription, mon_compte, mes_dossiers, instruction, comites, admin, admin_jetons):
        routeur.include_router(module.routeur)
    return routeur
