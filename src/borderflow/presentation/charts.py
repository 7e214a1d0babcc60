"""The overview's charts (CBP seizures by border, overdose deaths in the U.S. and Canada),
built from the store as `Chart` values (component.py) for the pages; the model's charts are
in model_charts.py and the data explorer's in series_chart.py.

A period the data cover only in part is drawn apart (an open circle, never joined to the
line) and named with its months, so a quarter-counted year never reads as a fall. The U.S.
deaths plotted are CDC's reported counts, the figures the claim checks cite.

`seizures`, `deaths`, `canada_share` and `sankey` give bare Plotly figures with the title
and source line inside, for the report, which shows figures without a page around them."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from borderflow.datasets import cbp, registry
from borderflow.datasets.cdc import VSRR, us_overdose_deaths
from borderflow.datasets.phac import HARMS, canada_opioid_deaths
from borderflow.datasets.source import Series, SeriesQuery
from borderflow.presentation import model_charts
from borderflow.presentation.component import LAYOUT, Chart, period_axis, script_json
from borderflow.presentation.display import table_of
from borderflow.presentation.provenance import (
    basis_words,
    files_used,
    months_only,
    partial_labels,
    source_line,
)
from borderflow.store import Store

__all__ = [
    "canada_share",
    "deaths",
    "deaths_chart",
    "sankey",
    "script_json",
    "seizures",
    "seizures_chart",
]
_COLOURS = ("#1f5fa8", "#b3261e", "#2f7d32")
_DEATHS_COLUMNS = (
    ("period", "year"),
    ("us_reported", "U.S. deaths, reported"),
    ("us_predicted", "U.S. deaths, predicted"),
    ("canada", "Canada deaths"),
    ("canada_covers", "Canada, partial year"),
)
PARTIAL_MARKER = {"symbol": "circle-open", "size": 10, "line": {"width": 2}}


def _figure(fig: go.Figure) -> dict[str, Any]:
    data: dict[str, Any] = fig.to_plotly_json()
    return data


def _partial_key(labels: dict[str, str], colour: str = "#5b6475") -> go.Scatter:
    """A legend entry for the partial periods of every line in the chart: an open circle
    named with the months covered."""
    return go.Scatter(
        x=[None], y=[None], mode="markers", name="; ".join(labels.values()),
        marker={**PARTIAL_MARKER, "color": colour}, legendgroup="partial", hoverinfo="skip",
    )  # fmt: skip


def partial_note(labels: dict[str, str], what: str = "") -> str:
    """The note under a chart with partial periods."""
    return (
        f"{what}{'; '.join(labels.values())}: drawn apart as an open circle, not joined to "
        "the full periods, because a part-period count is not comparable with a full one."
    )


def seizures_chart(
    store: Store, *, land_only: bool = False, by: str = "fy", chart_id: str = "seizures-chart"
) -> Chart:
    """CBP fentanyl seizures (lb) by border region; log scale, because the northern border's
    tens of pounds sit beside the southwest's tens of thousands."""
    source, series = registry.series_of(cbp.CBP.name)
    fig = go.Figure()
    # The largest first, so the legend reads in the order of the lines.
    regions = sorted(cbp.REGIONS, key=lambda r: ("MX", "CA", None).index(r.border_country))
    rows: dict[str, dict[str, Any]] = {}
    labels: dict[str, str] = {}
    files: set[str] = set()
    columns = [("period", "period")]
    for region, colour in zip((r.name for r in regions), _COLOURS, strict=True):
        points = cbp.cbp_seizures(store, region=region, land_only=land_only, by=by)
        if not points:
            continue
        records = [p.as_record() for p in points]
        field = region.lower().replace(" ", "_").replace("/", "_") + "_lb"
        columns.append((field, f"{region}, lb"))
        for record in records:
            row = rows.setdefault(record["period"], {"period": record["period"]})
            row.update({field: record["value"], "months": record["months"]})
        labels.update(partial_labels(store, source.name, records))
        query = SeriesQuery(by, {"substance": "fentanyl", "region": region})
        files |= files_used(store, source, series, query, records)
        for partial in (False, True):
            chosen = [p for p in points if p.partial == partial]
            if not chosen:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[p.period for p in chosen],
                    y=[p.value if p.value > 0 else None for p in chosen],
                    mode="markers" if partial else "lines+markers",
                    marker={**(PARTIAL_MARKER if partial else {}), "color": colour},
                    line={"color": colour}, name=region, legendgroup="partial" if partial
                    else region, showlegend=not partial,
                    customdata=[[p.events, p.months] for p in chosen],
                    hovertemplate="%{x}: %{y:,.1f} lb, %{customdata[0]:,.0f} events, "
                    "%{customdata[1]} months<extra>" + region + "</extra>",
                )
            )  # fmt: skip
    if labels:
        fig.add_trace(_partial_key(labels))
    for row in rows.values():
        row["covers"] = months_only(labels.get(row["period"], ""))
    scope = "land ports and between ports only" if land_only else "all CBP locations"
    periods = list(rows)
    fig.update_layout(
        xaxis=period_axis(periods),
        yaxis={
            "type": "log",
            "title": {"text": "pounds (log scale)"},
            "dtick": 1,
            "tickformat": ",",
        },
        **LAYOUT,
    )
    return Chart(
        id=chart_id,
        title="Fentanyl seized by CBP, by border region",
        subtitle=f"Pounds per {basis_words(by)}, log scale; {scope}.",
        figure=_figure(fig) if rows else None,
        table=table_of(list(rows.values()), [*columns, ("covers", "partial period")]),
        sources=(source_line(store, source, files),),
        notes=(partial_note(labels),) if labels else (),
    )


