"""Les réunions du comité technique (`/api/v1/comites`) : créer, inscrire des dossiers, évaluer l'ordre du jour
d'un bloc, noter la présence, enregistrer les décisions ; le rapport se télécharge (`api.v1.documents`).

Chaque route appelle un cas d'usage de `instruction.comite.services` : les services (instructeur, admin) gèrent
les réunions, un membre du comité lit les siennes (une autre répond 404), un porteur n'a pas la rubrique (403).
"""
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.v1 import corps, schemas
from api.v1.authentification import AgentApiDep
from api.v1.dependances import ControlesDep
from api.v1.documentation import AUTHENTIFIEES, PUBLIQUES, reponses
from api.v1.erreurs import lire_json
from api.v1.parametres import DateQuery, json, lire_date
from api.web.dependances import GuichetDep, HorlogeDep, TerritoireDep, UniteDeTravailDep
from instruction.comite import services
from instruction.comite.reunion import Membre
from instruction.comite.vues import comite_en_json
from instruction.dossiers import vues_api

routeur = APIRouter(prefix="/comites", tags=["comités"])
ECRITURE = (*PUBLIQUES, *AUTHENTIFIEES, 409)
Code = Annotated[str, Path(description="Le code de la réunion (« lys_artois-2025-12-11 »).", max_length=64)]


@routeur.get("", operation_id="lister_les_comites", summary="Les réunions que l'agent peut voir",
             response_class=Response,
             responses=reponses(200, schemas.ListeComites, "Les réunions (un membre du comité : les siennes).",
                                (401, 403, 503)))
def lister(uow: UniteDeTravailDep, agent: AgentApiDep) -> Response:
    return json({"comites": [comite_en_json(c) for c in services.lister_comites(uow, agent)]})


@routeur.post("", operation_id="creer_un_comite", summary="Créer une réunion", status_code=201,
              response_class=Response,
              openapi_extra=corps.schema_du_corps(corps.ComiteNouveau, {"date": "2026-03-12", "contrat": "lys_artois"}),
              responses=reponses(201, schemas.Comite, "La réunion créée (membres par défaut : ceux de l'art. 5.2).",
                                 ECRITURE))
async def creer(request: Request, uow: UniteDeTravailDep, territoire: TerritoireDep, agent: AgentApiDep) -> Response:
    demande = corps.valider(corps.ComiteNouveau, await lire_json(request))
    membres = [Membre(m.structure, m.representant) for m in demande.membres] if demande.membres else None
    comite = await run_in_threadpool(services.creer_comite, uow, territoire, agent, demande.date, demande.contrat,
                                     demande.code, membres)
    return json(comite_en_json(comite), 201, {"Location": f"{request.url.path}/{quote(comite.code, safe='')}"})


@routeur.get("/{code}", operation_id="lire_un_comite", summary="Une réunion", response_class=Response,
             responses=reponses(200, schemas.Comite, "La réunion : membres, ordre du jour, contrôles croisés.",
                                AUTHENTIFIEES))
def lire(code: Code, uow: UniteDeTravailDep, agent: AgentApiDep) -> Response:
    return _reponse_comite(uow, code, agent)


def _reponse_comite(uow, code: str, agent) -> Response:
    return json(comite_en_json(services.consulter_comite(uow, code, agent)))


@routeur.post("/{code}/inscriptions", operation_id="inscrire_des_dossiers", summary="Inscrire des dossiers",
              response_class=Response,
              openapi_extra=corps.schema_du_corps(corps.Inscription, {"references": ["LA-2025-004"]}),
              responses=reponses(200, schemas.Comite, "La réunion, son ordre du jour complété.", ECRITURE))
async def inscrire(code: Code, request: Request, uow: UniteDeTravailDep, horloge: HorlogeDep,
                   agent: AgentApiDep) -> Response:
    """Des dossiers à l'avis rendu (ou ajournés par une autre réunion), dans cet ordre ; un seul refus et rien
    n'est inscrit."""
    demande = corps.valider(corps.Inscription, await lire_json(request))

    def inscrire_et_lire() -> Response:
        services.inscrire(uow, code, demande.references, agent, horloge)
        return _reponse_comite(uow, code, agent)

    return await run_in_threadpool(inscrire_et_lire)


