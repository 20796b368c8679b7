"""L'évaluation d'un dossier comme un type : ce que le domaine échange, lit par attribut et ne modifie
jamais. Le JSON du contrat (`shared/contract.md`) n'est produit qu'aux bords, par `en_json()`, et relu
par `depuis_json()` (une évaluation enregistrée, y compris d'une version antérieure du guichet).

Les champs facultatifs ajoutés au contrat (`conditions`, `piece`, `montant`, `motif_interpretation` d'un
constat ; `pieces_requises`, `informations_manquantes_avis` de l'évaluation) ne sortent en JSON que
quand ils ont une valeur, comme avant.
"""
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

from forms.validation import ErreurChamp
from rules.regle import Source


def _en_json(partie: Any) -> Any:
    return partie.en_json()


@dataclass(frozen=True, slots=True)
class Bande:
    min: float
    max: float

    def en_json(self) -> dict[str, float]:
        return {"min": self.min, "max": self.max}


@dataclass(frozen=True, slots=True)
class Condition:
    """Un test d'un constat : le champ lu, le test, la valeur attendue, la valeur lue et le résultat."""
    champ: str
    test: str
    attendu: Any
    valeur: Any
    resultat: Optional[bool]

    def en_json(self) -> dict[str, Any]:
        return {"champ": self.champ, "test": self.test, "attendu": self.attendu, "valeur": self.valeur,
                "resultat": self.resultat}


@dataclass(frozen=True, slots=True)
class Constat:
    regle: str
    financeur: Optional[str]
    effet: str
    message: str
    source: Source
    interpretation: bool
    conditions: tuple[Condition, ...] = ()
    piece: Optional[str] = None
    montant: Optional[Bande] = None
    motif_interpretation: Optional[str] = None
    auteur: Optional[str] = None  # a finding added by an instructor's correction

    def en_json(self) -> dict[str, Any]:
        sortie: dict[str, Any] = {"regle": self.regle, "financeur": self.financeur, "effet": self.effet,
                                  "message": self.message, "source": self.source.en_json(),
                                  "interpretation": self.interpretation}
        if self.motif_interpretation:
            sortie["motif_interpretation"] = self.motif_interpretation
        if self.piece:
            sortie["piece"] = self.piece
        if self.montant:
            sortie["montant"] = self.montant.en_json()
        if self.auteur:
            sortie["auteur"] = self.auteur
        if self.conditions:
            sortie["conditions"] = [c.en_json() for c in self.conditions]
        return sortie

    @classmethod
    def depuis_json(cls, d: dict[str, Any]) -> "Constat":
        s, m = d["source"], d.get("montant")
        return cls(d["regle"], d.get("financeur"), d["effet"], d["message"],
                   Source(s["document"], s["reference"], s["extrait"]), d["interpretation"],
                   tuple(Condition(c["champ"], c["test"], c["attendu"], c["valeur"], c["resultat"])
                         for c in d.get("conditions", ())),
                   d.get("piece"), Bande(m["min"], m["max"]) if m else None, d.get("motif_interpretation"),
                   d.get("auteur"))


@dataclass(frozen=True, slots=True)
class StatutFinanceur:
    financeur: str
    statut: str
    motifs: tuple[str, ...]
    montant_indicatif: Optional[Bande]

    def en_json(self) -> dict[str, Any]:
        return {"financeur": self.financeur, "statut": self.statut, "motifs": list(self.motifs),
                "montant_indicatif": self.montant_indicatif.en_json() if self.montant_indicatif else None}


@dataclass(frozen=True, slots=True)
class Evaluation:
    reference: str
    avis: str
    financeurs: tuple[StatutFinanceur, ...]
    orientation: tuple[str, ...]
    accompagnement: tuple[str, ...]
    informations_manquantes: tuple[str, ...]
    # The missing fields that reserve the avis: those the Région's route or the whole dossier depends on.
    informations_manquantes_avis: tuple[str, ...]
    pieces_requises: tuple[str, ...]
    constats: tuple[Constat, ...]
    version_regles: str

    def statut(self, financeur: str) -> str:
        return next(f.statut for f in self.financeurs if f.financeur == financeur)

    def statuts(self) -> dict[str, str]:
        return {f.financeur: f.statut for f in self.financeurs}

    def en_json(self, partie: Callable[[Any], Any] = _en_json) -> dict[str, Any]:
        """Le JSON du contrat. `partie` écrit chaque financeur et chaque constat (par défaut leur `en_json()`) :
        la ligne de commande y passe leur texte JSON déjà écrit, qu'elle garde d'une évaluation à l'autre."""
        return {
            "reference": self.reference,
            "avis": self.avis,
            "financeurs": [partie(f) for f in self.financeurs],
            "orientation": list(self.orientation),
            "accompagnement": list(self.accompagnement),
            "informations_manquantes": list(self.informations_manquantes),
            "informations_manquantes_avis": list(self.informations_manquantes_avis),
            "pieces_requises": list(self.pieces_requises),
            "constats": [partie(c) for c in self.constats],
            "version_regles": self.version_regles,
        }

    @classmethod
    def depuis_json(cls, d: dict[str, Any]) -> "Evaluation":
        """Relit une évaluation enregistrée. Avant `informations_manquantes_avis`, toute information
        manquante réservait l'avis : une évaluation de ce temps-là garde ce sens."""
        manquants = tuple(d["informations_manquantes"])
        return cls(
            d["reference"], d["avis"],
            tuple(StatutFinanceur(f["financeur"], f["statut"], tuple(f["motifs"]),
                                  Bande(**f["montant_indicatif"]) if f.get("montant_indicatif") else None)
                  for f in d["financeurs"]),
            tuple(d["orientation"]), tuple(d["accompagnement"]), manquants,
            tuple(d.get("informations_manquantes_avis", manquants)), tuple(d.get("pieces_requises", ())),
            tuple(Constat.depuis_json(c) for c in d["constats"]), d["version_regles"])


@dataclass(frozen=True, slots=True)
class EvaluationInvalide:
    """La place d'un dossier qui n'a pas passé la validation : ses erreurs, chacune nommant son champ."""
    reference: Optional[str]
    erreurs: tuple[ErreurChamp, ...]

    def en_json(self) -> dict[str, Any]:
        return {"reference": self.reference, "erreurs": [e.en_json() for e in self.erreurs]}


Resultat = Union[Evaluation, EvaluationInvalide]
