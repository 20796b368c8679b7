"""La session du site : son cookie, relu à chaque page, et la session qu'il désigne, en base.

Le cookie `guichet_session` ne porte qu'un secret aléatoire ; la base garde son empreinte, le compte et le jeton
anti-CSRF (`instruction.comptes.sessions`). Rien n'est en mémoire d'un processus : plusieurs serveurs derrière
un répartiteur, sur la même base, reconnaissent les mêmes sessions. Le cookie est `HttpOnly`, `SameSite=Lax`,
et `Secure` sauf sur cette machine (localhost, 127.0.0.1, ::1), où l'on sert en HTTP simple.

Le middleware `Sessions` lit la session avant la route (sauf sous `/api/v1`, où seul un jeton authentifie, et
pour `/static` et `/sante`) et pose ou efface le cookie à la réponse, selon ce que la route a demandé
(`poser_cookie`, `effacer_cookie`). Une page vue avec une session n'est jamais gardée en cache (`no-store`).
"""
import logging
from typing import Optional

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.dependances import horloge_de
from instruction.comptes import connexion
from instruction.comptes.connexion import SessionCourante
from instruction.comptes.sessions import Session
from instruction.erreurs import Indisponible
from instruction.ports import UniteDeTravailComptes

COOKIE = "guichet_session"
HOTES_LOCAUX = {"localhost", "127.0.0.1", "::1", "[::1]"}
SANS_SESSION = ("/api/", "/static/", "/sante")
journal = logging.getLogger("guichet.web")


def adresse(request: Request) -> Optional[str]:
    """L'adresse réseau du client (celle que le répartiteur transmet, si uvicorn lui fait confiance)."""
    return request.client.host if request.client else None


def _etat(request: Request) -> dict:
    # request.state reads and writes this very dict: what the middleware put there, the routes see.
    return request.scope.setdefault("state", {})


def session_de(request: Request) -> Optional[SessionCourante]:
    return _etat(request).get("session")


def poser_cookie(request: Request, secret: str, courante: SessionCourante) -> None:
    _etat(request).update(session=courante, cookie=secret)


def effacer_cookie(request: Request) -> None:
    _etat(request).update(session=None, cookie="")


def session_pour_formulaire(request: Request, uow: UniteDeTravailComptes) -> Session:
    """La session qui porte le jeton anti-CSRF d'un formulaire ; une session anonyme est ouverte au besoin."""
    courante = session_de(request)
    if courante is not None:
        return courante.session
    secret, session = connexion.ouvrir_session_anonyme(uow, adresse(request), horloge_de(request.app.state.contexte))
    poser_cookie(request, secret, SessionCourante(session))
    return session


def _entete_cookie(request: Request, secret: str) -> str:
    attributs = ["Path=/", "HttpOnly", "SameSite=Lax"]
    if (request.url.hostname or "") not in HOTES_LOCAUX:
        attributs.append("Secure")
    if not secret:  # clearing: an empty value that expired long ago
        attributs.append("Max-Age=0")
    return "; ".join([f"{COOKIE}={secret}", *attributs])


def _lire(contexte, secret: str) -> Optional[SessionCourante]:
    return connexion.session_courante(contexte.unite_de_travail(), secret, horloge_de(contexte))


class Sessions:
    """Middleware ASGI pur : relit la session du cookie, puis pose ou efface le cookie à la réponse."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(SANS_SESSION):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        etat = _etat(request)
        etat["session"] = None
        secret = request.cookies.get(COOKIE)
        if secret:
            try:
                etat["session"] = await run_in_threadpool(_lire, scope["app"].state.contexte, secret)
            except Indisponible as exc:
                journal.warning("session illisible, base indisponible : %s", exc)
                from api.web.erreurs import reponse_erreur  # the error pages need the templates: imported late
                await reponse_erreur(request, 503)(scope, receive, send)
                return
            if etat["session"] is None:
                etat["cookie"] = ""  # unknown or expired: the browser may forget it

        async def envoyer(message: Message) -> None:
            if message["type"] == "http.response.start":
                entetes = MutableHeaders(scope=message)
                if "cookie" in etat:
                    entetes.append("set-cookie", _entete_cookie(request, etat["cookie"]))
                if etat.get("session") is not None or "cookie" in etat:
                    entetes["cache-control"] = "no-store"  # a page with a session's CSRF token or account
            await send(message)

        await self.app(scope, receive, envoyer)
