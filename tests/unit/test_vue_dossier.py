"""La fiche d'un dossier pour l'instruction (instruction/dossiers/fiche.py, chronologie.py, vues.py) : les
données libellées, le retenu à côté du calcul, les conditions en français, les passages liés, l'historique en
une chronologie, les passages d'état permis et eux seuls, ce que chaque rôle peut faire."""
from datetime import date, datetime, timedelta, timezone

import pytest

from forms.dossier import Dossier
from instruction.acces import AUTORISE, INVISIBLE, Agent, CibleDossier, capacites, decider
from instruction.comite.reunion import Comite, Membre
from instruction.dossiers import fiche as f
from instruction.dossiers import services, vues
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.dossiers.parcours import DemandeComplements, Message, Piece
from instruction.erreurs import DossierIntrouvable, Interdit
from instruction.evaluation.resultat import Condition, Constat
from rules.regle import Source
from tests.unit.faux import FausseUnitePorteur

T0 = datetime(2025, 6, 2, 8, 0, tzinfo=timezone.utc)
LA_001 = "LA-2025-001"  # a commune's project in the Lys Artois contract (examples/dossiers.json)
INSTRUCTRICE = Agent("ines@hautsdefrance.fr", "instructeur", nom="Inès")
TOUT = dict.fromkeys(("voir", "voir_instruction", "evaluer", "changer_etat", "corriger", "revoir_correction",
                      "demander_complements", "ecrire_message"), True)


def _h(heures: int) -> datetime:
    return T0 + timedelta(hours=heures)


@pytest.fixture
def depose(exemples_par_reference):
    def creer(reference: str = LA_001) -> DossierInstruit:
        return DossierInstruit.creer(Dossier.model_validate(exemples_par_reference[reference]), "Porteur", T0,
                                     proprietaire="porteur@exemple.fr")
    return creer


@pytest.fixture
def evalue(depose, guichet_python):
    def creer(reference: str = LA_001) -> DossierInstruit:
        dossier = depose(reference)
        dossier.passer("en_instruction", "Inès", _h(1), "prise en charge")
        dossier.ajouter_evaluation(guichet_python.evaluer(dossier.donnees), dossier.donnees.date_depot, "Inès", _h(2))
        return dossier
    return creer


def _vers(dossier: DossierInstruit, peut: bool = True) -> list[str]:
    return [t["vers"] for t in f.transitions(dossier, peut)]


def test_un_dossier_depose_peut_entrer_en_instruction_ou_etre_classe(depose):
    assert _vers(depose()) == ["en_instruction", "classe_sans_suite"]


def test_en_instruction_on_rend_l_avis_ou_on_classe(evalue):
    transitions = f.transitions(evalue(), True)
    assert [(t["vers"], t["action"]) for t in transitions] == [
        ("avis_rendu", "Rendre l'avis"), ("classe_sans_suite", "Classer sans suite")]
    assert transitions[0]["prealable"] is None  # evaluated on the current data


def test_apres_l_avis_on_rouvre_l_instruction_ou_on_classe_mais_l_inscription_appartient_au_comite(evalue):
    dossier = evalue()
    dossier.passer("avis_rendu", "Inès", _h(3), "avis rendu")
    assert [(t["vers"], t["action"]) for t in f.transitions(dossier, True)] == [
        ("en_instruction", "Rouvrir l'instruction"), ("classe_sans_suite", "Classer sans suite")]


def test_inscrit_au_comite_seul_le_classement_se_fait_ici(evalue):
    dossier = evalue()
    dossier.passer("avis_rendu", "Inès", _h(3), "avis rendu")
    dossier.passer("inscrit_comite", "Secrétariat", _h(4), "ordre du jour", comite="lys-2025-12")
    assert _vers(dossier) == ["classe_sans_suite"]


def test_un_dossier_decide_ou_classe_n_a_plus_de_passage(evalue, depose):
    decide = evalue()
    decide.passer("avis_rendu", "Inès", _h(3), "avis rendu")
    decide.passer("inscrit_comite", "Secrétariat", _h(4), "ordre du jour", comite="lys-2025-12")
    decide.decider({"region_hdf": "favorable"}, "accord", "Comité", _h(5), "lys-2025-12")
    classe = depose()
    classe.passer("classe_sans_suite", "Inès", _h(1), "retrait")
    assert _vers(decide) == [] and _vers(classe) == []


