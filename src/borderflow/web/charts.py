"""The charts of the overview and the model page with what a page puts around them: the
views a chart offers as addresses (`/?seizures=land`, which HTMX swaps in place and the
address bar keeps) and links to download each chart's numbers, answered by
`GET /api/v1/charts/{chart}` as CSV or JSON: exactly the rows of the chart's table.

Every page shows a chart through templates/_chart.html: `{% with chart=c %}{% include
"_chart.html" %}{% endwith %}`, where `c` is one of the `Chart` values made here."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query

from borderflow.errors import NotFoundError
from borderflow.presentation import charts, model_charts
from borderflow.presentation.component import Chart, Choice, Link
from borderflow.store import Store
from borderflow.web.exports import csv_download
from borderflow.web.state import AppState, app_state

ChartName = Literal["seizures", "deaths", "canada-share", "sankey"]
LAND = "land"  # the overview's `seizures` parameter for the land-border view


def downloads(base: str, params: dict[str, str]) -> tuple[Link, ...]:
    """ "Download CSV" and "JSON" links to `base` with the view's own parameters."""
    return tuple(
        Link(label, f"{base}?{urlencode({**params, 'format': fmt})}")
        for label, fmt in (("Download CSV", "csv"), ("JSON", "json"))
    )


def seizures(store: Store, *, land_only: bool = False) -> Chart:
    """The overview's seizures chart with its two views as links: all CBP locations
    (`/`) or land ports and between them only (`/?seizures=land`)."""
    choices = tuple(
        Choice(label, href, f"/fragments/seizures?land_only={str(land).lower()}", land == land_only)
        for label, href, land in (
            ("All CBP locations", "/", False),
            ("Land border only", f"/?seizures={LAND}", True),
        )
    )
    return replace(
        charts.seizures_chart(store, land_only=land_only),
        choices=choices,
        choices_label="Which seizures",
        downloads=downloads("/api/v1/charts/seizures", {"land_only": "true"} if land_only else {}),
    )


def deaths(store: Store) -> Chart:
    return replace(charts.deaths_chart(store), downloads=downloads("/api/v1/charts/deaths", {}))


def share(store: Store, *, chart_id: str = "share-chart") -> Chart | None:
    """The model's estimate of Canada's share; None while no fit has converged."""
    chart = model_charts.share_chart(store, chart_id=chart_id)
    if chart is None:
        return None
    return replace(chart, downloads=downloads("/api/v1/charts/canada-share", {}))


def sankey(store: Store, *, chart_id: str = "sankey-chart") -> Chart | None:
    """The model's flows by route for the last fitted year; None while no fit has
    converged."""
    chart = model_charts.sankey_chart(store, chart_id=chart_id)
    if chart is None:
        return None
    return replace(chart, downloads=downloads("/api/v1/charts/sankey", {}))


def _chart(store: Store, name: str, land_only: bool) -> Chart | None:
    if name == "seizures":
        return seizures(store, land_only=land_only)
    if name == "deaths":
        return deaths(store)
    if name == "canada-share":
        return share(store)
    return sankey(store)


def chart_data(
    state: Annotated[AppState, Depends(app_state)],
    chart: Annotated[ChartName, Path(description="The chart whose numbers to give.")],
    land_only: Annotated[
        bool, Query(description="seizures only: land ports and between them only.")
    ] = False,
    format: Literal["json", "csv"] = "json",
) -> Any:
    """The numbers one chart of the pages shows, as its table has them (raw values): the
    overview's CBP seizures by border region, U.S. and Canadian deaths, and the model's
    share and flows. `format=csv` downloads them."""
    land_only = land_only and chart == "seizures"  # the other charts have one view
    found = state.cached_on_data(
        f"chart:{chart}:{land_only}", lambda: _chart(state.store, chart, land_only)
    )
    if found is None:
        from borderflow.web.scenario_results import latest_fit

        why = latest_fit(state).missing()
        raise NotFoundError(f"chart {chart!r} has nothing to show yet: {why}")
    records = [dict(r) for r in found.table.records]
    if format == "csv":
        name = f"{chart}{'-land' if chart == 'seizures' and land_only else ''}.csv"
        return csv_download(records, found.table.fields, name)
    return {
        "chart": chart,
        "title": found.title,
        "subtitle": found.subtitle,
        "sources": list(found.sources),
        "notes": list(found.notes),
        "columns": [[c.field, c.label] for c in found.table.columns],
        "items": records,
    }


def add_routes(router: APIRouter, responses: dict[int | str, dict[str, Any]]) -> None:
    answers = {
        **responses,
        404: responses.get(422, {}),
        200: {"content": {"application/json": {}, "text/csv": {}}, "description": "The numbers"},
    }
    router.add_api_route(
        "/charts/{chart}", chart_data, methods=["GET"], responses=answers,
        name="chart", operation_id="chart", summary="The numbers of one chart of the pages",
    )  # fmt: skip
