"""La séance : évaluer toute la liste (contrôles croisés montrés), la feuille de présence, les décisions par dossier
et financeur (montant, enveloppe, motif), la page d'un dossier de l'ordre du jour et « et si ? »."""
from typing import Annotated, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.web.acces import exiger
from api.web.dependances import ContexteDep, GabaritsDep, GuichetDep, HorlogeDep, TerritoireDep, UniteDeTravailDep
from api.web.formulaires import formulaire
from api.web.routes import comite_travaux
from api.web.routes.comite_commun import FAITS, erreur_de, lire_date, verifier_gestion
from forms.libelles import LIBELLES_DECISIONS
from forms.validation import ErreurChamp
from instruction.acces import Agent
from instruction.comite import salle
from instruction.comite import services as services_comite
from instruction.comite.enveloppes import lire_montant
from instruction.documents import services as services_documents
from instruction.dossiers.cycle import DECISIONS
from instruction.erreurs import ErreurInstruction, Refus, SaisieRefusee
from instruction.travaux import Issue

routeur = APIRouter(include_in_schema=False)
AgentDep = Annotated[Agent, Depends(exiger("lister_comites"))]
Champ = Annotated[str, Form()]


def chemin(code: str) -> str:
    return f"/comites/{quote(code, safe='')}"


def controles_de(contexte) -> dict:
    """Les contrôles croisés du câblage (`bootstrap.Application.controles`), sinon ceux du dépôt."""
    controles = getattr(contexte, "controles", None)
    if controles is None:
        from api import bootstrap
        controles = bootstrap.controles()
    return controles


def page_seance(request, uow, gabarits, territoire, horloge, code: str, agent: Agent, erreurs=(),
                valeurs: Optional[dict] = None, fait: Optional[str] = None):
    vue = salle.consulter(uow, territoire, code, agent, horloge())
    return formulaire(request, uow, gabarits, "comites/seance.html", {
        "s": vue, "chemin": chemin(code), "valeurs": valeurs or {}, "fait": FAITS.get(fait or ""),
        "page": "seance"}, erreurs)


@routeur.get("/comites/{code}/seance", response_class=HTMLResponse)
def seance(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
           territoire: TerritoireDep, horloge: HorlogeDep, fait: Optional[str] = None):
    return page_seance(request, uow, gabarits, territoire, horloge, code, agent, fait=fait)


@routeur.post("/comites/{code}/evaluer")
def evaluer(code: str, agent: AgentDep, uow: UniteDeTravailDep, guichet: GuichetDep, contexte: ContexteDep,
            horloge: HorlogeDep):
    verifier_gestion(uow, code, agent)  # refused here, not inside the job
    comite = services_comite.consulter_comite(uow, code, agent)
    controles = controles_de(contexte)

    def travail(progression) -> list:
        evalue = services_comite.evaluer_comite(contexte.unite_de_travail(), guichet, controles, code, agent,
                                                progression=progression, horloge=horloge)
        issues = [Issue(r, True, "évalué") for r in evalue.ordre_du_jour]
        return issues + [Issue(f"contrôles croisés ({len(evalue.controles)})", True,
                               " ; ".join(c["titre"] for c in evalue.controles) or "aucun rapprochement")]

    n = len(comite.ordre_du_jour)
    numero = comite_travaux.lancer(contexte, agent, code, "evaluer_comite",
                                   f"Évaluation de la liste du comité {code} ({n} dossier{'s' if n > 1 else ''})",
                                   n, travail, comite_travaux.EVALUATION)
    return RedirectResponse(f"{chemin(code)}/travaux/{numero}", status_code=303)


@routeur.post("/comites/{code}/presence")
async def presence(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                   territoire: TerritoireDep, horloge: HorlogeDep):
    from starlette.concurrency import run_in_threadpool
    await run_in_threadpool(verifier_gestion, uow, code, agent)
    donnees = await request.form()
    structures = [str(s) for s in donnees.getlist("structure")]
    feuille: dict[str, tuple[str, bool]] = {}
    for i, structure in enumerate(structures):
        etat = str(donnees.get(f"present-{i}", ""))
        if structure.strip() and etat in ("oui", "non"):
            feuille[structure] = (str(donnees.get(f"representant-{i}", "")), etat == "oui")
    expert = str(donnees.get("expert_structure", "")).strip()
    if expert:
        feuille[expert] = (str(donnees.get("expert_representant", "")), True)
    if not feuille:
        erreurs = [ErreurChamp("present-0", "Indiquez pour au moins un membre s’il est présent ou absent")]
        return page_seance(request, uow, gabarits, territoire, horloge, code, agent, erreurs)
    await run_in_threadpool(services_comite.noter_presence, uow, code, feuille, agent)
    return RedirectResponse(f"{chemin(code)}/seance?fait=presence#presence", status_code=303)


@routeur.get("/comites/{code}/dossiers/{reference}", response_class=HTMLResponse)
def dossier(request: Request, code: str, reference: str, agent: AgentDep, uow: UniteDeTravailDep,
            gabarits: GabaritsDep, guichet: GuichetDep, territoire: TerritoireDep, horloge: HorlogeDep,
            fait: Optional[str] = None):
    d = salle.dossier_en_seance(uow, code, reference, agent)  # 404 unless on this meeting's agenda
    avis = services_documents.avis_d_un_dossier(uow, guichet, reference, agent, horloge()) \
        if d["avis_libelle"] != "non évalué" else None
    return formulaire(request, uow, gabarits, "comites/dossier.html", {
        "d": d, "avis": avis, "chemin": chemin(code), "code": code, "fait": FAITS.get(fait or ""),
        "page": "ordre", "entete": salle.entete(uow, territoire, code, agent)})


