"""La liste des services : le filtre lu dans l'adresse (et ses erreurs en français), ses critères de lieu, et la
recherche sur le faux dépôt (filtres, tri, pagination)."""
from datetime import date

import pytest

from forms.valeurs import FINANCEURS
from instruction.acces import Agent
from instruction.dossiers import recherche, services
from instruction.dossiers.recherche import Filtre, lire_filtre, normaliser
from instruction.erreurs import Interdit
from tests.unit.faux import FausseUnite

SERVICES = Agent.local("services")
INSTRUCTEUR = Agent("claire", "instructeur")


def _lire(territoire, requete: dict[str, str]):
    return lire_filtre({k: [v] for k, v in requete.items()}, territoire)


def test_normaliser_ote_accents_casse_et_espaces_en_trop():
    assert normaliser("  Béthune   ÉTÉ  Œuvre ") == "bethune ete œuvre"
    assert normaliser(None) == ""


def test_un_filtre_complet_se_lit_et_se_reecrit_a_l_identique(territoire):
    requete = {"q": "Camping", "etat": "en_instruction", "avis": "favorable", "statut_region_hdf": "eligible",
               "statut_leader": "exclu", "commune": "62119", "epci": "200072460", "contrat": "lys_artois",
               "depose_du-jour": "1", "depose_du-mois": "3", "depose_du-annee": "2025", "depose_au-jour": "30",
               "depose_au-mois": "6", "depose_au-annee": "2025", "a_revoir": "oui", "tri": "porteur",
               "sens": "croissant", "par_page": "25", "page": "3"}
    filtre, erreurs = _lire(territoire, requete)
    assert erreurs == []
    assert filtre == Filtre(etat="en_instruction", avis="favorable",
                            statuts=(("region_hdf", "eligible"), ("leader", "exclu")), commune="62119",
                            epci="200072460", contrat="lys_artois", depose_du=date(2025, 3, 1),
                            depose_au=date(2025, 6, 30), a_revoir=True, texte="Camping", tri="porteur",
                            sens="croissant", page=3, par_page=25)
    relu, erreurs = lire_filtre({k: [v] for k, v in filtre.parametres()}, territoire)
    assert relu == filtre and erreurs == []
    assert filtre.restreint and not Filtre().restreint


def test_une_commune_se_donne_aussi_par_son_nom_sans_accent(territoire):
    filtre, erreurs = _lire(territoire, {"commune": "bethune"})
    assert erreurs == [] and territoire.commune(filtre.commune).nom == "Béthune"


@pytest.mark.parametrize("requete, champ, extrait", [
    ({"etat": "perdu"}, "etat", "État inconnu"),
    ({"avis": "peut-être"}, "avis", "Avis inconnu"),
    ({"statut_epci": "oui"}, "statut_epci", "Statut inconnu"),
    ({"epci": "123"}, "epci", "Intercommunalité inconnu"),
    ({"contrat": "atlantide"}, "contrat", "Contrat inconnu"),
    ({"commune": "Nulle-Part"}, "commune", "Commune inconnue"),
    ({"depose_du-jour": "30", "depose_du-mois": "2", "depose_du-annee": "2025"}, "depose_du", "vraie date"),
    ({"depose_au-mois": "2"}, "depose_au", "le jour et l’année"),
    ({"depose_du-jour": "1", "depose_du-mois": "1", "depose_du-annee": "25"}, "depose_du", "vraie date"),
    ({"depose_du-jour": "2", "depose_du-mois": "1", "depose_du-annee": "2025",
      "depose_au-jour": "1", "depose_au-mois": "1", "depose_au-annee": "2025"}, "depose_au", "doit être après"),
    ({"a_revoir": "peut-être"}, "a_revoir", "cochez la case"),
    ({"tri": "couleur"}, "tri", "Tri inconnu"),
    ({"sens": "haut"}, "sens", "Sens du tri inconnu"),
    ({"page": "-1"}, "page", "nombre entier"),
    ({"page": "0"}, "page", "commence à 1"),
    ({"page": "١٢"}, "page", "nombre entier"),  # Arabic-Indic digits are digits to Python, not to us
    ({"par_page": "1000"}, "par_page", "10, 25, 50 ou 100"),
    ({"q": "x" * 201}, "q", "200 caractères"),
])
def test_une_valeur_invalide_est_ecartee_et_nommee_en_francais(territoire, requete, champ, extrait):
    filtre, erreurs = _lire(territoire, requete)
    assert [e.champ for e in erreurs] == [champ]
    assert extrait in erreurs[0].message
    assert filtre.page >= 1 and filtre.par_page in recherche.PAR_PAGE


