"""Le freinage des tentatives de connexion, en pure logique.

Chaque échec est compté sous deux clés : le compte visé (`compte:adresse@exemple.fr`, qu'il existe ou non,
pour ne rien dire de son existence) et l'adresse réseau d'où il vient (`adresse:203.0.113.7`). Les compteurs
sont en base (`EntrepotTentatives`), pour que plusieurs processus du serveur les partagent ; ce module dit
seulement, à partir des instants des échecs, jusqu'à quand une clé est bloquée.

Par défaut : 5 échecs en 15 minutes sur un compte le bloquent 15 minutes ; 20 échecs en 15 minutes depuis une
même adresse la bloquent 15 minutes (une adresse peut être celle de tout un service, derrière un même routeur).
Pendant un blocage, les tentatives ne sont ni vérifiées ni comptées : le blocage finit à l'heure annoncée.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Optional


@dataclass(frozen=True)
class Limite:
    echecs: int = 5
    fenetre: timedelta = timedelta(minutes=15)
    blocage: timedelta = timedelta(minutes=15)

    @property
    def memoire(self) -> timedelta:
        """Ce qu'il faut garder d'échecs pour juger : au-delà, un échec ne peut plus compter."""
        return self.fenetre + self.blocage


@dataclass(frozen=True)
class Limites:
    compte: Limite = Limite(echecs=5)
    adresse: Limite = Limite(echecs=20)

    @property
    def memoire(self) -> timedelta:
        return max(self.compte.memoire, self.adresse.memoire)


LIMITES = Limites()


def cle_compte(email: str) -> str:
    return f"compte:{email}"


def cle_adresse(adresse: Optional[str]) -> str:
    return f"adresse:{adresse or 'inconnue'}"


def bloque_jusqu_a(echecs: Iterable[datetime], maintenant: datetime, limite: Limite) -> Optional[datetime]:
    """La fin du blocage en cours, ou None : bloqué quand `limite.echecs` échecs tiennent dans `limite.fenetre`,
    jusqu'à `limite.blocage` après le dernier d'entre eux."""
    instants = sorted(echecs)
    n = limite.echecs
    # The latest run of n failures inside the window decides: scan from the most recent one backwards.
    for fin in range(len(instants) - 1, n - 2, -1):
        if instants[fin] - instants[fin - n + 1] <= limite.fenetre:
            jusqu_a = instants[fin] + limite.blocage
            return jusqu_a if maintenant < jusqu_a else None
    return None


def fin_du_blocage(echecs_compte: Iterable[datetime], echecs_adresse: Iterable[datetime], maintenant: datetime,
                   limites: Limites = LIMITES) -> Optional[datetime]:
    """La plus lointaine des deux fins de blocage (compte, adresse), ou None si aucune clé n'est bloquée."""
    fins = [f for f in (bloque_jusqu_a(echecs_compte, maintenant, limites.compte),
                        bloque_jusqu_a(echecs_adresse, maintenant, limites.adresse)) if f is not None]
    return max(fins) if fins else None
