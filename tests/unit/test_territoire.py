"""Le territoire : rattachements des communes, contrats à la date, zones, validation des données."""
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from instruction.evaluation.territoire import ErreurTerritoire, Territoire
from rules.champs import CONTRATS, ZONES

RACINE = Path(__file__).resolve().parents[2]
DONNEES = RACINE / "instruction" / "data"
SOURCES = Path(os.environ.get("GUICHET_SOURCES", RACINE.parent / "shared" / "seeds"))
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


def _dossier_modifie(tmp_path: Path, modifier) -> Path:
    shutil.copy(DONNEES / "territoire.json", tmp_path / "territoire.json")
    contenu = yaml.safe_load((DONNEES / "contrats.yaml").read_text(encoding="utf-8"))
    modifier(contenu)
    texte = yaml.safe_dump(contenu, allow_unicode=True)
    (tmp_path / "contrats.yaml").write_text(texte, encoding="utf-8")
    return tmp_path


def _zone_inconnue(c):
    c["zones"]["zone_imaginaire"] = c["zones"]["gal_lys_artois"]


def _un_seul_epci(c):
    c["contrats"]["montreuillois"]["epci"] = c["contrats"]["montreuillois"]["epci"][:1]


def _date_invalide(c):
    c["contrats"]["pays_de_saint_omer"]["au"] = "2023-13-45"


def _periode_a_l_envers(c):
    c["contrats"]["lys_artois"]["du"] = date(2028, 1, 1)


def _siren_inconnu(c):
    c["contrats"]["arras_pays_d_artois"]["epci"][0] = {"siren": "123456789", "nom": "CC Nulle Part"}


def _commune_mal_nommee(c):
    c["zones"]["grand_site_deux_caps"]["communes"][0]["nom"] = "Calais"


def _contrat_manquant(c):
    del c["contrats"]["sept_vallees_ternois"]


@pytest.mark.parametrize("modifier, attendus", [
    (_zone_inconnue, ["zone_imaginaire"]),
    (_un_seul_epci, ["montreuillois", "au moins 2"]),
    (_date_invalide, ["pays_de_saint_omer", "2023-13-45"]),
    (_periode_a_l_envers, ["lys_artois", "période"]),
    (_siren_inconnu, ["arras_pays_d_artois", "123456789"]),
    (_commune_mal_nommee, ["grand_site_deux_caps", "Calais"]),
    (_contrat_manquant, ["sept_vallees_ternois"]),
])
def test_des_donnees_fausses_sont_refusees(tmp_path, modifier, attendus):
    """L'erreur nomme le fichier et le contrat ou la zone fautifs."""
    with pytest.raises(ErreurTerritoire) as erreur:
        Territoire.charger(_dossier_modifie(tmp_path, modifier))
    message = str(erreur.value)
    assert "contrats.yaml" in message and erreur.value.fichier.endswith("contrats.yaml")
    for attendu in attendus:
        assert attendu in message


def test_une_date_impossible_ecrite_sans_guillemets_nomme_le_contrat(tmp_path):
    shutil.copy(DONNEES / "territoire.json", tmp_path / "territoire.json")
    texte = (DONNEES / "contrats.yaml").read_text(encoding="utf-8")
    (tmp_path / "contrats.yaml").write_text(texte.replace("au: 2027-12-31", "au: 2027-13-45"),
                                            encoding="utf-8")
    with pytest.raises(ErreurTerritoire, match=r"contrats\.yaml.*lys_artois.*2027-13-45"):
        Territoire.charger(tmp_path)


def test_territoire_json_absent(tmp_path):
    with pytest.raises(ErreurTerritoire, match="territoire.json"):
        Territoire.charger(tmp_path)


def _normaliser(texte: str) -> str:
    return re.sub(r"\s+", " ", texte.replace("’", "'")).strip()


def _extraits(noeud):
    if isinstance(noeud, dict):
        if {"document", "extrait"} <= noeud.keys():
            yield noeud["document"], noeud["extrait"]
        for valeur in noeud.values():
            yield from _extraits(valeur)
    elif isinstance(noeud, list):
        for valeur in noeud:
            yield from _extraits(valeur)


def test_chaque_extrait_est_copie_du_texte_source():
    if not SOURCES.is_dir():
        pytest.skip(f"textes sources absents : {SOURCES}")
    contenu = yaml.safe_load((DONNEES / "contrats.yaml").read_text(encoding="utf-8"))
    extraits = set(_extraits(contenu))
    assert len(extraits) >= 8
    textes = {}
    for document, extrait in extraits:
        if document not in textes:
            textes[document] = _normaliser((SOURCES / document).read_text(encoding="utf-8"))
        assert _normaliser(extrait) in textes[document], f"{document} : {extrait[:80]}…"
