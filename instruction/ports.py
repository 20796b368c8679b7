"""Ce que l'instruction attend du stockage, sans savoir comment il est fait.

L'adaptateur SQLAlchemy (`instruction.storage`) et les faux des tests unitaires suivent ces
contrats. Une unité de travail est une transaction : tout ce qui est fait entre son ouverture
et `valider()` est enregistré d'un coup, ou rien du tout.
"""
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Optional, Protocol

from instruction.comite.enveloppes import Enveloppe
from instruction.comite.reunion import Comite
from instruction.dossiers.dossier_instruit import DossierInstruit

if TYPE_CHECKING:  # the desk's read model imports this module
    from instruction.dossiers.recherche import Criteres, LigneDossier


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


class EntrepotDossiers(Protocol):
    def ajouter(self, dossier: DossierInstruit) -> None: ...

    def obtenir(self, reference: str, pour_modifier: bool = False, complet: bool = True) -> Optional[DossierInstruit]:
        """`pour_modifier` verrouille le dossier jusqu'à la fin de la transaction : deux évaluations
        simultanées d'un même dossier s'attendent au lieu de se marcher dessus. `complet=False` : seulement la
        dernière évaluation de l'historique (les précédentes comptées dans `evaluations_anterieures`)."""

    def enregistrer(self, dossier: DossierInstruit) -> None:
        """Écrit les changements d'un dossier obtenu ou ajouté dans cette unité de travail."""

    def lister(self, etat: Optional[str] = None, proprietaire: Optional[str] = None,
               references: Optional[frozenset[str]] = None) -> list[ResumeDossier]:
        """Par référence ; `proprietaire` et `references` restreignent la liste (un porteur, un membre du comité)."""

    def page(self, etat: Optional[str], avis: Optional[str], commune: Optional[str], limite: int,
             decalage: int) -> tuple[list[ResumeDossier], int]:
        """Une page de tous les dossiers par référence (état, avis de la dernière évaluation, commune), et leur
        nombre : la liste de l'API pour les services, sans relire tous les dossiers à chaque page."""

    # The desk (instruction.dossiers.recherche): `obtenir(…, complet=False)` and `obtenir_plusieurs` bring only
    # the last evaluation (enough to act on a dossier; the history page loads it whole).
    def obtenir_plusieurs(self, references: list[str], pour_modifier: bool = False, complet: bool = False,
                          pour_evaluer: bool = False) -> dict[str, DossierInstruit]:
        """Les dossiers trouvés parmi `references`, par référence, en quelques requêtes pour tout le lot.
        `pour_evaluer` : sans aucune évaluation, seulement leur nombre (le dossier ne sert qu'à en ajouter une)."""

    def enregistrer_plusieurs(self, dossiers: list[DossierInstruit]) -> None:
        """Comme `enregistrer` pour chacun, les écritures du lot groupées."""

    def rechercher(self, criteres: "Criteres", paginer: bool = True) -> tuple[list["LigneDossier"], int]:
        """La page demandée (toutes les lignes sans `paginer`) et le nombre de dossiers du filtre."""

    def references(self, criteres: "Criteres", maximum: int) -> tuple[list[str], int]:
        """Les références du filtre, dans son ordre (au plus `maximum`), et leur nombre total."""


class EntrepotComites(Protocol):
    def ajouter(self, comite: Comite) -> None: ...

    def obtenir(self, code: str, pour_modifier: bool = False) -> Optional[Comite]:
        """`pour_modifier` verrouille la réunion jusqu'à la fin de la transaction (son ordre du jour est
        réécrit d'un bloc : deux inscriptions simultanées ne doivent pas s'écraser)."""

    def enregistrer(self, comite: Comite) -> None: ...

    def lister(self) -> list[Comite]: ...

    def codes_pour(self, reference: str) -> frozenset[str]:
        """Les réunions dont l'ordre du jour porte ce dossier."""

    def enveloppes(self, code: str) -> list[Enveloppe]:
        """Les enveloppes budgétaires de la réunion, dans l'ordre où elles ont été ajoutées."""

    def enregistrer_enveloppes(self, code: str, enveloppes: list[Enveloppe]) -> None:
        """Réécrit les enveloppes d'une réunion existante (obtenue `pour_modifier`)."""


class EntrepotRegles(Protocol):
    """Les fichiers de règles de chaque version employée, pour rejouer un avis plus tard."""

    def conserver(self, empreinte: str, fichiers: dict[str, str]) -> None: ...

    def obtenir(self, empreinte: str) -> Optional[dict[str, str]]: ...


class UniteDeTravail(Protocol):
    dossiers: EntrepotDossiers
    comites: EntrepotComites
    regles: EntrepotRegles

    def __enter__(self) -> "UniteDeTravail": ...

    def __exit__(self, *exc) -> None:
        """Annule tout ce qui n'a pas été validé."""

    def valider(self) -> None: ...

    def annuler(self) -> None: ...


