"""Chart figures (Plotly) for the web pages and the report, built from the store.

Each function returns a figure as a JSON-ready dict; the page hands it to Plotly.newPlot.
The figures carry their own source notes so a screenshot still says where numbers came
from."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go

from borderflow.datasets import cbp
from borderflow.datasets.cdc import us_overdose_deaths
from borderflow.datasets.phac import canada_opioid_deaths
from borderflow.datasets.series import SeriesTable
from borderflow.store import Store
from borderflow.store.model_runs import latest_run

_LAYOUT: dict[str, Any] = {
    "margin": {"l": 60, "r": 20, "t": 40, "b": 60},
    "height": 360,
    "legend": {"orientation": "h", "y": -0.2},
    "template": "plotly_white",
}


def script_json(value: Any) -> str:
    """JSON to embed in a <script type="application/json"> element: no "<" may appear at
    all there ("</" would end the element and "<!--" change how it is parsed), and JSON
    allows \\u003c instead."""
    return json.dumps(value).replace("<", "\\u003c")


def _figure(fig: go.Figure) -> dict[str, Any]:
    data: dict[str, Any] = fig.to_plotly_json()
    return data


def seizures(store: Store, *, land_only: bool = False, by: str = "fy") -> dict[str, Any]:
    """CBP fentanyl seizures (lb) by border region; log scale, because the northern border's
    tens of pounds sit beside the southwest's tens of thousands."""
    fig = go.Figure()
    colours = ("#1f5fa8", "#b3261e", "#2f7d32")
    # The largest first, so the legend reads in the order of the lines.
    by_size = sorted(cbp.REGIONS, key=lambda r: ("MX", "CA", None).index(r.border_country))
    for region, colour in zip((r.name for r in by_size), colours, strict=True):
        points = cbp.cbp_seizures(store, region=region, land_only=land_only, by=by)
        if not points:
            continue
        # A period the data cover only in part is drawn apart (open marker, dotted), so
        # a half-counted year never reads as a fall.
        for partial in (False, True):
            chosen = [p for p in points if p.partial == partial]
            if not chosen:
                continue
            fig.add_trace(
                go.Scatter(
                    x=[p.period for p in chosen],
                    y=[p.value if p.value > 0 else None for p in chosen],
                    mode="markers" if partial else "lines+markers",
                    marker={"color": colour, "symbol": "circle-open" if partial else "circle"},
                    line={"color": colour},
                    name=f"{region} (partial year, {chosen[0].months} months)"
                    if partial else region,
                    customdata=[[p.events, p.months] for p in chosen],
                    hovertemplate="%{x}: %{y:,.1f} lb, %{customdata[0]:,.0f} events, "
                    "%{customdata[1]} months<extra>" + region + "</extra>",
                )
            )  # fmt: skip
    scope = "land ports and between ports only" if land_only else "all CBP locations"
    fig.update_layout(
        title=f"CBP fentanyl seizures by border ({scope})",
        yaxis={"type": "log", "title": "pounds (log scale)"},
        **_LAYOUT,
    )
    return _figure(fig)


def deaths(store: Store) -> dict[str, Any]:
    """U.S. synthetic-opioid deaths (CDC VSRR) and Canadian apparent opioid toxicity deaths
    (PHAC) by calendar year, on two axes: the U.S. count is about twenty times Canada's."""
    us = us_overdose_deaths(store, by="calendar-year")
    ca = canada_opioid_deaths(store, by="calendar-year")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[p.period for p in us],
            y=[p.predicted if p.predicted is not None else p.deaths for p in us],
            name="U.S. synthetic-opioid deaths (CDC VSRR, predicted)",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[p.period for p in ca],
            y=[p.deaths for p in ca],
            name="Canada opioid toxicity deaths (PHAC)",
            yaxis="y2",
            mode="lines+markers",
        )
    )
    fig.update_layout(
        title="Overdose deaths",
        yaxis={"title": "U.S. deaths"},
        yaxis2={"title": "Canadian deaths", "overlaying": "y", "side": "right"},
        **_LAYOUT,
    )
    return _figure(fig)


def canada_share(store: Store) -> dict[str, Any] | None:
    """The latest model fit's estimate of Canada's share of the fentanyl reaching the U.S.,
    median and 90% interval per fiscal year; None before any fit."""
    run = latest_run(store, with_posterior=False)
    if run is None:
        return None
    rows = run.estimates_of("canada_share")
    fig = go.Figure(
        go.Scatter(
            x=[f"FY{r.fy}" for r in rows],
            y=[100 * r.median for r in rows],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [100 * (r.high - r.median) for r in rows],
                "arrayminus": [100 * (r.median - r.low) for r in rows],
            },
            mode="markers",
            name="median, 90% interval",
            hovertemplate="%{x}: %{y:.2f}%<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Canada's share of fentanyl reaching the U.S. (model run {run.id})",
        yaxis={"title": "percent (log scale)", "type": "log"},
        **_LAYOUT,
    )
    return _figure(fig)


def sankey(store: Store, year: int | None = None) -> dict[str, Any] | None:
    """Posterior median flows (kg pure) from producers to markets, one band per mode, for
    `year` (default: the last fitted year); hovering shows the 90% interval."""
    run = latest_run(store, with_posterior=False)
    if run is None:
        return None
    from borderflow.model.spec import spec_from_text

    spec = spec_from_text(run.spec_text, run.spec_name)
    year = year or max(run.fit_years)
    flows = {r.item: r for r in run.estimates_of("flow", year)}
    producers = [f"{p} (made)" for p in spec.producers]
    markets = [f"{m} (market)" for m in spec.markets]
    labels = producers + markets
    source, target, value, text = [], [], [], []
    for edge in spec.edges:
        row = flows.get(edge.id)
        if row is None:
            continue
        source.append(list(spec.producers).index(edge.producer))
        target.append(len(producers) + list(spec.markets).index(edge.market))
        value.append(row.median)
        text.append(
            f"{edge.id} ({edge.mode}): median {row.median:,.0f} kg, "
            f"90% {row.low:,.0f}-{row.high:,.0f}"
        )
    fig = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 18},
            link={
                "source": source,
                "target": target,
                "value": value,
                "customdata": text,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    layout = {**_LAYOUT, "height": 420}
    fig.update_layout(title=f"Posterior median flows, FY{year} (kg pure, by mode)", **layout)
    return _figure(fig)


def series_chart(table: SeriesTable) -> dict[str, Any]:
    """A line chart of the field the source says to plot (the data explorer), titled and
    with its unit on the axis."""
    records = table.records()
    field = table.series.chart_field
    fig = go.Figure()
    # A period the data cover only in part is drawn apart (open markers), so a
    # half-counted year never reads as a fall.
    for partial in (False, True):
        chosen = [r for r in records if bool(r.get("partial")) == partial]
        if chosen:
            fig.add_trace(
                go.Scatter(
                    x=[r["period"] for r in chosen],
                    y=[r.get(field) for r in chosen],
                    mode="markers" if partial else "lines+markers",
                    marker={"symbol": "circle-open" if partial else "circle"},
                    name=f"{table.chart_unit} (partial period)" if partial else table.chart_unit,
                )
            )
    periods = [r["period"] for r in records]  # in time order, whichever trace holds them
    fig.update_layout(
        title=table.chart_title(),
        xaxis={"categoryorder": "array", "categoryarray": periods},
        yaxis={"title": table.chart_unit},
        **_LAYOUT,
    )
    return _figure(fig)
