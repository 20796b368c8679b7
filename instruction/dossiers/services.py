"""Les cas d'usage de l'instruction d'un dossier, chacun dans une unité de travail, pour un agent.

Chaque cas d'usage passe par la politique d'accès (`instruction.acces`) avant d'agir. Une saisie
invalide revient en valeur (la liste des erreurs, chacune nommant son champ) ; une demande
impossible (dossier introuvable ou invisible, action interdite, transition interdite) lève une
`ErreurInstruction` et rien n'est enregistré.
"""
from datetime import date, datetime
from typing import Any, Optional

from forms.dossier import Dossier
from forms.validation import ErreurChamp
from instruction import acces
from instruction.acces import Agent, CibleDossier
from instruction.dossiers.corrections import Correction
from instruction.dossiers.cycle import CLASSE_SANS_SUITE, INSCRIT_COMITE
from instruction.dossiers.dossier_instruit import DossierInstruit, EvaluationEnregistree
from instruction.erreurs import DossierExistant, DossierIntrouvable, VersionReglesInconnue
from instruction.evaluation.guichet import Guichet
from instruction.evaluation.resultat import Resultat
from instruction.ports import ResumeDossier, UniteDeTravail
from instruction.temps import Horloge, jour_de, maintenant
from rules.base import BaseDeRegles


def cible(uow: UniteDeTravail, dossier: DossierInstruit, agent: Agent) -> CibleDossier:
    """Ce que la politique lit du dossier ; les réunions qui l'ont à leur ordre du jour ne sont cherchées
    que pour un membre du comité, le seul rôle qu'elles concernent."""
    comites = uow.comites.codes_pour(dossier.reference) if agent.role == "membre_comite" else frozenset()
    return CibleDossier(dossier.reference, dossier.proprietaire, comites)


def obtenir_dossier(uow: UniteDeTravail, reference: str, agent: Agent, action: str,
                    pour_modifier: bool = True, complet: bool = True) -> DossierInstruit:
    """Le dossier, si l'agent peut y faire `action` ; introuvable s'il ne peut pas le voir. `complet=False` : sans
    les évaluations antérieures à la dernière (pour agir sur le dossier, pas pour lire son historique)."""
    dossier = uow.dossiers.obtenir(reference, pour_modifier=pour_modifier, complet=complet)
    if dossier is None:
        raise DossierIntrouvable(reference)
    acces.verifier(agent, action, cible(uow, dossier, agent))
    return dossier


def deposer(uow: UniteDeTravail, guichet: Guichet, donnees: Any, agent: Agent, brouillon: bool = False,
            horloge: Horloge = maintenant) -> list[ErreurChamp]:
    """Enregistre une demande (déposée, ou brouillon) ; renvoie ses erreurs de saisie, vide si elle est reçue.
    Un porteur en devient le propriétaire ; un dossier saisi par les services n'en a pas."""
    acces.verifier(agent, "deposer")
    dossier, erreurs = guichet.valider(donnees)
    if dossier is None:
        return erreurs
    proprietaire = agent.id if agent.role == "porteur" else None
    with uow:
        if uow.dossiers.obtenir(dossier.reference) is not None:
            raise DossierExistant(dossier.reference)
        etat = "brouillon" if brouillon else "depose"
        uow.dossiers.ajouter(DossierInstruit.creer(dossier, agent.auteur, horloge(), etat, proprietaire=proprietaire))
        uow.valider()
    return []


def modifier(uow: UniteDeTravail, guichet: Guichet, donnees: Any, agent: Agent,
             horloge: Horloge = maintenant) -> list[ErreurChamp]:
    """Le porteur complète sa demande : les données changent (chaque changement est noté), les évaluations
    passées restent."""
    dossier_saisi, erreurs = guichet.valider(donnees)
    if dossier_saisi is None:
        return erreurs
    with uow:
        dossier = obtenir_dossier(uow, dossier_saisi.reference, agent, "modifier")
        dossier.remplacer_donnees(dossier_saisi, agent.auteur, horloge())
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    return []


def conserver_regles(uow: UniteDeTravail, base: BaseDeRegles) -> None:
    """Garde les fichiers de règles d'une version employée, pour rejouer ses avis plus tard."""
    uow.regles.conserver(base.empreinte, base.textes)


def evaluer_et_ajouter(dossier: DossierInstruit, resultat: Resultat, date_imposee: Optional[date],
                       auteur: str, quand: datetime) -> EvaluationEnregistree:
    jour = date_imposee or dossier.donnees.date_depot or jour_de(quand)
    return dossier.ajouter_evaluation(resultat, jour, auteur, quand)


def evaluer_sans_enregistrer(guichet: Guichet, donnees: Any, agent: Agent, date_imposee: Optional[date] = None,
                             horloge: Horloge = maintenant) -> tuple[Optional[DossierInstruit], list[ErreurChamp]]:
    """Un dossier lu dans un fichier, évalué comme `guichet evaluate` le ferait, pour un avis ou un rapport."""
    valide, erreurs = guichet.valider(donnees)
    if valide is None:
        return None, erreurs
    dossier = DossierInstruit.transitoire(valide)
    evaluer_et_ajouter(dossier, guichet.evaluer(valide, date_imposee), date_imposee, agent.auteur, horloge())
    return dossier, []


