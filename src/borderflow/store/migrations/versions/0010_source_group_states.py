"""what the comparison between sources keeps of each group between runs

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 20:05:00

A group of seizure claims (one agency, substance and border) was judged again whole, two
reads of every claim, whenever one claim was added. Each judged group now keeps its
statements, its claims' ids and documents by statement, and the evidence each statement
was judged on (`checks.source_state.GroupState`, numpy arrays and JSON, never a pickle).
A group that has since only gained claims from newer documents is judged from the kept
state and the new claims alone. Stores upgraded from 0009 have no state yet: each group is
judged whole once, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_group_states",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("state", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_group_states")
