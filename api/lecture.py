"""Lire un fichier de dossiers : JSON (objet ou tableau), JSON Lines, CSV ou classeur Excel (.xlsx)."""
import csv
import errno
import io
import json
import math
import os
import stat
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Optional

import orjson

from forms.csv_contrat import ColonnesInvalides, ligne_vers_dossier, verifier_entete
from forms.libelles import nombre
from forms.validation import SaisieIllisible

TAILLE_MAX_MO_DEFAUT = 32.0
# orjson's own nesting limit, which json's recursion cannot reach without a stack overflow; a dossier
# nests four deep. Deeper is a hostile or broken file, refused whole.
PROFONDEUR_MAX = 1024
# Excel shows these codes as numbers and drops their leading zeros (02691 becomes 2691): their width.
_CODES_A_ZEROS = {"projet.commune_insee": 5, "porteur.siret": 14}
_RAISONS = {errno.EACCES: "permission refusée", errno.EPERM: "permission refusée", errno.EISDIR: "c'est un dossier",
            errno.ENOENT: "fichier introuvable", errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
            errno.ENXIO: "aucun lecteur à l'autre bout (socket ou tube fermé)", errno.EIO: "erreur d'entrée-sortie"}


class FichierIllisible(Exception):
    """Le fichier entier est inutilisable : la commande s'arrête avec le code 2."""


class JsonIllisible(ValueError):
    """Un texte JSON inutilisable ; le message, en français, dit où et quoi (sans nom de fichier)."""

    def __init__(self, message: str, suite: bool = False):
        super().__init__(message)
        self.suite = suite  # several JSON values one after the other: perhaps JSON Lines


@dataclass(frozen=True, slots=True)
class LigneJson:
    """Une ligne de JSON Lines pas encore lue : `dossier_de` la lit là où elle est évaluée (un processus
    fils de `guichet evaluate`, qui reçoit ainsi un texte court plutôt qu'un dictionnaire)."""
    numero: int
    texte: str


def dossier_de(element: Any) -> Any:
    """Un élément de `lire_dossiers(…, differer=True)`, tel que `lire_dossiers(…)` l'aurait rendu."""
    return lire_ligne(element.numero, element.texte) if type(element) is LigneJson else element


def lire_ligne(numero: int, texte: str) -> Any:
    """Le dossier d'une ligne différée (`LigneJson`), ou sa `SaisieIllisible`."""
    return _ligne_json(None, numero, texte)


def lire_dossiers(chemin: Path, differer: bool = False) -> list[Any]:
    """Les dossiers d'un fichier, dans l'ordre. `differer` : les lignes de JSON Lines restent des `LigneJson`,
    que `dossier_de` lira ; une ligne qui pourrait être trop imbriquée est lue tout de suite, pour que le
    fichier entier soit refusé avant la première évaluation, comme sans `differer`."""
    octets = lire_octets(chemin)
    if chemin.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx(chemin, octets)
    if chemin.suffix.lower() == ".xls":
        raise FichierIllisible(f"{chemin} : l'ancien format Excel (.xls) n'est pas lu : "
                               "enregistrez le classeur au format .xlsx ou CSV")
    try:
        texte = octets.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FichierIllisible(f"{chemin} : encodage illisible (UTF-8 attendu)") from None
    if not texte.strip():
        raise FichierIllisible(f"{chemin} : fichier vide")
    if chemin.suffix.lower() == ".csv":
        return _csv(chemin, texte)
    if chemin.suffix.lower() in (".jsonl", ".ndjson"):
        return _json_lines(chemin, texte, differer)
    return _json(chemin, texte, differer)


def lire_octets(chemin: Path) -> bytes:
    """Le contenu du fichier, jamais plus que la taille maximale : un périphérique sans fin (/dev/zero),
    un tube ou un fichier qui grossit pendant la lecture est coupé à la limite et refusé."""
    maximum = taille_max_mo()
    limite = int(maximum * 1024 * 1024)
    try:
        etat = chemin.stat()
        if stat.S_ISDIR(etat.st_mode):
            raise FichierIllisible(f"{chemin} : c'est un dossier, pas un fichier")
        if stat.S_ISREG(etat.st_mode) and etat.st_size > limite:
            raise FichierIllisible(_trop_gros(chemin, maximum, etat.st_size))  # said before reading anything
        # A FIFO or a terminal is read as `cat` would read it, but never beyond the limit.
        with open(chemin, "rb") as fichier:
            octets = fichier.read(limite + 1)
    except FileNotFoundError:
        raise FichierIllisible(f"{chemin} : fichier introuvable") from None
    except OSError as exc:
        raise FichierIllisible(f"{chemin} : lecture impossible ({_RAISONS.get(exc.errno, exc.strerror or exc)})") \
            from None
    if len(octets) > limite:
        raise FichierIllisible(_trop_gros(chemin, maximum, None))
    return octets


