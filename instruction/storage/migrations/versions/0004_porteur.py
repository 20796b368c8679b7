"""Le parcours du porteur : brouillons versionnés, pièces jointes, messages, demandes de compléments.

Révision : 0004
Précédente : 0003
Créée le : 2026-11-30

Comme 0001, les types sont redéclarés ici : la migration fige le schéma, elle n'importe pas `tables.py`.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON(none_as_null=True)


def _horodatage() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _id(table: str) -> tuple[sa.Column, sa.PrimaryKeyConstraint]:
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def _dossier_id(table: str) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return (sa.Column("dossier_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=f"fk_{table}_dossier_id_dossiers"))


def _historique(table: str, *colonnes: sa.Column) -> None:
    """Une table numérotée de 1 à n par dossier."""
    op.create_table(
        table, *_id(table), *_dossier_id(table),
        sa.Column("numero", sa.Integer(), nullable=False),
        *colonnes,
        sa.UniqueConstraint("dossier_id", "numero", name=f"uq_{table}_dossier_id_numero"),
    )


def upgrade() -> None:
    op.create_table(
        "brouillons", *_id("brouillons"), *_dossier_id("brouillons"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("etapes", _json(), nullable=False),
        sa.Column("derniere_etape", sa.String(), nullable=True),
        sa.Column("evaluation_depot", sa.Integer(), nullable=True),
        sa.Column("depose_le", _horodatage(), nullable=True),
        sa.Column("modifie_le", _horodatage(), nullable=False),
        sa.UniqueConstraint("dossier_id", name="uq_brouillons_dossier_id"),
    )
    _historique(
        "pieces",
        sa.Column("piece", sa.Text(), nullable=False),
        sa.Column("nom_fichier", sa.Text(), nullable=False),
        sa.Column("type_media", sa.String(), nullable=False),
        sa.Column("taille", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("contenu", sa.LargeBinary(), nullable=False),
        sa.Column("depose_par", sa.String(), nullable=False),
        sa.Column("depose_le", _horodatage(), nullable=False),
        sa.Column("retiree_le", _horodatage(), nullable=True),
    )
    _historique(
        "messages",
        sa.Column("auteur", sa.String(), nullable=False),
        sa.Column("cote", sa.String(), nullable=False),
        sa.Column("texte", sa.Text(), nullable=False),
        sa.Column("ecrit_le", _horodatage(), nullable=False),
    )
    _historique(
        "demandes_complements",
        sa.Column("champs", _json(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("auteur", sa.String(), nullable=False),
        sa.Column("demandee_le", _horodatage(), nullable=False),
        sa.Column("repondue_le", _horodatage(), nullable=True),
        sa.Column("repondue_par", sa.String(), nullable=True),
        sa.Column("reponse", sa.Text(), nullable=False),
        sa.Column("donnees_avant", _json(), nullable=True),
        sa.Column("donnees_apres", _json(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("demandes_complements")
    op.drop_table("messages")
    op.drop_table("pieces")
    op.drop_table("brouillons")
