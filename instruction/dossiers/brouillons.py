"""Le brouillon du porteur : un dossier à l'état `brouillon`, enregistré à chaque étape, repris à tout moment,
puis déposé.

À côté du dossier, le brouillon garde son **numéro de version** (chaque enregistrement l'augmente : deux onglets
ouverts sur le même brouillon ne s'écrasent pas en silence, le second est refusé par `ConflitDeVersion`), les
étapes déjà enregistrées et la dernière (pour la reprise), puis, une fois déposé, le numéro de l'évaluation
faite au dépôt (le pré-diagnostic de l'accusé de réception).
"""
import secrets
from dataclasses import replace
from datetime import date
from typing import Any, Optional

from forms.dossier import Dossier
from forms.libelles import libelle
from forms.validation import ErreurChamp
from instruction import acces
from instruction.acces import Agent
from instruction.dossiers import etapes, services
from instruction.dossiers.cycle import BROUILLON, DEPOSE
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.dossiers.parcours import Brouillon
from instruction.erreurs import DossierExistant, Refus, SaisieRefusee
from instruction.evaluation.guichet import Guichet
from instruction.evaluation.resultat import Evaluation
from instruction.temps import Horloge, jour_de, maintenant

PREFIXE_REFERENCE = "GU"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O nor 1/I: a reference is read out on the phone


class ConflitDeVersion(Refus):
    """Le brouillon a été enregistré ailleurs (un autre onglet) depuis que la page a été ouverte."""

    def __init__(self, reference: str, version_de_la_page: int, version_enregistree: int):
        self.version_de_la_page, self.version_enregistree = version_de_la_page, version_enregistree
        super().__init__(
            f"ce brouillon a été enregistré depuis un autre onglet ou une autre fenêtre (version "
            f"{version_enregistree}) après l'ouverture de cette page (version {version_de_la_page}) : rien n'a été "
            "écrasé", reference, "version")


def brouillon_de(uow, reference: str) -> Brouillon:
    """Le suivi du brouillon ; un dossier créé sans lui (ligne de commande, démonstration) commence en version 1."""
    return uow.brouillons.obtenir(reference) or Brouillon(reference)


def nouvelle_reference(annee: int) -> str:
    return f"{PREFIXE_REFERENCE}-{annee}-{''.join(secrets.choice(_ALPHABET) for _ in range(6))}"


def creer_brouillon(uow, agent: Agent, horloge: Horloge = maintenant) -> str:
    """Un brouillon vide au nom du porteur ; rend sa référence (« GU-2026-K7Q3PX »)."""
    acces.verifier(agent, "deposer")
    quand = horloge()
    proprietaire = agent.id if agent.role == "porteur" else None
    for _ in range(5):
        reference = nouvelle_reference(jour_de(quand).year)
        with uow:
            if uow.dossiers.obtenir(reference) is not None:
                continue  # 32^6 references a year: a collision is rare, draw again
            dossier = DossierInstruit.creer(Dossier(reference=reference), agent.auteur, quand, BROUILLON,
                                            "création du brouillon", proprietaire)
            uow.dossiers.ajouter(dossier)
            uow.brouillons.enregistrer(Brouillon(reference))
            uow.valider()
            return reference
    raise DossierExistant(reference)


def ouvrir(uow, reference: str, agent: Agent, action: str = "voir") -> tuple[DossierInstruit, Brouillon]:
    """Le dossier et son suivi, si l'agent peut y faire `action` (404 pour le dossier d'un autre porteur)."""
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, action, pour_modifier=False)
        return dossier, brouillon_de(uow, reference)


def _modifiable(uow, reference: str, agent: Agent, version: int) -> tuple[DossierInstruit, Brouillon]:
    dossier = services.obtenir_dossier(uow, reference, agent, "modifier")  # locked until the end of the unit
    if dossier.etat != BROUILLON:
        raise Refus("ce dossier est déjà déposé : il ne se modifie plus que sur demande de compléments", reference)
    brouillon = brouillon_de(uow, reference)
    if version != brouillon.version:
        raise ConflitDeVersion(reference, version, brouillon.version)
    return dossier, brouillon


def enregistrer_etape(uow, guichet: Guichet, reference: str, etape: str, saisie: etapes.Saisie, version: int,
                      agent: Agent, horloge: Horloge = maintenant) -> tuple[list[ErreurChamp], Optional[Brouillon]]:
    """Enregistre les réponses d'une étape si elles sont valides : (erreurs, brouillon enregistré). Lève
    `ConflitDeVersion` si `version` n'est plus celle du brouillon."""
    if etape not in etapes.ETAPES_SAISIES:
        raise SaisieRefusee("etape", f"étape inconnue « {etape} »", reference)
    lues, erreurs = etapes.lire_etape(etape, saisie, guichet.territoire)
    with uow:
        dossier, brouillon = _modifiable(uow, reference, agent, version)
        if erreurs:
            return erreurs, None
        valide, erreurs = guichet.valider(etapes.poser(dossier.donnees.model_dump(mode="json"), lues))
        if valide is None:
            return erreurs, None
        dossier.remplacer_donnees(valide, agent.auteur, horloge())
        brouillon = replace(brouillon, version=brouillon.version + 1, derniere_etape=etape,
                            etapes=tuple(e for e in etapes.ETAPES if e in {*brouillon.etapes, etape}))
        uow.dossiers.enregistrer(dossier)
        uow.brouillons.enregistrer(brouillon)
        uow.valider()
    return [], brouillon


