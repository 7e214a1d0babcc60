"""The JSON API under /api/v1/: documents, claims, checks, series and releases (the model
and scenarios are in api_model.py).

Lists are paged (`page`, `per_page` up to the server's `max_page_size`, and
`total`/`pages` in the answer). Documents and claims page deeper by cursor: each answer's
`next_after` (null on the last page) passed back as `after` gives the page that follows,
as fast at the millionth row as at the first, and stable under the sort asked for (give
the same `sort` and `order`); `page` reads what comes before it, so it suits the first
pages, and reaches no further than the count. Totals are counted up to 10,000 (a word
search's up to 1,000): past that `total` is the cap and `total_exact` false. In the
listings with a cursor, a page by number past row 10,000 is
refused with the advice to follow `next_after`, and `next_page` is null from there. Every
error is {"error": {"status", "code", "message"}}; writes need a bearer token when the
server listens beyond loopback, and a form post (multipart) an Authorization header or
the pages' form token."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from pydantic import BaseModel

from borderflow.errors import ModelError, NotFoundError
from borderflow.store import listings, verdict_listing
from borderflow.store.listings import ClaimView
from borderflow.web import claim_filters as filter_values
from borderflow.web import csrf, exports, series
from borderflow.web.claim_filters import FACETED_HELP, ClaimFilters, Faceted
from borderflow.web.errors import API_PREFIX
from borderflow.web.params import After, Id, PageNo
from borderflow.web.state import AppState, app_state, bearer
from borderflow.web.uploads import (
    accept_uploads,
    clean_name,
    refuse_if_none_stored,
    without_temp_paths,
)


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorModel(BaseModel):
    error: ErrorBody


class PageModel(BaseModel):
    items: list[dict[str, Any]]
    page: int | None
    per_page: int
    total: int
    total_exact: bool = True
    pages: int
    # The next page by number while pages by number reach it (null past row 10,000: then
    # `next_after`); `pages` counts the pages the total fills, numbered or not.
    next_page: int | None = None
    next_after: str | None = None


def errors_of(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for these error codes (and 422), each in the error shape."""
    return {code: {"model": ErrorModel} for code in (*codes, 422)}


router = APIRouter(tags=["api"])
State = Annotated[AppState, Depends(app_state)]
PerPage = Annotated[
    int, Query(ge=1, description="Items per page (at most the server's max_page_size).")
]
OptionalId = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
Format = Annotated[
    exports.ExportFormat | None,
    Query(
        description="csv or json: download every matching row at once (paging ignored), "
        "as a file; without it, one page of JSON."
    ),
]
# A listing's 200 answer: a page of JSON, or with `format` a CSV or JSON download.
_LISTING_OK: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, "text/csv": {}}, "description": "The rows"}
}


@router.get("/documents", response_model=PageModel, responses={**_LISTING_OK, **errors_of()})
def list_documents(
    state: State,
    q: Annotated[str | None, Query(max_length=200, description="Search titles and text.")] = None,
    page: PageNo = 1,
    per_page: PerPage = 50,
    after: After = None,
    format: Format = None,
) -> Any:
    """Documents, newest first (undated last, ties by id), with their number of claims,
    the title to show (`display_title`: the first words when the file has none,
    `title_derived` true) and the original article's address when the file named one.
    `q` searches a full-text index: whole words, any case, every one required in the
    title or text, "quoted words" as a phrase."""
    if format is not None:
        return exports.documents(state, q, format)
    found = listings.documents(
        state.store, q=q, page=page, per_page=state.config.page_size(per_page), after=after
    )
    return found.as_record(lambda d: d.listing_record())


@router.get("/documents/{document_id}", responses=errors_of(404))
def get_document(state: State, document_id: Id) -> dict[str, Any]:
    """A document's text, metadata, repairs and claims (with their headline verdicts):
    the first `max_page_size` claims, `claims_total` of them in all, every one paged at
    `claims_url`."""
    stored = state.store.document(document_id)
    views = listings.document_claims(state.store, document_id)
    return {
        **stored.summary.as_record(),
        "text": stored.text,
        "metadata": stored.metadata,
        "repairs": stored.repairs,
        "claims": _claim_records(views[: state.config.max_page_size]),
        "claims_total": len(views),
        "claims_url": f"{API_PREFIX}/claims?document_id={document_id}",
    }


def _claim_records(views: list[ClaimView]) -> list[dict[str, Any]]:
    return [v.as_record() for v in views]


class UploadModel(BaseModel):
    items: list[dict[str, Any]]
    stored: int
    refused: int
    document_id: int | None
    status: str | None


