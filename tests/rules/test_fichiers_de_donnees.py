"""Les fichiers de données à côté des règles (instruction/data : territoire, contrats et zones, contrôles du
comité) : chaque extrait est copié de son texte source, et un fichier faux est refusé en nommant le
fichier et l'entrée fautive. Ces tests lisent les textes sources et écrivent des fichiers : ils ne sont pas
des tests unitaires."""
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from instruction.comite.controles import FICHIER, charger_controles, citations
from instruction.evaluation.territoire import ErreurTerritoire, Territoire
from rules.verification import verifier_citations
from tests.conftest import RACINE, SOURCES

DONNEES = RACINE / "instruction" / "data"


# --- The territory: contracts and zones ---------------------------------------------------------

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


def test_chaque_extrait_des_contrats_est_copie_du_texte_source():
    if not SOURCES.is_dir():
        pytest.skip(f"textes sources absents : {SOURCES}")
    texte = (DONNEES / "contrats.yaml").read_text(encoding="utf-8")
    extraits = set(_extraits(yaml.safe_load(texte)))
    # Every extract written out in the file, none lost by the walk (aliases repeat one without the key).
    assert len(extraits) == len(re.findall(r"^\s*extrait:", texte, re.MULTILINE))
    textes = {}
    for document, extrait in extraits:
        if document not in textes:
            textes[document] = _normaliser((SOURCES / document).read_text(encoding="utf-8"))
        assert _normaliser(extrait) in textes[document], f"{document} : {extrait[:80]}…"


# --- The comité's cross-checks -----------------------------------------------------------------

def test_chaque_controle_cite_un_passage_present_dans_son_texte():
    sources = citations(charger_controles())
    assert len(sources) == len(re.findall(r"^\s*extrait:", FICHIER.read_text(encoding="utf-8"), re.MULTILINE))
    assert verifier_citations(sources) == []


def test_une_citation_de_controle_absente_du_texte_est_detectee():
    [premiere, *_] = citations(charger_controles())
    fausse = replace(premiere, source=replace(premiere.source, extrait="la Région finance tout"))
    [probleme] = verifier_citations([fausse])
    assert "extrait absent" in probleme and premiere.id in probleme


def test_un_fichier_de_controles_faux_est_refuse_en_nommant_le_fichier_et_le_controle(tmp_path):
    faux = tmp_path / "controles.yaml"
    faux.write_text(FICHIER.read_text(encoding="utf-8").replace("gravite: alerte", "gravite: grave", 1),
                    encoding="utf-8")
    with pytest.raises(ErreurTerritoire) as erreur:
        charger_controles(faux)
    assert "controles.yaml" in str(erreur.value) and "comite.projet_en_double" in str(erreur.value)
    assert "grave" in str(erreur.value)
