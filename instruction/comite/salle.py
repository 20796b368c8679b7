"""La salle du comité : ce que montrent les pages d'une réunion (ordre du jour, séance, enveloppes, « et si ? »),
déjà décidé ici, avec les capacités de l'agent pour que les pages ne testent jamais de rôle ; et les cas d'usage
qui manquaient aux pages : ranger l'ordre du jour, lister les dossiers à inscrire, rejouer sous une version.
"""
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

from forms.dossier import montant_exact
from forms.libelles import LIBELLES_AVIS, LIBELLES_DECISIONS, LIBELLES_STATUTS, NOMS_FINANCEURS
from forms.valeurs import FINANCEURS
from instruction import acces
from instruction.acces import AUTORISE, Agent
from instruction.comite import enveloppes as env
from instruction.comite.reunion import Comite
from instruction.comite.services import comparer_comite
from instruction.comite.services_enveloppes import demandes
from instruction.documents import rapport
from instruction.documents.financement import FERMES, demandes_detaillees
from instruction.dossiers import services as services_dossiers
from instruction.dossiers.cycle import AVIS_RENDU
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.dossiers.services import obtenir_dossier
from instruction.erreurs import ComiteIntrouvable, DossierIntrouvable, Refus
from instruction.evaluation.guichet import Guichet
from instruction.evaluation.territoire import Territoire
from instruction.ports import ResumeDossier, UniteDeTravail
from instruction.temps import jour_de

CANDIDATS_MAX = 50  # dossiers offered as checkboxes; beyond, references are typed


def capacites(agent: Agent, code: str) -> dict[str, bool]:
    return {action: acces.decider(agent, action, comite=code) == AUTORISE
            for action in ("voir_comite", "gerer_comite", "decider")}


def _comite(uow: UniteDeTravail, code: str, agent: Agent, action: str = "voir_comite",
            pour_modifier: bool = False) -> Comite:
    acces.verifier(agent, action, comite=code)
    comite = uow.comites.obtenir(code, pour_modifier=pour_modifier)
    if comite is None:
        raise ComiteIntrouvable(code)
    return comite


def _entete(comite: Comite, territoire: Territoire) -> dict[str, Any]:
    contrat = territoire.contrat(comite.contrat) if comite.contrat in {c.id for c in territoire.contrats_tous()} \
        else None
    return {"code": comite.code, "date": comite.date, "contrat": contrat.nom if contrat else comite.contrat,
            "membres": comite.membres, "presence_notee": any(m.present is not None for m in comite.membres),
            "presents": sum(1 for m in comite.membres if m.present), "evalue_le": comite.evalue_le,
            "version_regles": comite.version_regles, "controles": comite.controles,
            "nombre": len(comite.ordre_du_jour)}


def entete(uow: UniteDeTravail, territoire: Territoire, code: str, agent: Agent) -> dict[str, Any]:
    """L'en-tête des pages d'une réunion (date, contrat, membres, dernière évaluation) ; 404 pour qui ne la voit pas."""
    with uow:
        return _entete(_comite(uow, code, agent), territoire)


def _suivis(suivis: list[env.Suivi]) -> list[dict[str, Any]]:
    return [{"financeur": s.financeur, "nom": NOMS_FINANCEURS[s.financeur],
             "dispositif": s.enveloppe.dispositif if s.enveloppe else None,
             "source": s.enveloppe.source if s.enveloppe else "", "montant": s.montant, "propose": s.propose,
             "decide": s.decide, "reste": s.reste, "depassee": s.depassee,
             "propositions_au_dela": s.propositions_au_dela, "demandes": s.demandes} for s in suivis]


def consulter(uow: UniteDeTravail, territoire: Territoire, code: str, agent: Agent,
              quand: Optional[datetime] = None) -> dict[str, Any]:
    """La réunion telle que ses pages la montrent : en-tête, ordre du jour ligne à ligne (avis retenu, décisions
    de la réunion), contrôles croisés de la dernière évaluation, enveloppes suivies, capacités de l'agent."""
    with uow:
        comite = _comite(uow, code, agent)
        dossiers = [obtenir_dossier(uow, r, agent, "voir", pour_modifier=False) for r in comite.ordre_du_jour]
        enveloppes = uow.comites.enveloppes(code)
    suivis = env.suivre(enveloppes, demandes(dossiers, code))
    lignes = []
    for rang, dossier in enumerate(dossiers, 1):
        ligne = rapport.ligne(rang, dossier, territoire, code)
        ligne["decisions_prises"] = [{"financeur": NOMS_FINANCEURS[x.financeur],
                                      "decision": LIBELLES_DECISIONS[x.decision], "montant": x.montant,
                                      "dispositif": x.dispositif} for x in dossier.decisions_du_comite(code)]
        ligne.update(premier=rang == 1, dernier=rang == len(dossiers))
        lignes.append(ligne)
    capacite = capacites(agent, code)
    jour = jour_de(quand) if quand else None
    return {"comite": _entete(comite, territoire), "lignes": lignes, "enveloppes": _suivis(suivis),
            "enveloppes_depassees": [s for s in _suivis(suivis) if s["depassee"]],
            "capacites": capacite,
            # Decisions are recorded after the meeting has started (services.decider says so too).
            "decisions_ouvertes": capacite["decider"] and (jour is None or jour >= comite.date),
            "financeurs": [{"id": f, "nom": NOMS_FINANCEURS[f]} for f in FINANCEURS]}


