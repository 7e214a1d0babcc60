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


def test_table_summarises_and_lists_problems_first(tmp_path: Path, seeds_dir: Path) -> None:
    """The default output is a summary and the verdicts most in need of a reader, never
    every row; every format that carries all verdicts carries the same ones."""
    import csv
    import io
    from collections import Counter

    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert _run("--db", db, "ingest", str(seeds_dir))[0] == 0
    assert _run("--db", db, "data", "import", *map(str, reference_files()))[0] == 0
    records = json.loads(_run("--db", db, "check", "--format", "json")[1])
    lines = _run("--db", db, "check", "--format", "jsonl")[1].splitlines()
    assert [json.loads(line) for line in lines] == records
    rows = list(csv.DictReader(io.StringIO(_run("--db", db, "check", "--format", "csv")[1])))
    assert [int(r["claim_id"]) for r in rows] == [r["claim_id"] for r in records]
    assert rows[0]["verdict"] == records[0]["verdict"] and "explanation" in rows[0]

    code, out, _ = _run("--db", db, "check", "--limit", "3")
    assert code == 0
    counts = Counter(r["verdict"] for r in records)
    assert f"{len(records)} headline verdicts, by verdict and kind of check" in out
    # The total column of the contradicted row is the number the json export holds.
    row = next(line for line in out.splitlines() if "│ contradicted" in line)
    assert row.rstrip(" │").split("│")[-1].strip() == str(counts["contradicted"])
    assert f"{len(records) - 3} more: --limit N lists them" in out
    listed = out.split("most in need of a reader")[1]
    # A contradicted figure is listed before anything supported.
    assert counts["contradicted"] >= 1 and "contradicted" in listed
    assert "│ supported " not in listed
    shown = [line for line in listed.splitlines() if line.startswith("│ ") and "│" in line[2:]]
    first_ids = [line.split("│")[1].strip() for line in shown if line.split("│")[1].strip()]
    assert len(first_ids) == 3
    code, out, _ = _run("--db", db, "check", "--limit", "0")
    assert code == 0 and "most in need" not in out and "None listed (--limit 0)" in out


def test_every_check_and_all(tmp_path: Path, seeds_dir: Path) -> None:
    """--every-check lists each check's verdict, not only the headline; --all checks
    every claim again, where a plain run checks only what is new."""
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert _run("--db", db, "ingest", str(seeds_dir))[0] == 0
    assert _run("--db", db, "data", "import", *map(str, reference_files()))[0] == 0
    code, out, err = _run("--db", db, "check", "--format", "json")
    headlines = json.loads(out)
    assert code == 0 and "checked" in err and "in 5 documents" in err
    code, out, err = _run("--db", db, "check", "--every-check", "--format", "json")
    every = json.loads(out)
    assert "checked 0 claims in 0 documents" in err  # nothing new since the last run
    assert len(every) > len(headlines)
    assert {r["claim_id"] for r in every} == {r["claim_id"] for r in headlines}
    code, out, err = _run("--db", db, "check", "--all", "--format", "json")
    assert "in 5 documents; 0 stored verdicts added, changed or deleted" in err
    assert json.loads(out) == headlines
