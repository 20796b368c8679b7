"""L'adaptateur durable-rules décide comme l'évaluateur Python : une règle est déclenchée si et
seulement si sa condition est vraie (jamais quand elle est fausse ou inconnue).

Ces tests parlent au moteur lui-même : ils sont sautés là où durable-rules ne s'importe pas. Le codage
des valeurs et la traduction des conditions, en pur Python, sont testés partout (test_durable_codage.py,
test_durable_traduction.py).
"""
import math
import threading
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules.durable import ErreurMoteurDurable, MoteurDurable, MoteurDurableIndisponible, disponible, session
from rules.evaluateur import DECODE, compiler
from tests.unit.cas_durable import (
    BORNES,
    CONNUS,
    IMBRIQUEES,
    PARFOIS_INCONNUS,
    REGLES_PROPRIETE,
    EspionDuMoteur,
    charger,
    declenchees_modele,
)

if not disponible():
    pytest.skip("durable-rules ne s'importe pas ici (Python 3.13 ?)", allow_module_level=True)


@pytest.fixture
def espion(monkeypatch) -> EspionDuMoteur:
    espion = EspionDuMoteur(session._moteur)
    monkeypatch.setattr(session, "_moteur", espion)
    return espion


def attendu(regles, lot):
    """La référence : les règles que l'évaluateur Python dit vraies (2), fait par fait."""
    fonction = compiler(regles)
    return [frozenset(i for i, x in enumerate(fonction(faits)) if DECODE[x] is True) for faits in lot]


def comparer(regles, lot):
    obtenu = MoteurDurable(regles).declenchees(lot)
    assert obtenu == attendu(regles, lot)
    return obtenu


# One rule, facts, and what the rule says for each fact: True, False or None (unknown).
CAS = [
    ("projet.nature: investissement",
     [({"projet.nature": "investissement"}, True), ({"projet.nature": "etude"}, False), ({}, None)]),
    ("porteur.public: true", [({"porteur.public": True}, True), ({"porteur.public": False}, False)]),
    ("porteur.public: false", [({"porteur.public": False}, True), ({"porteur.public": True}, False)]),
    ("""territoire.epci: 'a"b\\c é'""",
     [({"territoire.epci": 'a"b\\c é'}, True), ({"territoire.epci": "a"}, False), ({}, None)]),
    ("projet.nature: {different_de: etude}",
     [({"projet.nature": "investissement"}, True), ({"projet.nature": "etude"}, False), ({}, None)]),
    ("projet.nature: {parmi: [etude, investissement]}",
     [({"projet.nature": "etude"}, True), ({"projet.nature": "promotion"}, False), ({}, None)]),
    ("projet.nature: {hors_de: [etude, investissement]}",
     [({"projet.nature": "promotion"}, True), ({"projet.nature": "etude"}, False), ({}, None)]),
    ("projet.thematiques: velo",  # contient, the default on a list
     [({"projet.thematiques": ("memoire", "velo")}, True), ({"projet.thematiques": ("memoire",)}, False),
      ({"projet.thematiques": ()}, False), ({}, None)]),
    ("projet.thematiques: {contient_un_de: [velo, memoire]}",
     [({"projet.thematiques": ("nature", "memoire")}, True), ({"projet.thematiques": ("nature",)}, False),
      ({"projet.thematiques": ()}, False), ({}, None)]),
    ("projet.thematiques: {ne_contient_aucun: [velo, memoire]}",
     [({"projet.thematiques": ("nature",)}, True), ({"projet.thematiques": ()}, True),
      ({"projet.thematiques": ("nature", "velo")}, False), ({}, None)]),
    ("budget.cout_total_ht: {min: 100000}",
     [({"budget.cout_total_ht": 100000.0}, True), ({"budget.cout_total_ht": 100000}, True),
      ({"budget.cout_total_ht": 99999.99}, False), ({}, None)]),
    ("budget.cout_total_ht: {max: 100000}",
     [({"budget.cout_total_ht": 100000}, True), ({"budget.cout_total_ht": 100000.01}, False)]),
    ("budget.cout_total_ht: {sup: 100000}",
     [({"budget.cout_total_ht": 100000.5}, True), ({"budget.cout_total_ht": 100000}, False)]),
    ("budget.taux_aides_publiques: {inf: 0.00001}",  # repr: 1e-05, which durable cannot read
     [({"budget.taux_aides_publiques": 0.000009}, True), ({"budget.taux_aides_publiques": 1e-300}, True),
      ({"budget.taux_aides_publiques": -0.0}, True), ({"budget.taux_aides_publiques": 0.00001}, False)]),
    ("budget.cout_total_ht: {sup: 1.0e+20}",
     [({"budget.cout_total_ht": 2e20}, True), ({"budget.cout_total_ht": 1e20}, False),
      ({"budget.cout_total_ht": 2 ** 53}, False)]),
    ("projet.date_debut_travaux: {renseigne: true}",
     [({"projet.date_debut_travaux": date(2025, 1, 1)}, True), ({}, False)]),
    ("projet.date_debut_travaux: {renseigne: false}",
     [({}, True), ({"projet.date_debut_travaux": date(2025, 1, 1)}, False)]),
    ("projet.labels: {renseigne: true}", [({"projet.labels": ()}, True), ({"projet.labels": None}, False)]),
    ("dossier.date_reference: {min: 2025-01-01}",
     [({"dossier.date_reference": date(2025, 1, 1)}, True),
      ({"dossier.date_reference": date(2024, 12, 31)}, False), ({}, None)]),
    ("dossier.date_reference: {inf: 2025-01-01}",
     [({"dossier.date_reference": date(2024, 12, 31)}, True),
      ({"dossier.date_reference": date(2025, 1, 1)}, False)]),
    ("dossier.date_reference: 2025-03-10",
     [({"dossier.date_reference": date(2025, 3, 10)}, True),
      ({"dossier.date_reference": date(2025, 3, 11)}, False)]),
]