def test_un_dossier_ajourne_peut_etre_classe_depuis_la_page(evalue):
    dossier = evalue()
    dossier.passer("avis_rendu", "Inès", _h(3), "avis rendu")
    dossier.passer("inscrit_comite", "Secrétariat", _h(4), "ordre du jour", comite="lys-2025-12")
    dossier.decider({"region_hdf": "ajourne"}, "à revoir", "Comité", _h(5), "lys-2025-12")
    assert _vers(dossier) == ["classe_sans_suite"]


def test_sans_le_droit_de_changer_d_etat_aucun_passage_n_est_propose(evalue):
    assert _vers(evalue(), peut=False) == []


def test_rendre_l_avis_dit_d_abord_d_evaluer_quand_les_donnees_ont_change(evalue, depose, exemples_par_reference):
    jamais = depose()
    jamais.passer("en_instruction", "Inès", _h(1), "prise en charge")
    assert "jamais été évalué" in f.transitions(jamais, True)[0]["prealable"]
    modifie = evalue()
    donnees = dict(exemples_par_reference[LA_001], projet={**exemples_par_reference[LA_001]["projet"],
                                                             "titre": "Un autre titre"})
    modifie.remplacer_donnees(Dossier.model_validate(donnees), "Porteur", _h(3))
    assert "ont changé" in f.transitions(modifie, True)[0]["prealable"]


def test_une_condition_se_lit_en_francais_avec_la_valeur_lue_et_son_resultat():
    lue = f.condition(Condition("porteur.type", "parmi", ["commune", "epci"], "entreprise", False), {})
    assert lue == {"texte": "Type de porteur est parmi Commune, Intercommunalité (EPCI)",
                   "valeur": "Entreprise", "resultat": "faux", "resultat_libelle": "Faux"}
    inconnue = f.condition(Condition("projet.accessibilite", "est", True, None, None), {})
    assert (inconnue["valeur"], inconnue["resultat"], inconnue["resultat_libelle"]) == ("inconnue", "inconnu",
                                                                                        "Inconnu")


def test_une_date_relue_du_json_se_dit_comme_une_date():
    lue = f.condition(Condition("projet.date_debut_travaux", "min", "2025-01-01", "2025-03-15", True), {})
    assert "1er janvier 2025" in lue["texte"] and lue["valeur"] == "15 mars 2025"


def test_les_valeurs_du_territoire_sont_nommees(territoire):
    lue = f.condition(Condition("territoire.contrats", "contient", "lys_artois", ["lys_artois"], True),
                      territoire.noms_des_valeurs())
    assert "« lys_artois »" not in lue["texte"] and "Lys Artois" in lue["valeur"]


def test_un_passage_d_un_texte_source_est_lie_a_sa_regle_et_un_texte_de_loi_ne_l_est_pas():
    contrat = Constat("region.x", "region_hdf", "eligible", "m", Source("000_2cc5c77f9f4957df.txt", "Art. 4.4", "…"),
                      False)
    loi = Constat("droit.cgct", None, "avertissement", "m", Source("Code général des collectivités territoriales",
                                                                   "Article L1111-10", "…"), False)
    assert f.source("region.x", contrat)["lien"] == "/textes/000_2cc5c77f9f4957df.txt#regle-region.x"
    assert f.source("region.x", contrat)["titre"].startswith("Contrat de destination")
    assert f.source("droit.cgct", loi)["lien"] is None


def test_les_donnees_sont_des_lignes_libellees_sans_valeur_technique():
    assert f.ligne("porteur.type", "commune") == {"champ": "porteur.type", "libelle": "Type de porteur",
                                                 "valeur": "Commune", "nature": "texte"}
    assert f.ligne("projet.labels", None)["valeur"] == "Non renseigné"
    assert f.ligne("projet.labels", [])["valeur"] == "Aucun"
    assert f.ligne("projet.clienteles", ["happy_family"])["valeur"] == "Happy family"
    assert f.ligne("projet.accessibilite", False)["valeur"] == "Non"
    assert f.ligne("budget.cout_total_ht", 1250.5)["nature"] == "euros"
    assert f.ligne("projet.date_debut_travaux", date(2025, 3, 1))["nature"] == "date"


