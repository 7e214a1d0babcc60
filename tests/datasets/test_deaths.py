"""CDC WONDER (U.S., by state and month) and PHAC (Canada) death files, as published."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderflow.datasets.importer import import_file, import_files
from borderflow.datasets.series import canada_opioid_deaths, wonder_deaths
from borderflow.errors import ImportFormatError
from borderflow.store import Store


@pytest.fixture(scope="module")
def deaths_store(module_store_url: str, data_dir: Path) -> Store:
    """Imported once per backend (SQLite and PostgreSQL); the tests only read."""
    store = Store.open(module_store_url)
    files = [
        *sorted((data_dir / "cdc").glob("*MANUAL_DOWNLOAD.csv")),
        data_dir / "phac" / "SubstanceHarmsData.csv",
    ]
    results, errors = import_files(store, files)
    assert not errors
    assert [r.source for r in results] == [
        "cdc-wonder",
        "cdc-wonder",
        "cdc-wonder-provisional",
        "phac",
    ]
    return store


def test_wonder_state_sums_sit_just_below_national_final_counts(deaths_store: Store) -> None:
    years = {p.period: p.value for p in wonder_deaths(deaths_store)}
    # NCHS Data Briefs No. 457 and 491: 70,601 (2021) and 73,838 (2022) synthetic-opioid
    # deaths. WONDER's state-month cells under 10 are suppressed, so the sums fall a little
    # short, never above.
    for year, national in (("2021", 70_601), ("2022", 73_838)):
        assert 0.98 * national <= years[year] <= national
    california = {p.period: p.value for p in wonder_deaths(deaths_store, state="06")}
    assert 0 < california["2022"] < years["2022"]


def test_a_wonder_period_with_every_cell_suppressed_has_no_value(deaths_store: Store) -> None:
    """Wyoming: one row in the 2018-2023 export (December 2022, 10 deaths), none in the
    1999-2020 one; every other month was suppressed (under 10), not zero."""
    wyoming = {p.period: p for p in wonder_deaths(deaths_store, state="56")}
    for year in ("2005", "2021", "2023"):
        point = wyoming[year]
        assert point.value is None and point.suppressed, year
        assert (point.suppressed_cells, point.cells) == (12, 12), year
    year_2022 = wyoming["2022"]  # a lower bound: 11 months held up to 9 deaths each
    assert (year_2022.value, year_2022.suppressed) == (10, False)
    assert (year_2022.suppressed_cells, year_2022.cells, year_2022.short_by) == (11, 12, 99)
    record = year_2022.as_record()
    assert record["suppressed_cells"] == 11 and wyoming["2021"].as_record()["value"] is None
    # The national sum misses a few cells of 51 states x 12 months, and says how many.
    national = {p.period: p for p in wonder_deaths(deaths_store)}["2022"]
    assert national.cells == 612 and 0 < national.suppressed_cells < 612
    assert national.value is not None and not national.suppressed


def test_provisional_wonder_is_its_own_series(deaths_store: Store) -> None:
    provisional = {
        p.period: p for p in wonder_deaths(deaths_store, source="cdc-wonder-provisional")
    }
    assert provisional["2025"].partial and provisional["2025"].months == 3
    assert provisional["2024"].value < provisional["2023"].value


def test_canadian_opioid_deaths_and_fentanyl_share(deaths_store: Store) -> None:
    years = {p.period: p for p in canada_opioid_deaths(deaths_store)}
    # PHAC (June 2024 update): about 22 apparent opioid toxicity deaths a day in 2023, 82%
    # of them involving fentanyl.
    assert years["2023"].deaths is not None and round(years["2023"].deaths / 365) == 22
    assert years["2023"].fentanyl_share == 82
    assert years["2025"].partial and years["2025"].end.month == 9
    assert not years["2024"].partial
    provinces = {
        p.period: p.deaths for p in canada_opioid_deaths(deaths_store, region="British Columbia")
    }
    assert provinces["2023"] is not None and provinces["2023"] < years["2023"].deaths


def test_suppressed_phac_cells_are_not_zero(deaths_store: Store) -> None:
    from borderflow.store.observations import observations

    cells = observations(
        deaths_store, source="phac", measure="deaths", filters={"suppressed": True}
    )
    assert cells and all(c.value is None for c in cells)


def test_phac_bad_period_is_reported_with_its_line(tmp_path: Path, data_dir: Path) -> None:
    lines = (data_dir / "phac" / "SubstanceHarmsData.csv").read_text(encoding="utf-8-sig")
    rows = lines.splitlines()
    rows[3] = rows[3].replace(",2018,", ",Year 2018,")
    path = tmp_path / "harms.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ImportFormatError, match=r"harms\.csv:4: Year_Quarter: 'Year 2018' is not"):
        import_file(store, path)


def test_a_place_given_by_its_postal_code_is_the_place_the_data_name(deaths_store: Store) -> None:
    """WONDER keys states by FIPS code and PHAC names provinces in full; a reader who types
    "CA" or "on" means California or Ontario, and gets that series, never zeros."""
    from borderflow.datasets.series import series_table
    from borderflow.errors import QueryError

    california = series_table(deaths_store, "cdc-wonder", {"jurisdiction": "CA"}, None)
    by_name = series_table(deaths_store, "cdc-wonder", {"jurisdiction": "california"}, None)
    assert california.query.values["jurisdiction"] == "06"
    assert california.records() == by_name.records() and california.points
    ontario = series_table(deaths_store, "phac", {"region": "on"}, None)
    assert ontario.query.values["region"] == "Ontario"
    assert ontario.records() == series_table(deaths_store, "phac", {"region": "Ontario"}).records()
    # A code names a place only where the data hold it: Texas is no Canadian province.
    with pytest.raises(QueryError, match="no region 'TX'"):
        series_table(deaths_store, "phac", {"region": "TX"}, None)
