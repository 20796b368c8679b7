"""Les documents imprimables : l'avis technique et le rapport du comité, en HTML puis en PDF (WeasyPrint).

Les gabarits (`templates/documents/` à la racine du dépôt) mettent en forme les modèles de vue construits par
`instruction.documents.avis` et `instruction.documents.rapport` ; ils ne décident de rien. Ce module ne
fournit que des filtres de présentation : dates et montants à la française, libellés courts.
"""
import time
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.rendu.tableau import ABREGES
from api.rendu.typographie import typographie
from forms.libelles import LIBELLES_AVIS, LIBELLES_STATUTS, NOMS_FINANCEURS, euros, nombre, pluriel
from instruction.temps import heure_locale
from rules.documents import titre_document

GABARITS = Path(__file__).resolve().parents[2] / "templates" / "documents"
DOCUMENTS = ("avis", "comite")
_MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
         "novembre", "décembre")
# The summary table has one narrow column per funder: short statuses, explained in a legend below it.
_STATUTS_COURTS = {"prioritaire": "Prio.", "eligible": "Élig.", "a_completer": "À compl.", "exclu": "Exclu",
                   "non_concerne": "n. c."}
_ABREGES_PAR_NOM = {nom: ABREGES[f] for f, nom in NOMS_FINANCEURS.items()}


class GabaritsIntrouvables(Exception):
    """Le dossier des gabarits manque : l'installation est incomplète."""


def date_fr(valeur: Optional[date]) -> str:
    """« 23 novembre 2026 », « 1er mars 2025 » ; un instant est d'abord ramené à l'heure de Paris."""
    if valeur is None:
        return "non renseignée"
    if isinstance(valeur, datetime):
        valeur = heure_locale(valeur).date()
    jour = "1er" if valeur.day == 1 else str(valeur.day)
    return f"{jour} {_MOIS[valeur.month - 1]} {valeur.year}"


def date_heure_fr(valeur: Optional[datetime]) -> str:
    if valeur is None:
        return "non renseignée"
    local = heure_locale(valeur)
    return f"{date_fr(local)} à {local.hour:02d} h {local.minute:02d}"


def pourcentage(valeur: Any, total: Any = None) -> str:
    """« 30 % », « 12,5 % » : `valeur` est une fraction (0,3), ou une part de `total` quand il est donné."""
    if valeur is None or (total is not None and not total):
        return "—"
    fraction = Decimal(str(valeur)) / Decimal(str(total)) if total is not None else Decimal(str(valeur))
    texte = f"{fraction * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return texte + "\u00a0%"


def bande(montant: Optional[dict]) -> str:
    if not montant:
        return "—"
    if montant["min"] == montant["max"]:
        return euros(montant["min"])
    return f"entre {euros(montant['min'])} et {euros(montant['max'])}"


def abrege(financeur: str) -> str:
    """Le nom court d'un financeur, donné par son identifiant ou son nom complet."""
    return ABREGES.get(financeur) or _ABREGES_PAR_NOM.get(financeur, financeur)


@lru_cache(maxsize=1)
def environnement() -> Environment:
    if not (GABARITS / "avis.html").is_file():
        raise GabaritsIntrouvables(f"gabarits introuvables : {GABARITS} doit contenir avis.html et comite.html "
                                   "(dossier templates/documents/ à la racine du dépôt)")
    env = Environment(loader=FileSystemLoader(GABARITS), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=typographie)
    env.filters.update(date_fr=date_fr, date_heure_fr=date_heure_fr, euros=euros, pourcentage=pourcentage,
                       bande=bande, abrege=abrege, titre_document=titre_document,
                       libelle_avis=lambda a: LIBELLES_AVIS.get(a, a or "—"),
                       statut_court=lambda s: _STATUTS_COURTS.get(s, s) if s else "—")
    env.globals["statuts_courts"] = [(c, court, LIBELLES_STATUTS[c]) for c, court in _STATUTS_COURTS.items()] + [
        (None, "—", "non évalué")]
    return env


def avis_html(vm: dict[str, Any]) -> str:
    return environnement().get_template("avis.html").render(vm)


def rapport_html(vm: dict[str, Any]) -> str:
    return environnement().get_template("comite.html").render(vm)


def accuse_html(vm: dict[str, Any]) -> str:
    """L'accusé de réception d'un dossier déposé (modèle de vue : `instruction.documents.accuse`)."""
    return environnement().get_template("accuse.html").render(vm)


def pdf_en_octets(html: str) -> bytes:
    """Le PDF A4 d'un document, en mémoire (pour une réponse du serveur web)."""
    from weasyprint import HTML  # heavy import (Pango): only when a PDF is asked for

    return HTML(string=html, base_url=str(GABARITS) + "/").write_pdf()


def _muet(_message: str) -> None:
    return None


def ecrire_pdf(html: str, chemin: Path, annonce: Callable[[str], None] = _muet) -> None:
    """A4 ; `base_url` sur les gabarits pour que la feuille de style partagée se charge.

    La mise en page est le plus long d'un gros rapport (les trois quarts du temps pour 600 dossiers) :
    `annonce` reçoit « Mise en page du PDF… » avant, puis « terminée (N pages, X s) »."""
    from weasyprint import HTML  # heavy import (Pango): only when a PDF is asked for

    debut = time.monotonic()
    annonce("Mise en page du PDF…")
    document = HTML(string=html, base_url=str(GABARITS) + "/").render()
    document.write_pdf(chemin)
    duree = nombre(round(time.monotonic() - debut, 1))
    annonce(f"terminée ({pluriel(len(document.pages), 'page')}, {duree} s)")


def html_de(vm: dict[str, Any], document: str) -> str:
    if document not in DOCUMENTS:
        raise ValueError(f"document inconnu « {document} » ; possibles : {', '.join(DOCUMENTS)}")
    return avis_html(vm) if document == "avis" else rapport_html(vm)


def ecrire(vm: dict[str, Any], chemin: Path, document: str, annonce: Callable[[str], None] = _muet) -> None:
    """Écrit l'avis (`document="avis"`) ou le rapport (`"comite"`) au format que dit l'extension :
    .html, .pdf, et pour le rapport aussi .xlsx et .csv. `annonce` : voir `ecrire_pdf`."""
    chemin = Path(chemin)
    extension = chemin.suffix.lower()
    if document == "comite" and extension in (".xlsx", ".csv"):
        from api.rendu import exports

        (exports.ecrire_xlsx if extension == ".xlsx" else exports.ecrire_csv)(vm, chemin)
    elif extension in (".html", ".htm"):
        chemin.write_text(html_de(vm, document), encoding="utf-8")
    elif extension == ".pdf":
        ecrire_pdf(html_de(vm, document), chemin, annonce)
    else:
        possibles = ".html, .pdf" + (", .xlsx, .csv" if document == "comite" else "")
        raise ValueError(f"{chemin} : format « {extension or 'sans extension'} » inconnu ; possibles : {possibles}")


def ecrire_avis(vm: dict[str, Any], chemin: Path) -> None:
    ecrire(vm, chemin, "avis")


def ecrire_rapport(vm: dict[str, Any], chemin: Path) -> None:
    ecrire(vm, chemin, "comite")
