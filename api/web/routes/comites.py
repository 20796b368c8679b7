"""`/comites` : la salle du comité technique. Avant la réunion : la liste des réunions, leur création (membres par
structure, art. 5.2), l'ordre du jour (ajouter, retirer avec un motif, ranger au clavier) et l'import d'une liste.
La séance, les enveloppes, « et si ? » et les documents sont dans `comite_seance.py`, `comite_enveloppes.py` et
`comite_documents.py`, réunis ici.

Instructeurs et administrateurs gèrent ; un membre du comité lit les réunions dont il est membre (une autre : 404) ;
un porteur n'a pas la rubrique (403). Les cas d'usage appliquent la politique ; les pages ne montrent que ce que les
capacités du modèle de vue permettent. Chaque formulaire est un POST suivi d'un renvoi (`?fait=…`) ; en erreur, la
page revient avec le résumé d'erreurs, le message à côté du champ et ce qui a été tapé.
"""
from datetime import date
from typing import Annotated, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.web.acces import exiger
from api.web.dependances import GabaritsDep, HorlogeDep, TerritoireDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.routes import comite_documents, comite_enveloppes, comite_import, comite_seance, comite_travaux
from api.web.routes.comite_commun import FAITS, erreur_de, lire_date, verifier_gestion
from forms.validation import ErreurChamp
from instruction import acces
from instruction.acces import AUTORISE, Agent
from instruction.comite import salle
from instruction.comite import services as services_comite
from instruction.comite.reunion import Membre
from instruction.erreurs import ErreurInstruction, Refus, SaisieRefusee

routeur = APIRouter(include_in_schema=False, dependencies=[Depends(exiger("lister_comites"))])
AgentDep = Annotated[Agent, Depends(exiger("lister_comites"))]
Champ = Annotated[str, Form()]
EXPERTS_EN_PLUS = 2  # empty rows of the creation form: experts « selon les sujets » (art. 5.2)


def chemin(code: str) -> str:
    return f"/comites/{quote(code, safe='')}"


@routeur.get("/comites", response_class=HTMLResponse)
def liste(request: Request, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
          fait: Optional[str] = None):
    comites = services_comite.lister_comites(uow, agent)
    return formulaire(request, uow, gabarits, "comites/liste.html", {
        "comites": comites, "peut_creer": acces.decider(agent, "creer_comite") == AUTORISE,
        "fait": FAITS.get(fait or "")})


def _contrats(territoire, jour: date) -> list:
    """Les contrats, ceux en vigueur d'abord : c'est pour eux qu'on crée une réunion."""
    return sorted(territoire.contrats_tous(), key=lambda c: (not c.en_vigueur(jour), c.nom))


def _page_creation(request, uow, gabarits, territoire, horloge, valeurs: dict, erreurs=()):
    contrats = _contrats(territoire, horloge().date())
    if "membres" not in valeurs:
        choisi = next((c for c in contrats if c.id == valeurs.get("contrat")), contrats[0])
        valeurs["membres"] = [(s, "") for s in choisi.comite_technique] + [("", "")] * EXPERTS_EN_PLUS
        valeurs.setdefault("contrat", choisi.id)
    return formulaire(request, uow, gabarits, "comites/nouveau.html",
                      {"valeurs": valeurs, "contrats": contrats}, erreurs, ancres={"date": "date-jour"})


@routeur.get("/comites/nouveau", response_class=HTMLResponse)
def page_nouveau(request: Request, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                 territoire: TerritoireDep, horloge: HorlogeDep, contrat: Optional[str] = None):
    acces.verifier(agent, "creer_comite")
    return _page_creation(request, uow, gabarits, territoire, horloge, {"contrat": contrat})


@routeur.post("/comites/nouveau")
async def creer(request: Request, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                territoire: TerritoireDep, horloge: HorlogeDep):
    acces.verifier(agent, "creer_comite")
    formulaire_ = await request.form()
    texte = {k: str(formulaire_.get(k, "")) for k in ("date-jour", "date-mois", "date-annee", "contrat", "code")}
    lignes = list(zip([str(s) for s in formulaire_.getlist("structure")],
                      [str(r) for r in formulaire_.getlist("representant")]))
    valeurs = {**texte, "membres": lignes + [("", "")] * max(0, EXPERTS_EN_PLUS - sum(1 for s, _ in lignes if not s))}
    erreurs: list[ErreurChamp] = []
    jour = lire_date(texte["date-jour"], texte["date-mois"], texte["date-annee"], "date", erreurs,
                     "la date de la réunion")
    membres = [Membre(s.strip(), r.strip()) for s, r in lignes if s.strip()]
    if any(r.strip() and not s.strip() for s, r in lignes):
        erreurs.append(ErreurChamp("membres", "Chaque représentant nommé a sa structure : complétez la structure"))
    if not erreurs:
        try:
            comite = await _en_fil(services_comite.creer_comite, uow, territoire, agent, jour, texte["contrat"],
                                   texte["code"].strip() or None, membres or None)
            return RedirectResponse(f"{chemin(comite.code)}?fait=cree", status_code=303)
        except (SaisieRefusee, Refus) as exc:
            if exc.champ is None:
                raise
            erreurs.append(erreur_de(exc))
    return _page_creation(request, uow, gabarits, territoire, horloge, valeurs, erreurs)


