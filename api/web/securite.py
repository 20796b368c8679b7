"""Les en-têtes de sécurité de chaque réponse : aucune ressource d'ailleurs, aucun script ni style en ligne,
aucune page dans le cadre d'un autre site.

Un middleware ASGI pur (pas BaseHTTPMiddleware) : il ne fait qu'ajouter des en-têtes au début de la réponse,
sans la mettre en mémoire ni gêner une réponse en flux.
"""
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLITIQUE_DE_CONTENU = "; ".join((
    "default-src 'self'",
    "script-src 'self'",  # no 'unsafe-inline', no 'unsafe-eval': scripts are files of ours
    "style-src 'self'",  # no inline <style> nor style="" attribute
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

ENTETES: dict[str, str] = {
    "Content-Security-Policy": POLITIQUE_DE_CONTENU,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class EntetesDeSecurite:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def envoyer(message: Message) -> None:
            if message["type"] == "http.response.start":
                presents = {nom.lower() for nom, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (nom.lower().encode("latin-1"), valeur.encode("latin-1"))
                    for nom, valeur in ENTETES.items() if nom.lower().encode("latin-1") not in presents]
            await send(message)

        await self.app(scope, receive, envoyer)
