"""the verdicts in the order a reader should see them, from an index

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 05:30:00

`borderflow check` lists the twenty verdicts most in need of a reader, kind by kind
(problems first), each kind by confidence. The verdicts of one kind were all read and
sorted to list twenty: 0.16 s at 20,000 articles on PostgreSQL, growing with the store,
and paid by every check, even one with nothing new. The index on (verdict, headline)
becomes one on (verdict, headline, confidence, claim_id, id): read backwards it gives one
kind's verdicts most confident first, newest claims first among equals, so twenty are
twenty index entries. Counts by verdict read the same index as before, by its prefix.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_COLUMNS = ["verdict", "headline", "confidence", "claim_id", "id"]


def upgrade() -> None:
    op.drop_index("ix_checks_verdict_headline", table_name="checks")
    op.create_index("ix_checks_by_attention", "checks", _COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_checks_by_attention", table_name="checks")
    op.create_index("ix_checks_verdict_headline", "checks", ["verdict", "headline"])
