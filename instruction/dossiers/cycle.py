"""Le cycle de vie d'un dossier : ses états et les passages permis de l'un à l'autre.

brouillon → depose → en_instruction → avis_rendu → inscrit_comite → decide, et
classe_sans_suite depuis tout état ouvert. Deux retours en arrière servent l'instruction
réelle : rouvrir l'instruction après un avis (le porteur a complété son dossier) et retirer
un dossier de l'ordre du jour d'un comité ; un dossier ajourné par un comité peut être inscrit
à un autre. Entrer dans l'ordre du jour, en sortir et être décidé ne se font que par le comité
(ses cas d'usage), jamais par un simple changement d'état.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

BROUILLON = "brouillon"
DEPOSE = "depose"
EN_INSTRUCTION = "en_instruction"
AVIS_RENDU = "avis_rendu"
INSCRIT_COMITE = "inscrit_comite"
DECIDE = "decide"
CLASSE_SANS_SUITE = "classe_sans_suite"

ETATS = (BROUILLON, DEPOSE, EN_INSTRUCTION, AVIS_RENDU, INSCRIT_COMITE, DECIDE, CLASSE_SANS_SUITE)
FINAUX = (DECIDE, CLASSE_SANS_SUITE)
OUVERTS = tuple(e for e in ETATS if e not in FINAUX)

_SUIVANTS: dict[str, tuple[str, ...]] = {
    BROUILLON: (DEPOSE,),
    DEPOSE: (EN_INSTRUCTION,),
    EN_INSTRUCTION: (AVIS_RENDU,),
    AVIS_RENDU: (INSCRIT_COMITE, EN_INSTRUCTION),
    INSCRIT_COMITE: (DECIDE, AVIS_RENDU),
    DECIDE: (INSCRIT_COMITE,),  # only when the comité adjourned it (checked by the dossier)
    CLASSE_SANS_SUITE: (),
}

DECISIONS = ("favorable", "defavorable", "ajourne")


def suivants(etat: str) -> tuple[str, ...]:
    """Les états où l'on peut aller depuis `etat`, classement sans suite compris."""
    return _SUIVANTS[etat] + ((CLASSE_SANS_SUITE,) if etat in OUVERTS else ())


def permise(de: str, vers: str) -> bool:
    return vers in suivants(de)


def par_le_comite(de: str, vers: str) -> bool:
    """Ce passage engage un comité : entrer à l'ordre du jour, en sortir pour revenir à l'avis rendu, être
    décidé. Classer sans suite (le porteur retire sa demande) n'en a pas besoin : le cas d'usage retire alors
    le dossier de l'ordre du jour de sa réunion."""
    return vers in (INSCRIT_COMITE, DECIDE) or (de == INSCRIT_COMITE and vers == AVIS_RENDU)


@dataclass(frozen=True)
class Transition:
    """Un passage d'état tel qu'il a eu lieu : qui, quand, d'où, vers où et pourquoi."""
    de: Optional[str]  # None for the creation of the dossier
    vers: str
    auteur: str
    quand: datetime
    motif: str
    comite: Optional[str] = None  # the meeting that made this passage (inscription, withdrawal, decision)