@pytest.mark.parametrize("condition, faits_et_verdicts", CAS, ids=[c for c, _ in CAS])
def test_chaque_operateur(condition, faits_et_verdicts):
    regles = charger(condition)
    lot = [faits for faits, _ in faits_et_verdicts]
    verdicts = [DECODE[compiler(regles)(faits)[0]] for faits in lot]
    assert verdicts == [v for _, v in faits_et_verdicts]  # the cases say what Python says
    assert comparer(regles, lot) == [frozenset({0}) if v else frozenset() for v in verdicts]


def test_combinaisons_imbriquees():
    regles = charger(*IMBRIQUEES)
    lot = [
        {"projet.nature": "etude", "projet.thematiques": ("velo",), "porteur.type": "commune",
         "projet.labels": (), "porteur.public": True, "dossier.date_reference": date(2024, 6, 1),
         "budget.cout_total_ht": 1000.0},
        {"projet.nature": "investissement", "projet.thematiques": (), "budget.cout_total_ht": 200000.0,
         "porteur.type": "adrt", "projet.labels": ("clef_verte",), "porteur.public": False,
         "dossier.date_reference": date(2025, 6, 1)},
        {"projet.nature": "etude", "budget.cout_total_ht": 3000.0},
        {},
    ]
    assert comparer(regles, lot) == [frozenset({0}), frozenset({2}), frozenset({2}), frozenset()]


def test_un_ou_sur_deux_champs_ne_compte_qu_une_fois(espion):
    regles = charger("""
        au_moins_une:
          - projet.nature: investissement
          - porteur.public: true
        """)
    obtenu = MoteurDurable(regles).declenchees([{"projet.nature": "investissement", "porteur.public": True}])
    assert obtenu == [frozenset({0})]
    # durable-rules itself fires once per true branch: the adapter counts the rule once.
    assert "".join(espion.messages).count('{"m":{"id":0,') == 2


def test_lots_de_3000_et_plus_de_1023_sessions():
    regles = charger("projet.nature: {parmi: [investissement, etude]}", "budget.cout_total_ht: {sup: 1500}",
                     "projet.thematiques: {ne_contient_aucun: [velo]}")
    natures = ["investissement", "etude", "promotion", None]
    lot = [{"projet.nature": natures[i % 4], "budget.cout_total_ht": float(i),
            "projet.thematiques": ("velo",) if i % 3 == 0 else ()} for i in range(3000)]
    moteur = MoteurDurable(regles)
    for _ in range(2):
        assert moteur.declenchees(lot) == attendu(regles, lot)
    petit = lot[:3]
    for _ in range(1100):  # one session per call: past 1023 undeleted ones, the engine fails
        assert moteur.declenchees(petit) == attendu(regles, petit)


def test_deux_moteurs_sur_les_memes_regles_partagent_le_ruleset(espion):
    # A ruleset is never unloaded by the engine: a second adapter on the same rules must not compile one.
    regles = charger("projet.secteur: {hors_de: [services, mobilite, accueil]}")
    premier = MoteurDurable(regles)
    compilations = espion.compilations
    assert compilations <= 1  # none if an earlier test of this process compiled the same rules
    second = MoteurDurable(regles)
    assert espion.compilations == compilations
    assert premier.declenchees([{"projet.secteur": "hebergement"}]) == [frozenset({0})]
    assert second.declenchees([{"projet.secteur": "hebergement"}]) == [frozenset({0})]
    assert len(espion.rulesets_affirmes()) == 1  # both asserted on the one ruleset


