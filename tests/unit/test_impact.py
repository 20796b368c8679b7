"""L'impact d'un changement de règles (`instruction.evaluation.impact`) : transitions comptées par financeur, avis
changés, règles en cause, dossiers inchangés et invalides ; et les constats que `comparer` relève désormais."""
from dataclasses import replace

import pytest

from forms.validation import ErreurChamp
from instruction.evaluation.comparaison import comparer
from instruction.evaluation.guichet import Guichet
from instruction.evaluation.impact import mesurer_impact
from instruction.evaluation.resultat import Constat, Evaluation, EvaluationInvalide, StatutFinanceur
from rules.base import BaseDeRegles
from rules.regle import Source
from tests.regles_essai import lot, textes_des_versions


def _evaluation(reference: str, avis: str, statuts: dict, constats: list, manquants: tuple = ()) -> Evaluation:
    """Une évaluation réduite à ce que la comparaison lit ; `statuts` : financeur -> (statut, motifs)."""
    source = Source("essai", "essai", "essai")
    return Evaluation(reference, avis, tuple(StatutFinanceur(f, s, tuple(m), None) for f, (s, m) in statuts.items()),
                      (), (), tuple(manquants), (), (),
                      tuple(Constat(r, f, "information", "m", source, False) for r, f in constats), "sha256:essai")


def _invalide(reference: str, *erreurs: dict) -> EvaluationInvalide:
    return EvaluationInvalide(reference, tuple(ErreurChamp(e["champ"], e["message"]) for e in erreurs))


@pytest.fixture(scope="module")
def impact(territoire):
    # The two rule versions are read from texts, as a stored version is: no file is written.
    dossiers = lot()
    evaluer = [Guichet(BaseDeRegles.depuis_textes(t), territoire, moteur="python") for t in textes_des_versions()]
    return mesurer_impact(*(list(g.evaluer_lot(dossiers)) for g in evaluer))


def test_les_statuts_qui_bougent_sont_comptes_par_financeur_dans_l_ordre_du_contrat(impact):
    assert impact["transitions"] == [
        {"financeur": "region_hdf", "avant": "eligible", "apres": "non_concerne", "nombre": 2},
        {"financeur": "ademe_fonds_tourisme_durable", "avant": "eligible", "apres": "non_concerne", "nombre": 2}]
    assert (impact["total"], impact["changes"], impact["inchanges"], impact["invalides"]) == (5, 4, 1, [])


def test_les_avis_changes_sont_listes_avec_leur_reference(impact):
    assert impact["avis"] == [
        {"position": 1, "reference": "ESSAI-A", "avant": "favorable", "apres": "defavorable"},
        {"position": 3, "reference": "ESSAI-C", "avant": "favorable", "apres": "defavorable"}]


def test_chaque_financeur_qui_bouge_nomme_les_regles_en_cause(impact):
    par_reference = {d["reference"]: d for d in impact["dossiers"]}
    assert list(par_reference) == ["ESSAI-A", "ESSAI-B", "ESSAI-C", "ESSAI-D"]
    assert par_reference["ESSAI-C"]["financeurs"] == [
        {"financeur": "region_hdf", "avant": "eligible", "apres": "non_concerne", "motifs_ajoutes": [],
         "motifs_retires": ["essai.region_cout"], "constats_ajoutes": [], "constats_retires": ["essai.region_cout"]},
        {"financeur": "ademe_fonds_tourisme_durable", "avant": "eligible", "apres": "non_concerne",
         "motifs_ajoutes": [], "motifs_retires": ["essai.ademe_restauration"], "constats_ajoutes": [],
         "constats_retires": ["essai.ademe_restauration"]}]
    # The warning of ESSAI-D is there under both versions: it is not a change.
    assert par_reference["ESSAI-D"]["autres_constats"] == []


def test_un_constat_seul_suffit_a_faire_bouger_un_dossier(impact):
    [b] = [d for d in impact["dossiers"] if d["reference"] == "ESSAI-B"]
    assert b == {"position": 2, "reference": "ESSAI-B", "avis": None, "financeurs": [],
                 "autres_constats": [{"financeur": None, "ajoutes": ["essai.info_commune"], "retires": []}],
                 "manquants_ajoutes": [], "manquants_retires": []}


def test_un_dossier_invalide_est_liste_a_part_et_les_autres_sont_compares():
    erreur = {"champ": "projet.nature", "message": "valeur inconnue"}
    bon = _evaluation("BON", "favorable", {"region_hdf": ("eligible", ["r.a"])}, [("r.a", "region_hdf")])
    mauvais = _invalide("MAUVAIS", erreur)
    resultat = mesurer_impact([mauvais, bon], [mauvais, replace(bon, avis="favorable_sous_reserve")])
    assert resultat["invalides"] == [{"position": 1, "reference": "MAUVAIS", "erreurs": [erreur],
                                      "sous": ["avant", "apres"]}]
    assert resultat["avis"] == [{"position": 2, "reference": "BON", "avant": "favorable",
                                 "apres": "favorable_sous_reserve"}]
    assert (resultat["total"], resultat["changes"], resultat["inchanges"]) == (2, 1, 0)


def test_un_constat_d_un_financeur_reste_ouvert_est_range_sous_ce_financeur():
    avant = _evaluation("X", "favorable", {"region_hdf": ("eligible", ["r.a"]), "leader": ("eligible", ["l.a"])},
                        [("r.a", "region_hdf"), ("l.a", "leader"), ("p.dossier", None)])
    apres = _evaluation("X", "favorable", {"region_hdf": ("prioritaire", ["r.a", "r.p"]),
                                           "leader": ("eligible", ["l.b"])},
                        [("r.a", "region_hdf"), ("r.p", "region_hdf"), ("l.b", "leader")])
    [dossier] = mesurer_impact([avant], [apres])["dossiers"]
    assert [(f["financeur"], f["motifs_ajoutes"], f["constats_ajoutes"]) for f in dossier["financeurs"]] == [
        ("region_hdf", ["r.p"], ["r.p"])]
    assert dossier["autres_constats"] == [{"financeur": "leader", "ajoutes": ["l.b"], "retires": ["l.a"]},
                                          {"financeur": None, "ajoutes": [], "retires": ["p.dossier"]}]


def test_deux_evaluations_identiques_ne_comptent_qu_un_inchange():
    meme = _evaluation("X", "favorable", {"region_hdf": ("eligible", ["r.a"])}, [("r.a", "region_hdf")], ("champ",))
    assert mesurer_impact([meme], [replace(meme)]) == {"total": 1, "changes": 0, "inchanges": 1, "transitions": [],
                                                    "avis": [], "dossiers": [], "invalides": []}


def test_deux_lots_de_tailles_differentes_sont_refuses():
    with pytest.raises(ValueError, match="tailles différentes"):
        mesurer_impact([], [_invalide("X")])


def test_comparer_releve_les_constats_sans_changer_ce_qu_est_un_changement_pour_le_comite():
    avant = _evaluation("X", "favorable", {"region_hdf": ("eligible", ["r.a"])}, [("r.a", "region_hdf")])
    apres = _evaluation("X", "favorable", {"region_hdf": ("eligible", ["r.a"])},
                        [("r.a", "region_hdf"), ("i.b", None)])
    resultat = comparer(avant, apres)
    assert (resultat["constats_ajoutes"], resultat["constats_retires"], resultat["change"]) == (["i.b"], [], False)
