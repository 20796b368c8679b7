"""Les cas d'usage du comité technique : préparer la réunion, importer sa liste, l'évaluer d'un
coup avec ses contrôles croisés, enregistrer les décisions, rejouer la réunion sous d'autres règles.

Un import ou une évaluation de réunion est une seule transaction : un arrêt au milieu ne laisse
pas de réunion à moitié écrite. Un dossier invalide est écarté avec ses erreurs ; les autres
sont évalués et enregistrés.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Optional, Sequence

from forms.valeurs import FINANCEURS
from forms.validation import reference_de
from instruction import acces
from instruction.acces import Agent
from instruction.comite import enveloppes as enveloppes_comite
from instruction.comite import services_enveloppes
from instruction.comite.controles import Controle, controler
from instruction.comite.reunion import Comite, Membre
from instruction.documents import rapport as rapport_comite
from instruction.dossiers.cycle import AVIS_RENDU, EN_INSTRUCTION, INSCRIT_COMITE
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.dossiers.services import conserver_regles, evaluer_et_ajouter, obtenir_dossier
from instruction.erreurs import (
    ComiteExistant,
    ComiteIntrouvable,
    DossierExistant,
    ErreurInstruction,
    Refus,
    SaisieRefusee,
)
from instruction.evaluation.comparaison import comparer
from instruction.evaluation.guichet import Guichet
from instruction.evaluation.territoire import Territoire
from instruction.ports import UniteDeTravail
from instruction.temps import Horloge, jour_de, maintenant

Progression = Callable[[str, int, int], None]  # (step, done, total)


def _sans_progression(etape: str, fait: int, total: int) -> None:
    pass


@dataclass
class ResultatImport:
    comite: str
    importes: list[str] = field(default_factory=list)
    erreurs: list[dict[str, Any]] = field(default_factory=list)  # {"position", "reference", "erreurs"}


Controles = dict[str, Controle]


def _comite(uow: UniteDeTravail, code: str, agent: Agent, action: str, pour_modifier: bool = False) -> Comite:
    """La réunion, si l'agent peut y faire `action`. `pour_modifier` la verrouille : deux inscriptions
    simultanées ne s'écrasent pas l'une l'autre."""
    acces.verifier(agent, action, comite=code)
    comite = uow.comites.obtenir(code, pour_modifier=pour_modifier)
    if comite is None:
        raise ComiteIntrouvable(code)
    return comite


def lister_comites(uow: UniteDeTravail, agent: Agent) -> list[Comite]:
    """Les réunions que l'agent peut voir (un membre du comité : les siennes)."""
    acces.verifier(agent, "lister_comites")
    with uow:
        comites = uow.comites.lister()
    return [c for c in comites if acces.decider(agent, "voir_comite", comite=c.code) == acces.AUTORISE]


def consulter_comite(uow: UniteDeTravail, code: str, agent: Agent) -> Comite:
    with uow:
        return _comite(uow, code, agent, "voir_comite")


def creer_comite(uow: UniteDeTravail, territoire: Territoire, agent: Agent, jour: date, contrat: str,
                 code: Optional[str] = None, membres: Optional[list[Membre]] = None) -> Comite:
    acces.verifier(agent, "creer_comite")
    ids = [c.id for c in territoire.contrats_tous()]
    if contrat not in ids:
        raise SaisieRefusee("contrat", f"« {contrat} » inconnu ; possibles : {', '.join(ids)}")
    comite = Comite.creer(territoire.contrat(contrat), jour, code, membres)
    with uow:
        if uow.comites.obtenir(comite.code) is not None:
            raise ComiteExistant(comite.code)
        uow.comites.ajouter(comite)
        uow.valider()
    return comite


def _inscrire(comite: Comite, dossier: DossierInstruit, auteur: str, quand: datetime) -> None:
    dossier.passer(INSCRIT_COMITE, auteur, quand, f"inscription à l'ordre du jour du comité {comite.code}", comite.code)
    comite.inscrire(dossier.reference)


