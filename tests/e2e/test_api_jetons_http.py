"""Sous /api/v1, seul un jeton authentifie (`Authorization: Bearer …`) : le cookie de session n'y vaut rien,
un jeton révoqué ou inconnu répond 401, et chaque refus a la forme du contrat `{"erreurs": [{"champ", "message"}]}`.
Phase 1 n'a pas encore de ressource protégée : le test en déclare une avec la dépendance des routes à venir."""
import pytest
from fastapi import Depends

from api.web.acces import exiger
from instruction.acces import Agent
from instruction.comptes import services_jetons
from tests.e2e.banc_comptes import COMPTES, client, client_de

ADRESSE = "/api/v1/essai-agent"


@pytest.fixture
def banc(banc_neuf):
    @banc_neuf.app.get(ADRESSE)
    def qui(agent: Agent = Depends(exiger("lister_comites"))):
        return {"id": agent.id, "role": agent.role}

    return banc_neuf


def _jeton(banc, role="instructeur", compte=None):
    erreurs, jeton, secret = services_jetons.creer_jeton(banc.contexte.unite_de_travail(), Agent.local("test"), role,
                                                         "essai", compte, horloge=banc.contexte.horloge)
    assert erreurs == []
    return jeton, secret


def test_sans_jeton_l_api_repond_401_dans_la_forme_du_contrat(banc):
    reponse = client(banc.app).get(ADRESSE)
    assert reponse.status_code == 401 and reponse.headers["www-authenticate"] == "Bearer"
    assert reponse.json() == {"erreurs": [{
        "champ": None, "message": "authentification requise : envoyez l’en-tête « Authorization: Bearer JETON »"}]}


def test_le_cookie_de_session_n_authentifie_pas_l_api(banc):
    admin = client_de(banc.app, "admin")
    assert admin.get("/admin").status_code == 200  # the session is good for the pages
    assert "guichet_session" in admin.cookies
    assert admin.get(ADRESSE).status_code == 401  # and worth nothing under /api/v1


def test_un_jeton_valide_authentifie_et_un_jeton_revoque_ne_le_fait_plus(banc):
    jeton, secret = _jeton(banc)
    api = client(banc.app)
    reponse = api.get(ADRESSE, headers={"Authorization": f"Bearer {secret}"})
    assert reponse.status_code == 200 and reponse.json() == {"id": f"jeton:{jeton.prefixe}", "role": "instructeur"}
    assert api.get(ADRESSE, headers={"Authorization": f"bearer {secret}"}).status_code == 200  # scheme: any case
    services_jetons.revoquer_jeton(banc.contexte.unite_de_travail(), Agent.local("test"), jeton.prefixe)
    refus = api.get(ADRESSE, headers={"Authorization": f"Bearer {secret}"})
    assert refus.status_code == 401
    assert refus.json() == {"erreurs": [{"champ": None, "message": "jeton d’API inconnu ou révoqué"}]}


@pytest.mark.parametrize("entete", ["Bearer gch_00000000_inconnu", "Bearer n'importe-quoi", "Basic YWRtaW46YWRtaW4=",
                                    "Bearer", "gch_00000000_sans-schema"])
def test_un_jeton_inconnu_ou_mal_forme_repond_401(banc, entete):
    assert client(banc.app).get(ADRESSE, headers={"Authorization": entete}).status_code == 401


def test_un_jeton_dont_le_role_n_a_pas_la_rubrique_repond_403(banc):
    _, secret = _jeton(banc, "porteur")
    reponse = client(banc.app).get(ADRESSE, headers={"Authorization": f"Bearer {secret}"})
    assert reponse.status_code == 403 and reponse.json()["erreurs"][0]["champ"] is None


def test_un_jeton_rattache_a_un_compte_agit_en_son_nom(banc):
    _, secret = _jeton(banc, "membre_comite", COMPTES["membre_comite"])
    reponse = client(banc.app).get(ADRESSE, headers={"Authorization": f"Bearer {secret}"})
    assert reponse.json() == {"id": COMPTES["membre_comite"], "role": "membre_comite"}


def test_l_api_n_exige_pas_de_jeton_anti_csrf_et_n_ouvre_pas_de_session(banc):
    @banc.app.post("/api/v1/essai-ecriture")
    def ecrire(agent: Agent = Depends(exiger("lister_comites"))):
        return {"ok": True}

    _, secret = _jeton(banc)
    reponse = client(banc.app).post("/api/v1/essai-ecriture", headers={"Authorization": f"Bearer {secret}"})
    assert reponse.status_code == 200 and "set-cookie" not in reponse.headers
