"""L'adaptateur des textes sources : les fichiers `.txt` du dossier des sources (`../shared/seeds`, ou
`GUICHET_SOURCES`), lus pour le site public des règles (`/textes/{document}`).

Le domaine ne lit aucun fichier : il reçoit cet objet (il suit `instruction.evaluation.site_regles.Textes`). Un
texte n'est servi que s'il est l'un des fichiers du dossier, par son nom exact : jamais un chemin venu d'une adresse.
Les textes sont lus une fois par processus (ils ne changent pas pendant que le serveur tourne).
"""
from functools import lru_cache
from pathlib import Path
from typing import Optional

from rules.verification import dossier_sources


class TextesDuDossier:
    """Les textes d'un dossier de sources, par nom de fichier."""

    def __init__(self, dossier: Path):
        self.dossier = dossier
        self._textes: dict[str, str] = {}

    def documents(self) -> list[str]:
        """Les noms des textes, dans l'ordre de leur numéro (`000_…`, `001_…`)."""
        try:
            return sorted(f.name for f in self.dossier.iterdir() if f.suffix == ".txt" and f.is_file())
        except OSError:
            return []

    def lire(self, document: str) -> Optional[str]:
        """Le texte brut, ou None si `document` n'est pas un texte du dossier."""
        if document not in self._textes:
            if document not in self.documents():
                return None
            self._textes[document] = (self.dossier / document).read_text(encoding="utf-8")
        return self._textes[document]


@lru_cache(maxsize=1)
def textes_du_depot() -> TextesDuDossier:
    """Les textes que citent les règles du dépôt (le dossier que vérifie `guichet rules check`)."""
    return TextesDuDossier(dossier_sources())
