"""Nos conditions et nos jointures traduites en règles durable-rules : chaque opérateur, la négation
poussée aux feuilles, et le même verdict que l'évaluateur Python selon un modèle pur du moteur. Pur
Python : ces tests tournent aussi là où durable-rules ne s'importe pas (Python 3.13)."""
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules.conditions import Combinaison, lire_condition
from rules.durable import traduction
from rules.evaluateur import DECODE, compiler
from rules.jointures import Jointure
from tests.unit.cas_durable import BORNES, CONNUS, PARFOIS_INCONNUS, REGLES_PROPRIETE, charger, declenchees_modele

JOUR = date(2025, 1, 1).toordinal()

# (condition, its expression, the expression of its negation); the field is always "c0".
CAS = [
    ({"projet.nature": "etude"}, {"c0": "etude"}, {"$neq": {"c0": "etude"}}),
    ({"projet.nature": {"different_de": "etude"}}, {"$neq": {"c0": "etude"}}, {"c0": "etude"}),
    ({"projet.nature": {"parmi": ["investissement", "etude"]}},
     {"$or": [{"c0": "etude"}, {"c0": "investissement"}]},
     {"$and": [{"$neq": {"c0": "etude"}}, {"$neq": {"c0": "investissement"}}]}),
    ({"projet.nature": {"hors_de": ["investissement", "etude"]}},
     {"$and": [{"$neq": {"c0": "etude"}}, {"$neq": {"c0": "investissement"}}]},
     {"$or": [{"c0": "etude"}, {"c0": "investissement"}]}),
    ({"projet.thematiques": "velo"}, {"$iany": {"c0": {"$i": "velo"}}}, {"$iall": {"c0": {"$neq": {"$i": "velo"}}}}),
    ({"projet.thematiques": {"contient_un_de": ["velo", "memoire"]}},
     {"$iany": {"c0": {"$or": [{"$i": "memoire"}, {"$i": "velo"}]}}},
     {"$iall": {"c0": {"$and": [{"$neq": {"$i": "memoire"}}, {"$neq": {"$i": "velo"}}]}}}),
    ({"projet.thematiques": {"ne_contient_aucun": ["velo", "memoire"]}},
     {"$iall": {"c0": {"$and": [{"$neq": {"$i": "memoire"}}, {"$neq": {"$i": "velo"}}]}}},
     {"$iany": {"c0": {"$or": [{"$i": "memoire"}, {"$i": "velo"}]}}}),
    ({"budget.cout_total_ht": {"min": 100000}}, {"$gte": {"c0": 100000}}, {"$lt": {"c0": 100000}}),
    ({"budget.cout_total_ht": {"max": 100000}}, {"$lte": {"c0": 100000}}, {"$gt": {"c0": 100000}}),
    ({"budget.cout_total_ht": {"sup": 0.8}}, {"$gt": {"c0": 0.8}}, {"$lte": {"c0": 0.8}}),
    ({"budget.cout_total_ht": {"inf": 0.8}}, {"$lt": {"c0": 0.8}}, {"$gte": {"c0": 0.8}}),
    ({"dossier.date_reference": {"min": "2025-01-01"}}, {"$gte": {"c0": JOUR}}, {"$lt": {"c0": JOUR}}),
    ({"dossier.date_reference": "2025-01-01"}, {"c0": JOUR}, {"$neq": {"c0": JOUR}}),
    ({"projet.date_debut_travaux": {"renseigne": True}}, {"$ex": {"c0": 1}}, {"$nex": {"c0": 1}}),
    ({"projet.date_debut_travaux": {"renseigne": False}}, {"$nex": {"c0": 1}}, {"$ex": {"c0": 1}}),
]


@pytest.mark.parametrize("condition, positive, niee", CAS, ids=[str(c) for c, _, _ in CAS])
def test_chaque_operateur_et_sa_negation(condition, positive, niee):
    noeud = lire_condition(condition)
    noms = {noeud.champ: "c0"}
    assert traduction.expression(noeud, noms) == positive
    assert traduction.expression(noeud, noms, nie=True) == niee
    assert traduction.expression(Combinaison("aucune", (noeud,)), noms) == niee  # « aucune » is a negation