@routeur.post("/{code}/retraits", operation_id="retirer_un_dossier", summary="Retirer un dossier de l'ordre du jour",
              response_class=Response,
              openapi_extra=corps.schema_du_corps(corps.Retrait, {
                  "reference": "LA-2025-004", "motif": "le porteur complète son plan de financement"}),
              responses=reponses(200, schemas.Comite, "La réunion ; le dossier revient à « avis rendu ».", ECRITURE))
async def retirer(code: Code, request: Request, uow: UniteDeTravailDep, horloge: HorlogeDep,
                  agent: AgentApiDep) -> Response:
    demande = corps.valider(corps.Retrait, await lire_json(request))

    def retirer_et_lire() -> Response:
        services.retirer(uow, code, demande.reference, agent, demande.motif, horloge)
        return _reponse_comite(uow, code, agent)

    return await run_in_threadpool(retirer_et_lire)


@routeur.post("/{code}/evaluation", operation_id="evaluer_un_comite", summary="Évaluer l'ordre du jour d'un bloc",
              response_class=Response,
              responses=reponses(200, schemas.Comite, "La réunion réévaluée, ses contrôles croisés refaits.",
                                 (*AUTHENTIFIEES, 409, 422)))
def evaluer(code: Code, uow: UniteDeTravailDep, guichet: GuichetDep, controles: ControlesDep, horloge: HorlogeDep,
            agent: AgentApiDep, date: DateQuery = None) -> Response:
    """Chaque dossier non décidé est réévalué et l'évaluation ajoutée à son historique ; les contrôles croisés
    (même porteur, même projet, cumul de minimis, totaux par financeur…) sont refaits."""
    comite = services.evaluer_comite(uow, guichet, controles, code, agent, lire_date(date), horloge=horloge)
    return json(comite_en_json(comite))


@routeur.put("/{code}/presences", operation_id="noter_la_presence", summary="Noter la feuille de présence",
             response_class=Response,
             openapi_extra=corps.schema_du_corps(corps.FeuilleDePresence, {"presences": [
                 {"structure": "Conseil Régional", "representant": "Claire Martin", "present": True},
                 {"structure": "Département du Nord", "present": False}]}),
             responses=reponses(200, schemas.Comite, "La réunion et sa feuille de présence (art. 5.2).", ECRITURE))
async def noter_presence(code: Code, request: Request, uow: UniteDeTravailDep, agent: AgentApiDep) -> Response:
    demande = corps.valider(corps.FeuilleDePresence, await lire_json(request))
    feuille = {p.structure: (p.representant, p.present) for p in demande.presences}
    comite = await run_in_threadpool(services.noter_presence, uow, code, feuille, agent)
    return json(comite_en_json(comite))


@routeur.post("/{code}/decisions", operation_id="enregistrer_une_decision", summary="Enregistrer une décision",
              response_class=Response,
              openapi_extra=corps.schema_du_corps(corps.DecisionDemandee, {
                  "reference": "LA-2025-002", "decisions": {"region_hdf": "favorable"},
                  "motif": "Projet prioritaire du plan d'actions."}),
              responses=reponses(200, schemas.DossierInstruit, "Le dossier décidé, financeur par financeur.",
                                 ECRITURE))
async def decider(code: Code, request: Request, uow: UniteDeTravailDep, horloge: HorlogeDep,
                  agent: AgentApiDep) -> Response:
    """Après la réunion, pour un dossier de son ordre du jour ; une décision enregistrée est définitive pour sa
    réunion."""
    demande = corps.valider(corps.DecisionDemandee, await lire_json(request))

    def decider_et_lire() -> dict:
        services.decider(uow, code, demande.reference, dict(demande.decisions), demande.motif, agent, horloge)
        return vues_api.fiche(uow, demande.reference, agent)

    return json(await run_in_threadpool(decider_et_lire))