def inscrire(uow: UniteDeTravail, code: str, references: Sequence[str], agent: Agent,
             horloge: Horloge = maintenant) -> None:
    """Inscrit des dossiers à l'avis rendu (ou ajournés par un autre comité), dans cet ordre ; un seul refus et
    rien n'est inscrit."""
    with uow:
        comite = _comite(uow, code, agent, "gerer_comite", pour_modifier=True)
        for reference in references:
            dossier = obtenir_dossier(uow, reference, agent, "changer_etat")
            _inscrire(comite, dossier, agent.auteur, horloge())
            uow.dossiers.enregistrer(dossier)
        uow.comites.enregistrer(comite)
        uow.valider()


def retirer(uow: UniteDeTravail, code: str, reference: str, agent: Agent, motif: str,
            horloge: Horloge = maintenant) -> None:
    with uow:
        comite = _comite(uow, code, agent, "gerer_comite", pour_modifier=True)
        dossier = obtenir_dossier(uow, reference, agent, "changer_etat")
        comite.retirer(reference)
        dossier.passer(AVIS_RENDU, agent.auteur, horloge(), motif, code)
        uow.dossiers.enregistrer(dossier)
        uow.comites.enregistrer(comite)
        uow.valider()


def _evaluer_lot(guichet: Guichet, dossiers: Sequence[DossierInstruit], date_imposee: Optional[date], auteur: str,
                 quand: datetime, progression: Progression) -> None:
    a_evaluer = [d for d in dossiers if not d.clos]
    lot = [d.donnees for d in a_evaluer]
    for fait, (dossier, resultat) in enumerate(zip(a_evaluer, guichet.evaluer_lot(lot, date_imposee)), 1):
        evaluer_et_ajouter(dossier, resultat, date_imposee, auteur, quand)
        progression("évaluation", fait, len(a_evaluer))


def importer(uow: UniteDeTravail, guichet: Guichet, code: str, entrees: Sequence[Any], agent: Agent,
             date_imposee: Optional[date] = None, progression: Progression = _sans_progression,
             horloge: Horloge = maintenant) -> ResultatImport:
    """Dépose, évalue et inscrit à l'ordre du jour chaque dossier valide de la liste, en une transaction."""
    resultat = ResultatImport(code)
    auteur = agent.auteur
    with uow:
        comite = _comite(uow, code, agent, "gerer_comite", pour_modifier=True)
        nouveaux: list[DossierInstruit] = []
        vues: set[str] = set()
        for position, donnees in enumerate(entrees, 1):
            dossier, erreurs = guichet.valider(donnees)
            if dossier is not None and (dossier.reference in vues or uow.dossiers.obtenir(dossier.reference)):
                erreurs = [DossierExistant(dossier.reference)]
                dossier = None
            if dossier is None:
                resultat.erreurs.append({"position": position, "reference": reference_de(donnees),
                                         "erreurs": [_en_json(e) for e in erreurs]})
            else:
                vues.add(dossier.reference)
                motif = f"import pour le comité {code}"
                nouveaux.append(DossierInstruit.creer(dossier, auteur, horloge(), motif=motif))
            progression("lecture", position, len(entrees))
        for dossier in nouveaux:
            dossier.passer(EN_INSTRUCTION, auteur, horloge(), f"instruction pour le comité {code}")
        _evaluer_lot(guichet, nouveaux, date_imposee, auteur, horloge(), progression)
        for fait, dossier in enumerate(nouveaux, 1):
            dossier.passer(AVIS_RENDU, auteur, horloge(), f"avis calculé pour le comité {code}")
            _inscrire(comite, dossier, auteur, horloge())
            uow.dossiers.ajouter(dossier)
            resultat.importes.append(dossier.reference)
            progression("enregistrement", fait, len(nouveaux))
        conserver_regles(uow, guichet.base)
        uow.comites.enregistrer(comite)
        uow.valider()
    return resultat


