"""Les trous du cycle de vie qui laissaient passer une mauvaise décision : un avis sur des données périmées,
une seule décision par dossier, un dossier ajourné resté à l'ordre du jour d'une réunion passée, un dossier
inscrit qu'on ne pouvait pas retirer."""
from datetime import date, datetime, timezone

import pytest

from forms.dossier import Dossier
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.comite.reunion import Comite, Membre
from instruction.dossiers import services
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import Refus, SaisieRefusee, TransitionInterdite
from tests.unit.faux import FausseUnite

QUAND = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)
APRES_LA_REUNION = datetime(2025, 12, 12, 9, 0, tzinfo=timezone.utc)
SERVICES = Agent("ines@hautsdefrance.fr", "instructeur")


def _evalue(guichet, **projet) -> DossierInstruit:
    dossier = DossierInstruit.creer(Dossier.model_validate(
        {"reference": "LA-1", "date_depot": "2025-03-10", "projet": {"commune_insee": "62119", **projet}}),
        "porteur", QUAND)
    dossier.passer("en_instruction", "Claire", QUAND, "prise en charge")
    dossier.ajouter_evaluation(guichet.evaluer(dossier.donnees), date(2025, 3, 10), "Claire", QUAND)
    return dossier


def _inscrit(guichet, comite="CT-1") -> DossierInstruit:
    dossier = _evalue(guichet)
    dossier.passer("avis_rendu", "Claire", QUAND, "avis rendu")
    dossier.passer("inscrit_comite", "secrétariat", QUAND, "inscription", comite=comite)
    return dossier


def test_un_avis_ne_se_rend_pas_sur_des_donnees_changees_depuis_l_evaluation(guichet_python):
    dossier = _evalue(guichet_python)
    modifie = dossier.donnees.model_copy(update={"projet": dossier.donnees.projet.model_copy(
        update={"commune_insee": "62041"})})
    dossier.remplacer_donnees(modifie, "porteur", QUAND)
    with pytest.raises(Refus, match="réévaluez"):
        dossier.passer("avis_rendu", "Claire", QUAND, "avis")
    assert dossier.etat == "en_instruction"
    dossier.ajouter_evaluation(guichet_python.evaluer(dossier.donnees), date(2025, 3, 10), "Claire", QUAND)
    dossier.passer("avis_rendu", "Claire", QUAND, "avis")
    assert dossier.etat == "avis_rendu"


def test_un_dossier_se_decide_financeur_par_financeur_a_la_meme_reunion(guichet_python):
    dossier = _inscrit(guichet_python)
    dossier.decider({"region_hdf": "favorable"}, "vote", "présidente", QUAND, comite="CT-1")
    dossier.decider({"departement_59": "favorable"}, "vote du Nord", "présidente", QUAND, comite="CT-1")
    assert dossier.etat == "decide"
    assert [(d.financeur, d.decision) for d in dossier.decisions] == [("region_hdf", "favorable"),
                                                                       ("departement_59", "favorable")]


def test_une_decision_enregistree_est_definitive_pour_sa_reunion(guichet_python):
    dossier = _inscrit(guichet_python)
    dossier.decider({"region_hdf": "ajourne"}, "pièces manquantes", "présidente", QUAND, comite="CT-1")
    with pytest.raises(Refus, match="définitive"):
        dossier.decider({"region_hdf": "favorable"}, "finalement oui", "présidente", QUAND, comite="CT-1")
    assert len(dossier.decisions) == 1


def test_un_dossier_ajourne_inscrit_a_une_autre_reunion_n_est_plus_decide_par_la_premiere(guichet_python):
    dossier = _inscrit(guichet_python, "CT-1")
    dossier.decider({"region_hdf": "ajourne"}, "pièces manquantes", "présidente", QUAND, comite="CT-1")
    dossier.passer("inscrit_comite", "secrétariat", QUAND, "nouvel examen", comite="CT-2")
    with pytest.raises(Refus, match="CT-2"):
        dossier.decider({"departement_59": "favorable"}, "rattrapage", "présidente", QUAND, comite="CT-1")
    dossier.decider({"region_hdf": "favorable"}, "pièces reçues", "présidente", QUAND, comite="CT-2")
    assert [(d.comite, d.decision) for d in dossier.decisions] == [("CT-1", "ajourne"), ("CT-2", "favorable")]


