"""Propriétés de l'évaluation, sur des dossiers générés ; chaque branche vérifiée a aussi ses exemples
explicites, pour qu'aucune vérification ne dépende d'un tirage au hasard."""
import json

import pytest
from hypothesis import HealthCheck, event, example, given, settings, target
from hypothesis import strategies as st

from tests.unit.strategies import (
    CHAMPS_OUBLIABLES,
    avec_aide_ademe,
    depose_le,
    dossier_complet,
    dossier_prioritaire,
    oublier,
)

REGLAGES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ADEME = "ademe_fonds_tourisme_durable"
RIEN = ("porteur", "taille")  # a field whose absence changes no status of dossier_prioritaire()


def _statuts(evaluation: dict) -> dict[str, str]:
    return {f["financeur"]: f["statut"] for f in evaluation["financeurs"]}


@REGLAGES
@given(dossier_complet())
@example(dossier_prioritaire())
def test_l_evaluation_est_deterministe(guichet_python, dossier):
    premiere = guichet_python.evaluer(dossier).en_json()
    seconde = guichet_python.evaluer(dossier).en_json()
    assert json.dumps(premiere, sort_keys=True) == json.dumps(seconde, sort_keys=True)


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
@example(dossier_prioritaire(), RIEN)
@example(avec_aide_ademe(4999.99), RIEN)  # ADEME under its floor: non_concerne
def test_exclu_et_non_concerne_ne_sont_jamais_dans_l_orientation(guichet_python, dossier, oubli):
    evaluation = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    fermes = {f for f, s in _statuts(evaluation).items() if s in ("exclu", "non_concerne")}
    event("un financeur fermé" if fermes else "aucun financeur fermé")
    assert not fermes & set(evaluation["orientation"])
    assert len(evaluation["financeurs"]) == 7


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
@example(dossier_prioritaire(), ("projet", "commune_insee"))  # prioritaire -> a_completer, and asked for
@example(dossier_prioritaire(), ("porteur", "type"))  # the Région prioritaire -> a_completer, the 62 -> eligible
@example(dossier_prioritaire(), RIEN)  # prioritaire stays prioritaire
def test_oublier_un_champ_ne_change_jamais_prioritaire_en_exclu(guichet_python, dossier, oubli):
    avant = _statuts(guichet_python.evaluer(dossier).en_json())
    apres_eval = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    apres = _statuts(apres_eval)
    prioritaires = [f for f, s in avant.items() if s == "prioritaire"]
    target(float(len(prioritaires)), label="financeurs prioritaires avant l'oubli")
    event(f"prioritaires avant l'oubli : {len(prioritaires)}")
    for financeur in prioritaires:
        event(f"prioritaire devenu {apres[financeur]}")
        assert apres[financeur] not in ("exclu", "non_concerne"), (financeur, oubli)
        if apres[financeur] == "a_completer":
            assert apres_eval["informations_manquantes"]


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
@example(avec_aide_ademe(5000), RIEN)  # the floor: eligible, with the band
@example(avec_aide_ademe(200000.01), RIEN)  # above the ceiling: eligible, the band still ends at 200 000
@example(avec_aide_ademe(4999.99), RIEN)  # under the floor: non_concerne, no band
def test_la_bande_ademe_est_respectee(guichet_python, base, dossier, oubli):
    evaluation = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    ademe = next(f for f in evaluation["financeurs"] if f["financeur"] == ADEME)
    montant = ademe["montant_indicatif"]
    event(f"ADEME {ademe['statut']}, bande {'donnée' if montant else 'absente'}")
    if ademe["statut"] in ("exclu", "non_concerne"):
        assert montant is None
    elif montant is not None:
        assert montant == base.regle("ademe.montant.bande").montant
        assert 5000 <= montant["min"] <= montant["max"] <= 200000  # the text: « entre 5 000 et 200 000 € »


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
@example(dossier_prioritaire(), ("projet", "commune_insee"))  # a_completer: the commune is asked for
@example(depose_le("2028-01-01"), RIEN)  # a_completer because no encoded contract covers 2028
@example(dossier_prioritaire(), RIEN)  # favorable, nothing missing
def test_un_statut_a_completer_nomme_ce_qui_manque_ou_le_texte_qui_le_laisse_ouvert(guichet_python, base, dossier,
                                                                                     oubli):
    evaluation = guichet_python.evaluer(oublier(dossier, *oubli)).en_json()
    for f in evaluation["financeurs"]:
        if f["statut"] == "a_completer":
            ouvert_par_le_texte = any(base.regle(m).effet == "a_completer" for m in f["motifs"])
            event("à compléter par le texte" if ouvert_par_le_texte else "à compléter faute d'information")
            assert ouvert_par_le_texte or evaluation["informations_manquantes"], f
    assert set(evaluation["informations_manquantes_avis"]) <= set(evaluation["informations_manquantes"])
    if evaluation["avis"] == "favorable":
        event("avis favorable")
        assert not evaluation["informations_manquantes_avis"]


@REGLAGES
@given(dossier_complet(), st.sampled_from(CHAMPS_OUBLIABLES))
@example(dossier_prioritaire(), RIEN)
@example(dossier_prioritaire(), ("projet", "clienteles"))
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


# --- The explicit examples land in the branches the properties check -------------------------------

def test_les_exemples_explicites_tombent_dans_les_branches_verifiees(guichet_python, base):
    def evaluer(dossier, oubli=RIEN):
        return guichet_python.evaluer(oublier(dossier, *oubli)).en_json()

    prioritaire = evaluer(dossier_prioritaire())
    assert prioritaire["avis"] == "favorable" and prioritaire["informations_manquantes_avis"] == []
    assert {f for f, s in _statuts(prioritaire).items() if s == "prioritaire"} == {"region_hdf", "departement_62"}
    sans_commune = evaluer(dossier_prioritaire(), ("projet", "commune_insee"))
    assert _statuts(sans_commune)["region_hdf"] == "a_completer"
    assert "projet.commune_insee" in sans_commune["informations_manquantes"]
    sans_type = _statuts(evaluer(dossier_prioritaire(), ("porteur", "type")))
    assert (sans_type["region_hdf"], sans_type["departement_62"]) == ("a_completer", "eligible")
    en_2028 = evaluer(depose_le("2028-01-01"))
    region = next(f for f in en_2028["financeurs"] if f["financeur"] == "region_hdf")
    assert region["statut"] == "a_completer" and en_2028["informations_manquantes"] == []
    assert [base.regle(m).effet for m in region["motifs"]] == ["a_completer"]
    bandes = {m: next(f for f in evaluer(avec_aide_ademe(m))["financeurs"] if f["financeur"] == ADEME)
              for m in (4999.99, 5000, 200000.01)}
    assert {m: (f["statut"], f["montant_indicatif"]) for m, f in bandes.items()} == {
        4999.99: ("non_concerne", None), 5000: ("eligible", {"min": 5000, "max": 200000}),
        200000.01: ("eligible", {"min": 5000, "max": 200000})}


@pytest.mark.parametrize("oubli", CHAMPS_OUBLIABLES, ids=lambda o: ".".join(c for c in o if c))
def test_chaque_champ_oubliable_d_un_dossier_complet_est_vraiment_oublie(oubli):
    # oublier() must remove the field, whatever block it lives in: else every property would compare a
    # dossier with itself.
    bloc, champ = oubli
    oublie = oublier(dossier_prioritaire(), bloc, champ)
    assert champ not in (oublie if bloc is None else oublie[bloc])
    assert champ in (dossier_prioritaire() if bloc is None else dossier_prioritaire()[bloc])
