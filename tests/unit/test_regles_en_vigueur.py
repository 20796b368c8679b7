"""La période d'une règle (`en_vigueur: {du, au}`) est fermée aux deux bouts : une règle s'applique le jour
où elle entre en vigueur et le dernier jour, pas la veille ni le lendemain."""
from dataclasses import replace
from datetime import date, timedelta

import pytest

JOUR = timedelta(days=1)


def test_chaque_regle_datee_est_en_vigueur_de_son_premier_a_son_dernier_jour_inclus(base):
    datees = [r for r in base.regles if r.du or r.au]
    assert datees  # the shipped rulebase has dated rules: contracts, plans, regulations
    def en_vigueur(jour: date) -> set[str]:
        return {r.id for r in base.en_vigueur(jour).regles}

    for regle in datees:
        if regle.du:
            assert regle.id in en_vigueur(regle.du) and regle.id not in en_vigueur(regle.du - JOUR), regle.id
        if regle.au:
            assert regle.id in en_vigueur(regle.au) and regle.id not in en_vigueur(regle.au + JOUR), regle.id


@pytest.mark.parametrize("du, au, jour, attendu", [
    (date(2025, 1, 1), None, date(2025, 1, 1), True),
    (date(2025, 1, 1), None, date(2024, 12, 31), False),
    (None, date(2027, 12, 31), date(2027, 12, 31), True),
    (None, date(2027, 12, 31), date(2028, 1, 1), False),
    (date(2025, 3, 10), date(2025, 3, 10), date(2025, 3, 10), True),  # a one-day rule
    (None, None, date(1900, 1, 1), True),
])
def test_une_regle_est_en_vigueur_bornes_comprises(base, du, au, jour, attendu):
    assert replace(base.regles[0], du=du, au=au).en_vigueur_le(jour) is attendu


def test_le_premier_jour_du_contrat_lys_artois_la_region_conclut_et_la_veille_elle_laisse_ouvert(guichet_python):
    # region.contrat.periode leaves the Région open outside 2025-2027; the matrix rules start on 2025-01-01.
    def region(jour: str) -> str:
        dossier = {"reference": "J", "date_depot": jour, "porteur": {"type": "commune"},
                   "projet": {"commune_insee": "62119", "nature": "investissement", "secteur": "hebergement",
                              "clienteles": ["promeneurs_chaleureux"]}}
        return guichet_python.evaluer(dossier).statut("region_hdf")

    assert [region(j) for j in ("2024-12-31", "2025-01-01", "2027-12-31", "2028-01-01")] == [
        "a_completer", "prioritaire", "prioritaire", "a_completer"]
