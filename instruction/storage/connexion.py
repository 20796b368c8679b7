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
    """`DATABASE_URL` si elle est donnée, sinon le fichier SQLite du dossier de données.

    Rien n'est créé ici : une commande qui ne fait que lire ne laisse pas de dossier ni de base vide derrière
    elle ; seule la mise à jour du schéma (`guichet db upgrade`) crée le dossier et le fichier."""
    if url := os.environ.get("DATABASE_URL", "").strip():
        return normaliser(url)
    dossier = Path(os.environ.get("GUICHET_DONNEES") or DOSSIER_DONNEES_PAR_DEFAUT).resolve()
    return URL.create("sqlite+pysqlite", database=str(dossier / FICHIER_SQLITE)).render_as_string()


def _adresse(url: str | URL) -> URL:
    try:
        return make_url(normaliser(url) if isinstance(url, str) else url)
    except (exc.ArgumentError, ValueError):
        raise ErreurStockage(f"URL de base de données invalide : « {masquer(url)} » "
                             "(exemples : sqlite:///donnees/guichet.sqlite, postgresql://hote/base)") from None


def en_memoire(url: str | URL) -> bool:
    """Une base SQLite en mémoire : elle disparaît avec le processus qui l'a ouverte."""
    adresse = _adresse(url)
    base = adresse.database or ""
    return adresse.get_backend_name() == "sqlite" and (
        base in ("", ":memory:") or "mode=memory" in base or adresse.query.get("mode") == "memory")


def exiger_base(url: str | URL, creer: bool = False) -> None:
    """Refuse, en une phrase qui dit quoi faire, une base que la commande ne pourrait pas garder : une base
    SQLite en mémoire ; et, sauf pour la créer (`creer=True`), un fichier SQLite qui n'existe pas encore."""
    if en_memoire(url):
        affichee = masquer(url).replace("%3A", ":")
        raise ErreurStockage(f"base en mémoire refusée (« {affichee} ») : elle disparaîtrait à la fin de la "
                             "commande ; donnez un fichier (sqlite:///donnees/guichet.sqlite) ou un serveur "
                             "PostgreSQL dans DATABASE_URL")
    adresse = _adresse(url)
    if creer or adresse.get_backend_name() != "sqlite" or (adresse.database or "").startswith("file:"):
        return
    if not Path(adresse.database).exists():
        raise ErreurStockage(f"base absente : lancez « guichet db upgrade » (fichier {adresse.database})")


def _creer_dossier(dossier: Path) -> None:
    try:
        dossier.mkdir(parents=True, exist_ok=True)
    except OSError as erreur:
        raise ErreurStockage(f"impossible de créer le dossier de données « {dossier} » : "
                             f"{erreur.strerror or erreur} (choisissez-en un autre avec GUICHET_DONNEES)") from None


def creer_moteur(url: str | URL) -> Engine:
    """Le moteur SQLAlchemy de `url`, réglé pour que les écrivains concurrents s'attendent."""
    adresse = _adresse(url)
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


