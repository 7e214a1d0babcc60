"""The place a figure is at, from the places its own sentence names.

The nearest place named is where a figure is, with two exceptions that had misled the
checks: where a seizure was going ("1.44 kg were on route to the United States") is not
where it was found, and two countries named together as where something happened
("600,000 people in the U.S. and Canada", "The United States and Canada together lost")
are both the figure's place, so it is neither one's count: the place is given as the
pair, which no single country's series matches. Countries paired as an object ("tariffs
on Canada and Mexico") are not a place of the figure's, nor are two countries ever a
seizure's place (a seizure is at one border).
"""

from __future__ import annotations

import re

from borderflow.extract.context import distance
from borderflow.extract.mentions import Mention
from borderflow.extract.quantities import Quantity

# What joins two countries named as one place: "the U.S. and Canada", "Canada or Mexico".
_JOINED = re.compile(r"(?i)[\s\u00a0]+(?:and|or|&)[\s\u00a0]+(?:the[\s\u00a0]+)?")
# Where a pair is the place: after a word that says where ("in", "across", "in both
# the"), at the head of a sentence or clause ("The United States and Canada together
# lost"), or said to be together ("... combined").
_WHERE = re.compile(
    r"(?i)(?:\b(?:in|across|throughout)[\s\u00a0]+(?:both[\s\u00a0]+)?(?:the[\s\u00a0]+)?"
    r"|(?:^|[.;:,])[\s\u00a0\"“]*(?:the[\s\u00a0]+|both[\s\u00a0]+)?)$"
)
_TOGETHER = re.compile(r"(?i)[\s\u00a0]+(?:together|combined|both|alike)\b")
_IN = re.compile(
    r"(?i)\bin[\s\u00a0]+(?:the[\s\u00a0]+)?(?:(?:province|state)[\s\u00a0]+of[\s\u00a0]+)?$"
)


def own_place(
    text: str, places: list[Mention], q: Quantity, destination: str | None, seizure: bool
) -> str | None:
    """The place of the figure `q`, a seizure's or another's (see the module's
    docstring)."""
    here = [p for p in places if not seizure or p.name != destination]
    if not here:
        return None
    chosen = min(here, key=lambda p: distance(p, q))
    if "code" not in chosen.attrs or seizure:
        return chosen.name
    partner = _joined_country(text, here, chosen)
    return f"{chosen.name} and {partner}" if partner else chosen.name


def _joined_country(text: str, places: list[Mention], chosen: Mention) -> str | None:
    """Another country named together with `chosen` as where something happened."""
    for other in places:
        if other is chosen or "code" not in other.attrs or other.name == chosen.name:
            continue
        first, second = sorted((chosen, other), key=lambda m: m.start)
        if not _JOINED.fullmatch(text, first.end, second.start):
            continue
        before = text[max(0, first.start - 20) : first.start]
        if _WHERE.search(before) or _TOGETHER.match(text, second.end):
            return other.name
    return None


def located_in(text: str, places: list[Mention], name: str | None) -> str | None:
    """`name` when the sentence says the figure is *in* it ("officers in Alberta seized"),
    not only near it ("the port near Tijuana", "the border with British Columbia")."""
    for m in places:
        if m.name == name and _IN.search(text, max(0, m.start - 30), m.start):
            return name
    return None
