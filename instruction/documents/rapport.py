"""Le rapport du comité technique, prêt à mettre en page : l'en-tête de la réunion, le tableau de
synthèse, l'ordre du jour, les contrôles croisés, les totaux par financeur et le relevé des décisions.

Tout est décidé ici ; les gabarits et les exports ne font que présenter ces valeurs.
"""
from datetime import datetime
from decimal import Decimal
from typing import Any, Optional, Sequence

from forms.dossier import montant_exact
from forms.libelles import (
    LIBELLES_AVIS,
    LIBELLES_DECISIONS,
    LIBELLES_ETATS,
    LIBELLES_PORTEURS,
    LIBELLES_STATUTS,
    NOMS_FINANCEURS,
)
from forms.valeurs import FINANCEURS
from instruction.comite.enveloppes import Suivi
from instruction.comite.reunion import Comite
from instruction.documents.financement import FERMES, demandes_detaillees
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.evaluation.territoire import Contrat, Territoire
from rules.documents import avec_titre


def _commune(territoire: Territoire, insee: Optional[str]) -> str:
    commune = territoire.commune(insee)
    return f"{commune.nom} ({insee})" if commune else (insee or "non renseignée")


def _decisions(dossier: DossierInstruit, code: str) -> list:
    """Les décisions de cette réunion : un dossier ajourné revient devant une autre avec une page blanche."""
    return [x for x in dossier.decisions if x.comite in (code, None)]


def ligne(rang: int, dossier: DossierInstruit, territoire: Territoire, code: str) -> dict[str, Any]:
    evaluation = dossier.derniere_evaluation
    # A row shows the dossier as its avis read it: newer data would sit beside an older computation.
    d = dossier.donnees_evaluees()
    calcule = evaluation.resultat if evaluation else None
    retenue = dossier.evaluation_retenue()
    statuts = retenue.statuts() if retenue else {}
    decisions = {x.financeur: x.decision for x in _decisions(dossier, code)}
    return {
        "rang": rang,
        "reference": d.reference,
        "titre": d.projet.titre or "sans titre",
        "porteur": d.porteur.nom or "non renseigné",
        "type_porteur": LIBELLES_PORTEURS.get(d.porteur.type, "non renseigné"),
        "commune": _commune(territoire, d.projet.commune_insee),
        "cout_total_ht": d.budget.cout_total_ht,
        "montant_sollicite": d.budget.montant_sollicite,
        "etat": dossier.etat,
        # Adjourned is not decided: the meeting sent it back, it waits for another one.
        "etat_libelle": "Ajourné" if dossier.ajourne else LIBELLES_ETATS[dossier.etat],
        "evalue": evaluation is not None,
        "donnees_modifiees": d != dossier.donnees,
        "avis": retenue.avis if retenue else None,
        "avis_libelle": LIBELLES_AVIS[retenue.avis] if retenue else "non évalué",
        "avis_calcule": calcule.avis if calcule else None,
        "avis_calcule_libelle": LIBELLES_AVIS[calcule.avis] if calcule else "non évalué",
        "avis_corrige": bool(calcule and retenue and calcule.avis != retenue.avis),
        "statuts": {f: statuts.get(f) for f in FINANCEURS},
        "statuts_libelles": {f: LIBELLES_STATUTS.get(statuts.get(f), "—") for f in FINANCEURS},
        "orientation": list(retenue.orientation) if retenue else [],
        "orientation_noms": [NOMS_FINANCEURS[f] for f in retenue.orientation] if retenue else [],
        "informations_manquantes": list(retenue.informations_manquantes) if retenue else [],
        "corrections": sum(1 for c in dossier.corrections if c.active),
        "corrections_a_revoir": sum(1 for c in dossier.corrections if c.active and c.a_revoir),
        "statuts_corriges": sorted({c.cible for c in dossier.corrections if c.active and c.genre == "statut"}),
        "decisions": {f: decisions.get(f) for f in FINANCEURS},
        "decisions_libelles": {f: LIBELLES_DECISIONS.get(decisions.get(f), "") for f in FINANCEURS},
        "version_regles": evaluation.version_regles if evaluation else None,
    }


def _fichiers_de_regles(version: str) -> str:
    """« sha256:<fichiers>/<règles en vigueur>@<date> » sans la date : la version des fichiers et du jeu."""
    return version.split("@")[0]


