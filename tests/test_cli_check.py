"""`borderflow check` in-process on the seed articles and the bundled official series."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.datasets.bundle import reference_files

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_check_json_claimreview_and_filters(tmp_path: Path, seeds_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert _run("--db", db, "ingest", str(seeds_dir))[0] == 0
    assert _run("--db", db, "data", "import", *map(str, reference_files()))[0] == 0
    code, out, err = _run("--db", db, "check", "--format", "json")
    assert code == 0, err
    records = json.loads(out)
    by_text = {r["claim"]: r for r in records}
    assert by_text["34.82 pounds"]["verdict"] == "supported-with-caveat"
    assert by_text["34.82 pounds"]["releases"]  # the data releases the verdict used
    assert by_text["34.82 pounds"]["citations"][0]["kind"] == "official"
    code, out, _ = _run("--db", db, "check", "--verdict", "contradicted", "--format", "json")
    assert code == 0 and {r["verdict"] for r in json.loads(out)} == {"contradicted"}
    code, out, _ = _run("--db", db, "check", "--format", "claimreview", "--document", "1")
    reviews = json.loads(out)
    assert reviews and all(r["@type"] == "ClaimReview" for r in reviews)
    code, _, err = _run("--db", db, "check", "--verdict", "maybe")
    assert code == 2 and "--verdict must be one of" in err


def test_new_data_recomputes_stored_checks(tmp_path: Path, seeds_dir: Path, data_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    _run("--db", db, "ingest", str(seeds_dir / "003_176c261b2bba2d80.txt"))
    code, out, _ = _run("--db", db, "check", "--format", "json")
    before = {r["claim"]: r["verdict"] for r in json.loads(out)}
    assert before["34.82 pounds"] == "unverifiable"  # no CBP data yet
    code, out, _ = _run(
        "--db", db, "data", "import", str(data_dir / "cbp" / "nationwide-drugs-fy23-fy26-dec.csv")
    )
    assert code == 0 and "claim checks recomputed" in out
    code, out, _ = _run("--db", db, "check", "--format", "json")
    after = {r["claim"]: r["verdict"] for r in json.loads(out)}
    assert after["34.82 pounds"] == "supported-with-caveat"


def test_death_verdicts_cite_the_release_file_and_line(tmp_path: Path, seeds_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    _run("--db", db, "ingest", str(seeds_dir / "001_b9e4b892b14c183a.txt"))
    _run("--db", db, "data", "import", *map(str, reference_files()))
    _, out, _ = _run("--db", db, "check", "--format", "json")
    killed = next(r for r in json.loads(out) if r["claim"] == "300,000 Americans")
    [cite] = killed["citations"]
    assert cite["release"].startswith("cdc-vsrr--") and cite["line"] > 1