def _trop_gros(chemin: Path, maximum: float, taille: Optional[int]) -> str:
    combien = f"{nombre(taille / 1048576)} Mo" if taille is not None else f"plus de {nombre(maximum)} Mo"
    return (f"{chemin} : fichier trop volumineux ({combien} ; {nombre(maximum)} Mo au plus) : "
            "découpez-le en plusieurs fichiers")


def taille_max_mo() -> float:
    """La taille maximale d'un fichier, en Mo : GUICHET_TAILLE_MAX_MO, ou 32."""
    # Read when a file is read, not at import: a bad value is then a clear refusal, not a traceback
    # raised before the command even starts.
    brut = " ".join(os.environ.get("GUICHET_TAILLE_MAX_MO", "").split())  # one line, even for a stray newline
    if not brut:
        return TAILLE_MAX_MO_DEFAUT  # an empty variable is an unset one, as in most shells
    try:
        valeur = float(brut.replace(",", "."))  # « 0,5 » as a French user writes it
    except ValueError:
        valeur = math.nan
    if not (math.isfinite(valeur) and valeur > 0):
        raise FichierIllisible(f"GUICHET_TAILLE_MAX_MO : valeur invalide « {brut} » (un nombre de Mo plus grand "
                               f"que 0 est attendu, par exemple {TAILLE_MAX_MO_DEFAUT:g})")
    return valeur


def _csv(chemin: Path, texte: str) -> list[Any]:
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=_separateur(texte))
    try:
        verifier_entete(lecteur.fieldnames)
    except ColonnesInvalides as exc:
        raise FichierIllisible(f"{chemin} : {exc}") from None
    return [_ligne(lecteur, ligne) for ligne in lecteur]


def _ligne(lecteur: csv.DictReader, ligne: dict) -> Any:
    # A shifted row (an unquoted separator, a lost cell) would silently move values to the
    # wrong columns: the row is refused, the others are evaluated.
    if None in ligne or None in ligne.values():
        attendu = len(lecteur.fieldnames or ())
        return SaisieIllisible(f"ligne {lecteur.line_num}",
                               f"nombre de cellules différent de l'en-tête ({attendu} attendues) : "
                               "un séparateur non protégé par des guillemets ?", ligne.get("reference") or None)
    return ligne_vers_dossier(ligne)


def _separateur(texte: str) -> str:
    entete = texte.splitlines()[0]
    return ";" if entete.count(";") > entete.count(",") else ","


def _json(chemin: Path, texte: str, differer: bool = False) -> list[Any]:
    try:
        contenu = lire_json(texte)
    except JsonIllisible as exc:
        if exc.suite:  # several JSON values, one per line: JSON Lines
            return _json_lines(chemin, texte, differer)
        raise FichierIllisible(f"{chemin} : {exc}") from None
    if isinstance(contenu, list):
        return contenu
    if isinstance(contenu, dict):
        return [contenu]
    raise FichierIllisible(f"{chemin} : un dossier (objet JSON) ou une liste de dossiers est attendu")


def _json_lines(chemin: Path, texte: str, differer: bool = False) -> list[Any]:
    dossiers: list[Any] = []
    for numero, ligne in enumerate(texte.splitlines(), 1):
        if not ligne.strip():
            continue
        # Nesting past the limit takes more opening brackets than that: a line with fewer can wait.
        if differer and ligne.count("[") + ligne.count("{") < PROFONDEUR_MAX:
            dossiers.append(LigneJson(numero, ligne))
        else:
            dossiers.append(_ligne_json(chemin, numero, ligne))
    return dossiers


