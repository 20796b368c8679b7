"""Une règle : ce qu'elle conclut, pour quel financeur, à quelles conditions, et sur quel texte."""
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from rules.conditions import Noeud

# « a_completer » : the text leaves the outcome open (a period no encoded contract covers, a scheme
# still to be defined): a person must look, whatever the other rules say.
EFFETS_STATUT = ("prioritaire", "eligible", "a_completer", "exclu", "non_concerne")
EFFETS = EFFETS_STATUT + ("avertissement", "piece_requise", "accompagnement", "montant", "information")
ATTENDUS = ("applicable", "non_applicable", "inconnu")


@dataclass(frozen=True)
class Source:
    document: str
    reference: str
    extrait: str

    def en_json(self) -> dict:
        return {"document": self.document, "reference": self.reference, "extrait": self.extrait}


@dataclass(frozen=True)
class Exemple:
    nom: str
    dossier: dict
    attendu: str
    manquants: Optional[tuple[str, ...]] = None


@dataclass(frozen=True)
class Regle:
    id: str
    titre: str
    financeur: Optional[str]
    effet: str
    condition: Noeud
    message: str
    source: Source
    interpretation: bool
    du: Optional[date]
    au: Optional[date]
    fichier: str
    montant: Optional[dict] = None
    piece: Optional[str] = None
    exemples: tuple[Exemple, ...] = field(default=(), compare=False)
    motif_interpretation: Optional[str] = None  # why the reading is an interpretation, in the author's words

    def en_vigueur_le(self, jour: date) -> bool:
        return (self.du is None or self.du <= jour) and (self.au is None or jour <= self.au)

    def en_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "titre": self.titre,
            "financeur": self.financeur,
            "effet": self.effet,
            "source": self.source.en_json(),
            "interpretation": self.interpretation,
            "en_vigueur": {
                "du": self.du.isoformat() if self.du else None,
                "au": self.au.isoformat() if self.au else None,
            },
        }
