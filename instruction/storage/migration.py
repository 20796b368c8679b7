"""Mettre le schéma de la base à jour, sans alembic.ini : Alembic est configuré ici, dans le code.

`mettre_a_jour()` applique les migrations manquantes (toutes, sur une base neuve ; aucune, sur
une base à jour) dans une seule transaction ; sur SQLite, le fichier est créé au besoin.
"""
from pathlib import Path
from typing import Any, Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text

from instruction.storage.connexion import (
    ErreurStockage,
    creer_moteur,
    erreurs_traduites,
    exiger_base,
    masquer,
    url_par_defaut,
)
from instruction.storage.tables import ECHELLE_MONTANT, PRECISION_MONTANT, MontantAuCentime

DOSSIER_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant: on PostgreSQL, two processes upgrading at once take turns on this advisory lock.
VERROU_MIGRATION = 0x6775_6963_6865_74


def configuration() -> Config:
    config = Config()
    config.set_main_option("script_location", str(DOSSIER_MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def rendre_pour_alembic(genre: str, objet: Any, _contexte: Any) -> Any:
    """Pour `alembic revision --autogenerate` : un montant s'écrit avec les types de SQLAlchemy, comme dans 0001.

    A migration freezes its schema: it must not import `tables.MontantAuCentime`, which may change later.
    """
    if genre == "type" and isinstance(objet, MontantAuCentime):
        return (f"sa.Numeric(precision={PRECISION_MONTANT}, scale={ECHELLE_MONTANT})"
                '.with_variant(sa.BigInteger(), "sqlite")')
    return False


def version_de_tete() -> str:
    """La version du schéma que décrit le code (la dernière migration)."""
    return ScriptDirectory.from_config(configuration()).get_current_head()


def mettre_a_jour(url: Optional[str] = None) -> str:
    """Amène la base de `url` (par défaut `url_par_defaut()`) à la dernière version ; rend cette version.

    Une base en mémoire est refusée : migrée puis perdue à la fin de la commande, elle ferait croire à une
    base prête."""
    url = url or url_par_defaut()
    exiger_base(url, creer=True)
    moteur = creer_moteur(url)
    try:
        with erreurs_traduites(moteur.url), moteur.begin() as connexion:
            if connexion.dialect.name == "postgresql":
                connexion.execute(text("SELECT pg_advisory_xact_lock(:cle)"), {"cle": VERROU_MIGRATION})
            config = configuration()
            config.attributes["connection"] = connexion
            command.upgrade(config, "head")
            return MigrationContext.configure(connexion).get_current_revision()
    except CommandError as erreur:  # e.g. a base migrated by a newer version of the code
        raise ErreurStockage(f"migration impossible de la base « {masquer(moteur.url)} » : {erreur}") from None
    finally:
        moteur.dispose()


def version_actuelle(url: str) -> Optional[str]:
    """La version du schéma de la base, None si elle n'a jamais été migrée (ou si son fichier n'existe pas)."""
    moteur = creer_moteur(url)
    try:
        fichier = moteur.url.database if moteur.dialect.name == "sqlite" else None
        if fichier and fichier != ":memory:" and not Path(fichier).exists():
            return None  # reading the version must not create an empty database file
        with erreurs_traduites(moteur.url), moteur.connect() as connexion:
            return MigrationContext.configure(connexion).get_current_revision()
    finally:
        moteur.dispose()


def verifier_a_jour(url: str) -> None:
    """Refuse, avec la commande qui répare, une base dont le schéma n'est pas celui du code (ou en mémoire)."""
    exiger_base(url, creer=True)  # a missing file reads as version « vide », which says what to run
    actuelle, attendue = version_actuelle(url), version_de_tete()
    if actuelle != attendue:
        raise ErreurStockage(f"la base « {masquer(url)} » est en version {actuelle or 'vide'}, le code attend "
                             f"{attendue} : mettez-la à jour (guichet db upgrade)")
