"""Les erreurs en français : une page avec la mise en page du site, ou, sous `/api/v1`, le corps du contrat
`{"erreurs": [{"champ": …, "message": …}]}`.

Les erreurs du domaine (`instruction.erreurs`) sont traduites ici, en un seul endroit, selon leur genre : refus
409, saisie 422, introuvable 404, interdit 403, indisponible 503. Une page qui demande une connexion renvoie
vers `/connexion?suivant=…` (303) ; sous `/api/v1`, c'est 401 (`api.web.acces`).
"""
import logging
from http import HTTPStatus
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from api.web.acces import ConnexionRequise, adresse_de_connexion
from api.web.securite import ENTETES
from instruction.erreurs import ErreurInstruction

PREFIXE_API = "/api/v1"
journal = logging.getLogger("guichet.web")

# title, then the paragraphs of the page; the title alone is the message of a JSON error.
TEXTES: dict[int, tuple[str, ...]] = {
    400: ("Demande invalide", "La demande envoyée n’a pas pu être comprise."),
    401: ("Connexion requise", "Connectez-vous pour accéder à cette page."),
    403: ("Accès refusé", "Vous n’avez pas accès à cette page.",
          "Si vous pensez que c’est une erreur, contactez les services de la Région."),
    404: ("Page introuvable", "Si vous avez saisi l’adresse, vérifiez qu’elle est correcte.",
          "Si vous avez collé l’adresse, vérifiez que vous l’avez copiée en entier."),
    405: ("Méthode non permise", "Cette adresse n’accepte pas ce type de demande."),
    422: ("Données invalides", "Certaines valeurs envoyées ne sont pas valides."),
    500: ("Une erreur est survenue", "Le guichet n’a pas pu répondre à cause d’une erreur de son côté.",
          "Réessayez dans quelques minutes. Ce que vous avez déjà enregistré n’est pas perdu."),
    503: ("Service indisponible", "Le guichet est momentanément indisponible. Réessayez dans quelques minutes."),
}


# Under /api/v1 a "page" is not the word: what differs from the pages' titles.
TEXTES_API: dict[int, str] = {404: "adresse inconnue de l’API", 405: "méthode non permise à cette adresse de l’API"}


def _textes(code: int) -> tuple[str, ...]:
    return TEXTES.get(code) or (("Erreur", f"La demande n’a pas abouti (code {code}).") if code < 500 else TEXTES[500])


def _message(code: int, detail: Any) -> Optional[str]:
    """Le détail donné par la route s'il est à nous (en français) ; None pour la phrase anglaise par défaut."""
    defaut = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else None
    return detail if isinstance(detail, str) and detail and detail != defaut else None


def reponse_erreur(request: Request, code: int, message: Optional[str] = None,
                   erreurs: Optional[list[dict]] = None, entetes: Optional[dict] = None) -> Response:
    if request.url.path.startswith(PREFIXE_API):
        message = message or TEXTES_API.get(code) or _textes(code)[0]
        corps = {"erreurs": erreurs or [{"champ": None, "message": message}]}
        return JSONResponse(corps, status_code=code, headers=entetes)
    titre, *paragraphes = _textes(code)
    if message:
        paragraphes = [message]
    gabarits = request.app.state.gabarits
    return gabarits.TemplateResponse(request, "erreur.html", {"titre": titre, "paragraphes": paragraphes},
                                     status_code=code, headers=entetes)


async def _http(request: Request, exc: HTTPException) -> Response:
    return reponse_erreur(request, exc.status_code, _message(exc.status_code, exc.detail), entetes=exc.headers)


def _champ(loc: tuple) -> Optional[str]:
    # ("body", "porteur", "type") -> "porteur.type": the contract names fields as dotted paths.
    chemin = [str(p) for p in loc[1:]] if loc and loc[0] in ("body", "query", "path") else [str(p) for p in loc]
    return ".".join(chemin) or None


async def _validation(request: Request, exc: RequestValidationError) -> Response:
    erreurs = [{"champ": _champ(tuple(e.get("loc", ()))),
                "message": "valeur manquante" if e.get("type") == "missing" else "valeur invalide"}
               for e in exc.errors()]
    return reponse_erreur(request, 422, erreurs=erreurs)


async def _interne(request: Request, exc: Exception) -> Response:
    journal.exception("erreur interne sur %s %s", request.method, request.url.path, exc_info=exc)
    # Starlette answers a crash outside every middleware: the security headers have to be added here.
    try:
        return reponse_erreur(request, 500, entetes=dict(ENTETES))
    except Exception:  # noqa: BLE001 - the error page itself failed: a plain sentence still beats a blank answer
        return PlainTextResponse(" ".join(TEXTES[500]), status_code=500, headers=dict(ENTETES))


CODES_HTTP = {"refus": 409, "saisie": 422, "introuvable": 404, "interdit": 403, "indisponible": 503}


async def _domaine(request: Request, exc: ErreurInstruction) -> Response:
    code = CODES_HTTP.get(exc.genre, 409)
    if code == 503:
        journal.warning("%s %s : %s", request.method, request.url.path, exc)
    return reponse_erreur(request, code, exc.message, erreurs=[{"champ": exc.champ, "message": exc.message}])


async def _connexion_requise(request: Request, exc: ConnexionRequise) -> Response:
    return RedirectResponse(adresse_de_connexion(exc.suivant), status_code=303)


def installer(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(ErreurInstruction, _domaine)
    app.add_exception_handler(ConnexionRequise, _connexion_requise)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(Exception, _interne)
