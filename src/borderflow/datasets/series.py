"""Series from stored observations, for any registered source: a request is checked against
the source's filters, periods and the values its data hold, then answered by the source's
own series function. The CLI's `data series`, the web's data page and its API all come
through `series_table`.

Periods are built from months (`borderflow.calendars`): U.S. fiscal year 2024 is October
2023 to September 2024. A period the data only partly cover is marked `partial`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from borderflow.datasets import registry
from borderflow.datasets.cbp import cbp_seizures, region_of_country
from borderflow.datasets.cdc import us_overdose_deaths
from borderflow.datasets.phac import canada_opioid_deaths
from borderflow.datasets.points import CanadaPoint, DeathsPoint, SeriesPoint, covered_months
from borderflow.datasets.source import Filter, Point, Series, SeriesQuery, Source
from borderflow.datasets.unodc import unodc_seizures
from borderflow.datasets.wonder import wonder_deaths
from borderflow.errors import QueryError
from borderflow.store import Store
from borderflow.store.observations import distinct_values, releases
from borderflow.vocab import load_vocabulary

__all__ = [
    "CanadaPoint",
    "DeathsPoint",
    "SeriesPoint",
    "SeriesTable",
    "canada_opioid_deaths",
    "cbp_seizures",
    "covered_months",
    "filter_choices",
    "official_headlines",
    "resolve",
    "series_table",
    "unodc_seizures",
    "us_overdose_deaths",
    "wonder_deaths",
]
_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off", "")
_LISTED = 60  # valid values named in an error before "..."


@dataclass(frozen=True, slots=True)
class SeriesTable:
    """A series with what the outputs need: its records, columns and chart labels."""

    source: Source
    series: Series
    query: SeriesQuery
    points: Sequence[Point]

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        return self.series.columns

    def records(self) -> list[dict[str, Any]]:
        return [p.as_record() for p in self.points]

    def chart_title(self) -> str:
        """The source's title, then every filter it does not name already, so a chart
        says what it shows: "CBP fentanyl seizures, pounds: Northern Border, land only".
        A value other than the source's default is named as the publisher labels it where
        borderflow's own name for it says something else: CBP's "Heroin" is stored as
        opioids, but the chart is of heroin, not of every opioid. (A default is the
        source's headline series, named when the source was declared.)"""
        filters, template, values = self.series.filters, self.series.chart_title, self.query.values
        named = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        text = template.format_map(
            {
                f.name: published_name(
                    values.get(f.name),
                    None if values.get(f.name) == f.default else self.query.labels.get(f.name),
                )
                for f in filters
            }
        )
        extra = []
        for f in filters:
            value = self.query.values.get(f.name)
            if f.name in named or not value:
                continue
            label = self.query.labels.get(f.name)
            extra.append(
                f.shown_as
                if f.flag
                else f"{label} ({value})"
                if label and label != value
                else str(value)
            )
        return text + (": " + ", ".join(extra) if extra else "")

    @property
    def chart_unit(self) -> str:
        return dict(self.series.columns)[self.series.chart_field]

    def empty_reason(self, store: Store) -> str | None:
        """Why a series has no points, in words a reader can act on; None when it has."""
        if self.points:
            return None
        if not releases(store, self.source.name):
            return (
                f"no {self.source.name} data in this store: import the agency's file with "
                "`borderflow data import FILE`"
            )
        return f"no {self.source.name} observations match these filters"


def published_name(value: str | bool | None, label: str | None) -> str:
    """How a title names a filter's value: as the data's label where it differs from the
    value ("Heroin" for opioids), its first word lower-cased mid-sentence unless it is an
    acronym ("heroin", "LSD"); the value itself where they agree; "all" for none."""
    if not value:
        return "all"
    text = str(value)
    if not label or label.casefold() == text.casefold():
        return text
    first, _, rest = label.partition(" ")
    if first[1:] == first[1:].lower():
        first = first.lower()
    return f"{first} {rest}" if rest else first


def series_source(name: str) -> tuple[Source, Series]:
    """The source a request names, matched without case and by its former names too
    ("PHAC", "canada-deaths"); a QueryError listing the sources with a series otherwise."""
    wanted = name.strip().casefold()
    for found in registry.with_series():
        if wanted in {n.casefold() for n in (found.name, *found.aliases)}:
            return registry.series_of(found.name)
    return registry.series_of(name)  # raises, naming the valid sources


def filter_choices(store: Store, source: str, name: str) -> list[tuple[str, str | None]]:
    """The values filter `name` of `source` can take in the data now stored, each with the
    label published beside it (a state's name beside its code): what a menu offers."""
    found, series = registry.series_of(source)
    spec = series.filter(name)
    if spec is None or spec.column is None:
        return []
    return distinct_values(
        store, source=found.name, column=spec.column, measure=spec.measure,
        label=_LABELS.get(spec.column),
    )  # fmt: skip


_LABELS = {"area": "state", "substance": "substance_label"}


def resolve(
    store: Store, source: str, values: Mapping[str, str | bool | None], by: str | None = None
) -> tuple[Source, Series, SeriesQuery]:
    """Check a request against the source: its period, the filters it has, and each value
    against the values its data hold (matched without case, or by the published label:
    "california" finds "06", "Heroin" finds opioids). Raises QueryError listing the valid
    choices."""
    found, series = series_source(source)
    asked = by.strip() if by else ""
    period = next((p for p in series.periods if p.casefold() == asked.casefold()), asked)
    period = period or series.periods[0]
    if period not in series.periods:
        raise QueryError(
            f"{found.name} is published by {', '.join(series.periods)}, not {period!r}",
            parameter="by",
            valid=series.periods,
            reason=f"{found.name} has no period {period!r}",
        )
    for name, value in values.items():
        if value not in (None, "", False) and series.filter(name) is None:
            takes = ", ".join(f.name for f in series.filters) or "none"
            raise QueryError(
                f"{found.name} has no filter {name!r} (its filters: {takes})",
                parameter=name,
                valid=tuple(f.name for f in series.filters),
                kind="parameter",
                source=found.name,
            )
    checked = {f.name: _checked(store, found, f, values.get(f.name)) for f in series.filters}
    return (
        found,
        series,
        SeriesQuery(
            period,
            {name: value for name, (value, _) in checked.items()},
            {name: label for name, (_, label) in checked.items() if label},
        ),
    )


def _checked(
    store: Store, source: Source, spec: Filter, raw: str | bool | None
) -> tuple[str | bool | None, str | None]:
    """The filter's value as the data hold it, and the label published beside it."""
    if spec.flag:
        if isinstance(raw, bool) or raw is None:
            return bool(raw), None
        if raw.strip().lower() in (*_TRUE, *_FALSE):
            return raw.strip().lower() in _TRUE, None
        raise QueryError(
            f"{spec.name} is true or false, not {raw!r}",
            parameter=spec.name,
            valid=("true", "false"),
        )
    if raw is None or raw == "" or isinstance(raw, bool):
        return spec.default, None  # the source's own default needs no checking
    choices = filter_choices(store, source.name, spec.name)
    if not choices:
        return raw, None  # nothing of this source is stored: the series is empty and says so
    wanted = {raw.strip().casefold()}
    # A place given by its postal code ("CA", "ON") where the data name it.
    named = load_vocabulary().jurisdiction_codes.get(raw.strip().upper())
    if named is not None:
        wanted.add(named.casefold())
    for value, label in choices:
        if wanted & {value.casefold(), (label or "").casefold()}:
            return value, label
    shown = sorted({f"{v} ({lab})" if lab and lab != v else v for v, lab in choices})
    listed = ", ".join(shown[:_LISTED]) + (", ..." if len(shown) > _LISTED else "")
    raise QueryError(
        f"{source.name} has no {spec.name} {raw!r}; valid: {listed}",
        parameter=spec.name,
        valid=tuple(shown),
        reason=f"{source.name} has no {spec.name} {raw!r}",
    )


def series_table(
    store: Store, source: str, values: Mapping[str, str | bool | None], by: str | None = None
) -> SeriesTable:
    """Any stored series, checked by `resolve` and built by its source."""
    found, series, query = resolve(store, source, values, by)
    return SeriesTable(found, series, query, series.build(store, query))


def official_headlines(store: Store) -> list[str]:
    """One line each for the headline figures of the series in the store (for summaries)."""
    lines = []
    north, south = (
        {p.period: p for p in cbp_seizures(store, region=region_of_country(c), land_only=True)}
        for c in ("CA", "MX")
    )
    complete = [label for label, p in north.items() if not p.partial]
    if complete:
        last = complete[-1]
        lines.append(
            f"CBP fentanyl seizures {last}: northern land border {north[last].value:,.2f} "
            f"lb, southwest land border {south[last].value:,.0f} lb"
        )
    deaths = [p for p in us_overdose_deaths(store) if p.deaths is not None]
    if deaths:
        lines.append(
            f"U.S. synthetic-opioid deaths {deaths[-1].period}: {deaths[-1].deaths:,.0f} "
            "(CDC VSRR, provisional)"
        )
    canada = [p for p in canada_opioid_deaths(store) if not p.partial and p.deaths is not None]
    if canada:
        c = canada[-1]
        share = f", {c.fentanyl_share:.0f}% involving fentanyl" if c.fentanyl_share else ""
        lines.append(
            f"Canadian apparent opioid toxicity deaths {c.period}: {c.deaths:,.0f}{share} (PHAC)"
        )
    return lines
