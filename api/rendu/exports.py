"""Le rapport du comité en tableur : un classeur XLSX (une feuille par partie du rapport) et le tableau
de synthèse seul en CSV pour Excel.

Comme les gabarits, les exports présentent le modèle de vue de `instruction.documents.rapport` sans rien
décider : les montants restent des nombres, les dates de vraies dates.
"""
import csv
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterable, Optional

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from forms.libelles import LIBELLES_AVIS
from instruction.temps import heure_locale
from rules.documents import titre_document

FORMAT_EUROS = '#,##0.00 "€"'
FORMAT_DATE = "dd/mm/yyyy"
FORMAT_DATE_HEURE = "dd/mm/yyyy hh:mm"
_GRAS = Font(bold=True)
_HAUT = Alignment(vertical="top", wrap_text=True)
# A text cell starting with one of these is a formula to a spreadsheet: holders type these names.
_FORMULES = ("=", "+", "-", "@", "\t", "\r")

_GRAVITES = {"alerte": "Alerte", "information": "Information"}

# One column: (title, width in characters, kind) ; kind "euros", "date", "entier" or "texte".
Colonne = tuple[str, int, str]


def colonnes_synthese(vm: dict[str, Any]) -> list[Colonne]:
    return ([("Rang", 6, "entier"), ("Référence", 14, "texte"), ("Titre du projet", 36, "texte"),
             ("Porteur", 30, "texte"), ("Commune", 24, "texte"), ("Coût total HT", 15, "euros"),
             ("Montant sollicité", 15, "euros"), ("Avis", 20, "texte"), ("Avis calculé (si corrigé)", 20, "texte")]
            + [(f["nom"], 16, "texte") for f in vm["financeurs"]]
            + [("Orientation", 45, "texte"), ("État", 16, "texte"), ("Décisions", 40, "texte")])


def lignes_synthese(vm: dict[str, Any]) -> list[list[Any]]:
    """Une ligne par dossier, dans l'ordre des colonnes de `colonnes_synthese`."""
    noms = {f["id"]: f["nom"] for f in vm["financeurs"]}
    lignes = []
    for x in vm["lignes"]:
        decisions = "; ".join(f"{noms[f]} : {d}" for f, d in x["decisions_libelles"].items() if d)
        calcule = x["avis_calcule"] if x["avis_corrige"] else None
        lignes.append([x["rang"], x["reference"], x["titre"], x["porteur"], x["commune"], x["cout_total_ht"],
                       x["montant_sollicite"], x["avis_libelle"], _libelle_avis(calcule)]
                      + [x["statuts_libelles"][f["id"]] for f in vm["financeurs"]]
                      + [", ".join(x["orientation_noms"]), x["etat_libelle"], decisions])
    return lignes


def _libelle_avis(avis: Optional[str]) -> Optional[str]:
    return LIBELLES_AVIS.get(avis, avis) if avis else None


# --- XLSX -------------------------------------------------------------------------------------------

def _local(quand: datetime) -> datetime:
    # Excel has no time zones: instants are written as Paris wall-clock time.
    return heure_locale(quand).replace(tzinfo=None)


def _cellule(feuille: Worksheet, ligne: int, colonne: int, valeur: Any, format_: str = "texte") -> None:
    if isinstance(valeur, datetime):
        valeur, format_ = _local(valeur), "date_heure"
    elif isinstance(valeur, date):
        format_ = "date"
    elif isinstance(valeur, str):
        valeur = ILLEGAL_CHARACTERS_RE.sub("", valeur) or None  # control characters make openpyxl refuse the file
    cellule = feuille.cell(row=ligne, column=colonne, value=valeur)
    cellule.alignment = _HAUT
    if isinstance(valeur, str):
        cellule.data_type = "s"  # never a formula, whatever the text starts with
    elif format_ == "euros" and valeur is not None:
        cellule.number_format = FORMAT_EUROS
    elif format_ == "date":
        cellule.number_format = FORMAT_DATE
    elif format_ == "date_heure":
        cellule.number_format = FORMAT_DATE_HEURE


def _feuille(classeur: Workbook, titre: str, colonnes: list[Colonne], lignes: Iterable[list[Any]],
             figer: str = "A2") -> Worksheet:
    feuille = classeur.create_sheet(titre)
    for j, (nom, largeur, _) in enumerate(colonnes, 1):
        _cellule(feuille, 1, j, nom)
        feuille.cell(row=1, column=j).font = _GRAS
        feuille.column_dimensions[get_column_letter(j)].width = largeur
    n = 1
    for n, valeurs in enumerate(lignes, 2):
        for j, (valeur, (_, _, format_)) in enumerate(zip(valeurs, colonnes), 1):
            _cellule(feuille, n, j, valeur, format_)
    feuille.freeze_panes = figer
    feuille.auto_filter.ref = f"A1:{get_column_letter(len(colonnes))}{n}"
    return feuille


