"""Series on the web, from the source registry: one API route, `GET /api/v1/series/{source}`,
whose query parameters are the registered sources' filters, and the data page's explorer.

A request names one source; the route admits only that source's filters and periods and
the values its data hold (`datasets.series.resolve`), so a typo is a 422 listing the valid
choices, never a table of zeros.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import replace
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request

from borderflow.datasets import registry
from borderflow.datasets.series import SeriesTable, filter_choices, series_source, series_table
from borderflow.errors import QueryError
from borderflow.presentation.series_chart import series_chart
from borderflow.web import charts
from borderflow.web.charts import downloads
from borderflow.web.exports import csv_download
from borderflow.web.state import AppState, app_state

_NAMES = tuple(name for s in registry.with_series() for name in (s.name, *s.aliases))
_GENERAL = ("by", "format")


def answer(table: SeriesTable, fmt: str) -> Any:
    """A series as JSON, or as a CSV download."""
    records = table.records()
    if fmt == "csv":
        fields = tuple(records[0]) if records else tuple(f for f, _ in table.columns)
        name = f"{table.source.name}-{table.query.by}.csv"
        return csv_download(records, fields, name)
    return {
        "source": table.source.name,
        "by": table.query.by,
        "title": table.chart_title(),
        "filters": dict(table.query.values),
        "labels": dict(table.query.labels),  # as published beside the values: opioids is "Heroin"
        "columns": [list(c) for c in table.columns],
        "items": records,
    }


def series_endpoint(
    request: Request, state: AppState, source: str, by: str | None, format: str, **filters: Any
) -> Any:
    """CBP seizures, U.S. and Canadian deaths and every other registered series, by
    period. Each source takes its own filters and periods: a filter of another source's,
    a period it is not published by, or a value its data do not have answers 422 with
    the valid ones. `format=csv` downloads it."""
    found, series = registry.series_of(source)
    own = {f.name for f in series.filters}
    # Another source's filter (or the former `source=` parameter) would silently answer
    # for a series other than the one meant, so it is refused; anything else is ignored.
    foreign = sorted((set(registry.filters()) | {"source"}) & set(request.query_params) - own)
    if foreign:
        takes = ", ".join(sorted(own)) or "none"
        raise QueryError(
            f"{found.name} takes no parameter {foreign[0]!r} (its filters: {takes})",
            parameter=foreign[0],
            valid=tuple(sorted(own)),
            kind="parameter",
            source=found.name,
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
    """The series route, and the route giving each page chart's numbers (web/charts.py)."""
    series_endpoint.__signature__ = _signature()  # type: ignore[attr-defined]
    router.add_api_route(
        "/series/{source}", series_endpoint, methods=["GET"], responses=responses,
        name="series", operation_id="series", summary="A series of any registered source",
    )  # fmt: skip
    charts.add_routes(router, responses)


def _controls(
    state: AppState, source: str, values: Mapping[str, str | bool | None]
) -> list[dict[str, Any]]:
    """Each filter of the source with its value and, for a column, the values the data
    hold (the default left out: the empty choice stands for it), each as (value, text
    shown)."""
    _, series = registry.series_of(source)
    controls = []
    for spec in series.filters:
        choices = filter_choices(state.store, source, spec.name)
        default = spec.default and _menu_text(spec.default, dict(choices).get(spec.default))
        controls.append(
            {
                "filter": spec,
                "value": values.get(spec.name) is True if spec.flag else values.get(spec.name),
                "default": f"{default} (default)" if default else "all",
                "choices": [(v, _menu_text(v, label)) for v, label in choices if v != spec.default],
            }
        )
    return controls


def _menu_text(value: str, label: str | None) -> str:
    """A menu entry as the publisher labels it ("Heroin", not "Heroin (opioids)": the
    stored name would read as every opioid), with a code beside the name it stands for
    ("Wyoming (56)", "Alabama (AL)")."""
    if not label or label == value:
        return value
    return f"{label} ({value})" if value == value.upper() else label


# -- the data page's explorer ---------------------------------------------------------------
def page_params(query: Mapping[str, str]) -> tuple[str, str | None, dict[str, str | bool | None]]:
    """The explorer's request as asked: the source (by its registered name when it is one,
    matched without case or by a former name; the registry's default when none is given),
    the period and every series filter in the address, whichever source's it is, so that
    `explorer` can refuse an unknown source, period or another source's filter with the
    valid ones instead of quietly showing something else. When the form switches to
    another source (`shown` names the one on screen), the old source's period and filter
    values are dropped: a region of CBP's is no province of PHAC's."""
    asked = query.get("source", "").strip()[:60]
    try:
        source = series_source(asked)[0].name if asked else registry.default_series()
    except QueryError:
        source = asked
    if query.get("shown") not in (None, source):
        return source, None, {}
    by = query.get("by", "").strip()[:20] or None
    values: dict[str, str | bool | None] = {
        name: query.get(name, "").strip()[:100] or None
        for name in registry.filters()
        if name in query
    }
    return source, by, values


def page_url(source: str, by: str | None, values: Mapping[str, str | bool | None]) -> str:
    """The data page's address for this request (what the address bar shows)."""
    given = {k: str(v) for k, v in values.items() if v}
    return "/data?" + urlencode({"source": source, **given, **({"by": by} if by else {})})


def explorer(
    state: AppState, source: str, by: str | None, values: dict[str, str | bool | None]
) -> dict[str, Any]:
    """What the data page shows: the form's controls for this source (menus fed from
    the data), then the chart with its table, source line, notes and downloads, or the
    error that says what is valid. An unknown source still gets the source menu; an
    unknown period or value keeps the source's own menus, so the reader can pick."""
    view: dict[str, Any] = {
        "source": None, "series": None, "by": by, "sources": registry.with_series(),
        "chart": None, "error": None, "csv_url": "", "controls": [],
    }  # fmt: skip
    try:
        found, series = series_source(source)
    except QueryError:
        names = ", ".join(s.name for s in registry.with_series())
        view["error"] = (
            f"There is no source {source[:60]!r}. Choose one in the menu; their names are {names}."
        )
        return view
    # The period as the menu names it ("Month" is month); an unknown one stays as asked.
    named = next((p for p in series.periods if p.casefold() == (by or "").strip().casefold()), by)
    view.update(source=found, series=series, by=named or series.periods[0])
    try:
        table = series_table(state.store, found.name, values, by)
    except QueryError as exc:
        view.update(error=_ended(str(exc)), controls=_controls(state, found.name, values))
        return view
    view["controls"] = _controls(state, found.name, {**values, **table.query.values})
    chosen = {k: v for k, v in table.query.values.items() if v and values.get(k)}
    wanted = {k: ("true" if v is True else str(v)) for k, v in chosen.items()}
    links = downloads(f"/api/v1/series/{found.name}", {**wanted, "by": table.query.by})
    chart = replace(
        series_chart(state.store, table),
        downloads=links,
        empty=_sentence(table.empty_reason(state.store) or "no data for this chart yet"),
    )
    view.update(by=table.query.by, chart=chart, csv_url=links[0].href)
    return view


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def _ended(text: str) -> str:
    """An error as a sentence; its first word is often a source's name ("cbp"), whose
    case is kept."""
    return text if text.endswith(".") else f"{text}."
