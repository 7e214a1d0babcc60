"""The flow model's charts (Canada's share of the fentanyl reaching the U.S., and the flows
from producers to markets) as `Chart` values, sourced to the model run and the release files
it was fitted on: the fit in use, the newest that converged (`store.model_runs.latest_run`);
None while no fit has converged."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from borderflow.presentation.component import LAYOUT, Chart
from borderflow.presentation.display import table_of
from borderflow.presentation.provenance import basis_words
from borderflow.records.estimates import ModelRun
from borderflow.store import Store
from borderflow.store.model_runs import latest_run

_SHARE_COLUMNS = (
    ("fiscal_year", "fiscal year"),
    ("median_percent", "median, %"),
    ("low_percent", "5th percentile, %"),
    ("high_percent", "95th percentile, %"),
    ("fitted", "years"),
)
_SHARE_DECIMALS = {"median_percent": 2, "low_percent": 2, "high_percent": 2}


_FLOW_COLUMNS = (
    ("edge", "route"),
    ("from", "made in"),
    ("to", "market"),
    ("mode", "mode"),
    ("median_kg", "median, kg"),
    ("low_kg", "5th percentile, kg"),
    ("high_kg", "95th percentile, kg"),
)
_FLOW_DECIMALS = {"median_kg": 0, "low_kg": 0, "high_kg": 0}


def _figure(fig: go.Figure) -> dict[str, Any]:
    data: dict[str, Any] = fig.to_plotly_json()
    return data


def run_source(run: ModelRun) -> str:
    """The source line of a model chart: which run, when, on which years and files."""
    when = f" of {run.created_at.date().isoformat()}" if run.created_at else ""
    files = sorted({str(r.get("file")) for r in run.releases if r.get("file")})
    fitted = f"FY{run.fit_years[0]}–FY{run.fit_years[-1]}" if run.fit_years else "no years"
    named = f" to release files {', '.join(files)}" if files else ""
    return f"borderflow flow model ({run.spec_name}), run {run.id}{when}, fitted on {fitted}{named}"


def share_chart(store: Store, *, chart_id: str = "share-chart") -> Chart | None:
    """The fit in use's estimate of Canada's share of the fentanyl reaching the U.S.,
    median and 90% interval per fiscal year; None while no fit has converged."""
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
            name="median, with 90% interval",
            hovertemplate="%{x}: %{y:.2f}%<extra></extra>",
        )
    )
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
    fig.update_layout(
        yaxis={
            "title": {"text": "percent (log scale)"}, "type": "log", "tickvals": ticks,
            "ticktext": [f"{t:g}%" for t in ticks],
        },
        **LAYOUT,
    )  # fmt: skip
    records = [
        {
            "fiscal_year": f"FY{r.fy}", "median_percent": 100 * r.median,
            "low_percent": 100 * r.low, "high_percent": 100 * r.high,
            "fitted": "fitted" if r.fitted else "forecast",
        }
        for r in rows
    ]  # fmt: skip
    return Chart(
        id=chart_id,
        title="Canada's share of the fentanyl reaching the U.S., model estimate",
        subtitle=f"Percent per {basis_words('fy')}, log scale: the median and 90% interval "
        f"of model run {run.id}.",
        figure=_figure(fig),
        table=table_of(records, _SHARE_COLUMNS, _SHARE_DECIMALS),
        sources=(run_source(run),),
    )


def sankey_chart(
    store: Store, year: int | None = None, *, chart_id: str = "sankey-chart"
) -> Chart | None:
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
    source, target, value, text = [], [], [], []
    records = []
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
        records.append(
            {
                "edge": edge.id, "from": edge.producer, "to": edge.market, "mode": edge.mode,
                "median_kg": row.median, "low_kg": row.low, "high_kg": row.high,
            }
        )  # fmt: skip
    fig = go.Figure(
        go.Sankey(
            node={"label": producers + markets, "pad": 18},
            link={
                "source": source,
                "target": target,
                "value": value,
                "customdata": text,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    fig.update_layout(**{**LAYOUT, "height": 420})
    return Chart(
        id=chart_id,
        title=f"Where fentanyl flows, FY{year}: model estimate",
        subtitle="Kilograms of pure fentanyl per U.S. fiscal year (October–September), from "
        "where it is made to the market it reaches, by mode: posterior medians.",
        figure=_figure(fig),
        table=table_of(records, _FLOW_COLUMNS, _FLOW_DECIMALS),
        sources=(run_source(run),),
    )
