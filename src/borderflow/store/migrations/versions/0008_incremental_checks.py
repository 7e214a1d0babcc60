"""incremental checks: versions record the data they were checked against; a revision
counter per table updated in place

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 14:00:00

A check run now re-checks only the documents that are new, or were checked against other
data than the store holds, or whose agreement with other sources changed; each version
records the data generation its claims were last checked against. Versions stored before
this revision have none, so the first check after the upgrade checks them all.

Verdicts used to be deleted and inserted afresh on every check, so the largest verdict id
told a cache whether anything had changed. They are now updated in place, and only where
something changed: an updated or deleted verdict leaves the largest id as it was. Each
write that changes verdicts bumps the `checks` revision in the same transaction instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("document_versions") as batch:
        batch.add_column(sa.Column("checked_generation", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_versions") as batch:
        batch.drop_column("checked_generation")
    op.drop_table("revisions")
