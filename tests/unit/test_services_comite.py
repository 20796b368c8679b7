"""Le comité technique sur des dépôts en mémoire : import d'une liste, évaluation d'un bloc,
décisions, et « et si » sous d'autres règles."""
import json
from datetime import date, datetime, timezone

import pytest

from bench.generateur import generer
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.dossiers import services
from instruction.erreurs import ComiteIntrouvable, ErreurInstruction, SaisieRefusee, TransitionInterdite
from tests.unit.faux import FausseUnite

PAR_CLAIRE = Agent.local("Claire")
PAR_CLI = Agent.local("cli")
PAR_P = Agent.local("p")
PAR_PORTEUR = Agent.local("porteur")
PAR_PRESIDENTE = Agent.local("présidente")
PAR_SECRETARIAT = Agent.local("secrétariat")
PAR_TEST = Agent.local("test")
JOUR = date(2025, 6, 12)


@pytest.fixture
def uow():
    return FausseUnite()


@pytest.fixture
def comite(uow, territoire):
    return services_comite.creer_comite(uow, territoire, PAR_TEST, JOUR, "lys_artois").code


@pytest.fixture(scope="module")
def lot_genere() -> list:
    """200 dossiers générés (bench/generateur.py lit le fichier du territoire), dont 10 rendus invalides."""
    total, invalides = 200, 10
    _, dossiers = generer(total)
    for k in range(invalides):
        dossiers[k * (total // invalides)] = {**dossiers[k * (total // invalides)],
                                              "budget": {"cout_total_ht": -k - 1}}
    return dossiers


def test_un_comite_prend_les_membres_de_l_article_5_2_du_contrat(uow, territoire, comite):
    membres = [m.structure for m in uow.publie["comites"][comite].membres]
    assert membres[0] == "Conseil Régional" and "Office de Tourisme Flandre Lys et CCFL" in membres


def test_un_comite_hors_de_la_periode_du_contrat_est_refuse(uow, territoire):
    with pytest.raises(SaisieRefusee, match="hors de la période"):
        services_comite.creer_comite(uow, territoire, PAR_TEST, date(2024, 6, 1), "lys_artois")


def test_un_contrat_inconnu_est_refuse_en_nommant_les_possibles(uow, territoire):
    with pytest.raises(SaisieRefusee, match="lys_artois"):
        services_comite.creer_comite(uow, territoire, PAR_TEST, JOUR, "lys")


def test_un_import_de_200_dossiers_dont_10_invalides_enregistre_les_190_autres(uow, guichet_python, comite, lot_genere):
    etapes = []
    resultat = services_comite.importer(uow, guichet_python, comite, lot_genere, PAR_SECRETARIAT,
                                        progression=lambda etape, fait, total: etapes.append((etape, fait, total)))
    assert len(resultat.importes) == 190 and len(resultat.erreurs) == 10
    assert all(e["erreurs"][0]["champ"] == "budget.cout_total_ht" for e in resultat.erreurs)
    publie = uow.publie
    assert len(publie["dossiers"]) == 190 and publie["comites"][comite].ordre_du_jour == resultat.importes
    assert all(d.etat == "inscrit_comite" and len(d.evaluations) == 1 for d in publie["dossiers"].values())
    assert ("lecture", 200, 200) in etapes and ("évaluation", 190, 190) in etapes
    assert ("enregistrement", 190, 190) in etapes


def test_un_arret_au_milieu_de_l_import_ne_laisse_aucun_comite_a_moitie_ecrit(uow, guichet_python, comite, lot_genere):
    def panne(etape, fait, total):
        if etape == "enregistrement" and fait == 100:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        services_comite.importer(uow, guichet_python, comite, lot_genere, PAR_SECRETARIAT,
                                 progression=panne)
    assert uow.publie["dossiers"] == {} and uow.publie["comites"][comite].ordre_du_jour == []


def test_une_reference_en_double_dans_la_liste_est_ecartee_avec_son_erreur(uow, guichet_python, comite, exemples):
    resultat = services_comite.importer(uow, guichet_python, comite, [exemples[0], exemples[0]], PAR_SECRETARIAT)
    assert resultat.importes == [exemples[0]["reference"]]
    assert resultat.erreurs[0]["position"] == 2 and "déjà" in resultat.erreurs[0]["erreurs"][0]["message"]


def test_inscrire_un_dossier_sans_avis_rendu_est_refuse_et_rien_n_est_inscrit(uow, guichet_python, comite, exemples):
    services.deposer(uow, guichet_python, exemples[0], PAR_PORTEUR)
    with pytest.raises(TransitionInterdite):
        services_comite.inscrire(uow, comite, [exemples[0]["reference"]], PAR_SECRETARIAT)
    assert uow.publie["comites"][comite].ordre_du_jour == []


def test_evaluer_le_comite_ajoute_une_evaluation_a_chaque_dossier_et_fait_les_controles(uow, guichet_python, comite,
                                                                                        exemples, controles):
    services_comite.importer(uow, guichet_python, comite, exemples, PAR_SECRETARIAT)
    services_comite.evaluer_comite(uow, guichet_python, controles, comite, PAR_SECRETARIAT)
    publie = uow.publie
    assert all(len(d.evaluations) == 2 for d in publie["dossiers"].values())
    controles = publie["comites"][comite].controles
    assert {"LA-2026-017", "LA-2026-034"} in [set(c["dossiers"]) for c in controles]


def test_les_decisions_sont_prises_par_financeur_pour_un_dossier_de_l_ordre_du_jour(uow, guichet_python, comite,
                                                                                    exemples):
    services_comite.importer(uow, guichet_python, comite, exemples[:3], PAR_SECRETARIAT)
    reference = exemples[0]["reference"]
    services_comite.decider(uow, comite, reference, {"region_hdf": "favorable", "departement_62": "ajourne"},
                            "vote du comité", PAR_PRESIDENTE)
    dossier = services.consulter(uow, reference, PAR_TEST)
    assert dossier.etat == "decide" and {(d.financeur, d.decision, d.comite) for d in dossier.decisions} == {
        ("region_hdf", "favorable", comite), ("departement_62", "ajourne", comite)}
    with pytest.raises(SaisieRefusee, match="decision"):
        services_comite.decider(uow, comite, exemples[1]["reference"], {"region_hdf": "peut-être"}, "vote", PAR_P)


def test_une_decision_pour_un_dossier_absent_de_l_ordre_du_jour_est_refusee(uow, guichet_python, comite, exemples):
    services_comite.importer(uow, guichet_python, comite, exemples[:1], PAR_SECRETARIAT)
    with pytest.raises(ErreurInstruction, match="ordre du jour"):
        services_comite.decider(uow, comite, "LA-404", {"region_hdf": "favorable"}, "vote", PAR_PRESIDENTE)
    with pytest.raises(ComiteIntrouvable):
        services_comite.decider(uow, "inconnu", exemples[0]["reference"], {"region_hdf": "favorable"}, "v", PAR_P)


def test_rejouer_le_comite_en_2024_montre_ce_qui_change_sans_rien_enregistrer(uow, guichet_python, comite, exemples):
    services_comite.importer(uow, guichet_python, comite, exemples[:6], PAR_SECRETARIAT)
    avant = json.dumps([d.evaluations[-1].resultat.en_json() for d in uow.publie["dossiers"].values()],
                       sort_keys=True)
    changements = services_comite.comparer_comite(uow, guichet_python, comite, PAR_TEST, date(2024, 6, 1))
    assert [c["reference"] for c in changements] == [d["reference"] for d in exemples[:6]]
    aire = changements[0]
    assert aire["change"] and aire["avis"]["avant"] == "favorable"
    assert any(f["financeur"] == "region_hdf" and f["avant"] == "prioritaire" for f in aire["financeurs"])
    apres = [d.evaluations[-1].resultat.en_json() for d in uow.publie["dossiers"].values()]
    assert json.dumps(apres, sort_keys=True) == avant


def test_rejouer_sous_les_memes_regles_et_la_meme_date_ne_change_rien(uow, guichet_python, comite, exemples):
    services_comite.importer(uow, guichet_python, comite, exemples, PAR_SECRETARIAT)
    assert not any(c["change"] for c in services_comite.comparer_comite(uow, guichet_python, comite, PAR_TEST))


def test_le_rapport_d_un_fichier_liste_les_invalides_et_garde_l_ordre(guichet_python, territoire, exemples, controles):
    entrees = exemples[:5] + [{"reference": "CASSE", "projet": {"nature": "fete"}}]
    rapport = services_comite.evaluer_liste(guichet_python, controles, entrees, PAR_CLI, date(2025, 6, 12))
    assert [ligne["reference"] for ligne in rapport["lignes"]] == [d["reference"] for d in exemples[:5]]
    assert rapport["erreurs"][0]["reference"] == "CASSE" and rapport["erreurs"][0]["position"] == 6
    assert rapport["comite"]["contrat"].startswith("Contrat de destination touristique")


def test_les_decisions_ne_s_enregistrent_qu_apres_la_reunion(uow, guichet_python, territoire, exemples):
    code = services_comite.creer_comite(uow, territoire, PAR_TEST, date(2027, 6, 1), "lys_artois").code
    services_comite.importer(uow, guichet_python, code, exemples[:1], PAR_SECRETARIAT)
    with pytest.raises(ErreurInstruction, match="après sa réunion"):
        services_comite.decider(uow, code, exemples[0]["reference"], {"region_hdf": "favorable"}, "vote", PAR_P,
                                horloge=lambda: datetime(2027, 5, 31, 12, tzinfo=timezone.utc))


def test_rejouer_le_comite_lit_les_donnees_que_l_evaluation_a_lues(uow, guichet_python, comite, exemples):
    services_comite.importer(uow, guichet_python, comite, exemples[:1], PAR_SECRETARIAT)
    dossier = uow.publie["dossiers"][exemples[0]["reference"]]
    dossier.donnees = dossier.donnees.model_copy(update={"porteur": dossier.donnees.porteur.model_copy(
        update={"type": "adrt"})})  # changed behind the evaluation's back: not a rules change
    [changement] = services_comite.comparer_comite(uow, guichet_python, comite, PAR_TEST)
    assert not changement["change"]


def test_un_dossier_ajourne_revient_devant_un_autre_comite(uow, guichet_python, territoire, comite, exemples):
    services_comite.importer(uow, guichet_python, comite, exemples[:1], PAR_SECRETARIAT)
    reference = exemples[0]["reference"]
    services_comite.decider(uow, comite, reference, {"region_hdf": "ajourne"}, "pièces manquantes", PAR_P)
    suivant = services_comite.creer_comite(uow, territoire, PAR_TEST, date(2025, 9, 18), "lys_artois").code
    services.evaluer(uow, guichet_python, reference, PAR_CLAIRE)
    services_comite.inscrire(uow, suivant, [reference], PAR_SECRETARIAT)
    assert services.consulter(uow, reference, PAR_TEST).etat == "inscrit_comite"
    assert uow.publie["comites"][suivant].ordre_du_jour == [reference]


def test_le_rapport_met_les_alertes_avant_les_informations(territoire):
    from instruction.comite.reunion import Comite
    from instruction.documents import rapport as rapport_comite
    controles = [{"gravite": g, "source": None, "titre": g} for g in ("information", "alerte", "information")]
    vm = rapport_comite.construire(Comite("c", JOUR, "lys_artois", []), None, [], territoire, controles,
                                   datetime(2025, 6, 12, tzinfo=timezone.utc))
    assert [c["gravite"] for c in vm["controles"]] == ["alerte", "information", "information"]
