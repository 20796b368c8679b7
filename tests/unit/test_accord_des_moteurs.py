"""durable-rules et l'évaluateur Python concluent pareil sur tout dossier entièrement connu."""
import pytest
from hypothesis import HealthCheck, given, settings

from rules import moteur_durable
from tests.unit.strategies import dossier_complet

pytestmark = pytest.mark.skipif(not moteur_durable.disponible(), reason="durable-rules absent (Python 3.13 ?)")


@pytest.fixture(scope="module")
def guichet_durable(base, territoire):
    from instruction.evaluation.guichet import Guichet
    return Guichet(base, territoire, moteur="durable")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dossier_complet())
def test_les_deux_moteurs_donnent_la_meme_evaluation(guichet_python, guichet_durable, dossier):
    assert guichet_durable.moteur == "durable"
    assert guichet_durable.evaluer(dossier) == guichet_python.evaluer(dossier)
    assert guichet_durable.desaccords == 0


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dossier_complet())
def test_les_regles_declenchees_sont_les_memes_regle_par_regle(base, territoire, dossier):
    from datetime import date

    from forms.validation import valider_dossier
    from instruction.evaluation.faits import faits_du_dossier
    valide, _ = valider_dossier(dossier)
    jour = valide.date_depot
    jeu = base.en_vigueur(jour)
    faits = faits_du_dossier(valide, territoire, jour)
    python = {i for i, r in enumerate(jeu.evaluer(faits)) if r is True}
    (durable,) = moteur_durable.MoteurDurable(jeu.regles).declenchees([faits])
    assert set(durable) == python
    assert isinstance(jour, date)


def test_un_lot_refuse_par_durable_est_juge_par_l_evaluateur_python(base, territoire, guichet_python, monkeypatch):
    import json
    from pathlib import Path

    from instruction.evaluation.guichet import Guichet

    def refuse(self, lot):
        raise moteur_durable.ErreurMoteurDurable("valeur non transmissible")

    monkeypatch.setattr(moteur_durable.MoteurDurable, "declenchees", refuse)
    dossiers = json.loads((Path(__file__).parents[2] / "examples" / "dossiers.json").read_text(encoding="utf-8"))
    durable = list(Guichet(base, territoire, moteur="durable").evaluer_lot(dossiers))
    assert durable == list(guichet_python.evaluer_lot(dossiers))


def test_un_ruleset_refuse_par_durable_est_compte_et_juge_par_python(base, territoire, guichet_python, monkeypatch):
    from instruction.evaluation.guichet import Guichet

    def refuse(self, regles):
        raise moteur_durable.ErreurMoteurDurable("error code: 102")

    monkeypatch.setattr(moteur_durable.MoteurDurable, "__init__", refuse)
    guichet = Guichet(base, territoire, moteur="durable")
    dossier = {"reference": "R", "date_depot": "2025-03-10", "projet": {"commune_insee": "62119"}}
    assert guichet.evaluer(dossier) == guichet_python.evaluer(dossier)
    assert guichet.replis_python == 1
