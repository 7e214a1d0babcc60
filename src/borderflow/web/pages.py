"""Server-rendered pages and the HTML fragments HTMX swaps into them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from borderflow.datasets import registry
from borderflow.errors import NotFoundError, QueryError
from borderflow.store import listings
from borderflow.store.listings import ClaimView
from borderflow.store.paging import Page
from borderflow.store.verdict_counts import verdict_counts
from borderflow.web import charts as chart_views
from borderflow.web import claim_filters, csrf, exports, series
from borderflow.web.claim_summary import summarise
from borderflow.web.params import After, Id, PageNo
from borderflow.web.scenarios import LEVERS
from borderflow.web.state import AppState, app_state, bearer
from borderflow.web.uploads import UploadResult, accept_uploads, refused_status

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
# Query parameters pages read from the request themselves (the claim filters, the data
# explorer's source and filters), besides those their signatures declare.
QUERY_PARAMS = frozenset((*listings.CLAIM_FILTERS, "source", "shown", "by", *registry.filters()))
# The overview's seizures view (/?seizures=land).
QUERY_PARAMS |= {"seizures"}
# The model page's scenario levers (/model?north_resources=2...).
QUERY_PARAMS |= {lever.name for lever in LEVERS}


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


def _records(views: list[ClaimView]) -> list[dict[str, Any]]:
    return [v.as_record() for v in views]


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, state: State) -> HTMLResponse:
    """The headline charts and the latest verdicts. `?seizures=land` shows the seizures at
    the land border only: the address the chart's toggle puts in the address bar."""
    land_only = request.query_params.get("seizures") == chart_views.LAND

    def build() -> dict[str, Any]:
        return {
            "verdicts": _records(listings.latest_verdicts(state.store, 12)),
            "counts": {**listings.store_totals(state.store), **verdicts},
        }

    # The verdict counts read every verdict: counted again only when a verdict changed,
    # not after every new document (the first request after an ingest stays fast).
    verdicts = state.cached(
        "verdict-counts",
        lambda: verdict_counts(state.store),
        lambda: listings.verdicts_generation(state.store),
    )
    data = {
        **state.cached("overview", build),
        "deaths": state.cached_on_data("chart:deaths", lambda: chart_views.deaths(state.store)),
        "share": state.cached_on_data("chart:share", lambda: chart_views.share(state.store)),
    }
    seizures = state.cached_on_data(
        f"seizures:{land_only}", lambda: chart_views.seizures(state.store, land_only=land_only)
    )
    from borderflow.web.scenario_results import latest_fit

    fit = latest_fit(state)  # why the share chart is missing, when it is
    return _render(state, request, "overview.html", seizures=seizures, fit=fit, **data)


@router.get("/fragments/seizures", response_class=HTMLResponse)
def seizures_fragment(request: Request, state: State, land_only: bool = False) -> HTMLResponse:
    """The seizures chart in the view asked for, swapped in place; the address bar
    follows (HX-Push-Url), so the view can be shared as a link."""
    chart = state.cached_on_data(
        f"seizures:{land_only}", lambda: chart_views.seizures(state.store, land_only=land_only)
    )
    response = _render(state, request, "_chart.html", chart=chart)
    response.headers["HX-Push-Url"] = f"/?seizures={chart_views.LAND}" if land_only else "/"
    return response


@router.get("/documents", response_class=HTMLResponse)
def documents_page(
    request: Request,
    state: State,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: PageNo = 1,
    after: After = None,
    format: Annotated[exports.ExportFormat | None, Query()] = None,
) -> Response:
    """The documents, searched; `format=csv|json` downloads every match."""
    if format is not None:
        return exports.documents(state, q, format)
    result = listings.documents(state.store, q=q, page=page, per_page=50, after=after)
    if not _fragment(request):
        return _render(state, request, "documents.html", result=result, q=q or "")
    response = _render(state, request, "_documents.html", result=result, q=q or "")
    # The address bar shows the search, and no `?q=` once the box is emptied.
    asked = (q or "").strip()
    search = f"?{urlencode({'q': asked})}" if asked else ""
    response.headers["HX-Push-Url"] = f"/documents{search}"
    return response


def _fragment(request: Request) -> bool:
    """Whether HTMX asked for the part it swaps: a history restore wants the whole page."""
    headers = request.headers
    return bool(headers.get("hx-request")) and not headers.get("hx-history-restore-request")


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
    from borderflow.records.documents import HEAD_CHARS, display_title, original_url, site_of

    stored = state.store.document(document_id)
    claims = _records(listings.document_claims(state.store, document_id))
    doc = stored.summary
    url = original_url(doc.source, stored.metadata)
    return _render(
        state, request, "document.html", doc=doc, metadata=stored.metadata,
        repairs=stored.repairs, segments=_segments(stored.text, claims), claims=claims,
        shown=display_title(doc.title, doc.source, stored.text[:HEAD_CHARS]), url=url,
        site=site_of(url),
    )  # fmt: skip


def _claim_filters(request: Request, state: AppState) -> dict[str, Any]:
    """The claim filters asked for, as the claims spell them (web.claim_filters): an
    unknown value, or a document id that is not one, is a QueryError, not a silent zero
    or a 500."""
    found = _asked(request)
    document = found.get("document_id")
    if document is not None and not _is_id(document):
        raise QueryError(
            f"document_id {document[:40]!r} is not a document id (a whole number from 1)",
            parameter="document_id",
        )
    return claim_filters.resolved(state, found)


