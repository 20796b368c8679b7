"""`/instruction/dossiers` : la liste des dossiers des services (filtres dans l'adresse, tri, pagination, exports
XLSX et CSV) et le formulaire des actions par lot, qui lance un travail (`routes/travaux.py`).

Toute la rubrique exige « espace_instruction » (un porteur ou un membre du comité : 403). Le filtre est lu par
`instruction.dossiers.recherche.lire_filtre` : une valeur invalide donne la page avec le résumé d'erreurs (400),
jamais une erreur du serveur. La page d'un dossier est dans `instruction_dossier.py`.
"""
from typing import Annotated, Any, Optional
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from api.rendu import exports
from api.web import travaux
from api.web.acces import exiger
from api.web.dependances import (
    ContexteDep,
    GabaritsDep,
    HorlogeDep,
    TerritoireDep,
    UniteDeTravailDep,
    horloge_de,
)
from api.web.formulaires import formulaire
from api.web.routes import travaux as routes_travaux
from forms.libelles import LIBELLES_AVIS, LIBELLES_ETATS, LIBELLES_STATUTS, NOMS_FINANCEURS
from forms.valeurs import AVIS, FINANCEURS, STATUTS
from forms.validation import ErreurChamp
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.dossiers import lots, recherche, services
from instruction.dossiers.cycle import EN_INSTRUCTION, ETATS
from instruction.dossiers.recherche import Filtre, LigneDossier, PageDossiers
from instruction.evaluation.territoire import Territoire

routeur = APIRouter(prefix="/instruction", include_in_schema=False,
                    dependencies=[Depends(exiger("espace_instruction"))])
routeur.include_router(routes_travaux.routeur)
InstructeurDep = Annotated[Agent, Depends(exiger("espace_instruction"))]  # the section's own check, computed once
TITRES_TRI = {"reference": "Référence", "porteur": "Porteur et projet", "depot": "Déposé le", "etat": "État",
              "avis": "Avis retenu", "a_revoir": "À revoir"}
Champ = Annotated[str, Form()]
Cases = Annotated[Optional[list[str]], Form()]  # the ticked boxes of the list
ATTENTE_SECONDES = 1.0  # a job done within this time shows its outcome at once, without a progress bar
# The dates' three boxes (govuk date input), anchored on the first one in the error summary.
ANCRES = {"depose_du": "depose_du-jour", "depose_au": "depose_au-jour"}


def parametres_de(request: Request) -> dict[str, list[str]]:
    valeurs: dict[str, list[str]] = {}
    for cle, valeur in request.query_params.multi_items():
        valeurs.setdefault(cle, []).append(valeur)
    return valeurs


def adresse(filtre: Filtre, chemin: str = "/instruction/dossiers", **changes) -> str:
    parametres = filtre.parametres(**changes)
    return chemin + (f"?{urlencode(parametres)}" if parametres else "")


def _options(libelles: dict[str, str], valeurs, choisie: Optional[str], vide: str) -> list[dict]:
    return [{"value": "", "text": vide, "selected": not choisie}] + [
        {"value": v, "text": libelles.get(v, v), "selected": v == choisie} for v in valeurs]


def _commune(territoire: Territoire, insee: Optional[str]) -> str:
    commune = territoire.commune(insee)
    return f"{commune.nom} ({commune.departement})" if commune else (insee or "—")


def ligne_vue(ligne: LigneDossier, territoire: Territoire, cochee: bool) -> dict[str, Any]:
    statuts = [{"financeur": NOMS_FINANCEURS.get(f, f), "statut": LIBELLES_STATUTS.get(s, s), "code": s}
               for f, s in ligne.statuts.items() if s not in ("non_concerne",)]
    return {"reference": ligne.reference, "lien": f"/instruction/dossiers/{ligne.reference}",
            "porteur": ligne.porteur or "—", "titre": ligne.titre or "—", "siret": ligne.siret,
            "commune": _commune(territoire, ligne.commune_insee), "date_depot": ligne.date_depot,
            "etat": LIBELLES_ETATS.get(ligne.etat, ligne.etat), "etat_code": ligne.etat,
            "avis": LIBELLES_AVIS.get(ligne.avis, ligne.avis) if ligne.avis else None, "avis_code": ligne.avis,
            "statuts": statuts, "a_revoir": ligne.a_revoir, "evaluations": ligne.evaluations, "cochee": cochee}


