"""Le cycle de vie d'un dossier : les passages permis, les refus, l'historique."""
from datetime import datetime, timezone

import pytest

from forms.dossier import Dossier
from instruction.cycle import ETATS, FINAUX, OUVERTS, permise, suivants
from instruction.dossier_instruit import DossierInstruit
from instruction.erreurs import ErreurInstruction, SaisieRefusee, TransitionInterdite

QUAND = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


def _dossier(etat="depose", **donnees) -> DossierInstruit:
    return DossierInstruit.creer(Dossier.model_validate({"reference": "LA-1", **donnees}), "porteur", QUAND, etat)


def test_le_chemin_nominal_va_du_brouillon_a_la_decision():
    chemin = ["brouillon", "depose", "en_instruction", "avis_rendu", "inscrit_comite", "decide"]
    assert all(permise(de, vers) for de, vers in zip(chemin, chemin[1:]))


def test_tout_etat_ouvert_peut_etre_classe_sans_suite_mais_pas_un_etat_final():
    assert all(permise(e, "classe_sans_suite") for e in OUVERTS)
    assert all(suivants(e) == () for e in FINAUX)


def test_on_ne_saute_pas_d_etape():
    interdits = [(de, vers) for de in ETATS for vers in ETATS if permise(de, vers)]
    assert ("depose", "avis_rendu") not in interdits and ("brouillon", "decide") not in interdits


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
