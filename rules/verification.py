"""Vérifier que chaque extrait cité se trouve bien dans son texte source.

Les textes sont des extractions de PDF : on compare après normalisation des blancs et
des apostrophes. Les règles issues de la loi citent l'article ; elles nomment un texte
légal connu, dont le libellé n'est pas dans les sources.
"""
import os
import re
from pathlib import Path
from typing import Iterable, Optional

from rules.regle import Regle

TEXTES_LEGAUX = (
    "Code général des collectivités territoriales",
    "Règlement (UE) 2023/2831",
    "Décret n° 2018-514 du 25 juin 2018",
    "Règlement (UE) n° 1407/2013",
    "Code de commerce",
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " "})


def normaliser(texte: str) -> str:
    return re.sub(r"\s+", " ", texte.translate(_APOSTROPHES)).strip()


def dossier_sources(explicite: Optional[Path] = None) -> Path:
    if explicite:
        return explicite
    if "GUICHET_SOURCES" in os.environ:
        return Path(os.environ["GUICHET_SOURCES"])
    return Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def verifier_citations(regles: Iterable[Regle], sources: Optional[Path] = None) -> list[str]:
    dossier = dossier_sources(sources)
    textes: dict[str, Optional[str]] = {}
    problemes = []
    for regle in regles:
        doc = regle.source.document
        if doc in TEXTES_LEGAUX:
            continue
        if doc not in textes:
            chemin = dossier / doc
            textes[doc] = normaliser(chemin.read_text(encoding="utf-8")) if chemin.is_file() else None
        texte = textes[doc]
        if texte is None:
            ou = f"{regle.fichier}: règle {regle.id}"
            problemes.append(f"{ou} : document source introuvable « {doc} » dans {dossier}")
        elif normaliser(regle.source.extrait) not in texte:
            ou = f"{regle.fichier}: règle {regle.id}"
            problemes.append(f"{ou} : extrait absent de {doc} : « {regle.source.extrait[:80]}… »")
    return problemes
