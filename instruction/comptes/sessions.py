"""Les sessions du site : un secret aléatoire dans le cookie, son empreinte en base avec le jeton anti-CSRF.

Rien n'est gardé dans la mémoire d'un processus : deux serveurs sur la même base reconnaissent la même session,
et la déconnexion l'efface pour tous. Une session anonyme (avant la connexion) ne porte que le jeton anti-CSRF
des formulaires publics ; la connexion la remplace par une session neuve (nouveau secret, nouveau jeton).
"""
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Optional

from instruction.comptes.jetons import empreinte

DUREE_ANONYME = timedelta(hours=2)
DUREE_MAX = timedelta(hours=12)  # a signed-in session ends after this, active or not
INACTIVITE_MAX = timedelta(hours=2)
RAFRAICHIR_APRES = timedelta(minutes=1)  # "last seen" is written at most this often, not on every page


@dataclass(frozen=True)
class Session:
    empreinte: str
    csrf: str
    cree_le: datetime
    vu_le: datetime
    expire_le: datetime
    compte: Optional[str] = None  # the account's e-mail; None before signing in
    adresse: Optional[str] = None

    def valide(self, maintenant: datetime) -> bool:
        if maintenant >= self.expire_le:
            return False
        return self.compte is None or maintenant - self.vu_le < INACTIVITE_MAX

    def a_rafraichir(self, maintenant: datetime) -> bool:
        return maintenant - self.vu_le >= RAFRAICHIR_APRES

    def avec(self, **changements) -> "Session":
        return replace(self, **changements)


def nouvelle(compte: Optional[str], maintenant: datetime, adresse: Optional[str] = None) -> tuple[str, Session]:
    """(le secret du cookie, la session à ranger)."""
    secret = secrets.token_urlsafe(32)
    duree = DUREE_MAX if compte else DUREE_ANONYME
    return secret, Session(empreinte(secret), secrets.token_urlsafe(32), maintenant, maintenant, maintenant + duree,
                           compte, adresse)
