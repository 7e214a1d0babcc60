"""The claim filters a request names, resolved once for every face of the app: the claims
page, its HTMX table, the API's claims and checks, and their downloads. Each filter with
a menu is matched against the values the claims hold (store.claim_filters), so "cbp"
finds CBP's claims and "bogus" is a 422 listing the valid verdicts, never a table of
zeros; and empty filters are dropped, so an address carries only the ones in use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query

from borderflow.errors import QueryError
from borderflow.records.verdicts import VERDICTS
from borderflow.store import listings
from borderflow.store.claim_filters import resolve_filters
from borderflow.web.state import AppState

# A listing's order when its address names none.
DEFAULT_SORT, DEFAULT_ORDER = "id", "asc"
# What the API's documentation says of a filter with a menu of values.
FACETED_HELP = (
    "Any case or spelling of a value GET /claims/facets lists; another value is a 422 "
    "listing the valid ones."
)
Faceted = Annotated[str | None, Query(max_length=300, description=FACETED_HELP)]


def api_claim_filters(
    measure: Faceted = None,
    substance: Faceted = None,
    agency: Faceted = None,
    corridor: Faceted = None,
    speaker: Annotated[
        str | None,
        Query(max_length=300, description=f"Who the figure is attributed to. {FACETED_HELP}"),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words, each in the claim's sentence, in any order, and each the "
            'start of a word of its document ("seizure" finds "seizures", not "entanyl" '
            'for "fentanyl"); a phrase in double quotes.',
        ),
    ] = None,
) -> dict[str, str]:
    """What a claim says, said by whom, as the API's query parameters: filters the
    claims and their verdicts alike (resolved by `resolved` in the route)."""
    named = {"measure": measure, "substance": substance, "agency": agency,
             "corridor": corridor, "speaker": speaker, "q": q}  # fmt: skip
    return {k: v for k, v in named.items() if v is not None}


ClaimFilters = Annotated[dict[str, str], Depends(api_claim_filters)]


def facets(state: AppState) -> dict[str, list[str]]:
    """The values each claim filter can take (from the data, once per store generation;
    every verdict kind, with or without claims)."""
    return state.cached("facets", lambda: listings.facets(state.store))


def resolved(state: AppState, given: Mapping[str, Any]) -> dict[str, Any]:
    """The claim filters asked for as the claims spell them; an unknown value raises
    QueryError naming the parameter and the valid values."""
    return resolve_filters(given, facets(state))


def still_valid(state: AppState, given: Mapping[str, Any]) -> dict[str, Any]:
    """The filters that resolve, as the claims spell them, the others left out: what the
    menus of a page reporting a wrong value show, so the rest of the view survives."""
    out: dict[str, Any] = {}
    for name, value in given.items():
        try:
            out |= resolved(state, {name: value})
        except QueryError:
            continue
    return out


def resolved_for_checks(state: AppState, given: Mapping[str, Any]) -> dict[str, Any]:
    """As `resolved`, for a list of checks: its verdict is one a check reached, so
    "unchecked" (no check at all) is not among its values."""
    return resolve_filters(given, {**facets(state), "verdict": list(VERDICTS)})


def claims_url(
    filters: Mapping[str, Any], sort: str = DEFAULT_SORT, order: str = DEFAULT_ORDER
) -> str:
    """The claims page's address for this view, with only what differs from the
    defaults: what the address bar shows after a filter changes."""
    shown = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    if sort != DEFAULT_SORT or order != DEFAULT_ORDER:
        shown.update(sort=sort, order=order)
    return "/claims" + (f"?{urlencode(shown)}" if shown else "")
