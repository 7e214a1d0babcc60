"""model runs record whether they converged; only converged runs are used

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:30:00

Runs stored before this revision are judged from their stored diagnostics by the same
rule a new fit is (`borderflow.records.convergence`), so a failed fit made earlier stops
being used as soon as the store is upgraded. Verdicts are not touched: the next check
finds them stale if the fit they used is no longer the one in use.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from borderflow.records.convergence import converged

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "model_runs",
        sa.Column("converged", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    runs = sa.table(
        "model_runs", sa.column("id", sa.Integer()), sa.column("diagnostics", sa.JSON()),
        sa.column("converged", sa.Boolean()),
    )  # fmt: skip
    connection = op.get_bind()
    passed = [
        run_id
        for run_id, diagnostics in connection.execute(sa.select(runs.c.id, runs.c.diagnostics))
        if isinstance(diagnostics, dict) and converged(diagnostics)
    ]
    if passed:
        connection.execute(runs.update().where(runs.c.id.in_(passed)).values(converged=True))


def downgrade() -> None:
    op.drop_column("model_runs", "converged")
