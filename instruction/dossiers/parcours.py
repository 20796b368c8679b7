"""Ce que le parcours du porteur enregistre à côté du dossier : le suivi du brouillon, les pièces jointes, les
messages et les demandes de compléments. Des valeurs figées, sans cas d'usage (ceux-ci sont dans
`brouillons`, `pieces`, `messages` et `complements`), que les ports (`instruction.ports`) échangent."""
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional


@dataclass(frozen=True)
class Brouillon:
    reference: str
    version: int = 1  # raised by every save: two tabs on the same draft cannot silently overwrite each other
    etapes: tuple[str, ...] = ()  # the steps saved at least once
    derniere_etape: Optional[str] = None
    evaluation_depot: Optional[int] = None  # number of the evaluation made when it was filed
    depose_le: Optional[datetime] = None


@dataclass(frozen=True)
class Piece:
    """Une pièce déposée (sans son contenu, qui ne se lit qu'au téléchargement)."""
    numero: int
    reference: str
    piece: str  # the required document it answers (the pre-diagnostic's wording), or "" for another one
    nom_fichier: str
    type_media: str
    taille: int
    sha256: str
    depose_par: str
    depose_le: datetime
    retiree_le: Optional[datetime] = None

    @property
    def active(self) -> bool:
        return self.retiree_le is None


@dataclass(frozen=True)
class Message:
    numero: int
    reference: str
    auteur: str  # as the history names people (Agent.auteur)
    cote: str  # "porteur" or "instruction": which side of the thread wrote it
    texte: str
    ecrit_le: datetime


@dataclass(frozen=True)
class DemandeComplements:
    """Une demande de compléments et, une fois répondue, la réponse du porteur."""
    numero: int
    reference: str
    champs: tuple[str, ...]  # contract paths, or "pieces" for documents
    message: str
    auteur: str  # the instructor, as the history names them
    demandee_le: datetime
    repondue_le: Optional[datetime] = None
    repondue_par: Optional[str] = None
    reponse: str = ""  # the holder's note with their answer
    donnees_avant: Optional[dict[str, Any]] = None  # the dossier when answered, before and after
    donnees_apres: Optional[dict[str, Any]] = None

    @property
    def en_attente(self) -> bool:
        return self.repondue_le is None
