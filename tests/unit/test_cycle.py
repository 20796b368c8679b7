"""Le cycle de vie d'un dossier : les passages permis, les refus, l'historique."""
from datetime import date, datetime, timezone

import pytest

from forms.dossier import Dossier
from instruction.dossiers.cycle import ETATS, FINAUX, OUVERTS, permise, suivants
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import ErreurInstruction, SaisieRefusee, TransitionInterdite

QUAND = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


def _dossier(etat="depose", **donnees) -> DossierInstruit:
    return DossierInstruit.creer(Dossier.model_validate({"reference": "LA-1", **donnees}), "porteur", QUAND, etat)


def test_le_chemin_nominal_va_du_brouillon_a_la_decision():
    chemin = ["brouillon", "depose", "en_instruction", "avis_rendu", "inscrit_comite", "decide"]
    assert all(permise(de, vers) for de, vers in zip(chemin, chemin[1:]))


def test_tout_etat_ouvert_peut_etre_classe_sans_suite_et_un_dossier_classe_ne_bouge_plus():
    assert all(permise(e, "classe_sans_suite") for e in OUVERTS)
    assert suivants("classe_sans_suite") == () and suivants("decide") == ("inscrit_comite",)


def test_les_passages_permis_sont_exactement_ceux_du_cycle():
    permis = {(de, vers) for de in ETATS for vers in ETATS if permise(de, vers)}
    en_avant = {("brouillon", "depose"), ("depose", "en_instruction"), ("en_instruction", "avis_rendu"),
                ("avis_rendu", "inscrit_comite"), ("inscrit_comite", "decide")}
    retours = {("avis_rendu", "en_instruction"), ("inscrit_comite", "avis_rendu"), ("decide", "inscrit_comite")}
    assert permis == en_avant | retours | {(e, "classe_sans_suite") for e in OUVERTS}
    assert set(FINAUX) == {"decide", "classe_sans_suite"}


def test_une_transition_interdite_ne_change_rien_et_dit_ce_qui_est_possible():
    dossier = _dossier()
    with pytest.raises(TransitionInterdite) as erreur:
        dossier.passer("decide", "instructeur", QUAND, "pressé")
    assert dossier.etat == "depose" and len(dossier.transitions) == 1
    assert "en_instruction" in str(erreur.value) and "classe_sans_suite" in str(erreur.value)


def test_chaque_transition_est_enregistree_avec_son_auteur_sa_date_et_son_motif():
    dossier = _dossier()
    dossier.passer("en_instruction", "Claire", QUAND, "prise en charge")
    derniere = dossier.transitions[-1]
    assert (derniere.de, derniere.vers, derniere.auteur, derniere.quand, derniere.motif) == (
        "depose", "en_instruction", "Claire", QUAND, "prise en charge")


def test_une_transition_sans_motif_est_refusee():
    dossier = _dossier()
    with pytest.raises(SaisieRefusee, match="motif"):
        dossier.passer("en_instruction", "Claire", QUAND, "  ")
    assert dossier.etat == "depose"


def test_pas_d_avis_rendu_sans_evaluation():
    dossier = _dossier()
    dossier.passer("en_instruction", "Claire", QUAND, "prise en charge")
    with pytest.raises(ErreurInstruction, match="évaluez"):
        dossier.passer("avis_rendu", "Claire", QUAND, "avis")
    assert dossier.etat == "en_instruction"


def test_le_depot_date_un_dossier_qui_n_a_pas_de_date_de_depot():
    brouillon = _dossier("brouillon")
    assert brouillon.donnees.date_depot is None
    brouillon.passer("depose", "porteur", QUAND, "dépôt")
    assert brouillon.donnees.date_depot == QUAND.date()


def test_le_depot_garde_la_date_de_depot_donnee():
    assert _dossier(date_depot="2025-01-15").donnees.date_depot.isoformat() == "2025-01-15"


def _avis_rendu(guichet) -> DossierInstruit:
    dossier = _dossier(date_depot="2025-03-10", projet={"commune_insee": "62119"})
    dossier.passer("en_instruction", "Claire", QUAND, "prise en charge")
    dossier.ajouter_evaluation(guichet.evaluer(dossier.donnees.model_dump(mode="json")), date(2025, 3, 10),
                               "Claire", QUAND)
    dossier.passer("avis_rendu", "Claire", QUAND, "avis rendu")
    return dossier


