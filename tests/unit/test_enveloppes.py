"""Les enveloppes budgétaires d'une réunion : saisie des montants au centime, imputation par financeur et
dispositif, dépassement par les décisions ou par les propositions."""
from decimal import Decimal

import pytest

from instruction.comite import enveloppes as env
from instruction.comite.enveloppes import Demande, Enveloppe, lire_montant
from instruction.erreurs import Refus, SaisieRefusee

HEBERGEURS = Enveloppe.creer("epci", "Dispositif d'accompagnement des hébergeurs", Decimal("237000"),
                             "003, Axe 2 OS3 : 237 000 € 2023-2026")


@pytest.mark.parametrize("texte, attendu", [
    ("237 000", Decimal("237000.00")), ("237\u202f000,50 €", Decimal("237000.50")), ("1250.5", Decimal("1250.50")),
    ("0", Decimal("0.00")), ("999999999999,99", Decimal("999999999999.99"))])
def test_un_montant_se_lit_a_la_francaise_et_au_centime(texte, attendu):
    assert lire_montant(texte) == attendu


def test_un_champ_de_montant_vide_est_inconnu():
    assert lire_montant("  ") is None


@pytest.mark.parametrize("texte, message", [
    ("-5", "négatif"), ("12,345", "au centime"), ("1e6", "n'est pas un montant"), ("douze", "n'est pas un montant"),
    ("1 000 000 000 000", "inférieur à 1 000 milliards")])
def test_un_montant_invalide_est_refuse_en_nommant_le_champ(texte, message):
    with pytest.raises(SaisieRefusee, match=message) as erreur:
        lire_montant(texte, "montant_enveloppe")
    assert erreur.value.champ == "montant_enveloppe"


def test_une_enveloppe_exige_un_financeur_connu_un_dispositif_et_un_montant():
    with pytest.raises(SaisieRefusee) as erreur:
        Enveloppe.creer("caph", "Hébergement", Decimal(1))
    assert erreur.value.champ == "financeur"
    with pytest.raises(SaisieRefusee) as erreur:
        Enveloppe.creer("epci", "   ", Decimal(1))
    assert erreur.value.champ == "dispositif"
    with pytest.raises(SaisieRefusee) as erreur:
        Enveloppe.creer("epci", "Hébergement", None)
    assert erreur.value.champ == "montant"
    with pytest.raises(SaisieRefusee, match="au centime"):
        Enveloppe.creer("epci", "Hébergement", Decimal("10.001"))


# (Separators such as U+0085 or U+2028 are whitespace: the text is read on one line, they become spaces.)
@pytest.mark.parametrize("texte", ["Héberge\x00ment", "Héberge\x7fment", "Héberge\x9fment", "Héberge\ud800ment"])
@pytest.mark.parametrize("champ", ["dispositif", "source"])
def test_un_caractere_de_controle_est_refuse_dans_les_textes_d_une_enveloppe(texte, champ):
    textes = {"dispositif": "Hébergement", "source": "003, axe 2", champ: texte}
    with pytest.raises(SaisieRefusee, match="interdit") as erreur:
        Enveloppe.creer("epci", textes["dispositif"], Decimal(1), textes["source"])
    assert erreur.value.champ == champ


def test_un_financeur_n_a_qu_une_enveloppe_par_dispositif_et_on_ne_retire_que_ce_qui_existe():
    liste = env.ajouter([], HEBERGEURS)
    with pytest.raises(SaisieRefusee, match="déjà une enveloppe"):
        env.ajouter(liste, Enveloppe.creer("epci", HEBERGEURS.dispositif, Decimal(5)))
    autre = Enveloppe.creer("epci", "Signalétique touristique permanente", Decimal("30000"))
    assert env.ajouter(liste, autre) == [HEBERGEURS, autre]
    assert env.retirer([HEBERGEURS, autre], "epci", HEBERGEURS.dispositif) == [autre]
    with pytest.raises(Refus, match="aucune enveloppe"):
        env.retirer([autre], "epci", HEBERGEURS.dispositif)


