"""`borderflow model` and fits that fail their convergence checks (issue 15, item 1): a
failed fit is saved for the record, said to have failed, in words, with what to do, and
exits 3; `model show` shows the fit in use and names a newer failed one; the commands
that need a fit say there is no usable one instead of using it."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.cli.model import FIT_FAILED
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.store import Store
from borderflow.store.model_runs import latest_run, save_run
from tests.store.runs import FAILING, FAILING_WORDS, PASSING, model_run

runner = CliRunner()
REMEDY = (
    "To fix it, fit again: run longer (`--warmup 2000 --draws 2000`), with more chains "
    "(`--chains 8`), or with another `--seed`."
)


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'model.db'}"


def test_a_failed_fit_is_saved_not_used_and_exits_3(db: str) -> None:
    """A real fit far too short to converge (one chain of ten draws)."""
    with Store.open(db) as store:
        assert not import_files(store, reference_files())[1]
    code, out, err = _run(
        "--db", db, "model", "fit", "--chains", "1", "--warmup", "10", "--draws", "10"
    )
    assert code == FIT_FAILED == 3, err
    assert out == ""  # a failed fit's estimates are not printed as results
    lines = err.splitlines()
    at = lines.index("error: the fit did not converge, so it is not used:")
    # One chain cannot show convergence: R-hat compares chains, so it is unknown.
    assert lines[at + 1].startswith("  - R-hat could not be computed")
    assert lines[at + 2].startswith("  - bulk ESS ") and "is below 400" in lines[at + 2]
    assert lines[-3:] == [
        "It is stored as model run 1 for the record, but NOT used by the claim checks, the "
        "web app or the report: they have no model estimate until a fit converges.",
        REMEDY,
        "`borderflow model show --run 1` shows its estimates.",
    ]
    with Store.open(db) as store:
        assert latest_run(store) is None
        newest = latest_run(store, with_posterior=False, usable=False)
        assert newest is not None and newest.id == 1 and not newest.converged
    code, _, err = _run("--db", db, "model", "scenario", "--draws", "50")
    assert code == 1
    assert err.startswith("error: no usable model fit in this store: model run 1 did not")


def test_a_failed_fit_beside_a_converged_one_leaves_that_one_in_use(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words when an older fit converged (the fit itself stood in for: no sampling)."""
    with Store.open(db) as store:
        save_run(store, model_run(PASSING))

    def failing_fit(store: Store, **_: Any) -> tuple[int, Any]:
        run_id = save_run(store, model_run(FAILING))
        return run_id, SimpleNamespace(diagnostics=FAILING, seconds=40.0)

    monkeypatch.setattr("borderflow.model.api.fit_model", failing_fit)
    code, out, err = _run("--db", db, "model", "fit")
    assert code == 3 and out == ""
    lines = err.splitlines()
    at = lines.index("error: the fit did not converge, so it is not used:")
    assert lines[at + 1 :] == [
        "  - R-hat 1.050 is above 1.01 (worst: logit_scalars[3])",
        "  - bulk ESS 150 is below 400",
        "  - tail ESS 80 is below 400 (worst: flow_steps[4])",
        "  - 3 divergent transitions",
        "It is stored as model run 2 for the record, but NOT used by the claim checks, the "
        "web app or the report: they keep using model run 1.",
        REMEDY,
        "`borderflow model show --run 2` shows its estimates.",
    ]
    assert lines[at - 1].startswith("diagnostics: R-hat max 1.050") and lines[at - 1].endswith(
        f"FAIL ({FAILING_WORDS})"
    )


def test_show_gives_the_fit_in_use_and_names_a_newer_failed_one(db: str) -> None:
    with Store.open(db) as store:
        save_run(store, model_run(PASSING, share=0.02))
        save_run(store, model_run(FAILING, share=0.5))
    code, out, err = _run("--db", db, "model", "show", "--format", "json")
    assert code == 0, err
    assert [r["median"] for r in json.loads(out)] == [0.02]
    assert "model run 1, the fit in use" in err
    assert (
        f"note: a newer fit, model run 2 did not converge ({FAILING_WORDS}), so it is not "
        "used: the estimates are those of model run 1, the newest fit that converged "
        "(`borderflow model show --run 2` shows it)"
    ) in err
    code, out, err = _run("--db", db, "model", "show", "--run", "2")
    assert code == 0, err
    assert "FAILED FIT, NOT USED" in out
    assert (
        f"model run 2 did not converge ({FAILING_WORDS}): stored for the record, NOT used by "
        "the claim checks, the web app or the report"
    ) in err
    code, _, err = _run("--db", db, "model", "show", "--run", "9")
    assert code == 1 and "no model run 9" in err


def test_commands_that_need_a_fit_say_none_is_usable(db: str) -> None:
    with Store.open(db) as store:
        save_run(store, model_run(FAILING))
    for command in (["show"], ["scenario"], ["check"], ["sweep", "any.yaml"]):
        code, out, err = _run("--db", db, "model", *command)
        assert code == 1 and out == "", (command, err)
        assert err.startswith(
            f"error: no usable model fit in this store: model run 1 did not converge "
            f"({FAILING_WORDS}), so it is not used; fit again with `borderflow model fit`: "
            "run longer (`--warmup 2000 --draws 2000`)"
        ), (command, err)


def test_fit_help_gives_the_exit_codes() -> None:
    code, out, _ = _run("model", "fit", "--help")
    assert code == 0
    assert "Exit codes: 0 the fit converged and is in use; 3 the fit failed" in " ".join(
        out.split()
    )
