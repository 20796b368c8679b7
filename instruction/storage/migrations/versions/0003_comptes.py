"""Les comptes et leurs comités, les jetons d'API, les sessions du site, les échecs de connexion et le journal
d'audit.

Révision : 0003
Précédente : 0002
Créée le : 2026-12-01

Comme 0001, les types sont redéclarés ici : la migration fige le schéma, elle n'importe pas `tables.py`.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _horodatage() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _id(table: str) -> tuple[sa.Column, sa.PrimaryKeyConstraint]:
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def _compte_id(table: str, nullable: bool) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return (sa.Column("compte_id", sa.Integer(), nullable=nullable),
            sa.ForeignKeyConstraint(["compte_id"], ["comptes.id"], name=f"fk_{table}_compte_id_comptes"))


def upgrade() -> None:
    op.create_table(
        "comptes", *_id("comptes"),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("nom", sa.Text(), nullable=False),
        sa.Column("hash_mot_de_passe", sa.String(), nullable=False),
        sa.Column("actif", sa.Boolean(), nullable=False),
        sa.Column("cree_le", _horodatage(), nullable=False),
        sa.Column("confirme_le", _horodatage(), nullable=True),
        sa.Column("confirmation", sa.String(), nullable=True),
        sa.UniqueConstraint("email", name="uq_comptes_email"),
        sa.UniqueConstraint("confirmation", name="uq_comptes_confirmation"),
    )
    op.create_table(
        "compte_comites",
        *_compte_id("compte_comites", nullable=False),
        sa.Column("comite", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("compte_id", "comite", name="pk_compte_comites"),
    )
    op.create_table(
        "jetons_api", *_id("jetons_api"),
        sa.Column("prefixe", sa.String(), nullable=False),
        sa.Column("empreinte", sa.String(), nullable=False),
        sa.Column("nom", sa.Text(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        *_compte_id("jetons_api", nullable=True),
        sa.Column("cree_par", sa.String(), nullable=False),
        sa.Column("cree_le", _horodatage(), nullable=False),
        sa.Column("revoque_le", _horodatage(), nullable=True),
        sa.Column("utilise_le", _horodatage(), nullable=True),
        sa.UniqueConstraint("prefixe", name="uq_jetons_api_prefixe"),
        sa.UniqueConstraint("empreinte", name="uq_jetons_api_empreinte"),
    )
    op.create_table(
        "sessions", *_id("sessions"),
        sa.Column("empreinte", sa.String(), nullable=False),
        *_compte_id("sessions", nullable=True),
        sa.Column("csrf", sa.String(), nullable=False),
        sa.Column("adresse", sa.String(), nullable=True),
        sa.Column("cree_le", _horodatage(), nullable=False),
        sa.Column("vu_le", _horodatage(), nullable=False),
        sa.Column("expire_le", _horodatage(), nullable=False),
        sa.UniqueConstraint("empreinte", name="uq_sessions_empreinte"),
    )
    op.create_index("ix_sessions_compte_id", "sessions", ["compte_id"], unique=False)
    op.create_index("ix_sessions_expire_le", "sessions", ["expire_le"], unique=False)
    op.create_table(
        "tentatives_connexion", *_id("tentatives_connexion"),
        sa.Column("cle", sa.String(), nullable=False),
        sa.Column("quand", _horodatage(), nullable=False),
    )
    op.create_index("ix_tentatives_connexion_cle", "tentatives_connexion", ["cle"], unique=False)
    op.create_index("ix_tentatives_connexion_quand", "tentatives_connexion", ["quand"], unique=False)
    op.create_table(
        "journal_audit", *_id("journal_audit"),
        sa.Column("genre", sa.String(), nullable=False),
        sa.Column("quand", _horodatage(), nullable=False),
        sa.Column("acteur", sa.String(), nullable=False),
        sa.Column("adresse", sa.String(), nullable=True),
        sa.Column("cible", sa.String(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_journal_audit_quand", "journal_audit", ["quand"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_journal_audit_quand", table_name="journal_audit")
    op.drop_table("journal_audit")
    op.drop_index("ix_tentatives_connexion_quand", table_name="tentatives_connexion")
    op.drop_index("ix_tentatives_connexion_cle", table_name="tentatives_connexion")
    op.drop_table("tentatives_connexion")
    op.drop_index("ix_sessions_expire_le", table_name="sessions")
    op.drop_index("ix_sessions_compte_id", table_name="sessions")
    op.drop_table("sessions")
    op.drop_table("jetons_api")
    op.drop_table("compte_comites")
    op.drop_table("comptes")