def deaths_chart(store: Store, *, chart_id: str = "deaths-chart") -> Chart:
    """U.S. deaths involving synthetic opioids (CDC VSRR, reported) and Canadian apparent
    opioid toxicity deaths (PHAC) by calendar year, on two axes: the U.S. count is about
    ten times Canada's. The U.S. bars are the reported counts, as the checks cite them;
    CDC's predicted counts (allowing for pending reports) are in the table."""
    us = us_overdose_deaths(store, by="calendar-year")
    ca = canada_opioid_deaths(store, by="calendar-year")
    ca_records = [p.as_record() for p in ca]
    labels = partial_labels(store, HARMS.name, ca_records)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[p.period for p in us], y=[p.deaths for p in us], marker={"color": "#8fb3de"},
            name="U.S., reported (CDC VSRR)",
            hovertemplate="%{x}: %{y:,.0f} deaths reported<extra>U.S.</extra>",
        )
    )  # fmt: skip
    for partial in (False, True):
        chosen = [p for p in ca if p.partial == partial]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                x=[p.period for p in chosen], y=[p.deaths for p in chosen], yaxis="y2",
                mode="markers" if partial else "lines+markers",
                marker={**(PARTIAL_MARKER if partial else {}), "color": "#b3261e"},
                line={"color": "#b3261e"},
                name=f"Canada: {'; '.join(labels.values())}" if partial
                else "Canada (PHAC)",
                hovertemplate="%{x}: %{y:,.0f} deaths<extra>Canada</extra>",
            )
        )  # fmt: skip
    periods = sorted({p.period for p in us} | {p.period for p in ca})
    fig.update_layout(
        xaxis=period_axis(periods),
        yaxis={"title": {"text": "U.S. deaths (bars)"}, "rangemode": "tozero", "tickformat": ","},
        yaxis2={
            "title": {"text": "Canadian deaths (line)"}, "overlaying": "y", "side": "right",
            "rangemode": "tozero", "showgrid": False, "tickmode": "auto", "tickformat": ",",
        },
        **{**LAYOUT, "margin": {**LAYOUT["margin"], "r": 64}},
    )  # fmt: skip
    rows: dict[str, dict[str, Any]] = {p: {"period": p} for p in periods}
    for p in us:
        rows[p.period].update(us_reported=p.deaths, us_predicted=p.predicted)
    for c in ca:
        rows[c.period].update(canada=c.deaths, canada_covers=months_only(labels.get(c.period, "")))
    us_files = files_used(store, VSRR, _series(VSRR.name), SeriesQuery("calendar-year"),
                          [p.as_record() for p in us])  # fmt: skip
    ca_files = files_used(store, HARMS, _series(HARMS.name), SeriesQuery("calendar-year"),
                          ca_records)  # fmt: skip
    notes = []
    if us:
        notes.append(
            "U.S. bars are the deaths CDC VSRR has reported so far, the figures borderflow's "
            "checks cite; CDC's predicted counts, which allow for reports still pending, are "
            "in the table. Both are provisional."
        )
    if labels:
        notes.append(partial_note(labels, "Canada "))
    return Chart(
        id=chart_id,
        # The two countries count different deaths; the title says which, so the line and
        # the bars are never read as one measure.
        title="Overdose deaths: synthetic opioids in the U.S., all opioids in Canada",
        subtitle="Deaths per calendar year. U.S. (bars, left axis): deaths involving "
        "synthetic opioids other than methadone (T40.4, mostly illicit fentanyl), reported "
        "counts; Canada (line, right axis): apparent opioid toxicity deaths.",
        figure=_figure(fig) if periods else None,
        table=table_of(list(rows.values()), _DEATHS_COLUMNS),
        sources=(source_line(store, VSRR, us_files), source_line(store, HARMS, ca_files)),
        notes=tuple(notes),
    )


def _series(name: str) -> Series:
    return registry.series_of(name)[1]


# -- bare figures for the report -------------------------------------------------------------
def seizures(store: Store, *, land_only: bool = False, by: str = "fy") -> dict[str, Any]:
    return seizures_chart(store, land_only=land_only, by=by).standalone() or {}


def deaths(store: Store) -> dict[str, Any]:
    return deaths_chart(store).standalone() or {}


def canada_share(store: Store) -> dict[str, Any] | None:
    chart = model_charts.share_chart(store)
    return None if chart is None else chart.standalone()


def sankey(store: Store, year: int | None = None) -> dict[str, Any] | None:
    chart = model_charts.sankey_chart(store, year)
    return None if chart is None else chart.standalone()
