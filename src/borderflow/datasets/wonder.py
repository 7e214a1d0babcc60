"""CDC WONDER exports of deaths by state and month (Multiple Cause of Death, ICD-10 T40.4).

Three layouts as published: final 1999–2020 and 2018–2023 ("State", source `cdc-wonder`) and
provisional from 2018 ("Residence State", source `cdc-wonder-provisional`; years read like
"2024 (provisional)"). WONDER suppresses counts under 10, and the uploader removed them and
the footnote block, so sums over states are slightly below national totals.

A state-month cell absent from a release that covers its month was suppressed (0 to 9
deaths). A period's sum therefore says how many of its cells were suppressed, and a period
whose every cell was suppressed has no value at all: a blank, never a count of 0 (the final
exports hold one month of Wyoming's from 1999 to 2023, December 2022 with 10 deaths; its
other months are not zero).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import partial
from typing import Any

from borderflow.calendars import CoveredPeriod, month_end, sum_by_period
from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.points import covered_months
from borderflow.datasets.source import CsvLayout, Filter, Series, SeriesQuery, Source
from borderflow.datasets.tabular import Row, parse_rows, rows, substance_of
from borderflow.datasets.validity import CellError, Labels, Periods, Quantity, Validity
from borderflow.store import Store
from borderflow.store.observations import observations

# WONDER's State dimension: the 50 states and the District of Columbia. It suppresses
# counts from 1 to 9, so a cell left out holds at most 9 deaths.
STATES = 51
LARGEST_SUPPRESSED = 9


def _header(state: str) -> tuple[str, ...]:
    return (
        "Notes", "Year", "Year Code", "Month", "Month Code", state, f"{state} Code",
        "Multiple Cause of death", "Multiple Cause of death Code", "Deaths", "Population",
        "Crude Rate",
    )  # fmt: skip


_MONTH_CODE = re.compile(r"^([0-9]{4})/([0-9]{2})$")


def _validity(state_column: str) -> Validity:
    """What a WONDER export may hold: monthly deaths in one state (the largest published
    is about 700), months from 1968, FIPS state codes and ICD-10 cause codes."""
    return Validity(
        quantities=(
            Quantity(("deaths",), "Deaths", "deaths in a month", maximum=100_000, whole=True),
        ),
        periods=Periods("Month Code", first=1968),
        labels=(
            Labels(
                f"{state_column} Code", "state code", pattern="[0-9]{2}",
                shape="a two-digit FIPS code such as 06",
            ),
            Labels(
                "Multiple Cause of death Code", "cause code", pattern=r"[A-Z][0-9]{2}(\.[0-9])?",
                shape="an ICD-10 code such as T40.4",
            ),
        ),
    )  # fmt: skip


def _record(row: Row, prefix: str, valid: Validity) -> list[ObservationRecord]:
    raw = row.get("Month Code")
    m = _MONTH_CODE.match(raw)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise CellError("Month Code", f"{raw!r} is not a month", "YYYY/MM such as 2023/07")
    year, month = valid.year(m.group(1), "Month Code"), int(m.group(2))
    deaths = valid.figure("deaths", row.get("Deaths"), "Deaths")
    if deaths is None:
        raise CellError("Deaths", "is empty", "a count (WONDER leaves out counts under 10)")
    label = row.get("Multiple Cause of death")
    code = valid.label("Multiple Cause of death Code", row.get("Multiple Cause of death Code"))
    state_code = valid.label(f"{prefix} Code", row.get(f"{prefix} Code"))
    return [
        ObservationRecord(
            measure="deaths", key=f"{state_code}|{year}-{month:02d}|{code}", line=row.line,
            period_start=date(year, month, 1), period_end=month_end(year, month),
            period_basis="month", value=deaths, unit="deaths", substance=substance_of(label),
            substance_label=f"{label} ({code})", country="US", area=state_code,
            state=row.get(prefix),
        )
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class CellSum:
    """One period of WONDER deaths summed over the state-month cells published. `cells`
    is how many state-months the period has where the releases cover it, and
    `suppressed_cells` how many of them WONDER left out; when it left out all of them,
    `value` is None and `suppressed` is set: the count is unknown, not zero."""

    period: str
    start: date
    end: date
    basis: str
    value: float | None
    unit: str
    months: int
    expected_months: int
    partial: bool
    suppressed: bool
    suppressed_cells: int
    cells: int

    def as_record(self) -> dict[str, Any]:
        record: dict[str, Any] = asdict(self)
        record["start"], record["end"] = self.start.isoformat(), self.end.isoformat()
        return record

    @property
    def short_by(self) -> int:
        """The most deaths the suppressed cells can hold."""
        return self.suppressed_cells * LARGEST_SUPPRESSED

    @classmethod
    def of(cls, period: CoveredPeriod, total: float, present: int, places: int) -> CellSum:
        cells = places * period.months
        return cls(
            period.label, period.start, period.end, period.basis,
            total if present else None, "deaths", period.months, period.expected,
            period.partial, not present, max(0, cells - present), cells,
        )  # fmt: skip


def wonder_deaths(
    store: Store,
    *,
    source: str = "cdc-wonder",
    state: str | None = None,
    substance: str = "synthetic opioids",
    by: str = "calendar-year",
) -> list[CellSum]:
    """Deaths from CDC WONDER by period, for one state (its code, e.g. "06") or summed over
    the published state-month cells, with how many cells were suppressed: a sum over
    some suppressed cells is a lower bound, a period with every cell suppressed has none."""
    deaths: dict[date, float] = defaultdict(float)
    present: Counter[date] = Counter()
    for o in observations(
        store, source=source, measure="deaths", substance=substance,
        filters={"area": state} if state else {},
    ):  # fmt: skip
        if o.value is not None:
            deaths[o.period_start] += o.value
            present[o.period_start] += 1
    counted = {month: float(n) for month, n in present.items()}
    places = 1 if state else STATES
    return [
        CellSum.of(period, total, int(n), places)
        for period, (total, n) in sum_by_period(covered_months(store, source), by, deaths, counted)
    ]


def _source(
    name: str, state_column: str, title: str, description: str, aliases: tuple[str, ...] = ()
) -> Source:
    """The final and provisional exports differ only in their state column's name."""

    valid = _validity(state_column)

    def parse(text: str, file: str, skip: int) -> ParsedFile:
        records = partial(_record, prefix=state_column, valid=valid)
        return parse_rows(name, rows(text, file, skip), records)

    def build(store: Store, query: SeriesQuery) -> Sequence[CellSum]:
        return wonder_deaths(
            store, source=name, state=query.text("jurisdiction"),
            substance=query.text("substance") or "synthetic opioids", by=query.by,
        )  # fmt: skip

    return Source(
        name=name,
        title=title,
        description=description,
        layout=CsvLayout(_header(state_column), parse),
        series=Series(
            build,
            filters=(
                Filter(
                    "substance",
                    "the cause of death, e.g. synthetic opioids",
                    "substance",
                    "deaths",
                    "synthetic opioids",
                ),
                Filter(
                    "jurisdiction",
                    "a state FIPS code such as 06, or its name (default: "
                    "the sum over the published states)",
                    "area",
                    "deaths",
                ),
            ),
            periods=("calendar-year", "quarter", "month"),
            columns=(
                ("period", "period"),
                ("value", "deaths"),
                ("months", "months"),
                ("partial", "partial"),
                ("suppressed_cells", "state-months suppressed"),
            ),
            chart_field="value",
            chart_title=f"Deaths involving {{substance}}, {title.split(', ', 1)[1]}",
        ),
        aliases=aliases,
        valid=valid,
    )


FINAL = _source(
    "cdc-wonder", "State", "U.S. overdose deaths by state, final (CDC WONDER)",
    "CDC WONDER final deaths by state and month (Multiple Cause of Death)", ("wonder-deaths",),
)  # fmt: skip
PROVISIONAL = _source(
    "cdc-wonder-provisional", "Residence State",
    "U.S. overdose deaths by state, provisional (CDC WONDER)",
    "CDC WONDER provisional deaths by residence state and month",
)  # fmt: skip
