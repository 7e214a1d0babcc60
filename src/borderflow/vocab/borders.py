"""Which side of which border a sentence speaks of, from the vocabulary's words for
countries (names and demonyms) and for the corridors between them: "from Canada", "the
southern border", "Mexican cartels". Used where a check must tell the northern border's
share from the southwest's."""

from __future__ import annotations

import functools
import re

from borderflow.vocab import load_vocabulary

HOME = "US"  # the country whose borders the corridors are


@functools.cache
def _words() -> tuple[re.Pattern[str], dict[str, str | None]]:
    """One pattern over every word, and the country across the border each one names
    (None for a corridor with no country across it, such as the coasts)."""
    vocab = load_vocabulary()
    across: dict[str, str | None] = {}
    for place in vocab.places:
        code = place.attrs.get("code")
        if place.attrs.get("level") == "country" and code and code != HOME:
            for word in (*place.words, *place.attrs.get("demonyms", ())):
                across[word.casefold()] = str(code)
    for corridor in vocab.corridors:
        others = [c for c in corridor.attrs.get("between", []) if c != HOME]
        for word in corridor.words:
            across[word.casefold()] = str(others[0]) if others else None
    alternatives = "|".join(re.escape(w) for w in sorted(across, key=len, reverse=True))
    return re.compile(rf"\b(?P<from>from\s+(?:the\s+)?)?(?P<word>{alternatives})\b", re.I), across


def countries_named(text: str) -> set[str | None]:
    """Countries across a border the text names (None: a corridor without one)."""
    pattern, across = _words()
    return {across[m.group("word").casefold()] for m in pattern.finditer(text)}


def origin_named(text: str) -> str | None:
    """The one country across a border the text names after "from", if exactly one."""
    pattern, across = _words()
    found = {across[m.group("word").casefold()] for m in pattern.finditer(text) if m.group("from")}
    return next(iter(found)) if len(found) == 1 else None