def ordonner(uow: UniteDeTravail, code: str, reference: str, decalage: int, agent: Agent) -> None:
    """Monte (`decalage` -1) ou descend (+1) un dossier de l'ordre du jour."""
    with uow:
        comite = _comite(uow, code, agent, "gerer_comite", pour_modifier=True)
        comite.deplacer(reference, decalage)
        uow.comites.enregistrer(comite)
        uow.valider()


def candidats(uow: UniteDeTravail, code: str, agent: Agent) -> list[ResumeDossier]:
    """Les dossiers dont l'avis est rendu et qui attendent un comité (les premiers, par référence)."""
    with uow:
        _comite(uow, code, agent, "gerer_comite")
    return services_dossiers.lister(uow, agent, etat=AVIS_RENDU)[:CANDIDATS_MAX]


def _financeurs_du_dossier(dossier: DossierInstruit, code: str, enveloppes: list[env.Enveloppe]) -> list[dict]:
    """Pour le formulaire de décision : chaque financeur, son statut retenu, la demande proposée, la décision
    déjà prise à cette réunion, et les enveloppes qui peuvent la porter."""
    d = dossier.donnees_evaluees()
    retenue = dossier.evaluation_retenue()
    statuts = retenue.statuts() if retenue else {}
    proposes: dict[str, Decimal] = {}
    for financeur, statut, montant in demandes_detaillees(d):
        if statut == "sollicite":
            proposes[financeur] = proposes.get(financeur, Decimal(0)) + montant_exact(montant)
    prises = {x.financeur: x for x in dossier.decisions_du_comite(code)}
    return [{"id": f, "nom": NOMS_FINANCEURS[f], "statut": statuts.get(f),
             "statut_libelle": LIBELLES_STATUTS.get(statuts.get(f), "non évalué"),
             "ouvert": statuts.get(f) not in FERMES, "propose": proposes.get(f),
             "decision": prises.get(f), "decision_libelle": LIBELLES_DECISIONS[prises[f].decision] if f in prises
             else None, "dispositifs": [e.dispositif for e in enveloppes if e.financeur == f]}
            for f in FINANCEURS]


def dossier_en_seance(uow: UniteDeTravail, code: str, reference: str, agent: Agent) -> dict[str, Any]:
    """Un dossier de l'ordre du jour : 404 s'il n'y est pas (même pour qui pourrait le voir ailleurs)."""
    with uow:
        comite = _comite(uow, code, agent)
        if reference not in comite.ordre_du_jour:
            raise DossierIntrouvable(reference)
        dossier = obtenir_dossier(uow, reference, agent, "voir", pour_modifier=False)
        enveloppes = uow.comites.enveloppes(code)
    rang = comite.ordre_du_jour.index(reference) + 1
    retenue = dossier.evaluation_retenue()
    return {"reference": reference, "rang": rang, "titre": dossier.donnees.projet.titre or "sans titre",
            "etat": dossier.etat, "avis_libelle": LIBELLES_AVIS[retenue.avis] if retenue else "non évalué",
            "financeurs": _financeurs_du_dossier(dossier, code, enveloppes), "capacites": capacites(agent, code),
            "motifs_pris": sorted({x.motif for x in dossier.decisions_du_comite(code)})}


def versions_employees(uow: UniteDeTravail, code: str, agent: Agent) -> list[str]:
    """Les versions des règles qu'ont employées les évaluations des dossiers de la réunion, de la plus récente
    à la plus ancienne : celles qu'« et si ? » peut rejouer."""
    with uow:
        comite = _comite(uow, code, agent)
        dossiers = [obtenir_dossier(uow, r, agent, "voir", pour_modifier=False) for r in comite.ordre_du_jour]
    vues: dict[str, datetime] = {}
    for d in dossiers:
        for e in d.evaluations:
            vues[e.version_regles] = max(vues.get(e.version_regles, e.quand), e.quand)
    return sorted(vues, key=lambda v: vues[v], reverse=True)


def et_si(uow: UniteDeTravail, guichet: Guichet, code: str, agent: Agent, jour: Optional[date],
          version: Optional[str]) -> list[dict[str, Any]]:
    """« Et si ? » : l'ordre du jour rejoué à une autre date et/ou sous une version des règles déjà employée ;
    chaque changement avec ses libellés. Rien n'est enregistré."""
    if version:
        base = services_dossiers.base_de_version(uow, version)
        guichet = Guichet(base, guichet.territoire, moteur=guichet.moteur)
    if jour is None and not version:
        raise Refus("donnez une date, une version des règles, ou les deux")
    resultats = comparer_comite(uow, guichet, code, agent, jour)
    for r in resultats:
        if r.get("avis"):
            r["avis"] = {**r["avis"], "avant_libelle": LIBELLES_AVIS.get(r["avis"]["avant"], "non évalué"),
                         "apres_libelle": LIBELLES_AVIS[r["avis"]["apres"]]}
        for f in r["financeurs"]:
            f.update(nom=NOMS_FINANCEURS[f["financeur"]], avant_libelle=LIBELLES_STATUTS.get(f["avant"], "—"),
                     apres_libelle=LIBELLES_STATUTS[f["apres"]])
    return resultats
