"""content identity enforced by the store; verdicts record their data generation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 02:40:00

Stores written before this revision may hold the same content twice (two ingests at once
used to race). Those copies are removed first, keeping the earliest, so that the unique
index can be built; nothing else changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "DELETE FROM document_versions WHERE id NOT IN ("
        " SELECT MIN(id) FROM document_versions GROUP BY content_hash)"
    )
    op.execute("DELETE FROM documents WHERE id NOT IN (SELECT document_id FROM document_versions)")
    # A document whose current version was a removed copy: its newest remaining version
    # becomes current again.
    op.execute(
        "UPDATE document_versions SET is_current = TRUE WHERE id IN ("
        " SELECT MAX(v.id) FROM document_versions v GROUP BY v.document_id"
        " HAVING SUM(CASE WHEN v.is_current THEN 1 ELSE 0 END) = 0)"
    )
    op.drop_index("ix_document_versions_content_hash", table_name="document_versions")
    op.create_index(
        "ix_document_versions_content_hash", "document_versions", ["content_hash"], unique=True
    )
    op.add_column("checks", sa.Column("data_generation", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("checks", "data_generation")
    op.drop_index("ix_document_versions_content_hash", table_name="document_versions")
    op.create_index(
        "ix_document_versions_content_hash", "document_versions", ["content_hash"], unique=False
    )
