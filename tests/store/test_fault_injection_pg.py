"""Processes killed at random points on PostgreSQL (issue 12): see
`tests.store.fault_run`. 20 kills spread over ingest, import and re-check; every database
made is dropped at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import _Drops
from tests.store.fault_run import PostgresStores, killed_and_rerun

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)


def test_killed_at_random_points_then_rerun_equals_a_clean_run(
    postgres_url: str, tmp_path: Path, _pg_drops: _Drops
) -> None:
    """`postgres_url` skips (or fails under CI) without a server."""
    pg = PostgresStores()
    try:
        killed_and_rerun(pg.new, tmp_path)
    finally:
        pg.close(_pg_drops)
