"""La bande du Fonds Tourisme Durable (001, Annexe 2, OS3 OO1 : « montant de l'aide entre 5 000 et
200 000 € ») borne l'aide demandée à l'ADEME, à ses limites exactes."""
import pytest

ADEME = "ademe_fonds_tourisme_durable"


def _restaurant(financements, montant_sollicite=50000):
    budget = {"cout_total_ht": 600000, "montant_sollicite": montant_sollicite}
    if financements is not None:
        budget["financements"] = financements
    return {"reference": "R", "date_depot": "2025-06-01",
            "porteur": {"type": "entreprise", "taille": "petite", "aides_minimis_3_ans": 0},
            "projet": {"commune_insee": "62119", "nature": "investissement", "secteur": "restauration",
                       "transition_ecologique": True, "diagnostic_environnemental": True},
            "budget": budget}


def _ademe(evaluation):
    return next(f for f in evaluation["financeurs"] if f["financeur"] == ADEME)


def _ligne(montant):
    return [{"financeur": ADEME, "montant": montant, "statut": "sollicite"}]


@pytest.mark.parametrize("montant, statut", [(4999.99, "non_concerne"), (5000, "eligible"),
                                             (200000, "eligible"), (200000.01, "eligible")])
def test_la_bande_se_lit_sur_l_aide_demandee_a_l_ademe(guichet_python, montant, statut):
    evaluation = guichet_python.evaluer(_restaurant(_ligne(montant))).en_json()
    ademe = _ademe(evaluation)
    assert ademe["statut"] == statut
    assert (ADEME in evaluation["orientation"]) == (statut != "non_concerne")
    avertie = any(c["regle"] == "ademe.montant.au_dela_plafond" for c in evaluation["constats"])
    assert avertie == (montant > 200000)
    if statut == "non_concerne":
        assert ademe["motifs"] == ["ademe.montant.sous_plancher"] and ademe["montant_indicatif"] is None
    else:
        assert ademe["montant_indicatif"] == {"min": 5000, "max": 200000}


def test_sans_ligne_ademe_un_dossier_qui_demande_moins_de_5000_euros_n_est_pas_concerne(guichet_python):
    ademe = _ademe(guichet_python.evaluer(_restaurant([], montant_sollicite=4999.99)).en_json())
    assert (ademe["statut"], ademe["motifs"]) == ("non_concerne", ["ademe.montant.sous_plancher"])


def test_une_demande_de_200000_01_euros_a_la_region_n_avertit_pas_l_ademe(guichet_python):
    evaluation = guichet_python.evaluer(_restaurant([], montant_sollicite=200000.01)).en_json()
    assert _ademe(evaluation)["statut"] == "eligible"
    assert not [c for c in evaluation["constats"] if c["regle"].startswith("ademe.montant.") and
                c["effet"] == "avertissement"]


def test_un_plan_de_financement_inconnu_laisse_l_ademe_a_completer_et_le_demande(guichet_python):
    evaluation = guichet_python.evaluer(_restaurant(None)).en_json()
    assert _ademe(evaluation)["statut"] == "a_completer"
    assert "budget.financements" in evaluation["informations_manquantes"]


@pytest.mark.parametrize("nature", ["fonctionnement", "promotion", "evenementiel", "etude"])
def test_le_fonds_soutient_des_investissements(guichet_python, nature):
    dossier = _restaurant(_ligne(40000))
    dossier["projet"]["nature"] = nature
    assert _ademe(guichet_python.evaluer(dossier).en_json())["statut"] == "non_concerne"
