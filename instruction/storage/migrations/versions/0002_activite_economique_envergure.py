"""Deux champs facultatifs ajoutés au dossier : l'activité économique du porteur (de minimis) et
l'envergure du projet (PRIT) ; le compte du porteur qui dépose le dossier (la politique d'accès) ; et la
réunion qui fait un passage d'état (inscription, retrait, décision) ; la présence des membres d'un comité.

Révision : 0002
Précédente : 0001
Créée le : 2026-11-30
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER a table in place beyond adding a column, and stays uniform.
    with op.batch_alter_table("dossiers") as lot:
        lot.add_column(sa.Column("porteur_activite_economique", sa.Boolean(), nullable=True))
        lot.add_column(sa.Column("projet_envergure", sa.String(), nullable=True))
        lot.add_column(sa.Column("proprietaire", sa.String(), nullable=True))
        lot.create_index("ix_dossiers_proprietaire", ["proprietaire"])
    with op.batch_alter_table("transitions") as lot:
        lot.add_column(sa.Column("comite", sa.String(), nullable=True))
    with op.batch_alter_table("comite_membres") as lot:
        lot.add_column(sa.Column("present", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comite_membres") as lot:
        lot.drop_column("present")
    with op.batch_alter_table("transitions") as lot:
        lot.drop_column("comite")
    with op.batch_alter_table("dossiers") as lot:
        lot.drop_index("ix_dossiers_proprietaire")
        lot.drop_column("proprietaire")
        lot.drop_column("projet_envergure")
        lot.drop_column("porteur_activite_economique")
