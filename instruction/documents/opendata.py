"""Les données ouvertes des subventions : les décisions favorables de la Région, au format SCDL « subventions »
(version 2.1.1, `schemas/scdl-subventions-2.1.1/schema.json`), que le décret n° 2017-779 impose de publier pour
toute subvention de plus de 23 000 €. Ici, une fonction pure : des dossiers instruits en entrée, des lignes en
sortie (les colonnes du schéma, dans son ordre, en texte). Rien n'est lu, rien n'est écrit.

Ce que la Région publie, et comment (interprétations, reprises dans le README, « Données ouvertes ») :
- l'attribuant est le financeur qui décide : ce fichier est celui de la Région, il ne porte que les décisions de
  ses dispositifs (`region_hdf`, contrat de destination, et `region_prit`). Le comité technique décide aussi pour
  les Départements, l'ADEME, LEADER ou l'intercommunalité, mais chacun publie ses propres subventions ;
- une ligne par dossier et par dispositif de la Région dont la **dernière** décision est favorable, sauf si le
  porteur a retiré sa demande (dossier classé sans suite) ;
- la décision favorable du comité technique tient lieu d'acte d'attribution : `dateConvention` est la date de la
  réunion, `referenceDecision` nomme la réunion, le dossier et le dispositif ; la période de versement court de
  la décision à la fin du contrat de destination de la réunion, versement « échelonné » ;
- le montant est celui que le comité accorde (`Decision.montant`) ; une décision enregistrée sans montant (avant
  que le comité ne les saisisse) publie ce que le dossier demande à ce dispositif (plan de financement ; pour
  `region_hdf`, le montant sollicité, compté une fois) ;
- `notificationUE` vaut « oui » quand le porteur exerce une activité économique (aide sous le règlement
  de minimis, comme le dit la description du champ), « non » sinon ;
- un **particulier** n'est jamais nommé : ni nom, ni SIRET, et l'objet est tiré de la nature et du secteur du
  projet, jamais de son titre (qui peut le nommer).
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Optional

from forms.dossier import Dossier, montant_exact
from forms.libelles import LIBELLES_NATURES, LIBELLES_SECTEURS
from instruction.dossiers.cycle import CLASSE_SANS_SUITE
from instruction.dossiers.dossier_instruit import Decision, DossierInstruit
from instruction.evaluation.faits import DEMANDE_DU_DOSSIER

VERSION_SCHEMA = "2.1.1"
COLONNES = ("nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
            "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
            "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide")
# The Région's SIRET (its head office, Lille), as the INSEE register (Sirene) gives it for region code 32.
NOM_ATTRIBUANT = "Région Hauts-de-France"
SIRET_ATTRIBUANT = "20005374200017"
DISPOSITIFS_DE_LA_REGION = ("region_hdf", "region_prit")
PARTICULIER = "particulier"
NOM_ANONYME = "Personne physique (nom non publié)"
OBJET_MAX = 256  # the schema's maxLength


@dataclass(frozen=True)
class Attribution:
    """Une décision favorable à publier, avec ce que le dossier et sa réunion en disent."""
    dossier: Dossier
    decision: Decision
    date_decision: date  # the meeting's date
    fin_versement: date
    montant: Decimal
    entreprise_ue: Optional[bool]  # does the holder carry on an economic activity (EU law)?


def decisions_publiables(instruit: DossierInstruit) -> list[Decision]:
    """La dernière décision de chaque dispositif de la Région, quand elle est favorable ; aucune pour un dossier
    dont le porteur a retiré sa demande."""
    if instruit.etat == CLASSE_SANS_SUITE:
        return []
    dernieres: dict[str, Decision] = {}
    for decision in instruit.decisions:  # in the order they were recorded: a later meeting has the last word
        if decision.financeur in DISPOSITIFS_DE_LA_REGION:
            dernieres[decision.financeur] = decision
    return [dernieres[f] for f in DISPOSITIFS_DE_LA_REGION if f in dernieres and dernieres[f].decision == "favorable"]


def montant_attribue(dossier: Dossier, decision: Decision) -> Optional[Decimal]:
    """Le montant que fixe la décision, sinon ce que le dossier demande à ce dispositif ; None s'il ne lui demande
    rien."""
    if decision.montant is not None:  # the amount the comité granted, at the cent
        return decision.montant
    budget = dossier.budget
    if decision.financeur == DEMANDE_DU_DOSSIER and budget.montant_sollicite is not None:
        return montant_exact(budget.montant_sollicite)  # a region_hdf line of the plan is this same request
    demandes = [montant_exact(x.montant) for x in budget.financements or () if x.financeur == decision.financeur]
    return sum(demandes, Decimal(0)) if demandes else None


def ligne(a: Attribution) -> dict[str, str]:
    """Une ligne du fichier SCDL, colonne par colonne."""
    porteur = a.dossier.porteur
    anonyme = porteur.type == PARTICULIER
    return {
        "nomAttribuant": NOM_ATTRIBUANT,
        "idAttribuant": SIRET_ATTRIBUANT,
        "dateConvention": a.date_decision.isoformat(),
        "referenceDecision": "/".join(p for p in (a.decision.comite, a.dossier.reference, a.decision.financeur) if p),
        "nomBeneficiaire": NOM_ANONYME if anonyme else (porteur.nom or "").strip() or "Bénéficiaire non nommé",
        "idBeneficiaire": "" if anonyme else (porteur.siret or ""),
        "rnaBeneficiaire": "",
        "objet": objet(a.dossier),
        "montant": f"{a.montant.quantize(Decimal('0.01'))}",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné",
        "datesPeriodeVersement": f"{a.date_decision.isoformat()}/{a.fin_versement.isoformat()}",
        "idRAE": "",
        "notificationUE": "oui" if a.entreprise_ue else "non",
        "pourcentageSubvention": "1.00",  # one beneficiary per dossier
        "dispositifAide": "",
    }


def objet(dossier: Dossier) -> str:
    """L'objet de la subvention : le titre du projet, ou, pour un particulier, sa nature et son secteur."""
    projet = dossier.projet
    if dossier.porteur.type != PARTICULIER and projet.titre and projet.titre.strip():
        texte = " ".join(projet.titre.split())
    else:
        parties = [LIBELLES_NATURES.get(projet.nature or "", ""), LIBELLES_SECTEURS.get(projet.secteur or "", "")]
        texte = "Projet touristique : " + (" — ".join(p.lower() for p in parties if p) or "nature non renseignée")
    return texte if len(texte) <= OBJET_MAX else texte[:OBJET_MAX - 1].rstrip() + "…"


def lignes(attributions: list[Attribution]) -> list[dict[str, Any]]:
    """Les lignes du fichier, par date de décision, dossier et dispositif."""
    ordre = {f: i for i, f in enumerate(DISPOSITIFS_DE_LA_REGION)}
    return [ligne(a) for a in sorted(attributions, key=lambda a: (a.date_decision, a.dossier.reference,
                                                                    ordre[a.decision.financeur]))]
