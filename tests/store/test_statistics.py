"""PostgreSQL tables filled in bulk are analysed by the store itself, so the planner keeps
using the indexes whether or not the autovacuum daemon runs (it is off on the machine
these tests were written on, and a never-analysed verdicts table made every batch of a
200,000-article check scan it whole)."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from borderflow.store import Store, statistics
from borderflow.store.statistics import FLOOR, refresh_statistics


def _analysed(store: Store) -> dict[str, bool]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                "WHERE relname IN ('checks', 'documents')"
            )
        )
        return {str(name): bool(done) for name, done in rows}


def test_a_table_changed_in_bulk_is_analysed_and_a_quiet_one_is_not(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    try:
        with store.engine.begin() as conn:
            conn.execute(text("SELECT pg_stat_force_next_flush()"))
            assert refresh_statistics(conn) == []  # a new store: nothing changed
        with store.write() as conn:  # rows enough to be due, in a table the store owns
            conn.execute(text("ALTER TABLE checks DROP CONSTRAINT checks_claim_id_fkey"))
            conn.execute(
                text(
                    'INSERT INTO checks (claim_id, "check", verdict, headline, confidence, '
                    "explanation, citations, releases, checked_at) SELECT g, 'official', "
                    "'supported', true, 0.9, '', '[]', '[]', now() "
                    "FROM generate_series(1, :n) AS g"
                ),
                {"n": 3 * FLOOR},
            )
            conn.execute(text("SELECT pg_stat_force_next_flush()"))
        # The write's own refresh may run before the server counts the rows; the next
        # write transaction's does not.
        with store.write():
            pass
        assert _analysed(store) == {"checks": True, "documents": False}
    finally:
        store.close()


def test_a_failed_refresh_does_not_fail_the_write_it_follows(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(conn: Connection) -> list[str]:
        raise OperationalError("ANALYZE", {}, Exception("server closed the connection"))

    monkeypatch.setattr(statistics, "refresh_statistics", broken)
    store = Store.open(postgres_url)
    try:
        with store.write() as conn:
            conn.execute(text("CREATE TABLE kept (x integer)"))
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM kept")).scalar() == 0
        assert "could not refresh PostgreSQL's planner statistics" in caplog.text
    finally:
        store.close()
