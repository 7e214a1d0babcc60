"""Issue 12, items 2, 3 (import side), 8 and 9: in one `import_files` call every bad input
is one clear error naming the file (and line), refused before the costly step it would
blow up, and the good file beside it still lands; concurrent imports never traceback."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from borderflow.datasets.importer import FileResult, import_files
from borderflow.datasets.limits import ImportLimits
from borderflow.errors import ImportFormatError
from borderflow.store import Store
from borderflow.store.observations import observations, releases
from tests.datasets import builders

TODAY = date(2026, 11, 30)


def _with_good_file(
    store: Store, tmp_path: Path, bad: Path, limits: ImportLimits | None = None
) -> tuple[list[FileResult], list[ImportFormatError]]:
    """Import `bad` then a good file in one call; the good one must land."""
    good = builders.write_csv(tmp_path / "vsrr-good.csv", "cdc-vsrr")
    results, errors = import_files(store, [bad, good], limits=limits, today=TODAY)
    assert [r.file for r in results][-1] == str(good)
    assert results[-1].result.status == "imported"
    assert len(observations(store, source="cdc-vsrr", measure="deaths")) == 3
    return results, errors


def _refused(errors: list[ImportFormatError], bad: Path, start: str) -> list[str]:
    [error] = errors
    assert error.file == str(bad)
    assert all(p.startswith(f"{bad}") for p in error.problems), error.problems
    assert error.problems[0].startswith(f"{bad}{start}"), error.problems[0]
    return error.problems


def _cbp_rows(count: int) -> list[list[str]]:
    """`count` distinct CBP rows (a month and area each)."""
    months = ["OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP"]
    base = list(builders.CBP_ROWS[0])
    return [
        [base[0], months[i % 12], *base[2:5], f"AREA {i // 12}", *base[6:]] for i in range(count)
    ]


def test_a_repeated_row_on_a_fresh_store_is_counted_once(store: Store, tmp_path: Path) -> None:
    header, rows = builders.CSV["cbp"]
    bad = tmp_path / "cbp-repeated.csv"
    bad.write_text(builders.csv_text(header, [*rows, rows[1]]), encoding="utf-8")
    results, errors = _with_good_file(store, tmp_path, bad)
    assert errors == []
    assert results[0].result.status == "imported" and results[0].result.observations == 8
    assert results[0].notes == [f"{bad}:6: repeats line 3 exactly; counted once"]
    assert len(observations(store, source="cbp", measure="seizure_weight")) == 4


def test_conflicting_repeats_are_refused_line_by_line(store: Store, tmp_path: Path) -> None:
    header, rows = builders.CSV["cbp"]
    other = [*rows[1][:8], "999"]
    bad = tmp_path / "cbp-conflict.csv"
    bad.write_text(builders.csv_text(header, [*rows, other]), encoding="utf-8")
    _, errors = _with_good_file(store, tmp_path, bad)
    problems = _refused(errors, bad, ":3: Sum Qty (lbs): 2,310.5 is contradicted by 999 on line 6")
    assert problems[1].startswith(f"{bad}:6: Sum Qty (lbs): 999 contradicts 2,310.5 on line 3")
    assert releases(store)[0].source == "cdc-vsrr" and len(releases(store)) == 1


def test_a_cell_over_the_limit_is_one_line(store: Store, tmp_path: Path) -> None:
    rows = [list(r) for r in builders.CBP_ROWS]
    rows[1][5] = "A" * 200_000  # over Python csv's own 131,072 and the default setting
    bad = tmp_path / "cbp-long.csv"
    bad.write_text(builders.csv_text(builders.CSV["cbp"][0], rows), encoding="utf-8")
    _, errors = _with_good_file(store, tmp_path, bad)
    [problem] = _refused(errors, bad, ":3: a cell of 200,000 characters is over the limit")
    assert "of 131,072 (valid: " in problem


def test_the_cell_limit_comes_from_the_settings(tmp_path: Path) -> None:
    rows = [list(r) for r in builders.CBP_ROWS]
    rows[2][5] = "B" * 80
    bad = tmp_path / "cbp-long.csv"
    bad.write_text(builders.csv_text(builders.CSV["cbp"][0], rows), encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path / 's.db'}") as store:
        _, errors = _with_good_file(store, tmp_path, bad, _limits(max_field_chars=50))
    _refused(errors, bad, ":4: a cell of 80 characters is over the limit of 50")


def test_a_sparse_gigabyte_is_refused_before_reading(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "sparse.csv"
    with bad.open("wb") as handle:
        handle.write(",".join(builders.CSV["cbp"][0]).encode() + b"\r\n")
        handle.truncate(1 << 30)  # a hole: no disk used, a gigabyte of NULs when read
    started = time.monotonic()
    _, errors = _with_good_file(store, tmp_path, bad)
    assert time.monotonic() - started < 20
    _refused(errors, bad, ": 1,073,741,824 bytes is over the limit of 20,000,000")


def test_nul_bytes_are_refused_with_their_line(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "holes.csv"
    text = builders.csv_text(*builders.CSV["cbp"])
    with bad.open("wb") as handle:
        handle.write(text.encode())
        handle.truncate(len(text) + 65_536)  # a small sparse tail
    _, errors = _with_good_file(store, tmp_path, bad)
    _refused(errors, bad, ":6: a NUL byte at byte")


def test_a_file_name_that_is_not_utf8_is_imported_and_shown_escaped(
    store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / os.fsdecode(b"caf\xe9\n\x1b[2J.csv")
    builders.write_csv(bad, "cbp")
    results, errors = _with_good_file(store, tmp_path, bad)
    assert errors == [] and results[0].result.status == "imported"
    assert results[0].file.endswith("caf\\xe9\\n\\x1b[2J.csv") and "\n" not in results[0].file
    assert {r.file_name for r in releases(store)} == {"caf\\xe9\\n\\x1b[2J.csv", "vsrr-good.csv"}


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workbooks refused by their size must never reach openpyxl."""
    import openpyxl

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl opened a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def _limits(**changes: int) -> ImportLimits:
    values = {f: getattr(ImportLimits.defaults(), f) for f in ImportLimits.__dataclass_fields__}
    return ImportLimits(**{**values, **changes})


