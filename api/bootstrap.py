"""Le câblage : la base de données, la base de règles, le territoire. Seules les entrées l'appellent."""
from functools import lru_cache
from typing import Optional

from api.cli.commun import arreter
from instruction.evaluation.guichet import MOTEURS, Guichet
from rules.erreurs import ErreursRegles


@lru_cache(maxsize=4)
def _moteur_bd(url: str):
    from instruction.storage.connexion import creer_moteur  # SQLAlchemy only for commands that use the database
    return creer_moteur(url)


def unite_de_travail(url: Optional[str] = None):
    """Une unité de travail sur DATABASE_URL, ou la base SQLite du dossier de données."""
    from instruction.storage.connexion import url_par_defaut
    from instruction.storage.unite import UniteDeTravailSql
    return UniteDeTravailSql(_moteur_bd(url or url_par_defaut()))


def guichet(moteur: str = "auto", base=None) -> Guichet:
    if moteur not in MOTEURS:
        arreter(f"--engine : moteur inconnu « {moteur} » ; possibles : {', '.join(MOTEURS)}")
    try:
        return Guichet(base, moteur=moteur)
    except ErreursRegles as exc:
        arreter(f"la base de règles est invalide :\n{exc}")
    except Exception as exc:  # noqa: BLE001 - e.g. durable-rules asked for but not installed
        arreter(str(exc))
