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
from babel.numbers import format_currency
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, select_autoescape
from starlette.templating import Jinja2Templates

from instruction.temps import heure_locale

PAGES = Path(__file__).resolve().parents[2] / "templates" / "pages"
STATIQUE = Path(__file__).resolve().parent / "static"
LOCALE = "fr_FR"

# The service's sections, in the order of the service navigation; addresses are the contract's (contract.md).
NAVIGATION = (("Déposer un projet", "/mes-dossiers"), ("Instruction", "/instruction/dossiers"),
              ("Comités", "/comites"), ("Les règles", "/regles"))


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


def navigation(chemin_courant: str) -> list[dict]:
    """Les rubriques du bandeau, la rubrique courante marquée (aria-current)."""
    return [{"text": texte, "href": href, "active": chemin_courant.startswith(href)} for texte, href in NAVIGATION]


def environnement() -> Environment:
    chargeur = ChoiceLoader([
        FileSystemLoader(PAGES),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    # The govuk macros read absent options as undefined: StrictUndefined would break them.
    env = Environment(loader=chargeur, autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters.update(date_fr=date_fr, heure_fr=heure_fr, euros=euros, avec_defauts=avec_defauts)
    env.globals.update(statique=statique, navigation=navigation, erreur_champ=erreur_champ)
    return env


def gabarits() -> Jinja2Templates:
    return Jinja2Templates(env=environnement())