def noter_presence(uow: UniteDeTravail, code: str, presences: dict[str, tuple[str, bool]], agent: Agent) -> Comite:
    """La feuille de présence de la réunion (art. 5.2 : un représentant technique de chaque structure)."""
    with uow:
        comite = _comite(uow, code, agent, "gerer_comite", pour_modifier=True)
        comite.noter_presence(presences)
        uow.comites.enregistrer(comite)
        uow.valider()
    return comite


def _en_json(erreur: Any) -> dict[str, Any]:
    if isinstance(erreur, ErreurInstruction):
        return {"champ": erreur.champ or "reference", "message": erreur.message}
    return erreur.en_json()


def evaluer_comite(uow: UniteDeTravail, guichet: Guichet, controles: Controles, code: str, agent: Agent,
                   date_imposee: Optional[date] = None, progression: Progression = _sans_progression,
                   horloge: Horloge = maintenant) -> Comite:
    """Réévalue tout l'ordre du jour (sauf les dossiers déjà décidés) et refait les contrôles croisés."""
    with uow:
        comite = _comite(uow, code, agent, "gerer_comite", pour_modifier=True)
        dossiers = [obtenir_dossier(uow, r, agent, "evaluer") for r in comite.ordre_du_jour]
        quand = horloge()
        _evaluer_lot(guichet, dossiers, date_imposee, agent.auteur, quand, progression)
        comite.controles, _ = controler([d.donnees for d in dossiers], comite.date, guichet.apparier, controles,
                                        guichet.territoire, comite.contrat)
        comite.evalue_le, comite.version_regles = quand, guichet.base.empreinte
        for dossier in dossiers:
            uow.dossiers.enregistrer(dossier)
        conserver_regles(uow, guichet.base)
        uow.comites.enregistrer(comite)
        uow.valider()
    return comite


def decider(uow: UniteDeTravail, code: str, reference: str, decisions: dict[str, str], motif: str, agent: Agent,
            horloge: Horloge = maintenant, montants: Optional[dict[str, Decimal]] = None,
            dispositifs: Optional[dict[str, str]] = None) -> None:
    """Le relevé des décisions, après la réunion : une décision par financeur pour un dossier de l'ordre du jour,
    avec, pour une décision favorable, le montant accordé et l'enveloppe de la réunion qu'il consomme."""
    quand = horloge()
    with uow:
        comite = _comite(uow, code, agent, "decider")
        if jour_de(quand) < comite.date:
            raise Refus(f"les décisions du comité « {code} » s'enregistrent après sa réunion du "
                                    f"{comite.date:%d/%m/%Y}", reference)
        if reference not in comite.ordre_du_jour:
            raise Refus(f"absent de l'ordre du jour du comité « {code} »", reference)
        dossier = obtenir_dossier(uow, reference, agent, "changer_etat")
        enveloppes = uow.comites.enveloppes(code)
        # The envelope named (or the funder's only one) is checked here: the dossier knows no envelopes.
        imputes = {f: enveloppes_comite.dispositif_de(enveloppes, f, (dispositifs or {}).get(f))
                   for f, d in decisions.items() if d == "favorable" and f in FINANCEURS}
        dossier.decider(decisions, motif, agent.auteur, quand, comite=code, montants=montants,
                        dispositifs={f: x for f, x in imputes.items() if x})
        uow.dossiers.enregistrer(dossier)
        uow.valider()


def comparer_comite(uow: UniteDeTravail, guichet: Guichet, code: str, agent: Agent,
                    date_imposee: Optional[date] = None) -> list[dict[str, Any]]:
    """Rejoue l'ordre du jour sous `guichet` (d'autres règles) et/ou à une autre date, sans rien enregistrer :
    pour chaque dossier, ce qui change par rapport à sa dernière évaluation enregistrée. Le dossier rejoué est
    celui que cette évaluation a lu : seules les règles et la date changent, pas les données."""
    with uow:
        dossiers = [obtenir_dossier(uow, r, agent, "voir", pour_modifier=False)
                    for r in _comite(uow, code, agent, "voir_comite").ordre_du_jour]
    lues = [d.derniere_evaluation.donnees if d.derniere_evaluation else d.donnees.model_dump(mode="json")
            for d in dossiers]
    nouvelles = guichet.evaluer_lot(lues, date_imposee)
    return [comparer(d.derniere_evaluation.resultat if d.derniere_evaluation else None, n)
            for d, n in zip(dossiers, nouvelles)]


