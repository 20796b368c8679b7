"""`GET /api/v1/communes?q=…` : jusqu'à 20 communes du territoire, par début de nom. À venir."""
from fastapi import APIRouter

routeur = APIRouter(tags=["communes"])
