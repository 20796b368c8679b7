"""Le document OpenAPI de `/api/v1` : chaque réponse décrite (succès et erreurs), et des exemples tirés de la
démonstration, calculés à la construction du document (voir `api.v1.exemples`).

- `reponses(...)` : le `responses=` d'une route, ses erreurs au format du contrat.
- `installer(app)` : le document est celui de FastAPI, complété des modèles des corps (`api.v1.corps`) et des
  exemples ; il est construit une fois, à la première demande.
"""
from typing import Any, Optional

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from api.v1 import corps, schemas
from forms.dossier import Dossier

DESCRIPTIONS = {
    400: "JSON illisible, ou corps vide.",
    401: "Sans jeton d'API, ou avec un jeton inconnu ou révoqué.",
    403: "Le rôle du jeton ne permet pas cette action.",
    404: "Introuvable, ou invisible pour cet agent (le dossier d'un autre porteur répond comme un dossier absent).",
    409: "La demande contredit l'état des choses : passage d'état interdit (les états permis sont donnés), "
         "référence déjà prise, dossier pas encore évalué…",
    413: "Corps de la demande trop gros.",
    422: "Saisie invalide : chaque erreur nomme son champ (chemin pointé) et dit quoi faire.",
    503: "La base de données ne répond pas.",
}
PUBLIQUES = (400, 413, 422)
AUTHENTIFIEES = (401, 403, 404, 422, 503)  # 422: a path parameter too long, an unknown query parameter
BINAIRE = {"type": "string", "format": "binary"}
CORPS_DOSSIER = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/Dossier"}}}}}


def reponses(code: int, modele: Optional[type[BaseModel]], description: str, erreurs: tuple[int, ...] = (),
             contenu: Optional[dict[str, Any]] = None) -> dict[int, dict[str, Any]]:
    """Le succès (`modele` en JSON, ou `contenu` : type de média → schéma) puis chaque erreur, au format
    `{"erreurs": [...]}`."""
    succes: dict[str, Any] = {"description": description}
    if modele is not None:
        succes["model"] = modele
    if contenu is not None:
        succes["content"] = {media: {"schema": schema} for media, schema in contenu.items()}
    sorties = {code: succes}
    # Every operation may answer 422: an unknown query parameter is refused (`parametres.refuser_parametres_inconnus`).
    for erreur in sorted(set(erreurs) | {422}):
        sorties[erreur] = {"model": schemas.Erreurs, "description": DESCRIPTIONS[erreur]}
    return sorties


def _completer(document: dict[str, Any], exemples: dict[str, dict[Any, Any]]) -> None:
    composants = document.setdefault("components", {}).setdefault("schemas", {})
    for modele in (*corps.MODELES, Dossier):
        schema = modele.model_json_schema(ref_template="#/components/schemas/{model}")
        composants.update(schema.pop("$defs", {}))
        composants.setdefault(modele.__name__, schema)
    for chemin in document.get("paths", {}).values():
        for operation in chemin.values():
            propres = {**exemples.get("*", {}), **exemples.get(operation.get("operationId"), {})}
            for cle, valeur in propres.items():
                if cle == "corps":
                    contenu = operation.get("requestBody", {}).get("content", {}).get("application/json")
                else:
                    contenu = operation["responses"].get(str(cle), {}).get("content", {}).get("application/json")
                if contenu is not None:
                    contenu["example"] = valeur


def installer(app: FastAPI, fabrique_exemples) -> None:
    """`fabrique_exemples(app)` : {operationId: {code ou "corps": exemple}}, calculé une fois."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, summary=app.summary,
                                   description=app.description, routes=app.routes, servers=app.servers)
            _completer(document, fabrique_exemples(app))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi
