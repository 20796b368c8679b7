"""Les corrections de l'instructeur : justifiées, montrées à côté du calcul, gardées et signalées
quand une réévaluation change ce qu'elles corrigeaient."""
from datetime import date, datetime, timezone

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from forms.dossier import Dossier
from forms.valeurs import FINANCEURS
from instruction.dossiers.corrections import appliquer, cote_a_cote
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import ErreurInstruction, SaisieRefusee

QUAND = datetime(2025, 6, 1, 10, 0, tzinfo=timezone.utc)
LA_001 = "LA-2025-001"


@pytest.fixture(scope="module")
def evalue(guichet_python, exemples_par_reference):
    """Un dossier d'exemple déposé et évalué une fois (à sa date de dépôt, ou à `jour`)."""
    def evaluer(reference=LA_001, jour=None) -> DossierInstruit:
        donnees = exemples_par_reference[reference]
        dossier = DossierInstruit.creer(Dossier.model_validate(donnees), "porteur", QUAND)
        dossier.ajouter_evaluation(guichet_python.evaluer(donnees, jour), jour or dossier.donnees.date_depot,
                                   "instructeur", QUAND)
        return dossier
    return evaluer


@pytest.fixture(scope="module")
def reevaluer(guichet_python, exemples_par_reference):
    """Ajoute au dossier LA-2025-001 une évaluation des règles en vigueur le `jour` donné."""
    def ajouter(dossier: DossierInstruit, jour: date) -> None:
        dossier.ajouter_evaluation(guichet_python.evaluer(exemples_par_reference[LA_001], jour), jour, "robot",
                                   QUAND)
    return ajouter


def _statut(evaluation, financeur):
    return evaluation.statut(financeur)


def test_une_correction_sans_justification_est_refusee(evalue):
    dossier = evalue()
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
def test_une_correction_hors_des_valeurs_permises_nomme_le_champ(evalue, genre, cible, valeur, champ):
    with pytest.raises(SaisieRefusee) as erreur:
        evalue().corriger(genre, cible, valeur, "parce que", "Claire", QUAND)
    assert erreur.value.champ == champ


def test_corriger_vers_la_valeur_calculee_est_refuse(evalue):
    dossier = evalue()
    with pytest.raises(SaisieRefusee, match="déjà"):
        dossier.corriger("avis", None, dossier.derniere_evaluation.resultat.avis, "idem", "Claire", QUAND)


def test_pas_de_correction_sans_evaluation(exemples_par_reference):
    dossier = DossierInstruit.creer(Dossier.model_validate(exemples_par_reference[LA_001]), "porteur", QUAND)
    with pytest.raises(ErreurInstruction, match="évaluez"):
        dossier.corriger("avis", None, "defavorable", "motif", "Claire", QUAND)


def test_le_statut_corrige_change_l_orientation_et_l_avis_mais_pas_le_calcul(evalue):
    dossier = evalue()
    calcule = dossier.derniere_evaluation.resultat
    assert calcule.avis == "favorable" and "region_hdf" in calcule.orientation
    dossier.corriger("statut", "region_hdf", "exclu", "travaux déjà engagés (visite sur place)", "Claire", QUAND)
    retenue = dossier.evaluation_retenue()
    assert _statut(retenue, "region_hdf") == "exclu" and "region_hdf" not in retenue.orientation
    assert retenue.avis == "a_reorienter"
    assert _statut(dossier.derniere_evaluation.resultat, "region_hdf") == "prioritaire"


def test_l_avis_corrige_l_emporte_sur_l_avis_deduit(evalue):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "exclu", "travaux engagés", "Claire", QUAND)
    dossier.corriger("avis", None, "defavorable", "le comité a déjà refusé ce projet", "Claire", QUAND)
    assert dossier.evaluation_retenue().avis == "defavorable"


def test_la_derniere_correction_de_l_avis_l_emporte_et_son_retrait_rend_la_precedente(evalue):
    dossier = evalue()
    dossier.corriger("avis", None, "defavorable", "le comité a déjà refusé ce projet", "Claire", QUAND)
    dossier.corriger("avis", None, "favorable_sous_reserve", "le comité a changé d'avis : permis attendu", "Chef",
                     QUAND)
    assert dossier.evaluation_retenue().avis == "favorable_sous_reserve"
    dossier.retirer_correction(2, "Chef", "le permis est obtenu", QUAND)
    assert dossier.evaluation_retenue().avis == "defavorable"


def test_le_cote_a_cote_montre_le_calcul_la_correction_et_son_auteur(evalue):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    [ligne] = cote_a_cote(dossier.derniere_evaluation.resultat, dossier.corrections)
    assert (ligne["calcule"], ligne["corrige"], ligne["auteur"]) == ("Prioritaire", "Éligible", "Claire")
    assert ligne["justification"] == "pas de priorité cette année" and not ligne["a_revoir"]


def test_un_constat_ecarte_disparait_de_l_avis_retenu_et_un_constat_ajoute_y_entre(evalue):
    dossier = evalue()
    regle = dossier.derniere_evaluation.resultat.constats[0].regle
    dossier.corriger("constat_ecarte", regle, "", "ne s'applique pas : voir courrier", "Claire", QUAND)
    dossier.corriger("constat_ajoute", "departement_62", "Le Département a déjà réservé 40 000 €", "réunion du 3/6",
                     "Claire", QUAND)
    regles = [c.regle for c in dossier.evaluation_retenue().constats]
    assert regle not in regles and "instructeur.2" in regles


def test_une_correction_survit_a_la_reevaluation_sans_alerte_si_le_calcul_n_a_pas_change(evalue, reevaluer):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    reevaluer(dossier, date(2025, 3, 10))
    [correction] = dossier.corrections
    assert not correction.a_revoir and _statut(dossier.evaluation_retenue(), "region_hdf") == "eligible"


