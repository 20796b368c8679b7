"""Le compte d'une personne : son adresse électronique (l'identifiant, en minuscules), son rôle, son nom
affiché, l'empreinte de son mot de passe, et, pour un membre du comité, les réunions dont il fait partie.

L'identifiant de l'`Agent` d'un compte est son adresse : c'est elle qui possède les dossiers d'un porteur.
"""
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Iterable, Optional

from forms.libelles import LIBELLES_ROLES
from forms.validation import ErreurChamp
from instruction.acces import ROLES, Agent

LONGUEUR_MAX_EMAIL = 254  # RFC 5321's limit on a path
LONGUEUR_MAX_NOM = 120
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def normaliser_email(texte: Optional[str]) -> str:
    """L'adresse telle qu'on la range et la compare : sans espaces autour, en minuscules."""
    return (texte or "").strip().lower()


def erreurs_email(email: str, champ: str = "email") -> list[ErreurChamp]:
    if not email:
        return [ErreurChamp(champ, "Saisissez une adresse électronique")]
    if len(email) > LONGUEUR_MAX_EMAIL or not _EMAIL.match(email):
        return [ErreurChamp(champ, "Saisissez une adresse électronique valide, comme nom@exemple.fr")]
    return []


def erreurs_nom(nom: str, champ: str = "nom") -> list[ErreurChamp]:
    if len(nom) > LONGUEUR_MAX_NOM:
        return [ErreurChamp(champ, f"Le nom doit contenir {LONGUEUR_MAX_NOM} caractères au plus")]
    return []


def erreurs_role(role: str, comites: Iterable[str], champ: str = "role") -> list[ErreurChamp]:
    if role not in ROLES:
        return [ErreurChamp(champ, f"Choisissez un rôle parmi : {', '.join(ROLES)}")]
    if comites and role != "membre_comite":
        return [ErreurChamp("comites", "Seul un membre du comité est rattaché à des comités")]
    return []


def lire_comites(texte: Optional[str]) -> frozenset[str]:
    """Les codes de comités d'un champ de saisie, séparés par des virgules ou des espaces."""
    return frozenset(code for code in re.split(r"[\s,;]+", texte or "") if code)


@dataclass(frozen=True)
class Compte:
    email: str
    role: str
    nom: str
    hash_mot_de_passe: str
    cree_le: datetime
    actif: bool = True
    comites: frozenset[str] = field(default_factory=frozenset)
    confirme_le: Optional[datetime] = None
    confirmation: Optional[str] = None  # sha256 of the confirmation link's secret, until the link is followed

    @property
    def confirme(self) -> bool:
        return self.confirme_le is not None

    @property
    def nom_affiche(self) -> str:
        return self.nom or self.email

    @property
    def libelle_role(self) -> str:
        return LIBELLES_ROLES[self.role]

    def agent(self) -> Agent:
        return Agent(self.email, self.role, self.comites, self.nom_affiche)

    def avec(self, **changements) -> "Compte":
        return replace(self, **changements)
