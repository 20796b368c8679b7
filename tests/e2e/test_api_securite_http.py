"""La sécurité de l'API, route par route, lue dans le document OpenAPI (une route ajoutée est couverte d'office) :
- sans jeton, ou avec le cookie de session d'une personne connectée, chaque route protégée répond 401 ;
- un porteur ne peut ni lire, ni lister, ni évaluer, ni modifier, ni télécharger le dossier d'un autre porteur,
  par aucune route : 404, comme un dossier absent, et rien ne change ;
- aucune réponse de l'API ne pose de cookie."""
import pytest

from instruction.acces import Agent
from instruction.dossiers import services
from tests.e2e import banc_api
from tests.e2e.banc_api import DOSSIER_AUTRE, dossier_neuf, entetes
from tests.e2e.banc_comptes import connecter

ABSENT = "ABSENT-2099-001"


@pytest.fixture(scope="module")
def banc(guichet_python, controles, tmp_path_factory):
    return banc_api.banc(guichet_python, controles, tmp_path_factory.mktemp("api_securite"))


@pytest.fixture(scope="module")
def api(banc):
    return banc_api.client(banc.app)


@pytest.fixture(scope="module")
def document(api):
    return api.get("/api/v1/openapi.json").json()


def _operations(document, protegees: bool):
    for chemin, methodes in document["paths"].items():
        for methode, operation in methodes.items():
            if bool(operation.get("security")) is protegees:
                yield chemin, methode.upper(), operation


def _adresse(chemin: str, reference: str, code: str = "lys_artois-2025-12-11") -> str:
    return chemin.replace("{reference}", reference).replace("{code}", code).replace("{numero}", "1")


def _corps(chemin: str, reference: str):
    # A body that would be accepted, so that only the access decides the answer.
    if chemin.endswith("/transitions"):
        return {"vers": "classe_sans_suite", "motif": "essai"}
    if chemin.endswith("/corrections"):
        return {"genre": "avis", "valeur": "defavorable", "justification": "essai"}
    if chemin.endswith("/revue"):
        return {"maintenir": False, "justification": "essai"}
    return dossier_neuf(reference)


def test_le_document_declare_les_routes_protegees_et_publiques(document):
    publiques = {(c, m) for c, m, _ in _operations(document, False)}
    assert publiques == {("/api/v1/evaluations", "POST"), ("/api/v1/regles", "GET"), ("/api/v1/communes", "GET")}
    assert document["components"]["securitySchemes"]["jeton"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "gch_…",
        "description": document["components"]["securitySchemes"]["jeton"]["description"]}


@pytest.mark.parametrize("entete", [None, "Bearer gch_00000000_inconnu", "Basic YWRtaW46ZGVtbw==", "Bearer "])
def test_chaque_route_protegee_sans_jeton_valable_repond_401(banc, api, document, entete):
    for chemin, methode, _ in _operations(document, True):
        reponse = api.request(methode, _adresse(chemin, "LA-2025-003"), headers={"Authorization": entete} if entete
                              else {}, json=_corps(chemin, "NOUVEAU-401") if methode in ("POST", "PUT") else None)
        assert reponse.status_code == 401, (methode, chemin, reponse.status_code)
        assert reponse.headers["www-authenticate"] == "Bearer"
        [erreur] = reponse.json()["erreurs"]
        assert erreur["champ"] is None and erreur["message"]
    assert api.get("/api/v1/dossiers/NOUVEAU-401", headers=entetes(banc, "instructeur")).status_code == 404


def test_le_cookie_de_session_n_authentifie_aucune_route_de_l_api(banc, document):
    navigateur = banc_api.client(banc.app)
    assert connecter(navigateur, "admin@demo.guichet.fr", "demo-guichet-2025").status_code == 303
    for chemin, methode, _ in _operations(document, True):
        reponse = navigateur.request(methode, _adresse(chemin, "LA-2025-003"),
                                     json=_corps(chemin, "COOKIE-1") if methode in ("POST", "PUT") else None)
        assert reponse.status_code == 401, (methode, chemin)
        assert "set-cookie" not in reponse.headers