def test_le_porteur_peut_retirer_un_dossier_inscrit_ou_ajourne_mais_pas_un_dossier_decide(guichet_python):
    inscrit = _inscrit(guichet_python)
    inscrit.passer("classe_sans_suite", "porteur", QUAND, "le porteur retire sa demande")
    assert inscrit.etat == "classe_sans_suite"
    ajourne = _inscrit(guichet_python)
    ajourne.decider({"region_hdf": "ajourne"}, "pièces", "présidente", QUAND, comite="CT-1")
    ajourne.passer("classe_sans_suite", "porteur", QUAND, "abandon du projet")
    decide = _inscrit(guichet_python)
    decide.decider({"region_hdf": "favorable"}, "vote", "présidente", QUAND, comite="CT-1")
    with pytest.raises(TransitionInterdite):
        decide.passer("classe_sans_suite", "porteur", QUAND, "trop tard")


def _comite_avec_un_dossier(uow, guichet, territoire, dossier):
    services_comite.creer_comite(uow, territoire, SERVICES, date(2025, 12, 11), "lys_artois", "CT-1")
    services_comite.importer(uow, guichet, "CT-1", [dossier], SERVICES)


def test_retirer_sa_demande_la_retire_aussi_de_l_ordre_du_jour(guichet_python, territoire):
    uow, exemple = FausseUnite(), {"reference": "LA-9", "date_depot": "2025-05-01",
                                   "projet": {"commune_insee": "62119"}}
    _comite_avec_un_dossier(uow, guichet_python, territoire, exemple)
    services.changer_etat(uow, "LA-9", "classe_sans_suite", SERVICES, "le porteur retire sa demande")
    assert uow.publie["comites"]["CT-1"].ordre_du_jour == []
    assert uow.publie["dossiers"]["LA-9"].etat == "classe_sans_suite"


def test_l_evaluation_du_comite_signale_un_dossier_depose_apres_la_reunion_ou_hors_du_territoire(
        guichet_python, territoire, controles):
    uow = FausseUnite()
    services_comite.creer_comite(uow, territoire, SERVICES, date(2025, 12, 11), "lys_artois", "CT-1")
    dossiers = [{"reference": "APRES", "date_depot": "2025-12-12", "projet": {"commune_insee": "62119"}},
                {"reference": "ARRAS", "date_depot": "2025-05-01", "projet": {"commune_insee": "62041"}},
                {"reference": "BETHUNE", "date_depot": "2025-05-01", "projet": {"commune_insee": "62119"}}]
    services_comite.importer(uow, guichet_python, "CT-1", dossiers, SERVICES)
    comite = services_comite.evaluer_comite(uow, guichet_python, controles, "CT-1", SERVICES)
    alertes = {c["controle"]: c for c in comite.controles}
    assert alertes["comite.depose_apres"]["dossiers"] == ["APRES"]
    assert "12/11/2025" not in alertes["comite.depose_apres"]["message"]
    assert "11/12/2025" in alertes["comite.depose_apres"]["message"]
    assert alertes["comite.hors_territoire"]["dossiers"] == ["ARRAS"]
    assert alertes["comite.hors_territoire"]["source"]["reference"] == "Article 2.1"
    assert {c["gravite"] for c in alertes.values() if c["controle"] in ("comite.depose_apres",
                                                                        "comite.hors_territoire")} == {"alerte"}


def test_une_liste_evaluee_sans_base_ne_compte_pas_deux_fois_la_meme_reference(guichet_python, controles):
    dossier = {"reference": "LA-1", "date_depot": "2025-05-01", "projet": {"commune_insee": "62119"},
               "budget": {"montant_sollicite": 10000}}
    rapport = services_comite.evaluer_liste(guichet_python, controles, [dossier, dossier], SERVICES,
                                            date(2025, 6, 1))
    assert [ligne["reference"] for ligne in rapport["lignes"]] == ["LA-1"]
    assert rapport["erreurs"][0]["position"] == 2 and "déjà" in rapport["erreurs"][0]["erreurs"][0]["message"]


@pytest.mark.parametrize("code", ["../../etc/x", "a b", " ", "-tiret", "x" * 65, "é"])
def test_un_code_de_reunion_qui_n_est_pas_un_identifiant_est_refuse(territoire, code):
    with pytest.raises(SaisieRefusee) as erreur:
        Comite.creer(territoire.contrat("lys_artois"), date(2025, 12, 11), code)
    assert erreur.value.champ == "code"


def test_la_feuille_de_presence_note_qui_etait_la_et_ajoute_un_expert(territoire):
    comite = Comite.creer(territoire.contrat("lys_artois"), date(2025, 12, 11))
    comite.noter_presence({"Conseil Régional": ("Mme Durand", True), "Département du Nord": ("", False),
                           "CAUE du Pas-de-Calais": ("M. Expert", True)})
    par_structure = {m.structure: m for m in comite.membres}
    assert par_structure["Conseil Régional"] == Membre("Conseil Régional", "Mme Durand", True)
    assert par_structure["Département du Nord"].present is False
    assert par_structure["CAUE du Pas-de-Calais"].present is True
    assert par_structure["Pas-de-Calais Tourisme"].present is None  # not recorded yet