def _entetes(filtre: Filtre) -> list[dict[str, Any]]:
    """Les en-têtes de colonnes triables : un lien qui trie (ou inverse le sens), et aria-sort sur la colonne triée."""
    entetes = []
    for cle, titre in TITRES_TRI.items():
        courant = filtre.tri == cle
        sens = "croissant" if courant and filtre.sens == "decroissant" or not courant and cle not in ("depot",) \
            else "decroissant"
        entetes.append({"cle": cle, "titre": titre, "lien": adresse(filtre, tri=cle, sens=sens, page=1),
                        "aria_sort": ("ascending" if filtre.sens == "croissant" else "descending") if courant
                        else None, "sens_propose": "croissant" if sens == "croissant" else "décroissant"})
    return entetes


def _pagination(page: PageDossiers) -> dict[str, Any]:
    f, n = page.filtre, page.pages
    numeros = sorted({1, n, *range(max(1, f.page - 2), min(n, f.page + 2) + 1)})
    items, precedent = [], 0
    for numero in numeros:
        if numero - precedent > 1:
            items.append({"ellipsis": True})
        items.append({"number": numero, "href": adresse(f, page=numero), "current": numero == f.page,
                      "visuallyHiddenText": f"Page {numero}"})
        precedent = numero
    return {"items": items if n > 1 else [],
            "previous": {"href": adresse(f, page=f.page - 1)} if f.page > 1 else None,
            "next": {"href": adresse(f, page=f.page + 1)} if f.page < n else None}


def contexte_liste(request: Request, agent: Agent, uow, territoire: Territoire, horloge, filtre: Filtre,
                   erreurs_filtre: list[ErreurChamp], cochees: frozenset[str] = frozenset(),
                   tout: bool = False) -> dict[str, Any]:
    """Ce que montre la page : le formulaire du filtre, la page de la liste (sauf filtre invalide), les lots."""
    page = None if erreurs_filtre else recherche.rechercher(uow, agent, filtre, territoire)
    if page is not None:
        filtre = page.filtre
    index = recherche.index_territoire(territoire)
    comites = [c for c in services_comite.lister_comites(uow, agent)]
    return {
        "filtre": filtre, "page": page, "query": urlencode(filtre.parametres()),
        "lignes": [ligne_vue(x, territoire, tout or x.reference in cochees) for x in page.lignes] if page else [],
        "entetes": _entetes(filtre), "pages_liste": _pagination(page) if page else None,
        "export_csv": adresse(filtre, "/instruction/dossiers.csv", page=1, par_page=recherche.PAR_PAGE_DEFAUT),
        "export_xlsx": adresse(filtre, "/instruction/dossiers.xlsx", page=1, par_page=recherche.PAR_PAGE_DEFAUT),
        "tout_cocher": adresse(filtre) + ("&" if filtre.parametres() else "?") + "tout=oui",
        "retour": adresse(filtre),
        "options": {
            "etat": _options(LIBELLES_ETATS, ETATS, filtre.etat, "Tous les états"),
            "avis": _options(LIBELLES_AVIS, AVIS, filtre.avis, "Tous les avis"),
            "statuts": [{"financeur": f, "nom": NOMS_FINANCEURS[f], "items": _options(
                LIBELLES_STATUTS, STATUTS, dict(filtre.statuts).get(f), "Tous les statuts")} for f in FINANCEURS],
            "epci": _options(index.epci, list(index.epci), filtre.epci, "Toutes les intercommunalités"),
            "contrat": _options({c.id: c.nom for c in territoire.contrats_tous()},
                                [c.id for c in territoire.contrats_tous()], filtre.contrat, "Tous les contrats"),
            "par_page": [{"value": str(n), "text": str(n), "selected": n == filtre.par_page}
                         for n in recherche.PAR_PAGE],
            "comites": [{"value": "", "text": "Choisir une réunion"}] + [
                {"value": c.code, "text": f"{c.code} ({c.date:%d/%m/%Y})"} for c in comites],
        },
        "details_ouverts": bool(filtre.statuts or filtre.commune or filtre.epci or filtre.contrat or filtre.depose_du
                                or filtre.depose_au or filtre.a_revoir or any(e.champ.startswith(
                                    ("statut_", "commune", "epci", "contrat", "depose", "a_revoir"))
                                    for e in erreurs_filtre)),
        # What the boxes show: what was typed when the filter is refused, the filter's own values otherwise.
        "valeurs": ({k: v[-1] for k, v in parametres_de(request).items()} if erreurs_filtre
                    else dict(filtre.parametres())),
        "maintenant": horloge(),
    }


