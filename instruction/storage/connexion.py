"""Où sont les données et comment s'y connecter : l'URL par défaut, le moteur, et l'erreur de stockage.

Sans `DATABASE_URL`, le guichet garde ses dossiers dans un fichier SQLite du dossier de données
(`GUICHET_DONNEES`, par défaut `./donnees`). Avec une URL PostgreSQL, il emploie ce serveur.
Tout ce que l'utilisateur peut rater (URL mal écrite, serveur injoignable, dossier interdit en
écriture) devient une `ErreurStockage` au message français qui nomme l'URL, mot de passe masqué.
"""
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from instruction.storage.erreurs import ErreurStockage

DOSSIER_DONNEES_PAR_DEFAUT = "donnees"
FICHIER_SQLITE = "guichet.sqlite"
ATTENTE_VERROU_SECONDES = 60  # a writer waits this long for another one before giving up
DELAI_CONNEXION_SECONDES = 10
DIALECTES = ("sqlite", "postgresql")
PILOTES = ("pilotes pris en charge : psycopg 3 pour PostgreSQL (postgresql://… ou postgresql+psycopg://…), "
           "celui intégré à Python pour SQLite (sqlite:///chemin/du/fichier.sqlite)")


def normaliser(url: str) -> str:
    """`postgres://` et `postgresql://` désignent psycopg 3, le seul pilote PostgreSQL installé."""
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url.strip())


def masquer(url: str | URL) -> str:
    """L'URL telle qu'on peut l'afficher : le mot de passe remplacé par ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        # Unparseable: still hide whatever sits between "user:" and "@".
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", str(url))


def url_par_defaut() -> str:
    """`DATABASE_URL` si elle est donnée, sinon le fichier SQLite du dossier de données (créé au besoin)."""
    if url := os.environ.get("DATABASE_URL", "").strip():
        return normaliser(url)
    dossier = Path(os.environ.get("GUICHET_DONNEES") or DOSSIER_DONNEES_PAR_DEFAUT).resolve()
    _creer_dossier(dossier)
    return URL.create("sqlite+pysqlite", database=str(dossier / FICHIER_SQLITE)).render_as_string()


def _creer_dossier(dossier: Path) -> None:
    try:
        dossier.mkdir(parents=True, exist_ok=True)
    except OSError as erreur:
        raise ErreurStockage(f"impossible de créer le dossier de données « {dossier} » : "
                             f"{erreur.strerror or erreur} (choisissez-en un autre avec GUICHET_DONNEES)") from None


def creer_moteur(url: str | URL) -> Engine:
    """Le moteur SQLAlchemy de `url`, réglé pour que les écrivains concurrents s'attendent."""
    texte = normaliser(url) if isinstance(url, str) else url
    try:
        adresse = make_url(texte)
    except (exc.ArgumentError, ValueError):
        raise ErreurStockage(f"URL de base de données invalide : « {masquer(texte)} » "
                             "(exemples : sqlite:///donnees/guichet.sqlite, postgresql://hote/base)") from None
    if adresse.get_backend_name() not in DIALECTES:
        raise ErreurStockage(f"base de données non prise en charge : « {masquer(adresse)} » "
                             f"(possibles : {', '.join(DIALECTES)})")
    try:
        if adresse.get_backend_name() == "sqlite":
            return _moteur_sqlite(adresse)
        return create_engine(adresse, pool_pre_ping=True,
                             connect_args={"connect_timeout": DELAI_CONNEXION_SECONDES})
    except (exc.ArgumentError, exc.NoSuchModuleError) as erreur:
        raise ErreurStockage(f"URL de base de données refusée : « {masquer(adresse)} » ({erreur})") from None
    except ImportError as erreur:  # a driver SQLAlchemy knows but that is not installed (asyncpg, psycopg2…)
        raise ErreurStockage(f"pilote de base de données absent pour « {masquer(adresse)} » "
                             f"(module « {erreur.name or erreur} » non installé) : {PILOTES}") from None


def _moteur_sqlite(adresse: URL) -> Engine:
    if adresse.database and adresse.database != ":memory:" and not adresse.database.startswith("file:"):
        _creer_dossier(Path(adresse.database).resolve().parent)
    moteur = create_engine(adresse, connect_args={"timeout": ATTENTE_VERROU_SECONDES, "check_same_thread": False})

    @event.listens_for(moteur, "connect")
    def _regler(connexion_dbapi, _enregistrement):
        # pysqlite would begin transactions itself, lazily and only before writes: take that job over
        # (see the "begin" hook) so that reads and writes of one unit of work share one transaction.
        connexion_dbapi.isolation_level = None
        curseur = connexion_dbapi.cursor()
        try:
            curseur.execute("PRAGMA foreign_keys = ON")
            curseur.execute("PRAGMA journal_mode = WAL")  # readers outside our transactions never block
        finally:
            curseur.close()

    @event.listens_for(moteur, "begin")
    def _commencer(connexion):
        # IMMEDIATE takes the write lock up front: two units of work that read then write the same
        # dossier queue up here, instead of the second one failing when it upgrades its read lock.
        connexion.exec_driver_sql("BEGIN IMMEDIATE")

    return moteur


# SQLite says "no such table/column", PostgreSQL "relation … does not exist" / "column … does not exist".
_SCHEMA_ABSENT = re.compile(r"no such (table|column)|(relation|column) .* does not exist")


def message_d_erreur(erreur: exc.SQLAlchemyError, url: str | URL) -> str:
    """Une phrase pour une erreur de la base : la cause première, sans trace d'appel ni mot de passe."""
    cause = str(getattr(erreur, "orig", None) or erreur).strip().splitlines()
    raison = cause[0] if cause else type(erreur).__name__
    mot_de_passe = (url if isinstance(url, URL) else make_url(url)).password
    if mot_de_passe:
        raison = raison.replace(str(mot_de_passe), "***")
    if isinstance(erreur, exc.IntegrityError) and "numero" in raison:
        # Two writers appended to one history: the second read it without pour_modifier=True.
        return (f"le dossier a été modifié par une autre opération pendant celle-ci : recommencez "
                f"(base « {masquer(url)} » : {raison})")
    if isinstance(erreur, exc.IntegrityError):
        return f"écriture refusée par la base « {masquer(url)} » : {raison}"
    if _SCHEMA_ABSENT.search(raison):
        return (f"la base « {masquer(url)} » n'a pas le schéma attendu ({raison}) : "
                "lancez « guichet db upgrade »")
    if isinstance(erreur, exc.OperationalError) and "locked" in raison:
        return f"base « {masquer(url)} » occupée trop longtemps par une autre écriture ({raison}) : réessayez"
    if isinstance(erreur, (exc.OperationalError, exc.InterfaceError)):
        return f"base de données injoignable ou inutilisable « {masquer(url)} » : {raison}"
    return f"erreur de la base de données « {masquer(url)} » : {raison}"


@contextmanager
def erreurs_traduites(url: str | URL) -> Iterator[None]:
    """Change toute erreur de SQLAlchemy levée dans le bloc en `ErreurStockage`."""
    try:
        yield
    except exc.SQLAlchemyError as erreur:
        raise ErreurStockage(message_d_erreur(erreur, url)) from erreur
