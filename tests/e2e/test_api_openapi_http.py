"""Le document OpenAPI (`/api/v1/openapi.json`) : tout `/api/v1` et rien d'autre, chaque réponse décrite (succès,
et chaque erreur au format du contrat), des exemples calculés sur la démonstration et conformes à leur schéma."""
import jsonschema
import pytest

from tests.e2e import banc_api

CODES_AUTHENTIFIES = {"401", "503"}


@pytest.fixture(scope="module")
def banc(guichet_python, controles, tmp_path_factory):
    return banc_api.banc(guichet_python, controles, tmp_path_factory.mktemp("api_openapi"))


@pytest.fixture(scope="module")
def document(banc):
    reponse = banc_api.client(banc.app).get("/api/v1/openapi.json")
    assert reponse.status_code == 200
    return reponse.json()


def _operations(document):
    for chemin, methodes in document["paths"].items():
        for methode, operation in methodes.items():
            yield chemin, methode, operation


def test_le_document_ne_decrit_que_l_api(document):
    assert document["paths"] and all(chemin.startswith("/api/v1/") for chemin in document["paths"])


def test_chaque_operation_decrit_son_succes_et_ses_erreurs_au_format_du_contrat(document):
    for chemin, methode, operation in _operations(document):
        codes = set(operation["responses"])
        assert any(code.startswith("2") for code in codes), (methode, chemin)
        assert "422" in codes, (methode, chemin)  # at least an unknown query parameter
        if operation.get("security"):
            assert CODES_AUTHENTIFIES <= codes, (methode, chemin, codes)
        if methode in ("post", "put") and "requestBody" in operation:
            assert {"400", "422"} <= codes, (methode, chemin)
        for code, reponse in operation["responses"].items():
            if not code.startswith("2"):
                schema = reponse["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Erreurs"}, (methode, chemin, code)


def test_les_corps_sont_decrits(document):
    for chemin, methode, operation in _operations(document):
        if methode in ("post", "put") and not chemin.endswith("/evaluation") and "/evaluations" not in chemin[8:]:
            corps = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert corps.split("/")[-1] in document["components"]["schemas"], (methode, chemin)


def _valider(document, exemple, schema):
    resolu = {**schema, "components": document["components"]}
    jsonschema.validate(exemple, resolu, cls=jsonschema.Draft202012Validator)


def test_les_exemples_viennent_de_la_demonstration_et_suivent_leur_schema(banc, document):
    exemples = 0
    for _, _, operation in _operations(document):
        for reponse in operation["responses"].values():
            contenu = reponse.get("content", {}).get("application/json", {})
            if "example" in contenu:
                _valider(document, contenu["example"], contenu["schema"])
                exemples += 1
    assert exemples > 40
    evaluation = document["paths"]["/api/v1/evaluations"]["post"]
    dossier = evaluation["requestBody"]["content"]["application/json"]["example"]
    assert dossier == banc_api.exemples()[dossier["reference"]]
    calculee = evaluation["responses"]["200"]["content"]["application/json"]["example"]
    assert calculee == banc.contexte.guichet.evaluer(dossier).en_json()
