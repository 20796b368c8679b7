"""Les cas d'usage de la base de règles : l'exporter (en vigueur à une date, ou toutes) et la vérifier
— fichiers, citations des règles et des contrôles du comité, exemples de chaque règle."""
from datetime import date
from pathlib import Path
from typing import Any, Optional

from instruction.comite.controles import Controle, citations
from instruction.evaluation.exemples import verifier_exemples
from instruction.evaluation.territoire import Territoire
from rules.base import BaseDeRegles
from rules.verification import verifier_citations


def exporter(base: BaseDeRegles, jour: date, toutes: bool = False) -> list[dict[str, Any]]:
    """Chaque règle au format du contrat (`guichet rules export`, `GET /api/v1/regles`)."""
    regles = base.regles if toutes else base.en_vigueur(jour).regles
    return [r.en_json() for r in regles]


def verifier(base: BaseDeRegles, controles: dict[str, Controle], territoire: Territoire,
             sources: Optional[Path] = None) -> list[str]:
    """Chaque problème en une ligne qui nomme le fichier et la règle ; vide si tout est conforme."""
    return (verifier_citations(base.regles, sources) + verifier_citations(citations(controles), sources)
            + verifier_exemples(base.regles, territoire))
