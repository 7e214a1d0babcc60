"""Query and path parameters the pages and the API share: one declaration each, so a
page number or a cursor means the same on /claims and on /api/v1/claims."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from borderflow.store.paging import COUNT_CAP

PageNo = Annotated[
    int,
    Query(
        ge=1,
        le=COUNT_CAP,
        description=f"Page number, from 1. Pages by number reach row {COUNT_CAP:,}; "
        "deeper pages are read by `after`.",
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
