"""Le brouillon du porteur sans base : chaque étape lue et enregistrée, la version qui empêche deux onglets de
s'écraser, le dépôt (état, date, évaluation de l'accusé), le pré-diagnostic des réponses en cours de frappe."""
from datetime import datetime, timezone

import pytest

from instruction.acces import Agent
from instruction.dossiers import brouillons, etapes
from instruction.dossiers.brouillons import ConflitDeVersion
from instruction.erreurs import DossierIntrouvable, Refus
from tests.unit.faux import FausseUnitePorteur

QUAND = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
PORTEUR = Agent("camille@essai.fr", "porteur", nom="Camille Durand")
PORTEUR_PROJET = {"porteur.type": ["commune"], "porteur.nom": ["Commune de Béthune"],
                  "porteur.siret": ["21620910600014"]}
PROJET = {"projet.titre": ["Aire de camping-cars"], "projet.commune_insee": ["Béthune (62119, Pas-de-Calais)"],
          "projet.nature": ["investissement"], "projet.secteur": ["hebergement"],
          "projet.hebergement_type": ["aire_camping_cars"], "projet.labels": ["aucun"]}
BUDGET = {"budget.cout_total_ht": ["180 000"], "budget.montant_sollicite": ["90 000,50"],
          "budget.financements-0-financeur": ["departement_62"], "budget.financements-0-montant": ["40000"],
          "budget.financements-0-statut": ["sollicite"],
          "budget.financements-3-financeur": [""], "budget.financements-3-montant": [""],
          "budget.financements-3-statut": [""]}


def horloge():
    return QUAND


@pytest.fixture
def uow():
    return FausseUnitePorteur()


def _rempli(uow, guichet):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    for version, (etape, saisie) in enumerate((("porteur", PORTEUR_PROJET), ("projet", PROJET), ("budget", BUDGET)), 1):
        erreurs, _ = brouillons.enregistrer_etape(uow, guichet, reference, etape, saisie, version, PORTEUR,
                                                  horloge)
        assert erreurs == [], (etape, erreurs)
    return reference


def test_un_brouillon_neuf_appartient_au_porteur_et_commence_en_version_1(uow):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    assert reference.startswith("GU-2026-") and len(reference) == 14
    dossier, suivi = brouillons.ouvrir(uow, reference, PORTEUR)
    assert (dossier.etat, dossier.proprietaire, suivi.version, suivi.etapes) == ("brouillon", PORTEUR.id, 1, ())
    with pytest.raises(DossierIntrouvable):
        brouillons.ouvrir(uow, reference, Agent("autre@essai.fr", "porteur"))


def test_chaque_etape_enregistree_est_lue_dans_le_contrat_et_augmente_la_version(uow, guichet_python):
    reference = _rempli(uow, guichet_python)
    dossier, suivi = brouillons.ouvrir(uow, reference, PORTEUR)
    d = dossier.donnees
    assert (d.porteur.type, d.porteur.siret, d.projet.commune_insee, d.projet.labels) == (
        "commune", "21620910600014", "62119", [])
    assert (d.budget.cout_total_ht, d.budget.montant_sollicite) == (180000, 90000.5)
    assert [(f.financeur, f.montant, f.statut) for f in d.budget.financements] == [
        ("departement_62", 40000, "sollicite")]
    assert (suivi.version, suivi.etapes, suivi.derniere_etape) == (4, ("porteur", "projet", "budget"), "budget")


def test_une_page_plus_ancienne_que_le_brouillon_est_refusee_sans_rien_ecrire(uow, guichet_python):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    assert brouillons.enregistrer_etape(uow, guichet_python, reference, "porteur", PORTEUR_PROJET, 1, PORTEUR,
                                        horloge)[0] == []
    autre_onglet = {**PORTEUR_PROJET, "porteur.nom": ["Mairie de Béthune"]}
    with pytest.raises(ConflitDeVersion) as conflit:
        brouillons.enregistrer_etape(uow, guichet_python, reference, "porteur", autre_onglet, 1, PORTEUR, horloge)
    assert (conflit.value.version_de_la_page, conflit.value.version_enregistree) == (1, 2)
    dossier, suivi = brouillons.ouvrir(uow, reference, PORTEUR)
    assert (dossier.donnees.porteur.nom, suivi.version) == ("Commune de Béthune", 2)


def test_une_saisie_invalide_renvoie_ses_erreurs_par_champ_et_n_enregistre_rien(uow, guichet_python):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    erreurs, suivi = brouillons.enregistrer_etape(
        uow, guichet_python, reference, "budget",
        {"budget.cout_total_ht": ["beaucoup"], "budget.financements-0-montant": ["12,345"]}, 1, PORTEUR, horloge)
    assert suivi is None
    assert {e.champ for e in erreurs} == {"budget.cout_total_ht", "budget.financements.0.financeur",
                                          "budget.financements.0.montant", "budget.financements.0.statut"}
    assert brouillons.ouvrir(uow, reference, PORTEUR)[1].version == 1


