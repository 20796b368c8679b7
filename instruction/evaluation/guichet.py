"""Le cas d'usage central : un dossier (ou un lot) entre, une évaluation sort.

Une saisie invalide donne une `EvaluationInvalide` (sa référence et ses erreurs) à sa place ; elle ne
fait jamais échouer les autres dossiers du lot.
"""
from datetime import date
from itertools import compress, islice, repeat
from operator import is_
from typing import Any, Iterable, Iterator, Optional, Sequence

from forms.dossier import Dossier
from forms.validation import ErreurChamp, reference_de, valider_dossier
from instruction.evaluation.assemblage import assembler
from instruction.evaluation.faits import faits_du_dossier
from instruction.evaluation.plan import PlanEvaluation
from instruction.evaluation.resultat import EvaluationInvalide, Resultat
from instruction.evaluation.territoire import Territoire
from rules.base import BaseDeRegles, JeuEnVigueur
from rules.jointures import Jointure, paires_python

MOTEURS = ("auto", "python", "durable")


class MoteurInconnu(ValueError):
    def __init__(self, nom: str):
        super().__init__(f"moteur inconnu « {nom} » ; possibles : {', '.join(MOTEURS)}")


def _charger_durable():
    from rules import durable as moteur_durable  # imported lazily: it does not exist on Python 3.13
    return moteur_durable


class Guichet:
    """La base de règles et le territoire sont chargés par qui câble l'application (`api/bootstrap.py`) :
    le domaine ne lit pas de fichier de lui-même."""

    def __init__(self, base: BaseDeRegles, territoire: Territoire, moteur: str = "auto"):
        if moteur not in MOTEURS:
            raise MoteurInconnu(moteur)
        self.base = base
        self.territoire = territoire
        self.moteur = self._choisir(moteur)
        self._durables: dict[Any, Any] = {}  # by rules version, or by tuple of joins
        self._plans: dict[str, PlanEvaluation] = {}
        self.replis_python = 0  # dossiers judged by the Python evaluator after durable-rules refused them
        self.desaccords = 0  # dossiers where durable-rules and the three-valued evaluator disagreed

    @staticmethod
    def _choisir(moteur: str) -> str:
        if moteur == "python":
            return "python"
        durable = _charger_durable()
        if durable.disponible():
            return "durable"
        if moteur == "durable":
            raise durable.MoteurDurableIndisponible()
        return "python"

    def valider(self, donnees: Any) -> tuple[Optional[Dossier], list[ErreurChamp]]:
        """Les données brutes d'un dossier, ou un `Dossier` déjà validé (dont seule la commune est revue)."""
        dossier, erreurs = (donnees, []) if isinstance(donnees, Dossier) else valider_dossier(donnees)
        if dossier is not None:
            insee = dossier.projet.commune_insee
            if insee and self.territoire.commune(insee) is None:
                erreurs = [ErreurChamp("projet.commune_insee",
                                       f"commune inconnue en Hauts-de-France : « {insee} » (code INSEE attendu)")]
                dossier = None
        return dossier, erreurs

    def evaluer(self, donnees: Any, date_imposee: Optional[date] = None) -> Resultat:
        """`donnees` : un dossier brut (JSON du contrat) ou un `Dossier` déjà validé."""
        return next(self.evaluer_lot([donnees], date_imposee))

    def evaluer_lot(self, lot: Iterable[Any], date_imposee: Optional[date] = None,
                    taille: int = 2000) -> Iterator[Resultat]:
        """Évalue dans l'ordre d'entrée, par paquets (le moteur durable traite un paquet par session). Chaque
        élément est un dossier brut ou un `Dossier` déjà validé, qui n'est pas revalidé."""
        iterateur = iter(lot)
        while paquet := list(islice(iterateur, taille)):
            yield from self._paquet(paquet, date_imposee)

    def _paquet(self, paquet: list[Any], date_imposee: Optional[date]) -> list[Resultat]:
        sorties: list[Optional[Resultat]] = [None] * len(paquet)
        a_evaluer: dict[str, list[tuple[int, str, str, dict]]] = {}
        jeux: dict[str, JeuEnVigueur] = {}
        for position, donnees in enumerate(paquet):
            dossier, erreurs = self.valider(donnees)
            if dossier is None:
                sorties[position] = EvaluationInvalide(reference_de(donnees), tuple(erreurs))
                continue
            jour = date_imposee or dossier.date_depot
            jeu = self.base.en_vigueur(jour or date.today())
            jeux[jeu.version] = jeu
            # Undated: rules in force today are used, but what depends on the date stays unknown.
            faits = faits_du_dossier(dossier, self.territoire, jour)
            jour = jour or date.today()
            a_evaluer.setdefault(jeu.version, []).append(
                (position, dossier.reference, f"{jeu.version}@{jour.isoformat()}", faits))
        for version, elements in a_evaluer.items():
            jeu = jeux[version]
            plan = self._plans.get(version) or self._plans.setdefault(version, PlanEvaluation(jeu.regles, jeu.feuilles))
            lot_faits = [faits for *_, faits in elements]
            trois_valeurs = [jeu.evaluer_avec_tests(faits) for faits in lot_faits]
            decisions = self._decisions(jeu, lot_faits, [r for r, _ in trois_valeurs])
            for (position, reference, version_complete, faits), resultats, (_, tests) in zip(
                    elements, decisions, trois_valeurs):
                sorties[position] = assembler(reference, plan, resultats, tests, faits, version_complete)
        return sorties  # type: ignore[return-value]

    def _decisions(self, jeu: JeuEnVigueur, lot_faits: list[dict],
                   trois_valeurs: list[list[Optional[bool]]]) -> list[list[Optional[bool]]]:
        if self.moteur == "python":
            return trois_valeurs
        durable = _charger_durable()
        try:
            moteur = self._durables.get(jeu.version)
            if moteur is None:
                moteur = self._durables[jeu.version] = durable.MoteurDurable(jeu.regles)
            declenchees = moteur.declenchees(lot_faits)
        except durable.ErreurMoteurDurable:
            # The Python evaluator is the reference semantics: a batch the C engine refuses
            # (a value it cannot encode, a ruleset its parser rejects) is still judged, never lost.
            self.replis_python += len(lot_faits)
            return trois_valeurs
        # durable-rules decides what fires; the three-valued pass only tells false from unknown.
        # The two never disagree in the tests; a disagreement in production is counted, not hidden.
        fusion = []
        for feu, resultats in zip(declenchees, trois_valeurs):
            # Same rules true for both (the rule): durable's decision is the three-valued result itself.
            if feu == frozenset(compress(range(len(resultats)), map(is_, resultats, repeat(True)))):
                fusion.append(resultats)
                continue
            self.desaccords += 1
            fusion.append([True if i in feu else (None if r is None else False) for i, r in enumerate(resultats)])
        return fusion


    def apparier(self, jointures: Sequence[Jointure],
                 faits: Sequence[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
        """Les paires de faits qui se joignent, tous les faits dans une seule session du moteur."""
        if self.moteur == "python":
            return paires_python(jointures, faits)
        durable = _charger_durable()
        try:
            moteur = self._durables.get(jointures)
            if moteur is None:
                moteur = self._durables[jointures] = durable.JointuresDurables(jointures)
            return moteur.paires(faits)
        except durable.ErreurMoteurDurable:
            self.replis_python += 1  # the Python joins are the reference semantics: nothing is lost
            return paires_python(jointures, faits)