def test_l_epci_le_contrat_et_la_commune_deviennent_des_communes_qui_se_croisent(territoire):
    par_epci = recherche.criteres(Filtre(epci="200072460"), territoire).communes
    assert par_epci and all(territoire.commune(c).epci == "200072460" for c in par_epci)
    contrat = recherche.criteres(Filtre(contrat="lys_artois"), territoire).communes
    assert par_epci < contrat
    assert {territoire.commune(c).epci for c in contrat} == set(territoire.contrat("lys_artois").epci)
    assert recherche.criteres(Filtre(epci="200072460", commune="59350"), territoire).communes == frozenset()
    assert recherche.criteres(Filtre(), territoire).communes is None


@pytest.fixture(scope="module")
def uow(guichet_python, exemples):
    """Les 37 exemples déposés ; les douze premiers évalués ; le treizième classé sans suite."""
    uow = FausseUnite()
    for donnees in exemples:
        assert services.deposer(uow, guichet_python, donnees, SERVICES) == []
    for donnees in exemples[:12]:
        services.evaluer(uow, guichet_python, donnees["reference"], SERVICES)
    services.changer_etat(uow, exemples[12]["reference"], "classe_sans_suite", SERVICES, "retrait")
    return uow


def _refs(page) -> list[str]:
    return [x.reference for x in page.lignes]


def test_la_recherche_filtre_par_etat_avis_statut_et_texte(uow, territoire, exemples):
    tout = recherche.rechercher(uow, INSTRUCTEUR, Filtre(par_page=100), territoire)
    assert tout.total == len(exemples) == len(tout.lignes)
    classes = recherche.rechercher(uow, INSTRUCTEUR, Filtre(etat="classe_sans_suite"), territoire)
    assert _refs(classes) == [exemples[12]["reference"]]
    evalues = [x for x in tout.lignes if x.avis]
    assert len(evalues) == 12 and all(set(x.statuts) == set(FINANCEURS) for x in evalues)
    avis = evalues[0].avis
    par_avis = recherche.rechercher(uow, INSTRUCTEUR, Filtre(avis=avis, par_page=100), territoire)
    assert sorted(_refs(par_avis)) == sorted(x.reference for x in evalues if x.avis == avis)
    statut = evalues[0].statuts["region_hdf"]
    par_statut = recherche.rechercher(uow, INSTRUCTEUR, Filtre(statuts=(("region_hdf", statut),), par_page=100),
                                      territoire)
    assert sorted(_refs(par_statut)) == sorted(x.reference for x in evalues if x.statuts["region_hdf"] == statut)
    siret = exemples[3]["porteur"]["siret"]
    assert exemples[3]["reference"] in _refs(recherche.rechercher(uow, INSTRUCTEUR, Filtre(texte=siret), territoire))


def test_le_tri_et_la_pagination_partagent_la_liste_sans_doublon(uow, territoire, exemples):
    pages = [recherche.rechercher(uow, INSTRUCTEUR, Filtre(tri="reference", sens="croissant", par_page=10, page=n),
                                  territoire) for n in (1, 2, 3, 4)]
    assert [r for p in pages for r in _refs(p)] == sorted(d["reference"] for d in exemples)
    assert pages[0].pages == 4
    au_dela = recherche.rechercher(uow, INSTRUCTEUR, Filtre(tri="reference", sens="croissant", par_page=10, page=99),
                                   territoire)
    assert au_dela.filtre.page == 4 and _refs(au_dela) == _refs(pages[3])
    par_date = recherche.rechercher(uow, INSTRUCTEUR, Filtre(par_page=100), territoire).lignes
    dates = [x.date_depot for x in par_date]
    assert dates == sorted(dates, reverse=True)


def test_seuls_les_services_cherchent_dans_tous_les_dossiers(uow, territoire):
    for role in ("porteur", "membre_comite"):
        with pytest.raises(Interdit):
            recherche.rechercher(uow, Agent("x", role), Filtre(), territoire)
