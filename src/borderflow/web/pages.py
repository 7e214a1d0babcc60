"""Server-rendered pages and the HTML fragments HTMX swaps into them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderflow.datasets import registry
from borderflow.errors import BorderflowError, NotFoundError, QueryError
from borderflow.presentation import charts
from borderflow.store import listings
from borderflow.store.checks import verdict_counts
from borderflow.store.listings import ClaimView
from borderflow.web import csrf, series
from borderflow.web.state import AppState, app_state, bearer
from borderflow.web.uploads import UploadResult, accept_uploads, refused_status

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
PageNo = Annotated[int, Query(ge=1, le=100_000)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
# Query parameters pages read from the request themselves (the claim filters, the data
# explorer's source and filters), besides those their signatures declare.
QUERY_PARAMS = frozenset((*listings.CLAIM_FILTERS, "source", "shown", "by", *registry.filters()))


def _render(
    state: AppState, request: Request, name: str, *, form: bool = False, **context: Any
) -> HTMLResponse:
    """A page; one with a form that posts carries the browser's form token."""
    context.setdefault("token_required", state.config.token_required)
    if not form:
        return state.templates.TemplateResponse(request, name, context)
    token = csrf.form_token(request)
    response = state.templates.TemplateResponse(
        request, name, {**context, "csrf_field": csrf.FIELD, "csrf_token": token}
    )
    csrf.remember_token(request, response, token)
    return response


def _chart_json(figure: dict[str, Any] | None) -> str | None:
    return None if figure is None else charts.script_json(figure)


def _records(views: list[ClaimView]) -> list[dict[str, Any]]:
    return [v.as_record() for v in views]


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, state: State) -> HTMLResponse:
    def build() -> dict[str, Any]:
        return {
            "seizures": _chart_json(charts.seizures(state.store, land_only=False)),
            "deaths": _chart_json(charts.deaths(state.store)),
            "share": _chart_json(charts.canada_share(state.store)),
            "verdicts": _records(listings.latest_verdicts(state.store, 12)),
            "counts": {**state.store.counts(), **verdict_counts(state.store)},
        }

    data = state.cached("overview", build)
    return _render(state, request, "overview.html", **data)


@router.get("/fragments/seizures", response_class=HTMLResponse)
def seizures_fragment(request: Request, state: State, land_only: bool = False) -> HTMLResponse:
    figure = state.cached(
        f"seizures:{land_only}",
        lambda: _chart_json(charts.seizures(state.store, land_only=land_only)),
    )
    return _render(state, request, "_chart.html", chart_id="seizures-chart", figure=figure)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(
    request: Request,
    state: State,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: PageNo = 1,
) -> HTMLResponse:
    result = listings.documents(state.store, q=q, page=page, per_page=50)
    template = "_documents.html" if request.headers.get("hx-request") else "documents.html"
    return _render(state, request, template, result=result, q=q or "")


def _segments(text: str, claims: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any] | None]]:
    """The text cut into plain runs and claim spans (overlapping spans keep the first)."""
    out: list[tuple[str, dict[str, Any] | None]] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: (c["start"], -c["end"])):
        start, end = claim["start"], claim["end"]
        if start < cursor or end > len(text):
            continue
        if start > cursor:
            out.append((text[cursor:start], None))
        out.append((text[start:end], claim))
        cursor = end
    out.append((text[cursor:], None))
    return out


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, state: State, document_id: Id) -> HTMLResponse:
    stored = state.store.document(document_id)
    claims = _records(listings.document_claims(state.store, document_id))
    return _render(
        state, request, "document.html", doc=stored.summary, metadata=stored.metadata,
        repairs=stored.repairs, segments=_segments(stored.text, claims), claims=claims,
    )  # fmt: skip


def _claim_filters(request: Request) -> dict[str, str]:
    """The claim filters asked for; a document id that is not one is a 422, not a 500."""
    found = {k: v for k in listings.CLAIM_FILTERS if (v := request.query_params.get(k, "").strip())}
    document = found.get("document_id")
    if document is not None and not _is_id(document):
        raise QueryError(
            f"document_id {document[:40]!r} is not a document id (a whole number from 1)",
            parameter="document_id",
        )
    return found


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 1 <= int(value) < 2**31


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    state: State,
    sort: str = "id",
    order: str = "asc",
    page: PageNo = 1,
) -> HTMLResponse:
    filters = _claim_filters(request)
    sort = sort if sort in listings.CLAIM_SORTS else "id"
    found = listings.claims(
        state.store, filters=filters, sort=sort, descending=order == "desc", page=page
    )
    result = listings.Page(_records(found.items), found.page, found.per_page, found.total)
    context: dict[str, Any] = {"result": result, "filters": filters, "sort": sort, "order": order}
    if request.headers.get("hx-request"):
        return _render(state, request, "_claims_table.html", **context)
    facets = state.cached("facets", lambda: listings.facets(state.store))
    return _render(state, request, "claims.html", facets=facets, **context)


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, state: State, claim_id: Id) -> HTMLResponse:
    record = listings.claim_view(state.store, claim_id).as_record(detail=True)
    sentence = record["sentence"] or ""
    at = sentence.find(record["text"])
    parts = (
        (
            sentence[:at],
            sentence[at : at + len(record["text"])],
            sentence[at + len(record["text"]) :],
        )
        if at >= 0
        else (sentence, "", "")
    )
    return _render(state, request, "claim.html", claim=record, parts=parts)


