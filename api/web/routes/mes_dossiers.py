"""`/mes-dossiers` : l'espace du porteur de projet. Le tableau de bord de ses dossiers et de leurs états,
la création d'un brouillon, la liste des tâches d'un brouillon (ou la page d'un dossier déposé), et deux
services des pages : la vérification du SIRET à la frappe et le contrôle de la session avant un envoi.

Les étapes du brouillon sont dans `porteur_etapes.py`, les pièces dans `porteur_pieces.py`, la vérification, le
dépôt et la suite (accusé de réception, compléments, messages) dans `porteur_suivi.py`.
"""
from typing import Optional

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from stdnum.exceptions import ValidationError
from stdnum.fr import siret as stdnum_siret

from api.web.acces import exiger
from api.web.dependances import GabaritsDep, GuichetDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.routes.porteur_commun import PorteurDep, contexte_commun, panneau
from api.web.routes.porteur_suivi import page_du_dossier
from forms.libelles import LIBELLES_ETATS, LIBELLES_TACHES
from instruction.dossiers import brouillons, complements, pieces, services
from instruction.dossiers.cycle import BROUILLON

routeur = APIRouter(include_in_schema=False, dependencies=[Depends(exiger("espace_porteur"))])


@routeur.get("/mes-dossiers", response_class=HTMLResponse)
def mes_dossiers(request: Request, agent: PorteurDep, uow: UniteDeTravailDep, gabarits: GabaritsDep):
    resumes = services.lister(uow, agent)
    en_attente = {r.reference for r in resumes if r.etat != BROUILLON
                  and complements.demande_en_attente(uow, r.reference, agent) is not None}
    lignes = [{"resume": r, "etat": LIBELLES_ETATS.get(r.etat, r.etat), "complements": r.reference in en_attente}
              for r in resumes]
    return formulaire(request, uow, gabarits, "porteur/mes_dossiers.html", {"lignes": lignes})


@routeur.post("/mes-dossiers/nouveau")
def nouveau(agent: PorteurDep, uow: UniteDeTravailDep, horloge: HorlogeDep):
    reference = brouillons.creer_brouillon(uow, agent, horloge)
    return RedirectResponse(f"/mes-dossiers/{reference}", status_code=303)


@routeur.get("/mes-dossiers/session", status_code=204)
def session_ouverte(agent: PorteurDep) -> Response:
    """204 tant que la session vit ; sans elle, le renvoi vers la connexion (le script des étapes le lit avant un
    envoi, pour garder ce qui a été tapé quand la session a expiré)."""
    return Response(status_code=204, headers={"Cache-Control": "no-store"})


@routeur.get("/mes-dossiers/verification-siret", response_class=HTMLResponse)
def verification_siret(request: Request, gabarits: GabaritsDep, siret: Optional[str] = None):
    """Le SIRET tapé, vérifié comme le contrat le vérifie (python-stdnum) : longueur et clé de contrôle."""
    valeur = siret if siret is not None else request.query_params.get("porteur.siret", "")
    compact = stdnum_siret.compact(valeur or "")
    if not compact:
        message, valide = "", None
    elif not (compact.isascii() and compact.isdigit()):
        message, valide = "Le SIRET ne compte que des chiffres", False
    elif len(compact) != 14:
        message, valide = f"Le SIRET compte 14 chiffres ({len(compact)} saisi{'s' if len(compact) > 1 else ''})", False
    else:
        try:
            stdnum_siret.validate(compact)
            message, valide = "SIRET valide : 14 chiffres et clé de contrôle correcte", True
        except ValidationError:
            message, valide = "Ce SIRET a une clé de contrôle invalide : vérifiez les chiffres", False
    return gabarits.TemplateResponse(request, "porteur/_siret.html", {"message": message, "valide": valide})


@routeur.get("/mes-dossiers/{reference}", response_class=HTMLResponse)
def dossier(request: Request, reference: str, agent: PorteurDep, uow: UniteDeTravailDep, guichet: GuichetDep,
            gabarits: GabaritsDep, horloge: HorlogeDep, depose: Optional[str] = None):
    """Un brouillon : sa liste de tâches ; un dossier déposé : sa page (lecture seule)."""
    dossier_, brouillon = brouillons.ouvrir(uow, reference, agent)
    if dossier_.etat != BROUILLON:
        return page_du_dossier(request, agent, uow, guichet, gabarits, horloge, reference, depose is not None)
    donnees = dossier_.donnees.model_dump(mode="json")
    vue, _ = panneau(guichet, donnees, reference, horloge)
    jointes = pieces.lister_pieces(uow, reference, agent)
    manquantes = pieces.pieces_manquantes(tuple(vue["pieces"]) if vue else (), jointes)
    etats = brouillons.etat_des_etapes(dossier_.donnees, brouillon, len(manquantes))
    taches = [{"etape": e, "etat": etats[e], "etat_libelle": LIBELLES_TACHES[etats[e]]} for e in etats]
    return formulaire(request, uow, gabarits, "porteur/taches.html", {
        **contexte_commun(reference), "taches": taches, "panneau": vue, "titre_dossier": dossier_.donnees.projet.titre,
        "brouillon": brouillon, "pieces_manquantes": manquantes})
