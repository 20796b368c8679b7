"""Les documents à télécharger (`Content-Disposition: attachment`) : l'avis technique d'un dossier (PDF, HTML) et
le rapport d'une réunion du comité (PDF, XLSX, CSV, HTML).

Les modèles de vue viennent des cas d'usage (`instruction.documents.services`, `instruction.comite.services`),
qui passent par la politique d'accès ; la mise en page est celle de la ligne de commande (`api.rendu`).
"""
import re
import tempfile
from pathlib import Path as Chemin
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from api.rendu.documents import ecrire
from api.v1.authentification import AgentApiDep
from api.v1.dependances import ControlesDep
from api.v1.documentation import AUTHENTIFIEES, BINAIRE, reponses
from api.web.dependances import GuichetDep, HorlogeDep, UniteDeTravailDep
from instruction.comite import services as services_comite
from instruction.documents import services as documents

routeur = APIRouter(tags=["documents"])
MEDIAS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
TEXTE = {"type": "string"}
Reference = Annotated[str, Path(description="La référence du dossier.", max_length=64)]
Code = Annotated[str, Path(description="Le code de la réunion.", max_length=64)]


def _nom_de_fichier(texte: str) -> str:
    # The name is the user's reference: only characters every file system and every header accept.
    return re.sub(r"[^A-Za-z0-9._-]+", "_", texte)[:80] or "document"


def _telecharger(vm: dict[str, Any], document: str, nom: str, extension: str) -> Response:
    """Le document mis en page dans un dossier temporaire (les écrivains de `api.rendu` écrivent un fichier)."""
    with tempfile.TemporaryDirectory(prefix="guichet-api-") as dossier:
        chemin = Chemin(dossier) / f"document.{extension}"
        ecrire(vm, chemin, document)
        contenu = chemin.read_bytes()
    return Response(contenu, media_type=MEDIAS[extension], headers={
        "Content-Disposition": f'attachment; filename="{_nom_de_fichier(nom)}.{extension}"',
        "Cache-Control": "no-store"})


def _avis(extension: str):
    def telecharger_avis(reference: Reference, uow: UniteDeTravailDep, guichet: GuichetDep, horloge: HorlogeDep,
                         agent: AgentApiDep) -> Response:
        vm = documents.avis_d_un_dossier(uow, guichet, reference, agent, horloge())
        return _telecharger(vm, "avis", f"avis-{reference}", extension)
    return telecharger_avis


def _rapport(extension: str):
    def telecharger_rapport(code: Code, uow: UniteDeTravailDep, guichet: GuichetDep, controles: ControlesDep,
                            horloge: HorlogeDep, agent: AgentApiDep) -> Response:
        vm = services_comite.rapport(uow, guichet, controles, code, agent, horloge)
        return _telecharger(vm, "comite", f"rapport-{code}", extension)
    return telecharger_rapport


for _extension in ("pdf", "html"):
    routeur.add_api_route(
        f"/dossiers/{{reference}}/avis.{_extension}", _avis(_extension), methods=["GET"],
        operation_id=f"telecharger_l_avis_{_extension}", summary=f"L'avis technique du dossier ({_extension.upper()})",
        response_class=Response,
        responses=reponses(200, None, "L'avis technique, tel que sa dernière évaluation l'a calculé et corrigé.",
                           (*AUTHENTIFIEES, 409), {MEDIAS[_extension].split(";")[0]: BINAIRE if _extension == "pdf"
                                                   else TEXTE}))

for _extension in ("pdf", "xlsx", "csv", "html"):
    routeur.add_api_route(
        f"/comites/{{code}}/rapport.{_extension}", _rapport(_extension), methods=["GET"],
        operation_id=f"telecharger_le_rapport_{_extension}",
        summary=f"Le rapport (procès-verbal) de la réunion ({_extension.upper()})", response_class=Response,
        responses=reponses(200, None, "Le rapport de la réunion : synthèse, ordre du jour, contrôles, totaux, "
                           "relevé des décisions.", AUTHENTIFIEES,
                           {MEDIAS[_extension].split(";")[0]: BINAIRE if _extension in ("pdf", "xlsx") else TEXTE}))
