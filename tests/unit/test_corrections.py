"""Les corrections de l'instructeur : justifiées, montrées à côté du calcul, gardées et signalées
quand une réévaluation change ce qu'elles corrigeaient."""
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.dossier import Dossier
from forms.valeurs import FINANCEURS
from instruction.dossiers.corrections import appliquer, cote_a_cote
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import ErreurInstruction, SaisieRefusee

QUAND = datetime(2025, 6, 1, 10, 0, tzinfo=timezone.utc)
EXEMPLES = {d["reference"]: d for d in json.loads(
    (Path(__file__).resolve().parents[2] / "examples" / "dossiers.json").read_text(encoding="utf-8"))}


def _evalue(guichet, reference="LA-2025-001", jour=None) -> DossierInstruit:
    dossier = DossierInstruit.creer(Dossier.model_validate(EXEMPLES[reference]), "porteur", QUAND)
    dossier.ajouter_evaluation(guichet.evaluer(EXEMPLES[reference], jour), jour or dossier.donnees.date_depot,
                               "instructeur", QUAND)
    return dossier


def _statut(evaluation, financeur):
    return evaluation.statut(financeur)


def test_une_correction_sans_justification_est_refusee(guichet_python):
    dossier = _evalue(guichet_python)
    with pytest.raises(SaisieRefusee, match="justification"):
        dossier.corriger("statut", "region_hdf", "exclu", " ", "Claire", QUAND)
    assert dossier.corrections == []


@pytest.mark.parametrize("genre, cible, valeur, champ", [
    ("statut", "region_inconnue", "exclu", "financeur"),
    ("statut", "region_hdf", "peut_etre", "valeur"),
    ("avis", None, "sans_avis", "valeur"),
    ("constat_ecarte", "region.pas_un_constat", "", "regle"),
    ("rature", None, "x", "genre"),
])
def test_une_correction_hors_des_valeurs_permises_nomme_le_champ(guichet_python, genre, cible, valeur, champ):
    with pytest.raises(SaisieRefusee) as erreur:
        _evalue(guichet_python).corriger(genre, cible, valeur, "parce que", "Claire", QUAND)
    assert erreur.value.champ == champ


def test_corriger_vers_la_valeur_calculee_est_refuse(guichet_python):
    dossier = _evalue(guichet_python)
    with pytest.raises(SaisieRefusee, match="déjà"):
        dossier.corriger("avis", None, dossier.derniere_evaluation.resultat.avis, "idem", "Claire", QUAND)


def test_pas_de_correction_sans_evaluation():
    dossier = DossierInstruit.creer(Dossier.model_validate(EXEMPLES["LA-2025-001"]), "porteur", QUAND)
    with pytest.raises(ErreurInstruction, match="évaluez"):
        dossier.corriger("avis", None, "defavorable", "motif", "Claire", QUAND)


def test_le_statut_corrige_change_l_orientation_et_l_avis_mais_pas_le_calcul(guichet_python):
    dossier = _evalue(guichet_python)
    calcule = dossier.derniere_evaluation.resultat
    assert calcule.avis == "favorable" and "region_hdf" in calcule.orientation
    dossier.corriger("statut", "region_hdf", "exclu", "travaux déjà engagés (visite sur place)", "Claire", QUAND)
    retenue = dossier.evaluation_retenue()
    assert _statut(retenue, "region_hdf") == "exclu" and "region_hdf" not in retenue.orientation
    assert retenue.avis == "a_reorienter"
    assert _statut(dossier.derniere_evaluation.resultat, "region_hdf") == "prioritaire"


def test_l_avis_corrige_l_emporte_sur_l_avis_deduit(guichet_python):
    dossier = _evalue(guichet_python)
    dossier.corriger("statut", "region_hdf", "exclu", "travaux engagés", "Claire", QUAND)
    dossier.corriger("avis", None, "defavorable", "le comité a déjà refusé ce projet", "Claire", QUAND)
    assert dossier.evaluation_retenue().avis == "defavorable"


def test_le_cote_a_cote_montre_le_calcul_la_correction_et_son_auteur(guichet_python):
    dossier = _evalue(guichet_python)
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    [ligne] = cote_a_cote(dossier.derniere_evaluation.resultat, dossier.corrections)
    assert (ligne["calcule"], ligne["corrige"], ligne["auteur"]) == ("Prioritaire", "Éligible", "Claire")
    assert ligne["justification"] == "pas de priorité cette année" and not ligne["a_revoir"]


def test_un_constat_ecarte_disparait_de_l_avis_retenu_et_un_constat_ajoute_y_entre(guichet_python):
    dossier = _evalue(guichet_python)
    regle = dossier.derniere_evaluation.resultat.constats[0].regle
    dossier.corriger("constat_ecarte", regle, "", "ne s'applique pas : voir courrier", "Claire", QUAND)
    dossier.corriger("constat_ajoute", "departement_62", "Le Département a déjà réservé 40 000 €", "réunion du 3/6",
                     "Claire", QUAND)
    regles = [c.regle for c in dossier.evaluation_retenue().constats]
    assert regle not in regles and "instructeur.2" in regles


