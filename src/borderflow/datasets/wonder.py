"""CDC WONDER exports of deaths by state and month (Multiple Cause of Death, ICD-10 T40.4).

Three layouts as published: final 1999–2020 and 2018–2023 ("State", source `cdc-wonder`) and
provisional from 2018 ("Residence State", source `cdc-wonder-provisional`; years read like
"2024 (provisional)"). WONDER suppresses counts under 10, and the uploader removed them and
the footnote block, so sums over states are slightly below national totals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import partial

from borderflow.calendars import month_end, sum_by_period
from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.points import SeriesPoint, covered_months
from borderflow.datasets.source import CsvLayout, Filter, Series, SeriesQuery, Source
from borderflow.datasets.tabular import Row, number, parse_rows, rows, substance_of
from borderflow.store import Store
from borderflow.store.observations import sums_by_period


def _header(state: str) -> tuple[str, ...]:
    return (
        "Notes", "Year", "Year Code", "Month", "Month Code", state, f"{state} Code",
        "Multiple Cause of death", "Multiple Cause of death Code", "Deaths", "Population",
        "Crude Rate",
    )  # fmt: skip


_MONTH_CODE = re.compile(r"^(\d{4})/(\d{2})$")


def _record(row: Row, prefix: str) -> list[ObservationRecord]:
    m = _MONTH_CODE.match(row.get("Month Code"))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"Month Code {row.get('Month Code')!r} is not YYYY/MM")
    year, month = int(m.group(1)), int(m.group(2))
    deaths = number(row.get("Deaths"), "Deaths")
    if deaths is None:
        raise ValueError("Deaths is empty")
    label, code = row.get("Multiple Cause of death"), row.get("Multiple Cause of death Code")
    state_code = row.get(f"{prefix} Code")
    return [
        ObservationRecord(
            measure="deaths", key=f"{state_code}|{year}-{month:02d}|{code}", line=row.line,
            period_start=date(year, month, 1), period_end=month_end(year, month),
            period_basis="month", value=deaths, unit="deaths", substance=substance_of(label),
            substance_label=f"{label} ({code})", country="US", area=state_code,
            state=row.get(prefix),
        )
    ]  # fmt: skip


def wonder_deaths(
    store: Store,
    *,
    source: str = "cdc-wonder",
    state: str | None = None,
    substance: str = "synthetic opioids",
    by: str = "calendar-year",
) -> list[SeriesPoint]:
    """Deaths from CDC WONDER by period, for one state (its code, e.g. "06") or summed over
    the published state-month cells (suppressed small counts are absent, so the sum is a
    lower bound of the national count)."""
    filters = {"area": state} if state else {}
    monthly = sums_by_period(
        store, source=source, measure="deaths", substance=substance, filters=filters
    )
    return [
        SeriesPoint.of(p, deaths, "deaths")
        for p, (deaths,) in sum_by_period(covered_months(store, source), by, monthly)
    ]


def _source(
    name: str, state_column: str, title: str, description: str, aliases: tuple[str, ...] = ()
) -> Source:
    """The final and provisional exports differ only in their state column's name."""

    def parse(text: str, file: str, skip: int) -> ParsedFile:
        return parse_rows(name, rows(text, file, skip), partial(_record, prefix=state_column))

    def build(store: Store, query: SeriesQuery) -> Sequence[SeriesPoint]:
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
            ),
            chart_field="value",
            chart_title=f"Deaths involving {{substance}}, {title.split(', ', 1)[1]}",
        ),
        aliases=aliases,
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
