"""L'ordre par défaut de la liste des services (dépôt le plus récent d'abord, puis référence) dans un index : une
page lointaine se découpe dans l'index seul, sans trier tous les dossiers ; il sert aussi le filtre par dates.

Révision : 0007
Précédente : 0006
Créée le : 2026-11-30
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0007"
down_revision: Union[str, None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_dossiers_depot_reference", "dossiers", ["date_depot", "reference"])
    op.drop_index("ix_dossiers_date_depot", table_name="dossiers")


def downgrade() -> None:
    op.create_index("ix_dossiers_date_depot", "dossiers", ["date_depot"])
    op.drop_index("ix_dossiers_depot_reference", table_name="dossiers")
