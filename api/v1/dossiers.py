"""Les dossiers enregistrés (`/api/v1/dossiers`), pour un client authentifié par son jeton.

Chaque route appelle un cas d'usage de `instruction.dossiers.services` (ou un modèle de lecture de
`instruction.dossiers.vues_api`), qui passe par la politique d'accès : le dossier d'un autre porteur répond 404
sur toutes les routes, une action que le rôle n'a pas 403. Les corps sont lus bruts et validés par `forms` (le
dossier) ou par les modèles stricts de `api.v1.corps`.
"""
from typing import Annotated, Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.v1 import corps, schemas
from api.v1.authentification import AgentApiDep
from api.v1.documentation import AUTHENTIFIEES, CORPS_DOSSIER, PUBLIQUES, reponses
from api.v1.erreurs import ErreurApi, lire_json, saisie_refusee, une_erreur
from api.v1.parametres import DateQuery, json, lire_date
from api.web.dependances import GuichetDep, HorlogeDep, UniteDeTravailDep
from forms.valeurs import Avis, StatutFinanceur
from forms.validation import reference_de
from instruction.dossiers import services, vues_api
from instruction.dossiers.vues_api import PAR_PAGE_DEFAUT, PAR_PAGE_MAX, FiltreApi

routeur = APIRouter(prefix="/dossiers", tags=["dossiers"])
ECRITURE = (*PUBLIQUES, *AUTHENTIFIEES, 409)
Reference = Annotated[str, Path(description="La référence du dossier (« LA-2025-014 »).", max_length=64)]
Statut = Annotated[Optional[StatutFinanceur], Query(description="Le statut retenu (corrections comprises) de ce "
                                                                "financeur.")]


def _filtre(etat: Annotated[Optional[corps.Etat], Query(description="L'état du dossier.")] = None,
            avis: Annotated[Optional[Avis], Query(description="L'avis de la dernière évaluation calculée.")] = None,
            commune: Annotated[str, Query(description="Le code INSEE de la commune du projet.", max_length=5)] = "",
            q: Annotated[str, Query(description="Dans la référence, le nom du porteur ou le titre (sans égard aux "
                                                "accents ni à la casse).", max_length=200)] = "",
            page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
            par_page: Annotated[int, Query(ge=1, le=PAR_PAGE_MAX)] = PAR_PAGE_DEFAUT,
            statut_region_hdf: Statut = None, statut_region_prit: Statut = None,
            statut_departement_62: Statut = None, statut_departement_59: Statut = None,
            statut_ademe_fonds_tourisme_durable: Statut = None, statut_leader: Statut = None,
            statut_epci: Statut = None) -> FiltreApi:
    statuts = {"region_hdf": statut_region_hdf, "region_prit": statut_region_prit,
               "departement_62": statut_departement_62, "departement_59": statut_departement_59,
               "ademe_fonds_tourisme_durable": statut_ademe_fonds_tourisme_durable, "leader": statut_leader,
               "epci": statut_epci}
    return FiltreApi(etat=etat, avis=avis, statuts=tuple((f, s) for f, s in statuts.items() if s),
                     commune=commune or None, texte=q.strip(), page=page, par_page=par_page)


@routeur.get("", operation_id="lister_les_dossiers", summary="Les dossiers que l'agent peut voir",
             response_class=Response,
             responses=reponses(200, schemas.ListeDossiers, "Une page de la liste, par référence (vide au-delà de "
                                "la dernière page).", (401, 422, 503)))
def lister(uow: UniteDeTravailDep, agent: AgentApiDep, filtre: Annotated[FiltreApi, Depends(_filtre)]) -> Response:
    """Un porteur ne voit que ses dossiers, un membre du comité ceux des réunions dont il est membre, les
    services tous."""
    return json(vues_api.lister(uow, agent, filtre).en_json())


@routeur.post("", operation_id="deposer_un_dossier", summary="Déposer un dossier", status_code=201,
              response_class=Response, openapi_extra=CORPS_DOSSIER,
              responses=reponses(201, schemas.DossierInstruit, "Le dossier enregistré (déposé, ou brouillon).",
                                 ECRITURE))
async def deposer(request: Request, uow: UniteDeTravailDep, guichet: GuichetDep, horloge: HorlogeDep,
                  agent: AgentApiDep,
                  brouillon: Annotated[bool, Query(description="Enregistrer sans déposer.")] = False) -> Response:
    """Un porteur devient le propriétaire du dossier qu'il dépose ; la référence ne doit pas être prise."""
    donnees = await lire_json(request)

    def deposer_et_lire() -> dict:
        erreurs = services.deposer(uow, guichet, donnees, agent, brouillon, horloge)
        if erreurs:
            raise saisie_refusee(erreurs, reference_de(donnees))
        return vues_api.fiche(uow, donnees["reference"], agent)

    fiche = await run_in_threadpool(deposer_et_lire)
    # The reference is the holder's text (any Unicode letter): a header carries it percent-encoded.
    return json(fiche, 201, {"Location": f"{request.url.path}/{quote(fiche['reference'], safe='')}"})


