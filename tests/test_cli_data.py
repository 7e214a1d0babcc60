"""`borderflow data` in-process: import, series, releases, and errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from borderflow.cli import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_import_then_series(tmp_path: Path, data_dir: Path) -> None:
    db = f"sqlite:///{tmp_path / 'data.db'}"
    path = str(data_dir / "cbp" / "nationwide-drugs-fy23-fy26-dec.csv")
    code, out, err = _run("--db", db, "data", "import", path)
    assert code == 0, err
    assert "cbp, imported, 15790 observations" in out
    code, out, _ = _run("--db", db, "data", "import", path)
    assert code == 0 and "unchanged" in out
    code, out, _ = _run(
        "--db",
        db,
        "data",
        "series",
        "--region",
        "Northern Border",
        "--land-only",
        "--by",
        "fy",
        "--format",
        "json",
    )
    points = {p["period"]: p for p in json.loads(out)}
    assert code == 0 and round(points["FY2024"]["value"], 2) == 34.82
    assert points["FY2026"]["partial"] is True
    code, out, _ = _run("--db", db, "data", "releases")
    assert code == 0 and "nationwide-drugs-fy23-fy26-dec.csv" in out


def test_import_errors_are_one_line_each(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'data.db'}"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    code, _, err = _run("--db", db, "data", "import", str(bad))
    assert code == 1 and err.startswith(f"error: {bad}:1: unknown layout")
    code, _, err = _run("--db", db, "data", "series", "--by", "decade")
    assert code == 2 and "--by must be one of" in err


def _cbp(tmp_path: Path, name: str, weight: str | None = None, line: int = 4) -> Path:
    """The sample CBP file (tests/datasets/builders.py), its line `line` weighing `weight`."""
    from tests.datasets import builders

    header, rows = builders.CSV["cbp"]
    cells = [list(r) for r in rows]
    if weight is not None:
        cells[line - 2][8] = weight
    path = tmp_path / name
    path.write_text(builders.csv_text(header, cells), encoding="utf-8")
    return path


def test_a_refused_file_is_named_and_the_others_land(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'data.db'}"
    bad, good = _cbp(tmp_path, "a-bad.csv", "NaN", 3), _cbp(tmp_path, "b-good.csv")
    code, out, err = _run("--db", db, "data", "import", str(bad), str(good))
    assert code == 1
    assert err.splitlines() == [
        f"error: {bad}:3: Sum Qty (lbs): 'NaN' is not a finite number (valid: a decimal "
        "number such as 1,234.5)",
        f"error: {bad}: nothing imported (1 bad rows; --skip-bad-rows imports the rest)",
    ]
    assert out.splitlines() == [f"{good}: cbp, imported, 8 observations (8 new, 0 revised)"]


def test_skip_bad_rows_lists_and_counts_what_it_left_out(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'data.db'}"
    bad = _cbp(tmp_path, "mixed.csv", "-227.50", 4)
    code, out, err = _run("--db", db, "data", "import", "--skip-bad-rows", str(bad))
    assert code == 0
    assert err.startswith(f"skipped: {bad}:4: Sum Qty (lbs): -227.5 is negative (valid: ")
    assert "6 observations (6 new, 0 revised, 1 bad rows skipped)" in out
    code, out, _ = _run("--db", db, "data", "releases", "--format", "json")
    assert json.loads(out)[0]["skipped_rows"] == 1


def test_revisions_beyond_the_margin_are_printed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'data.db'}"
    official, later = _cbp(tmp_path, "official.csv"), _cbp(tmp_path, "zz-later.csv", "227.50")
    assert _run("--db", db, "data", "import", str(official))[0] == 0
    code, out, _ = _run("--db", db, "data", "import", str(later))
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith(f"{later}: 1 revisions beyond the margin (50% and 1 units")
    assert lines[2].startswith("revised: cbp seizure_weight 2026|DEC|Office of Field Operations|")
    assert lines[2].endswith("(2025-12): 41.56 → 227.5 (official.csv → zz-later.csv:4)")


def test_file_names_are_printed_escaped(tmp_path: Path) -> None:
    import os

    db = f"sqlite:///{tmp_path / 'data.db'}"
    odd = _cbp(tmp_path, os.fsdecode(b"x\xff\x1b[31m.csv"))
    code, out, _ = _run("--db", db, "data", "import", str(odd))
    assert code == 0 and "\x1b" not in out
    assert out.startswith(f"{tmp_path}/x\\xff\\x1b[31m.csv: cbp, imported")