def test_une_correction_est_signalee_a_revoir_quand_le_nouveau_calcul_la_contredit(evalue, reevaluer):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    # In 2024 no encoded contract covers Béthune: the Région route is left open, under the correction.
    reevaluer(dossier, date(2024, 6, 1))
    [correction] = dossier.corrections
    assert correction.a_revoir and "« Prioritaire » → « À compléter »" in correction.motif_revue
    assert _statut(dossier.evaluation_retenue(), "region_hdf") == "eligible"  # kept, not dropped
    dossier.confirmer_correction(1, "Chef", "maintenue : projet hors contrat mais soutenu au droit commun", QUAND)
    assert not dossier.corrections[0].a_revoir


def test_une_correction_retiree_reste_dans_l_historique_mais_ne_s_applique_plus(evalue):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "exclu", "erreur de saisie", "Claire", QUAND)
    dossier.retirer_correction(1, "Chef", "la saisie a été corrigée", QUAND)
    assert dossier.evaluation_retenue() == dossier.derniere_evaluation.resultat
    assert dossier.corrections[0].retiree and "Chef" in dossier.corrections[0].retrait


def test_une_correction_retiree_n_est_jamais_a_revoir_apres_une_reevaluation_qui_change_le_calcul(evalue, reevaluer):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    dossier.corriger("avis", None, "defavorable", "le comité a déjà refusé ce projet", "Claire", QUAND)
    dossier.retirer_correction(1, "Chef", "la priorité est confirmée", QUAND)
    # The 2024 computation contradicts what both corrections were written against (« Prioritaire »,
    # « favorable »): only the one still active is to be reviewed.
    reevaluer(dossier, date(2024, 6, 1))
    retiree, active = dossier.corrections
    assert (retiree.retiree, retiree.a_revoir, retiree.motif_revue) == (True, False, "")
    assert active.a_revoir and not active.retiree
    assert _statut(dossier.evaluation_retenue(), "region_hdf") == "a_completer"  # the computation, uncorrected
    # Back under the 2025 rules, the withdrawn correction is still neither active nor to be reviewed.
    reevaluer(dossier, date(2025, 3, 10))
    assert [(c.retiree, c.a_revoir) for c in dossier.corrections] == [(True, False), (False, False)]
    assert dossier.corrections[0].retrait == retiree.retrait


@settings(max_examples=60, deadline=None)
@given(donnees=st.data(),
       corrections=st.lists(st.tuples(st.sampled_from(FINANCEURS),
                                      st.sampled_from(["prioritaire", "eligible", "a_completer", "exclu",
                                                       "non_concerne"])), max_size=4))
@example(donnees=None, corrections=[("region_hdf", "exclu"), ("leader", "prioritaire")])
@example(donnees=None, corrections=[("region_hdf", "non_concerne"), ("departement_62", "a_completer")])
def test_l_orientation_retenue_n_ouvre_jamais_un_financeur_ferme(evalue, exemples_par_reference, donnees,
                                                                 corrections):
    # The explicit examples correct LA-2025-001, whose Région is « prioritaire », to a closed status.
    reference = LA_001 if donnees is None else donnees.draw(st.sampled_from(sorted(exemples_par_reference)))
    dossier = evalue(reference, date(2025, 6, 1))
    for financeur, statut in corrections:
        try:
            dossier.corriger("statut", financeur, statut, "essai", "Claire", QUAND)
        except SaisieRefusee:
            pass  # same value as computed
    retenue = appliquer(dossier.derniere_evaluation.resultat, dossier.corrections)
    statuts = retenue.statuts()
    event(f"corrections appliquées : {len(dossier.corrections)}")
    derniere = {c.cible: c.valeur for c in dossier.corrections}  # the last correction of a funder wins
    assert {f: statuts[f] for f in derniere} == derniere
    assert all(statuts[f] not in ("exclu", "non_concerne") for f in retenue.orientation)
    assert {f for f, s in statuts.items() if s in ("prioritaire", "eligible", "a_completer")} == set(
        retenue.orientation)


def test_une_correction_retiree_ne_se_retire_ni_ne_se_maintient_une_seconde_fois(evalue):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "exclu", "erreur de saisie", "Claire", QUAND)
    dossier.retirer_correction(1, "Chef", "la saisie a été corrigée", QUAND)
    premier_retrait = dossier.corrections[0].retrait
    for action in (dossier.retirer_correction, dossier.confirmer_correction):
        with pytest.raises(ErreurInstruction, match="déjà retirée"):
            action(1, "Autre", "encore", QUAND)
    assert dossier.corrections[0].retrait == premier_retrait


def test_le_signal_a_revoir_tombe_quand_le_calcul_revient_a_ce_qu_il_etait(evalue, reevaluer):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    for jour in (date(2024, 6, 1), date(2025, 3, 10)):
        reevaluer(dossier, jour)
    assert not dossier.corrections[0].a_revoir and dossier.corrections[0].motif_revue == ""


def test_maintenir_une_correction_la_recale_sur_le_nouveau_calcul_et_garde_sa_justification(evalue, reevaluer):
    dossier = evalue()
    dossier.corriger("statut", "region_hdf", "eligible", "pas de priorité cette année", "Claire", QUAND)
    reevaluer(dossier, date(2024, 6, 1))
    dossier.confirmer_correction(1, "Chef", "soutenu au droit commun", QUAND)
    [c] = dossier.corrections
    assert c.valeur_calculee == "a_completer" and not c.a_revoir
    assert c.justification.startswith("pas de priorité cette année — maintenue par Chef le 01/06/2025")
