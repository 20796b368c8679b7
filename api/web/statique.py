"""Les fichiers de `api/web/static/` sous `/static`, avec un cache long pour les adresses versionnées.

Les gabarits écrivent chaque adresse avec l'empreinte du contenu (`?v=…`, voir `gabarits.statique`) : le
navigateur peut alors garder le fichier un an sans le redemander, une nouvelle version ayant une autre adresse.
Sans empreinte, il revalide à chaque fois (ETag et Last-Modified de Starlette).
"""
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

CACHE_LONG = "public, max-age=31536000, immutable"
CACHE_REVALIDE = "no-cache"


class FichiersStatiques(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        reponse = await super().get_response(path, scope)
        if reponse.status_code in (200, 304):
            versionnee = "v" in parse_qs(scope.get("query_string", b"").decode("latin-1"))
            reponse.headers["Cache-Control"] = CACHE_LONG if versionnee else CACHE_REVALIDE
        return reponse