def _fiche(dossier, territoire, caps=None):
    return f.fiche(dossier, caps if caps is not None else TOUT, {}, territoire, _h(9))


def test_sans_correction_le_retenu_est_le_calcul(evalue, territoire):
    e = _fiche(evalue(), territoire)["evaluation"]
    assert not e["avis"]["differe"] and not any(x["differe"] for x in e["financeurs"])
    assert all(c["sort"] == "calcule" for g in e["constats"] for c in g["constats"])


def test_un_statut_corrige_est_marque_a_cote_du_calcul(evalue, territoire):
    dossier = evalue()
    calcule = dossier.derniere_evaluation.resultat.statut("departement_62")
    autre = "exclu" if calcule != "exclu" else "eligible"
    dossier.corriger("statut", "departement_62", autre, "délibération contraire", "Inès", _h(3))
    ligne = next(x for x in _fiche(dossier, territoire)["evaluation"]["financeurs"] if x["id"] == "departement_62")
    assert (ligne["calcule"], ligne["retenu"], ligne["differe"]) == (calcule, autre, True)


def test_un_avis_corrige_est_montre_a_cote_de_l_avis_calcule(evalue, territoire):
    dossier = evalue()
    calcule = dossier.derniere_evaluation.resultat.avis
    autre = "defavorable" if calcule != "defavorable" else "favorable"
    dossier.corriger("avis", None, autre, "projet abandonné", "Inès", _h(3))
    avis = _fiche(dossier, territoire)["evaluation"]["avis"]
    assert (avis["calcule"], avis["retenu"], avis["differe"]) == (calcule, autre, True)


def test_un_constat_ecarte_reste_montre_marque_et_un_constat_ajoute_rejoint_son_financeur(evalue, territoire):
    dossier = evalue()
    ecarte = dossier.derniere_evaluation.resultat.constats[0].regle
    dossier.corriger("constat_ecarte", ecarte, "", "ne s'applique pas ici", "Inès", _h(3))
    dossier.corriger("constat_ajoute", "region_hdf", "Visite sur place favorable.", "visite du 3 juin", "Inès", _h(4))
    groupes = _fiche(dossier, territoire)["evaluation"]["constats"]
    tous = [c for g in groupes for c in g["constats"]]
    assert [(c["sort"], c["correction"]) for c in tous if c["regle"] == ecarte] == [("ecarte", 1)]
    ajoute = next(c for c in tous if c["sort"] == "ajoute")
    assert (ajoute["message"], ajoute["correction"], ajoute["source"]) == ("Visite sur place favorable.", 2, None)
    assert ajoute in next(g for g in groupes if g["financeur"] == "region_hdf")["constats"]
    assert groupes[0]["financeur"] is None  # what concerns the whole dossier comes first


def test_les_conditions_de_chaque_constat_viennent_du_calcul(evalue, territoire):
    dossier = evalue()
    calcules = {c.regle: c for c in dossier.derniere_evaluation.resultat.constats}
    for groupe in _fiche(dossier, territoire)["evaluation"]["constats"]:
        for c in groupe["constats"]:
            assert [x["resultat"] for x in c["conditions"]] == [
                {True: "vrai", False: "faux"}.get(x.resultat, "inconnu") for x in calcules[c["regle"]].conditions]


def test_la_chronologie_va_du_plus_recent_au_plus_ancien_et_dit_chaque_evenement(evalue, guichet_python,
                                                                                  exemples_par_reference):
    dossier = evalue()
    dossier.corriger("avis", None, "defavorable" if dossier.derniere_evaluation.resultat.avis != "defavorable"
                     else "favorable", "projet abandonné", "Inès", _h(3))
    donnees = dict(exemples_par_reference[LA_001], projet={**exemples_par_reference[LA_001]["projet"],
                                                             "titre": "Titre complété"})
    dossier.remplacer_donnees(Dossier.model_validate(donnees), "Porteur", _h(4))
    lignes = f.corr.cote_a_cote(dossier.derniere_evaluation.resultat, dossier.corrections, {})
    evenements = f.chronologie(dossier, lignes)
    assert [e["genre"] for e in evenements] == ["modification", "correction", "evaluation", "transition", "creation"]
    assert [e["quand"] for e in evenements] == sorted((e["quand"] for e in evenements), reverse=True)
    assert evenements[0]["lignes"][0].startswith("Titre du projet : ")
    assert evenements[1]["texte"] == "projet abandonné" and evenements[1]["auteur"] == "Inès"
    assert evenements[3]["titre"] == "Déposé → En instruction"


