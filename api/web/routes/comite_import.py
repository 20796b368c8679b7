"""`/comites/{code}/importer` : importer la liste d'une réunion (JSON, JSON Lines, CSV ou XLSX, comme
`guichet comite importer`) ; chaque dossier valide est déposé, évalué et inscrit, en une transaction, dans un
travail par lot (`comite_travaux.py`) dont la page montre l'avancement et finit sur les lignes écartées et pourquoi."""
import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from api.lecture import FichierIllisible, lire_dossiers
from api.web.acces import exiger
from api.web.dependances import ContexteDep, GabaritsDep, GuichetDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.routes import comite_travaux
from api.web.routes.comite_commun import verifier_gestion
from forms.textes import visible
from forms.validation import ErreurChamp
from instruction.acces import Agent
from instruction.comite import services as services_comite

routeur = APIRouter(include_in_schema=False)
AgentDep = Annotated[Agent, Depends(exiger("lister_comites"))]
EXTENSIONS = (".json", ".jsonl", ".csv", ".xlsx")
TAILLE_MAX = 32 * 1024 * 1024  # as `guichet` reads at most (GUICHET_TAILLE_MAX_MO's default)


def _page(request, uow, gabarits, code: str, erreurs=()):
    return formulaire(request, uow, gabarits, "comites/importer.html",
                      {"code": code, "chemin": f"/comites/{quote(code, safe='')}", "page": "ordre"}, erreurs)


@routeur.get("/comites/{code}/importer", response_class=HTMLResponse)
def page_importer(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep):
    verifier_gestion(uow, code, agent)
    return _page(request, uow, gabarits, code)


def lire_liste(nom: str, octets: bytes) -> list:
    """Les entrées du fichier envoyé, lues comme `guichet` les lit (son extension choisit le format)."""
    extension = Path(nom or "").suffix.lower()
    if extension not in EXTENSIONS:
        raise FichierIllisible(f"choisissez un fichier {', '.join(EXTENSIONS)} (reçu « {visible(nom or '')} »)")
    with tempfile.TemporaryDirectory(prefix="guichet-import-") as dossier:
        chemin = Path(dossier) / f"liste{extension}"
        chemin.write_bytes(octets)
        return lire_dossiers(chemin)


@routeur.post("/comites/{code}/importer")
def importer(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
             guichet: GuichetDep, horloge: HorlogeDep, contexte: ContexteDep, fichier: UploadFile = None):
    verifier_gestion(uow, code, agent)
    if fichier is None or not fichier.filename:
        return _page(request, uow, gabarits, code, [ErreurChamp("fichier", "Choisissez le fichier de la liste")])
    octets = fichier.file.read(TAILLE_MAX + 1)
    try:
        if len(octets) > TAILLE_MAX:
            raise FichierIllisible("le fichier dépasse 32 Mo")
        entrees = lire_liste(fichier.filename, octets)
    except FichierIllisible as exc:
        return _page(request, uow, gabarits, code, [ErreurChamp("fichier", f"Le fichier est illisible : {exc}")])
    if not entrees:
        return _page(request, uow, gabarits, code, [ErreurChamp("fichier", "Le fichier ne contient aucun dossier")])

    def travail(progression) -> list:
        resultat = services_comite.importer(contexte.unite_de_travail(), guichet, code, entrees, agent,
                                            progression=progression, horloge=horloge)
        return comite_travaux.issues_de_l_import(resultat.importes, resultat.erreurs)

    numero = comite_travaux.lancer(contexte, agent, code, "importer_liste",
                                   f"Import d’une liste de {len(entrees)} dossier{'s' if len(entrees) > 1 else ''} "
                                   f"pour le comité {code}", len(entrees), travail)
    return RedirectResponse(f"/comites/{quote(code, safe='')}/travaux/{numero}", status_code=303)
