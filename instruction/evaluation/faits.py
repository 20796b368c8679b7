"""Les faits qu'une règle lit : les champs du dossier à plat, et les faits dérivés du territoire et du budget."""
from datetime import date
from typing import Any, Optional

from forms.dossier import Dossier
from forms.valeurs import PORTEURS_PUBLICS
from instruction.evaluation.territoire import Territoire

COLLECTIVITES = ("commune", "epci", "departement", "syndicat_mixte")
# Holders whose legal form does not tell whether they sell on a market: their answer decides.
FORMES_SANS_PRESOMPTION = ("association", "particulier", "office_de_tourisme")
# Running accommodation or a restaurant is selling a service on a market.
SECTEURS_MARCHANDS = ("hebergement", "restauration")
ADEME = "ademe_fonds_tourisme_durable"
# A plan's region_hdf line is the dossier's own request (montant_sollicite): counted once.
DEMANDE_DU_DOSSIER = "region_hdf"

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
    "budget.cumul_aides_minimis": ("porteur.aides_minimis_3_ans", "budget.montant_sollicite", "budget.financements"),
    "budget.aide_ademe": ("budget.financements",),
    "budget.aide_ademe_plafond": ("budget.financements", "budget.montant_sollicite"),
    "porteur.entreprise_ue": ("porteur.type", "porteur.activite_economique"),
    "projet.travaux_avant_depot": ("projet.date_debut_travaux", "date_depot"),
}


class _Cles(dict):
    """Le nom pointé de chaque champ d'un bloc (« projet.nature »), écrit une fois."""

    def __init__(self, bloc: str):
        super().__init__()
        self.bloc = bloc

    def __missing__(self, nom: str) -> str:
        cle = self[nom] = f"{self.bloc}.{nom}"
        return cle


# The budget's lists (its financing lines) stay lists; the other blocks' lists are read as tuples.
_BLOCS = tuple((bloc, _Cles(bloc), bloc != "budget") for bloc in ("porteur", "projet", "budget"))


def _faits_bruts(dossier: Dossier) -> dict[str, Any]:
    faits: dict[str, Any] = {"date_depot": dossier.date_depot}
    for bloc, cles, en_tuples in _BLOCS:
        champs = getattr(dossier, bloc).__dict__  # pydantic's own iterator is slow
        faits.update(zip(map(cles.__getitem__, champs), champs.values()))  # in C, in the fields' order
        if en_tuples:
            for nom, valeur in champs.items():
                if isinstance(valeur, list):
                    faits[cles[nom]] = tuple(valeur)
    return faits


def _ou_inconnu(condition: bool, valeur: Any) -> Any:
    return valeur if condition else None


def faits_du_dossier(dossier: Dossier, territoire: Territoire, jour: Optional[date]) -> dict[str, Any]:
    """`jour` est la date de référence (date imposée ou date de dépôt), None si inconnue."""
    f = _faits_bruts(dossier)
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
    f["porteur.siren"] = dossier.porteur.siren
    f["porteur.entreprise_ue"] = _entreprise_ue(dossier)
    _faits_budget(dossier, f)
    debut, depot = dossier.projet.date_debut_travaux, dossier.date_depot
    f["projet.travaux_avant_depot"] = _ou_inconnu(debut is not None and depot is not None,
                                                  debut is not None and depot is not None and debut < depot)
    return f


def _entreprise_ue(dossier: Dossier) -> Optional[bool]:
    """Une entreprise au sens du droit de l'UE : toute entité qui exerce une activité économique."""
    type_porteur, declaree = dossier.porteur.type, dossier.porteur.activite_economique
    if type_porteur == "entreprise":
        return True
    if type_porteur in FORMES_SANS_PRESOMPTION:
        if declaree is not None:
            return declaree
        return True if dossier.projet.secteur in SECTEURS_MARCHANDS else None
    # Public bodies and the ADRT are read as not selling on a market (README: interpretations).
    return None if type_porteur is None else False


def aides_du_plan(budget) -> Optional[list]:
    """Les lignes du plan de financement qui s'ajoutent au montant sollicité (None si plan inconnu)."""
    if budget.financements is None:
        return None
    return [x for x in budget.financements if x.financeur != DEMANDE_DU_DOSSIER]


def _faits_budget(dossier: Dossier, f: dict[str, Any]) -> None:
    b = dossier.budget
    lignes = aides_du_plan(b)
    total = None
    if b.montant_sollicite is not None and lignes is not None:
        total = b.montant_sollicite + sum(x.montant for x in lignes)
    f["budget.total_aides_publiques"] = total
    f["budget.taux_aides_publiques"] = (
        total / b.cout_total_ht if total is not None and b.cout_total_ht else None)
    minimis = dossier.porteur.aides_minimis_3_ans
    f["budget.cumul_minimis"] = (
        minimis + b.montant_sollicite if minimis is not None and b.montant_sollicite is not None else None)
    f["budget.cumul_aides_minimis"] = minimis + total if minimis is not None and total is not None else None
    ademe = None if lignes is None else [x.montant for x in lignes if x.financeur == ADEME]
    f["budget.aide_ademe"] = None if ademe is None else sum(ademe)
    # An aid to this dossier cannot exceed what it asks: without an ADEME line, the request bounds it.
    f["budget.aide_ademe_plafond"] = sum(ademe) if ademe else (None if ademe is None else b.montant_sollicite)


def champs_du_formulaire(champ: str, dossier_brut: dict[str, Any]) -> tuple[str, ...]:
    """Les champs du formulaire à demander quand `champ` est inconnu."""
    return tuple(s for s in DEPENDANCES.get(champ, (champ,)) if dossier_brut.get(s) is None)