async def _en_fil(fonction, *args):
    from starlette.concurrency import run_in_threadpool
    return await run_in_threadpool(fonction, *args)


def page_reunion(request, uow, gabarits, territoire, horloge, code: str, agent: Agent, erreurs=(),
                 valeurs: Optional[dict] = None, fait: Optional[str] = None, statut: Optional[int] = None):
    vue = salle.consulter(uow, territoire, code, agent, horloge())
    candidats = salle.candidats(uow, code, agent) if vue["capacites"]["gerer_comite"] else []
    return formulaire(request, uow, gabarits, "comites/reunion.html", {
        "s": vue, "chemin": chemin(code), "candidats": candidats, "valeurs": valeurs or {},
        "fait": FAITS.get(fait or ""), "page": "ordre"}, erreurs, code=statut)


@routeur.get("/comites/{code}", response_class=HTMLResponse)
def reunion(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
            territoire: TerritoireDep, horloge: HorlogeDep, fait: Optional[str] = None):
    return page_reunion(request, uow, gabarits, territoire, horloge, code, agent, fait=fait)


@routeur.post("/comites/{code}/inscrire")
async def inscrire(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                   territoire: TerritoireDep, horloge: HorlogeDep):
    await _en_fil(verifier_gestion, uow, code, agent)
    formulaire_ = await request.form()
    cochees = [str(r) for r in formulaire_.getlist("references")]
    tapees = str(formulaire_.get("autres", ""))
    references = list(dict.fromkeys(cochees + tapees.replace(",", " ").split()))
    erreurs: list[ErreurChamp] = []
    if not references:
        erreurs.append(ErreurChamp("references", "Choisissez au moins un dossier, ou saisissez sa référence"))
    else:
        try:
            await _en_fil(services_comite.inscrire, uow, code, references, agent, horloge)
            return RedirectResponse(f"{chemin(code)}?fait=inscrits#ordre-du-jour", status_code=303)
        except ErreurInstruction as exc:
            if exc.genre in ("interdit", "indisponible") or (exc.genre == "introuvable" and exc.reference is None):
                raise
            erreurs.append(ErreurChamp("references", f"{exc.reference} : {exc.message}" if exc.reference
                                       and exc.reference not in exc.message else exc.message))
    return page_reunion(request, uow, gabarits, territoire, horloge, code, agent, erreurs,
                        {"references": cochees, "autres": tapees}, statut=422)


@routeur.post("/comites/{code}/ordre")
def ordonner(code: str, agent: AgentDep, uow: UniteDeTravailDep, reference: Champ = "", sens: Champ = ""):
    if sens not in ("monter", "descendre"):
        raise SaisieRefusee("sens", "« monter » ou « descendre »")
    salle.ordonner(uow, code, reference, -1 if sens == "monter" else 1, agent)
    # The anchor brings the reader (and, with comite.js, the keyboard focus) back to the button just used.
    return RedirectResponse(f"{chemin(code)}#{sens}-{quote(reference, safe='')}", status_code=303)


@routeur.get("/comites/{code}/retirer/{reference}", response_class=HTMLResponse)
def page_retirer(request: Request, code: str, reference: str, agent: AgentDep, uow: UniteDeTravailDep,
                 gabarits: GabaritsDep):
    verifier_gestion(uow, code, agent)
    dossier = salle.dossier_en_seance(uow, code, reference, agent)
    return formulaire(request, uow, gabarits, "comites/retirer.html",
                      {"d": dossier, "chemin": chemin(code), "code": code, "valeurs": {}})


@routeur.post("/comites/{code}/retirer/{reference}")
def retirer(request: Request, code: str, reference: str, agent: AgentDep, uow: UniteDeTravailDep,
            gabarits: GabaritsDep, horloge: HorlogeDep, motif: Champ = ""):
    verifier_gestion(uow, code, agent)
    dossier = salle.dossier_en_seance(uow, code, reference, agent)
    try:
        if not motif.strip():
            raise SaisieRefusee("motif", "dites pourquoi le dossier est retiré de l'ordre du jour")
        services_comite.retirer(uow, code, reference, agent, motif, horloge)
    except SaisieRefusee as exc:
        return formulaire(request, uow, gabarits, "comites/retirer.html",
                          {"d": dossier, "chemin": chemin(code), "code": code, "valeurs": {"motif": motif}},
                          [erreur_de(exc)])
    return RedirectResponse(f"{chemin(code)}?fait=retire#ordre-du-jour", status_code=303)


for _module in (comite_import, comite_travaux, comite_seance, comite_enveloppes, comite_documents):
    routeur.include_router(_module.routeur)
