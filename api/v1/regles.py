"""`GET /api/v1/regles` : le JSON de `guichet rules export`. À venir."""
from fastapi import APIRouter

routeur = APIRouter(tags=["règles"])
