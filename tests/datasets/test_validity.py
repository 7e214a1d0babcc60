"""Issue 12, items 1, 2 and 5: each source declares what a valid figure, period and label
is; a file with an invalid one is refused whole, one `FILE:LINE: COLUMN: what (valid: ...)`
line per problem, nothing written, unless --skip-bad-rows lands the good rows and lists
the bad ones. Files are the samples in `builders` with one cell spoiled."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from borderflow.datasets import registry
from borderflow.datasets.importer import import_file, parse
from borderflow.datasets.validity import number
from borderflow.errors import ImportFormatError
from borderflow.store import Store
from borderflow.store.observations import observations, releases
from tests.datasets import builders

TODAY = date(2026, 11, 30)  # FY2027 is in progress, calendar 2026
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<column>[^:]+): .+ \(valid: .+\)$")

BAD_NUMBERS = ["NaN", "nan", "inf", "-Infinity", "1e400", "1_000", "twelve", "0x1A", "١٢"]
# (source, column holding a figure, a valid sample of the unit)
FIGURE_COLUMNS = [
    ("cbp", "Sum Qty (lbs)"),
    ("cbp", "Count of Event"),
    ("cdc-vsrr", "data_value"),
    ("phac", "Value"),
    ("cdc-wonder", "Deaths"),
    ("nflis", "DRUG_REPORTS"),
]
NEGATIVE = [("cbp", "Sum Qty (lbs)", "-227.50"), ("cbp", "Count of Event", "-3"),
            ("cdc-vsrr", "data_value", "-40"), ("phac", "Value", "-5"),
            ("cdc-wonder", "Deaths", "-12"), ("nflis", "DRUG_REPORTS", "-1")]  # fmt: skip
FUTURE = [("cbp", "FY", "2099"), ("cbp", "FY", "2028"), ("cdc-vsrr", "year", "2099"),
          ("phac", "Year_Quarter", "2099"), ("phac", "Year_Quarter", "2027 Q1"),
          ("cdc-wonder", "Month Code", "2099/01"), ("nflis", "YYYY", "2099")]  # fmt: skip


def _problems(text: str, today: date = TODAY) -> list[str]:
    return parse(text.encode(), "bad.csv", today=today).problems


def _one_line_each(problems: list[str], column: str) -> None:
    assert problems, "the spoiled cell was accepted"
    for problem in problems:
        m = LINE.match(problem)
        assert m, f"not FILE:LINE: COLUMN: what (valid: ...): {problem!r}"
        assert m["file"] == "bad.csv" and m["line"] == "2" and m["column"] == column


@pytest.mark.parametrize("raw", BAD_NUMBERS)
@pytest.mark.parametrize(("source", "column"), FIGURE_COLUMNS)
def test_a_figure_that_is_not_a_finite_number_is_refused(
    source: str, column: str, raw: str
) -> None:
    text, _ = builders.spoiled(source, column, raw)
    _one_line_each(_problems(text), column)


@pytest.mark.parametrize(("source", "column", "raw"), NEGATIVE)
def test_negative_weights_and_counts_are_refused(source: str, column: str, raw: str) -> None:
    text, _ = builders.spoiled(source, column, raw)
    [problem] = _problems(text)
    _one_line_each([problem], column)
    assert "is negative" in problem


@pytest.mark.parametrize("column", ["Sum Qty (lbs)", "Count of Event"])
def test_an_empty_cbp_figure_is_refused_not_read_as_suppressed(column: str) -> None:
    """CBP withholds no cell, so a blank one is a damaged file; read as 'suppressed' it
    would silently remove an official figure from the series it belongs to."""
    text, _ = builders.spoiled("cbp", column, "")
    [problem] = _problems(text)
    _one_line_each([problem], column)
    assert "is empty" in problem


def test_an_empty_vsrr_figure_stays_suppressed() -> None:
    """CDC does withhold small counts: there an empty cell is a suppressed figure."""
    text, _ = builders.spoiled("cdc-vsrr", "data_value", "")
    assert _problems(text) == []


@pytest.mark.parametrize(("source", "column", "raw"), FUTURE)
def test_a_year_after_the_one_in_progress_is_refused(source: str, column: str, raw: str) -> None:
    text, _ = builders.spoiled(source, column, raw)
    [problem] = _problems(text)
    _one_line_each([problem], column)
    assert "after the" in problem and "in progress" in problem


def test_the_fiscal_year_in_progress_is_taken_up_to_the_current_month() -> None:
    # FY2027 began in October 2026: its October is published data, its December is not.
    october, _ = builders.spoiled("cbp", "FY", "2027 (FYTD)")
    assert _problems(october) == []
    december = october.replace("2027 (FYTD),OCT", "2027 (FYTD),DEC")
    [problem] = _problems(december)
    assert problem.startswith("bad.csv:2: FY: the period 2026-12-01 to 2026-12-31 has not begun")
    # A year later the same file is fine.
    assert _problems(december, today=date(2027, 11, 30)) == []


def test_implausible_ranges_are_refused() -> None:
    share = builders.csv_text(
        builders.CSV["phac"][0], [(*builders.PHAC_ROWS[2][:-1], "140")]
    )  # a percentage over 100
    [problem] = _problems(share)
    assert problem.startswith("bad.csv:2: Value: 140 is implausibly large (valid: percent from")
    deaths, _ = builders.spoiled("cdc-vsrr", "data_value", "12.5")
    assert "is not a whole number" in _problems(deaths)[0]


def test_labels_outside_the_vocabulary_are_refused() -> None:
    for source, column, raw in [
        ("cbp", "Region", "Northern Borders"),
        ("cbp", "Component", "Air and Marine Operations"),  # an AMO component in OFO's file
        ("phac", "Region", "Atlantis"),
        ("phac", "Unit", "Dozen"),
        ("cdc-vsrr", "state", "California"),
    ]:
        text, _ = builders.spoiled(source, column, raw)
        [problem] = _problems(text)
        _one_line_each([problem], column)
        assert "is not a known" in problem


def test_formula_cells_are_data_never_formulas() -> None:
    # A label outside the vocabulary is refused...
    text, _ = builders.spoiled("cbp", "Region", '=HYPERLINK("http://x","y")')
    [problem] = _problems(text)
    assert problem.startswith("bad.csv:2: Region: '=HYPERLINK(") and "not a known region" in problem
    # ...a free label is kept as the text it is...
    text, _ = builders.spoiled("cbp", "Drug Type", "=1+2")
    parsed = parse(text.encode(), "f.csv", today=TODAY)
    assert not parsed.problems
    assert {r.substance_label for r in parsed.records if r.line == 2} == {"=1+2"}
    # ...a leading sign is a number's sign (refused where a figure cannot be negative)...
    text, _ = builders.spoiled("cbp", "Sum Qty (lbs)", "+4.5")
    weights = [r.value for r in parse(text.encode(), "f.csv", today=TODAY).records]
    assert weights[0] == 4.5
    text, _ = builders.spoiled("cbp", "Sum Qty (lbs)", "-3")
    assert "Sum Qty (lbs): -3 is negative" in _problems(text)[0]
    # ...and "@SUM(A1)" is not a number.
    text, _ = builders.spoiled("cbp", "Count of Event", "@SUM(A1)")
    assert "Count of Event: '@SUM(A1)' is not a number" in _problems(text)[0]


def test_numbers_are_read_strictly() -> None:
    assert number("26,693", "x") == 26693 and number(" 1 234.5 ", "x") == 1234.5
    assert number("1.2E+05", "x") == 120000 and number("", "x") is None
    for bad in ("1,2,3", "12,34", "1e", "--1", "1.2.3"):
        with pytest.raises(ValueError, match=r"^x: .* \(valid: "):
            number(bad, "x")


WORKBOOK_BAD = [
    (7, "NaN", "Kilograms: 'NaN' is not a finite number"),
    (7, "1e400", "Kilograms: '1e400' is too large to be a number"),
    (7, "1_000", "Kilograms: '1_000' is not a number"),
    (7, -5, "Kilograms: -5 is negative"),
    (6, 2099, "Reference year: 2099 is after the year in progress (2026)"),
    (6, "20x1", "Reference year: '20x1' is not a year"),
    (0, "Atlantis", "Region: 'Atlantis' is not a known region"),
]


@pytest.mark.parametrize(("index", "value", "message"), WORKBOOK_BAD)
def test_unodc_workbook_cells(index: int, value: object, message: str) -> None:
    rows = [list(r) for r in builders.UNODC_ROWS]
    rows[1][index] = value
    [problem] = parse(builders.unodc_bytes(rows), "annex.xlsx", today=TODAY).problems
    assert problem.startswith(f"annex.xlsx:4: {message}") and "(valid: " in problem


@pytest.mark.parametrize(("source", "column", "raw"), [
    ("cbp", "Sum Qty (lbs)", "NaN"), ("cbp", "Sum Qty (lbs)", "-227.50"), ("cbp", "FY", "2099"),
    ("cdc-vsrr", "data_value", "inf"), ("phac", "Value", "1_000"),
])  # fmt: skip
def test_a_refused_file_writes_nothing(
    store: Store, tmp_path: Path, source: str, column: str, raw: str
) -> None:
    path = builders.write_csv(tmp_path / f"{source}.csv", source, column, raw)
    with pytest.raises(ImportFormatError) as refused:
        import_file(store, path, today=TODAY)
    *problems, summary = refused.value.problems
    assert [p.split(": ", 2)[1] for p in problems] == [column]
    assert summary.endswith("nothing imported (1 bad rows; --skip-bad-rows imports the rest)")
    assert releases(store) == []
    measure = {"cbp": "seizure_weight", "cdc-vsrr": "deaths", "phac": "deaths"}[source]
    assert observations(store, source=source, measure=measure) == []


def test_skip_bad_rows_lands_the_good_rows_and_counts_the_bad(store: Store, tmp_path: Path) -> None:
    header, rows = builders.CSV["cbp"]
    cells = [list(r) for r in rows]
    cells[1][8] = "NaN"  # line 3
    cells[3][7] = "-1"  # line 5, events
    path = tmp_path / "cbp-mixed.csv"
    path.write_text(builders.csv_text(header, cells), encoding="utf-8")
    result = import_file(store, path, skip_bad_rows=True, today=TODAY)
    assert [p.split(": ")[0].rsplit(":", 1)[1] for p in result.skipped] == ["3", "5"]
    assert result.skipped_rows == 2 and result.rows == 4
    [release] = releases(store)
    assert release.skipped_rows == 2 and release.rows == 4 and release.observations == 4
    stored = observations(store, source="cbp", measure="seizure_events")
    assert sorted(o.line for o in stored) == [2, 4]  # a bad row is left out whole


def test_every_source_declares_its_validity() -> None:
    for source in registry.SOURCES:
        valid = source.valid
        assert valid.periods is not None, f"{source.name}: no periods declared"
        assert valid.quantities, f"{source.name}: no figures declared"
        for quantity in valid.quantities:
            assert quantity.minimum >= 0 and quantity.maximum > quantity.minimum
