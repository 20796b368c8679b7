"""Ce que partagent les pages à formulaire : le jeton anti-CSRF de la session, les erreurs d'une saisie (le
résumé « Il y a un problème » et le message de chaque champ), la page rendue avec le bon code.

    return formulaire(request, uow, gabarits, "connexion.html", {"email": email}, erreurs, code=422)
"""
from typing import Any, Iterable, Optional

from fastapi import Request
from starlette.templating import Jinja2Templates

from api.web.sessions import session_pour_formulaire
from forms.validation import ErreurChamp
from instruction.ports import UniteDeTravailComptes


def erreurs_du_formulaire(erreurs: Iterable[ErreurChamp], ancres: Optional[dict[str, str]] = None) -> dict:
    """`liste` : les liens du résumé d'erreurs, vers chaque champ ; `champs` : le premier message de chaque champ."""
    liste, champs = [], {}
    for erreur in erreurs:
        if erreur.champ not in champs:
            champs[erreur.champ] = erreur.message
            liste.append({"text": erreur.message, "href": f"#{(ancres or {}).get(erreur.champ, erreur.champ)}"})
    return {"liste": liste, "champs": champs}


def formulaire(request: Request, uow: UniteDeTravailComptes, gabarits: Jinja2Templates, gabarit: str,
               contexte: dict[str, Any], erreurs: Iterable[ErreurChamp] = (), code: Optional[int] = None,
               ancres: Optional[dict[str, str]] = None, entetes: Optional[dict[str, str]] = None):
    """La page du formulaire ; 422 quand la saisie a des erreurs (sauf `code` donné)."""
    session = session_pour_formulaire(request, uow)
    resume = erreurs_du_formulaire(erreurs, ancres)
    code = code or (422 if resume["liste"] else 200)
    return gabarits.TemplateResponse(request, gabarit, {**contexte, "erreurs": resume, "csrf_token": session.csrf},
                                     status_code=code, headers=entetes)
