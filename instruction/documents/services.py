"""Les cas d'usage des documents : l'avis technique d'un dossier enregistré ou d'un fichier, le
modèle de vue prêt à mettre en page (HTML, PDF) par l'entrée qui le demande."""
from datetime import date, datetime
from typing import Any, Optional

from forms.validation import ErreurChamp
from instruction.acces import Agent
from instruction.documents import avis
from instruction.dossiers import services
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import PasEncoreEvalue
from instruction.evaluation.guichet import Guichet
from instruction.ports import UniteDeTravail


def _vue(guichet: Guichet, dossier: DossierInstruit, quand: datetime) -> dict[str, Any]:
    if not dossier.evaluations:
        raise PasEncoreEvalue(dossier.reference)
    titres = {r.id: r.titre for r in guichet.base.regles}
    return avis.construire(dossier, guichet.territoire, titres, quand)


def avis_d_un_dossier(uow: UniteDeTravail, guichet: Guichet, reference: str, agent: Agent,
                      quand: datetime) -> dict[str, Any]:
    """L'avis technique d'un dossier enregistré, tel que sa dernière évaluation l'a calculé et corrigé."""
    return _vue(guichet, services.consulter(uow, reference, agent), quand)


def avis_d_un_fichier(guichet: Guichet, donnees: Any, agent: Agent, date_imposee: Optional[date],
                      quand: datetime) -> tuple[Optional[dict[str, Any]], list[ErreurChamp]]:
    """L'avis d'un dossier lu dans un fichier, évalué sans rien enregistrer ; ou ses erreurs de saisie."""
    dossier, erreurs = services.evaluer_sans_enregistrer(guichet, donnees, agent, date_imposee, lambda: quand)
    return (_vue(guichet, dossier, quand), []) if dossier is not None else (None, erreurs)
