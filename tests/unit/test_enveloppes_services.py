"""Les enveloppes d'une réunion par les cas d'usage, sur des dépôts en mémoire : droits, décisions avec montant,
suivi des montants proposés par les avis et décidés par le comité."""
from datetime import date
from decimal import Decimal

import pytest

from instruction.acces import Agent
from instruction.comite import services as services_comite
from instruction.comite import services_enveloppes
from instruction.documents.financement import demandes_detaillees
from instruction.erreurs import ComiteIntrouvable, Interdit, SaisieRefusee
from tests.unit.faux import FausseUnite

SECRETARIAT = Agent("secretariat@region.fr", "instructeur")
JOUR = date(2025, 6, 12)


@pytest.fixture
def uow():
    return FausseUnite()


@pytest.fixture
def reunion(uow, territoire, guichet_python, exemples_par_reference):
    code = services_comite.creer_comite(uow, territoire, SECRETARIAT, JOUR, "lys_artois").code
    liste = [exemples_par_reference[r] for r in ("LA-2025-001", "LA-2025-011", "LA-2025-019")]
    services_comite.importer(uow, guichet_python, code, liste, SECRETARIAT)
    return code


def _demande(exemples_par_reference, reference, financeur) -> Decimal:
    from forms.dossier import Dossier
    d = Dossier.model_validate(exemples_par_reference[reference])
    return sum((Decimal(repr(m)) for f, s, m in demandes_detaillees(d) if f == financeur and s == "sollicite"),
               Decimal(0))


def test_un_membre_du_comite_lit_les_enveloppes_de_sa_reunion_sans_pouvoir_en_ajouter(uow, reunion):
    services_enveloppes.ajouter(uow, reunion, SECRETARIAT, "departement_62", "#Destination 62", Decimal("100000"))
    membre = Agent("membre@cd62.fr", "membre_comite", frozenset({reunion}))
    assert [e.dispositif for e in services_enveloppes.lister(uow, reunion, membre)] == ["#Destination 62"]
    with pytest.raises(Interdit):
        services_enveloppes.ajouter(uow, reunion, membre, "leader", "GAL", Decimal(1))
    etranger = Agent("autre@cd62.fr", "membre_comite", frozenset({"autre"}))
    with pytest.raises(ComiteIntrouvable):
        services_enveloppes.lister(uow, reunion, etranger)


def test_les_montants_proposes_sont_les_demandes_sollicitees_des_voies_ouvertes(uow, reunion, exemples_par_reference):
    services_enveloppes.ajouter(uow, reunion, SECRETARIAT, "departement_62", "#Destination 62", Decimal("100000"))
    [suivi] = services_enveloppes.suivre(uow, reunion, SECRETARIAT)
    attendu = sum(_demande(exemples_par_reference, r, "departement_62")
                  for r in ("LA-2025-001", "LA-2025-011", "LA-2025-019"))
    assert attendu > Decimal("100000")  # the plans ask more than the envelope: the room must warn
    assert suivi.propose == attendu and suivi.propositions_au_dela
    assert suivi.decide == 0 and not suivi.depassee


def test_une_decision_favorable_porte_un_montant_au_centime_qui_consomme_l_enveloppe(uow, reunion):
    services_enveloppes.ajouter(uow, reunion, SECRETARIAT, "departement_62", "#Destination 62", Decimal("100000"))
    services_comite.decider(uow, reunion, "LA-2025-001", {"departement_62": "favorable", "leader": "ajourne"},
                            "Projet prioritaire", SECRETARIAT, montants={"departement_62": Decimal("40000.50")})
    [decision, _] = uow.publie["dossiers"]["LA-2025-001"].decisions
    assert (decision.montant, decision.dispositif) == (Decimal("40000.50"), "#Destination 62")
    services_comite.decider(uow, reunion, "LA-2025-011", {"departement_62": "favorable"}, "Halte fluviale",
                            SECRETARIAT, montants={"departement_62": Decimal("59999.51")})
    [suivi] = services_enveloppes.suivre(uow, reunion, SECRETARIAT)
    assert suivi.decide == Decimal("100000.01") and suivi.depassee and suivi.reste == Decimal("-0.01")


def test_un_montant_sans_decision_favorable_ou_une_enveloppe_inconnue_sont_refuses(uow, reunion):
    with pytest.raises(SaisieRefusee, match="décision favorable") as erreur:
        services_comite.decider(uow, reunion, "LA-2025-001", {"departement_62": "defavorable"}, "non",
                                SECRETARIAT, montants={"departement_62": Decimal(10)})
    assert erreur.value.champ == "montant_departement_62"
    with pytest.raises(SaisieRefusee, match="pas d'enveloppe"):
        services_comite.decider(uow, reunion, "LA-2025-001", {"departement_62": "favorable"}, "oui",
                                SECRETARIAT, dispositifs={"departement_62": "Vélo"})
    with pytest.raises(SaisieRefusee, match="au centime"):
        services_comite.decider(uow, reunion, "LA-2025-001", {"departement_62": "favorable"}, "oui",
                                SECRETARIAT, montants={"departement_62": Decimal("1.005")})
    assert uow.publie["dossiers"]["LA-2025-001"].decisions == []


def test_retirer_une_enveloppe_la_retire_de_la_reunion_seulement(uow, reunion):
    services_enveloppes.ajouter(uow, reunion, SECRETARIAT, "leader", "GAL Lys Artois", Decimal("50000"))
    services_enveloppes.ajouter(uow, reunion, SECRETARIAT, "epci", "Hébergeurs", Decimal("237000"))
    services_enveloppes.retirer(uow, reunion, SECRETARIAT, "leader", "GAL Lys Artois")
    assert [e.financeur for e in services_enveloppes.lister(uow, reunion, SECRETARIAT)] == ["epci"]
