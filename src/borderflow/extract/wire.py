"""The wire service a story's dateline credits ("WASHINGTON (AP) —", "OTTAWA, Jan 14
(Reuters) -"): wire copy is republished without an outlet or author, and its claims would
otherwise credit nobody. The service is then the document's outlet, as if given with
`--outlet`; outlets given in the metadata are never replaced."""

from __future__ import annotations

import re

from borderflow.vocab import Vocabulary

# A dateline opens a line: a place in capitals, maybe a date, the service in brackets, a dash.
_DATELINE = re.compile(
    r"(?m)^[\s\u00a0]*[A-Z][A-Z.'’\- ]{1,40}(?:,[\s\u00a0]*[A-Z][\w.'’ ]{0,30}?)?"
    r"(?:,[\s\u00a0]*[A-Z][a-z]{2,8}\.?[\s\u00a0]+\d{1,2})?[\s\u00a0]*"
    r"\((?P<wire>[A-Za-z][A-Za-z .&'’-]{0,38})\)[\s\u00a0]*[-—–]"
)
# How far into a text a dateline may stand (a title and a byline come first).
_HEAD_CHARS = 600


class WireCredit:
    """Wire services by the names their datelines use (`vocab/outlets.yaml`)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self._names = {
            word.lower().removeprefix("the "): term.name
            for term in vocab.outlets
            for word in (term.name, *term.words)
        }

    def of(self, text: str) -> str | None:
        """The outlet the text's dateline credits, or None."""
        found = _DATELINE.search(text, 0, _HEAD_CHARS)
        if found is None:
            return None
        return self._names.get(found.group("wire").strip().lower().removeprefix("the "))
