"""Ce qu'on montre d'un dossier : son historique en JSON, pour la ligne de commande et l'API, lu champ
par champ (jamais `__dict__` : un champ ajouté au domaine ne doit pas sortir sans qu'on le décide) ; et les
cas d'usage de lecture de la page d'un dossier (sa fiche, les options de correction, son avis)."""
from dataclasses import asdict
from datetime import datetime
from typing import Any

from forms.libelles import LIBELLES_AVIS, LIBELLES_GENRES_CORRECTION, LIBELLES_STATUTS, NOMS_FINANCEURS
from instruction import acces
from instruction.acces import Agent
from instruction.documents import avis
from instruction.dossiers import corrections, fiche, services
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import PasEncoreEvalue, Refus
from instruction.evaluation.guichet import Guichet
from instruction.ports import UniteDeTravail, UniteDeTravailPorteur


def _transition(t) -> dict[str, Any]:
    return {"de": t.de, "vers": t.vers, "auteur": t.auteur, "quand": t.quand.isoformat(), "motif": t.motif}


def _evaluation(e) -> dict[str, Any]:
    return {"numero": e.numero, "version_regles": e.version_regles, "date_reference": e.date_reference.isoformat(),
            "auteur": e.auteur, "quand": e.quand.isoformat(), "resultat": e.resultat.en_json()}


def _correction(c) -> dict[str, Any]:
    return {**asdict(c), "quand": c.quand.isoformat(), "active": c.active}


def _decision(d) -> dict[str, Any]:
    return {"financeur": d.financeur, "decision": d.decision, "motif": d.motif, "auteur": d.auteur,
            "quand": d.quand.isoformat(), "comite": d.comite}


def historique(dossier: DossierInstruit) -> dict[str, Any]:
    return {"reference": dossier.reference, "etat": dossier.etat, "donnees": dossier.donnees.model_dump(mode="json"),
            "transitions": [_transition(t) for t in dossier.transitions],
            "evaluations": [_evaluation(e) for e in dossier.evaluations],
            "corrections": [_correction(c) for c in dossier.corrections],
            "decisions": [_decision(d) for d in dossier.decisions],
            "evaluation_retenue": retenue.en_json() if (retenue := dossier.evaluation_retenue()) else None}


# The dossier page of the instruction (/instruction/dossiers/{reference}): one use case reads the dossier once
# and what the agent may do with it; the pure builders are in `fiche.py` and `chronologie.py`.
def fiche_du_dossier(uow: UniteDeTravailPorteur, guichet: Guichet, reference: str, agent: Agent,
                     quand: datetime) -> dict[str, Any]:
    """La fiche du dossier, si l'agent peut lire le dossier des services (introuvable sinon, même pour son porteur)."""
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "voir_instruction", pour_modifier=False)
        capacites = acces.capacites(agent, services.cible(uow, dossier, agent))
        # What the holder's journey keeps beside the dossier: one read each, whatever their number.
        pieces, messages = uow.pieces.lister(reference), uow.messages.lister(reference)
        demandes = uow.complements.lister(reference)
    return fiche.fiche(dossier, capacites, titres_des_regles(guichet), guichet.territoire, quand, pieces, messages,
                       demandes)


def verifier_action(uow: UniteDeTravail, reference: str, agent: Agent, action: str) -> None:
    """Avant de lire un formulaire de la page : introuvable si l'agent ne lit pas le dossier des services (un
    porteur, même pour son dossier, agit depuis son espace), interdit si son rôle ne permet pas `action`."""
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "voir_instruction", pour_modifier=False)
        acces.verifier(agent, action, services.cible(uow, dossier, agent))


def titres_des_regles(guichet: Guichet) -> dict[str, str]:
    return {r.id: r.titre for r in guichet.base.regles}


def options_de_correction(uow: UniteDeTravail, guichet: Guichet, reference: str, agent: Agent) -> dict[str, Any]:
    """Ce que le formulaire de correction propose : les financeurs (statut calculé et retenu), les avis, les
    constats du dernier calcul qu'on peut écarter. Refusé (comme la correction) si l'agent ne peut pas corriger."""
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "voir_instruction", pour_modifier=False)
        acces.verifier(agent, "corriger", services.cible(uow, dossier, agent))
    derniere = dossier.derniere_evaluation
    if dossier.clos or derniere is None:
        raise Refus("ce dossier ne se corrige pas : " + ("il est clos" if dossier.clos else
                                                          "évaluez-le d'abord"), reference)
    titres, retenue = titres_des_regles(guichet), dossier.evaluation_retenue()
    ecartes = {c.cible for c in dossier.corrections if c.active and c.genre == corrections.CONSTAT_ECARTE}
    return {
        "reference": reference, "titre": dossier.donnees.projet.titre,
        "financeurs": [{"id": f.financeur, "nom": NOMS_FINANCEURS[f.financeur],
                        "calcule": LIBELLES_STATUTS[f.statut], "retenu": LIBELLES_STATUTS[retenue.statut(f.financeur)]}
                       for f in derniere.resultat.financeurs],
        "statuts": LIBELLES_STATUTS, "avis": LIBELLES_AVIS, "genres": LIBELLES_GENRES_CORRECTION,
        "avis_calcule": LIBELLES_AVIS[derniere.resultat.avis], "avis_retenu": LIBELLES_AVIS[retenue.avis],
        "constats": [{"regle": c.regle, "titre": titres.get(c.regle, c.regle)}
                     for c in derniere.resultat.constats if c.regle not in ecartes],
    }


def avis_pour_l_instruction(uow: UniteDeTravail, guichet: Guichet, reference: str, agent: Agent,
                            quand: datetime) -> dict[str, Any]:
    """Le modèle de vue de l'avis technique (celui de `guichet avis`), lu depuis la page du dossier."""
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "voir_instruction", pour_modifier=False)
    if not dossier.evaluations:
        raise PasEncoreEvalue(reference)
    return avis.construire(dossier, guichet.territoire, titres_des_regles(guichet), quand)
