"""Le stockage de l'instruction (SQLAlchemy 2, SQLite ou PostgreSQL) : l'adaptateur des ports de `instruction.ports`.

Seules les entrées (`api`) le câblent : le domaine ne connaît que les ports.

    moteur = creer_moteur(url_par_defaut())   # DATABASE_URL, sinon donnees/guichet.sqlite
    mettre_a_jour()                           # schéma à la dernière version (Alembic)
    uow = UniteDeTravailSql(moteur)           # à passer aux cas d'usage de instruction.services
"""
from instruction.storage.connexion import ErreurStockage, creer_moteur, url_par_defaut
from instruction.storage.migration import mettre_a_jour, verifier_a_jour, version_actuelle, version_de_tete
from instruction.storage.unite import UniteDeTravailSql

__all__ = ["ErreurStockage", "UniteDeTravailSql", "creer_moteur", "mettre_a_jour", "url_par_defaut",
           "verifier_a_jour", "version_actuelle", "version_de_tete"]