def classeur(vm: dict[str, Any]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _feuille(wb, "Synthèse", colonnes_synthese(vm), lignes_synthese(vm), figer="C2")
    _feuille(wb, "Ordre du jour",
             [("Rang", 6, "entier"), ("Référence", 14, "texte"), ("Titre du projet", 50, "texte"),
              ("Porteur", 34, "texte"), ("Type de porteur", 24, "texte"), ("Commune", 26, "texte")],
             ([x["rang"], x["reference"], x["titre"], x["porteur"], x["type_porteur"], x["commune"]]
              for x in vm["lignes"]))
    _feuille(wb, "Contrôles",
             [("Gravité", 12, "texte"), ("Contrôle", 36, "texte"), ("Dossiers", 28, "texte"),
              ("Message", 70, "texte"), ("Interprétation à confirmer", 14, "texte"), ("Source", 30, "texte"),
              ("Article ou référence", 24, "texte"), ("Passage cité", 70, "texte")],
             ([_GRAVITES.get(c["gravite"], c["gravite"]), c["titre"], ", ".join(c["dossiers"]), c["message"],
               "oui" if c["interpretation"] else "non"] + _source(c["source"]) for c in vm["controles"]))
    _feuille(wb, "Totaux par financeur",
             [("Financeur", 48, "texte"), ("Nombre de dossiers", 12, "entier"), ("Montant sollicité", 18, "euros"),
              ("Montant acquis", 18, "euros")],
             ([t["nom"], t["dossiers"], t["sollicite"], t["acquis"]] for t in vm["totaux"]))
    _feuille(wb, "Décisions",
             [("Référence", 14, "texte"), ("Financeur", 44, "texte"), ("Décision", 14, "texte"),
              ("Motif", 50, "texte"), ("Auteur", 18, "texte"), ("Date", 17, "date"),
              ("Montant accordé", 18, "euros"), ("Enveloppe (dispositif)", 36, "texte")],
             ([r["reference"], r["financeur"], r["decision"], r["motif"], r["auteur"], r["quand"],
               r.get("montant"), r.get("dispositif")] for r in vm["releve"]))
    if vm.get("enveloppes"):
        _feuille(wb, "Enveloppes",
                 [("Financeur", 40, "texte"), ("Dispositif", 40, "texte"), ("Enveloppe", 18, "euros"),
                  ("Proposé", 18, "euros"), ("Décidé", 18, "euros"), ("Reste", 18, "euros"), ("Dépassée", 10, "texte"),
                  ("Source du montant", 50, "texte")],
                 ([e["financeur"], e["dispositif"] or "à répartir", e["montant"], e["propose"], e["decide"],
                   e["reste"], "oui" if e["depassee"] else "non", e["source"]] for e in vm["enveloppes"]))
    if vm["erreurs"]:
        _feuille(wb, "Erreurs",
                 [("Position dans la liste", 10, "entier"), ("Référence", 16, "texte"), ("Champ", 30, "texte"),
                  ("Message", 80, "texte")],
                 ([e["position"], e["reference"], x["champ"], x["message"]]
                  for e in vm["erreurs"] for x in e["erreurs"] or [{"champ": "", "message": ""}]))
    _reunion(wb, vm)
    return wb


def _source(source: Optional[dict[str, Any]]) -> list[Any]:
    if not source:
        return [None, None, None]
    document = source.get("titre") or titre_document(source["document"])
    return [document, source.get("reference"), source.get("extrait")]


def _reunion(wb: Workbook, vm: dict[str, Any]) -> None:
    """La fiche de la réunion : ce que l'en-tête du rapport imprimé dit, une information par ligne."""
    c = vm["comite"]
    du, au = c["periode"] or (None, None)
    lignes: list[list[Any]] = [
        ["Comité", c["code"], None], ["Date de la réunion", c["date"], None], ["Contrat", c["contrat"], None],
        ["Début du contrat", du, None], ["Fin du contrat", au, None],
        *(["Membre", m["structure"], m["representant"] or "à désigner"] for m in c["membres"]),
        ["Composition (source)", *_source(c["source_membres"])[:2]],
        ["Nombre de dossiers", len(vm["lignes"]), None],
        ["Coût total HT des dossiers", vm["total_cout"], None],
        ["Montant sollicité des dossiers", vm["total_sollicite"], None],
        ["Entrées écartées", len(vm["erreurs"]), None],
        ["Évalué le", c["evalue_le"], None], ["Rapport établi le", vm["genere_le"], None],
        *(["Version des règles", v, None] for v in vm["versions_regles"]),
    ]
    feuille = _feuille(wb, "Réunion", [("Information", 32, "texte"), ("Valeur", 60, "texte"), ("Détail", 40, "texte")],
                       [])
    for i, (nom, valeur, detail) in enumerate(lignes, 2):
        format_ = "euros" if nom.startswith(("Coût", "Montant")) else "texte"
        _cellule(feuille, i, 1, nom)
        _cellule(feuille, i, 2, valeur, format_)
        _cellule(feuille, i, 3, detail)
    feuille.auto_filter.ref = None


def ecrire_xlsx(vm: dict[str, Any], chemin: Path) -> None:
    classeur(vm).save(chemin)


# --- CSV --------------------------------------------------------------------------------------------

def _montant_csv(valeur: Any) -> str:
    # French Excel, which opens this file (hence « ; » and the BOM), reads « 1250,5 » as a number and
    # « 1250.5 » as text or a date: amounts get a decimal comma, no thousands separator and no « € ».
    # The contract reader (`forms.csv_contrat`) reads them back the same way.
    if valeur is None:
        return ""
    montant = Decimal(str(valeur)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(int(montant)) if montant == montant.to_integral_value() else str(montant).replace(".", ",")


def _texte_csv(valeur: Any) -> str:
    texte = "" if valeur is None else str(valeur)
    # A leading apostrophe keeps Excel from running a holder's name such as « =HYPERLINK(…) » as a formula.
    return "'" + texte if texte.startswith(_FORMULES) else texte


def ecrire_csv(vm: dict[str, Any], chemin: Path) -> None:
    """Le tableau de synthèse seul : UTF-8 avec BOM, séparateur « ; », une ligne par dossier."""
    colonnes = colonnes_synthese(vm)
    with open(chemin, "w", encoding="utf-8-sig", newline="") as fichier:
        ecrivain = csv.writer(fichier, delimiter=";")
        ecrivain.writerow(nom for nom, _, _ in colonnes)
        for valeurs in lignes_synthese(vm):
            ecrivain.writerow(_montant_csv(v) if format_ == "euros" else _texte_csv(v)
                              for v, (_, _, format_) in zip(valeurs, colonnes))


def ecrire_csv_releve(vm: dict[str, Any], chemin: Path) -> None:
    """Le relevé des décisions seul : une ligne par décision (ou par dossier sans décision), même forme que
    le tableau de synthèse (UTF-8 avec BOM, « ; », montants à virgule décimale)."""
    colonnes = ("reference", "financeur", "decision", "montant", "dispositif", "motif", "auteur", "date")
    with open(chemin, "w", encoding="utf-8-sig", newline="") as fichier:
        ecrivain = csv.writer(fichier, delimiter=";")
        ecrivain.writerow(colonnes)
        for r in vm["releve"]:
            ecrivain.writerow([_texte_csv(r["reference"]), _texte_csv(r["financeur"]), _texte_csv(r["decision"]),
                               _montant_csv(r.get("montant")), _texte_csv(r.get("dispositif")),
                               _texte_csv(r["motif"]), _texte_csv(r["auteur"]),
                               _local(r["quand"]).date().isoformat() if r["quand"] else ""])


# --- La liste des dossiers des services (/instruction/dossiers.xlsx et .csv) ----------------------------------

def classeur_liste(colonnes: list[Colonne], lignes: Iterable[list[Any]], titre: str = "Dossiers") -> bytes:
    """La liste filtrée en une feuille (écriture en flux : 100 000 lignes tiennent en mémoire) ; rend le fichier."""
    from io import BytesIO

    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    feuille = wb.create_sheet(titre)
    for j, (_, largeur, _) in enumerate(colonnes, 1):
        feuille.column_dimensions[get_column_letter(j)].width = largeur
    feuille.freeze_panes = "B2"

    def cellule(valeur: Any, format_: str) -> WriteOnlyCell:
        if isinstance(valeur, str):
            valeur = ILLEGAL_CHARACTERS_RE.sub("", valeur) or None
        c = WriteOnlyCell(feuille, value=valeur)
        if isinstance(valeur, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        elif format_ == "date" and valeur is not None:
            c.number_format = FORMAT_DATE
        elif format_ == "euros" and valeur is not None:
            c.number_format = FORMAT_EUROS
        return c

    entetes = []
    for nom, _, _ in colonnes:
        c = WriteOnlyCell(feuille, value=nom)
        c.font = _GRAS
        entetes.append(c)
    feuille.append(entetes)
    for valeurs in lignes:
        feuille.append([cellule(v, format_) for v, (_, _, format_) in zip(valeurs, colonnes)])
    sortie = BytesIO()
    wb.save(sortie)
    return sortie.getvalue()


def csv_liste(colonnes: list[Colonne], lignes: Iterable[list[Any]]) -> Iterable[str]:
    """La liste filtrée en CSV pour Excel (UTF-8 avec BOM, « ; »), ligne à ligne ; les dates en AAAA-MM-JJ."""
    import io

    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";")

    def ligne(valeurs: Iterable[Any]) -> str:
        tampon.seek(0)
        tampon.truncate()
        ecrivain.writerow(valeurs)
        return tampon.getvalue()

    yield "\ufeff" + ligne(nom for nom, _, _ in colonnes)
    for valeurs in lignes:
        yield ligne(_montant_csv(v) if format_ == "euros" else v.isoformat() if isinstance(v, date)
                    else v if isinstance(v, int) else _texte_csv(v)
                    for v, (_, _, format_) in zip(valeurs, colonnes))
