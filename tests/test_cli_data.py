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
