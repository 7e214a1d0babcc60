"""The parts of a chart a reader relies on: numbers in its table formatted for reading
(the exports stay raw), partial periods named with their months, and CDC WONDER sums that
say how many suppressed state-month cells they miss. Expected values are written by hand
or counted from the agency's file itself."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from borderflow.datasets.importer import import_files
from borderflow.datasets.series import series_table
from borderflow.presentation.display import table_of
from borderflow.presentation.provenance import missing_cells, partial_label
from borderflow.presentation.series_chart import series_chart
from borderflow.store import Store

WONDER_FILE = "cdc/Multiple_Cause_of_Death_2018_2023_Single_Race_MANUAL_DOWNLOAD.csv"


def test_table_cells_read_as_numbers_and_words() -> None:
    records = [
        {"period": "2024", "deaths": 7313.0, "rate": 17.7, "lb": 11812.7554, "partial": False},
        {"period": "2025", "deaths": 4162.0, "rate": 13.3, "lb": 3.5, "partial": True},
        {"period": "2026", "deaths": None, "rate": None, "lb": 0.0, "partial": False},
    ]
    columns = [("period", "period"), ("deaths", "deaths"), ("rate", "per 100k"),
               ("lb", "lb"), ("partial", "partial")]  # fmt: skip
    table = table_of(records, columns)
    assert table.rows == (
        ("2024", "7,313", "17.7", "11,812.76", ""),
        ("2025", "4,162", "13.3", "3.50", "partial"),
        ("2026", "", "", "0.00", ""),
    )
    assert [c.numeric for c in table.columns] == [False, True, True, True, False]
    # The records the downloads answer are untouched.
    assert table.records[0]["deaths"] == 7313.0 and table.records[1]["partial"] is True


def test_partial_periods_are_named_with_their_months() -> None:
    assert partial_label("2025", date(2025, 1, 1), date(2025, 9, 1)) == "2025, Jan–Sep only"
    assert partial_label("FY2026", date(2025, 10, 1), date(2025, 12, 1)) == (
        "FY2026, Oct–Dec 2025 only"
    )
    assert partial_label("FY2026", date(2025, 10, 1), date(2026, 2, 1)) == (
        "FY2026, Oct 2025–Feb 2026 only"
    )
    assert partial_label("2025-Q1", date(2025, 2, 1), date(2025, 2, 1)) == "2025-Q1, Feb 2025 only"


@pytest.fixture(scope="module")
def wonder_store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('wonder') / 'wonder.db'}")
    _, errors = import_files(store, [data_dir / WONDER_FILE])
    assert not errors
    yield store
    store.close()


def _published_cells(path: Path, year: int) -> int:
    """State-month rows the export has for `year` (every suppressed one is absent)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if row["Year Code"] == str(year))


def test_wonder_sums_say_how_many_cells_are_suppressed(wonder_store: Store, data_dir: Path) -> None:
    table = series_table(wonder_store, "cdc-wonder", {}, "calendar-year")
    published = _published_cells(data_dir / WONDER_FILE, 2023)
    # 50 states and DC, 12 months: every cell not in the export was suppressed.
    missing = 51 * 12 - published
    assert missing_cells(wonder_store, "cdc-wonder", table.query)["2023"] == (missing, 612)
    chart = series_chart(wonder_store, table)
    assert chart.figure is not None
    trace = chart.figure["data"][0]
    at = list(trace["x"]).index("2023")
    assert trace["error_y"]["array"][at] == 9 * missing  # at most 9 deaths in each
    assert any("suppresses counts under 10" in note for note in chart.notes)
    columns = [c.label for c in chart.table.columns]
    row = next(r for r in chart.table.rows if r[0] == "2023")
    assert row[columns.index("state-months suppressed")] == f"{missing:,}"
    assert "Multiple_Cause_of_Death_2018_2023" in chart.sources[0]


def test_one_wonder_state_counts_only_its_own_cells(wonder_store: Store) -> None:
    table = series_table(wonder_store, "cdc-wonder", {"jurisdiction": "06"}, "calendar-year")
    cells = missing_cells(wonder_store, "cdc-wonder", table.query)
    assert cells["2023"] == (0, 12)  # California publishes every month
