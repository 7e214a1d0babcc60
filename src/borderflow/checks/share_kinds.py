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
_NO_VERB = r"(?:(?!\b(?:was|were|is|are|came|comes|entered|enters|crossed|crosses)\b)[^.;%])"
_WITHIN_A_BORDER = re.compile(
    rf"(?i){_NO_VERB}{{0,12}}?\bof\b{_NO_VERB}{{0,50}}?\b(?:seiz\w*|recovered|intercepted|"
    rf"caught)\b{_NO_VERB}{{0,30}}?\b(?:at|along|on|near|in)[\s\u00a0]+(?:the[\s\u00a0]+)?"
    r"(?:northern|southern|southwest|canadian|mexican)[\s\u00a0]+border"
)
# The forms fentanyl is seized in: a share beside them ("pills made up 60% of the fentanyl
# seized at the southwest border") is of a form, unless its own words name a route.
_BY_FORM = re.compile(r"(?i)\b(?:pills?|tablets?|powder(?:ed)?|capsules?)\b")


def share_of_another_kind(claim: StoredClaim) -> str | None:
    """What the share divides by, when not by border: origin within one border's seizures
    ("97% of the fentanyl seized at the southwest border was traced to..."), or form ("pills
    made up 60%"), unless its own words name a route."""
    end = claim.in_sentence()[1]
    if _ORIGIN_TRACED.search(claim.sentence) or _WITHIN_A_BORDER.match(claim.sentence, end):
        return "within one border's seizures, by where it was traced to"
    if _BY_FORM.search(claim.sentence) and not ROUTE_AFTER.match(claim.sentence, end):
        return "by its form (the sentence names pills or powder)"
    return None
