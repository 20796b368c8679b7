"""Le site public des règles par HTTP, sans connexion : chaque page de règle, de financeur et de texte répond ;
chaque règle mène à son passage, et l'élément que vise ce lien existe sur la page du texte ; une règle, un
financeur ou un texte inconnus répondent 404 ; la recherche marche sans JavaScript (un formulaire GET)."""
import html
import re
from functools import lru_cache

import pytest

from rules.base import BaseDeRegles
from rules.verification import TEXTES_LEGAUX, dossier_sources, normaliser
from tests.e2e.banc_comptes import client, client_de

BASE = BaseDeRegles.charger()
DOCUMENTS = sorted(f.name for f in dossier_sources().iterdir() if f.suffix == ".txt")
LIEN_PASSAGE = re.compile(r'href="/textes/([^"#]+)#(regle-[^"]+)"')


@pytest.fixture(scope="module")
def anonyme(banc_partage):
    return client(banc_partage.app)


@pytest.fixture(scope="module")
def page_texte(anonyme):
    @lru_cache(maxsize=None)
    def lire(document: str) -> str:
        reponse = anonyme.get(f"/textes/{document}")
        assert reponse.status_code == 200, (document, reponse.status_code)
        return reponse.text
    return lire


def test_les_cinq_textes_sources_sont_servis():
    assert len(DOCUMENTS) == 5


FINANCEURS = sorted({f"/regles/financeurs/{r.financeur or 'dossier-entier'}" for r in BASE.regles})


@pytest.mark.parametrize("chemin", ["/regles", "/regles?q=camping", "/textes", *[f"/textes/{d}" for d in DOCUMENTS],
                                    *FINANCEURS])
def test_les_pages_publiques_repondent_sans_connexion(anonyme, chemin):
    reponse = anonyme.get(chemin)
    assert reponse.status_code == 200, (chemin, reponse.text[:300])
    assert "text/html" in reponse.headers["content-type"]
    assert "/connexion?suivant" not in reponse.headers.get("location", "")


@pytest.mark.parametrize("regle", BASE.regles, ids=lambda r: r.id)
def test_chaque_regle_a_sa_page_et_son_lien_mene_a_un_passage_qui_existe_dans_le_texte(anonyme, page_texte, regle):
    reponse = anonyme.get(f"/regles/{regle.id}")
    assert reponse.status_code == 200
    page = reponse.text
    assert regle.titre in html.unescape(page)
    liens = set(LIEN_PASSAGE.findall(page))
    if regle.source.document in TEXTES_LEGAUX:
        assert not liens and regle.source.reference in html.unescape(page)
        return
    assert liens == {(regle.source.document, f"regle-{regle.id}")}
    texte = page_texte(regle.source.document)
    ancre = re.search(rf'<span class="guichet-texte__passage" id="regle-{re.escape(regle.id)}">(.*?)</mark>', texte,
                      re.S)
    assert ancre, f"pas d'élément regle-{regle.id} dans /textes/{regle.source.document}"
    marque = html.unescape(re.sub(r"<[^>]+>", "", ancre.group(1)))
    assert normaliser(regle.source.extrait) in normaliser(marque)
    assert f'href="/regles/{regle.id}"' in texte  # and the text links back to the rule


def test_les_elements_des_passages_sont_uniques_sur_chaque_texte(page_texte):
    for document in DOCUMENTS:
        ids = re.findall(r'id="(regle-[^"]+)"', page_texte(document))
        assert len(ids) == len(set(ids)), document


@pytest.mark.parametrize("chemin", ["/regles/region.nexiste.pas", "/regles/financeurs/inconnu",
                                    "/textes/inconnu.txt", "/textes/..%2F..%2Fetc%2Fpasswd", "/textes/README.md"])
def test_ce_qui_n_existe_pas_repond_404_en_francais(anonyme, chemin):
    reponse = anonyme.get(chemin)
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.text and "text/html" in reponse.headers["content-type"]


def test_la_recherche_liste_les_regles_qui_contiennent_le_mot(anonyme):
    page = anonyme.get("/regles", params={"q": "camping"}).text
    listees = set(re.findall(r'<a class="govuk-link" href="/regles/([a-z0-9_.]+)">', page))
    attendues = {r.id for r in BASE.regles
                 if "camping" in " ".join((r.id, r.titre, r.message, r.source.reference, r.source.extrait)).lower()}
    assert listees == attendues and attendues
    assert f"{len(attendues)} règles sur {len(BASE.regles)}" in page
    assert 'value="camping"' in page  # what was typed is kept in the box


def test_une_page_de_regle_dit_ses_conditions_sa_fenetre_son_interpretation_et_ses_exemples(anonyme):
    regle = BASE.regle("ademe.taille.plutot_tpe_pme")
    page = html.unescape(anonyme.get(f"/regles/{regle.id}").text)
    assert "le type de porteur est Entreprise" in page or "type de porteur est Entreprise" in page
    assert "Du 1er janvier 2023 au 31 décembre 2027" in page
    assert "Interprétation" in page and normaliser(regle.motif_interpretation) in normaliser(page)
    for exemple in regle.exemples:
        assert exemple.nom in page


def test_une_session_ouverte_ne_change_rien_aux_pages_publiques(banc_partage):
    connecte = client_de(banc_partage.app, "porteur")
    assert connecte.get("/regles/ademe.montant.bande").status_code == 200
    assert connecte.get(f"/textes/{DOCUMENTS[0]}").status_code == 200
