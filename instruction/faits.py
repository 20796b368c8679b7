"""Les faits qu'une règle lit : les champs du dossier à plat, et les faits dérivés du territoire et du budget."""
from datetime import date
from typing import Any, Optional

from forms.dossier import Dossier
from forms.valeurs import PORTEURS_PUBLICS
from instruction.territoire import Territoire

COLLECTIVITES = ("commune", "epci", "departement", "syndicat_mixte")

# Which form fields a derived fact needs: an unknown derived fact is reported as these.
DEPENDANCES: dict[str, tuple[str, ...]] = {
    "dossier.date_reference": ("date_depot",),
    "territoire.departement": ("projet.commune_insee",),
    "territoire.epci": ("projet.commune_insee",),
    "territoire.contrats": ("projet.commune_insee", "date_depot"),
    "territoire.zones": ("projet.commune_insee",),
    "porteur.public": ("porteur.type",),
    "porteur.collectivite": ("porteur.type",),
    "porteur.siren": ("porteur.siret",),
    "budget.total_aides_publiques": ("budget.montant_sollicite", "budget.financements"),
    "budget.taux_aides_publiques": ("budget.montant_sollicite", "budget.financements", "budget.cout_total_ht"),
    "budget.cumul_minimis": ("porteur.aides_minimis_3_ans", "budget.montant_sollicite"),
    "projet.travaux_avant_depot": ("projet.date_debut_travaux", "date_depot"),
}


def _a_plat(dossier: Dossier) -> dict[str, Any]:
    faits: dict[str, Any] = {"date_depot": dossier.date_depot}
    for bloc in ("porteur", "projet", "budget"):
        for nom, valeur in getattr(dossier, bloc).__dict__.items():  # pydantic's own iterator is slow
            faits[f"{bloc}.{nom}"] = tuple(valeur) if isinstance(valeur, list) and bloc != "budget" else valeur
    return faits


def _ou_inconnu(condition: bool, valeur: Any) -> Any:
    return valeur if condition else None


def faits_du_dossier(dossier: Dossier, territoire: Territoire, jour: Optional[date]) -> dict[str, Any]:
    """`jour` est la date de référence (date imposée ou date de dépôt), None si inconnue."""
    f = _a_plat(dossier)
    insee = dossier.projet.commune_insee
    commune = territoire.commune(insee) if insee else None
    f["dossier.date_reference"] = jour
    f["territoire.departement"] = commune.departement if commune else None
    f["territoire.epci"] = commune.epci if commune else None
    f["territoire.contrats"] = territoire.contrats(insee, jour) if commune and jour else None
    f["territoire.zones"] = territoire.zones(insee) if commune else None
    type_porteur = dossier.porteur.type
    f["porteur.public"] = _ou_inconnu(type_porteur is not None, type_porteur in PORTEURS_PUBLICS)
    f["porteur.collectivite"] = _ou_inconnu(type_porteur is not None, type_porteur in COLLECTIVITES)
    f["porteur.siren"] = dossier.porteur.siret[:9] if dossier.porteur.siret else None
    _faits_budget(dossier, f)
    debut, depot = dossier.projet.date_debut_travaux, dossier.date_depot
    f["projet.travaux_avant_depot"] = _ou_inconnu(debut is not None and depot is not None,
                                                  debut is not None and depot is not None and debut < depot)
    return f


def _faits_budget(dossier: Dossier, f: dict[str, Any]) -> None:
    b = dossier.budget
    total = None
    if b.montant_sollicite is not None and b.financements is not None:
        total = b.montant_sollicite + sum(x.montant for x in b.financements)
    f["budget.total_aides_publiques"] = total
    f["budget.taux_aides_publiques"] = (
        total / b.cout_total_ht if total is not None and b.cout_total_ht else None)
    minimis = dossier.porteur.aides_minimis_3_ans
    f["budget.cumul_minimis"] = (
        minimis + b.montant_sollicite if minimis is not None and b.montant_sollicite is not None else None)


def champs_du_formulaire(champ: str, dossier_brut: dict[str, Any]) -> tuple[str, ...]:
    """Les champs du formulaire à demander quand `champ` est inconnu."""
    return tuple(s for s in DEPENDANCES.get(champ, (champ,)) if dossier_brut.get(s) is None)
