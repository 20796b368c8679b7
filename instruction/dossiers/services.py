"""Les cas d'usage de l'instruction d'un dossier, chacun dans une unité de travail.

Une saisie invalide revient en valeur (la liste des erreurs, chacune nommant son champ) ; une
demande impossible (dossier introuvable, transition interdite) lève une `ErreurInstruction` et
rien n'est enregistré.
"""
from datetime import date, datetime, timezone
from typing import Any, Callable, Optional

from forms.validation import ErreurChamp
from instruction.dossiers.corrections import Correction
from instruction.dossiers.dossier_instruit import DossierInstruit, EvaluationEnregistree
from instruction.erreurs import DossierExistant, DossierIntrouvable, VersionReglesInconnue
from instruction.evaluation.guichet import Guichet
from instruction.ports import UniteDeTravail
from instruction.temps import jour_de
from rules.base import BaseDeRegles

Horloge = Callable[[], datetime]


def maintenant() -> datetime:
    return datetime.now(timezone.utc)


def obtenir_dossier(uow: UniteDeTravail, reference: str, pour_modifier: bool = True) -> DossierInstruit:
    dossier = uow.dossiers.obtenir(reference, pour_modifier=pour_modifier)
    if dossier is None:
        raise DossierIntrouvable(reference)
    return dossier


def deposer(uow: UniteDeTravail, guichet: Guichet, donnees: Any, auteur: str, brouillon: bool = False,
            horloge: Horloge = maintenant) -> list[ErreurChamp]:
    """Enregistre une demande (déposée, ou brouillon) ; renvoie ses erreurs de saisie, vide si elle est reçue."""
    dossier, erreurs = guichet.valider(donnees)
    if dossier is None:
        return erreurs
    with uow:
        if uow.dossiers.obtenir(dossier.reference) is not None:
            raise DossierExistant(dossier.reference)
        uow.dossiers.ajouter(DossierInstruit.creer(dossier, auteur, horloge(), "brouillon" if brouillon else "depose"))
        uow.valider()
    return []


def modifier(uow: UniteDeTravail, guichet: Guichet, donnees: Any, auteur: str,
             horloge: Horloge = maintenant) -> list[ErreurChamp]:
    """Le porteur complète sa demande : les données changent (chaque changement est noté), les évaluations
    passées restent."""
    dossier_saisi, erreurs = guichet.valider(donnees)
    if dossier_saisi is None:
        return erreurs
    with uow:
        dossier = obtenir_dossier(uow, dossier_saisi.reference)
        dossier.remplacer_donnees(dossier_saisi, auteur, horloge())
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    return []


def conserver_regles(uow: UniteDeTravail, base: BaseDeRegles) -> None:
    """Garde les fichiers de règles d'une version employée, pour rejouer ses avis plus tard."""
    uow.regles.conserver(base.empreinte, base.textes)


def evaluer_et_ajouter(dossier: DossierInstruit, resultat: dict[str, Any], date_imposee: Optional[date],
                       auteur: str, quand: datetime) -> EvaluationEnregistree:
    jour = date_imposee or dossier.donnees.date_depot or jour_de(quand)
    return dossier.ajouter_evaluation(resultat, jour, auteur, quand)


def evaluer_sans_enregistrer(guichet: Guichet, donnees: Any, auteur: str, date_imposee: Optional[date] = None,
                             horloge: Horloge = maintenant) -> tuple[Optional[DossierInstruit], list[ErreurChamp]]:
    """Un dossier lu dans un fichier, évalué comme `guichet evaluate` le ferait, pour un avis ou un rapport."""
    valide, erreurs = guichet.valider(donnees)
    if valide is None:
        return None, erreurs
    dossier = DossierInstruit.transitoire(valide)
    evaluer_et_ajouter(dossier, guichet.evaluer(donnees, date_imposee), date_imposee, auteur, horloge())
    return dossier, []


def evaluer(uow: UniteDeTravail, guichet: Guichet, reference: str, auteur: str, date_imposee: Optional[date] = None,
            horloge: Horloge = maintenant) -> EvaluationEnregistree:
    """Évalue le dossier tel qu'il est et ajoute l'évaluation à son historique (jamais d'écrasement)."""
    with uow:
        dossier = obtenir_dossier(uow, reference)  # locked: two evaluations at once take turns
        resultat = guichet.evaluer(dossier.donnees.model_dump(mode="json"), date_imposee)
        evaluation = evaluer_et_ajouter(dossier, resultat, date_imposee, auteur, horloge())
        conserver_regles(uow, guichet.base)
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    return evaluation


def changer_etat(uow: UniteDeTravail, reference: str, vers: str, auteur: str, motif: str,
                 horloge: Horloge = maintenant) -> None:
    with uow:
        dossier = obtenir_dossier(uow, reference)
        dossier.passer(vers, auteur, horloge(), motif)
        uow.dossiers.enregistrer(dossier)
        uow.valider()


def corriger(uow: UniteDeTravail, reference: str, genre: str, cible: Optional[str], valeur: str, justification: str,
             auteur: str, horloge: Horloge = maintenant) -> Correction:
    with uow:
        dossier = obtenir_dossier(uow, reference)
        correction = dossier.corriger(genre, cible, valeur, justification, auteur, horloge())
        uow.dossiers.enregistrer(dossier)
        uow.valider()
    return correction


def revoir_correction(uow: UniteDeTravail, reference: str, numero: int, maintenir: bool, auteur: str,
                      justification: str, horloge: Horloge = maintenant) -> None:
    """Maintenir (confirmer) ou retirer une correction, par exemple une correction « à revoir »."""
    with uow:
        dossier = obtenir_dossier(uow, reference)
        if maintenir:
            dossier.confirmer_correction(numero, auteur, justification, horloge())
        else:
            dossier.retirer_correction(numero, auteur, justification, horloge())
        uow.dossiers.enregistrer(dossier)
        uow.valider()


def consulter(uow: UniteDeTravail, reference: str) -> DossierInstruit:
    with uow:
        return obtenir_dossier(uow, reference, pour_modifier=False)


def base_de_version(uow: UniteDeTravail, version: str) -> BaseDeRegles:
    """Les règles d'une version déjà employée (« sha256:<empreinte>/… » ou l'empreinte seule)."""
    empreinte = version.removeprefix("sha256:").split("/")[0].split("@")[0]
    with uow:
        textes = uow.regles.obtenir(empreinte)
    if textes is None:
        raise VersionReglesInconnue(version)
    return BaseDeRegles.depuis_textes(textes)
