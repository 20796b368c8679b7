"""L'environnement Jinja des pages : gabarits de `templates/pages/`, macros de govuk-frontend-jinja, filtres français.

Les filtres mettent en forme, ils ne décident rien : `date_fr` (« 10 mars 2025 », « 1er mars 2025 »), `heure_fr`
(« 14 h 05 », à l'heure de Paris), `euros` (« 12 000,00 € »). `statique()` donne l'adresse d'un fichier de
`api/web/static/` avec l'empreinte de son contenu (`?v=…`), ce qui permet de le garder en cache longtemps.
"""
import hashlib
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_percent
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, select_autoescape
from starlette.templating import Jinja2Templates

from api.web.fragments import Fragments
from forms.libelles import LIBELLES_ROLES
from instruction import acces
from instruction.acces import AUTORISE
from instruction.comptes.compte import Compte
from instruction.temps import heure_locale

PAGES = Path(__file__).resolve().parents[2] / "templates" / "pages"
STATIQUE = Path(__file__).resolve().parent / "static"
LOCALE = "fr_FR"

# The service's sections, in the order of the service navigation; addresses are the contract's (contract.md).
# A signed-in person sees the sections the access policy lets their role enter (None: open to all).
NAVIGATION = (("Déposer un projet", "/mes-dossiers", "espace_porteur"),
              ("Instruction", "/instruction/dossiers", "espace_instruction"),
              ("Comités", "/comites", "lister_comites"), ("Les règles", "/regles", None),
              ("Administration", "/admin", "administrer"))


@lru_cache(maxsize=4096)  # a pure function of the date: a list of 50 dossiers repeats few of them
def date_fr(valeur: Optional[date]) -> str:
    """« 10 mars 2025 », « 1er mars 2025 » ; un instant est d'abord ramené à l'heure de Paris."""
    if valeur is None:
        return "non renseignée"
    if isinstance(valeur, datetime):
        valeur = heure_locale(valeur).date()
    # Babel writes « 1 mars » ; French writes the first day of the month as an ordinal.
    jour = "1er" if valeur.day == 1 else str(valeur.day)
    return f"{jour} {format_date(valeur, 'MMMM y', locale=LOCALE)}"


def heure_fr(valeur: Optional[datetime]) -> str:
    """« 14 h 05 », à l'heure de Paris (les horodatages sont stockés en UTC)."""
    if valeur is None:
        return "—"
    return format_time(heure_locale(valeur), "H 'h' mm", locale=LOCALE)


def euros(montant: Any) -> str:
    """« 12 000,00 € » : séparateurs français de Babel ; jamais de flottant en chemin."""
    if montant is None:
        return "—"
    return format_currency(Decimal(str(montant)), "EUR", locale=LOCALE)


def pourcentage(fraction: Any) -> str:
    """« 19 % », « 33,3 % » : une fraction (0,333) en pour cent, une décimale au plus ; « — » si inconnue."""
    if fraction is None:
        return "—"
    return format_percent(Decimal(str(fraction)), "#,##0.# %", locale=LOCALE)


def avec_defauts(params: Optional[dict], defauts: dict) -> dict:
    """Les paramètres d'un composant govuk, complétés par nos textes français là où l'appelant n'a rien dit."""
    return {**defauts, **(params or {})}


def erreur_champ(texte: str) -> dict:
    """Le paramètre `errorMessage` d'un champ, avec le préfixe lu par les lecteurs d'écran en français."""
    return {"text": texte, "visuallyHiddenText": "Erreur"}


@lru_cache(maxsize=256)
def _empreinte(chemin: str) -> str:
    fichier = STATIQUE / chemin
    try:
        return hashlib.sha256(fichier.read_bytes()).hexdigest()[:12]
    except OSError:
        return "absent"  # a missing asset must not break the page: the browser gets a 404 for it


def statique(chemin: str) -> str:
    return f"/static/{chemin}?v={_empreinte(chemin)}"


def compte_connecte(request: Any) -> Optional[Compte]:
    """Le compte de la session de la page, s'il y en a un (pour le bandeau : nom, rôle, déconnexion)."""
    courante = request.scope.get("state", {}).get("session") if request is not None else None
    return courante.compte if courante is not None else None


def jeton_csrf(request: Any) -> str:
    courante = request.scope.get("state", {}).get("session") if request is not None else None
    return courante.session.csrf if courante is not None else ""


def navigation(request: Any) -> list[dict]:
    """Les rubriques du bandeau, la rubrique courante marquée (aria-current) ; connecté, celles de son rôle. Sans
    connexion, toutes sauf l'administration (elles mènent à la page de connexion)."""
    compte, chemin = compte_connecte(request), request.url.path
    agent = compte.agent() if compte is not None else None
    return [{"text": texte, "href": href, "active": chemin.startswith(href)} for texte, href, action in NAVIGATION
            if action is None or (acces.decider(agent, action) == AUTORISE if agent else action != "administrer")]


def environnement() -> Environment:
    chargeur = ChoiceLoader([
        FileSystemLoader(PAGES),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    # The govuk macros read absent options as undefined: StrictUndefined would break them.
    # auto_reload=False: the templates ship with the code (a new version restarts the server), so no stat() of
    # every template, and of every govuk macro imported inside a macro, at each use.
    env = Environment(loader=chargeur, autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)
    env.filters.update(date_fr=date_fr, heure_fr=heure_fr, euros=euros, avec_defauts=avec_defauts)
    env.filters.update(pourcentage=pourcentage)  # the dossier page's financing plan
    env.globals.update(fragment=Fragments(env))  # pure govuk components rendered once per process (fragments.py)
    env.globals.update(statique=statique, navigation=navigation, erreur_champ=erreur_champ,
                       compte_connecte=compte_connecte, jeton_csrf=jeton_csrf, libelles_roles=LIBELLES_ROLES)
    return env


def gabarits() -> Jinja2Templates:
    return Jinja2Templates(env=environnement())