def _releve(dossiers: Sequence[DossierInstruit], code: str) -> list[dict[str, Any]]:
    """Une ligne par décision prise ; un dossier sans décision garde une ligne à remplir."""
    releve = []
    for d in dossiers:
        decisions = _decisions(d, code)
        if not decisions:
            releve.append({"reference": d.reference, "financeur": None, "decision": None, "motif": "",
                           "auteur": "", "quand": None, "montant": None, "dispositif": None})
        for x in decisions:
            releve.append({"reference": d.reference, "financeur": NOMS_FINANCEURS[x.financeur],
                           "decision": LIBELLES_DECISIONS[x.decision], "motif": x.motif, "auteur": x.auteur,
                           "quand": x.quand, "montant": x.montant, "dispositif": x.dispositif})
    return releve


def _totaux(dossiers: Sequence[DossierInstruit], lignes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Par financeur, ce que lui demandent les plans de financement (la demande du dossier à la Région comptée
    une fois), sur les seuls dossiers où il n'est ni exclu ni non concerné."""
    totaux = {f: {"financeur": f, "dossiers": 0, "sollicite": Decimal(0), "acquis": Decimal(0)} for f in FINANCEURS}
    for dossier, ligne_ in zip(dossiers, lignes):
        d = dossier.donnees_evaluees()
        for financeur, statut, montant in demandes_detaillees(d):
            if ligne_["statuts"].get(financeur) in FERMES:
                continue
            totaux[financeur][statut] += montant_exact(montant)
            totaux[financeur].setdefault("_vus", set()).add(dossier.reference)
    for t in totaux.values():
        t["dossiers"] = len(t.pop("_vus", ()))
    return list(totaux.values())


def _enveloppes(suivis: Sequence[Suivi]) -> list[dict[str, Any]]:
    """Les enveloppes de la réunion contre les montants proposés et décidés (`instruction.comite.enveloppes`)."""
    return [{"financeur": NOMS_FINANCEURS[s.financeur], "dispositif": s.enveloppe.dispositif if s.enveloppe else None,
             "source": s.enveloppe.source if s.enveloppe else "", "montant": s.montant, "propose": s.propose,
             "decide": s.decide, "reste": s.reste, "depassee": s.depassee,
             "propositions_au_dela": s.propositions_au_dela} for s in suivis]


def construire(comite: Comite, contrat: Optional[Contrat], dossiers: Sequence[DossierInstruit],
               territoire: Territoire, controles: list[dict[str, Any]], genere_le: datetime,
               erreurs: Sequence[dict[str, Any]] = (), enveloppes: Sequence[Suivi] = ()) -> dict[str, Any]:
    lignes = [ligne(rang, d, territoire, comite.code) for rang, d in enumerate(dossiers, 1)]
    totaux = _totaux(dossiers, lignes)
    versions = sorted({_fichiers_de_regles(x["version_regles"]) for x in lignes if x["version_regles"]})
    alertes_d_abord = sorted(controles, key=lambda c: c["gravite"] != "alerte")
    return {
        "comite": {
            "code": comite.code, "date": comite.date, "contrat": contrat.nom if contrat else comite.contrat,
            "periode": (contrat.du, contrat.au) if contrat else None,
            "membres": [{"structure": m.structure, "representant": m.representant, "present": m.present}
                        for m in comite.membres],
            "presence_notee": any(m.present is not None for m in comite.membres),
            "source_membres": avec_titre(contrat.comite_technique_source.en_json())
            if contrat and contrat.comite_technique_source else None,
            "evalue_le": comite.evalue_le,
        },
        "financeurs": [{"id": f, "nom": NOMS_FINANCEURS[f]} for f in FINANCEURS],
        "lignes": lignes,
        "controles": [{**c, "source": avec_titre(c["source"]) if c["source"] else None} for c in alertes_d_abord],
        "totaux": [{**t, "nom": NOMS_FINANCEURS[t["financeur"]]} for t in totaux],
        "total_cout": sum(montant_exact(x["cout_total_ht"]) or Decimal(0) for x in lignes),
        "total_sollicite": sum(montant_exact(x["montant_sollicite"]) or Decimal(0) for x in lignes),
        "releve": _releve(dossiers, comite.code),
        "enveloppes": _enveloppes(enveloppes),
        "erreurs": list(erreurs),
        "versions_regles": versions,
        "genere_le": genere_le,
    }
