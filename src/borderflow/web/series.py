"""Series on the web, from the source registry: one API route, `GET /api/v1/series/{source}`,
whose query parameters are the registered sources' filters, and the data page's explorer.

A request names one source; the route admits only that source's filters and periods and
the values its data hold (`datasets.series.resolve`), so a typo is a 422 listing the valid
choices, never a table of zeros.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from borderflow.datasets import registry
from borderflow.datasets.series import SeriesTable, filter_choices, series_table
from borderflow.errors import QueryError
from borderflow.output import to_csv
from borderflow.web.state import AppState, app_state

_NAMES = tuple(name for s in registry.with_series() for name in (s.name, *s.aliases))
_GENERAL = ("by", "format")


def answer(table: SeriesTable, fmt: str) -> Any:
    """A series as JSON, or as a CSV download."""
    records = table.records()
    if fmt == "csv":
        fields = tuple(records[0]) if records else tuple(f for f, _ in table.columns)
        name = f"{table.source.name}-{table.query.by}.csv"
        return Response(
            to_csv(records, fields),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return {
        "source": table.source.name,
        "by": table.query.by,
        "title": table.chart_title(),
        "filters": dict(table.query.values),
        "columns": [list(c) for c in table.columns],
        "items": records,
    }


def _endpoint(
    request: Request, state: AppState, source: str, by: str | None, format: str, **filters: Any
) -> Any:
    """CBP seizures, U.S. and Canadian deaths and every other registered series, by
    period. Each source takes its own filters and periods (`GET /api/v1/series/{source}`
    with a wrong one answers 422 with the valid ones); `format=csv` downloads it."""
    found, series = registry.series_of(source)
    known = {*_GENERAL, *(f.name for f in series.filters)}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        takes = ", ".join(sorted(known))
        raise QueryError(
            f"{found.name} takes no parameter {unknown[0]!r} (it takes: {takes})",
            parameter=unknown[0],
            valid=tuple(sorted(known)),
        )
    return answer(series_table(state.store, source, filters, by), format)


def _signature() -> inspect.Signature:
    """The route's parameters: the source, the period, the format, and every registered
    filter as an optional query parameter (documented per source in OpenAPI)."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    periods = sorted({p for s in registry.with_series() if s.series for p in s.series.periods})
    by_help = f"Period: {', '.join(periods)} (each source has its own; default: its first)."
    former = ", ".join(a for s in registry.with_series() for a in s.aliases)
    source_help = f"A registered source with a series (former names still answer: {former})."
    params = [
        inspect.Parameter("request", keyword, annotation=Request),
        inspect.Parameter("state", keyword, annotation=Annotated[AppState, Depends(app_state)]),
        inspect.Parameter(
            "source", keyword,
            annotation=Annotated[Literal[_NAMES], Path(description=source_help)],
        ),
        inspect.Parameter(
            "by", keyword, default=None,
            annotation=Annotated[str | None, Query(max_length=20, description=by_help)],
        ),
        inspect.Parameter("format", keyword, default="json", annotation=Literal["json", "csv"]),
    ]  # fmt: skip
    flags = registry.flags()
    for name, meaning in registry.filters().items():
        flag = name in flags
        kind: Any = bool | None if flag else str | None
        query = Query(description=meaning, max_length=None if flag else 100)
        params.append(
            inspect.Parameter(name, keyword, default=None, annotation=Annotated[kind, query])
        )
    return inspect.Signature(params)


def add_routes(router: APIRouter, responses: dict[int | str, dict[str, Any]]) -> None:
    _endpoint.__signature__ = _signature()  # type: ignore[attr-defined]
    router.add_api_route("/series/{source}", _endpoint, methods=["GET"], responses=responses)


# -- the data page's explorer ---------------------------------------------------------------
def page_params(query: Mapping[str, str]) -> tuple[str, str | None, dict[str, str | bool | None]]:
    """The explorer's request: a series source (the registry's default when none or an
    unknown one is given), and the period and filter values meant for that source; values
    of filters it does not take (left over from the previous source) are dropped."""
    source = query.get("source", "")
    if source not in _NAMES:
        source = registry.default_series()
    found, series = registry.series_of(source)
    by = query.get("by") if query.get("by") in series.periods else None
    values: dict[str, str | bool | None] = {}
    for spec in series.filters:
        raw = query.get(spec.name, "").strip()[:100]
        values[spec.name] = (raw.lower() in ("true", "on", "1")) if spec.flag else (raw or None)
    return found.name, by, values


def explorer(
    state: AppState, source: str, by: str | None, values: dict[str, str | bool | None]
) -> dict[str, Any]:
    """What the data page shows: the form's controls for this source (menus fed from
    the data), then the chart, table and CSV link, or the error that says what is valid."""
    from borderflow.presentation import charts

    found, series = registry.series_of(source)
    controls = [
        {
            "filter": spec,
            "value": values.get(spec.name),
            "choices": [] if spec.flag else filter_choices(state.store, found.name, spec.name),
        }
        for spec in series.filters
    ]
    view: dict[str, Any] = {
        "source": found, "series": series, "by": by or series.periods[0], "controls": controls,
        "sources": registry.with_series(), "records": [], "columns": series.columns,
        "figure": None, "error": None, "csv_url": "",
    }  # fmt: skip
    try:
        table = series_table(state.store, found.name, values, by)
    except QueryError as exc:
        view["error"] = str(exc)
        return view
    wanted = {
        k: ("true" if v is True else v) for k, v in values.items() if v not in (None, False, "")
    }
    download = urlencode({**wanted, "by": table.query.by, "format": "csv"})
    view.update(
        records=table.records(),
        figure=charts.script_json(charts.series_chart(table)) if table.points else None,
        csv_url=f"/api/v1/series/{found.name}?{download}",
    )
    return view
