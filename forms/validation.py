"""Valider une saisie : chaque erreur nomme le champ (chemin pointé) et dit quoi faire."""
from dataclasses import dataclass
from typing import Any, Callable, Optional

from pydantic import ValidationError

from forms.dossier import Dossier
from forms.libelles import message_erreur
from forms.textes import visible


@dataclass(frozen=True)
class ErreurChamp:
    champ: str
    message: str

    def en_json(self) -> dict:
        return {"champ": self.champ, "message": self.message}


def _chemin(loc: tuple) -> str:
    # An unknown key is the user's text: shown on one line, cut short, like any quoted input.
    return ".".join(visible(part) for part in loc) or "dossier"


def _particulier_sans_siret(d: Dossier) -> Optional[ErreurChamp]:
    if d.porteur.type == "particulier" and d.porteur.siret:
        return ErreurChamp("porteur.siret", "un particulier n'a pas de SIRET : laissez ce champ vide")
    return None


def _sollicite_dans_le_cout(d: Dossier) -> Optional[ErreurChamp]:
    b = d.budget
    if b.cout_total_ht is not None and b.montant_sollicite is not None and b.montant_sollicite > b.cout_total_ht:
        return ErreurChamp("budget.montant_sollicite", "le montant sollicité dépasse le coût total HT")
    return None


def _investissement_dans_le_cout(d: Dossier) -> Optional[ErreurChamp]:
    b = d.budget
    if (b.cout_total_ht is not None and b.depenses_investissement is not None
            and b.depenses_investissement > b.cout_total_ht):
        return ErreurChamp("budget.depenses_investissement", "les dépenses d'investissement dépassent le coût total HT")
    return None


VERIFICATIONS: tuple[Callable[[Dossier], Optional[ErreurChamp]], ...] = (
    _particulier_sans_siret, _sollicite_dans_le_cout, _investissement_dans_le_cout,
)


@dataclass(frozen=True)
class SaisieIllisible:
    """Une entrée d'un lot qu'on n'a pas pu lire (ex. une ligne JSON Lines cassée)."""
    champ: str
    message: str
    reference: Optional[str] = None


def valider_dossier(donnees: Any) -> tuple[Optional[Dossier], list[ErreurChamp]]:
    """Renvoie (dossier, []) ou (None, erreurs) ; ne lève jamais sur une mauvaise saisie."""
    if isinstance(donnees, SaisieIllisible):
        return None, [ErreurChamp(donnees.champ, donnees.message)]
    if not isinstance(donnees, dict):
        return None, [ErreurChamp("dossier", "un dossier est un objet JSON ({...})")]
    try:
        dossier = Dossier.model_validate(donnees)
    except ValidationError as exc:
        erreurs = [ErreurChamp(_chemin(e["loc"]), message_erreur(e)) for e in exc.errors()]
        return None, erreurs
    erreurs = [e for e in (v(dossier) for v in VERIFICATIONS) if e is not None]
    return (None, erreurs) if erreurs else (dossier, [])


def reference_de(donnees: Any) -> Optional[str]:
    if isinstance(donnees, SaisieIllisible):
        return donnees.reference
    if isinstance(donnees, dict) and isinstance(donnees.get("reference"), str):
        return donnees["reference"]
    return None