def noter_etape(uow, reference: str, etape: str, agent: Agent) -> None:
    """Retient la dernière étape ouverte (les pièces, la vérification), pour la reprise."""
    with uow:
        dossier = services.obtenir_dossier(uow, reference, agent, "modifier")
        brouillon = brouillon_de(uow, reference)
        if dossier.etat == BROUILLON and brouillon.derniere_etape != etape:
            uow.brouillons.enregistrer(replace(brouillon, derniere_etape=etape,
                                               etapes=tuple(e for e in etapes.ETAPES
                                                            if e in {*brouillon.etapes, etape})))
            uow.valider()


def manquants_pour_deposer(donnees: Dossier) -> list[ErreurChamp]:
    """Les réponses sans lesquelles un dossier ne se dépose pas, chacune nommant son champ."""
    plat = donnees.model_dump(mode="json")
    return [ErreurChamp(champ, f"{libelle(champ)} : à renseigner avant le dépôt")
            for champs in etapes.OBLIGATOIRES.values() for champ in champs
            if plat[champ.split(".")[0]].get(champ.split(".", 1)[1]) in (None, "")]


def deposer_brouillon(uow, guichet: Guichet, reference: str, version: int, agent: Agent,
                      horloge: Horloge = maintenant) -> list[ErreurChamp]:
    """Le porteur dépose : le dossier passe à `depose` (daté du jour du dépôt), il est évalué, et cette
    évaluation devient le pré-diagnostic de l'accusé de réception. Renvoie ce qui manque (rien n'est fait
    alors) ; lève `ConflitDeVersion` si le brouillon a changé depuis la page de vérification."""
    with uow:
        dossier, brouillon = _modifiable(uow, reference, agent, version)
        manquants = manquants_pour_deposer(dossier.donnees)
        if manquants:
            return manquants
        quand = horloge()
        dossier.passer(DEPOSE, agent.auteur, quand, "dépôt du dossier par le porteur")
        evaluation = services.evaluer_et_ajouter(dossier, guichet.evaluer(dossier.donnees), None, agent.auteur, quand)
        services.conserver_regles(uow, guichet.base)
        uow.dossiers.enregistrer(dossier)
        uow.brouillons.enregistrer(replace(brouillon, version=brouillon.version + 1, evaluation_depot=evaluation.numero,
                                           depose_le=quand, derniere_etape="verifier"))
        uow.valider()
    return []


def _valide_au_mieux(guichet: Guichet, donnees: dict[str, Any]) -> Optional[Dossier]:
    """Le dossier validé ; un champ refusé est laissé inconnu (au plus 20 fois), pour juger le reste."""
    for _ in range(20):
        valide, erreurs = guichet.valider(donnees)
        if valide is not None:
            return valide
        effaces = {}
        for erreur in erreurs:
            chemin = erreur.champ.split(".")
            if len(chemin) < 2 or chemin[0] not in ("porteur", "projet", "budget"):
                return None
            effaces[".".join(chemin[:2])] = None
        donnees = etapes.poser(donnees, effaces)
    return None


def apercu(guichet: Guichet, donnees: dict[str, Any], jour: date, etape: Optional[str] = None,
           saisie: Optional[etapes.Saisie] = None) -> tuple[Optional[Dossier], Optional[Evaluation]]:
    """Le brouillon tel qu'il serait déposé le `jour` donné, avec, si `saisie` est donnée, les réponses de l'étape
    en cours de frappe (ce qui ne se lit pas encore reste inconnu), et son pré-diagnostic. Rien n'est enregistré."""
    if etape in etapes.ETAPES_SAISIES and saisie is not None:
        lues, erreurs = etapes.lire_etape(etape, saisie, guichet.territoire)
        fautifs = {".".join(e.champ.split(".")[:2]) for e in erreurs}
        donnees = etapes.poser(donnees, {c: (None if c in fautifs else v) for c, v in lues.items()})
    if donnees.get("date_depot") is None:
        donnees = {**donnees, "date_depot": jour.isoformat()}
    dossier = _valide_au_mieux(guichet, donnees)
    if dossier is None:
        return None, None
    resultat = guichet.evaluer(dossier)
    return dossier, (resultat if isinstance(resultat, Evaluation) else None)


def etat_des_etapes(donnees: Dossier, brouillon: Brouillon, pieces_manquantes: int) -> dict[str, str]:
    """Pour la liste des tâches : `termine`, `en_cours`, `a_faire` (pas commencée) ou `bloque` (vérifier, tant
    qu'une réponse obligatoire manque)."""
    plat = donnees.model_dump(mode="json")
    etats = {}
    for etape in etapes.ETAPES_SAISIES:
        complete = all(plat[c.split(".")[0]].get(c.split(".", 1)[1]) not in (None, "")
                       for c in etapes.OBLIGATOIRES[etape])
        etats[etape] = ("termine" if complete else "en_cours") if etape in brouillon.etapes else "a_faire"
    if "pieces" in brouillon.etapes:
        etats["pieces"] = "termine" if pieces_manquantes == 0 else "en_cours"
    else:
        etats["pieces"] = "a_faire"
    etats["verifier"] = "a_faire" if not manquants_pour_deposer(donnees) else "bloque"
    return etats
