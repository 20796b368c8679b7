"""Les corps des demandes de l'API (hors dossier, validé par `forms`), en modèles stricts : un champ inconnu est
refusé, `true` n'est pas un texte, `"1"` n'est pas un booléen ; chaque erreur nomme son champ par son chemin
pointé (`presences.0.present`) avec les messages français de `forms.libelles`.

Ils servent deux fois : `valider()` lit le corps déjà décodé par `erreurs.lire_json`, et leur schéma JSON décrit
le corps dans le document OpenAPI (`schema_du_corps`).
"""
from typing import Annotated, Any, Literal, Optional, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationError

from api.v1.erreurs import ErreurApi, message_francais, une_erreur
from forms.dossier import Date, Reference
from forms.textes import ligne_de_texte, texte_libre, visible
from forms.valeurs import FinanceurId

Etat = Literal["brouillon", "depose", "en_instruction", "avis_rendu", "inscrit_comite", "decide", "classe_sans_suite"]
Genre = Literal["statut", "avis", "constat_ajoute", "constat_ecarte"]
DecisionComite = Literal["favorable", "defavorable", "ajourne"]
# Written reasons: required, multi-line, bounded like a dossier's description.
Motif = Annotated[str, Field(strict=True, min_length=1, max_length=5000), AfterValidator(texte_libre)]
Ligne = Annotated[str, Field(strict=True, max_length=200), AfterValidator(ligne_de_texte)]
Structure = Annotated[str, Field(strict=True, min_length=1, max_length=200), AfterValidator(ligne_de_texte)]
CodeComite = Annotated[str, Field(strict=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
IdRegle = Annotated[str, Field(strict=True, min_length=1, max_length=200), AfterValidator(ligne_de_texte)]


class _Corps(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Transition(_Corps):
    """Un changement d'état du dossier ; chaque passage dit pourquoi."""
    vers: Etat
    motif: Motif


class CorrectionDemandee(_Corps):
    """Une correction du calcul par l'instructeur : `statut` (financeur, valeur), `avis` (valeur),
    `constat_ajoute` (valeur = le texte, financeur facultatif) ou `constat_ecarte` (regle)."""
    genre: Genre
    financeur: Optional[FinanceurId] = None
    regle: Optional[IdRegle] = None
    valeur: Optional[Annotated[str, Field(strict=True, max_length=5000), AfterValidator(texte_libre)]] = None
    justification: Motif

    def cible(self) -> Optional[str]:
        return self.regle if self.genre == "constat_ecarte" else self.financeur


class Revue(_Corps):
    """Maintenir (`true`) ou retirer (`false`) une correction, par exemple signalée « à revoir »."""
    maintenir: StrictBool
    justification: Motif


class MembreDemande(_Corps):
    structure: Structure
    representant: Ligne = ""


class ComiteNouveau(_Corps):
    """Une réunion du comité technique ; sans `membres`, ceux que le contrat nomme (art. 5.2)."""
    date: Date
    contrat: Annotated[str, Field(strict=True, min_length=1, max_length=64)] = "lys_artois"
    code: Optional[CodeComite] = None
    membres: Optional[list[MembreDemande]] = Field(default=None, min_length=1, max_length=100)


class Inscription(_Corps):
    """Des dossiers à l'avis rendu (ou ajournés ailleurs), inscrits dans cet ordre ; un seul refus et rien n'est
    inscrit."""
    references: list[Reference] = Field(min_length=1, max_length=500)


class Retrait(_Corps):
    reference: Reference
    motif: Motif


class Presence(_Corps):
    structure: Structure
    representant: Ligne = ""
    present: StrictBool


class FeuilleDePresence(_Corps):
    """La feuille de présence (art. 5.2) : une structure hors de la liste s'ajoute (un expert invité)."""
    presences: list[Presence] = Field(min_length=1, max_length=100)


class DecisionDemandee(_Corps):
    """La décision du comité pour un dossier de son ordre du jour, financeur par financeur."""
    reference: Reference
    decisions: dict[FinanceurId, DecisionComite] = Field(min_length=1)
    motif: Motif


M = TypeVar("M", bound=BaseModel)


def valider(modele: type[M], donnees: Any) -> M:
    """Le corps validé, ou 422 avec chaque erreur à son champ."""
    if not isinstance(donnees, dict):
        raise ErreurApi(422, [une_erreur(None, "le corps doit être un objet JSON ({...})")])
    try:
        return modele.model_validate(donnees)
    except ValidationError as exc:
        raise ErreurApi(422, [une_erreur(".".join(visible(p) for p in e["loc"]) or None, message_francais(e))
                              for e in exc.errors()]) from None


def schema_du_corps(modele: type[BaseModel], exemple: Optional[dict] = None) -> dict[str, Any]:
    """Le `requestBody` OpenAPI du modèle (corps JSON obligatoire)."""
    contenu: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{modele.__name__}"}}
    if exemple is not None:
        contenu["example"] = exemple
    return {"requestBody": {"required": True, "content": {"application/json": contenu}}}


# Used by the OpenAPI document: every body model, by name.
MODELES = (Transition, CorrectionDemandee, Revue, ComiteNouveau, Inscription, Retrait, FeuilleDePresence,
           DecisionDemandee)
