"""Les jetons de l'API : un secret aléatoire montré une seule fois, gardé en base sous son empreinte sha256.

    gch_1a2b3c4d_Jq9…   (préfixe « gch_ », 8 caractères affichables qui le désignent, puis 43 de hasard)

Le préfixe sert à le reconnaître dans les listes et à le révoquer ; l'empreinte, à le retrouver quand un client
l'envoie (`Authorization: Bearer …`). Un jeton a un rôle ; rattaché à un compte, il agit au nom de ce compte
(son identité, son rôle et ses comités du moment ; un compte désactivé rend ses jetons inopérants).
"""
import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Optional

from instruction.acces import Agent
from instruction.comptes.compte import Compte

MARQUE = "gch_"


def empreinte(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def generer() -> tuple[str, str]:
    """(le secret à montrer une fois, son préfixe)."""
    prefixe = secrets.token_hex(4)
    return f"{MARQUE}{prefixe}_{secrets.token_urlsafe(32)}", prefixe


@dataclass(frozen=True)
class JetonApi:
    prefixe: str
    empreinte: str
    nom: str
    role: str
    cree_par: str
    cree_le: datetime
    compte: Optional[str] = None  # the account's e-mail, when the token acts on its behalf
    revoque_le: Optional[datetime] = None
    utilise_le: Optional[datetime] = None

    @property
    def actif(self) -> bool:
        return self.revoque_le is None

    @property
    def affiche(self) -> str:
        return f"{MARQUE}{self.prefixe}…"

    def agent(self, compte: Optional[Compte]) -> Optional[Agent]:
        """Qui agit avec ce jeton ; None s'il est révoqué ou si son compte est désactivé ou absent."""
        if not self.actif:
            return None
        if self.compte is None:
            return Agent(f"jeton:{self.prefixe}", self.role, nom=self.nom or f"jeton {self.prefixe}")
        if compte is None or not compte.actif:
            return None
        return compte.agent()

    def avec(self, **changements) -> "JetonApi":
        return replace(self, **changements)
