"""La logique à trois valeurs : un champ inconnu n'est pas faux."""
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules.chargement import lire_fichier
from rules.conditions import ConditionInvalide, combiner, evaluer, lire_condition
from rules.evaluateur import DECODE, compiler


def test_un_test_sur_un_champ_inconnu_est_inconnu():
    assert evaluer(lire_condition({"projet.nature": "investissement"}), {}).resultat is None


def test_toutes_est_faux_des_qu_un_test_est_faux_meme_si_un_autre_est_inconnu():
    c = lire_condition({"toutes": [{"projet.nature": "investissement"}, {"porteur.type": "commune"}]})
    assert evaluer(c, {"projet.nature": "etude"}).resultat is False


def test_au_moins_une_est_vrai_des_qu_un_test_est_vrai_meme_si_un_autre_est_inconnu():
    c = lire_condition({"au_moins_une": [{"projet.nature": "investissement"}, {"porteur.type": "commune"}]})
    assert evaluer(c, {"porteur.type": "commune"}).resultat is True


def test_aucune_d_un_inconnu_reste_inconnu():
    c = lire_condition({"aucune": [{"porteur.type": "adrt"}]})
    assert evaluer(c, {}).resultat is None
    assert evaluer(c, {"porteur.type": "commune"}).resultat is True


def test_renseigne_n_est_jamais_inconnu():
    c = lire_condition({"projet.date_debut_travaux": {"renseigne": False}})
    assert evaluer(c, {}).resultat is True
    assert evaluer(c, {"projet.date_debut_travaux": date(2025, 1, 1)}).resultat is False


def test_la_trace_nomme_les_champs_inconnus():
    c = lire_condition({"toutes": [{"projet.secteur": "hebergement"}, {"porteur.taille": "grande"}]})
    trace = evaluer(c, {"projet.secteur": "hebergement"})
    assert trace.inconnus() == ("porteur.taille",)


@pytest.mark.parametrize("brut, message", [
    ({"projet.nature": {"parmi": "investissement"}}, "attend une liste"),
    ({"projet.thematiques": {"est": "velo"}}, "ne s'applique pas"),
    ({"projet.nature": {"min": 3}}, "compare des nombres ou des dates"),
    ({"budget.cout_total_ht": {"min": "beaucoup"}}, "attend un nombre"),
    ({"toutes": []}, "liste non vide"),
    ({"projet.nature": {"est": "etude", "parmi": ["etude"]}}, "un seul opérateur"),
])
def test_une_condition_mal_ecrite_dit_ce_qui_ne_va_pas(brut, message):
    with pytest.raises(ConditionInvalide, match=message):
        lire_condition(brut)


@pytest.mark.parametrize("mode, resultats, attendu", [
    ("toutes", [True, None], None), ("toutes", [True, True], True), ("toutes", [None, False], False),
    ("au_moins_une", [False, None], None), ("au_moins_une", [None, True], True),
    ("aucune", [False, False], True), ("aucune", [False, None], None), ("aucune", [True, None], False),
])
def test_kleene(mode, resultats, attendu):
    assert combiner(mode, resultats) is attendu


REGLES_TEST = """
regles:
  - id: t.a
    titre: a
    financeur: region_hdf
    effet: eligible
    si:
      toutes:
        - projet.nature: {parmi: [investissement, etude]}
        - au_moins_une:
            - projet.thematiques: {contient_un_de: [velo, memoire]}
            - budget.cout_total_ht: {sup: 100000}
        - aucune:
            - porteur.type: adrt
            - projet.labels: {contient: clef_verte}
    message: m
    source: {document: d, reference: r, extrait: e}
    interpretation: false
    en_vigueur: {du: null, au: null}
  - id: t.b
    titre: b
    financeur: region_hdf
    effet: exclu
    si:
      au_moins_une:
        - dossier.date_reference: {inf: 2025-01-01}
        - projet.thematiques: {ne_contient_aucun: [velo]}
        - porteur.public: true
    message: m
    source: {document: d, reference: r, extrait: e}
    interpretation: false
    en_vigueur: {du: null, au: null}
"""

inconnu_ou = lambda s: st.one_of(st.none(), s)  # noqa: E731
FAITS = st.fixed_dictionaries({
    "projet.nature": inconnu_ou(st.sampled_from(["investissement", "etude", "promotion"])),
    "projet.thematiques": inconnu_ou(st.lists(st.sampled_from(["velo", "memoire", "nature"]), max_size=3).map(tuple)),
    "budget.cout_total_ht": inconnu_ou(st.floats(0, 300000)),
    "porteur.type": inconnu_ou(st.sampled_from(["adrt", "commune", "entreprise"])),
    "projet.labels": inconnu_ou(st.lists(st.sampled_from(["clef_verte", "accueil_velo"]), max_size=2).map(tuple)),
    "dossier.date_reference": inconnu_ou(st.dates(date(2023, 1, 1), date(2027, 12, 31))),
    "porteur.public": inconnu_ou(st.booleans()),
})


def _aux_seuils(**faits):
    """Des faits connus, chacun posé sur (ou juste à côté d') un seuil de REGLES_TEST."""
    base = {"projet.nature": "investissement", "projet.thematiques": (), "budget.cout_total_ht": 100000.0,
            "porteur.type": "commune", "projet.labels": (), "dossier.date_reference": date(2025, 1, 1),
            "porteur.public": False}
    return {**base, **faits}


@settings(max_examples=300, deadline=None)
@given(FAITS)
@example(_aux_seuils())  # sup 100000 and inf 2025-01-01 both false, exactly at their threshold
@example(_aux_seuils(**{"budget.cout_total_ht": 100000.01, "dossier.date_reference": date(2024, 12, 31)}))
@example(_aux_seuils(**{"budget.cout_total_ht": 99999.99, "projet.thematiques": ("velo",)}))
@example(_aux_seuils(**{"budget.cout_total_ht": None, "projet.thematiques": ("nature",)}))  # unknown in an OR
@example(_aux_seuils(**{"projet.labels": None, "porteur.type": "adrt"}))  # false beats unknown in « aucune »
@example({champ: None for champ in _aux_seuils()})  # all unknown
def test_le_code_compile_donne_le_meme_resultat_que_l_arbre(faits):
    regles, erreurs = lire_fichier("t.yaml", REGLES_TEST)
    assert not erreurs
    fonction = compiler(regles)
    compiles = [DECODE[x] for x in fonction(faits)]
    assert compiles == [evaluer(r.condition, faits).resultat for r in regles]
