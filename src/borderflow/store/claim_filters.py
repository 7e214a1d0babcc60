"""Claim filter values resolved against the values the claims hold (the facets), so a
filter never silently answers zero rows: "Supported", "cbp" or "Northern Border" find what
"supported", "CBP" and "northern border" find; another spelling ("supported_with_caveat")
or a name the vocabulary gives the same thing ("Customs and Border Protection") does too;
and a value that names nothing is refused with a QueryError listing the valid ones.

The page, the API and the exports all resolve through `resolve_filters`, so the same
address answers the same rows everywhere. Verdict kinds are valid even while no claim
has one (they come from records.verdicts, not from the data): such a filter answers an
empty table, which is the truth."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from borderflow.errors import QueryError
from borderflow.records.verdicts import KINDS
from borderflow.text_safety import printable
from borderflow.vocab import Term, load_vocabulary

# How many valid values an error message lists (the error's `valid` holds all of them).
LISTED = 40
_WORD = re.compile(r"\w+")


def _key(text: str) -> str:
    """What two spellings of one value share: their words, case and punctuation aside
    ("Supported-with-caveat", "supported_with_caveat", "supported with caveat")."""
    return " ".join(_WORD.findall(text.casefold().replace("_", " ")))


def _named(terms: Iterable[Term]) -> dict[str, str]:
    return {_key(word): term.name for term in terms for word in (term.name, *term.words)}


@functools.cache
def _aliases() -> Mapping[str, Mapping[str, str]]:
    """Other names for the values of each filter, by key: the vocabulary's words for
    agencies, substances and border scopes, and each verdict kind's label."""
    vocab = load_vocabulary()
    tables = {
        "agency": _named(vocab.agencies),
        "substance": _named(vocab.substances),
        "corridor": _named((*vocab.corridors, *vocab.scopes)),
        "verdict": {_key(info.label): info.kind.value for info in KINDS},
    }
    return MappingProxyType({name: MappingProxyType(t) for name, t in tables.items()})


def resolve_value(name: str, value: str, valid: Sequence[str]) -> str:
    """`value` as the claims spell it among `valid`: itself, the same whatever its case
    and punctuation, or the value one of its other names stands for."""
    text = value.strip()
    if text in valid:
        return text
    spelled = {_key(v): v for v in reversed(valid)}  # the first spelling wins a tie
    key = _key(text)
    found = spelled.get(key) if key else None
    if found is None:
        meant = _aliases().get(name, {}).get(key)
        found = spelled.get(_key(meant)) if meant else None
    if found is None:
        raise _unknown(name, text, valid)
    return found


def _unknown(name: str, text: str, valid: Sequence[str]) -> QueryError:
    reason = f"unknown {name} {printable(text[:80])!r}"
    if not valid:
        return QueryError(f"{reason}: no claim has a {name} yet", parameter=name, reason=reason)
    listed = ", ".join(valid[:LISTED])
    more = f" and {len(valid) - LISTED} more" if len(valid) > LISTED else ""
    return QueryError(
        f"{reason}; valid (in any case): {listed}{more}",
        parameter=name,
        valid=tuple(valid),
        reason=reason,
    )


def resolve_filters(given: Mapping[str, Any], valid: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The filters with empty ones dropped and every one that `valid` lists values for
    resolved by `resolve_value`; the others (words to search, a document id) as given."""
    out: dict[str, Any] = {}
    for name, value in given.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        choices = valid.get(name)
        out[name] = value if choices is None else resolve_value(name, str(value), choices)
    return out
