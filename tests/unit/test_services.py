"""Les cas d'usage d'un dossier, sur des dépôts en mémoire : rien n'est perdu, rien n'est écrasé."""
from datetime import date, datetime, timezone

import pytest

from instruction.acces import Agent
from instruction.dossiers import services
from instruction.erreurs import DossierExistant, DossierIntrouvable, ErreurInstruction, TransitionInterdite
from tests.unit.faux import FausseUnite

PAR_CHEF = Agent.local("Chef")
PAR_CLAIRE = Agent.local("Claire")
PAR_PORTEUR = Agent.local("porteur")
PAR_TEST = Agent.local("test")



def horloge():
    return datetime(2025, 6, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def uow():
    return FausseUnite()


@pytest.fixture(scope="module")
def aire(exemples) -> dict:
    return exemples[0]


def test_un_depot_invalide_renvoie_ses_erreurs_et_n_enregistre_rien(uow, guichet_python, aire):
    erreurs = services.deposer(uow, guichet_python, {**aire, "budget": {"cout_total_ht": "beaucoup"}}, PAR_PORTEUR)
    assert [e.champ for e in erreurs] == ["budget.cout_total_ht"]
    assert uow.publie["dossiers"] == {}


def test_une_reference_deja_prise_est_refusee(uow, guichet_python, aire):
    assert services.deposer(uow, guichet_python, aire, PAR_PORTEUR) == []
    with pytest.raises(DossierExistant):
        services.deposer(uow, guichet_python, aire, PAR_PORTEUR)


def test_chaque_evaluation_s_ajoute_a_l_historique_avec_sa_version_des_regles(uow, guichet_python, aire):
    services.deposer(uow, guichet_python, aire, PAR_PORTEUR, horloge=horloge)
    premiere = services.evaluer(uow, guichet_python, aire["reference"], PAR_CLAIRE, horloge=horloge)
    seconde = services.evaluer(uow, guichet_python, aire["reference"], PAR_CLAIRE, date(2024, 6, 1), horloge=horloge)
    dossier = services.consulter(uow, aire["reference"], PAR_TEST)
    assert [e.numero for e in dossier.evaluations] == [1, 2]
    assert dossier.evaluations[0].resultat == premiere.resultat  # the first one is untouched
    assert premiere.version_regles != seconde.version_regles and seconde.version_regles.endswith("@2024-06-01")
    assert seconde.date_reference == date(2024, 6, 1)


def test_les_regles_employees_sont_conservees_pour_rejouer_l_avis(uow, guichet_python, aire):
    services.deposer(uow, guichet_python, aire, PAR_PORTEUR)
    evaluation = services.evaluer(uow, guichet_python, aire["reference"], PAR_CLAIRE)
    base = services.base_de_version(uow, evaluation.version_regles)
    assert base.empreinte == guichet_python.base.empreinte and len(base.regles) == len(guichet_python.base.regles)


def test_une_version_de_regles_inconnue_est_une_erreur_claire(uow):
    with pytest.raises(ErreurInstruction, match="version des règles inconnue"):
        services.base_de_version(uow, "sha256:000000000000/00000000@2025-01-01")


def test_une_transition_refusee_n_enregistre_rien(uow, guichet_python, aire):
    services.deposer(uow, guichet_python, aire, PAR_PORTEUR)
    validations = uow.validations
    with pytest.raises(TransitionInterdite):
        services.changer_etat(uow, aire["reference"], "decide", PAR_CLAIRE, "trop tôt")
    assert uow.validations == validations
    assert services.consulter(uow, aire["reference"], PAR_TEST).etat == "depose"


def test_un_dossier_introuvable_est_nomme(uow, guichet_python):
    with pytest.raises(DossierIntrouvable, match="LA-404"):
        services.evaluer(uow, guichet_python, "LA-404", PAR_CLAIRE)


def test_un_dossier_classe_ne_se_reevalue_plus(uow, guichet_python, aire):
    services.deposer(uow, guichet_python, aire, PAR_PORTEUR)
    services.changer_etat(uow, aire["reference"], "classe_sans_suite", PAR_CLAIRE, "le porteur abandonne")
    with pytest.raises(ErreurInstruction, match="ne se réévalue plus"):
        services.evaluer(uow, guichet_python, aire["reference"], PAR_CLAIRE)


def test_completer_le_dossier_garde_les_evaluations_passees(uow, guichet_python, aire):
    incomplet = {**aire, "projet": {**aire["projet"], "clienteles": None}}
    services.deposer(uow, guichet_python, incomplet, PAR_PORTEUR)
    avant = services.evaluer(uow, guichet_python, aire["reference"], PAR_CLAIRE)
    assert services.modifier(uow, guichet_python, aire, PAR_PORTEUR) == []
    apres = services.evaluer(uow, guichet_python, aire["reference"], PAR_CLAIRE)
    dossier = services.consulter(uow, aire["reference"], PAR_TEST)
    assert dossier.evaluations[0].donnees["projet"]["clienteles"] is None
    assert dossier.evaluations[1].donnees["projet"]["clienteles"] == aire["projet"]["clienteles"]
    assert "projet.clienteles" in avant.resultat.informations_manquantes
    assert "projet.clienteles" not in apres.resultat.informations_manquantes


def test_une_correction_puis_sa_revue_passent_par_le_depot(uow, guichet_python, aire):
    services.deposer(uow, guichet_python, aire, PAR_PORTEUR)
    services.evaluer(uow, guichet_python, aire["reference"], PAR_CLAIRE)
    services.corriger(uow, aire["reference"], "avis", None, "favorable_sous_reserve", "attendre le permis", PAR_CLAIRE)
    services.revoir_correction(uow, aire["reference"], 1, False, PAR_CHEF, "permis obtenu")
    [correction] = services.consulter(uow, aire["reference"], PAR_TEST).corrections
    assert correction.retiree and correction.justification == "attendre le permis"


def test_l_avis_decrit_le_dossier_tel_que_l_evaluation_l_a_lu(uow, guichet_python, territoire, aire):
    from instruction.documents import avis as avis_technique
    services.deposer(uow, guichet_python, aire, PAR_PORTEUR)
    services.changer_etat(uow, aire["reference"], "en_instruction", PAR_CLAIRE, "prise en charge")
    services.evaluer(uow, guichet_python, aire["reference"], PAR_CLAIRE)
    plus_cher = {**aire, "budget": {**aire["budget"], "cout_total_ht": 500000}}
    assert services.modifier(uow, guichet_python, plus_cher, PAR_PORTEUR) == []
    dossier = services.consulter(uow, aire["reference"], PAR_TEST)
    assert "budget.cout_total_ht : 180000.0 → 500000.0" in dossier.transitions[-1].motif
    vm = avis_technique.construire(dossier, territoire, {}, horloge())
    assert vm["budget"]["cout_total_ht"] == aire["budget"]["cout_total_ht"] and vm["donnees_modifiees"]
