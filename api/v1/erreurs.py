"""Les erreurs de l'API, toutes au format du contrat : `{"erreurs": [{"champ": …, "message": …}]}`, en français.

- `lire_json` lit le corps brut d'une demande : un JSON illisible répond 400, un corps trop gros 413. La
  validation se fait ensuite par `forms` (le dossier) ou par les modèles stricts de `api.v1.corps` : jamais
  par la conversion souple de FastAPI (`true` n'est pas un montant, `"12"` n'est pas un nombre).
- `ErreurApi` : une réponse d'erreur que la route lève (une saisie refusée, 422, avec chaque champ nommé).
- `installer(app)` : sous `/api/v1`, les paramètres d'adresse refusés par FastAPI sont dits avec les messages de
  `forms.libelles`, et un passage d'état interdit (409) donne aussi la liste des états permis
  (`etats_permis`). Ailleurs, les gestionnaires des pages (`api.web.erreurs`) répondent comme avant.
"""
import logging
from typing import Any, Iterable, Optional

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from forms.libelles import message_erreur
from forms.validation import ErreurChamp
from instruction.erreurs import ErreurInstruction, TransitionInterdite

PREFIXE = "/api/v1"
TAILLE_MAX = 1_000_000  # bytes: a dossier is a few kilobytes; a comité's list goes through the CLI import
journal = logging.getLogger("guichet.web")
CODES = {"refus": 409, "saisie": 422, "introuvable": 404, "interdit": 403, "indisponible": 503}


class ErreurApi(Exception):
    """Une réponse d'erreur de l'API : son code et ses erreurs, chacune `{"champ", "message"}`."""

    def __init__(self, code: int, erreurs: list[dict[str, Any]], entetes: Optional[dict[str, str]] = None,
                 **extra: Any):
        self.code, self.erreurs, self.entetes, self.extra = code, erreurs, entetes, extra
        super().__init__(f"{code} : {erreurs}")


def une_erreur(champ: Optional[str], message: str) -> dict[str, Any]:
    return {"champ": champ, "message": message}


def saisie_refusee(erreurs: Iterable[ErreurChamp], reference: Optional[str] = None) -> ErreurApi:
    """422 : les erreurs de validation, chacune nommant son champ par son chemin pointé (`budget.cout_total_ht`)."""
    extra = {"reference": reference} if reference is not None else {}
    return ErreurApi(422, [e.en_json() for e in erreurs], **extra)


async def lire_json(request: Request) -> Any:
    """Le corps JSON de la demande, tel quel (objets, nombres, booléens gardent leur type JSON)."""
    longueur = request.headers.get("content-length", "")
    if longueur.isdigit() and int(longueur) > TAILLE_MAX:
        raise _trop_gros()
    corps = bytearray()
    async for morceau in request.stream():
        corps += morceau
        if len(corps) > TAILLE_MAX:
            raise _trop_gros()
    if not corps.strip():
        raise ErreurApi(400, [une_erreur(None, "corps de la demande vide : un objet JSON est attendu")])
    try:
        return orjson.loads(bytes(corps))  # strict JSON: no NaN, no Infinity, valid UTF-8 only
    except orjson.JSONDecodeError as exc:
        raise ErreurApi(400, [une_erreur(None, f"JSON illisible : {raison_json(exc)}")]) from None


def _trop_gros() -> ErreurApi:
    return ErreurApi(413, [une_erreur(None, f"corps de la demande trop gros : {TAILLE_MAX // 1000} ko au plus")])


def raison_json(exc: orjson.JSONDecodeError) -> str:
    # orjson says where (line, column, character position) in English: keep the position, say it in French.
    return f"erreur de syntaxe ligne {exc.lineno}, colonne {exc.colno} (caractère {exc.pos + 1})"


def message_francais(erreur: dict[str, Any]) -> str:
    """Le message d'une erreur de pydantic en français : ceux de `forms.libelles`, plus ce que les paramètres et
    les corps de l'API ajoutent (entiers, bornes, listes) ; jamais la phrase anglaise de pydantic."""
    genre, ctx = erreur.get("type", ""), erreur.get("ctx") or {}
    if genre in ("int_parsing", "int_type", "int_from_float"):
        return "doit être un nombre entier"
    if genre in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        borne = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        return {"greater_than_equal": f"doit valoir au moins {borne}", "greater_than": f"doit dépasser {borne}",
                "less_than_equal": f"doit valoir au plus {borne}", "less_than": f"doit être inférieur à {borne}"}[genre]
    if genre == "too_short":
        return "ne doit pas être vide" if not ctx.get("min_length", 1) > 1 else f"{ctx['min_length']} éléments au moins"
    if genre == "too_long":
        return f"{ctx.get('max_length')} éléments au plus"
    if genre == "string_pattern_mismatch":
        return "caractères non permis : lettres, chiffres, « - » et « _ » seulement"
    if genre == "missing" and erreur["loc"][:1] in (("query",), ("path",)):
        return "paramètre obligatoire"
    message = message_erreur(erreur)
    return "valeur invalide" if message == erreur.get("msg") else message


def reponse(code: int, erreurs: list[dict[str, Any]], entetes: Optional[dict] = None, **extra: Any) -> Response:
    return JSONResponse({**extra, "erreurs": erreurs}, status_code=code, headers=entetes)


def _sous_api(request: Request) -> bool:
    return request.url.path == PREFIXE or request.url.path.startswith(PREFIXE + "/")


def _champ(loc: tuple) -> Optional[str]:
    # ("query", "page") -> "page": a parameter is named as the client wrote it.
    chemin = [str(p) for p in (loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)]
    return ".".join(chemin) or None


def installer(app: FastAPI) -> None:
    """Après `api.web.erreurs.installer` : sous `/api/v1`, nos réponses ; ailleurs, celles des pages."""
    validation_pages = app.exception_handlers.get(RequestValidationError)
    domaine_pages = app.exception_handlers.get(ErreurInstruction)

    async def _erreur_api(request: Request, exc: ErreurApi) -> Response:
        return reponse(exc.code, exc.erreurs, exc.entetes, **exc.extra)

    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if not _sous_api(request) and validation_pages is not None:
            return await validation_pages(request, exc)
        return reponse(422, [une_erreur(_champ(tuple(e.get("loc", ()))), message_francais(e)) for e in exc.errors()])

    async def _domaine(request: Request, exc: ErreurInstruction) -> Response:
        if not _sous_api(request) and domaine_pages is not None:
            return await domaine_pages(request, exc)
        erreur = une_erreur(exc.champ, exc.message)
        if isinstance(exc, TransitionInterdite):
            erreur.update(champ="vers", etats_permis=list(exc.permises))
        code = CODES.get(exc.genre, 409)
        if code == 503:
            journal.warning("%s %s : %s", request.method, request.url.path, exc)
        # No "reference" here: the target may be a dossier or a meeting, and the client named it in the address.
        return reponse(code, [erreur])

    app.add_exception_handler(ErreurApi, _erreur_api)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ErreurInstruction, _domaine)