def _page_decision(request, uow, gabarits, code, reference, agent, erreurs=(), valeurs=None, statut=None):
    d = salle.dossier_en_seance(uow, code, reference, agent)
    if valeurs is None:
        valeurs = {f"montant_{f['id']}": _texte_montant(f["propose"]) for f in d["financeurs"]}
    return formulaire(request, uow, gabarits, "comites/decision.html",
                      {"d": d, "chemin": chemin(code), "code": code, "valeurs": valeurs, "page": "seance",
                       "decisions": [(x, LIBELLES_DECISIONS[x]) for x in DECISIONS]}, erreurs, code=statut)


def _texte_montant(montant) -> str:
    if montant is None:
        return ""
    entier = montant == montant.to_integral_value()
    return f"{montant:,.0f}".replace(",", " ") if entier else f"{montant:,.2f}".replace(",", " ").replace(".", ",")


@routeur.get("/comites/{code}/dossiers/{reference}/decision", response_class=HTMLResponse)
def page_decision(request: Request, code: str, reference: str, agent: AgentDep, uow: UniteDeTravailDep,
                  gabarits: GabaritsDep):
    verifier_gestion(uow, code, agent, "decider")
    salle.dossier_en_seance(uow, code, reference, agent)
    return _page_decision(request, uow, gabarits, code, reference, agent)


@routeur.post("/comites/{code}/dossiers/{reference}/decision")
async def decider(request: Request, code: str, reference: str, agent: AgentDep, uow: UniteDeTravailDep,
                  gabarits: GabaritsDep, horloge: HorlogeDep):
    from starlette.concurrency import run_in_threadpool
    await run_in_threadpool(verifier_gestion, uow, code, agent, "decider")
    donnees = {k: str(v) for k, v in (await request.form()).items()}
    d = await run_in_threadpool(salle.dossier_en_seance, uow, code, reference, agent)
    decisions, montants, dispositifs, erreurs = {}, {}, {}, []
    for f in d["financeurs"]:
        fid = f["id"]
        choix = donnees.get(f"decision_{fid}", "")
        if choix in DECISIONS:
            decisions[fid] = choix
            if choix == "favorable":
                try:
                    montant = lire_montant(donnees.get(f"montant_{fid}"), f"montant_{fid}")
                except SaisieRefusee as exc:
                    erreurs.append(ErreurChamp(exc.champ, f"Montant accordé ({f['nom']}) : "
                                                          f"{exc.message.removeprefix(exc.champ + ' : ')}"))
                    continue
                if montant is not None:
                    montants[fid] = montant
                if donnees.get(f"dispositif_{fid}"):
                    dispositifs[fid] = donnees[f"dispositif_{fid}"]
    motif = donnees.get("motif", "")
    if not decisions:
        erreurs.append(ErreurChamp("decisions", "Choisissez une décision pour au moins un financeur"))
    if not motif.strip():
        erreurs.append(ErreurChamp("motif", "Motif : dites pourquoi le comité décide ainsi"))
    if not erreurs:
        try:
            await run_in_threadpool(services_comite.decider, uow, code, reference, decisions, motif, agent, horloge,
                                    montants, dispositifs)
            return RedirectResponse(f"{chemin(code)}/seance?fait=decision#decisions", status_code=303)
        except (SaisieRefusee, Refus) as exc:
            if isinstance(exc, ErreurInstruction) and exc.genre not in ("saisie", "refus"):
                raise
            erreurs.append(erreur_de(exc, exc.champ if exc.genre == "saisie" else "decisions"))
    return _page_decision(request, uow, gabarits, code, reference, agent, erreurs, donnees, statut=422)


@routeur.get("/comites/{code}/et-si", response_class=HTMLResponse)
def et_si(request: Request, code: str, agent: AgentDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
          guichet: GuichetDep, territoire: TerritoireDep, jour: str = "", mois: str = "", annee: str = "",
          version: str = ""):
    versions = salle.versions_employees(uow, code, agent)
    erreurs: list[ErreurChamp] = []
    resultats = None
    demande = any((jour, mois, annee, version))
    valeurs = {"jour": jour, "mois": mois, "annee": annee, "version": version}
    if demande:
        date_ = lire_date(jour, mois, annee, "date", erreurs, "la date", obligatoire=False)
        if version and version not in versions:
            erreurs.append(ErreurChamp("version", "Choisissez une version des règles de la liste"))
        if not erreurs and date_ is None and not version:
            erreurs.append(ErreurChamp("date", "Saisissez une date, ou choisissez une version des règles"))
        if not erreurs:
            resultats = salle.et_si(uow, guichet, code, agent, date_, version or None)
    return formulaire(request, uow, gabarits, "comites/et_si.html", {
        "chemin": chemin(code), "code": code, "versions": versions, "valeurs": valeurs, "resultats": resultats,
        "page": "et_si", "entete": salle.entete(uow, territoire, code, agent)}, erreurs, ancres={"date": "date-jour"})
