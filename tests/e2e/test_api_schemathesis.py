"""Schemathesis sur `/api/v1`, en processus (`schemathesis.openapi.from_asgi`), avec toutes ses vérifications :
aucune erreur du serveur (5xx), chaque réponse conforme au document OpenAPI (code, type de contenu, en-têtes,
schéma du corps), une donnée invalide refusée, une donnée valide acceptée, l'authentification jamais ignorée.

Les demandes portent le jeton d'un administrateur (qui peut tout) sur une base de démonstration jetable : les
dossiers et réunions inventés s'y enregistrent. Borné : 20 exemples par opération (2 cœurs).

Une donnée conforme au schéma peut rester refusée (422) : ce que JSON Schema ne dit pas, le contrat le vérifie
(clé du SIRET, commune du territoire, montant sollicité au plus le coût total, date dans la période du contrat…).
`positive_data_acceptance` admet donc 422, en plus de ses codes par défaut.
"""
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from api.v1 import routeur_api
from tests.e2e import banc_api

CONFIGURATION = schemathesis.Config.from_dict({
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]}},
})


def _operations() -> list[tuple[str, str]]:
    """Every operation of the API's routers, listed without a database (the document, without its examples)."""
    app = FastAPI()
    app.include_router(routeur_api())
    chemins = get_openapi(title="Guichet", version="1", routes=app.routes)["paths"]
    return sorted((methode.upper(), chemin) for chemin, methodes in chemins.items() for methode in methodes)


OPERATIONS = _operations()
EXEMPLES_PAR_OPERATION = 20


@pytest.fixture(scope="module")
def banc(guichet_python, controles, tmp_path_factory):
    return banc_api.banc(guichet_python, controles, tmp_path_factory.mktemp("api_schemathesis"))


@pytest.fixture(scope="module")
def schema_api(banc):
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", banc.app, config=CONFIGURATION)


def test_chaque_operation_des_routeurs_est_dans_le_document(schema_api):
    documentees = {(o.ok().method.upper(), o.ok().path) for o in schema_api.get_all_operations()}
    assert documentees == set(OPERATIONS)


# Positive data (valid per the schema) and negative data (invalid per the schema), as Schemathesis makes them.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valides", "invalides"])
@pytest.mark.parametrize("methode, chemin", OPERATIONS)
def test_l_operation_suit_son_document_openapi(schema_api, banc, methode, chemin, mode):
    operation = schema_api[chemin][methode]
    jeton = banc_api.entetes(banc, "admin")

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXEMPLES_PAR_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def verifier(case):
        case.call_and_validate(headers=jeton)

    verifier()