def test_la_negation_descend_aux_feuilles_et_les_groupes_sont_aplatis():
    condition = lire_condition({"aucune": [
        {"toutes": [{"porteur.public": True}, {"budget.cout_total_ht": {"sup": 5}}]},
        {"au_moins_une": [{"projet.nature": "etude"}, {"aucune": [{"porteur.type": "adrt"}]}]},
    ]})
    noms = {"porteur.public": "c0", "budget.cout_total_ht": "c1", "projet.nature": "c2", "porteur.type": "c3"}
    # not (A and B) and not (C or not D) = (not A or not B) and not C and D
    assert traduction.expression(condition, noms) == {"$and": [
        {"$or": [{"$neq": {"c0": True}}, {"$lte": {"c1": 5}}]}, {"$neq": {"c2": "etude"}}, {"c3": "adrt"}]}


def test_une_regle_porte_son_expression_sur_un_seul_fait_et_rend_tout_en_un_message():
    assert traduction.regle({"c0": 1}) == {"all": [{"m": {"c0": 1}}], "cap": 65535}


def test_une_jointure_devient_une_regle_a_deux_faits():
    constantes = {("texte", "dossier"): "0", ("texte", "financeur"): "1", ("texte", "entreprise"): "2"}
    noms = {"sorte": "c0", "siren": "c1", "type": "c2", "code": "c3"}
    meme_sorte = Jointure("p", ("dossier", "dossier"), (("siren", "siren"),))
    assert traduction.champs_de(meme_sorte) == ["siren", "siren"]
    assert traduction.regle_jointure(meme_sorte, noms, constantes) == {"all": [
        {"a": {"$and": [{"c0": "0"}, {"$ex": {"c1": 1}}]}},
        # the ordering comes first in its $and: after any other test, the engine segfaults
        {"b": {"$and": [{"$gt": {"n": {"a": "n"}}}, {"c0": "0"}, {"$ex": {"c1": 1}}, {"c1": {"a": "c1"}}]}},
    ], "cap": 65535}
    croisee = Jointure("d", ("financeur", "dossier"), (("code", "siren"),), ((), (("type", "entreprise"),)))
    assert traduction.champs_de(croisee) == ["code", "siren", "type"]
    assert traduction.regle_jointure(croisee, noms, constantes) == {"all": [
        {"a": {"$and": [{"c0": "1"}, {"$ex": {"c3": 1}}]}},
        {"b": {"$and": [{"c0": "0"}, {"c2": "2"}, {"$ex": {"c1": 1}}, {"c1": {"a": "c3"}}]}},
    ], "cap": 65535}


# --- The same verdicts as the Python evaluator, on the pure model of the engine --------------------

@pytest.fixture(scope="module")
def regles_propriete():
    regles = charger(*REGLES_PROPRIETE)
    return regles, compiler(regles)


def _vraies(fonction, faits):
    return frozenset(i for i, x in enumerate(fonction(faits)) if DECODE[x] is True)


@settings(max_examples=150, deadline=None)
@given(st.lists(PARFOIS_INCONNUS, min_size=1, max_size=20))
@example(lot=BORNES[0])
@example(lot=BORNES[1])
@example(lot=BORNES[2])
def test_la_traduction_dit_vrai_exactement_quand_python_dit_vrai(regles_propriete, lot):
    regles, fonction = regles_propriete
    assert declenchees_modele(regles, lot) == [_vraies(fonction, faits) for faits in lot]


@settings(max_examples=50, deadline=None)
@given(st.lists(CONNUS, min_size=1, max_size=5))
@example(lot=BORNES[0])
@example(lot=[{**BORNES[0][0], **faits} for faits in BORNES[1]])  # every field known
def test_sur_des_faits_connus_la_negation_d_une_regle_est_vraie_quand_elle_est_fausse(regles_propriete, lot):
    regles, fonction = regles_propriete
    niees = [replace(r, condition=Combinaison("aucune", (r.condition,))) for r in regles]
    tout = set(range(len(regles)))
    for faits, feu, feu_nie in zip(lot, declenchees_modele(regles, lot), declenchees_modele(niees, lot)):
        assert feu == _vraies(fonction, faits)
        assert feu_nie == tout - feu  # no field is unknown: false is the only other answer
