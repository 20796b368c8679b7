"""Les pièces jointes (format reconnu au contenu, taille bornée, empreinte), les demandes de compléments (seuls
les champs demandés changent, l'historique garde les deux versions) et le fil de messages, sans base."""
import hashlib

import pytest

from instruction.acces import Agent
from instruction.dossiers import brouillons, complements, messages, pieces, prediagnostic
from instruction.erreurs import DossierIntrouvable, Interdit, Refus, SaisieRefusee
from tests.unit.faux import FausseUnitePorteur
from tests.unit.test_brouillons import PORTEUR, _rempli, horloge

INSTRUCTRICE = Agent("claire@region.essai.fr", "instructeur", nom="Claire Martin")
AUTRE = Agent("autre@essai.fr", "porteur")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def uow():
    return FausseUnitePorteur()


@pytest.fixture
def depose(uow, guichet_python):
    reference = _rempli(uow, guichet_python)
    assert brouillons.deposer_brouillon(uow, guichet_python, reference, 4, PORTEUR, horloge) == []
    return reference


@pytest.mark.parametrize("contenu, attendu", [(b"%PDF-1.7\n", "application/pdf"), (PNG, "image/png"),
                                              (b"\xff\xd8\xff\xe0JFIF", "image/jpeg")])
def test_un_fichier_est_reconnu_a_ses_premiers_octets(contenu, attendu):
    assert pieces.reconnaitre(contenu)[0] == attendu


@pytest.mark.parametrize("contenu", [b"<!doctype html><script>alert(1)</script>", b"GIF89a", b"PK\x03\x04", b""])
def test_un_contenu_d_un_autre_format_est_refuse_quel_que_soit_son_nom(uow, contenu):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    with pytest.raises(SaisieRefusee) as refus:
        pieces.ajouter_piece(uow, reference, "", "devis.pdf", contenu, PORTEUR, horloge)
    assert refus.value.champ == "fichier"
    assert pieces.lister_pieces(uow, reference, PORTEUR) == []


def test_un_fichier_de_plus_de_10_mo_est_refuse(uow):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    with pytest.raises(SaisieRefusee, match="10 Mo"):
        pieces.ajouter_piece(uow, reference, "", "plan.pdf", b"%PDF-" + b"0" * pieces.TAILLE_MAX, PORTEUR, horloge)


def test_une_piece_garde_son_empreinte_un_nom_sur_et_ne_se_lit_que_par_qui_voit_le_dossier(uow):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    piece = pieces.ajouter_piece(uow, reference, "Devis", "C:\\Documents\\..\\devis\x07 final.PDF.exe", PNG, PORTEUR,
                                 horloge)
    assert (piece.nom_fichier, piece.type_media, piece.sha256) == ("devis final.PDF.png", "image/png",
                                                                   hashlib.sha256(PNG).hexdigest())
    assert pieces.telecharger_piece(uow, reference, piece.numero, INSTRUCTRICE) == (piece, PNG)
    with pytest.raises(DossierIntrouvable):
        pieces.telecharger_piece(uow, reference, piece.numero, AUTRE)
    pieces.retirer_piece(uow, reference, piece.numero, PORTEUR, horloge)
    assert pieces.lister_pieces(uow, reference, PORTEUR) == []


def test_une_demande_de_complements_nomme_des_champs_du_formulaire_et_dit_pourquoi(uow, depose):
    with pytest.raises(SaisieRefusee, match="champ inconnu"):
        complements.demander_complements(uow, depose, ["budget.iban"], "Précisez", INSTRUCTRICE, horloge)
    with pytest.raises(SaisieRefusee) as refus:
        complements.demander_complements(uow, depose, ["budget.financements"], "  ", INSTRUCTRICE, horloge)
    assert refus.value.champ == "message"
    with pytest.raises(Interdit):
        complements.demander_complements(uow, depose, ["budget.financements"], "Précisez", PORTEUR, horloge)
    complements.demander_complements(uow, depose, ["budget.financements"], "Précisez", INSTRUCTRICE, horloge)
    with pytest.raises(Refus, match="attend déjà"):
        complements.demander_complements(uow, depose, ["projet.labels"], "Et les labels", INSTRUCTRICE, horloge)