def _routes_d_un_dossier(document):
    return [(c, m) for c, m, _ in _operations(document, True) if "{reference}" in c]


def test_chaque_route_d_un_dossier_est_couverte(document):
    routes = {c for c, _ in _routes_d_un_dossier(document)}
    assert {"/api/v1/dossiers/{reference}", "/api/v1/dossiers/{reference}/evaluations",
            "/api/v1/dossiers/{reference}/transitions", "/api/v1/dossiers/{reference}/corrections",
            "/api/v1/dossiers/{reference}/avis.pdf", "/api/v1/dossiers/{reference}/avis.html"} <= routes


@pytest.mark.parametrize("reference", [DOSSIER_AUTRE, ABSENT])
def test_le_dossier_d_un_autre_porteur_repond_404_comme_un_dossier_absent_sur_chaque_route(banc, api, document,
                                                                                           reference):
    avant = services.consulter(banc.contexte.unite_de_travail(), DOSSIER_AUTRE, Agent.local("test"))
    reponses = {}
    for chemin, methode in _routes_d_un_dossier(document):
        corps = _corps(chemin, reference) if methode in ("POST", "PUT") else None
        reponse = api.request(methode, _adresse(chemin, reference), json=corps, headers=entetes(banc, "porteur"))
        assert reponse.status_code == 404, (methode, chemin, reponse.status_code, reponse.text)
        reponses[(methode, chemin)] = reponse.json()
    apres = services.consulter(banc.contexte.unite_de_travail(), DOSSIER_AUTRE, Agent.local("test"))
    assert (apres.etat, apres.evaluations, apres.corrections, apres.donnees) == (
        avant.etat, avant.evaluations, avant.corrections, avant.donnees)
    messages = {r["erreurs"][0]["message"] for r in reponses.values()}
    assert messages == {"dossier introuvable (vérifiez la référence)"}


def test_un_autre_dossier_ne_paraît_dans_aucune_liste_ni_recherche_du_porteur(banc, api):
    for parametres in ("", "?q=AUTRE", f"?q={DOSSIER_AUTRE}", "?etat=depose&par_page=100", "?commune=62119"):
        corps = api.get(f"/api/v1/dossiers{parametres}", headers=entetes(banc, "porteur")).json()
        assert DOSSIER_AUTRE not in {d["reference"] for d in corps["dossiers"]}
    assert api.get(f"/api/v1/dossiers?q={DOSSIER_AUTRE}", headers=entetes(banc, "autre_porteur")).json()["total"] == 1


def test_le_proprietaire_lui_voit_son_dossier(banc, api):
    assert api.get(f"/api/v1/dossiers/{DOSSIER_AUTRE}", headers=entetes(banc, "autre_porteur")).status_code == 200


def test_un_porteur_n_ouvre_pas_le_rapport_d_une_reunion(banc, api):
    for extension in ("pdf", "xlsx", "csv", "html"):
        reponse = api.get(f"/api/v1/comites/lys_artois-2025-12-11/rapport.{extension}",
                          headers=entetes(banc, "porteur"))
        assert reponse.status_code == 403 and reponse.headers["content-type"] == "application/json"


def test_un_jeton_revoque_ne_vaut_plus(banc, api):
    from instruction.comptes import services_jetons
    erreurs, jeton, secret = services_jetons.creer_jeton(banc.contexte.unite_de_travail(), Agent.local("test"),
                                                         "instructeur", "éphémère")
    assert api.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    services_jetons.revoquer_jeton(banc.contexte.unite_de_travail(), Agent.local("test"), jeton.prefixe)
    reponse = api.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {secret}"})
    assert reponse.status_code == 401
    assert reponse.json() == {"erreurs": [{"champ": None, "message": "jeton d’API inconnu ou révoqué"}]}