@routeur.get("/{reference}", operation_id="lire_un_dossier", summary="Un dossier et son historique",
             response_class=Response,
             responses=reponses(200, schemas.DossierInstruit, "Le dossier, son historique, les états permis et ce "
                                "que l'agent peut en faire.", AUTHENTIFIEES))
def lire(reference: Reference, uow: UniteDeTravailDep, agent: AgentApiDep) -> Response:
    return json(vues_api.fiche(uow, reference, agent))


@routeur.put("/{reference}", operation_id="completer_un_dossier", summary="Compléter un dossier (le porteur)",
             response_class=Response, openapi_extra=CORPS_DOSSIER,
             responses=reponses(200, schemas.DossierInstruit, "Le dossier, ses données remplacées (ses évaluations "
                                "passées restent).", ECRITURE))
async def completer(reference: Reference, request: Request, uow: UniteDeTravailDep, guichet: GuichetDep,
                    horloge: HorlogeDep, agent: AgentApiDep) -> Response:
    donnees = await lire_json(request)
    if isinstance(donnees, dict) and donnees.get("reference") != reference:
        raise ErreurApi(422, [une_erreur("reference", f"doit être celle de l'adresse, « {reference} »")])

    def modifier_et_lire() -> dict:
        erreurs = services.modifier(uow, guichet, donnees, agent, horloge)
        if erreurs:
            raise saisie_refusee(erreurs, reference)
        return vues_api.fiche(uow, reference, agent)

    return json(await run_in_threadpool(modifier_et_lire))


@routeur.post("/{reference}/evaluations", operation_id="evaluer_un_dossier_enregistre", status_code=201,
              summary="Évaluer un dossier enregistré", response_class=Response,
              responses=reponses(201, schemas.EvaluationEnregistree, "L'évaluation, ajoutée à l'historique du "
                                 "dossier.", (*AUTHENTIFIEES, 409, 422)))
def evaluer(reference: Reference, uow: UniteDeTravailDep, guichet: GuichetDep, horloge: HorlogeDep,
            agent: AgentApiDep, date: DateQuery = None) -> Response:
    evaluation = services.evaluer(uow, guichet, reference, agent, lire_date(date), horloge)
    return json(vues_api.evaluation_en_json(evaluation), 201)


@routeur.post("/{reference}/transitions", operation_id="changer_l_etat_d_un_dossier",
              summary="Faire passer un dossier dans un autre état", response_class=Response,
              openapi_extra=corps.schema_du_corps(corps.Transition, {"vers": "en_instruction",
                                                                     "motif": "prise en charge par le service"}),
              responses=reponses(200, schemas.DossierInstruit, "Le dossier dans son nouvel état.", ECRITURE))
async def changer_etat(reference: Reference, request: Request, uow: UniteDeTravailDep, horloge: HorlogeDep,
                       agent: AgentApiDep) -> Response:
    """Un passage interdit répond 409 et donne les états permis (`etats_permis`). Le porteur retire sa demande
    en passant son dossier à `classe_sans_suite`."""
    demande = corps.valider(corps.Transition, await lire_json(request))

    def passer_et_lire() -> dict:
        services.changer_etat(uow, reference, demande.vers, agent, demande.motif, horloge)
        return vues_api.fiche(uow, reference, agent)

    return json(await run_in_threadpool(passer_et_lire))


@routeur.post("/{reference}/corrections", operation_id="corriger_un_dossier", status_code=201,
              summary="Corriger le calcul (statut, avis, constat)", response_class=Response,
              openapi_extra=corps.schema_du_corps(corps.CorrectionDemandee, {
                  "genre": "statut", "financeur": "region_prit", "valeur": "eligible",
                  "justification": "L'envergure régionale est établie (clientèle affaires de toute la région)."}),
              responses=reponses(201, schemas.Correction, "La correction enregistrée ; le calcul reste visible à "
                                 "côté.", ECRITURE))
async def corriger(reference: Reference, request: Request, uow: UniteDeTravailDep, horloge: HorlogeDep,
                   agent: AgentApiDep) -> Response:
    demande = corps.valider(corps.CorrectionDemandee, await lire_json(request))
    correction = await run_in_threadpool(services.corriger, uow, reference, demande.genre, demande.cible(),
                                         demande.valeur or "", demande.justification, agent, horloge)
    return json(vues_api.correction_en_json(correction), 201)


@routeur.post("/{reference}/corrections/{numero}/revue", operation_id="revoir_une_correction",
              summary="Maintenir ou retirer une correction", response_class=Response,
              openapi_extra=corps.schema_du_corps(corps.Revue, {
                  "maintenir": True, "justification": "Le dossier complété confirme la clientèle familiale."}),
              responses=reponses(200, schemas.Correction, "La correction après sa revue.", ECRITURE))
async def revoir(reference: Reference, numero: Annotated[int, Path(ge=1, le=1_000_000)], request: Request,
                 uow: UniteDeTravailDep, horloge: HorlogeDep, agent: AgentApiDep) -> Response:
    demande = corps.valider(corps.Revue, await lire_json(request))

    def revoir_et_lire() -> dict:
        services.revoir_correction(uow, reference, numero, demande.maintenir, agent, demande.justification, horloge)
        return vues_api.correction_en_json(vues_api.correction(uow, reference, numero, agent))

    return json(await run_in_threadpool(revoir_et_lire))
