"""Deaths claims go to the series of the drug they count: fentanyl to synthetic opioids,
overdoses in general to all drugs, methamphetamine to psychostimulants, cocaine to cocaine.
Claims are built directly (no extraction), so each case says exactly what a claim is."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from borderflow.checks.data import DeathsOrigin, OfficialData, load_official, series_key
from borderflow.checks.deaths import check_deaths
from borderflow.datasets import cdc
from borderflow.datasets.bundle import reference_files, written_files
from borderflow.datasets.importer import import_files
from borderflow.records.claims import PeriodReading, StoredClaim
from borderflow.records.verdicts import Verdict
from borderflow.store import Store
from tests.datasets import builders

_ids = itertools.count(1)
ANNUAL = "cdc-annual--us-overdose-deaths-by-drug.csv"


def _claim(
    text: str,
    sentence: str,
    value: float,
    *,
    year: int | None,
    substance: str | None,
    **fields: Any,
) -> StoredClaim:
    """A U.S. deaths claim about calendar `year` (None: no period stated)."""
    period: dict[str, Any] = {}
    if year is not None:
        start, end = date(year, 1, 1), date(year, 12, 31)
        period = {
            "period_start": start, "period_end": end, "period_basis": "calendar",
            "period_text": f"in {year}",
            "period_candidates": [PeriodReading("calendar", start, end)],
        }  # fmt: skip
    base: dict[str, Any] = {
        "start": 0, "end": len(text), "text": text, "sentence": sentence, "value": value,
        "value_max": None, "qualifier": "exact", "unit": "deaths", "dimension": "count",
        "normalized_value": value, "normalized_unit": "deaths", "measure": "deaths",
        "substance": substance, **period,
    }  # fmt: skip
    return StoredClaim(**{**base, **fields}, id=next(_ids), document_id=1, document="d.txt")


def _data() -> OfficialData:
    """Each series holds figures for 2022 and 2023 (as CDC published them; synthetic
    opioids as in the shipped VSRR file), with an origin and a line for each."""
    data = OfficialData()
    data.us_deaths = {2022: 74_829, 2023: 74_091}
    data.us_deaths_by_substance = {
        "synthetic opioids": dict(data.us_deaths),
        "drugs": {2022: 107_941, 2023: 105_007},
        "psychostimulants": {2017: 10_333, 2019: 16_167},
        "cocaine": {2017: 13_942, 2018: 14_666},
    }
    for substance, figures in data.us_deaths_by_substance.items():
        source = "cdc-vsrr" if substance == "synthetic opioids" else "cdc-annual"
        for line, year in enumerate(sorted(figures), start=2):
            published = "CDC VSRR" if source == "cdc-vsrr" else f"Publication of {year}"
            data.us_deaths_origin[(substance, year)] = DeathsOrigin(source, published)
            data.lines[(series_key(source, substance), year)] = (f"{source}--x.csv", line)
    data.release_names = {"cdc-vsrr": ["cdc-vsrr--x.csv"], "cdc-annual": ["cdc-annual--x.csv"]}
    return data


def _check(claim: StoredClaim, data: OfficialData | None = None) -> Verdict:
    verdict = check_deaths(claim, data or _data(), date(2025, 6, 1))
    assert verdict is not None
    return verdict


@pytest.mark.parametrize(
    ("substance", "year", "value", "series"),
    [
        ("fentanyl", 2023, 74_091, "synthetic opioids"),
        ("synthetic opioids", 2022, 74_829, "synthetic opioids"),
        ("drugs", 2023, 105_007, "all drugs"),
        ("methamphetamine", 2019, 16_167, "psychostimulants"),
        ("psychostimulants", 2017, 10_333, "psychostimulants"),
        ("cocaine", 2018, 14_666, "cocaine"),
    ],
)
def test_each_substance_is_judged_against_its_own_series(
    substance: str, year: int, value: float, series: str
) -> None:
    text = f"{value:,.0f} deaths"
    claim = _claim(text, f"There were {text} involving {substance} in {year}.", value,
                   year=year, substance=substance)  # fmt: skip
    verdict = _check(claim)
    assert verdict.verdict == "supported", verdict.explanation
    assert series in verdict.explanation and str(year) in verdict.explanation
    assert f"{value:,.0f}" in verdict.explanation
    (cite,) = verdict.citations
    expected = "cdc-vsrr" if series == "synthetic opioids" else "cdc-annual"
    assert (cite.source, cite.release, cite.value) == (expected, f"{expected}--x.csv", value)
    assert cite.line is not None and cite.line >= 2


def test_all_drug_deaths_are_not_contradicted_against_fentanyl() -> None:
    sentence = "About 107,000 Americans died of drug overdoses in 2022, the CDC said."
    claim = _claim("About 107,000 Americans", sentence, 107_000, year=2022, substance="drugs",
                   qualifier="approx", agency="CDC")  # fmt: skip
    verdict = _check(claim)
    assert verdict.verdict == "supported", verdict.explanation
    assert "all drugs" in verdict.explanation and "107,941" in verdict.explanation
    assert "Publication of 2022" in verdict.explanation  # the source is named
    # Stated exactly, 107,000 is about 1% under the count: right, loosely rounded.
    exact = _claim("107,000 Americans", sentence.replace("About ", ""), 107_000, year=2022,
                   substance="drugs")  # fmt: skip
    assert _check(exact).verdict == "supported-with-caveat"


def test_overdoses_without_a_drug_are_all_drugs() -> None:
    sentence = "Overdoses killed 105,007 people in the United States in 2023."
    claim = _claim("105,007 people", sentence, 105_007, year=2023, substance=None)
    verdict = _check(claim)
    assert verdict.verdict == "supported" and "all drugs" in verdict.explanation
    nothing = _claim("105,007 people", "Some 105,007 people died in 2023.", 105_007, year=2023,
                     substance=None)  # fmt: skip
    assert _check(nothing).verdict == "unverifiable"


def test_all_opioids_have_no_series_unless_one_is_held() -> None:
    sentence = "Opioids were involved in 81,083 overdose deaths in 2023."
    claim = _claim("81,083 overdose deaths", sentence, 81_083, year=2023, substance="opioids")
    verdict = _check(claim)
    assert verdict.verdict == "unverifiable"
    assert "any opioid" in verdict.explanation and "VSRR" in verdict.explanation
    data = _data()
    data.us_deaths_by_substance["opioids"] = {2023: 81_083}
    assert _check(claim, data).verdict == "supported"


def test_a_year_the_series_lacks_is_unverifiable_and_says_which_it_has() -> None:
    claim = _claim("29,000 deaths", "Cocaine was involved in 29,000 deaths in 2022.", 29_000,
                   year=2022, substance="cocaine")  # fmt: skip
    verdict = _check(claim)
    assert verdict.verdict == "unverifiable"
    assert "2022" in verdict.explanation and "2017, 2018" in verdict.explanation


def test_a_wrong_figure_is_contradicted_by_its_own_drug() -> None:
    claim = _claim("40,000 deaths", "Methamphetamine caused 40,000 deaths in 2019.", 40_000,
                   year=2019, substance="methamphetamine")  # fmt: skip
    verdict = _check(claim)
    assert verdict.verdict == "contradicted" and "16,167" in verdict.explanation


def _loaded(tmp_path: Path, extra: list[Path] | None = None) -> OfficialData:
    with Store.open(f"sqlite:///{tmp_path / 'official.db'}") as store:
        _, errors = import_files(store, [*reference_files(), *(extra or [])])
        assert not errors
        return load_official(store)


def test_the_shipped_data_hold_every_series_with_its_file_and_line(tmp_path: Path) -> None:
    data = _loaded(tmp_path)
    held = data.us_deaths_by_substance
    assert {"drugs", "psychostimulants", "cocaine", "synthetic opioids"} <= set(held)
    assert held["drugs"][2023] == 105_007 and held["cocaine"][2017] == 13_942
    assert held["synthetic opioids"] == data.us_deaths  # the VSRR series, as before
    assert data.lines[(series_key("cdc-annual", "drugs"), 2023)] == (ANNUAL, 10)
    origin = data.us_deaths_origin[("drugs", 2023)]
    assert origin.source == "cdc-annual" and "NCHS Data Brief No. 522" in origin.published
    assert data.us_deaths_origin[("synthetic opioids", 2023)].source == "cdc-vsrr"
    sentence = "Nearly 105,000 people died of drug overdoses in 2023."
    verdict = _check(_claim("Nearly 105,000 people", sentence, 105_000, year=2023,
                            substance="drugs", qualifier="approx"), data)  # fmt: skip
    assert verdict.verdict == "supported"
    assert (verdict.citations[0].release, verdict.citations[0].line) == (ANNUAL, 10)
    assert "NCHS Data Brief No. 522" in verdict.explanation
    assert written_files()[0].name == ANNUAL


def test_a_full_vsrr_file_is_preferred_where_it_has_the_year(tmp_path: Path) -> None:
    row = ("US", "2023", "December", "12 month-ending", "Number of Drug Overdose Deaths", "100",
           "0.2", "United States", "", "", "105,500", "107,500")  # fmt: skip
    path = tmp_path / "vsrr-full.csv"
    path.write_text(builders.csv_text(cdc.HEADER, [row]), encoding="utf-8")
    data = _loaded(tmp_path, [path])
    assert data.us_deaths_by_substance["drugs"][2023] == 105_500  # VSRR's figure
    assert data.us_deaths_origin[("drugs", 2023)].source == "cdc-vsrr"
    assert data.lines[(series_key("cdc-vsrr", "drugs"), 2023)] == ("vsrr-full.csv", 2)
    assert data.us_deaths_by_substance["drugs"][2022] == 107_941  # published, VSRR lacks it
