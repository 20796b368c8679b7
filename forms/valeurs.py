"""Les valeurs permises par le contrat (contract.md), une liste par champ."""
from typing import Literal, get_args

TypePorteur = Literal[
    "commune", "epci", "departement", "syndicat_mixte", "etablissement_public",
    "association", "entreprise", "particulier", "office_de_tourisme", "adrt",
]
Taille = Literal["micro", "petite", "moyenne", "grande"]
Rayonnement = Literal["local", "intercommunal", "departemental", "regional"]
Envergure = Literal["locale", "intercommunale", "departementale", "regionale"]
Nature = Literal["investissement", "etude", "ingenierie", "evenementiel", "fonctionnement", "promotion"]
Secteur = Literal["activite", "accueil", "hebergement", "restauration", "mobilite", "services"]
TypeHebergement = Literal[
    "hotel", "residence_hoteliere", "camping", "aire_camping_cars", "meuble",
    "chambre_hotes", "insolite", "hebergement_groupe",
]
Clientele = Literal[
    "promeneurs_chaleureux", "happy_family", "grands_parents_petits_enfants",
    "explorateurs_passionnes", "affaires_team_building", "habitants", "groupes", "autre",
]
Thematique = Literal[
    "velo", "randonnee", "fluvial_nautique", "equestre", "memoire", "patrimoine", "art_deco",
    "gastronomie", "innovation", "mediation_ludification", "nature", "sports_nature",
    "savoir_faire", "bien_etre", "culture", "affaires", "inclusion",
]
Label = Literal[
    "accueil_velo", "tourisme_handicap", "chambre_hote_reference", "meuble_classe",
    "qualite_tourisme", "clef_verte", "ecolabel_europeen", "destination_pour_tous",
]
FinanceurId = Literal[
    "region_hdf", "region_prit", "departement_62", "departement_59",
    "ademe_fonds_tourisme_durable", "leader", "epci",
]
AccompagnementId = Literal[
    "pas_de_calais_tourisme", "hauts_de_france_tourisme", "mission_all_design", "office_de_tourisme",
]
StatutFinancement = Literal["sollicite", "acquis"]
# The evaluation's words (contract.md), which an instructor's correction may also use.
StatutFinanceur = Literal["prioritaire", "eligible", "a_completer", "exclu", "non_concerne"]
Avis = Literal["favorable", "favorable_sous_reserve", "a_reorienter", "defavorable", "incomplet"]

PORTEURS_PUBLICS = ("commune", "epci", "departement", "syndicat_mixte", "etablissement_public")


def valeurs(type_litteral) -> tuple[str, ...]:
    return tuple(get_args(type_litteral))


FINANCEURS: tuple[str, ...] = valeurs(FinanceurId)
ACCOMPAGNEMENTS: tuple[str, ...] = valeurs(AccompagnementId)
STATUTS: tuple[str, ...] = valeurs(StatutFinanceur)
AVIS: tuple[str, ...] = valeurs(Avis)
