"""Scenario results on the web: one run per set of lever values, shown on /model and
exported by `GET /api/v1/scenarios?<levers>&format=csv|json`.

A run is the expensive part (the route-choice engine over every posterior draw), and it
needs the server's token when the server listens beyond loopback. So runs are kept by
their lever values: a page address or an export link for levers already run answers from
the kept result, and only levers nobody has run yet need the token. The kept results hang
off the app state per store generation, so a new fit never answers with the old one's.
"""

from __future__ import annotations

import inspect
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from borderflow.errors import BorderflowError
from borderflow.presentation.quantities import (
    RECORD_FIELDS,
    ROUTE_SHARE_NOTE,
    ScenarioRow,
    outcome,
    period_label,
    scenario_rows,
)
from borderflow.records.estimates import FitInUse, ModelRun, ScenarioOutcome
from borderflow.web.exports import csv_download
from borderflow.web.scenarios import LEVERS, lever_query, number_text, parse_levers
from borderflow.web.state import AppState, app_state, bearer

if TYPE_CHECKING:
    from borderflow.model.spec import Spec

# Lever sets whose results are kept; each is a few kilobytes.
RESULTS_KEPT = 64

Key = tuple[float, ...]


class Results:
    """The latest runs' outcomes by lever values, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Key, list[ScenarioOutcome]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> list[ScenarioOutcome] | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Key, outcomes: list[ScenarioOutcome]) -> None:
        with self._lock:
            self._kept[key] = outcomes
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def _key(values: Mapping[str, float]) -> Key:
    return tuple(values[lever.name] for lever in LEVERS)


def outcomes_for(
    state: AppState, values: Mapping[str, float], *, may_run: bool
) -> list[ScenarioOutcome] | None:
    """The levers' outcomes, run now only when `may_run` (None when not run yet)."""
    results = state.cached("scenario-results", lambda: Results(RESULTS_KEPT))
    found = results.get(_key(values))
    if found is None and may_run:
        found = state.run_scenario(dict(values))
        results.put(_key(values), found)
    return found


def latest_fit(state: AppState) -> FitInUse:
    """The fit in use (the newest converged one, without its draws) and a newer failed
    one, once per store generation."""
    from borderflow.store.model_runs import fit_in_use

    return state.cached("model-run", lambda: fit_in_use(state.store))


def draws_used(run: ModelRun, wanted: int) -> int:
    """How many posterior draws a scenario runs over: the fit's, thinned to `wanted`."""
    total = int(run.settings.get("chains", 0)) * int(run.settings.get("draws", 0))
    return min(wanted, total) if wanted and total else total


@dataclass(frozen=True, slots=True)
class ScenarioView:
    """What the page, the fragment and the exports show for one request: the lever values
    asked (as typed, to fill the form again), the checked values, the rows, and why there
    are none (an invalid lever, no usable fit, or a run that needs the token)."""

    asked: dict[str, str]
    values: dict[str, float] | None = None
    rows: tuple[ScenarioRow, ...] = ()
    fy: int | None = None
    draws: int = 0
    error: str | None = None
    no_fit: bool = False  # `error` says why no fit is in use
    needs_token: bool = False
    form: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> str:
        """The address's query for these levers: checked values, else the ones asked."""
        return lever_query(self.values) if self.values is not None else urlencode(self.asked)

    @property
    def page_url(self) -> str:
        return f"/model?{self.query}"

    def export_url(self, fmt: str) -> str:
        return f"/api/v1/scenarios?{self.query}&format={fmt}"

    @property
    def period(self) -> str:
        return period_label(self.fy)

    @property
    def route_share_note(self) -> str:
        return ROUTE_SHARE_NOTE

    def notes(self) -> list[tuple[str, str]]:
        """How to read each outcome the table shows, once each."""
        seen = dict.fromkeys(r.quantity for r in self.rows)
        return [(outcome(q).label, outcome(q).note) for q in seen if outcome(q).note]

    def records(self) -> list[dict[str, Any]]:
        return [r.as_record() for r in self.rows]


def _form_values(asked: Mapping[str, str]) -> dict[str, str]:
    return {lever.name: asked.get(lever.name, f"{lever.default:g}") for lever in LEVERS}


