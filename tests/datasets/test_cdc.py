"""CDC VSRR provisional overdose death counts (API export), 12-month-ending by jurisdiction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from borderflow.datasets.importer import import_file
from borderflow.datasets.series import us_overdose_deaths
from borderflow.store import Store

VSRR = "cdc_api_provisional_overdose_counts.csv"


@pytest.fixture(scope="module")
def vsrr_store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('cdc') / 'cdc.db'}")
    result = import_file(store, data_dir / "cdc" / VSRR)
    assert result.source == "cdc-vsrr" and not result.skipped
    return store


def test_national_synthetic_opioid_deaths_match_final_counts(vsrr_store: Store) -> None:
    years = {p.period: p.deaths for p in us_overdose_deaths(vsrr_store)}
    # Final counts of deaths involving synthetic opioids other than methadone (T40.4), NCHS
    # Data Briefs No. 457 (Dec. 2022): 70,601 in 2021, and No. 491 (Mar. 2024): 73,838 in
    # 2022. Provisional counts sit within a couple of per cent of the final ones.
    assert years["2021"] == pytest.approx(70_601, rel=0.02)
    assert years["2022"] == pytest.approx(73_838, rel=0.02)
    # The fall after 2023 that the seed articles discuss ("declined by 21% since June 2023").
    assert years["2024"] is not None and years["2023"] is not None
    assert years["2024"] < 0.7 * years["2023"]


def test_rolling_periods_and_suppressed_cells(vsrr_store: Store) -> None:
    monthly = {p.period: p for p in us_overdose_deaths(vsrr_store, by="month")}
    january = monthly["2024-01"]
    assert (january.start, january.end) == (date(2023, 2, 1), date(2024, 1, 31))
    alaska = us_overdose_deaths(vsrr_store, jurisdiction="AK")
    suppressed = [p for p in alaska if p.suppressed]
    assert suppressed and all(p.deaths is None for p in suppressed)  # never stored as zero
