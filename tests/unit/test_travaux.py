"""Les travaux par lots sur le faux dépôt : avancement, issue de chaque élément, interruption d'un travail muet ou
d'un processus mort ; l'évaluation d'un lot, où un dossier refusé n'arrête pas les autres ; le dossier chargé
sans ses anciennes évaluations qui numérote bien la suivante."""
from datetime import datetime, timedelta, timezone

import pytest

from instruction import travaux
from instruction.acces import Agent
from instruction.dossiers import lots, services
from instruction.dossiers.dossier_instruit import DossierInstruit
from instruction.erreurs import Interdit
from instruction.travaux import Issue
from tests.unit.faux import FausseUnite

INSTRUCTEUR = Agent("claire", "instructeur", nom="Claire")
SERVICES = Agent.local("services")
DEBUT = datetime(2025, 6, 2, 9, 0, tzinfo=timezone.utc)


class Horloge:
    def __init__(self):
        self.instant = DEBUT

    def __call__(self):
        return self.instant


@pytest.fixture
def uow():
    return FausseUnite()


def test_un_travail_avance_element_par_element_et_garde_la_raison_de_chaque_echec(uow):
    horloge = Horloge()
    travail = travaux.creer(uow, INSTRUCTEUR, "evaluer", "Évaluation de 3 dossiers", ["A", "B", "C"], "hote:1",
                            horloge=horloge)
    travaux.noter(uow, travail.id, [(1, Issue("A", True, "évaluation n° 2"))], horloge)
    en_cours = travaux.consulter(uow, INSTRUCTEUR, travail.id, horloge)
    assert (en_cours.etat, en_cours.faits, en_cours.total, en_cours.pourcentage) == ("en_cours", 1, 3, 33)
    travaux.noter(uow, travail.id, [(2, Issue("B", False, "dossier clos")), (3, Issue("C", True))], horloge)
    travaux.noter(uow, travail.id, [(2, Issue("B", True))], horloge)  # noted twice: the first outcome stands
    travaux.terminer(uow, travail.id, horloge=horloge)
    fini = travaux.consulter(uow, INSTRUCTEUR, travail.id, horloge)
    assert (fini.etat, fini.faits, fini.echecs, fini.reussis) == ("termine", 3, 1, 2)
    assert [(e.element, e.message) for e in fini.elements_dans(travaux.ECHOUE)] == [("B", "dossier clos")]
    assert [e.element for e in fini.elements_dans(travaux.REUSSI)] == ["A", "C"]
    assert fini.auteur == "Claire" and fini.compte == "claire"


def test_un_travail_muet_depuis_trop_longtemps_est_montre_interrompu(uow):
    horloge = Horloge()
    travail = travaux.creer(uow, INSTRUCTEUR, "evaluer", "Lot", ["A"], "hote:1", horloge=horloge)
    horloge.instant += travaux.SILENCE_MAX - timedelta(seconds=1)
    assert travaux.consulter(uow, INSTRUCTEUR, travail.id, horloge).etat == "en_cours"
    assert travaux.lister(uow, INSTRUCTEUR, horloge=horloge)[0].etat == "en_cours"
    horloge.instant += timedelta(seconds=2)
    assert travaux.lister(uow, INSTRUCTEUR, horloge=horloge)[0].etat == "interrompu"
    assert travaux.consulter(uow, INSTRUCTEUR, travail.id, horloge).etat == "interrompu"
    with uow:
        assert uow.travaux.obtenir(travail.id).etat == "interrompu"  # written, not only shown


def test_au_redemarrage_les_travaux_d_un_processus_mort_sont_interrompus(uow):
    horloge = Horloge()
    mort = travaux.creer(uow, INSTRUCTEUR, "evaluer", "Lot", ["A"], "hote:111", horloge=horloge)
    vivant = travaux.creer(uow, INSTRUCTEUR, "evaluer", "Lot", ["A"], "hote:222", horloge=horloge)
    assert travaux.interrompre(uow, horloge, lambda processus: processus == "hote:111") == 1
    assert travaux.consulter(uow, INSTRUCTEUR, mort.id, horloge).etat == "interrompu"
    assert travaux.consulter(uow, INSTRUCTEUR, vivant.id, horloge).etat == "en_cours"


@pytest.mark.parametrize("role", ["porteur", "membre_comite"])
def test_seuls_les_services_lancent_et_suivent_des_travaux(uow, role):
    with pytest.raises(Interdit):
        travaux.creer(uow, Agent("x", role), "evaluer", "Lot", ["A"], "hote:1")
    with pytest.raises(Interdit):
        travaux.lister(uow, Agent("x", role))


def test_un_lot_d_evaluation_evalue_les_autres_quand_un_dossier_est_refuse(uow, guichet_python, exemples):
    references = [d["reference"] for d in exemples[:4]]
    for donnees in exemples[:4]:
        services.deposer(uow, guichet_python, donnees, SERVICES)
    services.changer_etat(uow, references[1], "classe_sans_suite", SERVICES, "retrait")
    issues = lots.evaluer_lot(uow, guichet_python, [*references, "INCONNU"], INSTRUCTEUR)
    assert [(i.element, i.reussi) for i in issues] == [(references[0], True), (references[1], False),
                                                       (references[2], True), (references[3], True),
                                                       ("INCONNU", False)]
    assert "ne se réévalue plus" in issues[1].message and "introuvable" in issues[4].message
    with uow:
        assert [len(uow.dossiers.obtenir(r).evaluations) for r in references] == [1, 0, 1, 1]


def test_un_dossier_charge_sans_ses_anciennes_evaluations_numerote_la_suivante(guichet_python, exemples):
    from forms.dossier import Dossier
    donnees = Dossier.model_validate(exemples[0])
    dossier = DossierInstruit.creer(donnees, "a", DEBUT)
    for _ in range(3):
        dossier.ajouter_evaluation(guichet_python.evaluer(donnees), donnees.date_depot, "a", DEBUT)
    leger = DossierInstruit(donnees, dossier.etat, list(dossier.transitions), dossier.evaluations[-1:],
                            evaluations_anterieures=2)
    assert leger.ajouter_evaluation(guichet_python.evaluer(donnees), donnees.date_depot, "a", DEBUT).numero == 4