def test_la_reponse_ne_change_que_les_champs_demandes_et_l_historique_garde_les_deux_versions(uow, depose,
                                                                                             guichet_python):
    complements.demander_complements(uow, depose, ["budget.montant_sollicite"], "Réduisez la demande.",
                                     INSTRUCTRICE, horloge)
    saisie = {"budget.montant_sollicite": ["60 000"], "projet.titre": ["Un autre titre"]}
    assert complements.repondre_complements(uow, guichet_python, depose, 1, saisie, "C'est fait.", PORTEUR,
                                            horloge) == []
    demande, = complements.demandes(uow, depose, INSTRUCTRICE)
    assert (demande.donnees_avant["budget"]["montant_sollicite"], demande.donnees_apres["budget"]["montant_sollicite"]
            ) == (90000.5, 60000)
    assert demande.donnees_apres["projet"]["titre"] == "Aire de camping-cars"  # not asked: unchanged
    assert (demande.reponse, demande.repondue_par, demande.en_attente) == ("C'est fait.", "Camille Durand", False)
    dossier, _ = brouillons.ouvrir(uow, depose, PORTEUR)
    assert len(dossier.evaluations) == 2 and dossier.evaluations[1].donnees["budget"]["montant_sollicite"] == 60000
    with pytest.raises(Refus, match="déjà reçu"):
        complements.repondre_complements(uow, guichet_python, depose, 1, saisie, "", PORTEUR, horloge)


def test_les_messages_du_fil_disent_leur_cote_et_restent_prives_au_dossier(uow, depose):
    messages.ecrire_message(uow, depose, "Le devis est-il attendu ?", PORTEUR, horloge)
    messages.ecrire_message(uow, depose, "Oui, joignez-le.", INSTRUCTRICE, horloge)
    assert [(m.numero, m.cote, m.auteur) for m in messages.fil_de_messages(uow, depose, PORTEUR)] == [
        (1, "porteur", "Camille Durand"), (2, "instruction", "Claire Martin")]
    with pytest.raises(SaisieRefusee):
        messages.ecrire_message(uow, depose, " \n ", PORTEUR, horloge)
    with pytest.raises(DossierIntrouvable):
        messages.fil_de_messages(uow, depose, AUTRE)


def test_le_pre_diagnostic_lie_chaque_passage_et_chaque_question_a_sa_place(uow, depose):
    dossier, _ = brouillons.ouvrir(uow, depose, PORTEUR)
    evaluation = dossier.evaluations[0].resultat
    vue = prediagnostic.construire(evaluation, depose, {})
    assert [f["id"] for f in vue["financeurs"]][:len(evaluation.orientation)] == list(evaluation.orientation)
    for f in vue["financeurs"]:
        for raison in f["raisons"]:
            document = next(c.source.document for c in evaluation.constats if c.regle == raison["regle"])
            attendu = (f"/textes/{document}#regle-{raison['regle']}" if document.endswith(".txt")
                       else f"/regles/{raison['regle']}")
            assert raison["lien"] == attendu
    for question in vue["questions"]:
        etape = next(e for e, champs in
                     {"porteur": "porteur.", "projet": "projet.", "budget": "budget."}.items()
                     if question["champ"].startswith(champs))
        assert question["lien"].startswith(f"/mes-dossiers/{depose}/{etape}#")
    assert str(vue["date_regles"]) == evaluation.version_regles.rsplit("@", 1)[1]


@pytest.mark.parametrize("texte", ["Joignez\x00le devis", "Joignez\x85le devis", "Joignez\x7fle devis"])
def test_un_caractere_de_controle_est_refuse_dans_chaque_texte_echange_en_nommant_son_champ(uow, depose,
                                                                                          guichet_python, texte):
    # NUL would make PostgreSQL refuse the whole transaction with a message that names nothing: refused here.
    with pytest.raises(SaisieRefusee, match="caractère de contrôle") as refus:
        messages.ecrire_message(uow, depose, texte, PORTEUR, horloge)
    assert refus.value.champ == "texte"
    with pytest.raises(SaisieRefusee, match="caractère de contrôle") as refus:
        complements.demander_complements(uow, depose, ["budget.financements"], texte, INSTRUCTRICE, horloge)
    assert refus.value.champ == "message"
    complements.demander_complements(uow, depose, ["budget.financements"], "Précisez", INSTRUCTRICE, horloge)
    erreurs = complements.repondre_complements(uow, guichet_python, depose, 1, {}, texte, PORTEUR, horloge)
    assert [e.champ for e in erreurs] == ["note"] and "caractère de contrôle" in erreurs[0].message
    assert complements.demande_en_attente(uow, depose, PORTEUR) is not None  # nothing recorded


def test_tabulations_et_sauts_de_ligne_restent_permis_dans_un_message(uow, depose):
    message = messages.ecrire_message(uow, depose, "Devis :\r\n\t- charpente", PORTEUR, horloge)
    assert message.texte == "Devis :\n\t- charpente"