def rapport(uow: UniteDeTravail, guichet: Guichet, controles_comite: Controles, code: str, agent: Agent,
            horloge: Horloge = maintenant) -> dict[str, Any]:
    territoire = guichet.territoire
    with uow:
        comite = _comite(uow, code, agent, "voir_comite")
        dossiers = [obtenir_dossier(uow, r, agent, "voir", pour_modifier=False) for r in comite.ordre_du_jour]
        enveloppes = uow.comites.enveloppes(code)
    # The cross-checks are redone on the agenda as it is now, so the report never contradicts its table.
    controles, _ = controler([d.donnees for d in dossiers], comite.date, guichet.apparier, controles_comite,
                             territoire, comite.contrat)
    suivis = enveloppes_comite.suivre(enveloppes, services_enveloppes.demandes(dossiers, code))
    return rapport_comite.construire(comite, territoire.contrat(comite.contrat), dossiers, territoire, controles,
                                     horloge(), enveloppes=suivis)


def evaluer_liste(guichet: Guichet, controles_comite: Controles, entrees: Sequence[Any], agent: Agent,
                  date_imposee: Optional[date] = None, contrat: Optional[str] = None,
                  progression: Progression = _sans_progression, horloge: Horloge = maintenant) -> dict[str, Any]:
    """Le rapport d'une liste de dossiers lue dans un fichier, sans rien enregistrer (`guichet comite evaluate`)."""
    territoire, auteur = guichet.territoire, agent.auteur
    ids = [c.id for c in territoire.contrats_tous()]
    if contrat is not None and contrat not in ids:
        raise SaisieRefusee("contrat", f"« {contrat} » inconnu ; possibles : {', '.join(ids)}")
    quand = horloge()
    dossiers, erreurs, vues = [], [], set()
    for position, donnees in enumerate(entrees, 1):
        dossier, fautes = guichet.valider(donnees)
        if dossier is not None and dossier.reference in vues:
            # The same reference twice would be counted twice in the totals: the first one stands.
            dossier, fautes = None, [DossierExistant(dossier.reference)]
        if dossier is None:
            erreurs.append({"position": position, "reference": reference_de(donnees),
                            "erreurs": [_en_json(e) for e in fautes]})
        else:
            vues.add(dossier.reference)
            dossiers.append(DossierInstruit.transitoire(dossier))
        progression("lecture", position, len(entrees))
    _evaluer_lot(guichet, dossiers, date_imposee, auteur, quand, progression)
    jour = date_imposee or jour_de(quand)
    contrat = contrat or _contrat_majoritaire(territoire, dossiers, jour)
    fiche = territoire.contrat(contrat) if contrat else None
    comite = Comite(code=f"liste-{jour.isoformat()}", date=jour, contrat=contrat or "",
                    membres=[Membre(s) for s in fiche.comite_technique] if fiche else [],
                    ordre_du_jour=[d.reference for d in dossiers], evalue_le=quand)
    controles, _ = controler([d.donnees for d in dossiers], jour, guichet.apparier, controles_comite, territoire,
                             contrat)
    return rapport_comite.construire(comite, fiche, dossiers, territoire, controles, quand, erreurs)


def _contrat_majoritaire(territoire: Territoire, dossiers: Sequence[DossierInstruit], jour: date) -> Optional[str]:
    """Le contrat qui couvre le plus de dossiers de la liste : c'est le comité de ce contrat qui les examine."""
    compte: dict[str, int] = {}
    for d in dossiers:
        for c in territoire.contrats(d.donnees.projet.commune_insee, d.donnees.date_depot or jour):
            compte[c] = compte.get(c, 0) + 1
    return max(compte, key=lambda c: (compte[c], c)) if compte else None
