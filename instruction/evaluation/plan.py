"""Ce que l'assemblage d'une évaluation tire d'un jeu de règles, calculé une fois par jeu.

Regrouper les règles par financeur et par effet, préparer la partie fixe de chaque constat
et la liste des tests à expliquer ne dépend que des règles en vigueur, pas du dossier.
"""
from datetime import date
from operator import itemgetter
from typing import Any, Callable, Sequence

from forms.valeurs import ACCOMPAGNEMENTS, FINANCEURS
from instruction.evaluation.faits import DEPENDANCES
from instruction.evaluation.resultat import Bande
from rules.chargement import DETAIL
from rules.regle import EFFETS_STATUT, Regle

EFFETS_RESERVE = ("avertissement", "piece_requise")
# Ordering tests read amounts, rates and dates: values that rarely come back from one dossier to the next.
_TESTS_D_ORDRE = ("min", "max", "sup", "inf")


class Memo:
    """Un mémo borné : les valeurs d'une génération récente, et celles de la précédente.

    Une valeur retrouvée dans l'ancienne génération revient dans la récente ; quand la récente est pleine,
    elle devient l'ancienne et l'ancienne est oubliée. Ce qui revient souvent reste, ce qui ne revient pas
    passe : la mémoire reste bornée (deux générations au plus) sur un lot, un processus web ou un long
    banc d'essai."""
    __slots__ = ("recents", "anciens", "taille")

    def __init__(self, taille: int = 10_000):
        self.recents: dict[Any, Any] = {}  # read directly by the hot loops: dict.get is a C call
        self.anciens: dict[Any, Any] = {}
        self.taille = taille

    def chercher(self, cle: Any) -> Any:
        """La valeur de `cle` (None si elle est oubliée), après un échec dans `recents`."""
        valeur = self.anciens.get(cle)
        if valeur is not None:
            self.retenir(cle, valeur)
        return valeur

    def retenir(self, cle: Any, valeur: Any) -> Any:
        if len(self.recents) >= self.taille:
            self.anciens, self.recents = self.recents, {}
        self.recents[cle] = valeur
        return valeur


def en_json(valeur: Any) -> Any:
    if isinstance(valeur, (frozenset, set)):
        return sorted(valeur)
    if isinstance(valeur, (tuple, list)):
        return [en_json(v) for v in valeur]
    if isinstance(valeur, date):
        return valeur.isoformat()
    return valeur if isinstance(valeur, (str, int, float, bool, type(None))) else str(valeur)


def _constat_fixe(regle: Regle) -> tuple[Any, ...]:
    """Les champs d'un constat qui ne dépendent que de la règle, dans l'ordre de `Constat` : regle,
    financeur, effet, message, source, interpretation, piece, montant, motif_interpretation ; les
    conditions s'y ajoutent par dossier."""
    return (regle.id, regle.financeur, regle.effet, regle.message, regle.source, regle.interpretation, regle.piece,
            Bande(regle.montant["min"], regle.montant["max"]) if regle.montant else None, regle.motif_interpretation)


def _lecteur(indices: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """Une fonction qui lit ces positions d'une séquence et les rend en tuple (vide s'il n'y en a pas)."""
    if not indices:
        return lambda _: ()
    if len(indices) == 1:
        seule = indices[0]
        return lambda sequence: (sequence[seule],)
    return itemgetter(*indices)  # a C call: the key of a memo costs little more than a tuple


class PlanEvaluation:
    def __init__(self, regles: Sequence[Regle], feuilles: Sequence[Sequence[int]]):
        """`feuilles` : pour chaque règle, la position de chacun de ses tests dans le vecteur des tests."""
        self.regles = tuple(regles)
        self.par_financeur: dict[str, dict[str, list[int]]] = {f: {} for f in FINANCEURS}
        for i, regle in enumerate(self.regles):
            if regle.financeur in self.par_financeur and regle.effet in EFFETS_STATUT + ("montant",):
                self.par_financeur[regle.financeur].setdefault(regle.effet, []).append(i)
        self.reserve = frozenset(i for i, r in enumerate(self.regles) if r.effet in EFFETS_RESERVE)
        # A warning about one funder's route (ADEME's "plutôt TPE/PME") is not a reserve on the avis.
        self.reserve_avis = frozenset(i for i in self.reserve if self.regles[i].financeur in (None, "region_hdf"))
        self.accompagnement = {i: r.financeur for i, r in enumerate(self.regles) if r.effet == "accompagnement"}
        self.ordre_accompagnement = {a: rang for rang, a in enumerate(ACCOMPAGNEMENTS)}
        self.constats_fixes = [_constat_fixe(r) for r in self.regles]
        self.ids = tuple(r.id for r in self.regles)
        self.financeur_de = tuple(r.financeur for r in self.regles)
        # A funder's status depends only on the results of its own rules: per funder, the reader of
        # those results, the key of a memo of its status (few combinations occur in practice).
        self.lecteurs_statut = {f: _lecteur(sorted({i for liste in par_effet.values() for i in liste}))
                                for f, par_effet in self.par_financeur.items()}
        self.memo_statuts = {f: Memo() for f in self.par_financeur}
        # Conditions and findings are immutable: one object serves every dossier that read the same values.
        # Not those of a field read by an ordering test (an amount, a rate, a date): such a value seldom
        # comes back, and a finding that reads one is built for its dossier.
        self.memo_conditions = Memo()
        self.memo_constats = Memo()
        # The few messages that quote a detail of the dossier ({{...}}): filled only when they apply.
        self.details = {i: tuple(DETAIL.findall(r.message)) for i, r in enumerate(self.regles) if "{{" in r.message}
        self.tests = [[(k, t.champ, t.operateur, en_json(t.valeur)) for k, t in zip(positions, r.condition.feuilles())]
                      for r, positions in zip(self.regles, feuilles)]
        continus = {t.champ for r in self.regles for t in r.condition.feuilles() if t.operateur in _TESTS_D_ORDRE}
        self.lectures = [tuple((k, champ, operateur, attendu, champ not in continus)
                               for k, champ, operateur, attendu in tests) for tests in self.tests]
        self.constat_partage = [not (set(r.condition.champs()) & continus) and i not in self.details
                                for i, r in enumerate(self.regles)]
        # The fields a rule's tests read: their values make its finding (a test's result is a function
        # of its field's value).
        self.champs_lus = [tuple(dict.fromkeys(champ for _, champ, *_ in tests)) for tests in self.tests]
        # A test is unknown exactly when its field is (except « renseigne », never unknown).
        self.champs_inconnus_possibles = [
            tuple(dict.fromkeys(t.champ for t in r.condition.feuilles() if t.operateur != "renseigne"))
            for r in self.regles
        ]
        # With each, the form fields to ask for when it is unknown (faits.champs_du_formulaire).
        self.inconnus_possibles = [tuple((c, DEPENDANCES.get(c, (c,))) for c in champs)
                                   for champs in self.champs_inconnus_possibles]
        self.indices = range(len(self.regles))

