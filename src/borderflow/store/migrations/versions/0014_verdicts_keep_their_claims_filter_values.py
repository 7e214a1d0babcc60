"""verdicts keep their claim's filter values, with an index on each and the verdict kind

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 03:00:00

A claim filter with a verdict kind (`/claims?measure=change&verdict=conflict`, and the
same pair in the verdicts' listings) had no index holding both: a page was found by
reading one side in order and testing the other, so a pair that seldom meets read a
whole side, 13 s for one page at 200,000 articles. Each verdict now keeps a copy of its
claim's measure, substance, agency and corridor (claims are never changed once stored),
and an index on (value, verdict, claim id, id, headline) per column gives such a page,
and its count, as one range. This migration copies the values of the verdicts already
stored; `store.checks` writes them with every new verdict.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# The claim columns, as the store had them at this revision (schema.FACETED).
_FACETED = {"measure": sa.String(32), "substance": sa.Text(), "agency": sa.Text(),
            "corridor": sa.Text()}  # fmt: skip


def upgrade() -> None:
    for name, kind in _FACETED.items():
        op.add_column("checks", sa.Column(f"claim_{name}", kind, nullable=True))
    copied = ", ".join(f"claim_{name}" for name in _FACETED)
    read = ", ".join(_FACETED)
    op.execute(
        f"UPDATE checks SET ({copied}) = (SELECT {read} FROM claims"
        " WHERE claims.id = checks.claim_id)"
    )
    for name in _FACETED:
        op.create_index(
            f"ix_checks_claim_{name}", "checks",
            [f"claim_{name}", "verdict", "claim_id", "id", "headline"],
        )  # fmt: skip
    if op.get_bind().dialect.name == "postgresql":
        # Every row was rewritten: a server that only reads would otherwise plan the new
        # columns without statistics until autovacuum came by.
        op.execute("ANALYZE checks")


def downgrade() -> None:
    for name in _FACETED:
        op.drop_index(f"ix_checks_claim_{name}", table_name="checks")
    with op.batch_alter_table("checks") as batch:
        for name in _FACETED:
            batch.drop_column(f"claim_{name}")
