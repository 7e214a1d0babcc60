"""The command line, run in-process with Typer's CliRunner on the seed articles."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from borderflow.cli import app
from borderflow.extract import CLAIM_FIELDS

runner = CliRunner()


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_ingest_seeds_then_list_claims(db: str, seeds_dir: Path) -> None:
    code, out, err = _run("--db", db, "ingest", str(seeds_dir))
    assert code == 0, err
    assert "5 added" in out and "0 failed" in out
    code, out, _ = _run("--db", db, "ingest", str(seeds_dir))
    assert code == 0 and "5 unchanged" in out and "0 added" in out

    code, out, _ = _run("--db", db, "claims", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert all(tuple(r) == CLAIM_FIELDS for r in records)
    pounds = [r for r in records if r["text"] == "34.82 pounds"]
    assert pounds and pounds[0]["agency"] == "CBP" and pounds[0]["normalized_unit"] == "kg"
    assert pounds[0]["document"].endswith("003_176c261b2bba2d80.txt")


def test_claim_formats_carry_every_field(db: str, seeds_dir: Path) -> None:
    _run("--db", db, "ingest", str(seeds_dir / "004_8e85c8ec96af8be2.txt"))
    code, out, _ = _run("--db", db, "claims", "--format", "jsonl", "--measure", "deaths")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and lines and all(r["measure"] == "deaths" for r in lines)
    code, out, _ = _run("--db", db, "claims", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and tuple(rows[0]) == CLAIM_FIELDS
    well_under = next(r for r in rows if r["text"] == "well under 1%")
    assert well_under["qualifier"] == "less_than" and well_under["measure"] == "share"
    code, out, _ = _run("--db", db, "claims", "--substance", "opioids")
    assert code == 0 and "21 deaths a day" in out


def test_documents_and_show(db: str, seeds_dir: Path) -> None:
    _run("--db", db, "ingest", str(seeds_dir / "000_fcd93b7b0eac0798.txt"))
    code, out, _ = _run("--db", db, "documents", "--format", "json")
    [doc] = json.loads(out)
    assert code == 0 and doc["repaired"] is True and doc["published"] is None
    code, out, _ = _run("--db", db, "show", str(doc["id"]))
    assert code == 0
    assert "“micro shipments" in out and "repaired: gbk-mojibake" in out
    assert "4.9 kg" in out and "start:end" in out


def test_one_bad_file_does_not_stop_the_others(db: str, tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seeds_dir / "004_8e85c8ec96af8be2.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    code, out, err = _run("--db", db, "ingest", str(folder))
    assert code == 1
    assert f"error: {folder / 'empty.txt'}: file is empty" in err
    assert f"error: {folder / 'broken.pdf'}: unreadable PDF" in err
    assert "1 added" in out and "2 failed" in out


def test_changed_file_becomes_new_version(db: str, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Agents seized 2 kg of fentanyl in 2023.\n", encoding="utf-8")
    _run("--db", db, "ingest", str(path))
    path.write_text("Agents seized 3 kg of fentanyl in 2023.\n", encoding="utf-8")
    code, out, _ = _run("--db", db, "ingest", str(path), "--date", "2024-02-01")
    assert code == 0 and "1 new versions" in out
    code, out, _ = _run("--db", db, "claims", "--format", "json")
    assert [r["value"] for r in json.loads(out)] == [3.0]


def test_missing_path_and_bad_date(db: str, tmp_path: Path) -> None:
    code, _, err = _run("--db", db, "ingest", str(tmp_path / "nope"))
    assert code == 1 and "no such file or folder" in err
    code, _, err = _run("--db", db, "ingest", str(tmp_path), "--date", "07/02/2025")
    assert code == 2 and "YYYY-MM-DD" in err


def test_unknown_document(db: str) -> None:
    assert _run("--db", db, "db", "upgrade")[0] == 0
    code, _, err = _run("--db", db, "show", "42")
    assert code == 1 and err.startswith("error: no document '42'")


def test_read_commands_never_create_a_store(tmp_path: Path) -> None:
    """A mistyped --db must not silently become an empty store (issue 12, item 14)."""
    missing = tmp_path / "typo.db"
    for command in (["documents"], ["claims"], ["show", "1"], ["check"], ["report"]):
        code, _, err = _run("--db", f"sqlite:///{missing}", *command)
        assert code == 1, command
        assert err.startswith(f"error: no store at {missing}"), err
    assert not missing.exists()


def test_demo_runs_on_bundled_samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BORDERFLOW_HOME", str(tmp_path / "home"))
    code, out, err = _run("demo")
    assert code == 0, err
    assert "4 sample documents" in out and "0 failed" in out
    assert "34.82 pounds" in out or "34.82" in out
    assert "Official data bundled with borderflow" in out
    assert "CBP fentanyl seizures FY2025: northern land border 75.67 lb" in out
    assert (tmp_path / "home" / "demo.db").exists()
    report = tmp_path / "home" / "report.html"
    assert f"Report (one self-contained HTML file, opens offline): {report}" in out.replace(
        "\n", ""
    )
    html = report.read_text()
    assert "Claims and verdicts" in html and "<script src=" not in html


def test_parallel_ingest_of_many_files(
    db: str, tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(20):
        seed = sorted(seeds_dir.glob("*.txt"))[i % 5]
        (folder / f"{i:02d}.txt").write_text(
            seed.read_text(encoding="utf-8") + f"\nCopy {i}.\n", encoding="utf-8"
        )
    monkeypatch.setenv("BORDERFLOW_INGEST_WORKERS", "2")
    code, out, err = _run("--db", db, "ingest", str(folder))
    assert code == 0, err
    assert "20 added" in out


@pytest.mark.parametrize(
    "command", [[], ["ingest"], ["claims"], ["documents"], ["show"], ["demo"], ["db", "upgrade"]]
)
def test_every_command_explains_itself(command: list[str]) -> None:
    code, out, _ = _run(*command, "--help")
    assert code == 0 and "Usage:" in out and len(out.splitlines()) > 5


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1/borderflow_no_such_db", "cannot open the store"),
        ("mysql://x/y", "borderflow stores data in SQLite"),
        ("sqlite:///{folder}", "is a folder, not a store file"),
        ("sqlite:///{text_file}", "file is not a database"),
    ],
)
def test_a_wrong_store_is_one_line(url: str, says: str, tmp_path: Path) -> None:
    """A mistyped --db is one error line, never a traceback (issue 12, item 14)."""
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database\n" * 100)
    code, _, err = _run("--db", url.format(folder=tmp_path, text_file=text_file), "claims")
    assert code == 1
    assert err.startswith("error: ") and says in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1
    assert text_file.read_text() == "not a database\n" * 100
