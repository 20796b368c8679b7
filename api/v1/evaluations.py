"""`POST /api/v1/evaluations` : un dossier entre, son évaluation sort, comme `guichet evaluate --format json`,
sans rien enregistrer et sans authentification (contract.md).

Le corps est lu brut puis validé par `forms` (par `Guichet.evaluer`) : les types sont stricts comme en ligne
de commande. Un dossier invalide répond 422 avec les mêmes `erreurs` que la ligne de commande.
"""
from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.v1 import schemas
from api.v1.documentation import CORPS_DOSSIER, PUBLIQUES, reponses
from api.v1.erreurs import ErreurApi, lire_json
from api.v1.parametres import DateQuery, json, lire_date
from instruction.evaluation.resultat import EvaluationInvalide

routeur = APIRouter(tags=["évaluations"])


@routeur.post("/evaluations", operation_id="evaluer_un_dossier", summary="Évaluer un dossier (sans l'enregistrer)",
              response_class=Response, openapi_extra=CORPS_DOSSIER,
              responses=reponses(200, schemas.Evaluation, "L'évaluation du dossier (contract.md).", PUBLIQUES))
async def evaluer(request: Request, date: DateQuery = None) -> Response:
    """Le dossier au format du contrat ; l'évaluation au format du contrat. `date` impose la date des règles
    en vigueur (comme `guichet evaluate --date`)."""
    jour = lire_date(date)
    donnees = await lire_json(request)
    # The rules engine straight from the application's context: the `GuichetDep` dependency is a sync function,
    # which FastAPI runs in the thread pool, a thread hop that costs more than the evaluation itself.
    guichet = request.app.state.contexte.guichet
    # Evaluated in the event loop: a few hundred microseconds of pure computation, cheaper than a thread hop.
    resultat = guichet.evaluer(donnees, jour)
    if isinstance(resultat, EvaluationInvalide):
        raise ErreurApi(422, [e.en_json() for e in resultat.erreurs], reference=resultat.reference)
    return json(resultat.en_json())
