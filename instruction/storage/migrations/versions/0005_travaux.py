"""Les travaux par lots des services (évaluer, passer en instruction, inscrire) et leur progression ; les
colonnes de résumé de la liste des dossiers (avis et statuts retenus, corrections à revoir, nombre
d'évaluations, texte de recherche) et les index de ses filtres.

Révision : 0005
Précédente : 0004
Créée le : 2026-11-30

Comme 0001, les types sont redéclarés ici : la migration fige le schéma, elle n'importe pas `tables.py`.
Les résumés des dossiers déjà en base sont calculés à la fin de la mise à jour par le dépôt des dossiers
(`remplir_resumes`) : ce sont des copies de ce que le domaine retient (l'avis corrigé…), que seul le
domaine sait calculer.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

RESUME = (("avis_retenu", sa.String()), ("statuts_retenus", sa.String()), ("corrections_a_revoir", sa.Integer()),
          ("nombre_evaluations", sa.Integer()), ("texte_recherche", sa.Text()))
INDEX = (("ix_dossiers_date_depot", "date_depot"), ("ix_dossiers_avis_retenu", "avis_retenu"),
         ("ix_dossiers_projet_commune_insee", "projet_commune_insee"),
         ("ix_dossiers_corrections_a_revoir", "corrections_a_revoir"))


def _horodatage() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    for nom, type_ in RESUME:
        op.add_column("dossiers", sa.Column(nom, type_, nullable=True))
    for nom, colonne in INDEX:
        op.create_index(nom, "dossiers", [colonne])
    op.create_table(
        "travaux",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nature", sa.String(), nullable=False),
        sa.Column("libelle", sa.Text(), nullable=False),
        sa.Column("compte", sa.String(), nullable=False),
        sa.Column("auteur", sa.String(), nullable=False),
        sa.Column("parametres", sa.JSON(none_as_null=True), nullable=False),
        sa.Column("etat", sa.String(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("faits", sa.Integer(), nullable=False),
        sa.Column("echecs", sa.Integer(), nullable=False),
        sa.Column("processus", sa.String(), nullable=False),
        sa.Column("cree_le", _horodatage(), nullable=False),
        sa.Column("battement", _horodatage(), nullable=False),
        sa.Column("fini_le", _horodatage(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_travaux"),
    )
    op.create_index("ix_travaux_cree_le", "travaux", ["cree_le"])
    op.create_table(
        "travaux_elements",
        sa.Column("travail_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("element", sa.Text(), nullable=False),
        sa.Column("etat", sa.String(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("fini_le", _horodatage(), nullable=True),
        sa.ForeignKeyConstraint(["travail_id"], ["travaux.id"], name="fk_travaux_elements_travail_id_travaux"),
        sa.PrimaryKeyConstraint("travail_id", "position", name="pk_travaux_elements"),
    )
    # The summaries of the dossiers already stored: the domain computes them (retained avis and statuses).
    from instruction.storage.entrepot_dossiers import remplir_resumes
    remplir_resumes(op.get_bind())


def downgrade() -> None:
    op.drop_table("travaux_elements")
    op.drop_index("ix_travaux_cree_le", table_name="travaux")
    op.drop_table("travaux")
    for nom, _ in reversed(INDEX):
        op.drop_index(nom, table_name="dossiers")
    # SQLite rewrites the table to drop a column: batch mode does that there, ALTER TABLE elsewhere.
    with op.batch_alter_table("dossiers") as lot:
        for nom, _ in reversed(RESUME):
            lot.drop_column(nom)
