"""L'accusé de réception d'un dossier déposé, prêt à mettre en page : la référence, la date et l'heure du dépôt,
le porteur et le projet, les pièces jointes (avec leur empreinte) et le pré-diagnostic tel qu'il était au dépôt
(l'évaluation faite à cet instant, jamais une plus récente)."""
from datetime import datetime
from typing import Any

from forms.dossier import Dossier
from forms.libelles import LIBELLES_PORTEURS, libelle_valeur
from instruction.acces import Agent
from instruction.dossiers import etapes, prediagnostic, services
from instruction.dossiers.cycle import DEPOSE
from instruction.dossiers.dossier_instruit import DossierInstruit, EvaluationEnregistree
from instruction.dossiers.parcours import Brouillon, Piece
from instruction.erreurs import PasEncoreEvalue, Refus
from instruction.evaluation.guichet import Guichet


def evaluation_du_depot(dossier: DossierInstruit, brouillon: Brouillon | None) -> EvaluationEnregistree:
    """L'évaluation faite au dépôt ; à défaut (dossier déposé autrement qu'en ligne), la première qui suit."""
    if brouillon is not None and brouillon.evaluation_depot:
        return dossier.evaluations[brouillon.evaluation_depot - 1]
    depot = next((t.quand for t in dossier.transitions if t.vers == DEPOSE), None)
    suivantes = [e for e in dossier.evaluations if depot is None or e.quand >= depot]
    if not suivantes:
        raise PasEncoreEvalue(dossier.reference)
    return suivantes[0]


def construire(dossier: DossierInstruit, brouillon: Brouillon | None, pieces: list[Piece], guichet: Guichet,
               genere_le: datetime) -> dict[str, Any]:
    depot = next((t for t in dossier.transitions if t.vers == DEPOSE), None)
    if depot is None:
        raise Refus("un brouillon n'a pas d'accusé de réception : déposez d'abord le dossier", dossier.reference)
    evaluation = evaluation_du_depot(dossier, brouillon)
    donnees = Dossier.model_validate(evaluation.donnees)
    territoire = guichet.territoire
    commune = territoire.commune(donnees.projet.commune_insee)
    titres = {r.id: r.titre for r in guichet.base.regles}
    return {
        "reference": dossier.reference,
        "depose_le": depot.quand,
        "depose_par": depot.auteur,
        "porteur": {"nom": donnees.porteur.nom or "non renseigné",
                    "type": libelle_valeur(LIBELLES_PORTEURS, donnees.porteur.type), "siret": donnees.porteur.siret},
        "projet": {"titre": donnees.projet.titre or "non renseigné",
                   "commune": etapes.commune_affichee(commune, territoire) if commune else "non renseignée",
                   "cout_total_ht": donnees.budget.cout_total_ht,
                   "montant_sollicite": donnees.budget.montant_sollicite},
        "pieces": [{"nom": p.nom_fichier, "piece": p.piece or "Autre pièce", "taille": p.taille, "sha256": p.sha256}
                   for p in pieces],
        "prediagnostic": prediagnostic.construire(evaluation.resultat, dossier.reference, titres,
                                                  commune.epci_nom if commune else None),
        "evaluation": {"numero": evaluation.numero, "date_reference": evaluation.date_reference,
                       "version_regles": evaluation.version_regles},
        "genere_le": genere_le,
    }


def accuse_de_reception(uow, guichet: Guichet, reference: str, agent: Agent, genere_le: datetime) -> dict[str, Any]:
    """Le modèle de vue de l'accusé de réception, pour qui peut voir le dossier."""
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "voir", pour_modifier=False)
        brouillon = uow.brouillons.obtenir(reference)
        depose_le = brouillon.depose_le if brouillon is not None else None
        # The pieces as filed: those added later (an answer to a request) belong to a later state.
        pieces = [p for p in uow.pieces.lister(reference)
                  if p.active and (depose_le is None or p.depose_le <= depose_le)]
    return construire(dossier, brouillon, pieces, guichet, genere_le)
