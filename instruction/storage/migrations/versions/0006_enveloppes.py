"""Les enveloppes budgétaires des réunions du comité, par financeur et dispositif ; le montant accordé par une
décision et l'enveloppe qu'il consomme.

Révision : 0006
Précédente : 0005
Créée le : 2026-11-30

Comme 0001, les types sont redéclarés ici : la migration fige le schéma, elle n'importe pas `tables.py`.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _montant() -> sa.types.TypeEngine:
    # Exact amounts: NUMERIC(14, 2) on PostgreSQL; on SQLite, whose NUMERIC stores a REAL, integer cents.
    return sa.Numeric(precision=14, scale=2).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "comite_enveloppes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comite_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("financeur", sa.String(), nullable=False),
        sa.Column("dispositif", sa.Text(), nullable=False),
        sa.Column("montant", _montant(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_comite_enveloppes"),
        sa.ForeignKeyConstraint(["comite_id"], ["comites.id"], name="fk_comite_enveloppes_comite_id_comites"),
        sa.UniqueConstraint("comite_id", "position", name="uq_comite_enveloppes_comite_id_position"),
        sa.UniqueConstraint("comite_id", "financeur", "dispositif",
                            name="uq_comite_enveloppes_comite_id_financeur_dispositif"),
    )
    # batch mode: SQLite cannot ALTER a table in place beyond adding a column, and stays uniform.
    with op.batch_alter_table("decisions") as lot:
        lot.add_column(sa.Column("montant", _montant(), nullable=True))
        lot.add_column(sa.Column("dispositif", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as lot:
        lot.drop_column("dispositif")
        lot.drop_column("montant")
    op.drop_table("comite_enveloppes")
