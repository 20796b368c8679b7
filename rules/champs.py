"""Le catalogue des champs qu'une règle peut lire : ceux du contrat et les faits dérivés.

Les champs du contrat viennent des modèles de `forms` ; les faits dérivés
(territoire, budget, dates) sont déclarés ici et calculés par `instruction.evaluation.faits`.
"""
from dataclasses import dataclass
from datetime import date
from typing import Optional, Union, get_args, get_origin

from forms.dossier import Budget, Porteur, Projet
from forms.valeurs import PORTEURS_PUBLICS  # noqa: F401  (re-exported for rule authors' docs)

CONTRATS = (
    "lys_artois", "autour_du_louvre_lens", "arras_pays_d_artois", "montreuillois",
    "pays_de_saint_omer", "sept_vallees_ternois",
)
ZONES = ("pnr_caps_marais_opale", "grand_site_deux_caps", "montreuillois_elargi", "gal_lys_artois")
DEPARTEMENTS_HDF = ("02", "59", "60", "62", "80")


@dataclass(frozen=True)
class Champ:
    nom: str
    nature: str  # enum, enum_liste, booleen, nombre, date, texte
    valeurs: tuple = ()
    description: str = ""

    @property
    def est_liste(self) -> bool:
        return self.nature == "enum_liste"


def _nature_de(annotation) -> tuple[str, tuple]:
    args = [a for a in get_args(annotation) if a is not type(None)]
    inner = args[0] if get_origin(annotation) is Union and args else annotation
    origin = get_origin(inner)
    if origin is list:
        return "enum_liste", tuple(get_args(get_args(inner)[0]))
    if str(origin).endswith("Literal"):
        return "enum", tuple(get_args(inner))
    if get_origin(inner) is not None and get_args(inner):  # Annotated[float, ...]
        inner = get_args(inner)[0]
    return {bool: "booleen", float: "nombre", date: "date", str: "texte"}.get(inner, "texte"), ()


def _champs_du_contrat() -> dict[str, Champ]:
    champs: dict[str, Champ] = {"date_depot": Champ("date_depot", "date")}
    for prefixe, modele in (("porteur", Porteur), ("projet", Projet), ("budget", Budget)):
        for nom, info in modele.model_fields.items():
            if nom == "financements":
                continue  # a list of objects: rules read its derived totals instead
            nature, valeurs = _nature_de(info.annotation)
            champs[f"{prefixe}.{nom}"] = Champ(f"{prefixe}.{nom}", nature, valeurs)
    return champs


DERIVES: dict[str, Champ] = {c.nom: c for c in (
    Champ("dossier.date_reference", "date", (), "date de dépôt, ou la date imposée (--date)"),
    Champ("territoire.departement", "enum", DEPARTEMENTS_HDF, "département de la commune du projet"),
    Champ("territoire.epci", "texte", (), "SIREN de l'EPCI de la commune du projet"),
    Champ("territoire.contrats", "enum_liste", CONTRATS, "contrats de destination couvrant la commune à la date"),
    Champ("territoire.zones", "enum_liste", ZONES, "zones prioritaires où se trouve la commune"),
    Champ("porteur.public", "booleen", (), "le porteur est une collectivité ou un établissement public"),
    Champ("porteur.collectivite", "booleen", (), "le porteur est une collectivité ou un groupement (CGCT L1111-10)"),
    Champ("porteur.siren", "texte", (), "les 9 premiers chiffres du SIRET"),
    Champ("budget.total_aides_publiques", "nombre", (), "montant sollicité + financements publics déclarés"),
    Champ("budget.taux_aides_publiques", "nombre", (), "total des aides publiques / coût total HT"),
    Champ("budget.cumul_minimis", "nombre", (), "aides de minimis sur 3 ans + montant sollicité"),
    Champ("budget.cumul_aides_minimis", "nombre", (),
          "aides de minimis sur 3 ans + montant sollicité + lignes du plan de financement"),
    Champ("budget.aide_ademe", "nombre", (), "montant demandé à l'ADEME dans le plan de financement (0 sans ligne)"),
    Champ("budget.aide_ademe_plafond", "nombre", (),
          "aide de l'ADEME au plus : sa ligne du plan, sinon le montant sollicité"),
    Champ("porteur.entreprise_ue", "booleen", (),
          "le porteur exerce une activité économique (entreprise au sens du droit de l'UE)"),
    Champ("projet.travaux_avant_depot", "booleen", (), "les travaux commencent avant la date de dépôt"),
)}

CHAMPS: dict[str, Champ] = {**_champs_du_contrat(), **DERIVES}

# What a rule's message may quote with {{nom}}: a sentence computed from the dossier when the rule
# applies (instruction.evaluation.details), never read by a condition.
DETAILS: dict[str, str] = {
    "budget.detail_aides_minimis": "les aides additionnées dans le cumul de minimis, chacune avec son montant",
    "budget.detail_aide_ademe": "le montant demandé à l'ADEME et d'où il vient",
}


def champ(nom: str) -> Optional[Champ]:
    return CHAMPS.get(nom)