def test_une_correction_survit_a_la_reevaluation_sans_alerte_si_le_calcul_n_a_pas_change(guichet_python):
    dossier = _evalue(guichet_python)
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    dossier.ajouter_evaluation(guichet_python.evaluer(EXEMPLES["LA-2025-001"]), date(2025, 3, 10), "robot", QUAND)
    [correction] = dossier.corrections
    assert not correction.a_revoir and _statut(dossier.evaluation_retenue(), "region_hdf") == "eligible"


def test_une_correction_est_signalee_a_revoir_quand_le_nouveau_calcul_la_contredit(guichet_python):
    dossier = _evalue(guichet_python)
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    # In 2024 no encoded contract covers Béthune: the Région route is left open, under the correction.
    dossier.ajouter_evaluation(guichet_python.evaluer(EXEMPLES["LA-2025-001"], date(2024, 6, 1)), date(2024, 6, 1),
                               "robot", QUAND)
    [correction] = dossier.corrections
    assert correction.a_revoir and "« Prioritaire » → « À compléter »" in correction.motif_revue
    assert _statut(dossier.evaluation_retenue(), "region_hdf") == "eligible"  # kept, not dropped
    dossier.confirmer_correction(1, "Chef", "maintenue : projet hors contrat mais soutenu au droit commun", QUAND)
    assert not dossier.corrections[0].a_revoir


def test_une_correction_retiree_reste_dans_l_historique_mais_ne_s_applique_plus(guichet_python):
    dossier = _evalue(guichet_python)
    dossier.corriger("statut", "region_hdf", "exclu", "erreur de saisie", "Claire", QUAND)
    dossier.retirer_correction(1, "Chef", "la saisie a été corrigée", QUAND)
    assert dossier.evaluation_retenue() == dossier.derniere_evaluation.resultat
    assert dossier.corrections[0].retiree and "Chef" in dossier.corrections[0].retrait


@settings(max_examples=60, deadline=None)
@given(reference=st.sampled_from(sorted(EXEMPLES)),
       corrections=st.lists(st.tuples(st.sampled_from(FINANCEURS),
                                      st.sampled_from(["prioritaire", "eligible", "a_completer", "exclu",
                                                       "non_concerne"])), max_size=4))
def test_l_orientation_retenue_n_ouvre_jamais_un_financeur_ferme(guichet_python, reference, corrections):
    dossier = _evalue(guichet_python, reference, date(2025, 6, 1))
    for financeur, statut in corrections:
        try:
            dossier.corriger("statut", financeur, statut, "essai", "Claire", QUAND)
        except SaisieRefusee:
            pass  # same value as computed
    retenue = appliquer(dossier.derniere_evaluation.resultat, dossier.corrections)
    statuts = retenue.statuts()
    assert all(statuts[f] not in ("exclu", "non_concerne") for f in retenue.orientation)
    assert {f for f, s in statuts.items() if s in ("prioritaire", "eligible", "a_completer")} == set(
        retenue.orientation)


def test_une_correction_retiree_ne_se_retire_ni_ne_se_maintient_une_seconde_fois(guichet_python):
    dossier = _evalue(guichet_python)
    dossier.corriger("statut", "region_hdf", "exclu", "erreur de saisie", "Claire", QUAND)
    dossier.retirer_correction(1, "Chef", "la saisie a été corrigée", QUAND)
    premier_retrait = dossier.corrections[0].retrait
    for action in (dossier.retirer_correction, dossier.confirmer_correction):
        with pytest.raises(ErreurInstruction, match="déjà retirée"):
            action(1, "Autre", "encore", QUAND)
    assert dossier.corrections[0].retrait == premier_retrait


def test_le_signal_a_revoir_tombe_quand_le_calcul_revient_a_ce_qu_il_etait(guichet_python):
    dossier = _evalue(guichet_python)
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    for jour in (date(2024, 6, 1), date(2025, 3, 10)):
        dossier.ajouter_evaluation(guichet_python.evaluer(EXEMPLES["LA-2025-001"], jour), jour, "robot", QUAND)
    assert not dossier.corrections[0].a_revoir and dossier.corrections[0].motif_revue == ""


def test_maintenir_une_correction_la_recale_sur_le_nouveau_calcul_et_garde_sa_justification(guichet_python):
    dossier = _evalue(guichet_python)
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    dossier.ajouter_evaluation(guichet_python.evaluer(EXEMPLES["LA-2025-001"], date(2024, 6, 1)), date(2024, 6, 1),
                               "robot", QUAND)
    dossier.confirmer_correction(1, "Chef", "soutenu au droit commun", QUAND)
    [c] = dossier.corrections
    assert c.valeur_calculee == "a_completer" and not c.a_revoir
    assert c.justification.startswith("pas de priorité cette année — maintenue par Chef le 01/06/2025")
