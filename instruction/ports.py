"""Ce que l'instruction attend du stockage, sans savoir comment il est fait.

L'adaptateur SQLAlchemy (`instruction.storage`) et les faux des tests unitaires suivent ces
contrats. Une unité de travail est une transaction : tout ce qui est fait entre son ouverture
et `valider()` est enregistré d'un coup, ou rien du tout.
"""
from dataclasses import dataclass
from datetime import date
from typing import Optional, Protocol

from instruction.comite.reunion import Comite
from instruction.dossiers.dossier_instruit import DossierInstruit


@dataclass(frozen=True)
class ResumeDossier:
    reference: str
    etat: str
    porteur: Optional[str]
    titre: Optional[str]
    commune_insee: Optional[str]
    date_depot: Optional[date]
    evaluations: int
    dernier_avis: Optional[str]
    proprietaire: Optional[str] = None


class DepotDossiers(Protocol):
    def ajouter(self, dossier: DossierInstruit) -> None: ...

    def obtenir(self, reference: str, pour_modifier: bool = False) -> Optional[DossierInstruit]:
        """`pour_modifier` verrouille le dossier jusqu'à la fin de la transaction : deux évaluations
        simultanées d'un même dossier s'attendent au lieu de se marcher dessus."""

    def enregistrer(self, dossier: DossierInstruit) -> None:
        """Écrit les changements d'un dossier obtenu ou ajouté dans cette unité de travail."""

    def lister(self, etat: Optional[str] = None, proprietaire: Optional[str] = None,
               references: Optional[frozenset[str]] = None) -> list[ResumeDossier]:
        """Par référence ; `proprietaire` et `references` restreignent la liste (un porteur, un membre du comité)."""


class DepotComites(Protocol):
    def ajouter(self, comite: Comite) -> None: ...

    def obtenir(self, code: str, pour_modifier: bool = False) -> Optional[Comite]:
        """`pour_modifier` verrouille la réunion jusqu'à la fin de la transaction (son ordre du jour est
        réécrit d'un bloc : deux inscriptions simultanées ne doivent pas s'écraser)."""

    def enregistrer(self, comite: Comite) -> None: ...

    def lister(self) -> list[Comite]: ...

    def codes_pour(self, reference: str) -> frozenset[str]:
        """Les réunions dont l'ordre du jour porte ce dossier."""


class DepotRegles(Protocol):
    """Les fichiers de règles de chaque version employée, pour rejouer un avis plus tard."""

    def conserver(self, empreinte: str, fichiers: dict[str, str]) -> None: ...

    def obtenir(self, empreinte: str) -> Optional[dict[str, str]]: ...


class UniteDeTravail(Protocol):
    dossiers: DepotDossiers
    comites: DepotComites
    regles: DepotRegles

    def __enter__(self) -> "UniteDeTravail": ...

    def __exit__(self, *exc) -> None:
        """Annule tout ce qui n'a pas été validé."""

    def valider(self) -> None: ...

    def annuler(self) -> None: ...
