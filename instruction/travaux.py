"""Les travaux par lots : une action appliquée à une liste d'éléments (des dossiers, les lignes d'une liste
importée…), dont l'avancement et l'issue de chaque élément sont en base, visibles de tout processus.

Le domaine ne lance rien : il décrit un travail et ses cas d'usage (créer, noter des issues, terminer,
consulter, lister). Le lanceur est dans l'entrée web (`api/web/travaux.py`) :

    from api.web import travaux
    numero = travaux.lancer(contexte, agent, "evaluer", "Évaluation de 12 dossiers", references,
                            lambda reference: services.evaluer(contexte.unite_de_travail(), guichet, reference, agent))
    # ou, pour un travail d'un seul bloc (une transaction) qui dit lui-même où il en est :
    numero = travaux.lancer_bloc(contexte, agent, "importer", "Import de la liste", total,
                                 lambda avancer: [...Issue...])   # avancer(faits, total)

Chaque élément réussit (la fonction rend, éventuellement un message) ou échoue (elle lève une erreur du
domaine, dont le message est gardé ; une autre exception est notée « erreur inattendue ») ; les autres
continuent. Un travail dont le processus meurt est marqué `interrompu` au redémarrage du serveur, ou dès
que son battement (écrit toutes les quelques secondes) est plus vieux que `SILENCE_MAX`.
"""
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Optional, Protocol

from instruction import acces
from instruction.acces import Agent
from instruction.erreurs import Introuvable, Refus
from instruction.temps import Horloge, maintenant

EN_COURS, TERMINE, INTERROMPU = "en_cours", "termine", "interrompu"
EN_ATTENTE, REUSSI, ECHOUE = "en_attente", "reussi", "echoue"
# A running job writes its heartbeat every BATTEMENT; silent for SILENCE_MAX, it is taken for dead.
BATTEMENT = timedelta(seconds=5)
SILENCE_MAX = timedelta(seconds=60)
ELEMENTS_MAX = 100_000


class TravailIntrouvable(Introuvable):
    def __init__(self, numero: Any):
        super().__init__(f"travail n° {numero} introuvable")


@dataclass(frozen=True)
class Issue:
    """Ce qu'est devenu un élément : réussi ou non, et pourquoi (le message du refus, ou ce qui a été fait)."""
    element: str
    reussi: bool
    message: str = ""


@dataclass(frozen=True)
class ElementTravail:
    position: int
    element: str
    etat: str = EN_ATTENTE
    message: str = ""
    fini_le: Optional[datetime] = None


@dataclass
class Travail:
    nature: str
    libelle: str
    compte: str
    auteur: str
    total: int
    cree_le: datetime
    processus: str
    parametres: dict[str, Any] = field(default_factory=dict)
    etat: str = EN_COURS
    faits: int = 0
    echecs: int = 0
    battement: Optional[datetime] = None
    fini_le: Optional[datetime] = None
    id: Optional[int] = None
    elements: list[ElementTravail] = field(default_factory=list)  # empty when listed without them

    @property
    def en_cours(self) -> bool:
        return self.etat == EN_COURS

    @property
    def reussis(self) -> int:
        return self.faits - self.echecs

    @property
    def pourcentage(self) -> int:
        return 100 if not self.total else int(100 * self.faits / self.total)

    def muet(self, instant: datetime) -> bool:
        """En cours, mais sans signe de vie depuis `SILENCE_MAX` : son processus est mort."""
        return self.en_cours and (self.battement or self.cree_le) < instant - SILENCE_MAX

    def elements_dans(self, etat: str) -> list[ElementTravail]:
        return [e for e in self.elements if e.etat == etat]


