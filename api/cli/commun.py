"""Ce que partagent les commandes : arrêter proprement, lire une date, nommer l'auteur, traduire
les refus du domaine et du stockage en une ligne de message (jamais de trace)."""
import errno
import getpass
import os
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator, NoReturn, Optional

import typer

from instruction.erreurs import ErreurInstruction


def arreter(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"guichet : {message}", err=True)
    raise typer.Exit(code)


def lire_date(texte: Optional[str], option: str = "--date") -> Optional[date]:
    if texte is None:
        return None
    try:
        return date.fromisoformat(texte)
    except ValueError:
        arreter(f"{option} : date invalide « {texte} » (format AAAA-MM-JJ)")


def auteur_par_defaut() -> str:
    """Qui agit : GUICHET_AUTEUR, sinon le compte de la session (chaque transition nomme son auteur)."""
    try:
        return os.environ.get("GUICHET_AUTEUR") or getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


OPTION_AUTEUR = typer.Option(default_factory=auteur_par_defaut, show_default=False,
                             help="Qui agit (défaut : GUICHET_AUTEUR, sinon le compte).")


_RAISONS = {errno.EACCES: "permission refusée", errno.EPERM: "permission refusée", errno.EISDIR: "c'est un dossier",
            errno.ENOSPC: "disque plein", errno.EROFS: "système de fichiers en lecture seule",
            errno.ENOENT: "dossier introuvable", errno.ENOTDIR: "un élément du chemin n'est pas un dossier"}


def ecrire_document(vm: dict, sortie: Path, genre: str) -> None:
    """Écrit l'avis ou le rapport ; un dossier absent ou interdit en écriture est dit en une ligne."""
    if not sortie.parent.is_dir():
        arreter(f"--output : le dossier « {sortie.parent} » n'existe pas")
    from api.rendu.documents import ecrire  # WeasyPrint and openpyxl load only when a document is written
    try:
        ecrire(vm, sortie, genre)
    except OSError as exc:
        arreter(f"{sortie} : écriture impossible ({_RAISONS.get(exc.errno, exc.strerror or exc)})")


@contextmanager
def refus_en_message() -> Iterator[None]:
    """Un refus (transition interdite, dossier introuvable, base injoignable) : une ligne et le code 2."""
    try:
        yield
    except ErreurInstruction as exc:  # the storage's refusals (ErreurStockage) included
        arreter(str(exc))