def scenario_view(state: AppState, asked: Mapping[str, str], *, may_run: bool) -> ScenarioView:
    """The levers asked, checked and (when kept, or when `may_run`) run."""
    asked = {k: str(v)[:100] for k, v in asked.items()}
    form = _form_values(asked)
    try:
        values = parse_levers(asked)
    except BorderflowError as exc:
        return ScenarioView(asked, error=str(exc), form=form)
    in_use = latest_fit(state)
    run = in_use.run
    if run is None:
        return ScenarioView(asked, values, error=in_use.missing(), no_fit=True, form=form)
    try:
        found = outcomes_for(state, values, may_run=may_run)
    except BorderflowError as exc:
        return ScenarioView(asked, values, error=str(exc), form=form)
    fy = max(run.fit_years)  # the baseline is the last fitted year (model.baseline)
    draws = draws_used(run, state.config.scenario_draws)
    if found is None:
        return ScenarioView(asked, values, fy=fy, draws=draws, needs_token=True, form=form)
    rows = tuple(scenario_rows(found, fit_spec(state, run), fy))
    return ScenarioView(asked, values, rows, fy, draws, form=form)


def fit_spec(state: AppState, run: ModelRun) -> Spec:
    """The fit's own network spec (route and market names), parsed once per fit."""
    from borderflow.model.spec import spec_from_text

    return state.cached(f"spec:{run.id}", lambda: spec_from_text(run.spec_text, run.spec_name))


# -- the export route ----------------------------------------------------------------------
def export_scenario(request: Request, state: AppState, format: str, **levers: Any) -> Any:
    """The levers' outcomes beside the baseline, one row per outcome as the model page
    shows them (medians, 90% intervals, paired changes; shares in percent), as JSON or
    `format=csv`. Levers left out stay at their defaults. Levers already run on this
    server answer at once; new ones need the token when the server listens beyond
    loopback. 409 until a fit has converged, saying why."""
    asked = {name: number_text(value) for name, value in levers.items() if value is not None}
    try:
        state.check_token(bearer(request))
        authorised = True
    except HTTPException:
        authorised = False
    view = scenario_view(state, asked, may_run=authorised)
    if view.no_fit:
        raise HTTPException(409, view.error)
    if view.error is not None:
        raise HTTPException(422, view.error)
    if view.needs_token:
        state.check_token(bearer(request))  # raises the 401 with its explanation
    records = view.records()
    if format == "csv":
        name = f"borderflow-scenario-fy{view.fy}.csv"
        return csv_download(records, RECORD_FIELDS, name)
    return {
        "fiscal_year": view.fy, "period": view.period, "draws": view.draws,
        "levers": view.values, "page": view.page_url, "rows": records,
    }  # fmt: skip


def _signature() -> inspect.Signature:
    """The route's parameters: one optional query parameter per lever, with its range
    (so the OpenAPI document states what each takes), and the format."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [
        inspect.Parameter("request", keyword, annotation=Request),
        inspect.Parameter("state", keyword, annotation=Annotated[AppState, Depends(app_state)]),
        inspect.Parameter(
            "format", keyword, default="json",
            annotation=Annotated[Literal["json", "csv"], Query(description="json or csv.")],
        ),
    ]  # fmt: skip
    for lever in LEVERS:
        query = Query(
            ge=lever.low, le=lever.high, description=f"{lever.label}: {lever.help} "
            f"From {lever.low:g} to {lever.high:g}; default {lever.default:g}.",
        )  # fmt: skip
        params.append(
            inspect.Parameter(
                lever.name, keyword, default=None, annotation=Annotated[float | None, query]
            )
        )
    return inspect.Signature(params)


def add_routes(router: APIRouter, responses: dict[int | str, dict[str, Any]]) -> None:
    """`GET /scenarios`: the export of one set of levers (beside `POST /scenarios`)."""
    export_scenario.__signature__ = _signature()  # type: ignore[attr-defined]
    router.add_api_route(
        "/scenarios", export_scenario, methods=["GET"], responses=responses,
        name="scenario_export", operation_id="scenario_export",
        summary="A scenario's outcomes as the model page shows them",
    )  # fmt: skip
