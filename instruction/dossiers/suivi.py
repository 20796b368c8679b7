"""Ce que le porteur voit de son dossier déposé : son état, la chronologie de ses états et des demandes de
compléments, les demandes, les pièces, les messages et le pré-diagnostic (la dernière évaluation calculée).

Un modèle de lecture : un seul passage par la politique d'accès (action « voir »), puis tout se lit dans la
même unité de travail."""
from dataclasses import dataclass
from typing import Any, Optional

from forms.libelles import LIBELLES_ETATS, libelle
from instruction.acces import Agent, capacites
from instruction.dossiers import services
from instruction.dossiers.complements import PIECES
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.dossiers.parcours import Brouillon, DemandeComplements, Message, Piece


@dataclass(frozen=True)
class Suivi:
    dossier: DossierInstruit
    brouillon: Optional[Brouillon]
    demandes: list[DemandeComplements]
    pieces: list[Piece]
    messages: list[Message]
    capacites: dict[str, bool]

    @property
    def demande_en_attente(self) -> Optional[DemandeComplements]:
        return next((d for d in self.demandes if d.en_attente), None)


def suivre(uow, reference: str, agent: Agent) -> Suivi:
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "voir", pour_modifier=False)
        return Suivi(dossier, uow.brouillons.obtenir(reference), uow.complements.lister(reference),
                     [p for p in uow.pieces.lister(reference) if p.active], uow.messages.lister(reference),
                     capacites(agent, services.cible(uow, dossier, agent)))


def nom_des_champs(champs) -> list[str]:
    return ["Pièces jointes" if c == PIECES else libelle(c) for c in champs]


def chronologie(dossier: DossierInstruit, demandes: list[DemandeComplements]) -> list[dict[str, Any]]:
    """Les changements d'état (pas les simples enregistrements du brouillon), les demandes de compléments et
    les réponses, dans l'ordre du temps."""
    evenements = [{"quand": t.quand, "titre": LIBELLES_ETATS.get(t.vers, t.vers), "detail": t.motif,
                   "auteur": t.auteur, "genre": "etat"}
                  for t in dossier.transitions if t.de != t.vers]
    for d in demandes:
        evenements.append({"quand": d.demandee_le, "titre": "Compléments demandés",
                           "detail": f"{d.message} (à compléter : {', '.join(nom_des_champs(d.champs))})",
                           "auteur": d.auteur, "genre": "demande"})
        if d.repondue_le is not None:
            evenements.append({"quand": d.repondue_le, "titre": "Compléments envoyés",
                               "detail": d.reponse or "Réponse sans commentaire", "auteur": d.repondue_par or "",
                               "genre": "reponse"})
    return sorted(evenements, key=lambda e: e["quand"])