@router.post(
    "/documents", status_code=201, response_model=UploadModel,
    responses=errors_of(400, 401, 403, 413, 415, 503),
)  # fmt: skip
def upload_document(
    request: Request,
    state: State,
    file: Annotated[
        list[UploadFile] | None,
        File(description="Files (txt, md, HTML or PDF); repeat the field for several."),
    ] = None,
    text: Annotated[str | None, Form(description="Or paste the text.")] = None,
    published: Annotated[date | None, Form(description="Publication date.")] = None,
    outlet: Annotated[str | None, Form(max_length=300)] = None,
) -> dict[str, Any]:
    """Ingest every file sent (and the pasted text), extract and check their claims.
    Answers one item per file, in order: the document it became (with links to it and
    to its claims, which are paged there) or why it was refused; the good files land
    even when others are refused. `document_id` and `status` are the first stored
    file's. When none lands, the answer is the error (several files: each one's)."""
    state.check_token(bearer(request))
    csrf.check_form(request, None)
    results = accept_uploads(state, file or [], text, published, outlet)
    refuse_if_none_stored(results)
    first = next(r for r in results if r.refusal is None)
    return {
        "items": [r.as_record() for r in results],
        "stored": sum(r.refusal is None for r in results),
        "refused": sum(r.refusal is not None for r in results),
        "document_id": first.document_id,
        "status": first.status,
    }


@router.get("/claims", response_model=PageModel, responses={**_LISTING_OK, **errors_of()})
def list_claims(
    state: State,
    claim: ClaimFilters,
    verdict: Faceted = None,
    document_id: OptionalId = None,
    sort: Literal[tuple(listings.CLAIM_SORTS)] = "id",  # type: ignore[valid-type]
    order: Literal["asc", "desc"] = "asc",
    page: PageNo = 1,
    per_page: PerPage = 50,
    after: After = None,
    format: Format = None,
) -> Any:
    """Claims with their headline verdict, filtered and sorted: claims without the value
    sorted on come last in either order, ties go by claim id in the order asked. A
    filter value no claim has (a verdict kind aside) is a 422 naming the parameter and
    the valid values."""
    asked = {**claim, "verdict": verdict, "document_id": document_id}
    filters = filter_values.resolved(state, asked)
    if format is not None:
        return exports.claims(state, filters, sort=sort, descending=order == "desc", fmt=format)
    found = listings.claims(
        state.store, filters=filters, sort=sort, descending=order == "desc", page=page,
        per_page=state.config.page_size(per_page), after=after,
    )  # fmt: skip
    return found.as_record(lambda v: v.as_record())


@router.get("/claims/facets", responses=errors_of())
def claim_facets(state: State) -> dict[str, list[str]]:
    """The values each claim filter can take."""
    return filter_values.facets(state)


@router.get("/claims/{claim_id}", responses=errors_of(404))
def get_claim(state: State, claim_id: Id) -> dict[str, Any]:
    """A claim with its sentence, every check, explanation and citations."""
    return listings.claim_view(state.store, claim_id).as_record(detail=True)


@router.get("/checks", response_model=PageModel, responses={**_LISTING_OK, **errors_of()})
def list_checks(
    state: State,
    claim: ClaimFilters,
    verdict: Annotated[
        str | None, Query(max_length=300, description=f"A verdict kind. {FACETED_HELP}")
    ] = None,
    document_id: OptionalId = None,
    claim_id: OptionalId = None,
    headline: Annotated[
        bool, Query(description="Only each claim's headline verdict; false lists every check.")
    ] = True,
    page: PageNo = 1,
    per_page: PerPage = 50,
    after: After = None,
    format: Format = None,
) -> Any:
    """Verdicts with their claim, document (and its title to show) and citations; the
    claim filters narrow them to the claims /claims lists with the same filters.
    Headline verdicts come by claim, in the order the claims were read; every check
    (`headline=false`, or the verdicts of one `claim_id`) the same way, then by check.
    Both page by `page` or, past the counted rows, by cursor (`after`)."""
    from borderflow.store.checks import count_checks, stored_checks

    claim = filter_values.resolved_for_checks(state, {**claim, "verdict": verdict})
    per_page = state.config.page_size(per_page)
    if format is None and headline and claim_id is None:
        return _headline_checks(state, claim, document_id, page, per_page, after)
    if format is None:
        return _every_check(state, claim, document_id, claim_id, headline, page, per_page, after)
    verdict = claim.pop("verdict", None)  # the checks' own filter; the rest are the claims'
    # The claims' filters narrow the verdicts inside the database.
    chosen_checks: dict[str, Any] = {
        "document_id": document_id, "claim_id": claim_id, "verdict": verdict,
        "headline_only": headline,
        "among": listings.claim_ids_query(state.store, dict(claim)) if claim else None,
    }  # fmt: skip
    named = {**claim, "verdict": verdict, "document_id": document_id, "claim_id": claim_id}
    chosen: dict[str, Any] = {k: v for k, v in named.items() if v is not None}
    if not headline:
        chosen["headline"] = "false"
    exports.bounded(count_checks(state.store, **chosen_checks))
    return exports.checks(state, stored_checks(state.store, **chosen_checks), chosen, format)


