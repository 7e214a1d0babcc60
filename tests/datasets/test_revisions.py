"""Issue 12, item 1 and 3: a file that only sorts later cannot replace official figures
with invalid ones, and a valid revision beyond the margin is stored with its history and
reported, never silent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from borderflow.datasets.importer import import_file, import_files
from borderflow.datasets.revisions import REVISION_MARGIN, Margin
from borderflow.errors import ImportFormatError
from borderflow.store import Store
from borderflow.store.observations import history, observations, releases
from tests.datasets import builders

TODAY = date(2026, 11, 30)
COASTAL_LINE = 4  # the sample's Coastal/Interior fentanyl row, FY2026 December, 41.56 lb


def _coastal(store: Store) -> tuple[float | None, str, int]:
    [obs] = [
        o
        for o in observations(store, source="cbp", measure="seizure_weight")
        if o.region == "Coastal/Interior"
    ]
    return obs.value, obs.release, obs.id


def _official(store: Store, tmp_path: Path) -> Path:
    path = builders.write_csv(tmp_path / "nationwide-drugs-fy23-fy26-dec.csv", "cbp")
    import_file(store, path, today=TODAY)
    assert _coastal(store)[0] == 41.56
    return path


def _spoil_coastal(tmp_path: Path, value: str) -> Path:
    header, rows = builders.CSV["cbp"]
    cells = [list(r) for r in rows]
    cells[COASTAL_LINE - 2][8] = value
    path = tmp_path / "zz-nationwide.csv"
    path.write_text(builders.csv_text(header, cells), encoding="utf-8")
    return path


def test_a_later_sorting_bad_file_does_not_overwrite(store: Store, tmp_path: Path) -> None:
    _official(store, tmp_path)
    bad = _spoil_coastal(tmp_path, "-227.50")
    with pytest.raises(ImportFormatError, match=r"zz-nationwide\.csv:4: Sum Qty \(lbs\): -227"):
        import_file(store, bad, today=TODAY)
    assert _coastal(store)[:2] == (41.56, "nationwide-drugs-fy23-fy26-dec.csv")
    assert len(releases(store)) == 1
    # With --skip-bad-rows the bad row is left out: the later file cannot win with it.
    result = import_file(store, bad, skip_bad_rows=True, today=TODAY)
    assert result.result.status == "imported" and result.skipped_rows == 1
    value, release, obs_id = _coastal(store)
    assert (value, release) == (41.56, "nationwide-drugs-fy23-fy26-dec.csv")
    assert [h.value for h in history(store, obs_id)] == [41.56]


def test_a_revision_beyond_the_margin_is_stored_and_reported(store: Store, tmp_path: Path) -> None:
    _official(store, tmp_path)
    result = import_file(store, _spoil_coastal(tmp_path, "227.50"), today=TODAY)
    [revision] = result.revisions
    assert (revision.old, revision.new) == (41.56, 227.5)
    assert revision.old_release == "nationwide-drugs-fy23-fy26-dec.csv"
    assert revision.new_release == "zz-nationwide.csv" and revision.line == COASTAL_LINE
    assert revision.period == "2025-12" and revision.measure == "seizure_weight"
    assert "Coastal/Interior" in revision.series and "41.56 → 227.5" in revision.text()
    value, release, obs_id = _coastal(store)
    assert (value, release) == (227.5, "zz-nationwide.csv")  # stored, with its history
    assert [(h.file_name, h.value) for h in history(store, obs_id)] == [
        ("nationwide-drugs-fy23-fy26-dec.csv", 41.56),
        ("zz-nationwide.csv", 227.5),
    ]
    assert revision.as_record()["old"] == 41.56


def test_small_revisions_are_counted_not_reported(store: Store, tmp_path: Path) -> None:
    _official(store, tmp_path)
    result = import_file(store, _spoil_coastal(tmp_path, "41.9"), today=TODAY)
    assert result.result.revised == 1 and result.revisions == []


def test_an_older_release_imported_later_changes_nothing(store: Store, tmp_path: Path) -> None:
    newer = _spoil_coastal(tmp_path, "227.50")
    import_file(store, newer, today=TODAY)
    older = builders.write_csv(tmp_path / "a-older.csv", "cbp")
    result = import_file(store, older, today=TODAY)
    assert result.revisions == [] and result.result.revised == 0
    assert _coastal(store)[:2] == (227.5, "zz-nationwide.csv")


def test_the_margin() -> None:
    margin = Margin(relative=0.5, floor=1.0)
    assert margin.exceeded(41.56, 227.5) and margin.exceeded(10, -10) and margin.exceeded(0, 5)
    assert not margin.exceeded(41.56, 41.9)  # a usual revision of a recent month
    assert not margin.exceeded(0.01, 0.05)  # five times, but under a pound
    assert not margin.exceeded(None, 5) and not margin.exceeded(5, None)  # suppression
    assert margin == REVISION_MARGIN


def test_real_consecutive_releases_make_no_large_revision(sqlite_url: str, data_dir: Path) -> None:
    files = sorted((data_dir / "cbp").glob("nationwide-*.csv"))
    with Store.open(sqlite_url) as store:
        results, errors = import_files(store, files)
    assert not errors and sum(r.result.revised for r in results) == 12
    assert [r.revisions for r in results] == [[], [], []]


def test_the_web_import_answer_carries_the_revisions(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from borderflow.web.app import create_app
    from borderflow.web.config import WebConfig
    from tests.web.conftest import BASE, SCRIPT

    url = f"sqlite:///{tmp_path / 'web.db'}"
    with Store.open(url) as store:
        _official(store, tmp_path)
    later = _spoil_coastal(tmp_path, "227.50")
    with TestClient(create_app(WebConfig(url)), base_url=BASE) as client:
        response = client.post(
            "/api/v1/releases", files={"file": (later.name, later.read_bytes(), "text/csv")},
            headers=SCRIPT,
        )  # fmt: skip
    assert response.status_code == 201, response.text
    [imported] = response.json()["imported"]
    [revision] = imported["revisions"]
    assert (revision["old"], revision["new"], revision["line"]) == (41.56, 227.5, COASTAL_LINE)
    assert revision["old_release"] == "nationwide-drugs-fy23-fy26-dec.csv"