def test_trop_de_noeuds_vrais_a_la_fois_scinde_le_ruleset_et_s_en_souvient(espion):
    # 70 rules true at once overflow the engine's 64-entry alpha stack (error 303).
    regles = charger(*[f"budget.cout_total_ht: {{min: {k}}}" for k in range(70)])
    lot = [{"budget.cout_total_ht": 1000.0}, {}]
    moteur = MoteurDurable(regles)
    assert moteur.declenchees(lot) == [frozenset(range(70)), frozenset()]
    assert espion.refus() == 1  # the whole ruleset refused the lot once (303), then its halves took it
    moities = espion.rulesets_affirmes()
    assert len(moities) == 2
    espion.affirmations.clear()
    compilations = espion.compilations
    assert MoteurDurable(regles).declenchees(lot) == [frozenset(range(70)), frozenset()]
    # The split is remembered: the next adapter goes straight to the two halves, compiling nothing.
    assert (espion.refus(), espion.rulesets_affirmes(), espion.compilations) == (0, moities, compilations)


@pytest.mark.parametrize("valeur", [math.nan, math.inf, 2 ** 60, object(), ("velo", 1.5e-9)])
def test_une_valeur_intransmissible_est_une_erreur_claire(valeur):
    champ = "projet.thematiques" if isinstance(valeur, tuple) else "budget.cout_total_ht"
    regles = charger(f"{champ}: {{renseigne: true}}")
    with pytest.raises(ErreurMoteurDurable):
        MoteurDurable(regles).declenchees([{champ: valeur}])


def test_sans_regles_ou_sans_faits():
    assert MoteurDurable([]).declenchees([{}, {}]) == [frozenset(), frozenset()]
    assert MoteurDurable(charger("porteur.public: true")).declenchees([]) == []


def test_indisponible(monkeypatch):
    monkeypatch.setattr(session, "_moteur", None)
    assert not disponible()
    with pytest.raises(MoteurDurableIndisponible, match="durable-rules n'est pas disponible"):
        MoteurDurable(charger("porteur.public: true"))


def test_plusieurs_fils_a_la_fois():
    regles = charger(*IMBRIQUEES)
    lots = [[{"projet.nature": n, "budget.cout_total_ht": float(k * 1000 + i), "porteur.type": "adrt",
              "projet.thematiques": ("velo",) if i % 2 else ()} for i in range(200)]
            for k, n in enumerate(["etude", "investissement", "promotion", "etude"])]
    moteur = MoteurDurable(regles)
    fautes: list[BaseException] = []

    def travailler(lot):
        try:
            for _ in range(10):
                assert moteur.declenchees(lot) == attendu(regles, lot)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            fautes.append(exc)

    fils = [threading.Thread(target=travailler, args=(lot,)) for lot in lots]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert not fautes


# --- Property: the same verdicts as the Python evaluator -------------------------------------

@pytest.fixture(scope="module")
def moteur_propriete():
    regles = charger(*REGLES_PROPRIETE)
    return regles, MoteurDurable(regles), compiler(regles)


@settings(max_examples=150, deadline=None)
@given(st.lists(CONNUS, min_size=1, max_size=20))
@example(lot=BORNES[0])
@example(lot=BORNES[1])
def test_meme_verdict_que_python_sur_des_faits_connus(moteur_propriete, lot):
    regles, moteur, fonction = moteur_propriete
    obtenu = moteur.declenchees(lot)
    for faits, feu in zip(lot, obtenu):
        assert feu == {i for i, x in enumerate(fonction(faits)) if DECODE[x] is True}


@settings(max_examples=150, deadline=None)
@given(st.lists(PARFOIS_INCONNUS, min_size=1, max_size=20))
@example(lot=BORNES[0])
@example(lot=BORNES[1])
@example(lot=BORNES[2])
def test_jamais_vrai_quand_python_dit_faux_ou_inconnu(moteur_propriete, lot):
    regles, moteur, fonction = moteur_propriete
    for faits, feu in zip(lot, moteur.declenchees(lot)):
        verdicts = fonction(faits)
        assert all(DECODE[verdicts[i]] is True for i in feu)  # never true where Python says false or unknown
        assert feu == {i for i, x in enumerate(verdicts) if DECODE[x] is True}  # and here, not even less


@settings(max_examples=150, deadline=None)
@given(st.lists(PARFOIS_INCONNUS, min_size=1, max_size=20))
@example(lot=BORNES[1])
def test_le_modele_pur_des_autres_tests_dit_comme_le_moteur(moteur_propriete, lot):
    # test_durable_traduction.py judges the translation on this model where the engine is absent.
    regles, moteur, _ = moteur_propriete
    assert declenchees_modele(regles, lot) == moteur.declenchees(lot)
