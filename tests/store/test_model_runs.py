"""Only a converged fit is used (issue 15, item 1), on SQLite and PostgreSQL: a failed fit
is kept for the record, but the fit in use, the claim checks' estimate and the data the
verdicts were made from all come from the newest converged run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import JSON, DateTime, Float, Integer, LargeBinary, Text, column, table

from borderflow.checks.data import load_official
from borderflow.errors import NotFoundError
from borderflow.store import Store
from borderflow.store.database import alembic_config, create_store_engine
from borderflow.store.model_runs import (
    fit_in_use,
    latest_run,
    run_by_id,
    save_run,
    share_estimates,
)
from tests.store.runs import FAILING, FAILING_WORDS, PASSING, model_run


def test_a_failed_fit_alone_is_kept_but_not_used(store: Store) -> None:
    failed = save_run(store, model_run(FAILING))
    assert latest_run(store) is None
    assert share_estimates(store) is None
    assert load_official(store).model_run is None  # the share checks abstain
    newest = latest_run(store, with_posterior=False, usable=False)
    assert newest is not None and newest.id == failed and not newest.converged
    assert run_by_id(store, failed).failures() == FAILING_WORDS.split("; ")
    assert fit_in_use(store).missing() == (
        f"no usable model fit in this store: model run {failed} did not converge "
        f"({FAILING_WORDS}), so it is not used; fit again with `borderflow model fit`: run "
        "longer (`--warmup 2000 --draws 2000`), with more chains (`--chains 8`), or with "
        "another `--seed`"
    )


def test_an_older_converged_fit_is_used_over_a_newer_failed_one(store: Store) -> None:
    used = save_run(store, model_run(PASSING, share=0.02))
    before = store.data_generation()
    failed = save_run(store, model_run(FAILING, share=0.5))
    run = latest_run(store, with_posterior=False)
    assert run is not None and run.id == used and run.converged
    assert share_estimates(store) == (used, {2024: (0.02, 0.01, 0.04)})
    # The failed fit changes nothing verdicts are made from, so none turn stale.
    assert store.data_generation() == before
    found = fit_in_use(store)
    assert found.run is not None and found.run.id == used
    assert found.failed is not None and found.failed.id == failed
    assert found.note() == (
        f"a newer fit, model run {failed} did not converge ({FAILING_WORDS}), so it is not "
        f"used: the estimates are those of model run {used}, the newest fit that converged"
    )
    newest = latest_run(store, usable=False)
    assert newest is not None and newest.id == failed


def test_a_new_converged_fit_is_used_and_makes_verdicts_stale(store: Store) -> None:
    save_run(store, model_run(FAILING))
    before = store.data_generation()
    used = save_run(store, model_run(PASSING))
    assert store.data_generation() != before
    found = fit_in_use(store)
    assert found.run is not None and found.run.id == used and found.failed is None
    assert found.note() is None


def test_no_fit_at_all(store: Store) -> None:
    assert fit_in_use(store).missing() == (
        "no model fit in this store yet; run `borderflow model fit`"
    )
    with pytest.raises(NotFoundError, match="no model run 3"):
        run_by_id(store, 3)


_RUNS = table(
    "model_runs", column("id", Integer), column("created_at", DateTime(timezone=True)),
    column("spec_name", Text), column("spec_sha256", Text), column("spec_text", Text),
    column("years", JSON), column("fit_years", JSON), column("settings", JSON),
    column("releases", JSON), column("diagnostics", JSON), column("summary", JSON),
    column("observed", JSON), column("seconds", Float), column("posterior", LargeBinary),
)  # fmt: skip


def test_migration_judges_the_runs_stored_before_it(store_url: str) -> None:
    """Runs stored before the `converged` column are judged from their diagnostics by the
    same rule: a failed fit made earlier stops being used when the store is upgraded."""
    engine = create_store_engine(store_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    with engine.begin() as conn:
        for run_id, diagnostics in ((1, PASSING), (2, FAILING), (3, {"max_rhat": 1.0})):
            conn.execute(
                _RUNS.insert().values(
                    id=run_id, created_at=datetime(2026, 11, 1, tzinfo=UTC), spec_name="n.yaml",
                    spec_sha256="0" * 64, spec_text="x", years=[2024], fit_years=[2024],
                    settings={}, releases=[], diagnostics=diagnostics, summary=[],
                    observed={}, seconds=1.0, posterior=b"",
                )
            )  # fmt: skip
    engine.dispose()
    with Store.open(store_url) as store:
        assert [run_by_id(store, i).converged for i in (1, 2, 3)] == [True, False, False]
        run = latest_run(store)
        assert run is not None and run.id == 1
