"""Les champs de texte du dossier : longueurs maximales et caractères refusés.

Un caractère de contrôle (U+0000…) casse une base PostgreSQL, un terminal ou un export ; un caractère
invisible ou un forçage du sens d'écriture dans une référence fait passer une référence pour une autre.
Chaque refus dit quel caractère, à quelle position, et que faire.
"""
import re
import reprlib
from typing import Optional

# The limits the README lists (« Entrées refusées »): generous for real dossiers, small enough that a
# pasted file or a runaway script is refused with the field named instead of filling the database.
LONGUEUR_REFERENCE = 64
LONGUEUR_NOM = 200
LONGUEUR_TITRE = 300
LONGUEUR_DESCRIPTION = 5000

# C0 and C1 control characters and DEL, plus lone UTF-16 surrogates (json.loads lets "\ud800" through;
# neither UTF-8 nor PostgreSQL can store one). A regex scans a 5 000-character description in C.
_CONTROLES = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Free text keeps its tabs and line breaks.
_CONTROLES_TEXTE_LIBRE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Line and paragraph separators split a one-line field as a newline would.
_SEPARATEURS = re.compile(r"[\u2028\u2029]")
# In an identifier: zero-width characters, bidirectional embeddings, overrides, isolates and marks. Two
# references that look the same must be the same.
_INVISIBLES = re.compile(r"[\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069\u061c\u00ad]")

_NOMS = {
    "\x00": "caractère nul", "\t": "tabulation", "\n": "saut de ligne", "\r": "retour chariot",
    "\x1b": "échappement", "\x7f": "suppression", "\u2028": "séparateur de ligne",
    "\u2029": "séparateur de paragraphe", "\u200b": "espace sans chasse", "\u200c": "antiliant sans chasse",
    "\u200d": "liant sans chasse", "\u200e": "marque gauche-à-droite", "\u200f": "marque droite-à-gauche",
    "\u2060": "gluon de mots", "\ufeff": "espace insécable sans chasse (BOM)", "\u00ad": "trait d'union conditionnel",
    "\u061c": "marque de lettre arabe", "\u202a": "enchâssement gauche-à-droite",
    "\u202b": "enchâssement droite-à-gauche", "\u202c": "fin d'enchâssement", "\u202d": "forçage gauche-à-droite",
    "\u202e": "forçage droite-à-gauche", "\u2066": "isolat gauche-à-droite", "\u2067": "isolat droite-à-gauche",
    "\u2068": "isolat à direction déterminée", "\u2069": "fin d'isolat",
}


def _decrire(caractere: str, position: int) -> str:
    code = f"U+{ord(caractere):04X}"
    nom = _NOMS.get(caractere) or ("moitié de paire UTF-16" if 0xD800 <= ord(caractere) <= 0xDFFF else "")
    return f"{code}{', ' + nom if nom else ''}, position {position + 1}"


def _refuser(trouve: Optional[re.Match], quoi: str, conseil: str) -> None:
    if trouve is not None:
        raise ValueError(f"{quoi} interdit ({_decrire(trouve.group(), trouve.start())}) : {conseil}")


def ligne_de_texte(valeur: str) -> str:
    """Un texte d'une ligne (nom, titre) : ni caractère de contrôle, ni saut de ligne."""
    _refuser(_CONTROLES.search(valeur), "caractère de contrôle", "ce champ tient sur une ligne, retirez-le")
    _refuser(_SEPARATEURS.search(valeur), "séparateur de ligne", "ce champ tient sur une ligne, retirez-le")
    return valeur


def texte_libre(valeur: str) -> str:
    """Un texte libre (description) : tabulations et sauts de ligne permis, pas les autres contrôles.

    Les fins de ligne Windows (CR LF, celles qu'envoie un formulaire web) deviennent des LF."""
    valeur = valeur.replace("\r\n", "\n")
    _refuser(_CONTROLES_TEXTE_LIBRE.search(valeur), "caractère de contrôle", "retirez-le")
    return valeur


def identifiant(valeur: str) -> str:
    """Une référence ou un code : une ligne, sans caractère invisible ni forçage du sens d'écriture."""
    ligne_de_texte(valeur)
    _refuser(_INVISIBLES.search(valeur), "caractère invisible",
             "retapez ce champ au clavier, sans copier-coller")
    return valeur


_COURT = reprlib.Repr()
_COURT.maxlevel, _COURT.maxstring, _COURT.maxother = 3, 60, 60


def visible(texte: object, longueur: int = 60) -> str:
    """Un texte reçu, tel qu'un message peut le citer : sur une ligne, caractères invisibles montrés
    (\\x00, \\u202e), coupé à `longueur` caractères avec « … »."""
    # reprlib bounds the depth and the length: str() of a list nested a thousand deep would recurse out.
    brut = texte if isinstance(texte, str) else _COURT.repr(texte)
    coupe = brut[:longueur]
    # Format characters (bidi, zero-width) are not printable either: repr() shows their code.
    montre = "".join(c if c.isprintable() else repr(c)[1:-1] for c in coupe)
    return montre + ("…" if len(brut) > longueur else "")