def _a_l_ordre_du_jour(guichet) -> DossierInstruit:
    dossier = _avis_rendu(guichet)
    dossier.passer("inscrit_comite", "secrétariat", QUAND, "inscription", comite="CT-1")
    return dossier


@pytest.mark.parametrize("vers", ["inscrit_comite", "decide", "avis_rendu"])
def test_l_ordre_du_jour_et_la_decision_ne_se_touchent_que_par_le_comite(guichet_python, vers):
    dossier = _avis_rendu(guichet_python) if vers == "inscrit_comite" else _a_l_ordre_du_jour(guichet_python)
    etat = dossier.etat
    with pytest.raises(ErreurInstruction, match="par le comité technique"):
        dossier.passer(vers, "Claire", QUAND, "raccourci")
    assert dossier.etat == etat


def test_une_decision_exige_un_comite_et_une_decision_par_financeur(guichet_python):
    dossier = _a_l_ordre_du_jour(guichet_python)
    with pytest.raises(SaisieRefusee, match="au moins une décision"):
        dossier.decider({}, "vote", "présidente", QUAND, comite="CT-1")
    dossier.decider({"region_hdf": "favorable"}, "vote", "présidente", QUAND, comite="CT-1")
    assert dossier.etat == "decide" and dossier.clos


def test_un_dossier_ajourne_peut_revenir_devant_un_autre_comite_mais_pas_un_dossier_decide(guichet_python):
    ajourne = _a_l_ordre_du_jour(guichet_python)
    ajourne.decider({"region_hdf": "ajourne", "departement_62": "favorable"}, "pièces", "p", QUAND, comite="CT-1")
    assert ajourne.ajourne and not ajourne.clos
    ajourne.passer("inscrit_comite", "secrétariat", QUAND, "nouvel examen", comite="CT-2")
    decide = _a_l_ordre_du_jour(guichet_python)
    decide.decider({"region_hdf": "favorable"}, "vote", "p", QUAND, comite="CT-1")
    with pytest.raises(TransitionInterdite, match="aucune"):
        decide.passer("inscrit_comite", "secrétariat", QUAND, "encore", comite="CT-2")


def test_chaque_modification_des_donnees_est_notee_avec_l_ancienne_et_la_nouvelle_valeur():
    dossier = _dossier(date_depot="2025-03-10", budget={"cout_total_ht": 150000})
    nouvelles = Dossier.model_validate({"reference": "LA-1", "budget": {"cout_total_ht": 180000}})
    changements = dossier.remplacer_donnees(nouvelles, "porteur", QUAND)
    assert changements == ["budget.cout_total_ht : 150000.0 → 180000.0"]
    assert dossier.transitions[-1].motif == "données modifiées : budget.cout_total_ht : 150000.0 → 180000.0"
    assert dossier.donnees.date_depot == date(2025, 3, 10)  # kept when the new data omit it


def test_la_date_de_depot_ne_se_modifie_pas_et_rien_ne_se_modifie_apres_l_avis(guichet_python):
    dossier = _dossier(date_depot="2025-03-10")
    with pytest.raises(SaisieRefusee, match="date de dépôt"):
        dossier.remplacer_donnees(Dossier.model_validate({"reference": "LA-1", "date_depot": "2019-01-01"}), "p",
                                  QUAND)
    rendu = _a_l_ordre_du_jour(guichet_python)
    with pytest.raises(ErreurInstruction, match="ne se modifie plus"):
        rendu.remplacer_donnees(Dossier.model_validate({"reference": "LA-1"}), "p", QUAND)


def test_la_date_de_depot_est_le_jour_en_france_pas_le_jour_utc():
    juste_apres_minuit_a_paris = datetime(2024, 12, 31, 23, 30, tzinfo=timezone.utc)
    dossier = DossierInstruit.creer(Dossier.model_validate({"reference": "LA-1"}), "p", juste_apres_minuit_a_paris)
    assert dossier.donnees.date_depot == date(2025, 1, 1)
