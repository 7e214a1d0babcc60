"""Query and path parameters the pages and the API share: one declaration each, so a
page number or a cursor means the same on /claims and on /api/v1/claims."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from borderflow.store.paging import COUNT_CAP

# A page number's own bound is loose: how deep a listing pages by number is said, with
# what to do instead, where the page is read (store.paging.read_page).
PageNo = Annotated[
    int,
    Query(
        ge=1,
        le=100_000,
        description=f"Page number, from 1. Listings with a cursor page by number as far "
        f"as row {COUNT_CAP:,}, and further by `after`.",
    ),
]
After = Annotated[
    str | None,
    Query(
        max_length=500,
        description="A cursor: the `next_after` of the previous page, for the page that "
        "follows it in the same sort and order (`page` is then ignored). Deep pages cost "
        "what the first one does.",
    ),
]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
