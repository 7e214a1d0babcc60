"""Stored model fits: each run keeps the spec text, data releases, settings, diagnostics,
estimates and posterior draws together, so a result can always be traced to its inputs.

Every run is kept, but only a converged one is used (`records.convergence`): a failed fit
stays for the record, and whatever reads "the fit" (the claim checks, the web app, the
report, the scenarios) reads the newest converged run, or has no model estimate.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select

from borderflow.errors import NotFoundError
from borderflow.records.estimates import Estimate, FitInUse, ModelRun
from borderflow.store import Store
from borderflow.store.schema import ModelRun as ModelRunRow

_RUNS = cast(Table, ModelRunRow.__table__)


def save_run(store: Store, run: ModelRun) -> int:
    """Insert one run in a single transaction and return its id."""
    row = {
        "spec_name": run.spec_name, "spec_sha256": run.spec_sha256, "spec_text": run.spec_text,
        "years": list(run.years), "fit_years": list(run.fit_years), "settings": run.settings,
        "releases": list(run.releases), "diagnostics": run.diagnostics,
        "summary": [e.as_record() for e in run.estimates], "observed": run.observed,
        "seconds": run.seconds, "converged": run.converged, "posterior": run.posterior,
        "created_at": datetime.now(UTC),
    }  # fmt: skip
    with store.write() as conn:
        result = conn.execute(insert(_RUNS).values(**row))
        key = result.inserted_primary_key
        return int(key[0]) if key else 0


def latest_run(
    store: Store, *, with_posterior: bool = True, usable: bool = True
) -> ModelRun | None:
    """The fit in use: the newest converged run (None when no run converged); with
    `usable=False` the newest run of any kind. Without its draws (a few MB) unless asked
    for."""
    query = select(*_columns(with_posterior)).order_by(_RUNS.c.id.desc()).limit(1)
    if usable:
        query = query.where(_RUNS.c.converged.is_(True))
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else _run(row._mapping)


def run_by_id(store: Store, run_id: int, *, with_posterior: bool = False) -> ModelRun:
    """One run, converged or not (to show a failed fit for the record)."""
    query = select(*_columns(with_posterior)).where(_RUNS.c.id == run_id)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise NotFoundError(f"no model run {run_id} (see `borderflow model show`)")
    return _run(row._mapping)


def fit_in_use(store: Store) -> FitInUse:
    """The fit in use (the newest converged run) and, when the newest run failed, that
    one too: what a face needs to show the estimates, or to say why there are none."""
    run = latest_run(store, with_posterior=False)
    newest = latest_run(store, with_posterior=False, usable=False)
    failed = newest if newest is not None and not newest.converged else None
    return FitInUse(run, failed)


def _columns(with_posterior: bool) -> list[Any]:
    return [c for c in _RUNS.c if with_posterior or c.name != "posterior"]


def _run(row: Any) -> ModelRun:
    return ModelRun(
        spec_name=row["spec_name"], spec_sha256=row["spec_sha256"], spec_text=row["spec_text"],
        years=tuple(row["years"]), fit_years=tuple(row["fit_years"]), settings=row["settings"],
        releases=tuple(row["releases"]), diagnostics=row["diagnostics"],
        estimates=tuple(Estimate.from_record(r) for r in row["summary"]),
        observed=row["observed"], seconds=row["seconds"], converged=bool(row["converged"]),
        posterior=row.get("posterior"), id=row["id"], created_at=row["created_at"],
    )  # fmt: skip


def share_estimates(store: Store) -> tuple[int, dict[int, tuple[float, float, float]]] | None:
    """The fit in use's estimate of Canada's share of the fentanyl reaching the U.S.: run
    id and, per fitted fiscal year, (median, 5%, 95%). None while no fit has converged
    (the checks then abstain, as before any fit). Read from the stored estimates, so the
    claim checks need not load the model."""
    run = latest_run(store, with_posterior=False)
    if run is None or run.id is None:
        return None
    shares = {
        e.fy: (e.median, e.low, e.high)
        for e in run.estimates_of("canada_share")
        if e.fitted and e.fy is not None
    }
    return run.id, shares
