"""Le dossier en instruction : la demande, son état, et tout ce qui lui est arrivé.

Rien ne s'efface : chaque passage d'état, chaque évaluation (avec la version des règles
employée), chaque correction et chaque décision s'ajoute à l'historique. Une opération refusée
lève avant de toucher à quoi que ce soit.
"""
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

from forms.dossier import Dossier
from forms.valeurs import FINANCEURS
from instruction.dossiers import corrections as corr
from instruction.dossiers.cycle import (
    AVIS_RENDU,
    BROUILLON,
    CLASSE_SANS_SUITE,
    DECIDE,
    DECISIONS,
    DEPOSE,
    EN_INSTRUCTION,
    INSCRIT_COMITE,
    Transition,
    par_le_comite,
    permise,
    suivants,
)
from instruction.erreurs import Refus, SaisieRefusee, TransitionInterdite
from instruction.evaluation.resultat import Evaluation, Resultat
from instruction.temps import jour_de


@dataclass(frozen=True)
class EvaluationEnregistree:
    numero: int
    resultat: Evaluation
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
    montant: Optional[Decimal] = None  # the amount granted, at the cent (a favourable decision only)
    dispositif: Optional[str] = None  # the envelope of the meeting it is charged to (instruction.comite.enveloppes)


@dataclass
class DossierInstruit:
    donnees: Dossier
    etat: str
    transitions: list[Transition] = field(default_factory=list)
    evaluations: list[EvaluationEnregistree] = field(default_factory=list)
    corrections: list[corr.Correction] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    proprietaire: Optional[str] = None  # the holder's account that files it; None when filed by the services
    # Loaded for acting rather than for reading its history, a dossier brings only its last evaluation: the
    # earlier ones are counted here, so that the next evaluation still gets the next number.
    evaluations_anterieures: int = 0

    @classmethod
    def creer(cls, donnees: Dossier, auteur: str, quand: datetime, etat: str = DEPOSE,
              motif: Optional[str] = None, proprietaire: Optional[str] = None) -> "DossierInstruit":
        if etat not in (BROUILLON, DEPOSE):
            raise SaisieRefusee("etat", "un nouveau dossier est un brouillon ou un dossier déposé")
        dossier = cls(donnees=donnees, etat=etat, proprietaire=proprietaire)
        if etat == DEPOSE:
            dossier._dater_le_depot(quand)
        motif = motif or ("dépôt du dossier" if etat == DEPOSE else "enregistrement du brouillon")
        dossier.transitions.append(Transition(None, etat, auteur, quand, motif))
        return dossier

    @classmethod
    def transitoire(cls, donnees: Dossier) -> "DossierInstruit":
        """Un dossier lu dans un fichier et jugé sans être enregistré : ni dépôt, ni date de dépôt inventée."""
        return cls(donnees=donnees, etat=DEPOSE)

    @property
    def reference(self) -> str:
        return self.donnees.reference

    @property
    def derniere_evaluation(self) -> Optional[EvaluationEnregistree]:
        return self.evaluations[-1] if self.evaluations else None

    def donnees_evaluees(self) -> Dossier:
        """Le dossier tel que sa dernière évaluation l'a lu (ses données actuelles s'il n'a pas été évalué) : l'avis,
        le rapport et la salle du comité montrent ce que le calcul a lu, pas des données plus récentes."""
        evaluation = self.derniere_evaluation
        return Dossier.model_validate(evaluation.donnees) if evaluation else self.donnees

    @property
    def comite_en_cours(self) -> Optional[str]:
        """La réunion dont il est à l'ordre du jour, ou qui l'a décidé en dernier ; None hors comité."""
        if self.etat not in (INSCRIT_COMITE, DECIDE):
            return None
        return next((t.comite for t in reversed(self.transitions) if t.vers == INSCRIT_COMITE), None)

    def decisions_du_comite(self, comite: str) -> list[Decision]:
        return [d for d in self.decisions if d.comite == comite]

    @property
    def ajourne(self) -> bool:
        """Le dernier comité qui l'a examiné l'a ajourné pour au moins un financeur : il peut y revenir."""
        if self.etat != DECIDE or not self.decisions:
            return False
        dernier = self.decisions[-1].comite
        return any(d.decision == "ajourne" for d in self.decisions if d.comite == dernier)

    @property
    def clos(self) -> bool:
        """Classé, ou décidé sans ajournement : plus d'évaluation, de correction ni de modification."""
        return self.etat == CLASSE_SANS_SUITE or (self.etat == DECIDE and not self.ajourne)

    def passer(self, vers: str, auteur: str, quand: datetime, motif: str, comite: Optional[str] = None) -> None:
        """`comite` : le code du comité qui fait ce passage, exigé pour entrer à l'ordre du jour, en sortir
        ou être décidé (ces passages appartiennent au comité, pas à un simple changement d'état)."""
        # The holder may withdraw an adjourned dossier: it waits for no decision any more.
        retrait_apres_ajournement = vers == CLASSE_SANS_SUITE and self.ajourne
        refuse = not permise(self.etat, vers) or (self.etat == DECIDE and not self.ajourne)
        if refuse and not retrait_apres_ajournement:
            possibles = () if self.clos else suivants(self.etat) + ((CLASSE_SANS_SUITE,) if self.ajourne else ())
            raise TransitionInterdite(self.reference, self.etat, vers, possibles)
        if par_le_comite(self.etat, vers) and comite is None:
            raise Refus(
                f"le passage de « {self.etat} » à « {vers} » se fait par le comité technique (guichet comite "
                "inscrire, retirer ou decision)", self.reference)
        if not motif or not motif.strip():
            raise SaisieRefusee("motif", "chaque changement d'état dit pourquoi", self.reference)
        if vers == AVIS_RENDU and not self.evaluations:
            raise Refus("pas d'avis sans évaluation : évaluez d'abord le dossier", self.reference)
        if vers == AVIS_RENDU and self.evaluations[-1].donnees != self.donnees.model_dump(mode="json"):
            # An avis rests on its evaluation: data changed since would be signed unread.
            raise Refus("les données ont changé depuis la dernière évaluation : réévaluez le dossier avant de "
                        "rendre l'avis", self.reference)
        if vers == DEPOSE:
            self._dater_le_depot(quand)
        self.transitions.append(Transition(self.etat, vers, auteur, quand, motif.strip(), comite))
        self.etat = vers

    def _dater_le_depot(self, quand: datetime) -> None:
        # The filing date chooses the rules in force: a dossier filed here without one gets today's (in France).
        if self.donnees.date_depot is None:
            self.donnees = self.donnees.model_copy(update={"date_depot": jour_de(quand)})

    def remplacer_donnees(self, donnees: Dossier, auteur: str, quand: datetime) -> list[str]:
        """Le porteur complète ou corrige sa demande, tant que l'avis n'est pas rendu. Chaque champ changé
        est noté dans l'historique (ancienne et nouvelle valeur) ; renvoie la liste de ces changements."""
        if self.etat not in (BROUILLON, DEPOSE, EN_INSTRUCTION):
            raise Refus(f"un dossier « {self.etat} » ne se modifie plus (rouvrez d'abord "
                                    "l'instruction : guichet dossier etat … en_instruction)", self.reference)
        if donnees.reference != self.reference:
            raise SaisieRefusee("reference", f"« {donnees.reference} » au lieu de « {self.reference} »", self.reference)
        if donnees.date_depot is None:
            donnees = donnees.model_copy(update={"date_depot": self.donnees.date_depot})
        elif self.etat != BROUILLON and donnees.date_depot != self.donnees.date_depot:
            raise SaisieRefusee("date_depot", f"la date de dépôt ({self.donnees.date_depot}) ne se modifie pas : "
                                              "elle choisit les règles en vigueur", self.reference)
        changements = _changements(self.donnees, donnees)
        if changements:
            self.transitions.append(Transition(self.etat, self.etat, auteur, quand,
                                               "données modifiées : " + " ; ".join(changements)))
            self.donnees = donnees
        return changements

    def ajouter_evaluation(self, resultat: Resultat, date_reference: date, auteur: str,
                           quand: datetime) -> EvaluationEnregistree:
        if self.clos:
            raise Refus(f"un dossier « {self.etat} » ne se réévalue plus (simulez avec "
                                    "« guichet comite compare »)", self.reference)
        if not isinstance(resultat, Evaluation):
            raise Refus("une évaluation en erreur ne s'enregistre pas", self.reference)
        evaluation = EvaluationEnregistree(
            numero=self.evaluations_anterieures + len(self.evaluations) + 1, resultat=resultat,
            version_regles=resultat.version_regles,
            date_reference=date_reference, auteur=auteur, quand=quand,
            donnees=self.donnees.model_dump(mode="json"))
        self.evaluations.append(evaluation)
        self.corrections = corr.reconcilier(self.corrections, resultat)
        return evaluation

    def _evaluation_a_corriger(self) -> EvaluationEnregistree:
        if self.clos:
            raise Refus(f"un dossier « {self.etat} » ne se corrige plus", self.reference)
        if not self.evaluations:
            raise Refus("aucune évaluation à corriger : évaluez d'abord le dossier", self.reference)
        return self.evaluations[-1]

    def corriger(self, genre: str, cible: Optional[str], valeur: str, justification: str, auteur: str,
                 quand: datetime) -> corr.Correction:
        evaluation = self._evaluation_a_corriger()
        corr.verifier(genre, cible, valeur or "", justification or "", evaluation.resultat, self.reference)
        correction = corr.Correction(
            numero=len(self.corrections) + 1, genre=genre, cible=cible, valeur=valeur.strip(),
            valeur_calculee=corr.valeur_calculee(genre, cible, evaluation.resultat),
            justification=justification.strip(), auteur=auteur, quand=quand, evaluation=evaluation.numero)
        self.corrections.append(correction)
        return correction

    def confirmer_correction(self, numero: int, auteur: str, justification: str, quand: datetime) -> None:
        """L'instructeur maintient une correction « à revoir » au vu du nouveau calcul, qui devient sa référence."""
        c = self._correction_active(numero, justification, "confirmer")
        calcul = corr.valeur_calculee(c.genre, c.cible, self._evaluation_a_corriger().resultat)
        self.corrections[numero - 1] = replace(
            c, a_revoir=False, motif_revue="", valeur_calculee=calcul,
            justification=f"{c.justification} — maintenue par {auteur} le {jour_de(quand):%d/%m/%Y} "
                          f"(calcul : {calcul or '—'}) : {justification.strip()}")

    def retirer_correction(self, numero: int, auteur: str, justification: str, quand: datetime) -> None:
        c = self._correction_active(numero, justification, "retirer")
        self._evaluation_a_corriger()  # a closed dossier keeps its corrections as they were decided
        self.corrections[numero - 1] = replace(
            c, retiree=True, a_revoir=False,
            retrait=f"{auteur}, le {jour_de(quand):%d/%m/%Y} : {justification.strip()}")

    def _correction_active(self, numero: int, justification: str, verbe: str) -> corr.Correction:
        if not 1 <= numero <= len(self.corrections):
            raise SaisieRefusee("correction", f"n° {numero} inconnu ({len(self.corrections)} corrections)",
                                self.reference)
        c = self.corrections[numero - 1]
        if c.retiree:
            raise Refus(f"la correction n° {numero} est déjà retirée ({c.retrait})", self.reference)
        if not justification or not justification.strip():
            raise SaisieRefusee("justification", f"{verbe} une correction exige une justification", self.reference)
        return c

    def evaluation_retenue(self) -> Optional[Evaluation]:
        """La dernière évaluation, corrigée par l'instructeur."""
        derniere = self.derniere_evaluation
        return corr.appliquer(derniere.resultat, self.corrections) if derniere else None

    def decider(self, decisions: dict[str, str], motif: str, auteur: str, quand: datetime, comite: str,
                montants: Optional[dict[str, Decimal]] = None, dispositifs: Optional[dict[str, str]] = None) -> None:
        """Enregistre la décision du comité pour chaque financeur donné. Un dossier se décide financeur par
        financeur : la première décision le fait passer à « decide », les suivantes de la même réunion
        s'ajoutent. Une décision enregistrée est définitive pour sa réunion ; une réunion dont le dossier
        est passé à l'ordre du jour d'une autre ne décide plus rien pour lui."""
        if not decisions:
            raise SaisieRefusee("decisions", "au moins une décision par financeur", self.reference)
        if self.comite_en_cours is not None and self.comite_en_cours != comite:
            raise Refus(f"le dossier est à l'ordre du jour du comité « {self.comite_en_cours} » : le comité "
                        f"« {comite} » ne décide plus pour lui", self.reference)
        for financeur, decision in decisions.items():
            if financeur not in FINANCEURS:
                raise SaisieRefusee("financeur", f"« {financeur} » inconnu ; possibles : {', '.join(FINANCEURS)}",
                                    self.reference)
            if decision not in DECISIONS:
                raise SaisieRefusee("decision", f"« {decision} » inconnue ; possibles : {', '.join(DECISIONS)}",
                                    self.reference)
        montants, dispositifs = montants or {}, dispositifs or {}
        for financeur, montant in montants.items():
            # A granted amount goes with a favourable decision only: a refusal or an adjournment grants nothing.
            if financeur not in decisions or decisions[financeur] != "favorable":
                raise SaisieRefusee(f"montant_{financeur}", "un montant ne va qu'avec une décision favorable",
                                    self.reference)
            if not isinstance(montant, Decimal) or not montant.is_finite() or montant < 0 \
                    or montant >= Decimal(10) ** 12 or montant != montant.quantize(Decimal("0.01")):
                raise SaisieRefusee(f"montant_{financeur}", "un montant positif ou nul, au centime près,"
                                    " sous 1 000 milliards d'euros",
                                    self.reference)
        deja = {d.financeur: d.decision for d in self.decisions_du_comite(comite)}
        if self.etat == DECIDE and self.comite_en_cours == comite and not set(decisions) & set(deja):
            if not motif or not motif.strip():
                raise SaisieRefusee("motif", "chaque décision dit pourquoi", self.reference)
        else:
            if set(decisions) & set(deja):
                doubles = ", ".join(f"{f} ({deja[f]})" for f in sorted(set(decisions) & set(deja)))
                raise Refus(f"décision déjà enregistrée au comité « {comite} » pour {doubles} : elle est "
                            "définitive pour cette réunion", self.reference)
            self.passer(DECIDE, auteur, quand, motif, comite)  # checks the state before anything is recorded
        self.decisions.extend(Decision(f, d, motif.strip(), auteur, quand, comite, montants.get(f),
                                       dispositifs.get(f) or None) for f, d in decisions.items())


def _changements(avant: Dossier, apres: Dossier) -> list[str]:
    """« champ : ancienne → nouvelle » pour chaque champ du formulaire qui change."""
    a, b = _champs_a_plat(avant.model_dump(mode="json")), _champs_a_plat(apres.model_dump(mode="json"))
    return [f"{champ} : {_texte(a.get(champ))} → {_texte(b.get(champ))}"
            for champ in dict.fromkeys([*a, *b]) if a.get(champ) != b.get(champ)]


def _champs_a_plat(donnees: dict[str, Any], prefixe: str = "") -> dict[str, Any]:
    plat: dict[str, Any] = {}
    for cle, valeur in donnees.items():
        if isinstance(valeur, dict):
            plat.update(_champs_a_plat(valeur, f"{prefixe}{cle}."))
        else:
            plat[f"{prefixe}{cle}"] = valeur
    return plat


def _texte(valeur: Any) -> str:
    if valeur is None:
        return "inconnu"
    if isinstance(valeur, list):
        return "[" + ", ".join(_texte(v) if not isinstance(v, dict) else ":".join(map(str, v.values()))
                               for v in valeur) + "]"
    return str(valeur)
