"""`POST /api/v1/evaluations` : un dossier entre, une évaluation sort (422 avec les `erreurs` sinon). À venir."""
from fastapi import APIRouter

routeur = APIRouter(tags=["évaluations"])
