"""Les règles de droit (rules/regles/droit.yaml) jugées par une évaluation entière, exactement à leur seuil
et juste à côté : ce que la loi permet (« au moins 20 % », « ne peut excéder ») ne déclenche pas
d'avertissement ; un centime, un jour de plus, si."""
import pytest

CGCT = "droit.cgct.participation_minimale"
MINIMIS = "droit.minimis.plafond"
MINIMIS_2013 = "droit.minimis.plafond_2013"
TRAVAUX = "droit.travaux.commences"


def _regles_constatees(guichet, dossier: dict) -> set[str]:
    return {c["regle"] for c in guichet.evaluer(dossier).en_json()["constats"]}


def _commune(departement_62: float) -> dict:
    """Une commune qui investit 100 000 € : 50 000 € demandés à la Région, `departement_62` au Département."""
    return {"reference": "CGCT", "date_depot": "2025-06-01", "porteur": {"type": "commune"},
            "projet": {"commune_insee": "62119", "nature": "investissement"},
            "budget": {"cout_total_ht": 100000, "montant_sollicite": 50000,
                       "financements": [{"financeur": "departement_62", "montant": departement_62,
                                         "statut": "sollicite"}]}}


@pytest.mark.parametrize("departement_62, taux, averti", [
    (24000, "74 %", False), (26000, "76 %", False), (29999.99, "79,99999 %", False),
    (30000, "80 % exactement", False), (30000.01, "80,00001 %", True), (40000, "90 %", True),
])
def test_la_participation_minimale_de_20_pourcent_permet_80_pourcent_d_aides_publiques_exactement(
        guichet_python, departement_62, taux, averti):
    assert (CGCT in _regles_constatees(guichet_python, _commune(departement_62))) is averti, taux


def _entreprise(date_depot: str, anterieures: float, departement_59: float) -> dict:
    return {"reference": "MINIMIS", "date_depot": date_depot,
            "porteur": {"type": "entreprise", "taille": "petite", "aides_minimis_3_ans": anterieures},
            "projet": {"commune_insee": "62119"},
            "budget": {"montant_sollicite": 80000, "financements": [
                {"financeur": "departement_59", "montant": departement_59, "statut": "sollicite"}]}}


@pytest.mark.parametrize("date_depot, anterieures, departement_59, attendues", [
    # 2023 regulation: 300 000 € over three years. 150 000 + 80 000 + 70 000 = 300 000 € exactly.
    ("2025-06-01", 150000, 70000, set()),
    ("2025-06-01", 150000, 70000.01, {MINIMIS}),
    ("2024-01-01", 150000, 70000.01, {MINIMIS}),  # its first day
    # 2013 regulation, until 31 December 2023: 200 000 €. 50 000 + 80 000 + 70 000 = 200 000 € exactly.
    ("2023-12-31", 50000, 70000, set()),
    ("2023-12-31", 50000, 70000.01, {MINIMIS_2013}),
    ("2023-12-31", 150000, 70000, {MINIMIS_2013}),  # 300 000 €: above the ceiling of the day
])
def test_le_plafond_de_minimis_en_vigueur_le_jour_du_depot_est_permis_et_un_centime_de_plus_averti(
        guichet_python, date_depot, anterieures, departement_59, attendues):
    constatees = _regles_constatees(guichet_python, _entreprise(date_depot, anterieures, departement_59))
    assert constatees & {MINIMIS, MINIMIS_2013} == attendues


@pytest.mark.parametrize("debut, avant", [("2025-03-09", True), ("2025-03-10", False), ("2025-03-11", False)])
def test_des_travaux_commences_le_jour_du_depot_ne_sont_pas_commences_avant(guichet_python, debut, avant):
    dossier = {"reference": "T", "date_depot": "2025-03-10", "projet": {"commune_insee": "62119",
                                                                         "date_debut_travaux": debut}}
    assert (TRAVAUX in _regles_constatees(guichet_python, dossier)) is avant
