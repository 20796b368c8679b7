"""Montrer l'avancement d'un long traitement sur la sortie d'erreur, au terminal seulement.

Au terminal, une ligne qui se réécrit à chaque pour cent ; dans un journal (CI, redirection, tube), rien :
le résultat et les erreurs suffisent, et un lot de 37 dossiers n'y laisse pas 22 lignes d'avancement.
"""
import sys
from typing import Optional, TextIO

from forms.libelles import nombre

LIBELLES = {"lecture": "Lecture", "évaluation": "Évaluation", "enregistrement": "Enregistrement"}


def _terminal(flux: TextIO) -> bool:
    try:
        return flux.isatty()
    except (AttributeError, ValueError):  # a closed or foreign stream is not a terminal
        return False


class Progression:
    def __init__(self, flux: Optional[TextIO] = None):
        self.flux = flux or sys.stderr
        self.terminal = _terminal(self.flux)
        self._dernier: dict[str, int] = {}
        self._annonce_ouverte = False

    def __call__(self, etape: str, fait: int, total: int) -> None:
        """(étape, fait, total) : la forme que les cas d'usage appellent pour chaque dossier."""
        if not self.terminal or total <= 0:
            return
        pourcent = fait * 100 // total
        if pourcent == self._dernier.get(etape) and fait != total:
            return  # one write per percent: a terminal redrawn 100 000 times slows the batch down
        self._dernier[etape] = pourcent
        libelle = LIBELLES.get(etape, etape.capitalize())
        self._ecrire(f"\r{libelle} : {nombre(fait)}/{nombre(total)} ({pourcent} %)" + ("\n" if fait == total else ""))

    def annoncer(self, message: str) -> None:
        """Une étape sans compte (la mise en page d'un PDF) : « Mise en page du PDF… » puis, sur la même
        ligne, « terminée (12 pages, 3,4 s) ». Un message qui finit par « … » ouvre la ligne."""
        if not self.terminal:
            return
        if message.endswith("…"):
            self._ecrire(message)
            self._annonce_ouverte = True
        else:
            self._ecrire((" " if self._annonce_ouverte else "") + message + "\n")
            self._annonce_ouverte = False

    def _ecrire(self, texte: str) -> None:
        try:
            self.flux.write(texte)
            self.flux.flush()
        except OSError:
            self.terminal = False  # the terminal went away: the work goes on without it
