"""Le journal d'audit : ce qui touche aux comptes et aux accès, avec qui, quand et d'où.

`acteur` est l'adresse du compte qui agit (ou l'adresse saisie, pour un échec de connexion), le nom donné à la
ligne de commande, ou `jeton:PREFIXE` ; `cible` le compte ou le jeton visé ; `adresse` l'adresse réseau.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

GENRES = {
    "connexion": "Connexion",
    "echec_connexion": "Échec de connexion",
    "connexion_bloquee": "Connexion bloquée (trop de tentatives)",
    "deconnexion": "Déconnexion",
    "creation_compte": "Création de compte",
    "inscription": "Inscription",
    "confirmation_compte": "Confirmation d’adresse",
    "changement_role": "Changement de rôle",
    "desactivation_compte": "Désactivation de compte",
    "reactivation_compte": "Réactivation de compte",
    "creation_jeton": "Création de jeton d’API",
    "revocation_jeton": "Révocation de jeton d’API",
    "changement_mot_de_passe": "Changement de mot de passe",
}


@dataclass(frozen=True)
class EvenementAudit:
    genre: str
    quand: datetime
    acteur: str
    adresse: Optional[str] = None
    cible: Optional[str] = None
    detail: str = ""

    def __post_init__(self) -> None:
        if self.genre not in GENRES:
            raise ValueError(f"genre d'événement inconnu « {self.genre} » ; possibles : {', '.join(GENRES)}")

    @property
    def libelle(self) -> str:
        return GENRES[self.genre]
