"""The planner's statistics of PostgreSQL tables that borderflow fills in bulk.

PostgreSQL picks a plan from each table's statistics, which ANALYZE gathers and the
autovacuum daemon refreshes, when it runs: it can be switched off, and it lags behind a
bulk load. A table never analysed has none, and the planner guesses. At 200,000 articles
that guess turned the check's read of a batch's verdicts (`claim_id IN (...)`, an index
lookup) into a scan of a million verdicts for every batch: a check that should take
minutes took hours (benchmarks/RESULTS.md). So after each write transaction the store
analyses any table whose rows changed by more than a fifth since it was last analysed,
as the autovacuum daemon would: one query to the statistics view when nothing is due.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

# A table is analysed again once this share of its rows (and at least FLOOR rows) changed.
STALE_SHARE = 0.2
FLOOR = 1000

_DUE = text(
    "SELECT relname FROM pg_stat_user_tables "
    "WHERE schemaname = current_schema() "
    "AND n_mod_since_analyze > GREATEST(:floor, :share * n_live_tup)"
)


def refresh_after_write(engine: Engine) -> None:
    """After a write transaction: on PostgreSQL, analyse what is due. A failure here is
    logged, not raised: the write is stored, and statistics only help the planner."""
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.begin() as conn:
            refresh_statistics(conn)
    except SQLAlchemyError as exc:
        log.warning("could not refresh PostgreSQL's planner statistics: %s", exc)


def refresh_statistics(conn: Connection) -> list[str]:
    """Analyse the tables of a PostgreSQL store whose statistics are out of date; returns
    their names."""
    due = [str(name) for (name,) in conn.execute(_DUE, {"floor": FLOOR, "share": STALE_SHARE})]
    for name in due:
        conn.execute(text(f'ANALYZE "{name}"'))
    return due
