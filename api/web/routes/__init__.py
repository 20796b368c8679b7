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
    # The holder's journey: the steps, the pieces (and their download), checking, filing and following up.
    from api.web.routes import porteur_etapes, porteur_pieces, porteur_suivi
    for module in (porteur_etapes, porteur_pieces, porteur_suivi):
        routeur.include_router(module.routeur)
    # Last: its /instruction/dossiers/{reference} would otherwise catch the fixed addresses of the list's section.
    from api.web.routes import instruction_dossier
    routeur.include_router(instruction_dossier.routeur)
    # The public rules site, its source texts and the grants' open data (GET only, no login: the CSRF check lets
    # reads through), and the admin page of `rules impact`.
    from api.web.routes import admin_impact, opendata, regles, textes
    for module in (regles, textes, opendata, admin_impact):
        routeur.include_router(module.routeur)
    return routeur
