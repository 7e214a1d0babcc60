"""Stored model fits: each run keeps the spec text, data releases, settings, diagnostics,
summary and posterior draws together, so a result can always be traced to its inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select

from borderflow.store import Store
from borderflow.store.schema import ModelRun

_RUNS = cast(Table, ModelRun.__table__)


def save_run(store: Store, record: dict[str, Any]) -> int:
    """Insert one run in a single transaction and return its id."""
    with store.engine.begin() as conn:
        result = conn.execute(insert(_RUNS).values(created_at=datetime.now(UTC), **record))
        key = result.inserted_primary_key
        return int(key[0]) if key else 0


def latest_run(store: Store, *, with_posterior: bool = True) -> dict[str, Any] | None:
    columns = [c for c in _RUNS.c if with_posterior or c.name != "posterior"]
    query = select(*columns).order_by(_RUNS.c.id.desc()).limit(1)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    return dict(row._mapping) if row else None


def share_estimates(store: Store) -> tuple[int, dict[int, tuple[float, float, float]]] | None:
    """The latest fit's estimate of Canada's share of the fentanyl reaching the U.S.: run
    id and, per fitted fiscal year, (median, 5%, 95%). None before any fit. Read from the
    stored summary, so the claim checks need not load the model."""
    run = latest_run(store, with_posterior=False)
    if run is None:
        return None
    shares = {
        int(row["fy"]): (float(row["median"]), float(row["low"]), float(row["high"]))
        for row in run["summary"]
        if row["quantity"] == "canada_share" and row.get("fitted")
    }
    return int(run["id"]), shares
