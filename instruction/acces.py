"""Qui peut faire quoi : la seule politique d'accès, que les trois entrées (ligne de commande, pages,
API) appliquent par les cas d'usage, jamais par des tests de rôle épars.

Pour un agent, une action et une cible, la réponse est :
- `AUTORISE` ;
- `INTERDIT` : l'agent voit la cible mais son rôle ne permet pas l'action (HTTP 403) ;
- `INVISIBLE` : l'agent ne doit pas savoir que la cible existe (HTTP 404, comme un dossier absent,
  pour qu'on ne puisse pas sonder les références d'autrui).

Les rôles : `porteur` (ses dossiers seulement), `instructeur` (les services de la Région : tous les
dossiers, les comités), `membre_comite` (lit les réunions dont il est membre et leurs dossiers),
`admin` (tout, plus les comptes, les jetons et les versions de règles). La ligne de commande agit en
`admin` local, nommé par `--auteur`.
"""
from dataclasses import dataclass
from typing import Iterable, Optional, TypeVar

from instruction.erreurs import ComiteIntrouvable, DossierIntrouvable, Interdit

AUTORISE, INTERDIT, INVISIBLE = "autorise", "interdit", "invisible"
ROLES = ("porteur", "instructeur", "membre_comite", "admin")

# Actions on one dossier. « voir » covers its data, history, avis and documents.
LECTURE = ("voir",)
# The services' file of a dossier (corrections, justifications, internal history): the instruction and the
# comité read it, never a holder, not even for their own dossier (their space shows them what is theirs).
LECTURE_DES_SERVICES = ("voir_instruction",)
DU_PORTEUR = ("modifier", "evaluer", "retirer_demande", "ecrire_message", "deposer_piece", "repondre_complements")
DE_L_INSTRUCTION = ("changer_etat", "corriger", "revoir_correction", "demander_complements")
ACTIONS_DOSSIER = LECTURE + LECTURE_DES_SERVICES + DU_PORTEUR + DE_L_INSTRUCTION
# Actions on a meeting of the comité technique.
ACTIONS_COMITE = ("voir_comite", "gerer_comite", "decider")
# Actions without a target.
ACTIONS_GENERALES = ("deposer", "lister_dossiers", "lister_comites", "creer_comite", "administrer",
                     "espace_porteur", "espace_instruction", "gerer_son_compte",
                     # the instructors' desk: search every dossier, run and follow batch jobs
                     "rechercher_dossiers", "travaux",
                     # the admin page of `rules impact`: every stored dossier judged under two rule versions
                     "mesurer_impact")
ACTIONS = ACTIONS_DOSSIER + ACTIONS_COMITE + ACTIONS_GENERALES


@dataclass(frozen=True)
class Agent:
    """Qui agit. `id` identifie le compte (le propriétaire d'un dossier) ; `nom` est ce que l'historique
    enregistre comme auteur (l'identifiant à défaut) ; `comites` : les réunions dont un membre du comité
    fait partie."""
    id: str
    role: str
    comites: frozenset[str] = frozenset()
    nom: str = ""

    @property
    def auteur(self) -> str:
        return self.nom or self.id

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"rôle inconnu « {self.role} » ; possibles : {', '.join(ROLES)}")

    @classmethod
    def local(cls, nom: str) -> "Agent":
        """La personne qui lance une commande sur le serveur : elle a la main sur tout."""
        return cls(nom, "admin")


@dataclass(frozen=True)
class CibleDossier:
    """Ce que la politique lit d'un dossier : qui l'a créé, et les réunions qui l'ont à leur ordre du jour."""
    reference: str
    proprietaire: Optional[str] = None
    comites: frozenset[str] = frozenset()


def _dossier(agent: Agent, action: str, cible: CibleDossier) -> str:
    if agent.role in ("admin", "instructeur"):
        return AUTORISE
    if agent.role == "porteur":
        if cible.proprietaire != agent.id or action in LECTURE_DES_SERVICES:
            return INVISIBLE
        return AUTORISE if action in LECTURE + DU_PORTEUR else INTERDIT
    if not cible.comites & agent.comites:  # membre_comite
        return INVISIBLE
    return AUTORISE if action in LECTURE + LECTURE_DES_SERVICES else INTERDIT


def _comite(agent: Agent, action: str, code: str) -> str:
    if agent.role in ("admin", "instructeur"):
        return AUTORISE
    if agent.role == "membre_comite":
        if code not in agent.comites:
            return INVISIBLE
        return AUTORISE if action == "voir_comite" else INTERDIT
    return INTERDIT  # a holder lacks the whole section


_GENERALES = {
    "deposer": ("porteur", "instructeur", "admin"),
    "lister_dossiers": ROLES,
    "lister_comites": ("instructeur", "membre_comite", "admin"),
    "creer_comite": ("instructeur", "admin"),
    "administrer": ("admin",),
    # The sections of the web app: a role that lacks one gets 403 for the whole section.
    "espace_porteur": ("porteur", "admin"),
    "espace_instruction": ("instructeur", "admin"),
    "gerer_son_compte": ROLES,
    "rechercher_dossiers": ("instructeur", "admin"),
    "travaux": ("instructeur", "admin"),
    "mesurer_impact": ("admin",),
}


def decider(agent: Agent, action: str, dossier: Optional[CibleDossier] = None, comite: Optional[str] = None) -> str:
    if action in ACTIONS_DOSSIER:
        if dossier is None:
            raise ValueError(f"l'action « {action} » porte sur un dossier")
        return _dossier(agent, action, dossier)
    if action in ACTIONS_COMITE:
        if comite is None:
            raise ValueError(f"l'action « {action} » porte sur un comité")
        return _comite(agent, action, comite)
    if action in _GENERALES:
        return AUTORISE if agent.role in _GENERALES[action] else INTERDIT
    raise ValueError(f"action inconnue « {action} » ; possibles : {', '.join(ACTIONS)}")


def verifier(agent: Agent, action: str, dossier: Optional[CibleDossier] = None, comite: Optional[str] = None) -> None:
    """Lève `Interdit`, ou l'erreur « introuvable » de la cible quand elle doit rester invisible."""
    decision = decider(agent, action, dossier, comite)
    if decision == INVISIBLE:
        raise DossierIntrouvable(dossier.reference) if dossier is not None else ComiteIntrouvable(comite or "")
    if decision == INTERDIT:
        raise Interdit(action, agent.role, dossier.reference if dossier is not None else comite)


T = TypeVar("T")


def visibles(agent: Agent, elements: Iterable[T], cible=lambda e: e) -> list[T]:
    """Les éléments qu'une liste peut montrer à l'agent (`cible` : l'élément → sa `CibleDossier`)."""
    return [e for e in elements if decider(agent, "voir", cible(e)) == AUTORISE]


def capacites(agent: Agent, dossier: CibleDossier) -> dict[str, bool]:
    """Ce que l'agent peut faire de ce dossier, pour que pages et gabarits ne testent jamais de rôle."""
    return {action: decider(agent, action, dossier) == AUTORISE for action in ACTIONS_DOSSIER}
