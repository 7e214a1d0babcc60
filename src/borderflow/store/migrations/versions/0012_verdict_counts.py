"""the headline verdicts' counts by kind, kept for the verdicts' revision

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 06:50:00

The overview counts the headline verdicts by kind. At 200,000 articles on PostgreSQL that
is 2.3 million rows and 150-170 ms on every first request after any change to the store,
though a new article changes no verdict. The counts are now kept with the value of the
`checks` revision counter they were made at (every write that changes verdicts bumps
it), and read back while it has not moved. Stores upgraded from 0011 start with none:
the first overview counts and keeps them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verdict_counts",
        sa.Column("revision", sa.Integer(), primary_key=True),
        sa.Column("verdict", sa.String(24), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("verdict_counts")