def test_les_champs_que_le_type_de_porteur_ecarte_sont_laisses_inconnus(territoire):
    lues, erreurs = etapes.lire_etape("porteur", {"porteur.type": ["particulier"], "porteur.siret": ["123"],
                                                  "porteur.taille": ["grande"], "porteur.rayonnement": ["local"]},
                                      territoire)
    assert erreurs == []
    assert (lues["porteur.siret"], lues["porteur.taille"], lues["porteur.rayonnement"]) == (None, None, None)
    lues, _ = etapes.lire_etape("porteur", {"porteur.type": ["association"], "porteur.activite_economique": ["oui"],
                                            "porteur.taille": ["micro"]}, territoire)
    assert (lues["porteur.activite_economique"], lues["porteur.taille"]) == (True, "micro")


@pytest.mark.parametrize("texte, attendu", [("Béthune (62119, Pas-de-Calais)", "62119"), ("62119", "62119"),
                                            ("bethune", "62119"), ("HINGES", "62454")])
def test_une_commune_se_lit_par_son_code_ou_son_nom_unique(territoire, texte, attendu):
    assert etapes.lire_commune(texte, territoire) == (attendu, None)


def test_un_nom_porte_par_deux_communes_demande_de_choisir_en_les_nommant_avec_leur_departement(territoire):
    noms = {}
    for commune in territoire.communes_toutes():
        noms.setdefault(commune.nom, []).append(commune)
    nom, homonymes = next((n, c) for n, c in noms.items() if len(c) > 1)
    insee, erreur = etapes.lire_commune(nom, territoire)
    assert insee is None
    for commune in homonymes:
        assert f"({commune.insee}, {territoire.departement_nom(commune.departement)})" in erreur.message


@pytest.mark.parametrize("parties, message", [(("1", "", "2026"), "le mois"), (("31", "2", "2026"), "vraie date"),
                                              (("1", "9", "26"), "vraie date")])
def test_une_date_incomplete_ou_impossible_est_dite_pres_du_champ(territoire, parties, message):
    saisie = {f"projet.date_debut_travaux-{p}": [v] for p, v in zip(etapes.PARTIES_DATE, parties)}
    valeur, erreurs = etapes.lire_champ("projet.date_debut_travaux", saisie, territoire)
    assert valeur is None and message in erreurs[0].message


def test_le_depot_passe_le_dossier_a_depose_le_date_et_garde_l_evaluation_de_l_accuse(uow, guichet_python):
    reference = _rempli(uow, guichet_python)
    with pytest.raises(ConflitDeVersion):
        brouillons.deposer_brouillon(uow, guichet_python, reference, 3, PORTEUR, horloge)
    assert brouillons.deposer_brouillon(uow, guichet_python, reference, 4, PORTEUR, horloge) == []
    dossier, suivi = brouillons.ouvrir(uow, reference, PORTEUR)
    assert (dossier.etat, str(dossier.donnees.date_depot), suivi.evaluation_depot) == ("depose", "2026-03-02", 1)
    assert dossier.evaluations[0].resultat.reference == reference
    with pytest.raises(Refus):
        brouillons.enregistrer_etape(uow, guichet_python, reference, "porteur", PORTEUR_PROJET, 5, PORTEUR, horloge)


def test_un_brouillon_sans_ses_reponses_obligatoires_ne_se_depose_pas(uow, guichet_python):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    manquants = brouillons.deposer_brouillon(uow, guichet_python, reference, 1, PORTEUR, horloge)
    assert {e.champ for e in manquants} == {c for champs in etapes.OBLIGATOIRES.values() for c in champs}
    assert brouillons.ouvrir(uow, reference, PORTEUR)[0].etat == "brouillon"


def test_l_apercu_juge_les_reponses_en_cours_de_frappe_et_laisse_inconnu_ce_qui_ne_se_lit_pas(guichet_python):
    vide = {"reference": "GU-2026-ESSAI1"}
    _, sans_secteur = brouillons.apercu(guichet_python, vide, QUAND.date(), "projet", {})
    _, avec = brouillons.apercu(guichet_python, vide, QUAND.date(), "projet",
                                {"projet.secteur": ["hebergement"], "projet.commune_insee": ["Nulle-Part"]})
    assert "projet.secteur" in sans_secteur.informations_manquantes
    assert "projet.secteur" not in avec.informations_manquantes
    assert "projet.commune_insee" in avec.informations_manquantes  # the unreadable commune stays unknown
    assert avec.version_regles.endswith("@2026-03-02")
