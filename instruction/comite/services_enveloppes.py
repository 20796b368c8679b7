"""Les cas d'usage des enveloppes d'une réunion : les lire, en ajouter, en retirer, et les suivre contre les
montants proposés par les avis et décidés par le comité (`instruction.comite.enveloppes`)."""
from decimal import Decimal
from typing import Optional, Sequence

from forms.dossier import montant_exact
from instruction import acces
from instruction.acces import Agent
from instruction.comite import enveloppes as env
from instruction.comite.enveloppes import Demande, Enveloppe, Suivi
from instruction.documents.financement import FERMES, demandes_detaillees
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.dossiers.services import obtenir_dossier
from instruction.erreurs import ComiteIntrouvable
from instruction.ports import UniteDeTravail


def _verifier(uow: UniteDeTravail, code: str, agent: Agent, action: str) -> None:
    acces.verifier(agent, action, comite=code)
    if uow.comites.obtenir(code, pour_modifier=action == "gerer_comite") is None:
        raise ComiteIntrouvable(code)


def lister(uow: UniteDeTravail, code: str, agent: Agent) -> list[Enveloppe]:
    with uow:
        _verifier(uow, code, agent, "voir_comite")
        return uow.comites.enveloppes(code)


def ajouter(uow: UniteDeTravail, code: str, agent: Agent, financeur: str, dispositif: str,
            montant: Optional[Decimal], source: str = "") -> Enveloppe:
    """Ajoute une enveloppe à la réunion ; lève `SaisieRefusee` (le champ nommé) pour une saisie invalide."""
    with uow:
        _verifier(uow, code, agent, "gerer_comite")  # before reading the input: a reader learns nothing from it
        nouvelle = Enveloppe.creer(financeur, dispositif, montant, source)
        uow.comites.enregistrer_enveloppes(code, env.ajouter(uow.comites.enveloppes(code), nouvelle))
        uow.valider()
    return nouvelle


def retirer(uow: UniteDeTravail, code: str, agent: Agent, financeur: str, dispositif: str) -> None:
    with uow:
        _verifier(uow, code, agent, "gerer_comite")
        uow.comites.enregistrer_enveloppes(code, env.retirer(uow.comites.enveloppes(code), financeur, dispositif))
        uow.valider()


def demandes(dossiers: Sequence[DossierInstruit], code: str) -> list[Demande]:
    """Pour chaque dossier et financeur : la demande sollicitée (voie ouverte par l'avis retenu) et la décision
    de cette réunion. Le dossier est lu tel que sa dernière évaluation l'a lu, comme l'avis et le rapport."""
    resultat = []
    for dossier in dossiers:
        d = dossier.donnees_evaluees()
        retenue = dossier.evaluation_retenue()
        statuts = retenue.statuts() if retenue else {}
        proposes: dict[str, Decimal] = {}
        for financeur, statut, montant in demandes_detaillees(d):
            if statut == "sollicite" and statuts.get(financeur) not in FERMES:
                proposes[financeur] = proposes.get(financeur, Decimal(0)) + montant_exact(montant)
        decisions = {x.financeur: x for x in dossier.decisions_du_comite(code)}
        for financeur in sorted(set(proposes) | set(decisions)):
            x = decisions.get(financeur)
            resultat.append(Demande(dossier.reference, financeur, proposes.get(financeur),
                                    x.decision if x else None,
                                    x.montant if x and x.decision == "favorable" else None,
                                    x.dispositif if x else None))
    return resultat


def suivre(uow: UniteDeTravail, code: str, agent: Agent) -> list[Suivi]:
    """Les enveloppes de la réunion contre ce que proposent les avis et ce que le comité a décidé."""
    with uow:
        _verifier(uow, code, agent, "voir_comite")
        comite = uow.comites.obtenir(code)
        enveloppes = uow.comites.enveloppes(code)
        dossiers = [obtenir_dossier(uow, r, agent, "voir", pour_modifier=False) for r in comite.ordre_du_jour]
    return env.suivre(enveloppes, demandes(dossiers, code))
