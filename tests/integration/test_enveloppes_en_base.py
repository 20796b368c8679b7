"""Les enveloppes d'une réunion et les montants décidés, en base (SQLite et PostgreSQL) : relus au centime, rangés
en centimes entiers sous SQLite et en NUMERIC sous PostgreSQL, jamais en flottant ; un financeur n'a qu'une enveloppe
par dispositif et réunion, même écrite par un autre chemin que le domaine."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from instruction.comite.enveloppes import Enveloppe
from instruction.comite.reunion import Comite, Membre
from instruction.dossiers.dossier_instruit import Decision
from instruction.storage import ErreurStockage
from tests.integration.conftest import DEBUT, ajouter, dossier_depose, relire

HAUT = Decimal("999999999999.99")


def _comite(uow, code="c-1") -> None:
    with uow:
        uow.comites.ajouter(Comite(code, date(2025, 12, 11), "lys_artois", [Membre("Conseil Régional")]))
        uow.valider()


def test_les_enveloppes_sont_relues_dans_l_ordre_et_au_centime(uow, moteur):
    _comite(uow)
    enveloppes = [Enveloppe("epci", "Hébergeurs", Decimal("237000.00"), "003, axe 2"),
                  Enveloppe("leader", "GAL", Decimal("0.01")), Enveloppe("region_hdf", "Contrat", HAUT)]
    with uow:
        uow.comites.enregistrer_enveloppes("c-1", enveloppes)
        uow.valider()
    with uow:
        assert uow.comites.enveloppes("c-1") == enveloppes
        assert uow.comites.enveloppes("autre") == []
    brut = "typeof(montant)" if moteur.dialect.name == "sqlite" else "pg_typeof(montant)::text"
    with moteur.connect() as connexion:
        lignes = connexion.execute(text(f"SELECT {brut}, montant FROM comite_enveloppes ORDER BY position")).all()
    if moteur.dialect.name == "sqlite":
        assert lignes == [("integer", 23700000), ("integer", 1), ("integer", 99999999999999)]
    else:
        assert [m for _, m in lignes] == [e.montant for e in enveloppes] and {t for t, _ in lignes} == {"numeric"}


def test_reecrire_les_enveloppes_remplace_la_liste(uow):
    _comite(uow)
    with uow:
        uow.comites.enregistrer_enveloppes("c-1", [Enveloppe("epci", "A", Decimal(1)),
                                                   Enveloppe("epci", "B", Decimal(2))])
        uow.valider()
    with uow:
        uow.comites.enregistrer_enveloppes("c-1", [Enveloppe("epci", "B", Decimal(3))])
        uow.valider()
    with uow:
        assert uow.comites.enveloppes("c-1") == [Enveloppe("epci", "B", Decimal("3.00"))]


def test_la_base_refuse_deux_enveloppes_d_un_meme_financeur_et_dispositif(uow):
    _comite(uow)
    deux_fois = [Enveloppe("epci", "A", Decimal(1)), Enveloppe("epci", "A", Decimal(2))]
    with pytest.raises(ErreurStockage, match="valeur déjà enregistrée"), uow:
        uow.comites.enregistrer_enveloppes("c-1", deux_fois)


def test_une_decision_garde_son_montant_au_centime_et_son_enveloppe(uow, moteur):
    dossier = dossier_depose("D-1")
    dossier.decisions.append(Decision("departement_62", "favorable", "vote", "présidente", DEBUT, "c-1",
                                      Decimal("40000.50"), "Hébergements touristiques"))
    dossier.decisions.append(Decision("leader", "ajourne", "pièces", "présidente", DEBUT, "c-1"))
    ajouter(uow, dossier)
    relu = relire(uow, "D-1").decisions
    assert [(d.montant, d.dispositif) for d in relu] == [(Decimal("40000.50"), "Hébergements touristiques"),
                                                         (None, None)]
    with moteur.connect() as connexion:
        brut = connexion.execute(text("SELECT montant FROM decisions ORDER BY numero")).scalars().all()
    assert brut == ([4000050, None] if moteur.dialect.name == "sqlite" else [Decimal("40000.50"), None])
