"""The full CDC VSRR file: every indicator is its own substance (or, for the two that are
not deaths involving a drug, its own measure), nationally and by state; the T40.4-only
file reads exactly as before. The rows are written for the test in VSRR's layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from borderflow.datasets import cdc
from borderflow.datasets.importer import import_file, parse
from borderflow.datasets.series import filter_choices, series_table, us_overdose_deaths
from borderflow.store import Store
from borderflow.store.observations import observations
from tests.datasets import builders


def _row(
    state: str, name: str, month: str, indicator: str, value: str, predicted: str
) -> tuple[str, ...]:
    return (
        state, "2023", month, "12 month-ending", indicator, "100", "0.2", name, "", "",
        value, predicted,
    )  # fmt: skip


INDICATORS = {
    "Number of Drug Overdose Deaths": ("drugs", "105,100", "107,500"),
    "Psychostimulants with abuse potential (T43.6)": ("psychostimulants", "35,800", "36,300"),
    "Cocaine (T40.5)": ("cocaine", "29,100", "29,900"),
    "Synthetic opioids, excl. methadone (T40.4)": ("synthetic opioids", "73,900", "74,700"),
    "Heroin (T40.1)": ("heroin", "4,900", "5,100"),
    "Opioids (T40.0-T40.4,T40.6)": ("opioids", "79,700", "81,100"),
}
ROWS = [
    *(_row("US", "United States", "December", k, v, p) for k, (_, v, p) in INDICATORS.items()),
    _row("US", "United States", "December", "Number of Deaths", "3,090,000", ""),
    _row("US", "United States", "December", "Percent with drugs specified", "95.8", ""),
    _row("US", "United States", "November", "Cocaine (T40.5)", "28,900", "29,700"),
    _row("CA", "California", "December", "Cocaine (T40.5)", "2,700", "2,760"),
    _row("CA", "California", "December", "Number of Drug Overdose Deaths", "11,300", "11,500"),
]


@pytest.fixture
def full_store(tmp_path: Path) -> Store:
    path = tmp_path / "vsrr-all-indicators.csv"
    path.write_text(builders.csv_text(cdc.HEADER, ROWS), encoding="utf-8")
    store = Store.open(f"sqlite:///{tmp_path / 'vsrr.db'}")
    result = import_file(store, path)
    assert result.source == "cdc-vsrr" and not result.skipped
    return store


def test_each_drug_indicator_is_its_own_substance(full_store: Store) -> None:
    for indicator, (substance, value, predicted) in INDICATORS.items():
        points = us_overdose_deaths(full_store, substance=substance)
        assert [(p.period, p.deaths, p.predicted) for p in points] == [
            ("2023", float(value.replace(",", "")), float(predicted.replace(",", "")))
        ], indicator
    monthly = us_overdose_deaths(full_store, substance="cocaine", by="month")
    assert [p.period for p in monthly] == ["2023-11", "2023-12"]


def test_states_keep_their_own_figures(full_store: Store) -> None:
    california = us_overdose_deaths(full_store, substance="cocaine", jurisdiction="CA")
    assert [(p.period, p.deaths, p.state) for p in california] == [("2023", 2700.0, "California")]
    drugs = us_overdose_deaths(full_store, substance="drugs", jurisdiction="CA")
    assert [p.deaths for p in drugs] == [11300.0]


def test_all_deaths_and_the_specified_share_are_not_drug_deaths(full_store: Store) -> None:
    everything = observations(full_store, source="cdc-vsrr", measure="all_cause_deaths")
    assert [(o.value, o.unit, o.substance) for o in everything] == [(3_090_000.0, "deaths", None)]
    share = observations(full_store, source="cdc-vsrr", measure="drugs_specified")
    assert [(o.value, o.unit, o.substance) for o in share] == [(95.8, "percent", None)]
    substances = {v for v, _ in filter_choices(full_store, "cdc-vsrr", "substance")}
    assert substances == {s for s, _, _ in INDICATORS.values()}


def test_the_series_takes_any_indicator_by_its_published_name(full_store: Store) -> None:
    table = series_table(full_store, "cdc-vsrr", {"substance": "Cocaine (T40.5)"})
    assert table.query.values["substance"] == "cocaine"
    assert [p.period for p in table.points] == ["2023"]


def test_the_t40_4_file_reads_as_before(data_dir: Path) -> None:
    path = data_dir / "cdc" / "cdc_api_provisional_overdose_counts.csv"
    parsed = parse(path.read_bytes(), str(path))
    assert not parsed.problems and parsed.records
    assert {r.measure for r in parsed.records} == {"deaths", "deaths_predicted"}
    assert {(r.substance, r.unit) for r in parsed.records} == {("synthetic opioids", "deaths")}
    label = "Synthetic opioids, excl. methadone (T40.4)"
    assert all(r.key.endswith(f"|{label}") and r.substance_label == label for r in parsed.records)
    assert len(parsed.records) == 2 * parsed.rows