def test_une_correction_a_revoir_est_comptee_et_dite_dans_la_chronologie(evalue, guichet_python, territoire):
    dossier = evalue()
    calcule = dossier.derniere_evaluation.resultat.statut("region_hdf")
    dossier.corriger("statut", "region_hdf", "exclu" if calcule != "exclu" else "eligible", "doute", "Inès", _h(3))
    # The rules of a date after the contract's end move the computation: the correction is flagged.
    dossier.ajouter_evaluation(guichet_python.evaluer(dossier.donnees, date(2028, 6, 1)), date(2028, 6, 1), "Inès",
                               _h(4))
    vue = _fiche(dossier, territoire)
    assert dossier.corrections[0].a_revoir, "the test expects the later rules to move the Région's status"
    assert vue["a_revoir"] == 1
    assert any(ligne.startswith("À revoir : ") for e in vue["historique"] if e["genre"] == "correction"
               for ligne in e["lignes"])


def test_un_membre_du_comite_lit_sans_aucun_bouton(evalue, territoire):
    dossier = evalue()
    membre = Agent("marc@pasdecalais.fr", "membre_comite", frozenset({"lys-2025-12"}))
    caps = capacites(membre, CibleDossier(dossier.reference, dossier.proprietaire, frozenset({"lys-2025-12"})))
    vue = _fiche(dossier, territoire, caps)
    assert vue["peut"] == {"evaluer": False, "corriger": False, "revoir": False, "changer_etat": False,
                           "demander_complements": False, "ecrire_message": False, "voir_avis": True}
    assert vue["transitions"] == []


def test_un_dossier_clos_ne_propose_plus_ni_evaluation_ni_correction(evalue, territoire):
    dossier = evalue()
    dossier.passer("classe_sans_suite", "Inès", _h(3), "retrait")
    assert _fiche(dossier, territoire)["peut"] == {"evaluer": False, "corriger": False, "revoir": False,
                                                   "changer_etat": True, "demander_complements": False,
                                                   "ecrire_message": True, "voir_avis": True}


@pytest.mark.parametrize("agent, cible, attendu", [
    (Agent("claire@exemple.fr", "porteur"), CibleDossier("LA-1", "claire@exemple.fr"), INVISIBLE),
    (Agent("paul@exemple.fr", "porteur"), CibleDossier("LA-1", "claire@exemple.fr"), INVISIBLE),
    (Agent("m", "membre_comite", frozenset({"c1"})), CibleDossier("LA-1", None, frozenset({"c1"})), AUTORISE),
    (Agent("m", "membre_comite", frozenset({"c1"})), CibleDossier("LA-1", None, frozenset({"c2"})), INVISIBLE),
    (INSTRUCTRICE, CibleDossier("LA-1", "claire@exemple.fr"), AUTORISE),
    (Agent("a", "admin"), CibleDossier("LA-1"), AUTORISE),
])
def test_le_dossier_des_services_est_lu_par_l_instruction_et_le_comite_jamais_par_un_porteur(agent, cible, attendu):
    assert decider(agent, "voir_instruction", cible) == attendu


@pytest.fixture
def uow_avec_dossier(evalue):
    uow = FausseUnitePorteur()
    dossier = evalue()
    with uow:
        uow.dossiers.ajouter(dossier)
        uow.comites.ajouter(Comite("lys-2025-12", date(2025, 12, 11), "lys_artois", [Membre("Région")],
                                   ordre_du_jour=[dossier.reference]))
        uow.valider()
    return uow


def test_le_cas_d_usage_rend_la_fiche_a_l_instruction(uow_avec_dossier, guichet_python):
    vue = vues.fiche_du_dossier(uow_avec_dossier, guichet_python, LA_001, INSTRUCTRICE, _h(9))
    assert vue["reference"] == LA_001 and vue["peut"]["corriger"]
    # Rule titles come from the rules in force: no finding is shown by its bare identifier.
    assert all(c["titre"] != c["regle"] for g in vue["evaluation"]["constats"] for c in g["constats"])


