"""Les entrepôts du parcours du porteur sur une vraie base (SQLite et PostgreSQL) : le suivi du brouillon, les
pièces (contenu relu à l'octet près, jamais chargé par la liste), les messages et les demandes de compléments
relus tels qu'écrits ; une transaction non validée n'écrit rien."""
from datetime import datetime, timezone

from instruction.acces import Agent
from instruction.dossiers import brouillons, complements, messages, pieces
from instruction.dossiers.parcours import Brouillon

QUAND = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
PORTEUR = Agent("camille@essai.fr", "porteur", nom="Camille Durand")
INSTRUCTRICE = Agent("claire@region.essai.fr", "instructeur", nom="Claire Martin")
GROS_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4096  # 1 Mo of every byte value


def horloge():
    return QUAND


def test_le_parcours_complet_se_relit_tel_qu_il_a_ete_ecrit(uow, guichet_python):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    saisies = (("porteur", {"porteur.type": ["commune"], "porteur.nom": ["Commune de Hinges"]}),
               ("projet", {"projet.titre": ["Halte fluviale"], "projet.commune_insee": ["62454"],
                           "projet.nature": ["investissement"], "projet.secteur": ["accueil"]}),
               ("budget", {"budget.cout_total_ht": ["80000"], "budget.montant_sollicite": ["30000"]}))
    for version, (etape, saisie) in enumerate(saisies, 1):
        assert brouillons.enregistrer_etape(uow, guichet_python, reference, etape, saisie, version, PORTEUR,
                                            horloge)[0] == []
    piece = pieces.ajouter_piece(uow, reference, "", "plan.pdf", GROS_PDF, PORTEUR, horloge)
    assert brouillons.deposer_brouillon(uow, guichet_python, reference, 4, PORTEUR, horloge) == []
    messages.ecrire_message(uow, reference, "Première ligne\nseconde ligne", PORTEUR, horloge)
    complements.demander_complements(uow, reference, ["budget.financements", "pieces"], "Le plan, SVP.",
                                     INSTRUCTRICE, horloge)
    assert complements.repondre_complements(
        uow, guichet_python, reference, 1, {"budget.financements-0-financeur": ["leader"],
                                            "budget.financements-0-montant": ["12 000,50"],
                                            "budget.financements-0-statut": ["acquis"]}, "Voilà", PORTEUR,
        horloge) == []

    with uow:
        assert uow.brouillons.obtenir(reference) == Brouillon(reference, 5, ("porteur", "projet", "budget"),
                                                              "verifier", 1, QUAND)
        assert uow.pieces.lister(reference) == [piece]
        assert uow.pieces.contenu(reference, piece.numero) == GROS_PDF
        fil, = uow.messages.lister(reference)
        demande, = uow.complements.lister(reference)
    assert (fil.texte, fil.cote, fil.ecrit_le) == ("Première ligne\nseconde ligne", "porteur", QUAND)
    assert demande.champs == ("budget.financements", "pieces") and demande.repondue_le == QUAND
    assert demande.donnees_apres["budget"]["financements"] == [
        {"financeur": "leader", "montant": 12000.5, "statut": "acquis"}]
    assert pieces.telecharger_piece(uow, reference, piece.numero, INSTRUCTRICE)[1] == GROS_PDF


def test_une_transaction_non_validee_n_ecrit_ni_brouillon_ni_piece(uow):
    reference = brouillons.creer_brouillon(uow, PORTEUR, horloge)
    with uow:
        uow.brouillons.enregistrer(Brouillon(reference, 9))
        uow.pieces.ajouter(pieces.Piece(1, reference, "", "x.pdf", "application/pdf", 5, "0" * 64, "x", QUAND),
                           b"%PDF-")
    with uow:
        assert uow.brouillons.obtenir(reference).version == 1
        assert uow.pieces.lister(reference) == []
