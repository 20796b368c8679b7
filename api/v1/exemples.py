"""Les exemples du document OpenAPI, tirés de la démonstration et calculés à la construction du document : un
dossier du fichier que charge `guichet demo` (`examples/dossiers.json`), son évaluation par le moteur de
l'application, ses erreurs de saisie quand on l'abîme, les règles en vigueur, une recherche de communes, la
réunion de démonstration. Rien n'est recopié à la main : un changement des règles change les exemples.
"""
import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson
from fastapi import FastAPI

from api import demo
from api.v1.authentification import SANS_JETON
from api.v1.erreurs import ErreurApi, raison_json
from instruction import acces
from instruction.acces import CibleDossier
from instruction.comite.reunion import Comite
from instruction.comite.vues import comite_en_json
from instruction.dossiers import vues
from instruction.dossiers.cycle import DECISIONS, EN_INSTRUCTION, suivants
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.dossiers.vues_api import resume_en_json
from instruction.erreurs import DossierIntrouvable, Indisponible, Interdit, TransitionInterdite
from instruction.evaluation import regles
from instruction.evaluation.communes import annuaire
from instruction.ports import ResumeDossier

REFERENCE = "LA-2025-003"  # a dossier of the demo, on the comité's territory


def _erreur(champ, message: str, **extra) -> dict[str, Any]:
    return {"erreurs": [{"champ": champ, "message": message}], **extra}


def _json_illisible() -> str:
    try:
        orjson.loads(b'{"reference": "LA-2025-003",')
    except orjson.JSONDecodeError as exc:
        return f"JSON illisible : {raison_json(exc)}"
    raise AssertionError("ce JSON devrait être illisible")


def _fiche(guichet, donnees: dict) -> tuple[dict, dict]:
    """Le dossier de démonstration tel qu'un instructeur le lit après l'avoir évalué, et son évaluation."""
    valide, _ = guichet.valider(donnees)
    quand = datetime.combine(valide.date_depot, datetime.min.time(), timezone.utc) + timedelta(hours=9)
    dossier = DossierInstruit.creer(valide, demo.PORTEUR.auteur, quand, proprietaire=demo.PORTEUR.id)
    dossier.passer(EN_INSTRUCTION, demo.INSTRUCTRICE.auteur, quand + timedelta(days=1),
                   "prise en charge par le service")
    evaluation = dossier.ajouter_evaluation(guichet.evaluer(valide), valide.date_depot, demo.INSTRUCTRICE.auteur,
                                            quand + timedelta(days=1, hours=1))
    cible = CibleDossier(dossier.reference, dossier.proprietaire)
    fiche = {**vues.historique(dossier), "etats_permis": list(suivants(dossier.etat)),
             "capacites": acces.capacites(demo.PORTEUR, cible)}
    enregistree = {"numero": evaluation.numero, "version_regles": evaluation.version_regles,
                   "date_reference": evaluation.date_reference.isoformat(), "auteur": evaluation.auteur,
                   "quand": evaluation.quand.isoformat(), "resultat": evaluation.resultat.en_json()}
    return fiche, enregistree


def exemples(app: FastAPI) -> dict[str, dict[Any, Any]]:
    """{operationId ou "*" (toutes) : {code HTTP ou "corps" : exemple}}."""
    contexte = app.state.contexte
    guichet, territoire = contexte.guichet, contexte.territoire
    fichier = {d["reference"]: d for d in orjson.loads(demo.EXEMPLES.read_bytes())}
    donnees = fichier[REFERENCE]
    evaluation = guichet.evaluer(donnees).en_json()
    abime = copy.deepcopy(donnees)
    abime["budget"]["cout_total_ht"] = True
    abime["projet"]["nature"] = "travaux"
    _, erreurs = guichet.valider(abime)
    fiche, enregistree = _fiche(guichet, donnees)
    resumes = [ResumeDossier(d["reference"], "avis_rendu", d["porteur"].get("nom"), d["projet"].get("titre"),
                             d["projet"].get("commune_insee"), guichet.valider(d)[0].date_depot, 1,
                             guichet.evaluer(d).avis) for d in list(fichier.values())[:2]]
    comite = Comite.creer(territoire.contrat("lys_artois"), demo.JOUR_COMITE, demo.COMITE)
    comite.ordre_du_jour = list(demo.ORDRE_DU_JOUR)
    transition = TransitionInterdite(REFERENCE, "depose", "decide", suivants("depose"))
    saisie = ErreurApi(422, [e.en_json() for e in erreurs], reference=REFERENCE)
    return {
        "*": {400: _erreur(None, _json_illisible()), 401: _erreur(None, SANS_JETON),
              403: _erreur(None, Interdit("corriger", "porteur", REFERENCE).message),
              404: _erreur(None, DossierIntrouvable(REFERENCE).message),
              409: {"erreurs": [{"champ": "vers", "message": transition.message,
                                 "etats_permis": list(transition.permises)}]},
              413: _erreur(None, "corps de la demande trop gros : 1000 ko au plus"),
              422: {"reference": REFERENCE, "erreurs": saisie.erreurs},
              503: _erreur(None, Indisponible("la base de données ne répond pas").message)},
        "evaluer_un_dossier": {"corps": donnees, 200: evaluation},
        "deposer_un_dossier": {"corps": donnees, 201: fiche},
        "completer_un_dossier": {"corps": donnees, 200: fiche},
        "lire_un_dossier": {200: fiche},
        "changer_l_etat_d_un_dossier": {200: fiche},
        "evaluer_un_dossier_enregistre": {201: enregistree},
        "lister_les_dossiers": {200: {"dossiers": [resume_en_json(r) for r in resumes], "total": len(resumes),
                                      "page": 1, "par_page": 50, "pages": 1}},
        "exporter_les_regles": {200: regles.exporter(guichet.base, demo.JOUR_COMITE)[:2]},
        "chercher_des_communes": {200: [c.en_json() for c in annuaire(territoire).chercher("Béthune")]},
        "lire_un_comite": {200: comite_en_json(comite)},
        "creer_un_comite": {201: comite_en_json(comite)},
        "lister_les_comites": {200: {"comites": [comite_en_json(comite)]}},
        "enregistrer_une_decision": {"corps": {"reference": demo.ORDRE_DU_JOUR[0], "decisions": {
            "region_hdf": DECISIONS[0]}, "motif": "Projet prioritaire du plan d'actions."}},
    }
