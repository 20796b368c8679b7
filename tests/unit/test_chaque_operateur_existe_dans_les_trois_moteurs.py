"""Chaque opérateur des conditions (rules.conditions.OPERATEURS) est défini trois fois, une par
moteur : l'arbre (rules.conditions.tester), l'évaluateur compilé (rules.evaluateur.compiler) et la
traduction durable-rules (rules.durable.traduction). Chacun donne à chaque opérateur son sens, juste au
seuil, en dessous et au-dessus, seul et nié ; aucun ne donne un sens à un opérateur qu'il ne connaît pas."""
from dataclasses import replace
from datetime import date

import pytest

from rules import conditions, durable  # not « from rules.conditions import tester, Test »: pytest collects them
from rules.conditions import OPERATEURS, Combinaison, evaluer, lire_condition
from rules.durable import traduction
from rules.durable.traduction import TRADUCTIONS
from rules.evaluateur import DECODE, compiler
from tests.unit.cas_durable import charger, declenchees_modele

MODELE = charger("porteur.public: true")[0]


def test_un_operateur_inconnu_est_refuse_par_les_trois_moteurs_jamais_interprete():
    # The loader refuses it first (test_conditions.py); built by hand, no engine gives it the meaning
    # of another operator.
    inconnu = conditions.Test("budget.cout_total_ht", "environ", 100000)
    with pytest.raises(ValueError, match="opérateur inconnu « environ »"):
        conditions.tester(inconnu, 100000)
    with pytest.raises(KeyError):
        compiler([replace(MODELE, id="t.inconnu", condition=inconnu)])
    with pytest.raises(KeyError):
        traduction.expression(inconnu, {"budget.cout_total_ht": "c0"})


def test_la_traduction_durable_a_une_entree_par_operateur():
    assert set(TRADUCTIONS) == set(OPERATEURS)


# --- The same meaning everywhere -------------------------------------------------------------------

SENS = {  # what each operator means, written here again, on a known value v and the rule's constant k
    "est": lambda v, k: v == k, "different_de": lambda v, k: v != k,
    "parmi": lambda v, k: v in k, "hors_de": lambda v, k: v not in k,
    "contient": lambda v, k: k in v, "contient_un_de": lambda v, k: bool(set(v) & set(k)),
    "ne_contient_aucun": lambda v, k: not set(v) & set(k),
    "min": lambda v, k: v >= k, "max": lambda v, k: v <= k, "sup": lambda v, k: v > k, "inf": lambda v, k: v < k,
    "renseigne": lambda v, k: (v is not None) == k,
}
NATURES = ["etude", "investissement", None]
THEMES = [("velo",), ("memoire", "nature"), ("nature",), (), None]
MONTANTS = [99999.99, 100000, 100000.0, 100000.01, None]
CAS = [  # (field, operator, the rule's constant as written, values of the field)
    ("projet.nature", "est", "etude", NATURES),
    ("projet.nature", "different_de", "etude", NATURES),
    ("projet.nature", "parmi", ["etude", "promotion"], NATURES),
    ("projet.nature", "hors_de", ["etude", "promotion"], NATURES),
    ("projet.thematiques", "contient", "velo", THEMES),
    ("projet.thematiques", "contient_un_de", ["velo", "memoire"], THEMES),
    ("projet.thematiques", "ne_contient_aucun", ["velo", "memoire"], THEMES),
    ("budget.cout_total_ht", "min", 100000, MONTANTS),
    ("budget.cout_total_ht", "max", 100000, MONTANTS),
    ("budget.cout_total_ht", "sup", 100000, MONTANTS),
    ("budget.cout_total_ht", "inf", 100000, MONTANTS),
    ("dossier.date_reference", "inf", "2025-01-01", [date(2024, 12, 31), date(2025, 1, 1), None]),
    ("projet.date_debut_travaux", "renseigne", True, [date(2025, 1, 1), None]),
    ("projet.date_debut_travaux", "renseigne", False, [date(2025, 1, 1), None]),
]


def test_chaque_operateur_a_ses_cas():
    assert {op for _, op, _, _ in CAS} == set(OPERATEURS) == set(SENS)


def _attendus(op, k, valeurs):
    """Le sens de l'opérateur, puis celui de sa négation ; inconnu (None) sur une valeur inconnue."""
    plein = [SENS[op](v, k) if v is not None or op == "renseigne" else None for v in valeurs]
    return plein, [None if r is None else not r for r in plein]


def _regles(champ, op, constante):
    test = lire_condition({champ: {op: constante}})
    assert isinstance(test, conditions.Test) and test.operateur == op
    return [replace(MODELE, id="t.plein", condition=test),
            replace(MODELE, id="t.nie", condition=Combinaison("aucune", (test,)))]


@pytest.mark.parametrize("champ, op, constante, valeurs", CAS, ids=[f"{c[1]} {c[2]}" for c in CAS])
def test_l_arbre_et_l_evaluateur_compile_donnent_a_chaque_operateur_son_sens(champ, op, constante, valeurs):
    regles = _regles(champ, op, constante)
    k = regles[0].condition.valeur
    plein, nie = _attendus(op, k, valeurs)
    assert [conditions.tester(regles[0].condition, v) for v in valeurs] == plein
    fonction = compiler(regles)
    for regle, attendu in zip(regles, (plein, nie)):
        assert [evaluer(regle.condition, {champ: v}).resultat for v in valeurs] == attendu
    assert [[DECODE[x] for x in fonction({champ: v})] for v in valeurs] == [list(p) for p in zip(plein, nie)]


def _declenchees_attendues(regles, valeurs):
    """Deux valeurs : une règle est déclenchée si et seulement si elle est vraie (ni fausse, ni inconnue)."""
    plein, nie = _attendus(regles[0].condition.operateur, regles[0].condition.valeur, valeurs)
    return [frozenset(i for i, r in enumerate(rs) if r is True) for rs in zip(plein, nie)]


@pytest.mark.parametrize("champ, op, constante, valeurs", CAS, ids=[f"{c[1]} {c[2]}" for c in CAS])
def test_la_traduction_durable_donne_a_chaque_operateur_son_sens(champ, op, constante, valeurs):
    regles = _regles(champ, op, constante)
    assert declenchees_modele(regles, [{champ: v} for v in valeurs]) == _declenchees_attendues(regles, valeurs)


@pytest.mark.skipif(not durable.disponible(), reason="durable-rules ne s'importe pas ici (Python 3.13 ?)")
@pytest.mark.parametrize("champ, op, constante, valeurs", CAS, ids=[f"{c[1]} {c[2]}" for c in CAS])
def test_durable_rules_donne_a_chaque_operateur_son_sens(champ, op, constante, valeurs):
    regles = _regles(champ, op, constante)
    lot = [{champ: v} for v in valeurs]
    assert durable.MoteurDurable(regles).declenchees(lot) == _declenchees_attendues(regles, valeurs)
