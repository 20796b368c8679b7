"""Les faits dérivés du budget et du porteur que la seconde lecture des textes a ajoutés : l'aide
demandée à l'ADEME, le cumul de minimis sur toutes les aides publiques, l'activité économique."""
import pytest

from forms.dossier import Dossier
from instruction.evaluation.details import CALCULS
from instruction.evaluation.faits import faits_du_dossier
from rules.champs import DETAILS


def _faits(territoire, porteur=None, projet=None, budget=None):
    dossier = Dossier.model_validate({"reference": "T", "porteur": porteur or {}, "projet": projet or {},
                                      "budget": budget or {}})
    return faits_du_dossier(dossier, territoire, None)


def _ligne(financeur, montant, statut="sollicite"):
    return {"financeur": financeur, "montant": montant, "statut": statut}


def test_l_aide_ademe_est_sa_ligne_du_plan_quand_il_y_en_a_une(territoire):
    f = _faits(territoire, budget={"montant_sollicite": 90000, "financements": [
        _ligne("ademe_fonds_tourisme_durable", 3000), _ligne("ademe_fonds_tourisme_durable", 1500)]})
    assert (f["budget.aide_ademe"], f["budget.aide_ademe_plafond"]) == (4500, 4500)


def test_sans_ligne_ademe_l_aide_est_bornee_par_le_montant_sollicite_et_rien_n_est_demande(territoire):
    f = _faits(territoire, budget={"montant_sollicite": 200000.01, "financements": [_ligne("leader", 5000)]})
    assert (f["budget.aide_ademe"], f["budget.aide_ademe_plafond"]) == (0, 200000.01)


def test_un_plan_de_financement_inconnu_laisse_l_aide_ademe_inconnue(territoire):
    f = _faits(territoire, budget={"montant_sollicite": 3000})
    assert (f["budget.aide_ademe"], f["budget.aide_ademe_plafond"]) == (None, None)


def test_le_cumul_de_minimis_compte_toutes_les_aides_publiques_et_la_demande_une_seule_fois(territoire):
    f = _faits(territoire, porteur={"type": "entreprise", "aides_minimis_3_ans": 100000},
               budget={"montant_sollicite": 80000, "financements": [
                   _ligne("region_hdf", 80000), _ligne("departement_59", 70000), _ligne("leader", 50000, "acquis")]})
    assert f["budget.cumul_aides_minimis"] == 300000
    assert f["budget.cumul_minimis"] == 180000  # kept for rule versions written before


@pytest.mark.parametrize("porteur, projet, attendu", [
    ({"type": "entreprise"}, {}, True),
    ({"type": "association"}, {"secteur": "hebergement"}, True),
    ({"type": "particulier"}, {"secteur": "restauration"}, True),
    ({"type": "association"}, {"secteur": "activite"}, None),
    ({"type": "association", "activite_economique": False}, {"secteur": "hebergement"}, False),
    ({"type": "office_de_tourisme", "activite_economique": True}, {}, True),
    ({"type": "commune"}, {"secteur": "hebergement"}, False),
    ({}, {}, None),
])
def test_une_entreprise_au_sens_de_l_ue_est_toute_entite_qui_vend_sur_un_marche(territoire, porteur, projet,
                                                                                 attendu):
    assert _faits(territoire, porteur=porteur, projet=projet)["porteur.entreprise_ue"] is attendu


def test_le_detail_de_minimis_nomme_chaque_aide_additionnee(territoire):
    f = _faits(territoire, porteur={"type": "entreprise", "aides_minimis_3_ans": 100000},
               budget={"montant_sollicite": 80000, "financements": [_ligne("leader", 50000, "acquis")]})
    detail = CALCULS["budget.detail_aides_minimis"](f)
    assert detail == ("100\u202f000\u00a0€ déjà reçus sur trois ans + 80\u202f000\u00a0€ sollicités par ce dossier"
                      " + 50\u202f000\u00a0€ LEADER (GAL) (acquis) = 230\u202f000\u00a0€")


def test_chaque_detail_declare_est_calcule():
    assert set(CALCULS) == set(DETAILS)


def test_le_constat_de_minimis_cite_les_aides_qu_il_additionne(guichet_python):
    evaluation = guichet_python.evaluer({
        "reference": "M", "date_depot": "2025-06-01",
        "porteur": {"type": "entreprise", "aides_minimis_3_ans": 250000},
        "budget": {"montant_sollicite": 30000, "financements": [_ligne("ademe_fonds_tourisme_durable", 40000)]},
    }).en_json()
    [constat] = [c for c in evaluation["constats"] if c["regle"] == "droit.minimis.plafond"]
    assert "250\u202f000\u00a0€ déjà reçus" in constat["message"] and "{{" not in constat["message"]
    assert "40\u202f000\u00a0€ ADEME — Fonds Tourisme Durable (sollicité) = 320\u202f000\u00a0€" in constat["message"]