def evaluer(uow: UniteDeTravail, guichet: Guichet, reference: str, agent: Agent, date_imposee: Optional[date] = None,
            horloge: Horloge = maintenant) -> EvaluationEnregistree:
    """Évalue le dossier tel qu'il est et ajoute l'évaluation à son historique (jamais d'écrasement)."""
    with uow:
        # Locked: two evaluations at once take turns. No evaluation is read back, only their number: adding the
        # next one needs none of them (a result is ~13 KB of JSON to fetch and decode).
        dossier = uow.dossiers.obtenir_plusieurs([reference], pour_modifier=True, pour_evaluer=True).get(reference)
        if dossier is None:
            raise DossierIntrouvable(reference)
        acces.verifier(agent, "evaluer", cible(uow, dossier, agent))
        resultat = guichet.evaluer(dossier.donnees, date_imposee)
        evaluation = evaluer_et_ajouter(dossier, resultat, date_imposee, agent.auteur, horloge())
        conserver_regles(uow, guichet.base)
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    return evaluation


def changer_etat(uow: UniteDeTravail, reference: str, vers: str, agent: Agent, motif: str,
                 horloge: Horloge = maintenant) -> None:
    """Un changement d'état ; classer sans suite est aussi le retrait de sa demande par le porteur."""
    action = "retirer_demande" if vers == CLASSE_SANS_SUITE and agent.role == "porteur" else "changer_etat"
    with uow:
        dossier = obtenir_dossier(uow, reference, agent, action, complet=False)
        reunion = dossier.comite_en_cours if dossier.etat == INSCRIT_COMITE else None
        dossier.passer(vers, agent.auteur, horloge(), motif)
        if reunion is not None:
            # A withdrawn dossier leaves its meeting's agenda in the same transaction.
            comite = uow.comites.obtenir(reunion, pour_modifier=True)
            if comite is not None and reference in comite.ordre_du_jour:
                comite.retirer(reference)
                uow.comites.enregistrer(comite)
        uow.dossiers.enregistrer(dossier)
        uow.valider()


def corriger(uow: UniteDeTravail, reference: str, genre: str, cible_corrigee: Optional[str], valeur: str,
             justification: str, agent: Agent, horloge: Horloge = maintenant) -> Correction:
    with uow:
        dossier = obtenir_dossier(uow, reference, agent, "corriger")
        correction = dossier.corriger(genre, cible_corrigee, valeur, justification, agent.auteur, horloge())
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    return correction


def revoir_correction(uow: UniteDeTravail, reference: str, numero: int, maintenir: bool, agent: Agent,
                      justification: str, horloge: Horloge = maintenant) -> None:
    """Maintenir (confirmer) ou retirer une correction, par exemple une correction « à revoir »."""
    with uow:
        dossier = obtenir_dossier(uow, reference, agent, "revoir_correction")
        if maintenir:
            dossier.confirmer_correction(numero, agent.auteur, justification, horloge())
        else:
            dossier.retirer_correction(numero, agent.auteur, justification, horloge())
        uow.dossiers.enregistrer(dossier)
        uow.valider()


def consulter(uow: UniteDeTravail, reference: str, agent: Agent) -> DossierInstruit:
    with uow:
        return obtenir_dossier(uow, reference, agent, "voir", pour_modifier=False)


def voit_tous_les_dossiers(agent: Agent) -> bool:
    """Les services voient tous les dossiers : leurs listes peuvent être filtrées et paginées en base."""
    return acces.decider(agent, "rechercher_dossiers") == acces.AUTORISE


def page_de_tous(uow: UniteDeTravail, agent: Agent, etat: Optional[str], avis: Optional[str],
                 commune: Optional[str], limite: int, decalage: int) -> tuple[list[ResumeDossier], int]:
    """Une page de tous les dossiers et leur nombre, pour un agent qui les voit tous (sinon : interdit)."""
    acces.verifier(agent, "rechercher_dossiers")
    with uow:
        return uow.dossiers.page(etat, avis, commune, limite, decalage)


def lister(uow: UniteDeTravail, agent: Agent, etat: Optional[str] = None) -> list[ResumeDossier]:
    """Les dossiers que l'agent peut voir : les siens pour un porteur, ceux de ses réunions pour un membre
    du comité, tous pour les services ; la politique filtre aussi ce que le dépôt rend."""
    acces.verifier(agent, "lister_dossiers")
    comites_de: dict[str, set[str]] = {}
    with uow:
        if agent.role == "membre_comite":
            for comite in uow.comites.lister():
                if comite.code in agent.comites:
                    for reference in comite.ordre_du_jour:
                        comites_de.setdefault(reference, set()).add(comite.code)
            resumes = uow.dossiers.lister(etat, references=frozenset(comites_de))
        else:
            resumes = uow.dossiers.lister(etat, proprietaire=agent.id if agent.role == "porteur" else None)
    return acces.visibles(agent, resumes, lambda r: CibleDossier(r.reference, r.proprietaire,
                                                                 frozenset(comites_de.get(r.reference, ()))))


def donnees_des_dossiers(uow: UniteDeTravail, agent: Agent) -> list[Dossier]:
    """Les données actuelles (celles que le porteur a complétées) de chaque dossier que l'agent peut voir."""
    references = [r.reference for r in lister(uow, agent)]
    with uow:
        return [d.donnees for r in references if (d := uow.dossiers.obtenir(r)) is not None]


def base_de_version(uow: UniteDeTravail, version: str) -> BaseDeRegles:
    """Les règles d'une version déjà employée (« sha256:<empreinte>/… » ou l'empreinte seule)."""
    empreinte = version.removeprefix("sha256:").split("/")[0].split("@")[0]
    with uow:
        textes = uow.regles.obtenir(empreinte)
    if textes is None:
        raise VersionReglesInconnue(version)
    return BaseDeRegles.depuis_textes(textes)

