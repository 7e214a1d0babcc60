"""Processes killed at random points on SQLite (issue 12): see `tests.store.fault_run`.
20 kills spread over ingest, import and re-check."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.fault_run import SqliteStores, killed_and_rerun

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)


def test_killed_at_random_points_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    killed_and_rerun(SqliteStores(tmp_path).new, tmp_path)
