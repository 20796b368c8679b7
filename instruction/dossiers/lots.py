"""Évaluer un lot de dossiers enregistrés en une transaction : le chemin rapide des gros volumes.

Le lot est chargé en quelques requêtes (`obtenir_plusieurs(pour_evaluer=True)` : aucune évaluation antérieure
relue, seulement leur nombre), évalué d'un bloc par le `Guichet`, puis enregistré d'un bloc
(`enregistrer_plusieurs`). Un dossier refusé (introuvable, invisible pour l'agent, clos) est rendu en échec avec
sa raison et les autres sont évalués ; une panne de la base annule le lot entier (rien d'écrit à moitié).

    issues = evaluer_lot(uow, guichet, references, agent)   # une Issue par référence, dans l'ordre
"""
from datetime import date
from typing import Optional, Sequence

from forms.libelles import LIBELLES_AVIS
from instruction import acces
from instruction.acces import Agent
from instruction.dossiers.services import cible, conserver_regles, evaluer_et_ajouter
from instruction.erreurs import DossierIntrouvable, ErreurInstruction
from instruction.evaluation.guichet import Guichet
from instruction.ports import UniteDeTravail
from instruction.temps import Horloge, maintenant
from instruction.travaux import Issue


def evaluer_lot(uow: UniteDeTravail, guichet: Guichet, references: Sequence[str], agent: Agent,
                date_imposee: Optional[date] = None, horloge: Horloge = maintenant) -> list[Issue]:
    """Une nouvelle évaluation pour chaque dossier du lot (verrouillés le temps de la transaction)."""
    issues: dict[str, Issue] = {}
    with uow:
        # Locked in id order; no earlier result is read back (only their number): adding the next needs none.
        trouves = uow.dossiers.obtenir_plusieurs(list(references), pour_modifier=True, pour_evaluer=True)
        a_evaluer = []
        for reference in dict.fromkeys(references):
            try:
                dossier = trouves.get(reference)
                if dossier is None:
                    raise DossierIntrouvable(reference)
                acces.verifier(agent, "evaluer", cible(uow, dossier, agent))
                a_evaluer.append(dossier)
            except ErreurInstruction as refus:
                issues[reference] = Issue(reference, False, refus.message)
        quand = horloge()
        evalues = []
        for dossier, resultat in zip(a_evaluer, guichet.evaluer_lot([d.donnees for d in a_evaluer], date_imposee)):
            try:
                evaluation = evaluer_et_ajouter(dossier, resultat, date_imposee, agent.auteur, quand)
            except ErreurInstruction as refus:  # closed, or an evaluation in error: nothing changed in it
                issues[dossier.reference] = Issue(dossier.reference, False, refus.message)
                continue
            evalues.append(dossier)
            avis = evaluation.resultat.avis
            issues[dossier.reference] = Issue(dossier.reference, True, f"évaluation n° {evaluation.numero} : "
                                                                       f"{LIBELLES_AVIS.get(avis, avis).lower()}")
        uow.dossiers.enregistrer_plusieurs(evalues)
        conserver_regles(uow, guichet.base)
        uow.valider()
    return [issues[r] for r in references]