def _asked(request: Request) -> dict[str, str]:
    """The claim filters in the address, empty ones left out."""
    params = request.query_params
    return {k: v for k in listings.CLAIM_FILTERS if (v := params.get(k, "").strip())}


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 1 <= int(value) < 2**31


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    state: State,
    sort: str = "id",
    order: str = "asc",
    page: PageNo = 1,
    after: After = None,
    format: Annotated[exports.ExportFormat | None, Query()] = None,
) -> Response:
    """The claims, filtered and sorted; `format=csv|json` downloads every match. A filter
    value no claim has is answered with the valid ones, not with an empty table."""
    sort = sort if sort in listings.CLAIM_SORTS else "id"
    order = "desc" if order == "desc" else "asc"
    try:
        filters = _claim_filters(request, state)
    except QueryError as exc:
        # A browser or HTMX sees the page with the message; any other client, a download
        # included, the one JSON error shape.
        reads_html = "text/html" in request.headers.get("accept", "") or _fragment(request)
        if format is not None or not reads_html:
            raise
        return _claims_refused(state, request, exc, sort, order)
    if format is not None:
        return exports.claims(state, filters, sort=sort, descending=order == "desc", fmt=format)
    found = listings.claims(
        state.store, filters=filters, sort=sort, descending=order == "desc", page=page,
        after=after,
    )  # fmt: skip
    result: Page[dict[str, Any]] = found.with_items(_records(found.items))
    context: dict[str, Any] = {"result": result, "filters": filters, "sort": sort, "order": order}
    if not _fragment(request):
        return _render(state, request, "claims.html", facets=claim_filters.facets(state), **context)
    response = _render(state, request, "_claims_table.html", **context)
    # The address bar shows the filters in use only (not every empty menu of the form).
    response.headers["HX-Push-Url"] = claim_filters.claims_url(filters, sort, order)
    return response


def _claims_refused(
    state: AppState, request: Request, exc: QueryError, sort: str, order: str
) -> HTMLResponse:
    """The claims page saying which filter value is wrong and listing the valid ones. A
    page is a 422; the table HTMX swaps in is a 200, as HTMX swaps only successes."""
    kept = claim_filters.still_valid(state, _asked(request))
    context: dict[str, Any] = {"error": str(exc), "filters": kept, "sort": sort, "order": order}
    if _fragment(request):
        return _render(state, request, "_claims_table.html", result=None, **context)
    response = _render(
        state, request, "claims.html", facets=claim_filters.facets(state), result=None, **context
    )
    response.status_code = 422
    return response


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, state: State, claim_id: Id) -> HTMLResponse:
    """The verdict first, in plain words (see claim_summary), then the sentence, the
    reading of the figure and every check with its sources."""
    view = listings.claim_view(state.store, claim_id)
    record = view.as_record(detail=True)
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
    return _render(state, request, "claim.html", claim=record, parts=parts, summary=summarise(view))


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
    """The fit, its flows, the published figures it is checked against and the scenario
    form. An address naming levers (`/model?north_resources=2`) fills the form with them
    and shows their result: run here when the server needs no token, else when someone
    with the token ran them. The anchors need the fit's draws, so they are worked out
    once per store generation, not per request."""
    from borderflow.presentation.anchors import anchors_view
    from borderflow.presentation.quantities import flow_cells, period_label
    from borderflow.web.scenario_results import fit_spec, latest_fit, scenario_view
    from borderflow.web.scenarios import levers_asked

    in_use = latest_fit(state)
    run = in_use.run
    year = max(run.fit_years) if run else None
    spec = fit_spec(state, run) if run else None
    flows = [flow_cells(e, spec) for e in run.estimates_of("flow", year)] if run else []
    asked = levers_asked(request.query_params)
    view = scenario_view(state, asked, may_run=not state.config.token_required) if asked else None
    anchors = state.cached("model:anchors", lambda: anchors_view(state.store)) if run else None
    return _render(
        state, request, "model.html", form=True, run=run, fit=in_use, levers=LEVERS, flows=flows,
        year=year, anchors=anchors,
        period=period_label(year), scenario=view, form_values=view.form if view else {},
        sankey=state.cached_on_data("model:sankey", lambda: chart_views.sankey(state.store)),
        share=state.cached_on_data(
            "model:share", lambda: chart_views.share(state.store, chart_id="model-share-chart")
        ),
    )  # fmt: skip


@router.post("/fragments/scenario", response_model=None)
async def scenario_fragment(request: Request, state: State) -> Response:
    """Run the form's levers. HTMX swaps the result in and puts the levers in the
    address bar (HX-Push-Url), so the link reproduces the view; a plain form post is
    sent on to that address (the result is kept there for it)."""
    from starlette.concurrency import run_in_threadpool

    from borderflow.web.scenario_results import scenario_view

    form = await request.form()
    state.check_token(str(form.get("token") or "") or bearer(request))
    csrf.check_form(request, str(form.get(csrf.FIELD) or ""))
    raw = {k: str(v) for k, v in form.items() if k not in ("token", csrf.FIELD)}
    view = await run_in_threadpool(lambda: scenario_view(state, raw, may_run=True))
    if not request.headers.get("hx-request"):
        return RedirectResponse(view.page_url, status_code=303)
    response = _render(state, request, "_scenario.html", scenario=view)
    if view.values is not None:
        response.headers["HX-Push-Url"] = view.page_url
    return response


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
