"""Split text into paragraphs and sentences, keeping character offsets.

A regex splitter with an abbreviation list from the vocabulary: news text is well punctuated
and a statistical splitter (pysbd, punkt) would cost more than the whole extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from borderflow.vocab import Vocabulary


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class Sentence:
    start: int
    end: int
    paragraph: int


MAX_SENTENCE = 800
_PARAGRAPH = re.compile(r"[^\n]+")
_BULLET = re.compile(r"[ \t\u00a0]*(?:[•*·▪◦]|[-–](?=[ \t\u00a0]))")
_NEXT_WORD = re.compile(r"[\s\u00a0]+([A-Z][a-z]*)")
_OPENERS = frozenset(
    "In The This That These Those A An It He She They We I But And However Meanwhile "
    "According Last Since As On At For After While When Its Their His Her Our There Then Yet "
    "So Still Separately Also Despite Although Other Another Some Many Most".split()
)


# A sentence ends at . ! ? (and closing quotes/brackets) followed by space and a capital,
# quote or digit, or at ! ? or a closing quote glued to the next sentence's capital. One
# branch that starts with [.!?], so the regex engine skips quickly to candidates.
_BOUNDARY = re.compile(
    r"[.!?][.!?\"”’)\]]*(?:(?=[\s\u00a0]+[\"“‘(\[]?[A-Z0-9¹²³])|(?<=[!?\"”’])(?=[A-Z]))"
)


def _ends_with_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in '("“‘':
        start -= 1
    token = text[start : dot + 1]
    if token in abbreviations:
        # "U.S." or "B.C." closes a sentence when a typical sentence opener follows.
        following = _NEXT_WORD.match(text, dot + 1)
        return not (following and following.group(1) in _OPENERS and token.count(".") > 1)
    # Initials such as "J." in "James J. Smith".
    return len(token) == 2 and token[0].isupper()


def is_bullet(text: str, pos: int) -> bool:
    """Whether a list item (a bulleted line) starts at `pos`."""
    return _BULLET.match(text, pos) is not None


def sentences(text: str, vocab: Vocabulary) -> list[Sentence]:
    """Sentences of `text` as offset spans; a sentence never crosses a line break."""
    pattern = _BOUNDARY
    abbreviations = frozenset(vocab.abbreviations)
    result: list[Sentence] = []
    index = -1
    for para in _PARAGRAPH.finditer(text):
        p_start, p_end = para.span()
        # A bulleted line continues the paragraph that introduces its list ("The CBSA says
        # officers found:" / "- 1.9 kg of fentanyl"), so the list shares its context.
        if index < 0 or not _BULLET.match(text, p_start, p_end):
            index += 1
        cursor = p_start
        for match in pattern.finditer(text, p_start, p_end):
            end = match.end()
            if (
                text[match.start()] == "."
                and match.end() - match.start() == 1
                and _ends_with_abbreviation(text, match.start(), abbreviations)
            ):
                continue
            _append(text, cursor, end, index, result)
            cursor = end
        _append(text, cursor, p_end, index, result)
    return result


def _append(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # Text without sentence punctuation (tables, lists pulled out of PDFs) is cut into pieces
    # of at most MAX_SENTENCE characters at spaces, so the work per sentence stays bounded.
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        out.append(Sentence(start, cut, paragraph))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end, paragraph))
