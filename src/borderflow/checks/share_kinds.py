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
# A form of the drug as the subject or the predicate of a share: "pills made up 60% of
# the fentanyl seized", "96% of the fentanyl seized was powder". Not a form only named
# beside it ("96% of the fentanyl, mostly pressed pills, was caught at the southwest
# border").
_FORM = r"(?:(?:counterfeit|pressed|fake)[\s\u00a0]+)?(?:pills?|tablets?|powder|capsules?)"
_FORM_BEFORE = re.compile(
    rf"(?i)\b{_FORM}[\s\u00a0]+(?:now[\s\u00a0]+|also[\s\u00a0]+)?(?:made|make|makes|"
    r"accounted|account|accounts|comprised|comprise|comprises|represented|represent|"
    r"represents|were|was|are|is)(?:[\s\u00a0]+(?:up|for))?(?:[\s\u00a0]+[\w-]+){0,2}"
    r"[\s\u00a0]*$"
)
_FORM_AFTER = re.compile(
    rf"(?i)[^.;,]{{0,60}}?\b(?:was|were|came[\s\u00a0]+as|came[\s\u00a0]+in)[\s\u00a0]+"
    rf"(?:in[\s\u00a0]+(?:the[\s\u00a0]+)?form[\s\u00a0]+of[\s\u00a0]+)?{_FORM}\b"
)


def share_of_another_kind(claim: StoredClaim) -> str | None:
    """What the share divides by, when not by border: origin within one border's seizures
    ("97% of the fentanyl seized at the southwest border was traced to..."), or form ("pills
    made up 60%"), unless its own words name a route."""
    start, end = claim.in_sentence()
    sentence = claim.sentence
    by_form = _FORM_BEFORE.search(sentence, max(0, start - 60), start) or _FORM_AFTER.match(
        sentence, end
    )
    if by_form and not ROUTE_AFTER.match(sentence, end):
        return "by its form (pills or powder)"
    if _ORIGIN_TRACED.search(sentence):
        return "within one border's seizures, by where it was traced to"
    if _WITHIN_A_BORDER.match(sentence, end):
        return "within one border's seizures"
    return None