def _ligne_json(chemin: Optional[Path], numero: int, ligne: str) -> Any:
    try:
        return orjson.loads(ligne)  # a third of json's time on large batches
    except orjson.JSONDecodeError as exc:
        if not _trop_profond(exc.msg):
            # One broken line is one invalid dossier, not a lost file.
            return SaisieIllisible(f"ligne {numero}", f"JSON invalide colonne {exc.colno} : {message_json(exc.msg)}")
        if chemin is None:  # a deferred line has too few brackets for this: never reached, but never a crash
            return SaisieIllisible(f"ligne {numero}", _profondeur())
        # Not a typo but a hostile or broken file: refused whole, as for a JSON document.
        raise FichierIllisible(f"{chemin} : ligne {numero} : {_profondeur()}") from None


def lire_json(texte: str) -> Any:
    """Le contenu d'un texte JSON ; `JsonIllisible` au message français (ligne, colonne, quoi) sinon,
    y compris pour une imbrication de plus de PROFONDEUR_MAX niveaux. Pour la ligne de commande comme
    pour le web : ni trace, ni message anglais, ni débordement de pile."""
    try:
        return orjson.loads(texte)  # C, a fixed depth limit, and twice as fast as json
    except orjson.JSONDecodeError as exc:
        if _trop_profond(exc.msg):
            raise JsonIllisible(f"ligne {exc.lineno}, colonne {exc.colno} : {_profondeur()}") from None
    # orjson also refuses NaN, 1e400 and "\ud800", which json reads and validation then refuses with the
    # field named: json gives the answer, and its own error positions.
    try:
        return json.loads(texte)
    except RecursionError:
        raise JsonIllisible(_profondeur()) from None
    except json.JSONDecodeError as exc:
        raise JsonIllisible(f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} : {message_json(exc.msg)}",
                            suite=exc.msg == "Extra data") from None


def _trop_profond(message: str) -> bool:
    return "depth limit" in message or "Recursion limit" in message


def _profondeur() -> str:
    return (f"JSON trop imbriqué (plus de {nombre(PROFONDEUR_MAX)} niveaux de [ ou de {{ ; "
            "un dossier en compte quatre)")


# The decoders' messages (json, then orjson), by their start; anything else is said without English.
_MESSAGES_JSON = (
    ("Expecting value", "valeur attendue"),
    ("Expecting property name", "nom de champ attendu, entre guillemets droits (\")"),
    ("Expecting ':' delimiter", "deux-points (:) attendu après le nom du champ"),
    ("Expecting ',' delimiter", "virgule attendue entre deux éléments"),
    ("Unterminated string", "texte non terminé : guillemet fermant manquant"),
    ("Invalid control character", "caractère de contrôle dans un texte (un saut de ligne s'écrit \\n)"),
    ("Invalid \\uXXXX escape", "séquence \\uXXXX invalide"),
    ("Invalid \\escape", "séquence d'échappement invalide (\\…)"),
    ("Extra data", "contenu en trop après la fin du JSON"),
    ("Illegal trailing comma", "virgule en trop avant la fin"),
    ("Input is a zero-length", "document vide"),
    ("unexpected end of data", "fin du texte inattendue : JSON incomplet"),
    ("unexpected character, expected a JSON value", "valeur attendue"),
    ("unexpected character, expected a string key", "nom de champ attendu, entre guillemets droits (\")"),
    ("unexpected character, expected ':'", "deux-points (:) attendu après le nom du champ"),
    ("unexpected character, expected ',' or ']'", "virgule ou ] attendu"),
    ("unexpected character, expected ',' or '}'", "virgule ou } attendu"),
    ("unexpected content after document", "contenu en trop après la fin du JSON"),
    ("unexpected control character", "caractère de contrôle dans un texte (un saut de ligne s'écrit \\n)"),
    ("trailing comma", "virgule en trop avant la fin"),
    ("number with leading zero", "nombre commençant par un zéro"),
    ("number is infinity", "nombre trop grand"),
    ("invalid literal, expected", "mot inconnu (true, false ou null attendu)"),
    ("no low surrogate", "séquence \\u invalide (moitié de paire UTF-16)"),
    ("invalid high surrogate", "séquence \\u invalide (moitié de paire UTF-16)"),
    ("invalid low surrogate", "séquence \\u invalide (moitié de paire UTF-16)"),
    ("str is not valid UTF-8", "caractère invalide (moitié de paire UTF-16)"),
    ("invalid escape", "séquence d'échappement invalide (\\…)"),
    ("invalid UTF-8", "encodage illisible (UTF-8 attendu)"),
    ("invalid utf-8", "encodage illisible (UTF-8 attendu)"),
)


