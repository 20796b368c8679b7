"""Le stockage de l'instruction (SQLAlchemy 2, SQLite ou PostgreSQL) : l'adaptateur des ports de `instruction.ports`.

Seules les entrées (`api`) le câblent : le domaine ne connaît que les ports.

    moteur = creer_moteur(url_par_defaut())   # DATABASE_URL, sinon donnees/guichet.sqlite
    mettre_a_jour()                           # schéma à la dernière version (Alembic)
    uow = UniteDeTravailSql(moteur)           # à passer aux cas d'usage de instruction.dossiers.services
"""
from importlib import import_module

# Loaded on first use: SQLAlchemy and Alembic cost ~0.4 s to import, which a command that never
# touches the database (`guichet evaluate`, `guichet rules`) should not pay.
_OU = {"ErreurStockage": "erreurs", "creer_moteur": "connexion", "url_par_defaut": "connexion",
       "mettre_a_jour": "migration", "verifier_a_jour": "migration", "version_actuelle": "migration",
       "version_de_tete": "migration", "UniteDeTravailSql": "unite"}
__all__ = sorted(_OU)


def __getattr__(nom: str):
    if nom not in _OU:
        raise AttributeError(f"module 'instruction.storage' has no attribute {nom!r}")
    return getattr(import_module(f"instruction.storage.{_OU[nom]}"), nom)
