"""Les pièces jointes : `/mes-dossiers/{reference}/pieces` (la liste demandée par le pré-diagnostic, un envoi par
pièce), le retrait d'une pièce d'un brouillon, et le téléchargement `/pieces/{reference}/{numero}` pour qui peut
voir le dossier (le porteur, les services ; 404 pour les autres).

Un fichier n'est lu que borné : `LimiteDesEnvois` refuse, avant d'en lire un octet, un envoi dont la taille
annoncée dépasse 10 Mo (plus l'enveloppe du formulaire) ou qui n'en annonce pas, et la route ne lit jamais
plus de 10 Mo + 1 octet. Le format est reconnu au contenu (`instruction.dossiers.pieces`). Le fichier revient
toujours en téléchargement (`Content-Disposition: attachment`, `X-Content-Type-Options: nosniff`, et une
politique `sandbox` au cas où un navigateur l'ouvrirait quand même), jamais affiché dans une page.
"""
import re
from typing import Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Receive, Scope, Send

from api.web.acces import exiger
from api.web.dependances import GabaritsDep, GuichetDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.routes.porteur_commun import PorteurDep, contexte_commun, panneau
from forms.validation import ErreurChamp
from instruction.acces import Agent
from instruction.dossiers import brouillons, pieces
from instruction.dossiers.cycle import BROUILLON
from instruction.erreurs import SaisieRefusee

routeur = APIRouter(include_in_schema=False)
ENVELOPPE = 64 * 1024  # the multipart boundaries, the CSRF token and the piece's name around the file
ENVOI = re.compile(r"^/mes-dossiers/([^/]+)/pieces$")
ERREURS_ENVOI = {"taille": "Le fichier doit faire 10 Mo au plus",
                 "longueur": "L’envoi n’a pas dit sa taille : réessayez depuis cette page"}


class LimiteDesEnvois:
    """Middleware ASGI : un envoi de pièce trop gros (ou de taille inconnue) est renvoyé vers sa page, avec
    l'erreur, sans que le corps soit lu."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chemin = ENVOI.match(scope.get("path", "")) if scope["type"] == "http" and scope["method"] == "POST" else None
        if chemin:
            entetes = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            longueur = entetes.get("content-length", "")
            erreur = ("longueur" if not longueur.isdigit() else
                      "taille" if int(longueur) > pieces.TAILLE_MAX + ENVELOPPE else None)
            if erreur:
                reponse = RedirectResponse(f"/mes-dossiers/{chemin.group(1)}/pieces?erreur={erreur}", status_code=303,
                                           headers={"Connection": "close"})
                await reponse(scope, receive, send)
                return
        await self.app(scope, receive, send)


def rendre_pieces(request: Request, agent: Agent, uow, guichet, gabarits, horloge, reference: str, erreurs=(),
                  piece_en_erreur: Optional[str] = None, code: Optional[int] = None):
    dossier, _ = brouillons.ouvrir(uow, reference, agent, "deposer_piece")
    vue, _ = panneau(guichet, dossier.donnees.model_dump(mode="json"), reference, horloge)
    jointes = pieces.lister_pieces(uow, reference, agent)
    requises = list(vue["pieces"]) if vue else []
    liste = [{"piece": r, "fichiers": [p for p in jointes if p.piece == r], "id": f"piece-{i}"}
             for i, r in enumerate(requises, 1)]
    autres = [p for p in jointes if p.piece not in requises]
    return formulaire(request, uow, gabarits, "porteur/pieces.html", {
        **contexte_commun(reference), "requises": liste, "autres": autres, "panneau": vue, "brouillon":
        dossier.etat == BROUILLON, "piece_en_erreur": piece_en_erreur, "titre_dossier": dossier.donnees.projet.titre,
        "taille_max_mo": pieces.TAILLE_MAX // (1024 * 1024)}, erreurs, code=code,
        ancres={"fichier": next((r["id"] for r in liste if r["piece"] == piece_en_erreur), "fichier-autre")})


@routeur.get("/mes-dossiers/{reference}/pieces", response_class=HTMLResponse,
             dependencies=[Depends(exiger("espace_porteur"))])
def page_pieces(request: Request, reference: str, agent: PorteurDep, uow: UniteDeTravailDep, guichet: GuichetDep,
                gabarits: GabaritsDep, horloge: HorlogeDep, erreur: Optional[str] = None):
    dossier, _ = brouillons.ouvrir(uow, reference, agent, "deposer_piece")
    if dossier.etat == BROUILLON:
        brouillons.noter_etape(uow, reference, "pieces", agent)
    erreurs = [ErreurChamp("fichier", ERREURS_ENVOI[erreur])] if erreur in ERREURS_ENVOI else []
    return rendre_pieces(request, agent, uow, guichet, gabarits, horloge, reference, erreurs,
                         code=413 if erreur == "taille" else None)


@routeur.post("/mes-dossiers/{reference}/pieces", dependencies=[Depends(exiger("espace_porteur"))])
async def envoyer(request: Request, reference: str, agent: PorteurDep, uow: UniteDeTravailDep, guichet: GuichetDep,
                  gabarits: GabaritsDep, horloge: HorlogeDep):
    formulaire_ = await request.form()
    fichier, piece = formulaire_.get("fichier"), formulaire_.get("piece")
    piece = piece if isinstance(piece, str) else pieces.AUTRE
    retour = formulaire_.get("retour")
    contenu = await fichier.read(pieces.TAILLE_MAX + 1) if isinstance(fichier, UploadFile) else b""
    nom = fichier.filename if isinstance(fichier, UploadFile) else ""
    try:
        await run_in_threadpool(pieces.ajouter_piece, uow, reference, piece, nom or "", contenu, agent, horloge)
    except SaisieRefusee as refus:
        message = refus.message.split(" : ", 1)[-1] if not isinstance(fichier, UploadFile) or nom else \
            "Choisissez un fichier"
        return await run_in_threadpool(rendre_pieces, request, agent, uow, guichet, gabarits, horloge, reference,
                                       [ErreurChamp("fichier", message)], piece)
    cible = retour if isinstance(retour, str) and retour.startswith(f"/mes-dossiers/{reference}/") else \
        f"/mes-dossiers/{reference}/pieces"
    return RedirectResponse(cible, status_code=303)


@routeur.post("/mes-dossiers/{reference}/pieces/{numero}/retirer", dependencies=[Depends(exiger("espace_porteur"))])
def retirer(reference: str, numero: int, agent: PorteurDep, uow: UniteDeTravailDep, horloge: HorlogeDep):
    pieces.retirer_piece(uow, reference, numero, agent, horloge)
    return RedirectResponse(f"/mes-dossiers/{reference}/pieces", status_code=303)


@routeur.get("/pieces/{reference}/{numero}")
def telecharger(reference: str, numero: int, uow: UniteDeTravailDep,
                agent: Agent = Depends(exiger("gerer_son_compte"))):
    """Pour tout agent connecté que la politique laisse voir le dossier (le porteur, les services, un membre du
    comité qui l'examine) ; 404 sinon."""
    piece, contenu = pieces.telecharger_piece(uow, reference, numero, agent)
    ascii_ = piece.nom_fichier.encode("ascii", "replace").decode("ascii").replace('"', "_").replace("?", "_")
    return Response(contenu, media_type=piece.type_media, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_}\"; filename*=UTF-8''{quote(piece.nom_fichier)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "no-store"})