@routeur.get("/dossiers", response_class=HTMLResponse)
def liste(request: Request, agent: InstructeurDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
          territoire: TerritoireDep, horloge: HorlogeDep):
    filtre, erreurs = recherche.lire_filtre(parametres_de(request), territoire)
    contexte = contexte_liste(request, agent, uow, territoire, horloge, filtre, erreurs,
                              tout=request.query_params.get("tout") == "oui")
    return formulaire(request, uow, gabarits, "instruction/liste.html", contexte, erreurs, code=400 if erreurs else 200,
                      ancres=ANCRES)


COLONNES_EXPORT: list[exports.Colonne] = (
    [("Référence", 16, "texte"), ("Porteur", 32, "texte"), ("SIRET", 16, "texte"), ("Titre du projet", 40, "texte"),
     ("Code INSEE", 10, "texte"), ("Commune", 26, "texte"), ("Intercommunalité", 30, "texte"),
     ("Déposé le", 12, "date"), ("État", 16, "texte"), ("Avis retenu", 22, "texte")]
    + [(NOMS_FINANCEURS[f], 18, "texte") for f in FINANCEURS]
    + [("Corrections à revoir", 12, "entier"), ("Évaluations", 10, "entier")])


def _lignes_export(lignes: list[LigneDossier], territoire: Territoire):
    for x in lignes:
        commune = territoire.commune(x.commune_insee)
        yield ([x.reference, x.porteur, x.siret, x.titre, x.commune_insee, commune.nom if commune else None,
                commune.epci_nom if commune else None, x.date_depot, LIBELLES_ETATS.get(x.etat, x.etat),
                LIBELLES_AVIS.get(x.avis, x.avis) if x.avis else None]
               + [LIBELLES_STATUTS.get(x.statuts.get(f), x.statuts.get(f)) for f in FINANCEURS]
               + [x.a_revoir, x.evaluations])