def _every_check(
    state: AppState,
    filters: dict[str, Any],
    document_id: int | None,
    claim_id: int | None,
    headline: bool,
    page: int,
    per_page: int,
    after: str | None,
) -> dict[str, Any]:
    """A page of every verdict (or of the headlines of one claim): the page's verdicts
    found by the index of their claim ids (keyset), then read by their own keys."""
    from borderflow.store.checks import stored_checks

    chosen = {**filters, "document_id": document_id}
    ids = verdict_listing.every_check(
        state.store, chosen, claim_id=claim_id, headline_only=headline, page=page,
        per_page=per_page, after=after,
    )  # fmt: skip
    found = stored_checks(state.store, check_ids=ids.items, headline_only=False)
    # The page's order (claim, then verdict): read back by document, text and verdict,
    # the verdicts of one claim are already in order, so a stable sort by claim keeps it.
    shown = sorted(found, key=lambda check: check.claim_id) if ids.items else []
    return ids.with_items(exports.check_records(shown)).as_record()


def _headline_checks(
    state: AppState,
    filters: dict[str, Any],
    document_id: int | None,
    page: int,
    per_page: int,
    after: str | None,
) -> dict[str, Any]:
    """A page of headline verdicts: the page's claims found by their index (keyset),
    then their verdicts read for those claims alone."""
    from borderflow.store.checks import stored_checks

    chosen = {**filters, "document_id": document_id}
    ids = verdict_listing.checked_claims(
        state.store, chosen, page=page, per_page=per_page, after=after
    )
    # The page's claims by their own key (`ClaimRow.id`, not the verdicts' claim id, from
    # which an engine plans the join from every current version): one query, 10-20 ms
    # for 50 claims, where one query per claim took 130-290 ms on PostgreSQL.
    rank = {claim_id: n for n, claim_id in enumerate(ids.items)}
    found = stored_checks(state.store, claim_ids=ids.items) if ids.items else []
    shown = sorted(found, key=lambda check: rank[check.claim_id])
    return ids.with_items(exports.check_records(shown)).as_record()


_SERIES_RESPONSES: dict[int | str, dict[str, Any]] = {
    **errors_of(),
    200: {"content": {"application/json": {}, "text/csv": {}}, "description": "The series"},
}
series.add_routes(router, _SERIES_RESPONSES)


@router.get("/releases", responses=errors_of())
def list_releases(state: State) -> list[dict[str, Any]]:
    """Imported statistics files: source, coverage, rows, when imported."""
    from borderflow.store.observations import releases

    return [r.as_record() for r in releases(state.store)]


@dataclass(frozen=True, slots=True)
class _Received:
    """An uploaded statistics file written to a temporary folder under a clean name."""

    name: str
    path: FilePath


@router.post("/releases", status_code=201, responses=errors_of(400, 401, 403, 413, 503))
def import_release(
    request: Request,
    state: State,
    file: Annotated[
        list[UploadFile],
        File(description="Agencies' statistics files; repeat the field for several."),
    ],
) -> dict[str, Any]:
    """Import official statistics files (each one's format detected from its header),
    then re-check the stored claims against the data. Every file is imported on its
    own: the good ones land, and any refused file is the error, by its name."""
    from borderflow.workflows import import_and_recheck

    state.check_token(bearer(request))
    csrf.check_form(request, None)
    most = state.config.max_upload_files
    if len(file) > most:
        raise HTTPException(413, f"{len(file)} files in one upload; at most {most} are taken")
    limit = state.config.max_upload_bytes
    with tempfile.TemporaryDirectory(prefix="borderflow-import-") as folder:
        received = []
        for index, upload in enumerate(file):
            name = clean_name(upload.filename, "upload.csv")
            data = upload.file.read(limit + 1)
            if len(data) > limit:
                raise HTTPException(413, f"{name}: over the limit of {limit:,} bytes")
            path = FilePath(folder) / str(index) / name
            path.parent.mkdir()
            path.write_bytes(data)
            received.append(_Received(name, path))
        outcome = import_and_recheck(
            state.store, [r.path for r in received], always_recheck=True,
            limits=state.config.import_limits,
        )  # fmt: skip
    names = {str(r.path): r.name for r in received}
    imported: list[dict[str, Any]] = [
        {"file": names.get(r.file, clean_name(r.file)), "source": r.source,
         "status": r.result.status, "rows": r.rows, "skipped": len(r.skipped),
         "revisions": [v.as_record() for v in r.revisions]}
        for r in outcome.results
    ]  # fmt: skip
    if outcome.errors:
        message = "; ".join(without_temp_paths(str(e)) for e in outcome.errors)
        if imported:
            message += f" (imported: {', '.join(i['file'] for i in imported)})"
        raise ModelError(message)
    return {"imported": imported, "rechecked": outcome.rechecked}


@router.get("/observations", responses=errors_of(404))
def cited_observations(
    state: State,
    release: Annotated[str, Query(min_length=1, max_length=300, description="Release file.")],
    line: Annotated[int, Query(ge=1, le=10_000_000, description="Line in that file.")],
) -> list[dict[str, Any]]:
    """The official observations one line of one release states, as a check cites them:
    the value that release gave, the current value, and every release's value."""
    from borderflow.store.observations import observations_at

    found = observations_at(state.store, release, line)
    if not found:
        raise NotFoundError(f"no observation at {release}:{line}")
    return [cited.as_record() for cited in found]