def test_les_decisions_au_centime_qui_depassent_l_enveloppe_sont_signalees():
    enveloppe = Enveloppe.creer("departement_62", "#Destination 62", Decimal("100000.00"))
    juste = [Demande("A", "departement_62", Decimal("60000"), "favorable", Decimal("60000.00")),
             Demande("B", "departement_62", Decimal("40000"), "favorable", Decimal("40000.00"))]
    [suivi] = env.suivre([enveloppe], juste)
    assert (suivi.propose, suivi.decide, suivi.reste) == (Decimal("100000"), Decimal("100000.00"), Decimal("0.00"))
    assert not suivi.depassee and not suivi.propositions_au_dela
    un_centime_de_trop = juste[:1] + [Demande("B", "departement_62", Decimal("40000"), "favorable",
                                              Decimal("40000.01"))]
    [suivi] = env.suivre([enveloppe], un_centime_de_trop)
    assert suivi.depassee and suivi.reste == Decimal("-0.01")
    assert not suivi.propositions_au_dela


def test_des_propositions_au_dela_de_l_enveloppe_avertissent_avant_toute_decision():
    enveloppe = Enveloppe.creer("leader", "GAL Lys Artois", Decimal("50000"))
    demandes = [Demande("A", "leader", Decimal("30000")), Demande("B", "leader", Decimal("30000"))]
    [suivi] = env.suivre([enveloppe], demandes)
    assert suivi.propositions_au_dela and not suivi.depassee and suivi.decide == 0


def test_chaque_financeur_et_dispositif_a_sa_ligne_et_les_autres_financeurs_sont_ignores():
    hebergement = Enveloppe.creer("departement_62", "Hébergements touristiques", Decimal("80000"))
    innovation = Enveloppe.creer("departement_62", "Innovation touristique", Decimal("20000"))
    demandes = [
        Demande("A", "departement_62", Decimal("60000"), "favorable", Decimal("50000"), "Hébergements touristiques"),
        Demande("B", "departement_62", Decimal("25000"), "favorable", Decimal("25000"), "Innovation touristique"),
        Demande("C", "departement_62", Decimal("10000")),  # two envelopes, no decision yet: not attributable
        Demande("D", "region_hdf", Decimal("90000"), "favorable", Decimal("90000")),  # no envelope for the Région
    ]
    lignes = env.suivre([hebergement, innovation], demandes)
    assert [(s.enveloppe.dispositif if s.enveloppe else None, s.propose, s.decide, s.depassee) for s in lignes] == [
        ("Hébergements touristiques", Decimal("60000"), Decimal("50000"), False),
        ("Innovation touristique", Decimal("25000"), Decimal("25000"), True),
        (None, Decimal("10000"), Decimal("0"), False)]
    assert [d.reference for d in lignes[2].demandes] == ["C"]


def test_la_seule_enveloppe_d_un_financeur_recoit_ses_demandes_sans_dispositif_nomme():
    [suivi] = env.suivre([HEBERGEURS], [Demande("A", "epci", Decimal("12000.50"), "favorable", Decimal("12000.50"))])
    assert suivi.decide == Decimal("12000.50") and suivi.reste == Decimal("224999.50")


def test_une_decision_designe_une_enveloppe_du_financeur_ou_la_seule_qu_il_a():
    deux = [HEBERGEURS, Enveloppe.creer("epci", "Signalétique", Decimal(1))]
    assert env.dispositif_de([HEBERGEURS], "epci", "") == HEBERGEURS.dispositif
    assert env.dispositif_de(deux, "epci", "") is None
    assert env.dispositif_de(deux, "epci", "Signalétique") == "Signalétique"
    assert env.dispositif_de([], "leader", None) is None
    with pytest.raises(SaisieRefusee, match="pas d'enveloppe « Vélo »") as erreur:
        env.dispositif_de(deux, "epci", "Vélo")
    assert erreur.value.champ == "dispositif_epci"
