"""Le dossier en instruction : la demande, son état, et tout ce qui lui est arrivé.

Rien ne s'efface : chaque passage d'état, chaque évaluation (avec la version des règles
employée), chaque correction et chaque décision s'ajoute à l'historique. Une opération refusée
lève avant de toucher à quoi que ce soit.
"""
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Optional

from forms.dossier import Dossier
from forms.valeurs import FINANCEURS
from instruction import corrections as corr
from instruction.cycle import CLASSE_SANS_SUITE, DECIDE, DECISIONS, DEPOSE, Transition, permise, suivants
from instruction.erreurs import ErreurInstruction, SaisieRefusee, TransitionInterdite


@dataclass(frozen=True)
class EvaluationEnregistree:
    numero: int
    resultat: dict[str, Any]  # the evaluation of the public contract
    version_regles: str
    date_reference: date  # the date whose rules were applied
    auteur: str
    quand: datetime
    donnees: dict[str, Any]  # the dossier as it was evaluated, to reproduce the opinion


@dataclass(frozen=True)
class Decision:
    financeur: str
    decision: str  # favorable, defavorable, ajourne
    motif: str
    auteur: str
    quand: datetime
    comite: Optional[str] = None


@dataclass
class DossierInstruit:
    donnees: Dossier
    etat: str
    transitions: list[Transition] = field(default_factory=list)
    evaluations: list[EvaluationEnregistree] = field(default_factory=list)
    corrections: list[corr.Correction] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    @classmethod
    def creer(cls, donnees: Dossier, auteur: str, quand: datetime, etat: str = DEPOSE,
              motif: str = "dépôt du dossier") -> "DossierInstruit":
        if etat not in ("brouillon", DEPOSE):
            raise SaisieRefusee("etat", "un nouveau dossier est un brouillon ou un dossier déposé")
        dossier = cls(donnees=donnees, etat=etat)
        if etat == DEPOSE:
            dossier._dater_le_depot(quand)
        dossier.transitions.append(Transition(None, etat, auteur, quand, motif))
        return dossier

    @property
    def reference(self) -> str:
        return self.donnees.reference

    @property
    def derniere_evaluation(self) -> Optional[EvaluationEnregistree]:
        return self.evaluations[-1] if self.evaluations else None

    def passer(self, vers: str, auteur: str, quand: datetime, motif: str) -> None:
        if not permise(self.etat, vers):
            raise TransitionInterdite(self.reference, self.etat, vers, suivants(self.etat))
        if not motif or not motif.strip():
            raise SaisieRefusee("motif", "chaque changement d'état dit pourquoi", self.reference)
        if vers == "avis_rendu" and not self.evaluations:
            raise ErreurInstruction("pas d'avis sans évaluation : évaluez d'abord le dossier", self.reference)
        if vers == DEPOSE:
            self._dater_le_depot(quand)
        self.transitions.append(Transition(self.etat, vers, auteur, quand, motif.strip()))
        self.etat = vers

    def _dater_le_depot(self, quand: datetime) -> None:
        # The filing date chooses the rules in force: a dossier filed here without one gets today's.
        if self.donnees.date_depot is None:
            self.donnees = self.donnees.model_copy(update={"date_depot": quand.date()})

    def remplacer_donnees(self, donnees: Dossier) -> None:
        """Le porteur complète ou corrige sa demande ; l'historique des évaluations reste intact."""
        if self.etat in (DECIDE, CLASSE_SANS_SUITE):
            raise ErreurInstruction(f"un dossier « {self.etat} » ne se modifie plus", self.reference)
        if donnees.reference != self.reference:
            raise SaisieRefusee("reference", f"« {donnees.reference} » au lieu de « {self.reference} »", self.reference)
        if donnees.date_depot is None:
            donnees = donnees.model_copy(update={"date_depot": self.donnees.date_depot})
        self.donnees = donnees

    def ajouter_evaluation(self, resultat: dict[str, Any], date_reference: date, auteur: str,
                           quand: datetime) -> EvaluationEnregistree:
        if "erreurs" in resultat:
            raise ErreurInstruction("une évaluation en erreur ne s'enregistre pas", self.reference)
        evaluation = EvaluationEnregistree(
            numero=len(self.evaluations) + 1, resultat=resultat, version_regles=resultat["version_regles"],
            date_reference=date_reference, auteur=auteur, quand=quand,
            donnees=self.donnees.model_dump(mode="json"))
        self.evaluations.append(evaluation)
        self.corrections = corr.reconcilier(self.corrections, resultat)
        return evaluation

    def _evaluation_a_corriger(self) -> EvaluationEnregistree:
        if not self.evaluations:
            raise ErreurInstruction("aucune évaluation à corriger : évaluez d'abord le dossier", self.reference)
        return self.evaluations[-1]

    def corriger(self, genre: str, cible: Optional[str], valeur: str, justification: str, auteur: str,
                 quand: datetime) -> corr.Correction:
        evaluation = self._evaluation_a_corriger()
        if self.etat in (DECIDE, CLASSE_SANS_SUITE):
            raise ErreurInstruction(f"un dossier « {self.etat} » ne se corrige plus", self.reference)
        corr.verifier(genre, cible, valeur or "", justification or "", evaluation.resultat, self.reference)
        correction = corr.Correction(
            numero=len(self.corrections) + 1, genre=genre, cible=cible, valeur=valeur.strip(),
            valeur_calculee=corr.valeur_calculee(genre, cible, evaluation.resultat),
            justification=justification.strip(), auteur=auteur, quand=quand, evaluation=evaluation.numero)
        self.corrections.append(correction)
        return correction

    def _correction(self, numero: int) -> corr.Correction:
        if not 1 <= numero <= len(self.corrections):
            raise SaisieRefusee("correction", f"n° {numero} inconnu ({len(self.corrections)} corrections)",
                                self.reference)
        return self.corrections[numero - 1]

    def confirmer_correction(self, numero: int, auteur: str, justification: str, quand: datetime) -> None:
        """L'instructeur maintient une correction « à revoir » au vu du nouveau calcul."""
        c = self._correction(numero)
        if not justification.strip():
            raise SaisieRefusee("justification", "confirmer une correction exige une justification", self.reference)
        evaluation = self._evaluation_a_corriger()
        calcul = corr.valeur_calculee(c.genre, c.cible, evaluation.resultat)
        self.corrections[numero - 1] = replace(
            c, a_revoir=False, motif_revue="", valeur_calculee=calcul,
            justification=f"{c.justification} — confirmée par {auteur} le {quand:%d/%m/%Y} : {justification.strip()}")

    def retirer_correction(self, numero: int, auteur: str, justification: str, quand: datetime) -> None:
        c = self._correction(numero)
        if not justification.strip():
            raise SaisieRefusee("justification", "retirer une correction exige une justification", self.reference)
        self.corrections[numero - 1] = replace(
            c, retiree=True, a_revoir=False, retrait=f"{auteur}, le {quand:%d/%m/%Y} : {justification.strip()}")

    def evaluation_retenue(self) -> Optional[dict[str, Any]]:
        """La dernière évaluation, corrigée par l'instructeur."""
        derniere = self.derniere_evaluation
        return corr.appliquer(derniere.resultat, self.corrections) if derniere else None

    def decider(self, decisions: dict[str, str], motif: str, auteur: str, quand: datetime,
                comite: Optional[str] = None) -> None:
        """Enregistre la décision du comité pour chaque financeur, puis passe le dossier à « decide »."""
        if not decisions:
            raise SaisieRefusee("decisions", "au moins une décision par financeur", self.reference)
        for financeur, decision in decisions.items():
            if financeur not in FINANCEURS:
                raise SaisieRefusee("financeur", f"« {financeur} » inconnu ; possibles : {', '.join(FINANCEURS)}",
                                    self.reference)
            if decision not in DECISIONS:
                raise SaisieRefusee("decision", f"« {decision} » inconnue ; possibles : {', '.join(DECISIONS)}",
                                    self.reference)
        self.passer(DECIDE, auteur, quand, motif)  # checks the state before anything is recorded
        self.decisions.extend(Decision(f, d, motif.strip(), auteur, quand, comite) for f, d in decisions.items())
