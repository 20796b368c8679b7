"""Des dossiers générés pour les propriétés : complets, ou avec des champs inconnus."""
from datetime import date

from hypothesis import strategies as st

from forms.valeurs import (
    FINANCEURS,
    Clientele,
    Envergure,
    Label,
    Nature,
    Rayonnement,
    Secteur,
    Taille,
    Thematique,
    TypeHebergement,
    TypePorteur,
    valeurs,
)

COMMUNES = ["62119", "62491", "59400", "62041", "62588", "62108", "59526", "62765", "59350", "80021",
            "62498", "62893", "59183", "02691", "60057", "62160", "62510", "59606"]
SIRETS = ["21620910600014", "73282932000074", "35600000000048", None]


def _sous_liste(valeurs_possibles):
    return st.lists(st.sampled_from(valeurs_possibles), max_size=4, unique=True)


def dossier_complet():
    return st.fixed_dictionaries({
        "reference": st.text("ABCDEF0123456789-", min_size=1, max_size=12),
        "date_depot": st.dates(date(2022, 1, 1), date(2028, 12, 31)).map(str),
        "porteur": st.fixed_dictionaries({
            "type": st.sampled_from(valeurs(TypePorteur)),
            "taille": st.sampled_from(valeurs(Taille)),
            "rayonnement": st.sampled_from(valeurs(Rayonnement)),
            "aides_minimis_3_ans": st.integers(0, 400000),
            "activite_economique": st.booleans(),
        }),
        "projet": st.fixed_dictionaries({
            "commune_insee": st.sampled_from(COMMUNES),
            "nature": st.sampled_from(valeurs(Nature)),
            "secteur": st.sampled_from(valeurs(Secteur)),
            "hebergement_type": st.sampled_from(valeurs(TypeHebergement)),
            "clienteles": _sous_liste(valeurs(Clientele)),
            "thematiques": _sous_liste(valeurs(Thematique)),
            "transition_ecologique": st.booleans(),
            "diagnostic_environnemental": st.booleans(),
            "accessibilite": st.booleans(),
            "labels": _sous_liste(valeurs(Label)),
            "date_debut_travaux": st.dates(date(2022, 1, 1), date(2028, 12, 31)).map(str),
            "envergure": st.sampled_from(valeurs(Envergure)),
        }),
        "budget": st.integers(1000, 2_000_000).flatmap(lambda cout: st.fixed_dictionaries({
            "cout_total_ht": st.just(cout),
            "depenses_investissement": st.integers(0, cout),
            "montant_sollicite": st.integers(0, cout),
            "financements": st.lists(st.fixed_dictionaries({
                "financeur": st.sampled_from(FINANCEURS),
                "montant": st.integers(0, cout),
                "statut": st.sampled_from(["sollicite", "acquis"]),
            }), max_size=3),
        })),
    })


CHAMPS_OUBLIABLES = [
    ("porteur", "type"), ("porteur", "taille"), ("porteur", "rayonnement"), ("porteur", "aides_minimis_3_ans"),
    ("porteur", "activite_economique"), ("projet", "envergure"),
    ("projet", "commune_insee"), ("projet", "nature"), ("projet", "secteur"), ("projet", "hebergement_type"),
    ("projet", "clienteles"), ("projet", "thematiques"), ("projet", "transition_ecologique"),
    ("projet", "diagnostic_environnemental"), ("projet", "accessibilite"), ("projet", "labels"),
    ("projet", "date_debut_travaux"), ("budget", "cout_total_ht"), ("budget", "montant_sollicite"),
    ("budget", "financements"), (None, "date_depot"),
]


def oublier(dossier: dict, bloc, champ) -> dict:
    copie = {k: (dict(v) if isinstance(v, dict) else v) for k, v in dossier.items()}
    if bloc is None:
        copie.pop(champ, None)
    else:
        copie[bloc].pop(champ, None)
    return copie


# Complete dossiers that land in the branches the properties check, run as explicit examples so that
# no check depends on a random draw (test_proprietes.py verifies that they do land there).
def dossier_prioritaire(**budget) -> dict:
    """Une aire de camping-cars communale à Béthune, déposée en 2025 : la Région et le Pas-de-Calais sont
    prioritaires ; la ligne ADEME (5 000 € par défaut, le plancher de la bande) ouvre l'ADEME."""
    return {
        "reference": "P-1", "date_depot": "2025-06-01",
        "porteur": {"type": "commune", "taille": "petite", "rayonnement": "regional", "aides_minimis_3_ans": 0,
                    "activite_economique": False},
        "projet": {"commune_insee": "62119", "nature": "investissement", "secteur": "hebergement",
                   "hebergement_type": "aire_camping_cars", "clienteles": ["promeneurs_chaleureux"],
                   "thematiques": ["velo"], "transition_ecologique": True, "diagnostic_environnemental": True,
                   "accessibilite": True, "labels": [], "date_debut_travaux": "2026-01-01",
                   "envergure": "regionale"},
        "budget": {"cout_total_ht": 180000, "depenses_investissement": 180000, "montant_sollicite": 50000,
                   "financements": [{"financeur": "ademe_fonds_tourisme_durable", "montant": 5000,
                                     "statut": "sollicite"}], **budget},
    }


def avec_aide_ademe(montant: float) -> dict:
    return dossier_prioritaire(financements=[{"financeur": "ademe_fonds_tourisme_durable", "montant": montant,
                                              "statut": "sollicite"}])


def depose_le(jour: str) -> dict:
    return {**dossier_prioritaire(), "date_depot": jour}
