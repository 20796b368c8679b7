"""Les détails qu'un message de règle cite ({{nom}}) : des phrases tirées du dossier, calculées
seulement quand la règle s'applique, pour qu'un constat dise sur quels montants il repose."""
from typing import Any, Callable

from forms.libelles import NOMS_FINANCEURS, euros
from instruction.evaluation.faits import ADEME, DEMANDE_DU_DOSSIER


def _lignes(faits: dict[str, Any]) -> list:
    return [x for x in faits.get("budget.financements") or () if x.financeur != DEMANDE_DU_DOSSIER]


def _aides_minimis(faits: dict[str, Any]) -> str:
    parts = [f"{euros(faits.get('porteur.aides_minimis_3_ans'))} déjà reçus sur trois ans",
             f"{euros(faits.get('budget.montant_sollicite'))} sollicités par ce dossier"]
    parts += [f"{euros(x.montant)} {NOMS_FINANCEURS[x.financeur]} ({'acquis' if x.statut == 'acquis' else 'sollicité'})"
              for x in _lignes(faits)]
    return " + ".join(parts) + f" = {euros(faits.get('budget.cumul_aides_minimis'))}"


def _aide_ademe(faits: dict[str, Any]) -> str:
    montant = euros(faits.get("budget.aide_ademe_plafond"))
    if any(x.financeur == ADEME for x in _lignes(faits)):
        return f"{montant} demandés à l'ADEME dans le plan de financement"
    return f"{montant} sollicités au total par le dossier, sans ligne ADEME dans le plan de financement"


CALCULS: dict[str, Callable[[dict[str, Any]], str]] = {
    "budget.detail_aides_minimis": _aides_minimis,
    "budget.detail_aide_ademe": _aide_ademe,
}
