"""Après la réunion, les documents en pièce jointe : le rapport et procès-verbal (PDF, le document que signent le
président et le secrétaire de séance), le rapport en classeur (XLSX) et son tableau de synthèse (CSV), le relevé des
décisions (CSV), et l'avis technique d'un dossier de l'ordre du jour (PDF). Tous passent par les cas d'usage : un
membre du comité n'obtient que ceux de ses réunions."""
import tempfile
from pathlib import Path
from typing import Annotated, Callable

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.rendu import documents as rendu
from api.rendu import exports
from api.web.acces import exiger
from api.web.dependances import ContexteDep, GuichetDep, HorlogeDep, UniteDeTravailDep
from api.web.routes.comite_seance import controles_de
from instruction.acces import Agent
from instruction.comite import salle
from instruction.comite import services as services_comite
from instruction.documents import services as services_documents

routeur = APIRouter(include_in_schema=False)
AgentDep = Annotated[Agent, Depends(exiger("lister_comites"))]
TYPES = {".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _piece_jointe(nom: str, ecrire: Callable[[Path], None]) -> Response:
    """Le fichier écrit par `ecrire`, servi en pièce jointe sous `nom` (codes ASCII : pas besoin d'encoder)."""
    with tempfile.TemporaryDirectory(prefix="guichet-comite-") as dossier:
        chemin = Path(dossier) / nom
        ecrire(chemin)
        contenu = chemin.read_bytes()
    return Response(contenu, media_type=TYPES[chemin.suffix],
                    headers={"Content-Disposition": f'attachment; filename="{nom}"'})


def _rapport(uow, guichet, contexte, code: str, agent: Agent) -> dict:
    return services_comite.rapport(uow, guichet, controles_de(contexte), code, agent)


def _nom(code: str, quoi: str, extension: str) -> str:
    # Meeting codes are letters, digits, « - » and « _ » (reunion.CODE_VALIDE): safe in a file name as they are.
    return f"comite-{code}-{quoi}{extension}"


@routeur.get("/comites/{code}/proces-verbal.pdf")
def proces_verbal(code: str, agent: AgentDep, uow: UniteDeTravailDep, guichet: GuichetDep, contexte: ContexteDep):
    vm = _rapport(uow, guichet, contexte, code, agent)
    return _piece_jointe(_nom(code, "proces-verbal", ".pdf"), lambda c: rendu.ecrire_pdf(rendu.rapport_html(vm), c))


@routeur.get("/comites/{code}/rapport.xlsx")
def rapport_xlsx(code: str, agent: AgentDep, uow: UniteDeTravailDep, guichet: GuichetDep, contexte: ContexteDep):
    vm = _rapport(uow, guichet, contexte, code, agent)
    return _piece_jointe(_nom(code, "rapport", ".xlsx"), lambda c: exports.ecrire_xlsx(vm, c))


@routeur.get("/comites/{code}/rapport.csv")
def rapport_csv(code: str, agent: AgentDep, uow: UniteDeTravailDep, guichet: GuichetDep, contexte: ContexteDep):
    vm = _rapport(uow, guichet, contexte, code, agent)
    return _piece_jointe(_nom(code, "rapport", ".csv"), lambda c: exports.ecrire_csv(vm, c))


@routeur.get("/comites/{code}/decisions.csv")
def releve_csv(code: str, agent: AgentDep, uow: UniteDeTravailDep, guichet: GuichetDep, contexte: ContexteDep):
    vm = _rapport(uow, guichet, contexte, code, agent)
    return _piece_jointe(_nom(code, "decisions", ".csv"), lambda c: exports.ecrire_csv_releve(vm, c))


@routeur.get("/comites/{code}/dossiers/{reference}/avis.pdf")
def avis_pdf(code: str, reference: str, agent: AgentDep, uow: UniteDeTravailDep, guichet: GuichetDep,
             horloge: HorlogeDep):
    salle.dossier_en_seance(uow, code, reference, agent)  # 404 unless on this meeting's agenda
    vm = services_documents.avis_d_un_dossier(uow, guichet, reference, agent, horloge())
    # The reference names the file: keep it to safe characters whatever the holder typed.
    sure = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in reference)
    return _piece_jointe(f"avis-{sure}.pdf", lambda c: rendu.ecrire_pdf(rendu.avis_html(vm), c))
