"""Schéma initial : dossiers et leur historique, comités, jeux de règles.

Révision : 0001
Précédente : aucune
Créée le : 2026-11-23

Écrite à partir de la comparaison d'Alembic avec `instruction/storage/tables.py`, puis relue ;
elle fige ce schéma : les types sont redéclarés ici, pas importés du code qui évoluera.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON(none_as_null=True)


def _montant() -> sa.types.TypeEngine:
    # Exact amounts: NUMERIC(14, 2) on PostgreSQL; on SQLite, whose NUMERIC stores a REAL, integer cents.
    return sa.Numeric(precision=14, scale=2).with_variant(sa.BigInteger(), "sqlite")


def _horodatage() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _id(table: str) -> tuple[sa.Column, sa.PrimaryKeyConstraint]:
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def _dossier_id(table: str) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return (sa.Column("dossier_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=f"fk_{table}_dossier_id_dossiers"))


def _historique(table: str, *colonnes: sa.Column) -> None:
    """Une table d'historique d'un dossier : numérotée de 1 à n par dossier, horodatée."""
    op.create_table(
        table, *_id(table), *_dossier_id(table),
        sa.Column("numero", sa.Integer(), nullable=False),
        *colonnes,
        sa.UniqueConstraint("dossier_id", "numero", name=f"uq_{table}_dossier_id_numero"),
    )


def upgrade() -> None:
    op.create_table(
        "dossiers", *_id("dossiers"),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("etat", sa.String(), nullable=False),
        sa.Column("date_depot", sa.Date(), nullable=True),
        sa.Column("porteur_nom", sa.Text(), nullable=True),
        sa.Column("porteur_type", sa.String(), nullable=True),
        sa.Column("porteur_siret", sa.String(), nullable=True),
        sa.Column("porteur_taille", sa.String(), nullable=True),
        sa.Column("porteur_rayonnement", sa.String(), nullable=True),
        sa.Column("porteur_aides_minimis_3_ans", _montant(), nullable=True),
        sa.Column("projet_titre", sa.Text(), nullable=True),
        sa.Column("projet_description", sa.Text(), nullable=True),
        sa.Column("projet_commune_insee", sa.String(), nullable=True),
        sa.Column("projet_nature", sa.String(), nullable=True),
        sa.Column("projet_secteur", sa.String(), nullable=True),
        sa.Column("projet_hebergement_type", sa.String(), nullable=True),
        sa.Column("projet_clienteles", _json(), nullable=True),
        sa.Column("projet_thematiques", _json(), nullable=True),
        sa.Column("projet_transition_ecologique", sa.Boolean(), nullable=True),
        sa.Column("projet_diagnostic_environnemental", sa.Boolean(), nullable=True),
        sa.Column("projet_accessibilite", sa.Boolean(), nullable=True),
        sa.Column("projet_labels", _json(), nullable=True),
        sa.Column("projet_date_debut_travaux", sa.Date(), nullable=True),
        sa.Column("budget_cout_total_ht", _montant(), nullable=True),
        sa.Column("budget_depenses_investissement", _montant(), nullable=True),
        sa.Column("budget_montant_sollicite", _montant(), nullable=True),
        sa.Column("budget_financements_renseignes", sa.Boolean(), nullable=False),
        sa.Column("cree_le", _horodatage(), nullable=False),
        sa.Column("modifie_le", _horodatage(), nullable=False),
        sa.UniqueConstraint("reference", name="uq_dossiers_reference"),
    )
    op.create_index("ix_dossiers_etat", "dossiers", ["etat"], unique=False)

    op.create_table(
        "financements", *_id("financements"), *_dossier_id("financements"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("financeur", sa.String(), nullable=False),
        sa.Column("montant", _montant(), nullable=False),
        sa.Column("statut", sa.String(), nullable=False),
        sa.UniqueConstraint("dossier_id", "position", name="uq_financements_dossier_id_position"),
    )
    _historique(
        "transitions",
        sa.Column("de", sa.String(), nullable=True),
        sa.Column("vers", sa.String(), nullable=False),
        sa.Column("auteur", sa.String(), nullable=False),
        sa.Column("quand", _horodatage(), nullable=False),
        sa.Column("motif", sa.Text(), nullable=False),
    )
    _historique(
        "evaluations",
        sa.Column("version_regles", sa.String(), nullable=False),
        sa.Column("date_reference", sa.Date(), nullable=False),
        sa.Column("avis", sa.String(), nullable=True),
        sa.Column("auteur", sa.String(), nullable=False),
        sa.Column("quand", _horodatage(), nullable=False),
        sa.Column("resultat", _json(), nullable=False),
        sa.Column("donnees", _json(), nullable=False),
    )
    _historique(
        "corrections",
        sa.Column("genre", sa.String(), nullable=False),
        sa.Column("cible", sa.String(), nullable=True),
        sa.Column("valeur", sa.Text(), nullable=False),
        sa.Column("valeur_calculee", sa.String(), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("auteur", sa.String(), nullable=False),
        sa.Column("quand", _horodatage(), nullable=False),
        sa.Column("evaluation", sa.Integer(), nullable=False),
        sa.Column("a_revoir", sa.Boolean(), nullable=False),
        sa.Column("motif_revue", sa.Text(), nullable=False),
        sa.Column("retiree", sa.Boolean(), nullable=False),
        sa.Column("retrait", sa.Text(), nullable=False),
    )
    _historique(
        "decisions",
        sa.Column("financeur", sa.String(), nullable=False),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("motif", sa.Text(), nullable=False),
        sa.Column("auteur", sa.String(), nullable=False),
        sa.Column("quand", _horodatage(), nullable=False),
        sa.Column("comite", sa.String(), nullable=True),
    )

    op.create_table(
        "comites", *_id("comites"),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("contrat", sa.String(), nullable=False),
        sa.Column("controles", _json(), nullable=False),
        sa.Column("evalue_le", _horodatage(), nullable=True),
        sa.Column("version_regles", sa.String(), nullable=True),
        sa.UniqueConstraint("code", name="uq_comites_code"),
    )
    op.create_table(
        "comite_membres", *_id("comite_membres"),
        sa.Column("comite_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("structure", sa.String(), nullable=False),
        sa.Column("representant", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["comite_id"], ["comites.id"], name="fk_comite_membres_comite_id_comites"),
        sa.UniqueConstraint("comite_id", "position", name="uq_comite_membres_comite_id_position"),
    )
    op.create_table(
        "ordre_du_jour",
        sa.Column("comite_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *_dossier_id("ordre_du_jour"),
        sa.ForeignKeyConstraint(["comite_id"], ["comites.id"], name="fk_ordre_du_jour_comite_id_comites"),
        sa.PrimaryKeyConstraint("comite_id", "position", name="pk_ordre_du_jour"),
        sa.UniqueConstraint("comite_id", "dossier_id", name="uq_ordre_du_jour_comite_id_dossier_id"),
    )
    op.create_index("ix_ordre_du_jour_dossier_id", "ordre_du_jour", ["dossier_id"], unique=False)

    op.create_table(
        "jeux_regles",
        sa.Column("empreinte", sa.String(), nullable=False),
        sa.Column("fichiers", _json(), nullable=False),
        sa.Column("conserve_le", _horodatage(), nullable=False),
        sa.PrimaryKeyConstraint("empreinte", name="pk_jeux_regles"),
    )


def downgrade() -> None:
    op.drop_table("jeux_regles")
    op.drop_index("ix_ordre_du_jour_dossier_id", table_name="ordre_du_jour")
    op.drop_table("ordre_du_jour")
    op.drop_table("comite_membres")
    op.drop_table("comites")
    for table in ("decisions", "corrections", "evaluations", "transitions", "financements"):
        op.drop_table(table)
    op.drop_index("ix_dossiers_etat", table_name="dossiers")
    op.drop_table("dossiers")
