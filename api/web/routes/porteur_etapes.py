"""Les trois étapes saisies du brouillon (`/mes-dossiers/{reference}/porteur`, `/projet`, `/budget`) et le
pré-diagnostic en direct (`POST /mes-dossiers/{reference}/panneau`, appelé par htmx à la frappe).

Chaque formulaire porte la version du brouillon qu'il a lue : enregistrer une page plus ancienne que le
brouillon (un autre onglet a enregistré entre-temps) est refusé (409), ce qui a été tapé reste affiché, et la
page dit ce que l'autre onglet a enregistré. Sans JavaScript, « Mettre à jour le pré-diagnostic » et les boutons
du plan de financement (ajouter, retirer une ligne) renvoient la page avec ce qui a été tapé, sans l'enregistrer.
"""
from functools import lru_cache
from typing import Any, Optional

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.web.dependances import GabaritsDep, GuichetDep, HorlogeDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.routes.porteur_commun import PorteurDep, SaisieDep, contexte_commun, panneau, version_de
from forms.dossier import Budget
from forms.libelles import TITRES_ETAPES, libelle
from forms.validation import ErreurChamp
from instruction.dossiers import brouillons, etapes, resume
from instruction.dossiers.brouillons import ConflitDeVersion
from instruction.dossiers.cycle import BROUILLON
from instruction.evaluation.territoire import Territoire

routeur = APIRouter(prefix="/mes-dossiers", include_in_schema=False)
SUIVANTE = {"porteur": "projet", "projet": "budget", "budget": "pieces"}


def _indicateurs(saisie: dict[str, list[str]]) -> dict[str, bool]:
    """Quels champs conditionnels se posent, d'après ce qui est tapé (le script de la page fait de même)."""
    def un(nom: str) -> Optional[str]:
        return (saisie.get(nom) or [None])[0] or None
    type_porteur, secteur = un("porteur.type"), un("projet.secteur")
    activite = {"oui": True, "non": False}.get(un("porteur.activite_economique") or "")
    return {condition: etapes.montre(condition, type_porteur, activite, secteur)
            for condition in set(etapes.CONDITIONS.values())}


