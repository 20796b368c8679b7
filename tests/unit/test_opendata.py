"""Les données ouvertes des subventions (SCDL « subventions ») : quelles décisions la Région publie, avec quel
montant, et comment un particulier reste anonyme ; puis le cas d'usage sur des dépôts en mémoire, du comité au
fichier."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from stdnum.fr import siret

from forms.dossier import Dossier
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.documents import opendata, services_opendata
from instruction.dossiers.dossier_instruit import Decision, DossierInstruit
from tests.unit.faux import FausseUnite

QUAND = datetime(2025, 12, 12, 9, tzinfo=timezone.utc)
REUNION = date(2025, 12, 11)
PAR_SECRETARIAT = Agent.local("secrétariat")


def _dossier(reference="LA-2025-900", type_porteur="commune", nom="Commune de Béthune", siret_="21620119400018",
             titre="Aire d'accueil de camping-cars du port", **budget) -> dict:
    porteur = {"nom": nom, "type": type_porteur}
    if siret_:
        porteur["siret"] = siret_
    return {"reference": reference, "date_depot": "2025-03-10", "porteur": porteur,
            "projet": {"titre": titre, "commune_insee": "62119", "nature": "investissement", "secteur": "hebergement",
                       "hebergement_type": "chambre_hotes"},
            "budget": {"cout_total_ht": 180000, "montant_sollicite": 54000, **budget}}


def _instruit(donnees: dict, *decisions: Decision, etat="decide") -> DossierInstruit:
    return DossierInstruit(donnees=Dossier.model_validate(donnees), etat=etat, decisions=list(decisions))


def _decision(financeur="region_hdf", decision="favorable", comite="lys_artois-2025-12-11", montant=None):
    return Decision(financeur, decision, "motif", "secrétariat", QUAND, comite, montant)


def _attribution(instruit: DossierInstruit, decision: Decision, entreprise_ue=False) -> opendata.Attribution:
    return opendata.Attribution(instruit.donnees, decision, REUNION, date(2027, 12, 31),
                                opendata.montant_attribue(instruit.donnees, decision), entreprise_ue)


def test_seules_les_decisions_favorables_des_dispositifs_de_la_region_sont_publiees():
    instruit = _instruit(_dossier(), _decision("region_hdf"), _decision("departement_62"),
                         _decision("region_prit", "defavorable"), _decision("ademe_fonds_tourisme_durable"))
    assert [d.financeur for d in opendata.decisions_publiables(instruit)] == ["region_hdf"]


def test_la_derniere_decision_d_un_dispositif_l_emporte():
    ajourne_puis_favorable = _instruit(_dossier(), _decision(decision="ajourne", comite="a"), _decision(comite="b"))
    favorable_puis_defavorable = _instruit(_dossier(), _decision(comite="a"), _decision(decision="defavorable",
                                                                                         comite="b"))
    assert [d.comite for d in opendata.decisions_publiables(ajourne_puis_favorable)] == ["b"]
    assert opendata.decisions_publiables(favorable_puis_defavorable) == []


def test_un_dossier_dont_le_porteur_a_retire_sa_demande_n_est_pas_publie():
    assert opendata.decisions_publiables(_instruit(_dossier(), _decision(), etat="classe_sans_suite")) == []


def test_le_montant_est_celui_que_le_comite_accorde():
    instruit = _instruit(_dossier())
    assert opendata.montant_attribue(instruit.donnees, _decision(montant=Decimal("41250.50"))) == Decimal("41250.50")


def test_sans_montant_accorde_le_montant_est_la_demande_a_ce_dispositif():
    donnees = _dossier(financements=[{"financeur": "region_prit", "montant": 10000.1, "statut": "sollicite"},
                                     {"financeur": "region_prit", "montant": 0.2, "statut": "acquis"},
                                     {"financeur": "region_hdf", "montant": 54000, "statut": "sollicite"}])
    instruit = _instruit(donnees)
    assert opendata.montant_attribue(instruit.donnees, _decision("region_hdf")) == Decimal("54000")  # counted once
    assert opendata.montant_attribue(instruit.donnees, _decision("region_prit")) == Decimal("10000.3")  # exact sum
    assert opendata.montant_attribue(_instruit(_dossier()).donnees, _decision("region_prit")) is None


def test_une_ligne_suit_les_colonnes_du_schema_et_nomme_l_attribuant_et_le_beneficiaire():
    instruit = _instruit(_dossier(), _decision(montant=Decimal("54000")))
    ligne = opendata.ligne(_attribution(instruit, instruit.decisions[0]))
    assert tuple(ligne) == opendata.COLONNES
    assert ligne["nomAttribuant"] == "Région Hauts-de-France" and siret.is_valid(ligne["idAttribuant"])
    assert (ligne["nomBeneficiaire"], ligne["idBeneficiaire"]) == ("Commune de Béthune", "21620119400018")
    assert ligne["objet"] == "Aire d'accueil de camping-cars du port"
    assert (ligne["montant"], ligne["dateConvention"], ligne["datesPeriodeVersement"]) == (
        "54000.00", "2025-12-11", "2025-12-11/2027-12-31")
    assert ligne["referenceDecision"] == "lys_artois-2025-12-11/LA-2025-900/region_hdf"
    assert (ligne["notificationUE"], ligne["pourcentageSubvention"]) == ("non", "1.00")


def test_un_particulier_n_est_publie_ni_par_son_nom_ni_par_son_siret_ni_par_le_titre_de_son_projet():
    donnees = _dossier(type_porteur="particulier", nom="Jeanne Martin", siret_=None,
                       titre="Chambres d'hôtes de Jeanne Martin à Béthune")
    instruit = _instruit(donnees, _decision())
    ligne = opendata.ligne(_attribution(instruit, instruit.decisions[0], entreprise_ue=True))
    assert ligne["nomBeneficiaire"] == opendata.NOM_ANONYME and ligne["idBeneficiaire"] == ""
    assert not any("Martin" in valeur or "Jeanne" in valeur for valeur in ligne.values()), ligne
    assert ligne["objet"] == "Projet touristique : investissement — hébergement"
    assert ligne["notificationUE"] == "oui"  # a bed and breakfast sells a service: de minimis aid


def test_un_objet_trop_long_est_coupe_a_la_limite_du_schema():
    instruit = _instruit(_dossier(titre="Réhabilitation " * 19))  # 285 characters, fewer than the form allows
    objet = opendata.objet(instruit.donnees)
    assert len(objet) <= opendata.OBJET_MAX < len(instruit.donnees.projet.titre) and objet.endswith("…")
    assert objet.startswith("Réhabilitation Réhabilitation")


def test_les_lignes_sont_rangees_par_date_de_decision_puis_dossier_puis_dispositif():
    a = _instruit(_dossier("B-2"), _decision("region_prit", montant=Decimal(1)), _decision(montant=Decimal(2)))
    b = _instruit(_dossier("A-1"), _decision(montant=Decimal(3)))
    attributions = [_attribution(a, d) for d in a.decisions] + [_attribution(b, b.decisions[0])]
    assert [(x["referenceDecision"].split("/")[1], x["montant"]) for x in opendata.lignes(attributions)] == [
        ("A-1", "3.00"), ("B-2", "2.00"), ("B-2", "1.00")]


@pytest.fixture
def comite_decide(guichet_python, territoire):
    """Une réunion Lys Artois où trois dossiers sont examinés puis décidés (Région favorable pour deux, dont un
    particulier ; défavorable pour le troisième)."""
    uow = FausseUnite()
    code = services_comite.creer_comite(uow, territoire, PAR_SECRETARIAT, REUNION, "lys_artois").code
    dossiers = [_dossier("LA-2025-901"), _dossier("LA-2025-902", "particulier", "Paul Durand", None, "Gîte Durand"),
                _dossier("LA-2025-903", "association", "Les Amis du Port", "21620119400018")]
    assert not services_comite.importer(uow, guichet_python, code, dossiers, PAR_SECRETARIAT).erreurs
    apres = lambda: QUAND  # noqa: E731 - the decisions are recorded the day after the meeting
    services_comite.decider(uow, code, "LA-2025-901", {"region_hdf": "favorable", "departement_62": "favorable"},
                            "motif", PAR_SECRETARIAT, apres, montants={"region_hdf": Decimal("50000")})
    services_comite.decider(uow, code, "LA-2025-902", {"region_hdf": "favorable"}, "motif", PAR_SECRETARIAT, apres)
    services_comite.decider(uow, code, "LA-2025-903", {"region_hdf": "defavorable"}, "motif", PAR_SECRETARIAT, apres)
    return uow


def test_le_cas_d_usage_publie_les_decisions_favorables_de_la_region_de_la_base(comite_decide, territoire):
    publication = services_opendata.subventions(comite_decide, territoire)
    assert [(x["referenceDecision"], x["montant"], x["nomBeneficiaire"]) for x in publication.lignes] == [
        ("lys_artois-2025-12-11/LA-2025-901/region_hdf", "50000.00", "Commune de Béthune"),
        ("lys_artois-2025-12-11/LA-2025-902/region_hdf", "54000.00", opendata.NOM_ANONYME)]
    contrat = territoire.contrat("lys_artois")
    assert {x["datesPeriodeVersement"] for x in publication.lignes} == {f"2025-12-11/{contrat.au.isoformat()}"}
    assert publication.ecartees == []
