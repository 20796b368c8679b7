"""Les formes des réponses de l'API, pour le document OpenAPI : elles décrivent le JSON que les cas d'usage
écrivent (`en_json()`, `instruction.dossiers.vues`, `instruction.comite.vues`), sans le produire. Un champ
facultatif du contrat (ajouté après lui) est facultatif ici aussi : un client ancien l'ignore.

Schemathesis vérifie que chaque réponse suit ces formes (tests/e2e/test_api_schemathesis.py).
"""
from datetime import date, datetime
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from forms.dossier import Dossier


class _Sortie(BaseModel):
    # Documentation only: extra keys are allowed (the contract lets us add optional fields).
    model_config = ConfigDict(extra="allow")


class Erreur(_Sortie):
    champ: Optional[str] = Field(description="Le champ en cause, en chemin pointé (`budget.cout_total_ht`), "
                                             "ou null quand la demande entière est en cause.")
    message: str = Field(description="Ce qui ne va pas, en français.")
    etats_permis: Optional[list[str]] = Field(
        default=None, description="Pour un passage d'état interdit (409) : les états où le dossier peut aller.")


class Erreurs(_Sortie):
    erreurs: list[Erreur] = Field(min_length=1)
    reference: Optional[str] = Field(default=None, description="La référence du dossier en cause, s'il y en a une.")


class Source(_Sortie):
    document: str
    reference: str
    extrait: str


class Bande(_Sortie):
    min: float
    max: float


class Condition(_Sortie):
    champ: str
    test: str
    attendu: Any
    valeur: Any
    resultat: Optional[bool]


class Constat(_Sortie):
    regle: str
    financeur: Optional[str]
    effet: str
    message: str
    source: Source
    interpretation: bool
    motif_interpretation: Optional[str] = None
    piece: Optional[str] = None
    montant: Optional[Bande] = None
    auteur: Optional[str] = None
    conditions: list[Condition] = []


class StatutFinanceur(_Sortie):
    financeur: str
    statut: str
    motifs: list[str]
    montant_indicatif: Optional[Bande]


class Evaluation(_Sortie):
    """L'évaluation d'un dossier (contract.md, « An evaluation »)."""
    reference: str
    avis: str
    financeurs: list[StatutFinanceur]
    orientation: list[str]
    accompagnement: list[str]
    informations_manquantes: list[str]
    informations_manquantes_avis: list[str] = []
    pieces_requises: list[str] = []
    constats: list[Constat]
    version_regles: str


class Periode(_Sortie):
    du: Optional[date]
    au: Optional[date]


class Regle(_Sortie):
    """Une règle, comme `guichet rules export`."""
    id: str
    titre: str
    financeur: Optional[str]
    effet: str
    source: Source
    interpretation: bool
    en_vigueur: Periode


class Commune(_Sortie):
    insee: str
    nom: str
    departement: str = Field(description="Le code du département (« 62 »).")
    epci: Optional[str] = Field(description="Le SIREN de l'intercommunalité (EPCI), null s'il n'y en a pas.")
    departement_nom: Optional[str] = None
    epci_nom: Optional[str] = None


class ResumeDossier(_Sortie):
    reference: str
    etat: str
    porteur: Optional[str]
    titre: Optional[str]
    commune_insee: Optional[str]
    date_depot: Optional[date]
    evaluations: int
    dernier_avis: Optional[str] = Field(description="L'avis de la dernière évaluation calculée (sans les corrections).")


class ListeDossiers(_Sortie):
    dossiers: list[ResumeDossier]
    total: int = Field(description="Le nombre de dossiers qui répondent aux filtres, toutes pages comprises.")
    page: int
    par_page: int
    pages: int


class TransitionFaite(_Sortie):
    de: Optional[str]
    vers: str
    auteur: str
    quand: datetime
    motif: str


class EvaluationEnregistree(_Sortie):
    numero: int
    version_regles: str
    date_reference: date
    auteur: str
    quand: datetime
    resultat: Evaluation


class Correction(_Sortie):
    numero: int
    genre: str
    cible: Optional[str]
    valeur: str
    valeur_calculee: Optional[str]
    justification: str
    auteur: str
    quand: datetime
    evaluation: int
    a_revoir: bool
    motif_revue: str
    retiree: bool
    retrait: str
    active: bool


class Decision(_Sortie):
    financeur: str
    decision: str
    motif: str
    auteur: str
    quand: datetime
    comite: Optional[str]


class DossierInstruit(_Sortie):
    """Un dossier enregistré : ses données, son état, son historique, et ce que l'agent peut en faire."""
    reference: str
    etat: str
    donnees: Dossier
    transitions: list[TransitionFaite]
    evaluations: list[EvaluationEnregistree]
    corrections: list[Correction]
    decisions: list[Decision]
    evaluation_retenue: Optional[Evaluation]
    etats_permis: list[str] = Field(description="Les états où le dossier peut passer depuis son état actuel.")
    capacites: dict[str, bool] = Field(description="Ce que l'agent de la demande peut faire de ce dossier.")


class Membre(_Sortie):
    structure: str
    representant: str
    present: Optional[bool]


class Comite(_Sortie):
    """Une réunion du comité technique : membres et présence, ordre du jour, contrôles croisés."""
    code: str
    date: date
    contrat: str
    membres: list[Membre]
    ordre_du_jour: list[str]
    controles: list[dict[str, Any]]
    evalue_le: Optional[datetime]
    version_regles: Optional[str]


class ListeComites(_Sortie):
    comites: list[Comite]


MODELES = (Erreurs, Evaluation, Regle, Commune, ListeDossiers, DossierInstruit, EvaluationEnregistree, Correction,
           Comite, ListeComites, Dossier)
