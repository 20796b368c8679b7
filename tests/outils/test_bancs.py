"""The benchmarks' own translations of the rules follow the rule model: a renamed attribute broke `make bench`
(not the suite) once. Each translation must judge a few generated dossiers as the compiled evaluator does; the
benchmarks time them, this only checks that they still run and agree."""
from datetime import date

import pytest

from api.bootstrap import territoire as territoire_par_defaut
from bench import generateur, plancher
from bench import zen as traduction_zen
from forms.validation import valider_dossier
from instruction.evaluation.faits import faits_du_dossier
from rules.base import BaseDeRegles
from rules.evaluateur import DECODE

JOUR = date(2025, 6, 1)  # the day bench/run.py judges at


@pytest.fixture(scope="module")
def jeu_et_faits():
    complets, _ = generateur.generer(40)
    territoire = territoire_par_defaut()
    jeu = BaseDeRegles.charger().en_vigueur(JOUR)
    faits = []
    for donnees in complets:
        dossier, erreurs = valider_dossier(donnees)
        assert dossier is not None, erreurs
        faits.append(faits_du_dossier(dossier, territoire, dossier.date_depot))
    return jeu, faits


def _vraies(jeu, faits) -> frozenset[int]:
    return frozenset(i for i, r in enumerate(jeu.evaluer_brut(faits)) if DECODE[r] is True)


def test_le_plancher_trouve_les_regles_vraies_de_l_evaluateur(jeu_et_faits):
    jeu, faits = jeu_et_faits
    for locales in (False, True):
        fonction = plancher.compiler_plancher(jeu.regles, locales)
        assert [frozenset(fonction(f)) for f in faits] == [_vraies(jeu, f) for f in faits]


def test_la_table_zen_trouve_les_regles_vraies_de_l_evaluateur(jeu_et_faits):
    zen = pytest.importorskip("zen", reason="zen-engine vient de l'extra bench, que make install pose")
    jeu, faits = jeu_et_faits
    graphe, _ = traduction_zen.table_de_decision(jeu.regles)
    champs = tuple(dict.fromkeys(c for r in jeu.regles for c in r.condition.champs()))
    moteur = zen.ZenEngine({"loader": {"type": "static", "content": {"regles": graphe}}})
    trouvees = [traduction_zen.declenchees(moteur.evaluate("regles", traduction_zen.contexte(f, champs)))
                for f in faits]
    assert trouvees == [_vraies(jeu, f) for f in faits]
    assert any(trouvees), "aucune règle vraie : l'accord ne prouverait rien"
