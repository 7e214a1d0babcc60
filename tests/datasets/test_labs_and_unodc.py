"""DEA NFLIS laboratory reports (query export and published Table 3) and UNODC seizures."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from borderflow.datasets.importer import import_file, import_files
from borderflow.datasets.series import unodc_seizures
from borderflow.errors import ImportFormatError
from borderflow.store import Store
from borderflow.store.observations import observations


@pytest.fixture(scope="module")
def labs_store(module_store_url: str, data_dir: Path) -> Store:
    """Imported once per backend (SQLite and PostgreSQL); the tests only read."""
    store = Store.open(module_store_url)
    files = [
        *sorted((data_dir / "dea").glob("*.csv")),
        data_dir / "unodc" / "drug_seizures_2018_2022.xlsx",
    ]
    results, errors = import_files(store, files)
    assert not errors
    assert sorted(r.source for r in results) == ["nflis", "nflis-table", "unodc"]
    return store


def _reports_2021(store: Store, source: str) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for obs in observations(store, source=source, measure="lab_reports"):
        if obs.period_start.year == 2021:
            totals[obs.state] += obs.value or 0.0
    return totals


def test_table_3_and_the_query_export_agree_on_2021(labs_store: Store) -> None:
    table = _reports_2021(labs_store, "nflis-table")
    query = _reports_2021(labs_store, "nflis")
    assert len(table) == 51  # 50 states and the District of Columbia, across four blocks
    # Table 3 counts reports analysed by 31 March 2022; the 2026 query also counts those
    # analysed later, so it is a little higher, never lower, for the whole country.
    assert 0.9 * sum(query.values()) < sum(table.values()) <= sum(query.values())
    assert table["Ohio"] == pytest.approx(query["Ohio"], rel=0.05)


def test_unodc_fentanyl_seizures_by_country(labs_store: Store) -> None:
    canada = unodc_seizures(labs_store, country="CAN")
    usa = unodc_seizures(labs_store, country="USA")
    assert set(canada) == set(range(2018, 2023))
    # Several rows per country-year are added up, and U.S. seizures dwarf Canada's.
    assert all(usa[year] > 10 * canada[year] for year in canada)


def test_workbook_passed_as_csv_source_is_refused(tmp_path: Path, data_dir: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ImportFormatError, match="it is an xlsx workbook"):
        import_file(store, data_dir / "unodc" / "drug_seizures_2018_2022.xlsx", source="phac")
    with pytest.raises(ImportFormatError, match="not a unodc file"):
        import_file(store, data_dir / "dea" / "2021NFLISWebsiteTable3.csv", source="unodc")