def _lignes(saisie: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Les lignes du plan de financement à afficher (une ligne vide s'il n'y en a aucune : de quoi commencer)."""
    lignes = [{"index": i, "numero": n, **ligne} for n, (i, ligne) in enumerate(_lignes_indexees(saisie), 1)]
    return lignes or [{"index": 0, "numero": 1, "financeur": "", "montant": "", "statut": ""}]


def _lignes_indexees(saisie: dict[str, list[str]]) -> list[tuple[int, dict[str, str]]]:
    indexees = []
    for i in range(etapes.LIGNES_MAX):
        if any(f"budget.financements-{i}-{p}" in saisie for p in etapes.PARTIES_LIGNE):
            indexees.append((i, {p: (saisie.get(f"budget.financements-{i}-{p}") or [""])[0]
                                 for p in etapes.PARTIES_LIGNE}))
    return indexees


@lru_cache(maxsize=4)
def communes_affichees(territoire: Territoire) -> tuple[str, ...]:
    """La liste de secours de la page sans JavaScript : chaque commune, son code INSEE et son département."""
    return tuple(etapes.commune_affichee(c, territoire) for c in etapes.communes_du_territoire(territoire))


def _difference(dossier_json: dict, etape: str, saisie: dict[str, list[str]], territoire: Territoire) -> list[dict]:
    """Ce que l'autre onglet a enregistré et qui diffère de ce que cette page a tapé, champ par champ."""
    lues, _ = etapes.lire_etape(etape, saisie, territoire)
    ecarts = []
    for champ, valeur in lues.items():
        bloc, nom = champ.split(".", 1)
        enregistree = (dossier_json.get(bloc) or {}).get(nom)
        if enregistree != valeur:
            if champ == "budget.financements":
                enregistree = Budget.model_validate({"financements": enregistree}).financements
            ecarts.append({"champ": champ, "libelle": libelle(champ),
                           "valeur": resume.en_texte(champ, enregistree, territoire)})
    return ecarts


def rendre_etape(request: Request, agent, uow, gabarits, guichet, horloge, reference: str, etape: str,
                 saisie: dict[str, list[str]], version: int, erreurs=(), conflit: Optional[dict] = None,
                 code: Optional[int] = None):
    dossier, _ = brouillons.ouvrir(uow, reference, agent, "modifier")
    vue, totaux = panneau(guichet, dossier.donnees.model_dump(mode="json"), reference, horloge, etape, saisie)
    # The contract's messages start in lowercase (they follow a field's name in the CLI): a sentence here.
    erreurs = [ErreurChamp(e.champ, e.message[:1].upper() + e.message[1:]) for e in erreurs]
    ancres = {e.champ: etapes.ancre(e.champ) for e in erreurs}
    contexte = {**contexte_commun(reference), "etape": etape, "titre_etape": TITRES_ETAPES[etape],
                "numero_etape": etapes.ETAPES.index(etape) + 1, "saisie": saisie, "version": version,
                "panneau": vue, "totaux": totaux, "montre": _indicateurs(saisie), "lignes": _lignes(saisie),
                "conflit": conflit, "titre_dossier": dossier.donnees.projet.titre,
                "communes": communes_affichees(guichet.territoire) if etape == "projet" else ()}
    return formulaire(request, uow, gabarits, f"porteur/etape_{etape}.html", contexte, erreurs, code=code,
                      ancres=ancres)


def _page(etape: str):
    def page(request: Request, reference: str, agent: PorteurDep, uow: UniteDeTravailDep, guichet: GuichetDep,
             gabarits: GabaritsDep, horloge: HorlogeDep):
        dossier, brouillon = brouillons.ouvrir(uow, reference, agent, "modifier")
        if dossier.etat != BROUILLON:
            return RedirectResponse(f"/mes-dossiers/{reference}", status_code=303)
        saisie = etapes.saisie_du_dossier(dossier.donnees.model_dump(mode="json"), guichet.territoire)
        return rendre_etape(request, agent, uow, gabarits, guichet, horloge, reference, etape, saisie,
                            brouillon.version)
    page.__name__ = f"page_{etape}"
    return page


def lignes_modifiees(saisie: dict[str, list[str]], action: str) -> dict[str, list[str]]:
    """La saisie avec une ligne vide de plus (`ajouter_ligne`) ou une ligne de moins (`retirer_ligne-N`)."""
    indexees = _lignes_indexees(saisie)
    if action == "ajouter_ligne":
        suivant = (indexees[-1][0] + 1) if indexees else 1
        if suivant < etapes.LIGNES_MAX:
            return {**saisie, **{f"budget.financements-{suivant}-{p}": [""] for p in etapes.PARTIES_LIGNE}}
        return saisie
    retiree = action.removeprefix("retirer_ligne-")
    return {k: v for k, v in saisie.items() if not k.startswith(f"budget.financements-{retiree}-")}


def _enregistrer(etape: str):
    def enregistrer(request: Request, reference: str, saisie: SaisieDep, agent: PorteurDep,
                    uow: UniteDeTravailDep, guichet: GuichetDep, gabarits: GabaritsDep, horloge: HorlogeDep):
        action, version = (saisie.get("action") or ["continuer"])[0], version_de(saisie)
        args = (request, agent, uow, gabarits, guichet, horloge, reference, etape)
        if action == "mettre_a_jour" or action == "ajouter_ligne" or action.startswith("retirer_ligne-"):
            return rendre_etape(*args, lignes_modifiees(saisie, action) if "ligne" in action else saisie, version)
        try:
            erreurs, _ = brouillons.enregistrer_etape(uow, guichet, reference, etape, saisie, version, agent, horloge)
        except ConflitDeVersion as conflit:
            dossier, brouillon = brouillons.ouvrir(uow, reference, agent, "modifier")
            ecarts = _difference(dossier.donnees.model_dump(mode="json"), etape, saisie, guichet.territoire)
            # The page now carries the saved version: sending it again, knowingly, replaces the other tab's answers.
            return rendre_etape(*args, saisie, brouillon.version, code=409, conflit={
                "message": conflit.message, "ecarts": ecarts, "version": brouillon.version})
        if erreurs:
            return rendre_etape(*args, saisie, version, erreurs)
        return RedirectResponse(f"/mes-dossiers/{reference}/{SUIVANTE[etape]}", status_code=303)
    enregistrer.__name__ = f"enregistrer_{etape}"
    return enregistrer


for _etape in etapes.ETAPES_SAISIES:
    routeur.add_api_route(f"/{{reference}}/{_etape}", _page(_etape), methods=["GET"], response_class=HTMLResponse)
    routeur.add_api_route(f"/{{reference}}/{_etape}", _enregistrer(_etape), methods=["POST"])


@routeur.post("/{reference}/panneau", response_class=HTMLResponse)
def panneau_en_direct(request: Request, reference: str, saisie: SaisieDep, agent: PorteurDep,
                      uow: UniteDeTravailDep, guichet: GuichetDep, gabarits: GabaritsDep, horloge: HorlogeDep,
                      etape: Optional[str] = None):
    """Le pré-diagnostic du brouillon avec ce qui est tapé (rien n'est enregistré) ; à l'étape du budget, les
    totaux aussi (échange hors bande, htmx)."""
    dossier, _ = brouillons.ouvrir(uow, reference, agent, "modifier")
    etape = etape if etape in etapes.ETAPES_SAISIES else None
    vue, totaux = panneau(guichet, dossier.donnees.model_dump(mode="json"), reference, horloge, etape, saisie)
    return gabarits.TemplateResponse(request, "porteur/_panneau_reponse.html",
                                     {"panneau": vue, "totaux": totaux, "avec_totaux": etape == "budget",
                                      "reference": reference})
