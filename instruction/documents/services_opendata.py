"""Le cas d'usage des données ouvertes : les subventions de la Région, au format SCDL, pour
`guichet opendata subventions` et `GET /opendata/subventions.csv` (les mêmes lignes, donc les mêmes octets).

Ces données sont publiques par la loi (décret n° 2017-779) : le cas d'usage ne prend pas d'agent, et ne rend que ce
que `instruction.documents.opendata` choisit de publier (jamais le nom ni le SIRET d'un particulier).
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from instruction.comite.reunion import Comite
from instruction.documents import opendata
from instruction.dossiers.cycle import BROUILLON, CLASSE_SANS_SUITE, DEPOSE
from instruction.dossiers.dossier_instruit import Decision, DossierInstruit
from instruction.evaluation.faits import faits_du_dossier
from instruction.evaluation.territoire import Territoire
from instruction.ports import UniteDeTravail
from instruction.temps import jour_de

# States in which a dossier can carry no decision, or whose holder withdrew the request.
SANS_DECISION_PUBLIABLE = (BROUILLON, DEPOSE, CLASSE_SANS_SUITE)


@dataclass
class Publication:
    lignes: list[dict[str, Any]]
    ecartees: list[str] = field(default_factory=list)  # favourable decisions left out, and why (one sentence each)


def subventions(uow: UniteDeTravail, territoire: Territoire) -> Publication:
    """Les lignes SCDL des décisions favorables de la Région, et les décisions qu'on n'a pas pu publier."""
    with uow:
        comites = {c.code: c for c in uow.comites.lister()}
        instruits = [d for r in uow.dossiers.lister() if r.etat not in SANS_DECISION_PUBLIABLE
                     if (d := uow.dossiers.obtenir(r.reference)) is not None]
    attributions, ecartees = [], []
    for instruit in instruits:
        for decision in opendata.decisions_publiables(instruit):
            montant = opendata.montant_attribue(instruit.donnees, decision)
            if montant is None:
                ecartees.append(f"{instruit.reference} : décision favorable de {decision.financeur} sans montant "
                                "(ni montant décidé, ni demande à ce financeur dans le dossier)")
                continue
            jour, fin = _periode(decision, comites.get(decision.comite or ""), territoire)
            attributions.append(opendata.Attribution(instruit.donnees, decision, jour, fin, montant,
                                                     _entreprise_ue(instruit, jour, territoire)))
    return Publication(opendata.lignes(attributions), ecartees)


def _periode(decision: Decision, comite: Optional[Comite], territoire: Territoire) -> tuple[date, date]:
    """La date de la décision (celle de la réunion), et la fin de la période de versement : la fin du contrat de
    destination de la réunion, sinon le 31 décembre de la deuxième année qui suit (trois exercices budgétaires)."""
    jour = comite.date if comite is not None else jour_de(decision.quand)
    try:
        fin = territoire.contrat(comite.contrat).au if comite is not None else None
    except KeyError:
        fin = None
    if fin is None or fin < jour:
        fin = date(jour.year + 2, 12, 31)
    return jour, fin


def _entreprise_ue(instruit: DossierInstruit, jour: date, territoire: Territoire) -> Optional[bool]:
    # The same derived fact as the de minimis rules read (instruction.evaluation.faits).
    return faits_du_dossier(instruit.donnees, territoire, jour)["porteur.entreprise_ue"]
