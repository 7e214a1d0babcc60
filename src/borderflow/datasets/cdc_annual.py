"""U.S. overdose deaths by drug for whole calendar years, as CDC published them.

The checks need deaths from all drugs, cocaine and psychostimulants as well as from
synthetic opioids, and the VSRR file borderflow ships holds T40.4 only. This source is a
small file written for borderflow (reference/cdc-annual--us-overdose-deaths-by-drug.csv):
one row per year and indicator, the figure as published, and beside it the publication it
comes from (an NCHS Data Brief or MMWR report for final counts, a VSRR release for
provisional ones), its address and release date. A row without them is refused: a figure
the checks cite must say where it was published. A user's full VSRR file, when imported,
is preferred by the checks (`borderflow.checks.data`).

Indicators are named as VSRR names them ("Cocaine (T40.5)"), so the vocabulary's dataset
labels give the substance for both files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.points import DeathsPoint
from borderflow.datasets.source import CsvLayout, Filter, Series, SeriesQuery, Source
from borderflow.datasets.tabular import Row, header_line, parse_rows, rows, substance_of
from borderflow.datasets.validity import CellError, Labels, Periods, Quantity, Validity
from borderflow.store import Store
from borderflow.store.observations import observations
from borderflow.vocab import load_vocabulary

HEADER = ("year", "indicator", "deaths", "status", "source", "url", "released")
NATIONAL = "US"
DEFAULT_SUBSTANCE = "drugs"
VALID = Validity(
    quantities=(
        Quantity(
            ("deaths",), "deaths", "deaths in a calendar year", maximum=1_000_000, whole=True,
            suppressible=False,
        ),
    ),
    periods=Periods("year", first=1999),
    labels=(
        Labels("status", "status", ("final", "provisional")),
        Labels(
            "source", "publication", pattern=r"\S.{4,299}",
            shape="the publication's title, such as NCHS Data Brief No. 522: ...",
        ),
        Labels(
            "url", "address", pattern=r"https://[^\s,\"']{4,300}",
            shape="the publication's https:// address",
        ),
        Labels(
            "released", "release date", pattern=r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?",
            shape="the release date, such as 2024-12-19 (or its month, 2021-12)",
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Publication:
    """Where one row's figure was published, as its row says."""

    title: str
    url: str
    released: str
    status: str

    def words(self) -> str:
        return f"{self.title}, {self.status}, released {self.released}"


def _indicator(raw: str) -> str:
    """An indicator the vocabulary maps to a substance (an unknown one would be stored
    under its own label and never found)."""
    label = raw.strip()
    if label not in load_vocabulary().dataset_substances:
        raise CellError(
            "indicator", f"{label!r} is not a known indicator" if label else "is empty",
            "a CDC VSRR indicator such as Cocaine (T40.5) or Number of Drug Overdose Deaths",
        )  # fmt: skip
    return label


def _publication(row: Row) -> Publication:
    return Publication(
        VALID.label("source", row.get("source")),
        VALID.label("url", row.get("url")),
        VALID.label("released", row.get("released")),
        VALID.label("status", row.get("status")),
    )


def _records(row: Row) -> list[ObservationRecord]:
    year = VALID.year(row.get("year"))
    label = _indicator(row.get("indicator"))
    _publication(row)  # a figure without its publication is refused
    value = VALID.figure("deaths", row.get("deaths"), "deaths")
    return [
        ObservationRecord(
            measure="deaths", key=f"{NATIONAL}|{year}|{label}", line=row.line,
            period_start=date(year, 1, 1), period_end=date(year, 12, 31),
            period_basis="calendar", value=value, unit="deaths", substance=substance_of(label),
            substance_label=label, country="US", area=NATIONAL, state="United States",
        )
    ]  # fmt: skip


def parse(text: str, file: str, skip: int) -> ParsedFile:
    return parse_rows(ANNUAL.name, rows(text, file, skip), _records)


def publications(text: str, file: str) -> dict[int, Publication]:
    """Each line's publication (lines whose cells are not valid are left out): what a
    check names beside a figure it cites from this file."""
    found: dict[int, Publication] = {}
    for row in rows(text, file, header_line(text, HEADER) or 0):
        try:
            found[row.line] = _publication(row)
        except ValueError:
            continue
    return found


def us_deaths(store: Store, *, substance: str = DEFAULT_SUBSTANCE) -> list[DeathsPoint]:
    """National deaths involving `substance` by calendar year, oldest first."""
    found = observations(
        store, source=ANNUAL.name, measure="deaths", substance=substance,
        filters={"area": NATIONAL},
    )  # fmt: skip
    return [
        DeathsPoint(
            str(o.period_start.year), o.period_start, o.period_end, o.period_basis, o.value,
            None, o.suppressed, o.state, o.release, o.line,
        )
        for o in sorted(found, key=lambda o: o.period_start)
    ]  # fmt: skip


def _build(store: Store, query: SeriesQuery) -> Sequence[DeathsPoint]:
    return us_deaths(store, substance=query.text("substance") or DEFAULT_SUBSTANCE)


ANNUAL = Source(
    name="cdc-annual",
    title="U.S. overdose deaths by drug, calendar years (CDC publications)",
    description="U.S. overdose deaths by drug and calendar year as CDC published them (NCHS "
    "Data Briefs, MMWR, VSRR), each row naming its publication",
    layout=CsvLayout(HEADER, parse),
    series=Series(
        _build,
        filters=(
            Filter(
                "substance",
                "the drug: drugs (all drug overdoses, the default), cocaine or psychostimulants",
                "substance",
                "deaths",
                DEFAULT_SUBSTANCE,
            ),
        ),
        periods=("calendar-year",),
        columns=(("period", "period"), ("start", "from"), ("end", "to"), ("deaths", "deaths")),
        chart_field="deaths",
        chart_title="U.S. overdose deaths involving {substance} (CDC publications)",
    ),
    judges=frozenset({"deaths"}),
    valid=VALID,
)
