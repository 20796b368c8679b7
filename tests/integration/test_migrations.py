"""Le schéma créé par les migrations est exactement celui que le code décrit, sur les deux bases."""
import pytest
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, inspect

from instruction.storage import (
    ErreurStockage,
    UniteDeTravailSql,
    creer_moteur,
    mettre_a_jour,
    verifier_a_jour,
    version_actuelle,
    version_de_tete,
)
from instruction.storage.migration import rendre_pour_alembic
from instruction.storage.tables import MONTANT, metadata
from tests.integration.conftest import dossier_depose


def _differences(url, schema=metadata):
    moteur = creer_moteur(url)
    try:
        with moteur.connect() as connexion:
            return compare_metadata(MigrationContext.configure(connexion, opts={"compare_type": True}), schema)
    finally:
        moteur.dispose()


def test_une_base_vierge_n_a_pas_de_version_et_est_refusee(url_vierge):
    assert version_actuelle(url_vierge) is None
    with pytest.raises(ErreurStockage, match="mettez-la à jour"):
        verifier_a_jour(url_vierge)


def test_apres_la_mise_a_jour_la_base_a_exactement_le_schema_du_code(url_vierge):
    assert mettre_a_jour(url_vierge) == version_de_tete()
    assert version_actuelle(url_vierge) == version_de_tete()
    verifier_a_jour(url_vierge)
    assert _differences(url_vierge) == []


def test_la_comparaison_des_schemas_voit_bien_un_ecart(url_base):
    """Le test précédent n'est pas vide de sens : une colonne de plus dans le code serait vue."""
    modifie = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(modifie)
    modifie.tables["dossiers"].append_column(Column("commentaire", String))
    ecarts = _differences(url_base, modifie)
    assert [(e[0], e[3].name) for e in ecarts] == [("add_column", "commentaire")]


def test_appliquer_la_mise_a_jour_deux_fois_ne_change_rien(url_base):
    moteur = creer_moteur(url_base)
    try:
        with UniteDeTravailSql(moteur) as uow:
            uow.dossiers.ajouter(dossier_depose("D-1"))
            uow.valider()
        tables_avant = sorted(inspect(moteur).get_table_names())
        assert mettre_a_jour(url_base) == version_de_tete()
        assert sorted(inspect(moteur).get_table_names()) == tables_avant
        with UniteDeTravailSql(moteur) as uow:
            assert [r.reference for r in uow.dossiers.lister()] == ["D-1"]
    finally:
        moteur.dispose()
    assert _differences(url_base) == []


def test_la_mise_a_jour_cree_le_fichier_sqlite_et_son_dossier(tmp_path):
    fichier = tmp_path / "sous" / "dossier" / "guichet.sqlite"
    assert version_actuelle(f"sqlite:///{fichier}") is None
    assert not fichier.exists()  # reading the version did not create it
    mettre_a_jour(f"sqlite:///{fichier}")
    assert fichier.is_file()
    assert version_actuelle(f"sqlite:///{fichier}") == version_de_tete()


def test_une_migration_autogeneree_ecrit_les_montants_sans_importer_le_code(url_base):
    """Comme 0001 : NUMERIC(14, 2), des centimes entiers sous SQLite, et aucun import de tables.py."""
    modifie = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(modifie)
    modifie.tables["dossiers"].append_column(Column("budget_subvention_retenue", MONTANT))
    moteur = creer_moteur(url_base)
    try:
        with moteur.connect() as connexion:
            contexte = MigrationContext.configure(connexion, opts={"compare_type": True, "target_metadata": modifie})
            code = render_python_code(produce_migrations(contexte, modifie).upgrade_ops,
                                      render_item=rendre_pour_alembic)
    finally:
        moteur.dispose()
    assert ('sa.Column(\'budget_subvention_retenue\', sa.Numeric(precision=14, scale=2)'
            '.with_variant(sa.BigInteger(), "sqlite")') in code
    assert "instruction" not in code