@pytest.mark.usefixtures("no_openpyxl")
def test_a_workbook_that_unpacks_too_large_is_refused_unopened(
    store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "annex.xlsx"
    bad.write_bytes(builders.unodc_bytes())
    _, errors = _with_good_file(store, tmp_path, bad, _limits(max_decompressed_bytes=2_000))
    [problem] = _refused(errors, bad, ": unpacks to ")
    assert "over the limit of 2,000 (valid: " in problem


@pytest.mark.usefixtures("no_openpyxl")
def test_a_workbook_declaring_too_many_cells_is_refused_unopened(
    store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "annex.xlsx"
    bad.write_bytes(builders.with_sheet_dimension(builders.unodc_bytes(), "A1:XFD1048576"))
    _, errors = _with_good_file(store, tmp_path, bad)
    _refused(errors, bad, ": sheet sheet1.xml: its dimension declares 17,179,869,184 cells")


@pytest.mark.usefixtures("no_openpyxl")
def test_a_workbook_with_too_many_rows_is_refused_unopened(store: Store, tmp_path: Path) -> None:
    rows = [builders.UNODC_ROWS[0]] * 30
    bad = tmp_path / "annex.xlsx"
    bad.write_bytes(builders.with_sheet_dimension(builders.unodc_bytes(rows), "A1"))
    _, errors = _with_good_file(store, tmp_path, bad, _limits(max_rows=5))
    _refused(errors, bad, ": sheet sheet1.xml: holds more than 5 rows")


def test_a_text_file_with_too_many_rows_is_refused(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "cbp-many.csv"
    bad.write_text(builders.csv_text(builders.CSV["cbp"][0], _cbp_rows(40)), encoding="utf-8")
    _, errors = _with_good_file(store, tmp_path, bad, _limits(max_rows=20))
    _refused(errors, bad, ": 42 lines is over the limit of 20 rows")


def test_a_pipe_is_refused_without_waiting(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "pipe.csv"
    os.mkfifo(bad)
    _, errors = _with_good_file(store, tmp_path, bad)
    _refused(errors, bad, ": not a regular file")


def _in_threads(jobs: list[Callable[[], object]]) -> list[BaseException]:
    failures: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            job()
        except BaseException as exc:  # any traceback is the failure this test looks for
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return failures


def test_concurrent_imports_of_the_same_and_overlapping_files(
    store_url: str, tmp_path: Path
) -> None:
    header, rows = builders.CSV["cbp"]
    same = [builders.write_csv(tmp_path / f"copy{i}.csv", "cbp") for i in range(2)]
    overlapping = tmp_path / "overlap.csv"
    overlapping.write_text(builders.csv_text(header, [*rows, *_cbp_rows(6)]), encoding="utf-8")
    outcomes: list[tuple[list[FileResult], list[ImportFormatError]]] = []

    def job(path: Path) -> Callable[[], object]:
        def run() -> None:
            with Store.open(store_url) as own:
                outcomes.append(import_files(own, [path], today=TODAY))

        return run

    failures = _in_threads([job(same[0]), job(same[1]), job(overlapping), job(overlapping)])
    assert failures == []
    assert all(errors == [] for _, errors in outcomes) and len(outcomes) == 4
    statuses = sorted(r.result.status for results, _ in outcomes for r in results)
    assert statuses == ["imported", "imported", "unchanged", "unchanged"]
    with Store.open(store_url) as store:
        assert len(releases(store)) == 2
        assert len(observations(store, source="cbp", measure="seizure_weight")) == 10


def test_a_release_stored_meanwhile_is_already_imported(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unique hash is the last word: when both checks for these bytes missed (another
    writer committed between them), the insert's IntegrityError becomes "unchanged"."""
    from borderflow.store import observations as stored

    path = builders.write_csv(tmp_path / "cbp.csv", "cbp")
    [first], _ = import_files(store, [path], today=TODAY)
    real = stored.find_release
    calls: list[str] = []

    def missed_once(store: Store, content_hash: str) -> tuple[int, str, str] | None:
        calls.append(content_hash)
        return None if len(calls) <= 2 else real(store, content_hash)

    monkeypatch.setattr(stored, "find_release", missed_once)
    monkeypatch.setattr("borderflow.datasets.importer.find_release", missed_once)
    monkeypatch.setattr(stored, "_release_id", lambda _conn, _hash: None)
    [again], errors = import_files(store, [tmp_path / "cbp.csv"], today=TODAY)
    assert errors == [] and again.result.status == "unchanged"
    assert again.result.release_id == first.result.release_id and len(releases(store)) == 1
