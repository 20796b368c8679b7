"""Une réunion du comité dans une vraie base (SQLite et PostgreSQL) : 190 dossiers enregistrés sur 200, une
panne au milieu qui n'écrit rien, et la réunion relue telle qu'elle a été tenue."""
from datetime import date

import pytest

from api.bootstrap import controles as controles_du_comite
from bench.generateur import generer
from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.dossiers import services

CONTROLES = controles_du_comite()

PAR_PRESIDENTE = Agent.local("présidente")
PAR_SECRETARIAT = Agent.local("secrétariat")
PAR_TEST = Agent.local("test")
JOUR = date(2025, 6, 12)


def _liste(total: int, invalides: int) -> list:
    _, dossiers = generer(total, graine=7)
    pas = total // invalides
    for k in range(invalides):
        dossiers[k * pas] = {**dossiers[k * pas], "projet": {"commune_insee": "99999"}}
    return dossiers


@pytest.fixture
def comite(uow, territoire):
    return services_comite.creer_comite(uow, territoire, PAR_TEST, JOUR, "lys_artois").code


def test_200_dossiers_dont_10_invalides_les_190_autres_sont_evalues_et_enregistres(uow, guichet_python, comite):
    liste = _liste(200, 10)
    resultat = services_comite.importer(uow, guichet_python, comite, liste, PAR_SECRETARIAT)
    assert len(resultat.importes) == 190 and [e["position"] for e in resultat.erreurs] == list(range(1, 200, 20))
    assert all(e["erreurs"][0]["champ"] == "projet.commune_insee" for e in resultat.erreurs)
    with uow:
        relu = uow.comites.obtenir(comite)
        resumes = uow.dossiers.lister("inscrit_comite")
    assert relu.ordre_du_jour == resultat.importes and len(resumes) == 190
    assert all(r.evaluations == 1 and r.dernier_avis for r in resumes)


def test_une_panne_au_milieu_de_l_import_ne_laisse_aucune_reunion_a_moitie_ecrite(uow, guichet_python, comite):
    def panne(etape, fait, total):
        if etape == "enregistrement" and fait == 95:
            raise RuntimeError("coupure de courant")
    with pytest.raises(RuntimeError):
        services_comite.importer(uow, guichet_python, comite, _liste(200, 10), PAR_SECRETARIAT, progression=panne)
    with uow:
        assert uow.comites.obtenir(comite).ordre_du_jour == []
        assert uow.dossiers.lister() == []


def test_la_reunion_evaluee_et_decidee_se_relit_telle_quelle(uow, guichet_python, territoire, comite):
    liste = _liste(30, 3)
    services_comite.importer(uow, guichet_python, comite, liste, PAR_SECRETARIAT)
    reunion = services_comite.evaluer_comite(uow, guichet_python, CONTROLES, comite, PAR_SECRETARIAT)
    premier = reunion.ordre_du_jour[0]
    services_comite.decider(uow, comite, premier, {"region_hdf": "ajourne"}, "pièces manquantes", PAR_PRESIDENTE)
    rapport = services_comite.rapport(uow, guichet_python, CONTROLES, comite, PAR_TEST)
    assert [ligne["reference"] for ligne in rapport["lignes"]] == reunion.ordre_du_jour
    assert rapport["lignes"][0]["decisions"]["region_hdf"] == "ajourne"
    dossier = services.consulter(uow, premier, PAR_TEST)
    assert [e.numero for e in dossier.evaluations] == [1, 2] and dossier.etat == "decide"
