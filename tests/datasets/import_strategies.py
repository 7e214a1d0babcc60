"""Hypothesis strategies for statistics files of every registered source: a valid sample
row of the source (`builders`) with cells replaced by hostile values (NaN, 1e400, "1_000",
formulas, control characters, far-future years, huge numbers), broken quoting and line
ends, title lines, raw bytes, and UNODC workbooks with odd cell types. Shared by
`test_import_properties.py` and `benchmarks/import_fuzz.py`, with one check of
what "never crashes" means."""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import date, datetime

from hypothesis import strategies as st

from borderflow.datasets import registry
from borderflow.datasets.importer import parse
from borderflow.errors import BorderflowError, ImportFormatError
from tests.datasets import builders

TODAY = date(2026, 11, 30)
NAME = "fuzz.csv"
HOSTILE = (
    "", " ", "NaN", "nan", "-nan", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e-400",
    "1_000", "1__0", "-227.50", "-0", "+5", "0", "00012", "1,000", "1,2,3", "1.", ".5", "1e5",
    "9" * 400, "0x1A", "١٢", "１２", "=1+2", "+1+2", "-2+3", "@SUM(A1)", '=HYPERLINK("x","y")',
    "Suppr.", "n/a", "NA", "2099", "0000", "9999", "1899", "2026 (FYTD)", "2099 (FYTD)",
    "2028", "2024 Q5", "2024 Q0", "2025 (Sep to Jan)", "2025 (Foo to Bar)", "12 month-ending",
    "SA3 (X)", "T40.4", "2021/13", "2021/00", "99999/01", "\x1b[31m", "a\nb", "a\rb", '"',
    '""', "Northern Border ", "northern border", "\ufeffFY", "\u202e", "x" * 300,
)  # fmt: skip


def _number_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(10**12), 10**12).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.from_regex(r"[-+]?[0-9]{1,4}(,[0-9]{1,4}){0,3}(\.[0-9]{0,3})?([eE][-+]?[0-9]{1,4})?",
                      fullmatch=True),
    )  # fmt: skip


def _labels() -> list[str]:
    """Every vocabulary value any source declares, so rows get past their first label."""
    return sorted({v for s in registry.SOURCES for rule in s.valid.labels for v in rule.known})


CELL: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(HOSTILE),
    _number_text(),
    st.sampled_from(_labels()),
    st.text(max_size=20),
)


def _row(base: tuple[object, ...]) -> st.SearchStrategy[list[str]]:
    """A sample row with up to three cells replaced, sometimes cut short or made longer."""
    cells = [str(v) for v in base]
    changes = st.lists(st.tuples(st.integers(0, len(cells) - 1), CELL), max_size=3)
    ends = st.sampled_from([len(cells)] * 6 + [1, len(cells) // 2, len(cells) - 1])
    extra = st.lists(CELL, max_size=2)

    def build(drawn: tuple[list[tuple[int, str]], int, list[str]]) -> list[str]:
        replaced, end, more = drawn
        row = list(cells)
        for index, value in replaced:
            row[index] = value
        return row[:end] + (more if end == len(cells) and not replaced else [])

    return st.tuples(changes, ends, extra).map(build)


_ROWS = {
    source: st.lists(st.one_of(*[_row(tuple(r)) for r in rows]), max_size=6)
    for source, (_, rows) in builders.CSV.items()
}


@st.composite
def csv_file(draw: st.DrawFn, source: str) -> bytes:
    """A file in `source`'s layout (one of `builders.CSV`) with hostile rows."""
    header = builders.CSV[source][0]
    body = draw(_ROWS[source])
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    out = io.StringIO()
    if draw(st.booleans()):  # quoted properly
        writer = csv.writer(out, lineterminator=ending)
        writer.writerow(header)
        writer.writerows(body)
        text = out.getvalue()
    else:  # joined by hand: stray quotes and newlines break the quoting
        text = ending.join(",".join(line) for line in [list(header), *body]) + ending
    encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
    prefix = draw(st.sampled_from(["", "\ufeff" if encoding == "utf-8" else "", "Title\n"]))
    return (prefix + text).encode(encoding, errors="replace")


@st.composite
def nflis_table(draw: st.DrawFn) -> bytes:
    """Table 3: title lines naming a year, then blocks of states with hostile counts."""
    year = draw(st.one_of(st.sampled_from(["2021", "2099", "1990", "no year"]), CELL))
    states = draw(st.lists(st.one_of(st.sampled_from(["Ohio", "Texas"]), CELL), max_size=4))
    lines = [f"Table 3. State Counts: {year}", "Counts of reports,,"]
    for _ in range(draw(st.integers(1, 2))):
        lines.append(",".join(["Drug", "Alabama", "Alaska", *states]))
        for _ in range(draw(st.integers(0, 4))):
            cells = draw(st.lists(CELL, min_size=1, max_size=len(states) + 4))
            lines.append(",".join([draw(CELL), *cells]))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8", errors="replace")


WORKBOOK_CELL = st.one_of(
    CELL,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
    st.booleans(),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
)


@st.composite
def unodc_workbook(draw: st.DrawFn) -> bytes:
    base = builders.UNODC_ROWS[0]
    rows = draw(
        st.lists(
            st.tuples(*[st.one_of(st.just(v), WORKBOOK_CELL) for v in base]).map(list),
            max_size=5,
        )
    )
    clean = [[_xml_safe(c) for c in row] for row in rows]
    return builders.unodc_bytes(clean, title=draw(st.booleans()))


def _xml_safe(cell: object) -> object:
    """openpyxl refuses to write control characters; an agency's file cannot hold them."""
    if isinstance(cell, str):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", cell)
    return cell


def any_file() -> st.SearchStrategy[tuple[str, bytes]]:
    """(file name, bytes) for every registered source, and raw bytes."""
    csv_sources = [st.tuples(st.just(NAME), csv_file(s)) for s in builders.CSV]
    return st.one_of(
        *csv_sources,
        st.tuples(st.just(NAME), nflis_table()),
        st.tuples(st.just("fuzz.xlsx"), unodc_workbook()),
        st.tuples(st.just(NAME), st.binary(max_size=300)),
        st.tuples(st.just("fuzz.xlsx"), st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b)),
    )


def check(name: str, data: bytes) -> str:
    """Parse as `data import` does; what happened: "clean", "bad rows" (each reported
    `name:LINE: ...`) or "refused" (the whole file). Anything but a BorderflowError with
    `name` lines, or a parsed figure outside what its source declares valid, fails an
    assertion (a crash)."""
    try:
        parsed = parse(data, name, today=TODAY)
    except ImportFormatError as exc:
        for problem in exc.problems:
            assert problem.startswith(name) and "\n" not in problem and "\x1b" not in problem
        return "refused"
    except BorderflowError:
        return "refused"
    line = re.compile(rf"^{re.escape(name)}:\d+: ")
    for problem in parsed.problems:
        assert line.match(problem) and "\n" not in problem and "\x1b" not in problem, problem
    valid = registry.source(parsed.source).valid
    bad = set(parsed.skipped_lines)
    for record in parsed.records:
        assert record.line not in bad
        assert record.value is None or math.isfinite(record.value)
        assert valid.problems(record, TODAY) == [], record
    return "bad rows" if parsed.problems else "clean"
