"""Montrer l'avancement d'un long traitement par lots sur la sortie d'erreur.

Au terminal, une ligne qui se réécrit ; dans un journal (CI, redirection), une ligne tous les
dix pour cent, pour ne pas noyer la sortie.
"""
import sys
from typing import Optional, TextIO

LIBELLES = {"lecture": "Lecture", "évaluation": "Évaluation", "enregistrement": "Enregistrement"}


class Progression:
    def __init__(self, flux: Optional[TextIO] = None):
        self.flux = flux or sys.stderr
        self.terminal = self.flux.isatty()
        self._dernier: dict[str, int] = {}

    def __call__(self, etape: str, fait: int, total: int) -> None:
        if total <= 0:
            return
        pourcent = fait * 100 // total
        libelle = LIBELLES.get(etape, etape.capitalize())
        if self.terminal:
            self.flux.write(f"\r{libelle} : {fait}/{total} ({pourcent} %)" + ("\n" if fait == total else ""))
        elif pourcent // 10 != self._dernier.get(etape, -1) // 10 or fait == total:
            if self._dernier.get(etape) == 100:
                return
            self.flux.write(f"{libelle} : {fait}/{total} ({pourcent} %)\n")
        else:
            return
        self._dernier[etape] = pourcent
        self.flux.flush()
