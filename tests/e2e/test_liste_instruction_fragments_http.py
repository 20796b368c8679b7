"""La liste des services rend ses composants govuk par `fragment()` (api/web/fragments.py), gardés en mémoire d'une
requête à l'autre : ce qui change leurs paramètres (une réunion créée en base, le choix d'un filtre, un texte
saisi) se voit à la requête suivante, et la page est la même, octet pour octet, avec ou sans cette mémoire."""
import re
from datetime import date

import pytest
from jinja2 import Undefined
from markupsafe import Markup

from api.web.fragments import Fragments, geler
from api.web.gabarits import environnement
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.dossiers import recherche, services
from tests.e2e.banc_comptes import banc as nouveau_banc
from tests.e2e.banc_comptes import client_de

SERVICES = Agent.local("services")


@pytest.fixture(scope="module")
def banc(guichet_python, exemples, tmp_path_factory):
    """Une application à elle (un test y remplace la mémoire des fragments), cinq dossiers d'exemple déposés."""
    b = nouveau_banc(guichet_python, tmp_path_factory.mktemp("fragments"))
    for donnees in exemples[:5]:
        assert services.deposer(b.contexte.unite_de_travail(), guichet_python, donnees, SERVICES) == []
    return b


@pytest.fixture(scope="module")
def instructeur(banc):
    return client_de(banc.app, "instructeur")


def _choisie(html: str, champ: str) -> list[str]:
    """Les valeurs marquées `selected` dans la liste déroulante du champ."""
    liste = re.search(rf'<select[^>]* id="{champ}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)" selected>', liste)


def test_une_reunion_creee_apparait_au_rendu_suivant(banc, instructeur):
    avant = instructeur.get("/instruction/dossiers").text
    assert "FRAG-1" not in avant
    services_comite.creer_comite(banc.contexte.unite_de_travail(), banc.contexte.territoire, SERVICES,
                                 date(2026, 4, 9), "lys_artois", "FRAG-1")
    apres = instructeur.get("/instruction/dossiers").text
    assert '<option value="FRAG-1">FRAG-1 (09/04/2026)</option>' in apres


def test_le_choix_d_un_filtre_se_voit_a_chaque_requete(banc, instructeur):
    epci = list(recherche.index_territoire(banc.contexte.territoire).epci)[:2]
    for code in (epci[0], epci[1], epci[0], ""):
        html = instructeur.get(f"/instruction/dossiers?epci={code}").text
        assert _choisie(html, "epci") == [code]
    for texte in ("gite", "camping", "gite"):
        html = instructeur.get(f"/instruction/dossiers?q={texte}").text
        assert f'name="q" type="search" spellcheck="false" value="{texte}"' in html


def test_une_erreur_de_filtre_puis_le_filtre_corrige(instructeur):
    refuse = instructeur.get("/instruction/dossiers?etat=inconnu")
    assert refuse.status_code == 400 and "govuk-select--error" in refuse.text
    corrige = instructeur.get("/instruction/dossiers?etat=depose")
    assert corrige.status_code == 200 and "govuk-select--error" not in corrige.text
    assert _choisie(corrige.text, "etat") == ["depose"]


ADRESSES = ["/instruction/dossiers", "/instruction/dossiers?par_page=10&page=1&tri=porteur&sens=croissant",
            "/instruction/dossiers?etat=depose&statut_region_hdf=eligible&depose_du-jour=1&depose_du-mois=1"
            "&depose_du-annee=2020&a_revoir=oui", "/instruction/dossiers?tout=oui&q=%3Cb%3E",
            "/instruction/dossiers?epci=inconnu&depose_au-jour=40&par_page=7&commune=zz"]


def test_la_page_est_la_meme_avec_ou_sans_memoire(banc, instructeur):
    env = banc.app.state.gabarits.env
    memoire = env.globals["fragment"]
    avec = [instructeur.get(a) for a in ADRESSES for _ in range(2)][1::2]  # the second one served from memory
    rendus = memoire.rendus
    assert [instructeur.get(a).text for a in ADRESSES] == [r.text for r in avec]
    assert memoire.rendus == rendus  # nothing rendered again: the memory did serve them
    env.globals["fragment"] = Fragments(env, entrees=0)  # keeps nothing: every component rendered anew
    try:
        sans = [instructeur.get(a) for a in ADRESSES]
    finally:
        env.globals["fragment"] = memoire
    assert [(r.status_code, r.text) for r in sans] == [(r.status_code, r.text) for r in avec]


def test_des_parametres_rendus_differemment_ne_partagent_pas_leur_entree():
    env = environnement()
    fragment = env.globals["fragment"]
    select = env.get_template("govuk_frontend_jinja/components/select/macro.html").module.govukSelect
    x = {"name": "x", "label": {"text": "X"}}
    variantes = [
        {**x, "items": [{"value": "a", "text": "A", "selected": True}]},
        {**x, "items": [{"value": "a", "text": "A", "selected": False}]},
        {**x, "items": [{"value": "a", "text": "A", "selected": True}], "value": None},
        {**x, "items": [{"value": "a", "text": "A", "selected": True}], "value": Undefined()},
        {**x, "items": [{"value": "a", "text": "<b>A</b>"}]},
        {**x, "items": [{"value": "a", "text": Markup("<b>A</b>")}]},
        {**x, "items": [{"value": True, "text": "A"}]},
        {**x, "items": [{"value": 1, "text": "A"}]},
    ]
    assert len({geler(v) for v in variantes}) == len(variantes)
    for params in variantes + variantes:
        assert fragment("select", params) == select(params)
    assert fragment.rendus == len(variantes)
    with pytest.raises(TypeError):
        geler({"objet": object()})
    non_gele = {"name": "y", "label": {"text": "Y"}, "attributes": {"data-x": date(2025, 3, 10)}}
    assert fragment("select", non_gele) == fragment("select", non_gele) == select(non_gele)
    assert fragment.rendus == len(variantes) + 2  # a date is not frozen: rendered each time, never kept


def test_la_memoire_est_bornee():
    env = environnement()
    fragment = Fragments(env, entrees=3)
    for i in range(10):
        fragment("button", {"text": f"Bouton {i}"})
    assert len(fragment._memoire) == 3
    petit = Fragments(env, caracteres=200)
    for i in range(10):
        petit("button", {"text": f"Bouton {i}"})
    assert 0 < petit._taille <= 200