def message_json(message: str) -> str:
    """Le message d'erreur de json ou d'orjson, en français."""
    return next((francais for debut, francais in _MESSAGES_JSON if message.startswith(debut)), "syntaxe invalide")


def _xlsx(chemin: Path, octets: bytes) -> list[Any]:
    """La première feuille, comme un CSV : la première ligne est l'en-tête, une ligne par dossier."""
    if not octets:
        raise FichierIllisible(f"{chemin} : fichier vide")
    from openpyxl import load_workbook  # imported when a workbook is read, not for every JSON or CSV
    from openpyxl.utils import get_column_letter

    try:
        classeur = load_workbook(io.BytesIO(octets), read_only=True, data_only=True)  # the bytes already bounded
        try:
            # Read everything now: in read-only mode a damaged sheet only fails while it is iterated.
            lignes = [list(r) for r in classeur.worksheets[0].iter_rows(values_only=True)]
        finally:
            classeur.close()
    except Exception:  # openpyxl raises zip, XML, key or value errors on a damaged or foreign file
        raise FichierIllisible(f"{chemin} : classeur Excel illisible (fichier abîmé, protégé par un mot de passe "
                               "ou qui n'est pas au format .xlsx)") from None
    debut = next((i for i, valeurs in enumerate(lignes) if not all(_vide(v) for v in valeurs)), None)
    if debut is None:
        raise FichierIllisible(f"{chemin} : la première feuille du classeur est vide")
    entete = [_texte_cellule(v).strip() for v in lignes[debut]]
    while entete and entete[-1] == "":
        entete.pop()  # formatted but empty columns on the right are not columns
    entete = [nom or f"(colonne {get_column_letter(j)} sans nom)" for j, nom in enumerate(entete, 1)]
    try:
        verifier_entete(entete)
    except ColonnesInvalides as exc:
        raise FichierIllisible(f"{chemin} : {exc}") from None
    # Row numbers are Excel's, so the holder finds the row the error names.
    return [_ligne_xlsx(numero, entete, valeurs)
            for numero, valeurs in enumerate(lignes[debut + 1:], debut + 2) if not all(_vide(v) for v in valeurs)]


def _ligne_xlsx(numero: int, entete: list[str], valeurs: list[Any]) -> Any:
    cellules = [_texte_cellule(v, entete[j] if j < len(entete) else "") for j, v in enumerate(valeurs)]
    if any(cellules[len(entete):]):
        # As in a CSV, a value outside the header has no column: the row is refused, the others are read.
        reference = cellules[entete.index("reference")] if "reference" in entete else None
        return SaisieIllisible(f"ligne {numero}", f"valeur hors des colonnes de l'en-tête ({len(entete)} colonnes)",
                               reference or None)
    cellules += [""] * (len(entete) - len(cellules))
    return ligne_vers_dossier(dict(zip(entete, cellules)))


def _vide(valeur: Any) -> bool:
    return valeur is None or (isinstance(valeur, str) and not valeur.strip())


def _texte_cellule(valeur: Optional[Any], colonne: str = "") -> str:
    """Une cellule Excel écrite comme dans le CSV du contrat : le même lecteur de ligne sert aux deux."""
    if valeur is None:
        return ""  # an empty cell is unknown, as an empty CSV cell
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    largeur = _CODES_A_ZEROS.get(colonne)
    if largeur and isinstance(valeur, (int, float)) and 0 < valeur < 10 ** largeur and valeur == int(valeur):
        # Only a whole number that fits is padded: anything else is written as is, for validation to refuse.
        return f"{int(valeur):0{largeur}d}"
    if isinstance(valeur, datetime):
        # A date cell holds midnight; a real time is kept so validation says a date was expected.
        return valeur.date().isoformat() if valeur.time() == time(0) else valeur.isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, float):
        # Excel stores every number as a float: 180000.0 is the 180000 the user typed.
        return str(int(valeur)) if valeur.is_integer() else repr(valeur)
    return str(valeur)
