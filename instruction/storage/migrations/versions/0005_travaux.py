"""Les travaux par lots des services (évaluer, passer en instruction, inscrire) et leur progression.

Révision : 0005
Précédente : 0004
Créée le : 2026-11-30

Comme 0001, les types sont redéclarés ici : la migration fige le schéma, elle n'importe pas `tables.py`.
"""
from typing import Sequence, Union

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