# The accounts (instruction.comptes): imported here, after the dossiers' ports, so that the two stay apart.
from datetime import datetime  # noqa: E402

from instruction.comptes.audit import EvenementAudit  # noqa: E402
from instruction.comptes.compte import Compte  # noqa: E402
from instruction.comptes.jetons import JetonApi  # noqa: E402
from instruction.comptes.sessions import Session  # noqa: E402


class EntrepotComptes(Protocol):
    def ajouter(self, compte: Compte) -> None:
        """Lève `CompteExistant` si l'adresse a déjà un compte (même créé au même instant par un autre processus)."""

    def obtenir(self, email: str) -> Optional[Compte]: ...

    def par_confirmation(self, empreinte: str) -> Optional[Compte]:
        """Le compte dont le lien de confirmation a cette empreinte."""

    def enregistrer(self, compte: Compte) -> None: ...

    def lister(self) -> list[Compte]:
        """Par adresse."""


class EntrepotJetons(Protocol):
    def ajouter(self, jeton: JetonApi) -> None: ...

    def obtenir(self, prefixe: str) -> Optional[JetonApi]: ...

    def par_empreinte(self, empreinte: str) -> Optional[JetonApi]: ...

    def enregistrer(self, jeton: JetonApi) -> None:
        """Écrit la révocation et le dernier usage."""

    def lister(self) -> list[JetonApi]:
        """Du plus récent au plus ancien."""


class EntrepotSessions(Protocol):
    def ajouter(self, session: Session) -> None: ...

    def obtenir(self, empreinte: str) -> Optional[Session]: ...

    def enregistrer(self, session: Session) -> None:
        """Écrit le dernier passage (`vu_le`)."""

    def supprimer(self, empreinte: str) -> None: ...

    def supprimer_du_compte(self, email: str, sauf: Optional[str] = None) -> None:
        """Ferme toutes les sessions d'un compte, sauf celle d'empreinte `sauf`."""

    def purger(self, maintenant: datetime) -> None:
        """Efface les sessions expirées."""


class EntrepotTentatives(Protocol):
    """Les échecs de connexion par clé (`compte:…`, `adresse:…`), partagés par tous les processus du serveur."""

    def ajouter_echec(self, cle: str, quand: datetime) -> None: ...

    def echecs(self, cle: str, depuis: datetime) -> list[datetime]: ...

    def effacer(self, cle: str) -> None: ...

    def purger(self, avant: datetime) -> None: ...


class EntrepotAudit(Protocol):
    def ajouter(self, evenement: EvenementAudit) -> None: ...

    def derniers(self, nombre: int = 50) -> list[EvenementAudit]:
        """Du plus récent au plus ancien."""


class UniteDeTravailComptes(UniteDeTravail, Protocol):
    """L'unité de travail, avec les dépôts des comptes, des jetons, des sessions, des tentatives et du journal."""
    comptes: EntrepotComptes
    jetons: EntrepotJetons
    sessions: EntrepotSessions
    tentatives: EntrepotTentatives
    audit: EntrepotAudit


# The holder's journey (instruction.dossiers.brouillons, pieces, messages, complements): each by dossier reference.
from instruction.dossiers.parcours import Brouillon, DemandeComplements, Message, Piece  # noqa: E402


class EntrepotBrouillons(Protocol):
    def obtenir(self, reference: str) -> Optional[Brouillon]: ...

    def enregistrer(self, brouillon: Brouillon) -> None:
        """Crée ou remplace le suivi du brouillon d'un dossier existant."""


class EntrepotPieces(Protocol):
    def ajouter(self, piece: Piece, contenu: bytes) -> None: ...

    def lister(self, reference: str) -> list[Piece]:
        """Toutes les pièces, retirées comprises, par numéro ; sans leur contenu."""

    def dernier_numero(self, reference: str) -> int: ...

    def contenu(self, reference: str, numero: int) -> Optional[bytes]: ...

    def enregistrer(self, piece: Piece) -> None:
        """Écrit le retrait d'une pièce (son contenu ne change jamais)."""


class EntrepotMessages(Protocol):
    def ajouter(self, message: Message) -> None: ...

    def lister(self, reference: str) -> list[Message]: ...


class EntrepotComplements(Protocol):
    def ajouter(self, demande: DemandeComplements) -> None: ...

    def enregistrer(self, demande: DemandeComplements) -> None:
        """Écrit la réponse du porteur."""

    def lister(self, reference: str) -> list[DemandeComplements]: ...


class UniteDeTravailPorteur(UniteDeTravail, Protocol):
    """L'unité de travail, avec les entrepôts du parcours du porteur."""
    brouillons: EntrepotBrouillons
    pieces: EntrepotPieces
    messages: EntrepotMessages
    complements: EntrepotComplements