@router.get("/observations", response_class=HTMLResponse)
def observations_page(
    request: Request,
    state: State,
    release: Annotated[str, Query(min_length=1, max_length=300)],
    line: Annotated[int, Query(ge=1, le=10_000_000)],
) -> HTMLResponse:
    from borderflow.store.observations import observations_at

    found = observations_at(state.store, release, line)
    if not found:
        raise NotFoundError(f"no observation at {release}:{line}")
    rows = [cited.as_record() for cited in found]
    return _render(state, request, "observations.html", rows=rows, release=release, line=line)


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request, state: State) -> HTMLResponse:
    view = series.explorer(state, *series.page_params(request.query_params))
    return _render(state, request, "data.html", **view)


@router.get("/fragments/series", response_class=HTMLResponse)
def series_fragment(request: Request, state: State) -> HTMLResponse:
    """The explorer swapped in place; the address bar follows (HX-Push-Url), so what is
    on screen can be shared as a link."""
    source, by, values = series.page_params(request.query_params)
    response = _render(
        state, request, "_explorer.html", **series.explorer(state, source, by, values)
    )
    response.headers["HX-Push-Url"] = series.page_url(source, by, values)
    return response


@router.get("/model", response_class=HTMLResponse)
def model_page(request: Request, state: State) -> HTMLResponse:
    from borderflow.store.model_runs import latest_run
    from borderflow.web.scenarios import LEVERS

    run = latest_run(state.store, with_posterior=False)
    year = max(run.fit_years) if run else None
    flows = run.estimates_of("flow", year) if run else []
    return _render(
        state, request, "model.html", form=True, run=run, levers=LEVERS, flows=flows, year=year,
        sankey=_chart_json(state.cached("sankey", lambda: charts.sankey(state.store))),
        share=_chart_json(state.cached("share", lambda: charts.canada_share(state.store))),
    )  # fmt: skip


@router.post("/fragments/scenario", response_class=HTMLResponse)
async def scenario_fragment(request: Request, state: State) -> HTMLResponse:
    from starlette.concurrency import run_in_threadpool

    from borderflow.web.scenarios import parse_levers

    form = await request.form()
    state.check_token(str(form.get("token") or "") or bearer(request))
    csrf.check_form(request, str(form.get(csrf.FIELD) or ""))
    raw = {k: str(v) for k, v in form.items() if k not in ("token", csrf.FIELD)}
    try:
        values = parse_levers(raw)
        rows = await run_in_threadpool(state.run_scenario, values)
    except BorderflowError as exc:
        return _render(state, request, "_scenario.html", rows=[], error=str(exc), values={})
    return _render(state, request, "_scenario.html", rows=rows, error=None, values=values)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, state: State) -> HTMLResponse:
    return _render(state, request, "upload.html", form=True, error=None, results=[])


@router.post("/upload", response_model=None)
def upload_submit(
    request: Request,
    state: State,
    file: Annotated[list[UploadFile] | None, File()] = None,
    text: Annotated[str | None, Form()] = None,
    published: Annotated[str | None, Form()] = None,
    outlet: Annotated[str | None, Form(max_length=300)] = None,
    token: Annotated[str | None, Form()] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """One file lands on its document's page; several (or any refused) on a list of
    what became of each, with a link to every document stored."""
    from fastapi import HTTPException

    state.check_token(token or bearer(request))
    csrf.check_form(request, csrf_token)
    try:
        when = date.fromisoformat(published) if published else None
    except ValueError:
        return _upload_page(state, request, f"date {(published or '')[:40]!r}: use YYYY-MM-DD", 400)
    try:
        results = accept_uploads(state, file or [], text, when, outlet or None)
    except HTTPException as exc:
        return _upload_page(state, request, str(exc.detail), exc.status_code)
    only = results[0]
    if len(results) == 1 and only.refusal is None:
        return RedirectResponse(f"/documents/{only.document_id}", status_code=303)
    if len(results) == 1 and only.refusal is not None:
        return _upload_page(state, request, only.refusal.message, only.refusal.status)
    return _upload_page(state, request, None, refused_status(results) or 200, results)


def _upload_page(
    state: AppState,
    request: Request,
    error: str | None,
    status: int,
    results: list[UploadResult] | None = None,
) -> HTMLResponse:
    response = _render(state, request, "upload.html", form=True, error=error, results=results or [])
    response.status_code = status
    return response
