"""Le territoire : rattachements des communes, contrats à la date, zones. (Les fichiers faux et les extraits
cités : tests/rules/test_fichiers_de_donnees.py.)"""
from datetime import date

import pytest

from instruction.evaluation.territoire import Territoire
from rules.champs import CONTRATS, ZONES

CABBALR, CCFL, CAPH = "200072460", "245900758", "200042190"


@pytest.fixture(scope="module")
def t() -> Territoire:
    return Territoire.charger()


def test_bethune_est_dans_lys_artois_pendant_le_contrat_seulement(t):
    bethune = t.commune("62119")
    assert (bethune.nom, bethune.departement, bethune.epci) == ("Béthune", "62", CABBALR)
    assert "lys_artois" in t.contrats("62119", date(2025, 3, 10))
    assert "lys_artois" not in t.contrats("62119", date(2024, 6, 1))
    assert t.departement_nom("62") == "Pas-de-Calais"


def test_le_departement_vient_de_la_commune_pas_de_l_epci(t):
    # La CC Flandre Lys est à cheval sur le Nord et le Pas-de-Calais.
    laventie, merville = t.commune("62491"), t.commune("59400")
    assert (laventie.departement, laventie.epci) == ("62", CCFL)
    assert laventie.epci_nom == "CC Flandre Lys"
    assert (merville.nom, merville.departement, merville.epci) == ("Merville", "59", CCFL)
    assert t.contrats("59400", date(2026, 1, 1)) == ("lys_artois",)


def test_une_commune_de_la_caph_releve_du_contrat_louvre_lens_jusqu_en_2023(t):
    assert t.commune("59526").epci == CAPH
    assert t.contrats("59526", date(2023, 6, 1)) == ("autour_du_louvre_lens",)
    assert t.contrats("59526", date(2025, 3, 10)) == ()


def test_zones(t):
    assert "montreuillois_elargi" in t.zones("62588")  # Montreuil-sur-Mer
    assert "gal_lys_artois" in t.zones("62119")
    assert {"grand_site_deux_caps", "pnr_caps_marais_opale"} <= set(t.zones("62893"))  # Wimereux
    assert t.zones("59350") == ()  # Lille


def test_code_inconnu(t):
    assert t.commune("99999") is None
    assert t.commune(None) is None
    assert t.contrats("99999", date(2025, 3, 10)) == ()
    assert t.zones("99999") == ()


def test_contrats_et_zones_complets(t):
    assert [c.id for c in t.contrats_tous()] == list(CONTRATS)
    assert [z.id for z in t.zones_toutes()] == list(ZONES)
    for contrat in t.contrats_tous():
        assert len(contrat.epci) >= 2, contrat.id
        assert contrat.du <= contrat.au
    assert len(t.contrat("lys_artois").comite_technique) == 7
    assert len(t.contrat("autour_du_louvre_lens").epci) == 7


def test_le_territoire_couvre_les_hauts_de_france(t):
    assert {t.commune(c).departement for c in ("02408", "59350", "60057", "62041", "80021")} == {
        "02", "59", "60", "62", "80"}
