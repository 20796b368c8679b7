"""`creer_app(contexte)` : l'application FastAPI des pages et de l'API, sur les services du contexte.

Rien n'est lu de l'environnement ici : `guichet serve` passe le contexte réel, les tests le leur.
"""
from fastapi import FastAPI

from api.v1 import PREFIXE, routeur_api
from api.v1 import installer as installer_api
from api.web import erreurs, travaux
from api.web.dependances import Contexte
from api.web.gabarits import STATIQUE, gabarits
from api.web.routes import accueil, routeur_pages, sante
from api.web.routes.porteur_pieces import LimiteDesEnvois
from api.web.securite import EntetesDeSecurite
from api.web.sessions import Sessions
from api.web.statique import FichiersStatiques


def creer_app(contexte: Contexte) -> FastAPI:
    app = FastAPI(
        title="Guichet",
        summary="Pré-diagnostic des projets touristiques en Hauts-de-France, au regard des textes des financeurs.",
        version="1",
        # Only the JSON API is documented (contract: /api/v1/openapi.json); no /docs page, whose scripts come
        # from a CDN and run inline, both refused by our Content-Security-Policy.
        openapi_url=f"{PREFIXE}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.contexte = contexte
    # The batch jobs left running by a process that died are marked interrupted (api/web/travaux.py).
    app.router.on_startup.append(lambda: travaux.reprendre(contexte))
    app.state.gabarits = gabarits()
    app.add_middleware(Sessions)  # inside the security headers: its own answers (503) get them too
    app.add_middleware(LimiteDesEnvois)  # an upload over 10 MB is refused before its body is read
    app.add_middleware(EntetesDeSecurite)
    erreurs.installer(app)
    installer_api(app)  # under /api/v1: the API's own error bodies, and its OpenAPI document
    app.mount("/static", FichiersStatiques(directory=STATIQUE), name="static")
    app.include_router(accueil.routeur)
    app.include_router(sante.routeur)
    app.include_router(routeur_api())  # before the pages: an API request is matched without trying every page
    app.include_router(routeur_pages())
    return app
