"""What a share of fentanyl divides by, read from its own words: a route ("0.2% of it came
through Canada"), or something CBP's border series do not give, such as where the drug was
traced to within one border's seizures or the form it was seized in (pills or powder)."""

from __future__ import annotations

import re

from borderflow.records.claims import StoredClaim

# The route a share names right after it: "0.2% of it came through Canada", "96% of the
# drug seized entered via Mexico" ("from" names an origin, not a route). It outweighs a
# border carried from an earlier sentence.
ROUTE_AFTER = re.compile(
    r"(?i)[\s\u00a0]+(?:of[\s\u00a0]+(?:[\w’'-]+[\s\u00a0]+){1,3}?)?"
    r"(?:came|comes|coming|entered|enters|crossed|crosses|(?:was|were)[\s\u00a0]+smuggled)"
    r"[\s\u00a0]+(?:in[\s\u00a0]+)?(?:through|via|across)[\s\u00a0]+(?:the[\s\u00a0]+)?"
    r"(?P<country>Canada|Mexico)\b"
)
_ORIGIN_TRACED = re.compile(
    r"(?i)\b(?:attributed|traced|linked|tied)[\s\u00a0]+(?:back[\s\u00a0]+)?to\b"
    r"|\bidentified[\s\u00a0]+as[\s\u00a0]+(?:coming|originating)\b"
)
# "97% of the fentanyl seized at the southwest border came from...": a share within one
# border's seizures. Not when a verb of its own puts the share at the border ("97% of the
# fentanyl seized that year was caught at the southwest border": the border's share).
_NO_VERB = (
    r"(?:(?!\b(?:was|were|is|are|came|comes|entered|enters|crossed|crosses|occurred|happened|"
    r"took[\s\u00a0]+place)\b)[^.;%])"
)
_WITHIN_A_BORDER = re.compile(
    rf"(?i){_NO_VERB}{{0,12}}?\bof\b{_NO_VERB}{{0,50}}?\b(?:seiz\w*|recovered|intercepted|"
    rf"caught)\b{_NO_VERB}{{0,30}}?\b(?:at|along|on|near|in)[\s\u00a0]+(?:the[\s\u00a0]+)?"
    r"(?:northern|southern|southwest|canadian|mexican)[\s\u00a0]+border"
)
# A sentence that names a form of the drug (pills, powder) may give a share by form
# ("pills made up 60%", "60% was in pill form", "60% consisted of pressed pills"): it is
# read as a border's share only when its words place the share at a border ("96%, mostly
# pressed pills, was caught at the southwest border") or make a border its subject ("the
# southwest border accounted for 96%, much of it pills").
_FORM = re.compile(r"(?i)\b(?:pills?|tablets?|powder(?:ed)?|capsules?)\b")
_PLACED_AFTER = re.compile(
    r"(?i)[^.;:]{0,80}?\b(?:was|were|is|are)[\s\u00a0]+(?:\w+[\s\u00a0]+)?(?:caught|seized|"
    r"found|intercepted|stopped|recovered|taken)[\s\u00a0]+(?:at|along|on|across)[\s\u00a0]+"
    r"(?:the[\s\u00a0]+)?(?:[\w.-]+[\s\u00a0]+){0,2}border"
)
_BORDER_SUBJECT = re.compile(
    r"(?i)\bborder[\s\u00a0]+(?:\w+[\s\u00a0]+){0,2}(?:accounted|accounts|made|makes|"
    r"represented|represents|saw|had)\b[^.;:]{0,30}$"
)


def share_of_another_kind(claim: StoredClaim) -> str | None:
    """What the share divides by, when not by border: origin within one border's seizures
    ("97% of the fentanyl seized at the southwest border was traced to..."), or form ("pills
    made up 60%"), unless its own words name a route."""
    start, end = claim.in_sentence()
    sentence = claim.sentence
    placed = (
        ROUTE_AFTER.match(sentence, end)
        or _PLACED_AFTER.match(sentence, end)
        or _BORDER_SUBJECT.search(sentence, max(0, start - 80), start)
    )
    if _FORM.search(sentence) and not placed:
        return "by its form (pills or powder)"
    if _ORIGIN_TRACED.search(sentence):
        return "within one border's seizures, by where it was traced to"
    if _WITHIN_A_BORDER.match(sentence, end):
        return "within one border's seizures"
    return None