def test_le_porteur_ne_trouve_pas_la_fiche_des_services_de_son_propre_dossier(uow_avec_dossier, guichet_python):
    with pytest.raises(DossierIntrouvable):
        vues.fiche_du_dossier(uow_avec_dossier, guichet_python, LA_001, Agent("porteur@exemple.fr", "porteur"), _h(9))


def test_un_membre_du_comite_lit_la_fiche_de_sa_reunion_mais_ne_peut_pas_corriger(uow_avec_dossier, guichet_python):
    membre = Agent("marc@pasdecalais.fr", "membre_comite", frozenset({"lys-2025-12"}))
    assert not vues.fiche_du_dossier(uow_avec_dossier, guichet_python, LA_001, membre, _h(9))["peut"]["corriger"]
    with pytest.raises(Interdit):
        vues.options_de_correction(uow_avec_dossier, guichet_python, LA_001, membre)
    ailleurs = Agent("lea@nord.fr", "membre_comite", frozenset({"autre-2026"}))
    with pytest.raises(DossierIntrouvable):
        vues.fiche_du_dossier(uow_avec_dossier, guichet_python, LA_001, ailleurs, _h(9))


def test_les_options_de_correction_suivent_le_dernier_calcul(uow_avec_dossier, guichet_python):
    options = vues.options_de_correction(uow_avec_dossier, guichet_python, LA_001, INSTRUCTRICE)
    with uow_avec_dossier:
        dossier = services.obtenir_dossier(uow_avec_dossier, LA_001, INSTRUCTRICE, "voir", pour_modifier=False)
    calcul = dossier.derniere_evaluation.resultat
    assert [x["regle"] for x in options["constats"]] == [c.regle for c in calcul.constats]
    assert [x["id"] for x in options["financeurs"]] == [s.financeur for s in calcul.financeurs]


def _demande(numero=1, repondue=False):
    debut = 3 * numero  # one request after the other: the first is answered before the second is sent
    return DemandeComplements(numero, LA_001, ("budget.financements", "pieces"), "Précisez le plan de financement.",
                              "Inès", _h(debut), _h(debut + 1) if repondue else None, "Porteur" if repondue else None,
                              "Plan complété." if repondue else "")


def test_une_seule_demande_de_complements_a_la_fois_et_a_un_dossier_que_le_porteur_peut_completer(evalue, depose):
    en_instruction = evalue()
    assert f.capacites_de_la_page(en_instruction, TOUT)["demander_complements"]
    assert not f.capacites_de_la_page(en_instruction, TOUT, [_demande()])["demander_complements"]
    assert f.capacites_de_la_page(en_instruction, TOUT, [_demande(repondue=True)])["demander_complements"]
    en_instruction.passer("avis_rendu", "Inès", _h(3), "avis rendu")
    assert not f.capacites_de_la_page(en_instruction, TOUT)["demander_complements"]


def test_pieces_messages_et_demandes_sont_dits_en_francais(evalue, territoire):
    pieces = [Piece(1, LA_001, "Délibération", "deliberation.pdf", "application/pdf", 2048, "0" * 64, "Porteur", _h(1)),
              Piece(2, LA_001, "", "photo.jpg", "image/jpeg", 10, "1" * 64, "Porteur", _h(1), retiree_le=_h(2))]
    messages = [Message(1, LA_001, "Porteur", "porteur", "Le devis est joint.", _h(2))]
    vue = f.fiche(evalue(), TOUT, {}, territoire, _h(9), pieces, messages, [_demande(1, True), _demande(2)])
    assert [(p["numero"], p["piece"]) for p in vue["pieces"]] == [(1, "Délibération")]  # the withdrawn one is gone
    assert vue["messages"][0]["cote_libelle"] == "Porteur"
    assert [d["numero"] for d in vue["demandes"]] == [2, 1]  # the latest first
    assert vue["demandes"][0]["champs"] == ["Plan de financement", "Pièces jointes"]
    assert {"champ": "pieces", "libelle": "Pièces jointes"} in vue["champs_demandables"]
    titres = [e["titre"] for e in vue["historique"] if e["genre"] == "complements"]
    assert titres == ["Compléments demandés (demande n° 2)", "Compléments reçus (demande n° 1)",
                      "Compléments demandés (demande n° 1)"]