class EntrepotTravaux(Protocol):
    def ajouter(self, travail: Travail) -> int:
        """Enregistre le travail et ses éléments (en attente) ; rend son numéro."""

    def obtenir(self, numero: int) -> Optional[Travail]:
        """Le travail avec ses éléments, dans l'ordre."""

    def noter(self, numero: int, issues: list[tuple[int, Issue]], quand: datetime) -> None:
        """Les issues d'éléments (par position), l'avancement et le battement."""

    def battre(self, numero: int, quand: datetime) -> None: ...

    def terminer(self, numero: int, etat: str, quand: datetime) -> None: ...

    def lister(self, nombre: int) -> list[Travail]:
        """Les plus récents d'abord, sans leurs éléments."""

    def avancer(self, numero: int, faits: int, total: int, quand: datetime) -> None:
        """L'avancement d'un travail d'un seul tenant, qui n'a pas encore d'éléments."""

    def completer(self, numero: int, issues: list[Issue], quand: datetime) -> None:
        """Les éléments d'un travail d'un seul tenant, avec leur issue, quand il a fini."""

    def processus_en_cours(self) -> list[str]:
        """Les processus qui ont des travaux en cours."""

    def interrompre(self, muets_avant: datetime, quand: datetime, processus: tuple[str, ...] = ()) -> int:
        """Marque `interrompu` les travaux en cours sans battement depuis `muets_avant`, et tous ceux des
        `processus` donnés (morts) ; rend leur nombre."""


def _entrepot(uow) -> EntrepotTravaux:
    return uow.travaux


def creer(uow, agent: Agent, nature: str, libelle: str, elements: list[str], processus: str,
          parametres: Optional[dict[str, Any]] = None, horloge: Horloge = maintenant) -> Travail:
    """Un travail en cours, ses éléments en attente (au plus `ELEMENTS_MAX`)."""
    acces.verifier(agent, "travaux")
    if len(elements) > ELEMENTS_MAX:
        raise Refus(f"au plus {ELEMENTS_MAX} éléments par travail ({len(elements)} demandés)")
    instant = horloge()
    travail = Travail(nature, libelle, agent.id, agent.auteur, len(elements), instant, processus,
                      dict(parametres or {}), battement=instant,
                      elements=[ElementTravail(i, e) for i, e in enumerate(elements, 1)])
    with uow:
        travail.id = _entrepot(uow).ajouter(travail)
        uow.valider()
    return travail


def noter(uow, numero: int, issues: list[tuple[int, Issue]], horloge: Horloge = maintenant) -> None:
    with uow:
        _entrepot(uow).noter(numero, issues, horloge())
        uow.valider()


def battre(uow, numero: int, horloge: Horloge = maintenant) -> None:
    with uow:
        _entrepot(uow).battre(numero, horloge())
        uow.valider()


def terminer(uow, numero: int, etat: str = TERMINE, horloge: Horloge = maintenant) -> None:
    with uow:
        _entrepot(uow).terminer(numero, etat, horloge())
        uow.valider()


def avancer(uow, numero: int, faits: int, total: int, horloge: Horloge = maintenant) -> None:
    with uow:
        _entrepot(uow).avancer(numero, faits, total, horloge())
        uow.valider()


def completer(uow, numero: int, issues: list[Issue], horloge: Horloge = maintenant) -> None:
    with uow:
        _entrepot(uow).completer(numero, issues, horloge())
        uow.valider()


def interrompre(uow, horloge: Horloge = maintenant, mort: Callable[[str], bool] = lambda processus: False) -> int:
    """Les travaux muets, et ceux des processus que `mort` dit morts, deviennent `interrompu`."""
    instant = horloge()
    with uow:
        entrepot = _entrepot(uow)
        morts = tuple(p for p in entrepot.processus_en_cours() if mort(p))
        nombre = entrepot.interrompre(instant - SILENCE_MAX, instant, morts)
        uow.valider()
    return nombre


def consulter(uow, agent: Agent, numero: int, horloge: Horloge = maintenant) -> Travail:
    """Le travail et ses éléments ; un travail muet est d'abord marqué interrompu."""
    acces.verifier(agent, "travaux")
    with uow:
        travail = _entrepot(uow).obtenir(numero)
        if travail is None:
            raise TravailIntrouvable(numero)
        instant = horloge()
        if travail.muet(instant):
            _entrepot(uow).terminer(numero, INTERROMPU, instant)
            uow.valider()
            travail = replace(travail, etat=INTERROMPU, fini_le=instant)
    return travail


def lister(uow, agent: Agent, nombre: int = 20, horloge: Horloge = maintenant) -> list[Travail]:
    """Les travaux les plus récents (sans leurs éléments), ceux qui sont muets montrés interrompus."""
    acces.verifier(agent, "travaux")
    instant = horloge()
    with uow:
        travaux = _entrepot(uow).lister(nombre)
    return [replace(t, etat=INTERROMPU) if t.muet(instant) else t for t in travaux]
