"""Propriétés de l'évaluation, sur des dossiers générés."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.strategies import CHAMPS_OUBLIABLES, dossier_complet, oublier

REGLAGES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@REGLAGES
@given(dossier_complet())
def test_l_evaluation_est_deterministe(guichet_python, dossier):
    premiere = guichet_python.evaluer(dossier).en_json()
    seconde = guichet_python.evaluer(dossier).en_json()
    assert json.dumps(premiere, sort_keys=True) == json.dumps(seconde, sort_keys=True)


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
def test_exclu_et_non_concerne_ne_sont_jamais_dans_l_orientation(guichet_python, dossier, oubli):
    evaluation = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    fermes = {f["financeur"] for f in evaluation["financeurs"] if f["statut"] in ("exclu", "non_concerne")}
    assert not fermes & set(evaluation["orientation"])
    assert len(evaluation["financeurs"]) == 7


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
def test_oublier_un_champ_ne_change_jamais_prioritaire_en_exclu(guichet_python, dossier, oubli):
    avant = {f["financeur"]: f["statut"] for f in guichet_python.evaluer(dossier).en_json()["financeurs"]}
    apres_eval = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    apres = {f["financeur"]: f["statut"] for f in apres_eval["financeurs"]}
    for financeur, statut in avant.items():
        if statut == "prioritaire":
            assert apres[financeur] not in ("exclu", "non_concerne"), (financeur, oubli)
            if apres[financeur] == "a_completer":
                assert apres_eval["informations_manquantes"]


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
def test_la_bande_ademe_est_respectee(guichet_python, dossier, oubli):
    evaluation = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    ademe = next(f for f in evaluation["financeurs"] if f["financeur"] == "ademe_fonds_tourisme_durable")
    if ademe["montant_indicatif"] is not None:
        assert 5000 <= ademe["montant_indicatif"]["min"] <= ademe["montant_indicatif"]["max"] <= 200000
    if ademe["statut"] in ("exclu", "non_concerne"):
        assert ademe["montant_indicatif"] is None


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
def test_un_statut_a_completer_nomme_ce_qui_manque_ou_le_texte_qui_le_laisse_ouvert(guichet_python, base, dossier,
                                                                                     oubli):
    evaluation = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    for f in evaluation["financeurs"]:
        if f["statut"] == "a_completer":
            ouvert_par_le_texte = any(base.regle(m).effet == "a_completer" for m in f["motifs"])
            assert ouvert_par_le_texte or evaluation["informations_manquantes"], f
    assert set(evaluation["informations_manquantes_avis"]) <= set(evaluation["informations_manquantes"])
    if evaluation["avis"] == "favorable":
        assert not evaluation["informations_manquantes_avis"]


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
def test_l_explication_de_chaque_constat_est_celle_de_ses_tests(guichet_python, base, dossier, oubli):
    from rules.conditions import evaluer
    evaluation = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    for constat in evaluation["constats"]:
        regle = base.regle(constat["regle"])
        assert [c["resultat"] for c in constat["conditions"]] == \
            [r for _, _, r in _trace(evaluer, regle, constat)]


def _trace(evaluer, regle, constat):
    # Rebuild the facts the rule read from the explanation itself, then evaluate the tree again.
    from datetime import date
    faits = {}
    for c in constat["conditions"]:
        valeur = c["valeur"]
        if isinstance(valeur, list):
            valeur = tuple(valeur)
        elif isinstance(valeur, str) and c["champ"] in ("dossier.date_reference", "date_depot",
                                                          "projet.date_debut_travaux"):
            valeur = date.fromisoformat(valeur)
        faits[c["champ"]] = valeur
    return evaluer(regle.condition, faits).tests
