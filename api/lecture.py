"""Lire un fichier de dossiers : JSON (objet ou tableau), JSON Lines ou CSV."""
import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import orjson

from forms.csv_contrat import ColonnesInvalides, ligne_vers_dossier, verifier_entete
from forms.validation import SaisieIllisible

TAILLE_MAX_MO = float(os.environ.get("GUICHET_TAILLE_MAX_MO", "32"))


class FichierIllisible(Exception):
    """Le fichier entier est inutilisable : la commande s'arrête avec le code 2."""


def lire_dossiers(chemin: Path) -> list[Any]:
    if not chemin.exists():
        raise FichierIllisible(f"{chemin} : fichier introuvable")
    if chemin.is_dir():
        raise FichierIllisible(f"{chemin} : c'est un dossier, pas un fichier")
    taille = chemin.stat().st_size
    if taille > TAILLE_MAX_MO * 1024 * 1024:
        raise FichierIllisible(f"{chemin} : fichier trop volumineux ({taille / 1048576:.1f} Mo ; "
                               f"{TAILLE_MAX_MO:g} Mo au plus) : découpez-le en plusieurs fichiers")
    try:
        texte = chemin.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FichierIllisible(f"{chemin} : encodage illisible (UTF-8 attendu)") from None
    if not texte.strip():
        raise FichierIllisible(f"{chemin} : fichier vide")
    if chemin.suffix.lower() == ".csv":
        return _csv(chemin, texte)
    if chemin.suffix.lower() in (".jsonl", ".ndjson"):
        return _json_lines(texte)
    return _json(chemin, texte)


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


def _json(chemin: Path, texte: str) -> list[Any]:
    try:
        contenu = json.loads(texte)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several JSON values, one per line: JSON Lines
            return _json_lines(texte)
        ou = f"ligne {exc.lineno}, colonne {exc.colno}"
        raise FichierIllisible(f"{chemin} : JSON invalide {ou} : {exc.msg}") from None
    if isinstance(contenu, list):
        return contenu
    if isinstance(contenu, dict):
        return [contenu]
    raise FichierIllisible(f"{chemin} : un dossier (objet JSON) ou une liste de dossiers est attendu")


def _json_lines(texte: str) -> list[Any]:
    dossiers = []
    for numero, ligne in enumerate(texte.splitlines(), 1):
        if not ligne.strip():
            continue
        try:
            dossiers.append(orjson.loads(ligne))  # a third of json's time on large batches
        except orjson.JSONDecodeError as exc:
            # One broken line is one invalid dossier, not a lost file.
            dossiers.append(SaisieIllisible(f"ligne {numero}", f"JSON invalide : {exc.msg}"))
    return dossiers