def _export(request: Request, agent: Agent, uow, territoire: Territoire, horloge,
            extension: str) -> Optional[Response]:
    filtre, erreurs = recherche.lire_filtre(parametres_de(request), territoire)
    if erreurs:
        return None
    lignes = recherche.toutes_les_lignes(uow, agent, filtre, territoire)
    nom = f"dossiers-{horloge():%Y-%m-%d}.{extension}"
    entetes = {"Content-Disposition": f'attachment; filename="{nom}"'}
    if extension == "csv":
        return StreamingResponse(exports.csv_liste(COLONNES_EXPORT, _lignes_export(lignes, territoire)),
                                 media_type="text/csv; charset=utf-8", headers=entetes)
    contenu = exports.classeur_liste(COLONNES_EXPORT, _lignes_export(lignes, territoire))
    return Response(contenu, headers=entetes,
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _export_ou_page(request: Request, agent: Agent, uow, gabarits, territoire: Territoire, horloge,
                    extension: str) -> Response:
    reponse = _export(request, agent, uow, territoire, horloge, extension)
    if reponse is None:  # a bad filter: the list page says what is wrong
        return liste(request, agent, uow, gabarits, territoire, horloge)
    return reponse


@routeur.get("/dossiers.csv")
def export_csv(request: Request, agent: InstructeurDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
               territoire: TerritoireDep, horloge: HorlogeDep):
    return _export_ou_page(request, agent, uow, gabarits, territoire, horloge, "csv")


@routeur.get("/dossiers.xlsx")
def export_xlsx(request: Request, agent: InstructeurDep, uow: UniteDeTravailDep, gabarits: GabaritsDep,
                territoire: TerritoireDep, horloge: HorlogeDep):
    return _export_ou_page(request, agent, uow, gabarits, territoire, horloge, "xlsx")


# --- The batch actions: the list's form starts a job (api/web/travaux.py), followed on /instruction/travaux/N ---

ACTIONS_LOT = {"evaluer": "Évaluer", "instruire": "Passer en instruction", "inscrire": "Inscrire à une réunion"}
LOT_MAX = 10_000  # « all the dossiers of the filter » at most; more is a job for the command line


def _fonction_du_lot(contexte, agent: Agent, action: str, motif: str, comite: str):
    guichet, horloge = contexte.guichet, horloge_de(contexte)
    if action == "evaluer":
        def evaluer(reference: str) -> str:
            evaluation = services.evaluer(contexte.unite_de_travail(), guichet, reference, agent, horloge=horloge)
            avis = LIBELLES_AVIS.get(evaluation.resultat.avis, evaluation.resultat.avis)
            return f"évaluation n° {evaluation.numero} : {avis.lower()}"
        return evaluer
    if action == "instruire":
        def instruire(reference: str) -> str:
            services.changer_etat(contexte.unite_de_travail(), reference, EN_INSTRUCTION, agent, motif, horloge)
            return "passé en instruction"
        return instruire

    def inscrire(reference: str) -> str:
        services_comite.inscrire(contexte.unite_de_travail(), comite, [reference], agent, horloge)
        return f"inscrit à l’ordre du jour de la réunion {comite}"
    return inscrire


PAQUET_EVALUATION = 100


def _evaluer_un_paquet(contexte, agent: Agent):
    guichet, horloge = contexte.guichet, horloge_de(contexte)

    def evaluer(references: list[str]) -> list:
        return lots.evaluer_lot(contexte.unite_de_travail(), guichet, references, agent, horloge=horloge)
    return evaluer


def _libelle_du_lot(action: str, nombre: int, comite: str) -> str:
    dossiers = f"{nombre} dossier{'s' if nombre > 1 else ''}"
    return {"evaluer": f"Évaluation de {dossiers}", "instruire": f"Mise en instruction de {dossiers}",
            "inscrire": f"Inscription de {dossiers} à la réunion {comite}"}[action]


@routeur.post("/travaux")
def lancer_lot(request: Request, agent: InstructeurDep, contexte: ContexteDep, uow: UniteDeTravailDep,
               gabarits: GabaritsDep, territoire: TerritoireDep, horloge: HorlogeDep,
               action: Champ = "", portee: Champ = "selection", references: Cases = None, comite: Champ = "",
               motif: Champ = "", retour: Champ = ""):
    retour = retour if retour.startswith("/instruction/dossiers") else "/instruction/dossiers"
    filtre, erreurs_filtre = recherche.lire_filtre(parse_qs(urlsplit(retour).query), territoire)
    choisies = list(dict.fromkeys(r.strip() for r in references or () if r.strip()))
    erreurs: list[ErreurChamp] = []
    if action not in ACTIONS_LOT:
        erreurs.append(ErreurChamp("action", "Choisissez l’action à appliquer aux dossiers"))
    if portee == "filtre" and not erreurs_filtre:
        choisies, total = recherche.references(uow, agent, filtre, territoire, LOT_MAX)
        if total > LOT_MAX:
            erreurs.append(ErreurChamp("portee", f"Le filtre compte {total} dossiers : au plus {LOT_MAX} par lot. "
                                                 "Restreignez le filtre"))
    if not choisies:
        erreurs.append(ErreurChamp("references", "Sélectionnez au moins un dossier (cochez-le dans la liste)"))
    if action == "instruire" and not motif.strip():
        erreurs.append(ErreurChamp("motif", "Indiquez le motif du passage en instruction"))
    if action == "inscrire":
        codes = [c.code for c in services_comite.lister_comites(uow, agent)]
        if comite not in codes:
            erreurs.append(ErreurChamp("comite", "Choisissez la réunion où inscrire les dossiers"))
    if erreurs:
        contexte_page = contexte_liste(request, agent, uow, territoire, horloge, filtre, erreurs_filtre,
                                       frozenset(choisies) if portee != "filtre" else frozenset())
        contexte_page["lot"] = {"action": action, "portee": portee, "comite": comite, "motif": motif}
        return formulaire(request, uow, gabarits, "instruction/liste.html", contexte_page, erreurs, code=422,
                          ancres={"action": "action", "references": "liste-des-dossiers", "portee": "portee",
                                  "comite": "comite", "motif": "motif"})
    libelle, parametres = _libelle_du_lot(action, len(choisies), comite), {"retour": retour, "comite": comite or None}
    par_element = _fonction_du_lot(contexte, agent, action, motif.strip(), comite)
    if action == "evaluer":  # the fast path: a hundred dossiers loaded, judged and written together
        numero = travaux.lancer_par_paquets(contexte, agent, action, libelle, choisies,
                                            _evaluer_un_paquet(contexte, agent), par_element, PAQUET_EVALUATION,
                                            parametres)
    else:
        numero = travaux.lancer(contexte, agent, action, libelle, choisies, par_element, parametres)
    travaux.attendre(numero, ATTENTE_SECONDES)  # done within a second: the job page shows the outcome at once
    return RedirectResponse(f"/instruction/travaux/{numero}", status_code=303)
