"""Ce que partagent les commandes : arrêter proprement, lire une date, nommer l'agent, démarrer
l'application, traduire les erreurs du domaine et du démarrage en une ligne (jamais de trace)."""
import errno
import getpass
import os
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Iterator, NoReturn, Optional

import typer

from api import bootstrap
from api.bootstrap import Application, ErreurDemarrage
from api.cli.progression import Progression
from instruction.acces import Agent
from instruction.erreurs import ErreurInstruction

# Every kind of domain error ends the same way on the command line: one line, exit code 2 (the contract's
# « commande, fichier ou demande inutilisable »). The web maps the same kinds to HTTP statuses.
CODES_DE_SORTIE = {"refus": 2, "saisie": 2, "introuvable": 2, "interdit": 2, "indisponible": 2}


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


def agent(auteur: Optional[str] = None) -> Agent:
    """La ligne de commande agit sur le serveur : un administrateur local, nommé par --auteur."""
    return Agent.local(auteur or auteur_par_defaut())


def application(moteur: str = "auto", **options) -> Application:
    try:
        return bootstrap.application(moteur, **options)
    except ErreurDemarrage as exc:
        arreter(exc.message)


_RAISONS = {errno.EACCES: "permission refusée", errno.EPERM: "permission refusée", errno.EISDIR: "c'est un dossier",
            errno.ENOSPC: "disque plein", errno.EROFS: "système de fichiers en lecture seule",
            errno.ENOENT: "dossier introuvable", errno.ENOTDIR: "un élément du chemin n'est pas un dossier"}


def ecrire_document(vm: dict, sortie: Path, document: str) -> None:
    """Écrit l'avis ou le rapport ; un dossier absent ou interdit en écriture est dit en une ligne.

    Le document est écrit à côté, sous un nom provisoire, puis renommé : interrompu (Ctrl-C) ou en échec,
    il ne laisse ni fichier tronqué ni ancien rapport écrasé à moitié."""
    if not sortie.parent.is_dir():
        arreter(f"--output : le dossier « {sortie.parent} » n'existe pas")
    from api.rendu.documents import ecrire  # WeasyPrint and openpyxl load only when a document is written
    # Same folder (a rename never crosses file systems), same extension (it chooses the format), hidden.
    provisoire = sortie.with_name(f".{sortie.stem}.{os.getpid()}.partiel{sortie.suffix}")
    try:
        ecrire(vm, provisoire, document, Progression().annoncer)
        os.replace(provisoire, sortie)
    except OSError as exc:
        arreter(f"{sortie} : écriture impossible ({_RAISONS.get(exc.errno, exc.strerror or exc)})")
    finally:
        with suppress(OSError):
            provisoire.unlink(missing_ok=True)


@contextmanager
def refus_en_message() -> Iterator[None]:
    """Toute erreur du domaine, du stockage ou du démarrage : une ligne et son code de sortie."""
    try:
        yield
    except ErreurInstruction as exc:
        arreter(str(exc), CODES_DE_SORTIE[exc.genre])
    except ErreurDemarrage as exc:
        arreter(exc.message)
