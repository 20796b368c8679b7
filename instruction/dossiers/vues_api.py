"""Les modèles de lecture de l'API des dossiers : la liste filtrée et paginée, la fiche d'un dossier (son
historique, les états où il peut aller, ce que l'agent peut en faire), une évaluation, une correction.

La liste part du cas d'usage `services.lister` (déjà filtré par la politique d'accès : un porteur ne reçoit que
ses dossiers, un membre du comité ceux de ses réunions) ; état, avis calculé, commune et texte se filtrent sur
les résumés ; un filtre de statut (`statut_region_hdf=eligible`) relit l'évaluation retenue des seuls dossiers
qui restent. Les services ont aussi `instruction.dossiers.recherche`, indexée en base, pour leurs pages.
"""
from dataclasses import asdict, dataclass
from typing import Any, Optional

from instruction import acces
from instruction.acces import Agent
from instruction.dossiers import services, vues
from instruction.dossiers.corrections import Correction
from instruction.dossiers.cycle import suivants
from instruction.dossiers.dossier_instruit import DossierInstruit, EvaluationEnregistree
from instruction.dossiers.recherche import normaliser
from instruction.ports import ResumeDossier, UniteDeTravail

PAR_PAGE_DEFAUT, PAR_PAGE_MAX = 50, 100


@dataclass(frozen=True)
class FiltreApi:
    etat: Optional[str] = None
    avis: Optional[str] = None  # the avis of the last computed evaluation
    statuts: tuple[tuple[str, str], ...] = ()  # (funder, retained status)
    commune: Optional[str] = None  # INSEE code
    texte: str = ""  # in the reference, the holder's name or the title
    page: int = 1
    par_page: int = PAR_PAGE_DEFAUT


@dataclass(frozen=True)
class PageApi:
    dossiers: list[ResumeDossier]
    total: int
    filtre: FiltreApi

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filtre.par_page))

    def en_json(self) -> dict[str, Any]:
        return {"dossiers": [resume_en_json(r) for r in self.dossiers], "total": self.total,
                "page": self.filtre.page, "par_page": self.filtre.par_page, "pages": self.pages}


def resume_en_json(r: ResumeDossier) -> dict[str, Any]:
    # The owner's account is not shown: a list never says who else filed what.
    return {"reference": r.reference, "etat": r.etat, "porteur": r.porteur, "titre": r.titre,
            "commune_insee": r.commune_insee, "date_depot": r.date_depot.isoformat() if r.date_depot else None,
            "evaluations": r.evaluations, "dernier_avis": r.dernier_avis}


def _garde(r: ResumeDossier, filtre: FiltreApi, texte: str) -> bool:
    if filtre.avis and r.dernier_avis != filtre.avis:
        return False
    if filtre.commune and r.commune_insee != filtre.commune:
        return False
    return not texte or any(texte in normaliser(t) for t in (r.reference, r.porteur, r.titre) if t)


def _statuts_retenus(uow: UniteDeTravail, agent: Agent, reference: str) -> dict[str, str]:
    retenue = services.consulter(uow, reference, agent).evaluation_retenue()
    return retenue.statuts() if retenue else {}


def lister(uow: UniteDeTravail, agent: Agent, filtre: FiltreApi) -> PageApi:
    """Une page des dossiers que l'agent peut voir, par référence ; une page au-delà de la dernière est vide."""
    debut = (filtre.page - 1) * filtre.par_page
    if not filtre.texte and not filtre.statuts and services.voit_tous_les_dossiers(agent):
        # The same page, filtered and cut in the database: the services' list costs one page, not every dossier.
        page, total = services.page_de_tous(uow, agent, filtre.etat, filtre.avis, filtre.commune, filtre.par_page,
                                            debut)
        return PageApi(page, total, filtre)
    texte = normaliser(filtre.texte)
    resumes = [r for r in services.lister(uow, agent, filtre.etat) if _garde(r, filtre, texte)]
    if filtre.statuts:
        resumes = [r for r in resumes
                   if all(_statuts_retenus(uow, agent, r.reference).get(f) == s for f, s in filtre.statuts)]
    return PageApi(resumes[debut:debut + filtre.par_page], len(resumes), filtre)


def evaluation_en_json(e: EvaluationEnregistree) -> dict[str, Any]:
    return {"numero": e.numero, "version_regles": e.version_regles, "date_reference": e.date_reference.isoformat(),
            "auteur": e.auteur, "quand": e.quand.isoformat(), "resultat": e.resultat.en_json()}


def correction_en_json(c: Correction) -> dict[str, Any]:
    return {**asdict(c), "quand": c.quand.isoformat(), "active": c.active}


def fiche_en_json(uow: UniteDeTravail, dossier: DossierInstruit, agent: Agent) -> dict[str, Any]:
    """L'historique du dossier (`vues.historique`), les états où il peut passer et les capacités de l'agent."""
    with uow:
        cible = services.cible(uow, dossier, agent)
    return {**vues.historique(dossier), "etats_permis": list(suivants(dossier.etat)),
            "capacites": acces.capacites(agent, cible)}


def fiche(uow: UniteDeTravail, reference: str, agent: Agent) -> dict[str, Any]:
    return fiche_en_json(uow, services.consulter(uow, reference, agent), agent)


def correction(uow: UniteDeTravail, reference: str, numero: int, agent: Agent) -> Correction:
    """Une correction du dossier, par son numéro (après sa revue, par exemple)."""
    dossier = services.consulter(uow, reference, agent)
    return next(c for c in dossier.corrections if c.numero == numero)
