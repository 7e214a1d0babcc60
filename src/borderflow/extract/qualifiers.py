"""Qualifiers: the words around a figure that bound or soften it ("more than", "about",
"up to", "50 miles or more"), and the look-alikes that do not ("over four days" is a span,
"buried under 4 feet" a place, "pushing the rate up to 7.1%" a movement).

The phrases come from qualifiers.yaml; the look-alikes are English grammar.
"""

from __future__ import annotations

import re

from borderflow.vocab import Vocabulary

# "over four days": a span of time, not "more than" ("for over 10 years" still is).
_SPAN_OVER = re.compile(r"(?i)(?<!\bfor )(?<!\bin )(?<!\bof )(?<!\bthan )\bover[\s\u00a0]+$")
# "pushing the rate up to 7.1 per cent": a movement to a level, not a bound.
_MOVED_UP_TO = re.compile(
    r"(?i)\b(?:push\w*|rose|ris\w*|climb\w*|jump\w*|mov\w*|went|bring\w*|brought|rais\w*|"
    r"lift\w*|increas\w*|rates?|prices?)[\s\u00a0]+(?:[\w’'-]+[\s\u00a0]+){0,3}?"
    r"up[\s\u00a0]+to[\s\u00a0]+$"
)
# "buried under 4 1/2 feet", "their past eight": a place or an adjective, not a bound.
_NOT_A_BOUND = re.compile(
    r"(?i)\b(?:(?:buried|trapped|submerged|hidden|covered|lying|lies|lay|sank|sunk|stored)"
    r"[\s\u00a0]+under|(?:the|their|its|his|her|our|my|your|this)[\s\u00a0]+past)[\s\u00a0]+$"
)
# "50 miles or more", "12 or fewer": a bound written after the figure.
_BOUND_AFTER = re.compile(
    r"(?i)[\s\u00a0]+or[\s\u00a0]+(?:(?P<least>more|greater|higher|longer|above)|"
    r"(?P<most>less|fewer|lower|shorter|below|under))\b"
)


class QualifierReader:
    """Qualifier phrases of one vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.phrases = vocab.qualifiers
        self.max_words = max(len(q.split()) for q in vocab.qualifiers)

    def read(
        self,
        text: str,
        vague: bool,
        dimension: str | None,
        sentence: tuple[int, int],
        span: tuple[int, int],
    ) -> tuple[str, int, int]:
        """(qualifier, start, end) of the figure text[span] with its qualifier, before it
        or after it ("or more")."""
        (s_start, s_end), (left, end) = sentence, span
        if vague:
            return "vague", left, end
        found = self.before(text, s_start, left)
        if found is None:
            bound = _BOUND_AFTER.match(text, end, s_end)
            if bound is None:
                return "exact", left, end
            return ("at_least" if bound.group("least") else "at_most"), left, bound.end()
        kind, start = found
        window = max(s_start, left - 40)
        if (
            (dimension == "duration" and _SPAN_OVER.search(text, window, left))
            or (kind == "at_most" and _MOVED_UP_TO.search(text, window, left))
            or _NOT_A_BOUND.search(text, max(s_start, start - 16), left)
        ):
            return "exact", left, end
        return kind, start, end

    def before(self, text: str, s_start: int, left: int) -> tuple[str, int] | None:
        """(qualifier, start offset) of a qualifier phrase ending right before `left`:
        the last one to four words are looked up in the vocabulary, longest first."""
        if left > s_start and text[left - 1] in "~≈":
            return "approx", left - 1
        window = text[max(s_start, left - 40) : left]
        if not window or not window[-1].isspace():
            return None
        stripped = window.rstrip()
        words = stripped.split()[-self.max_words :]
        for k in range(len(words), 0, -1):
            head = words[-k].lstrip('(["“‘')
            phrase = " ".join([head, *words[len(words) - k + 1 :]]).lower()
            kind = self.phrases.get(phrase)
            if kind is not None:
                offset = len(stripped)
                for word in reversed(words[-k:]):
                    offset = stripped.rfind(word, 0, offset)
                offset += len(words[-k]) - len(head)
                return kind, left - len(window) + offset
        return None