# The drivers' messages (SQLite, libpq, the system) that a user meets, in French; the rest is kept as is,
# after the French sentence that says what failed.
_TRADUCTIONS = (
    (r"file is not a database", "ce fichier n'est pas une base SQLite"),
    (r"database disk image is malformed", "fichier de base abîmé"),
    (r"unable to open database file", "impossible d'ouvrir le fichier de la base"),
    (r"attempt to write a readonly database", "base en lecture seule"),
    (r"database is locked", "base verrouillée"),
    (r"disk I/O error", "erreur d'entrée-sortie du disque"),
    (r"database or disk is full", "disque plein"),
    (r"no such table: (\S+)", r"table absente : \1"),
    (r"no such column: (\S+)", r"colonne absente : \1"),
    (r'relation "([^"]+)" does not exist', r"table absente : \1"),
    (r'column "?([^" ]+)"? does not exist', r"colonne absente : \1"),
    (r'database "([^"]+)" does not exist', r"la base « \1 » n'existe pas"),
    (r'password authentication failed for user "([^"]+)"', r"mot de passe refusé pour l'utilisateur « \1 »"),
    (r'role "([^"]+)" does not exist', r"l'utilisateur « \1 » n'existe pas sur le serveur"),
    (r'connection to server at "([^"]+)" \(([^)]+)\), port (\d+) failed: ',
     r"connexion au serveur \1 (\2), port \3 impossible : "),
    (r'connection to server at "([^"]+)", port (\d+) failed: ', r"connexion au serveur \1, port \2 impossible : "),
    (r'connection to server on socket "([^"]+)" failed: ', r"connexion au serveur (socket \1) impossible : "),
    (r"connection failed: ", ""),
    (r"connection is bad: ", "connexion rompue : "),
    (r"Connection refused", "connexion refusée (le serveur est-il démarré ?)"),
    (r"No such file or directory", "fichier ou dossier introuvable"),
    (r'could not translate host name "([^"]+)" to address: .*', r"nom d'hôte « \1 » inconnu"),
    (r"Name or service not known|Temporary failure in name resolution", "nom d'hôte inconnu"),
    (r"No route to host", "hôte injoignable"),
    (r"Network is unreachable", "réseau injoignable"),
    (r"timeout expired|Connection timed out", "délai de connexion dépassé"),
    (r"server closed the connection unexpectedly", "le serveur a fermé la connexion"),
    (r"the database system is starting up", "le serveur de base de données démarre"),
    (r"the database system is shutting down", "le serveur de base de données s'arrête"),
    (r"too many clients already|remaining connection slots are reserved.*", "trop de connexions ouvertes"),
    (r"UNIQUE constraint failed: (.+)", r"valeur déjà enregistrée (unicité de \1)"),
    (r'duplicate key value violates unique constraint "([^"]+)"', r"valeur déjà enregistrée (contrainte \1)"),
    (r"FOREIGN KEY constraint failed", "renvoi à un enregistrement absent"),
    (r'.*violates foreign key constraint "([^"]+)".*', r"renvoi à un enregistrement absent (contrainte \1)"),
    (r"NOT NULL constraint failed: (.+)", r"valeur obligatoire absente : \1"),
    (r'null value in column "([^"]+)".*', r"valeur obligatoire absente : \1"),
    (r'.*cannot contain NUL \(0x00\).*|invalid byte sequence for encoding "UTF8": 0x00',
     "caractère nul (U+0000) refusé par PostgreSQL"),
)


def en_francais(raison: str) -> str:
    """La cause d'une erreur de la base, traduite pour ce que l'utilisateur rencontre d'ordinaire."""
    for motif, francais in _TRADUCTIONS:
        raison = re.sub(motif, francais, raison)
    return raison


def message_d_erreur(erreur: exc.SQLAlchemyError, url: str | URL) -> str:
    """Une phrase pour une erreur de la base : la cause première, sans trace d'appel ni mot de passe."""
    cause = str(getattr(erreur, "orig", None) or erreur).strip().splitlines()
    anglais = cause[0] if cause else type(erreur).__name__
    mot_de_passe = (url if isinstance(url, URL) else make_url(url)).password
    if mot_de_passe:
        anglais = anglais.replace(str(mot_de_passe), "***")
    raison = en_francais(anglais)
    if isinstance(erreur, exc.IntegrityError) and "numero" in anglais:
        # Two writers appended to one history: the second read it without pour_modifier=True.
        return (f"le dossier a été modifié par une autre opération pendant celle-ci : recommencez "
                f"(base « {masquer(url)} » : {raison})")
    if isinstance(erreur, exc.IntegrityError):
        return f"écriture refusée par la base « {masquer(url)} » : {raison}"
    if _SCHEMA_ABSENT.search(anglais):
        return (f"la base « {masquer(url)} » n'a pas le schéma attendu ({raison}) : "
                "lancez « guichet db upgrade »")
    if isinstance(erreur, exc.OperationalError) and "locked" in anglais:
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
