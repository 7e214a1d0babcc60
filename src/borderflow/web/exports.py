"""Every table as a download: claims, documents and verdicts as CSV or JSON, carrying the
filters of the view they were asked from and every row those filters match, not the one
page on screen.

The page routes (`/claims?format=csv`) and the API routes (`/api/v1/claims?format=csv`)
answer from the same functions, so a table's download is its address plus `format`. A CSV
goes through `output.to_csv`, which keeps text a spreadsheet would run as a formula inert.
A JSON download has the API's page shape with every row on one page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from borderflow.errors import QueryError
from borderflow.output import to_csv
from borderflow.records.verdicts import CHECK_FIELDS, StoredCheck
from borderflow.store import listings
from borderflow.store.paging import COUNT_CAP
from borderflow.web import claim_filters
from borderflow.web.state import AppState

ExportFormat = Literal["csv", "json"]
# The most rows one download holds. Larger selections are refused with a pointer to the
# filters (and the answer is also bounded in bytes by the max_response_bytes setting).
MAX_EXPORT_ROWS = 100_000
# A verdict's fields, with whether its document's title was derived from its text.
CHECK_EXPORT_FIELDS = (*CHECK_FIELDS[:3], "title_derived", *CHECK_FIELDS[3:])


def file_name(kind: str, filters: Mapping[str, Any], fmt: ExportFormat) -> str:
    """A download's name from what it holds: "borderflow-claims-verdict-contradicted.csv"."""
    parts = [kind, *(f"{k}-{v}" for k, v in filters.items() if v not in (None, ""))]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")[:100].strip("-")
    return f"borderflow-{slug or kind}.{fmt}"


def csv_download(records: Sequence[dict[str, Any]], fields: Sequence[str], name: str) -> Response:
    """Rows as a CSV attachment named `name` (cells that a spreadsheet would run as a
    formula are neutralised by `to_csv`)."""
    return Response(
        to_csv(records, tuple(fields)),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def answer(
    records: Sequence[dict[str, Any]], fields: Sequence[str], fmt: ExportFormat, name: str
) -> Response:
    """The rows as a CSV or JSON download named `name`."""
    if fmt == "csv":
        return csv_download(records, fields, name)
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    body = {
        "items": jsonable_encoder(list(records)), "page": 1, "per_page": len(records),
        "total": len(records), "pages": 1,
    }  # fmt: skip
    return JSONResponse(body, headers=disposition)


def bounded(total: int | listings.Page[Any]) -> None:
    """Refuse a download over MAX_EXPORT_ROWS before its rows are read: `total` is a
    number of rows, or a page whose total was counted up to MAX_EXPORT_ROWS."""
    exact = total.exact if isinstance(total, listings.Page) else True
    rows = total.total if isinstance(total, listings.Page) else total
    if rows > MAX_EXPORT_ROWS or not exact:
        raise QueryError(
            f"the selection holds {'more than ' if not exact else ''}{rows:,} rows, over the "
            f"{MAX_EXPORT_ROWS:,} one download takes: narrow it with the filters, or page "
            "through the API",
            parameter="format",
        )


def claims(
    state: AppState,
    filters: Mapping[str, Any],
    *,
    sort: str,
    descending: bool,
    fmt: ExportFormat,
) -> Response:
    """Every claim the filters match, in the table's order. The filters are resolved
    here too (a no-op on resolved ones), so no download answers zero rows for a value
    written in another case, and none for a value no claim has."""
    wanted = claim_filters.resolved(state, filters)
    bounded(listings.claims(state.store, filters=wanted, per_page=1, count_cap=MAX_EXPORT_ROWS))
    found = listings.claims(
        state.store, filters=wanted, sort=sort, descending=descending, per_page=MAX_EXPORT_ROWS
    )
    records = [v.export_record() for v in found.items]
    return answer(records, listings.CLAIM_EXPORT_FIELDS, fmt, file_name("claims", wanted, fmt))


def documents(state: AppState, q: str | None, fmt: ExportFormat) -> Response:
    """Every document the search matches, newest first."""
    bounded(listings.documents(state.store, q=q, per_page=1, count_cap=MAX_EXPORT_ROWS))
    # Counted as far as a listing counts (COUNT_CAP), not a search's quick sample: the
    # count decides how the rows are found (see listings.documents).
    found = listings.documents(state.store, q=q, per_page=MAX_EXPORT_ROWS, count_cap=COUNT_CAP)
    records = [d.listing_record() for d in found.items]
    name = file_name("documents", {"q": q}, fmt)
    return answer(records, listings.DOCUMENT_EXPORT_FIELDS, fmt, name)


def check_records(checks: Sequence[StoredCheck]) -> list[dict[str, Any]]:
    """Verdicts as the API lists them, each with its document's title to show."""
    records = []
    for check in checks:
        record = check.as_record()
        record["title_derived"] = bool(check.shown_title and check.shown_title.derived)
        records.append(record)
    return records


def checks(
    state: AppState, checks: Sequence[StoredCheck], filters: Mapping[str, Any], fmt: ExportFormat
) -> Response:
    """These verdicts (already filtered), with their citations."""
    bounded(len(checks))
    name = file_name("verdicts", filters, fmt)
    return answer(check_records(checks), CHECK_EXPORT_FIELDS, fmt, name)
