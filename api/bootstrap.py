"""Le câblage : un seul objet `Application` que les trois entrées (ligne de commande, pages, API) se
partagent — la base de règles, le territoire, les contrôles du comité, le `Guichet`, l'unité de travail
et l'horloge. C'est ici, et dans les adaptateurs, que les fichiers sont lus ; le domaine ne lit rien.

Rien ici n'importe Typer ni FastAPI : une erreur de démarrage est une `ErreurDemarrage` que chaque
entrée traduit à sa façon (une ligne et le code 2, ou un refus de démarrer le serveur).
"""
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Optional

from instruction.comite.controles import Controle, charger_controles
from instruction.evaluation.guichet import MOTEURS, Guichet
from instruction.evaluation.territoire import ErreurTerritoire, Territoire
from instruction.ports import UniteDeTravail
from instruction.temps import Horloge, maintenant
from rules.base import BaseDeRegles
from rules.chargement import DOSSIER_REGLES
from rules.erreurs import ErreursRegles

__all__ = ["DOSSIER_REGLES", "Application", "ErreurDemarrage", "application", "guichet", "lire_regles"]


class ErreurDemarrage(Exception):
    """Le guichet ne peut pas démarrer : règles ou données invalides, moteur indisponible."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class Application:
    guichet: Guichet
    controles: dict[str, Controle]
    horloge: Horloge = maintenant
    url: Optional[str] = None  # None: DATABASE_URL, or the SQLite file of the data folder
    _fabrique: Optional[Callable[[], UniteDeTravail]] = field(default=None, repr=False)

    @property
    def territoire(self) -> Territoire:
        return self.guichet.territoire

    @property
    def base(self) -> BaseDeRegles:
        return self.guichet.base

    def unite_de_travail(self) -> UniteDeTravail:
        return self._fabrique() if self._fabrique else unite_de_travail(self.url, self.horloge)


@lru_cache(maxsize=1)
def territoire() -> Territoire:
    try:
        return Territoire.charger()
    except ErreurTerritoire as exc:
        raise ErreurDemarrage(f"données du territoire invalides : {exc}") from None


@lru_cache(maxsize=1)
def base_de_regles() -> BaseDeRegles:
    return charger_regles(None)


def lire_regles(dossier: Optional[Path] = None) -> BaseDeRegles:
    """Les règles du dépôt, ou celles d'un autre dossier ; lève `ErreursRegles` (chaque faute nommée)."""
    return BaseDeRegles.charger(dossier) if dossier else BaseDeRegles.charger()


def charger_regles(dossier: Optional[Path]) -> BaseDeRegles:
    """Les règles du dépôt, ou celles d'un autre dossier (pour comparer deux versions)."""
    try:
        return lire_regles(dossier)
    except ErreursRegles as exc:
        raise ErreurDemarrage(f"la base de règles{f' de {dossier}' if dossier else ''} est invalide :\n{exc}") from None


@lru_cache(maxsize=1)
def controles() -> dict[str, Controle]:
    try:
        return charger_controles()
    except ErreurTerritoire as exc:
        raise ErreurDemarrage(f"contrôles du comité invalides : {exc}") from None


def guichet(moteur: str = "auto", base: Optional[BaseDeRegles] = None) -> Guichet:
    if moteur not in MOTEURS:
        raise ErreurDemarrage(f"--engine : moteur inconnu « {moteur} » ; possibles : {', '.join(MOTEURS)}")
    try:
        return Guichet(base or base_de_regles(), territoire(), moteur=moteur)
    except ErreurDemarrage:
        raise
    except Exception as exc:  # noqa: BLE001 - e.g. durable-rules asked for but not installed
        raise ErreurDemarrage(str(exc)) from None


def application(moteur: str = "auto", base: Optional[BaseDeRegles] = None, url: Optional[str] = None,
                **options: Any) -> Application:
    return Application(guichet(moteur, base), controles(), url=url, **options)


@lru_cache(maxsize=4)
def _moteur_bd(url: str):
    from instruction.storage.connexion import creer_moteur  # SQLAlchemy only for commands that use the database
    return creer_moteur(url)


def unite_de_travail(url: Optional[str] = None, horloge: Horloge = maintenant) -> UniteDeTravail:
    """Une unité de travail sur `url`, DATABASE_URL, ou la base SQLite du dossier de données.

    Une base absente ou en mémoire est refusée (ErreurStockage, « lancez guichet db upgrade ») avant toute
    connexion : SQLite créerait un fichier vide, et une commande qui ne fait que lire n'écrit rien."""
    from instruction.storage.connexion import exiger_base, url_par_defaut
    from instruction.storage.unite import UniteDeTravailSql
    url = url or url_par_defaut()
    exiger_base(url)
    return UniteDeTravailSql(_moteur_bd(url), horloge)


def migrer(url: Optional[str] = None) -> tuple[str, str]:
    """Met la base au dernier schéma ; rend (sa version, son adresse affichable, mot de passe masqué)."""
    from instruction.storage import migration
    from instruction.storage.connexion import masquer, url_par_defaut
    url = url or url_par_defaut()
    return migration.mettre_a_jour(url), masquer(url)


def verifier_schema(url: Optional[str] = None) -> None:
    """Refuse (ErreurStockage, une phrase qui dit quoi lancer) une base dont le schéma n'est pas à jour."""
    from instruction.storage import migration
    from instruction.storage.connexion import url_par_defaut
    migration.verifier_a_jour(url or url_par_defaut())
