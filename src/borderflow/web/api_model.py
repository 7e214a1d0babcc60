"""The JSON API's model routes under /api/v1/: the fit in use, its published anchors, and
scenario runs and exports against it (the conventions are api.py's)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from borderflow.errors import NotFoundError
from borderflow.web.api import State, errors_of
from borderflow.web.state import bearer

router = APIRouter(tags=["api"])


@router.get("/model", responses=errors_of(404))
def model_summary(state: State) -> dict[str, Any]:
    """The fit in use (the newest one that converged): its settings, diagnostics,
    `converged`, data releases and headline summary. 404 when no fit has converged, with
    why (the newest fit's failed tests and what to do); a failed fit is never shown."""
    from borderflow.web.scenario_results import latest_fit

    found = latest_fit(state)
    if found.run is None:
        raise NotFoundError(found.missing())
    return found.run.as_record()


@router.get("/model/anchors", responses=errors_of(404))
def model_anchors(state: State) -> dict[str, Any]:
    """The fit in use against the published figures (`model/anchors.yaml`): per anchor
    the model's median and 90% interval, the share of draws in the published range
    (`inside`), `result` (pass, fail or not checked), the rule, whether the model also
    fits its data (`fitted_data`) and the source; `summary` counts them. 404 as /model."""
    from borderflow.presentation.anchors import anchors_view
    from borderflow.web.scenario_results import latest_fit

    found = latest_fit(state)
    if found.run is None:
        raise NotFoundError(found.missing())
    view = state.cached("model:anchors", lambda: anchors_view(state.store))
    return {"model_run": found.run.id, "summary": view.tally.as_record(),
            "anchors": view.records()}  # fmt: skip


@router.get("/scenarios/levers", responses=errors_of())
def scenario_levers() -> list[dict[str, Any]]:
    """The levers a scenario run takes, with their ranges and defaults."""
    from dataclasses import asdict

    from borderflow.web.scenarios import LEVERS

    return [asdict(lever) for lever in LEVERS]


def _levers_model() -> type[BaseModel]:
    """The scenario body: one optional number per lever, within its range (the schema
    carries the ranges, so a schema-valid body is always a runnable scenario)."""
    from pydantic import ConfigDict, Field, create_model

    from borderflow.web.scenarios import LEVERS

    fields: dict[str, Any] = {
        lever.name: (
            float,
            Field(lever.default, ge=lever.low, le=lever.high, description=lever.help),
        )
        for lever in LEVERS
    }
    model: type[BaseModel] = create_model("Levers", __config__=ConfigDict(extra="forbid"), **fields)
    return model


Levers = _levers_model()


@router.post("/scenarios", responses=errors_of(401, 409))
def run_scenario(request: Request, state: State, levers: Levers) -> dict[str, Any]:  # type: ignore[valid-type]
    """Run the levers against the fit in use: outcomes next to the baseline, with 90%
    intervals and paired changes. 409 until a fit has converged, saying why."""
    from borderflow.web.scenario_results import latest_fit
    from borderflow.web.scenarios import parse_levers

    state.check_token(bearer(request))
    found = latest_fit(state)
    if found.run is None:
        raise HTTPException(409, found.missing())
    values = parse_levers(levers.model_dump())  # type: ignore[attr-defined]
    return {"levers": values, "rows": [r.as_record() for r in state.run_scenario(values)]}


def _add_scenario_export() -> None:
    """`GET /scenarios?<levers>&format=csv|json`: the model page's table as data."""
    from borderflow.web import scenario_results

    responses: dict[int | str, dict[str, Any]] = {
        **errors_of(401, 409),
        200: {"content": {"application/json": {}, "text/csv": {}}, "description": "The table"},
    }
    scenario_results.add_routes(router, responses)


_add_scenario_export()
