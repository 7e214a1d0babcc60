"""verdicts supported with a caveat store the caveat on its own

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 08:20:00

Verdicts stored before this revision have no caveat; their data generation is cleared so
that they count as stale: the next `borderflow check`, `ingest` or `data import` redoes
them and fills it in. Until then a page shows such a verdict's explanation as its caveat.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("checks", sa.Column("caveat", sa.Text(), nullable=True))
    op.execute("UPDATE checks SET data_generation = NULL")


def downgrade() -> None:
    op.drop_column("checks", "caveat")
