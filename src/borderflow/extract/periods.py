"""Temporal expressions: the periods that figures are about.

Each expression is found with its span and what it literally says; turning it into dates
needs context (the agency decides which fiscal year, the document date resolves "last
year", the sentence's own period anchors "the year before"), so a `TemporalMention` keeps
what is needed and `period_readings` returns every plausible reading. The phrase grammar
is in `period_grammar`; the arithmetic that turns a match into dates is in `period_dates`
(named periods) and `period_relative` (periods relative to the document or the sentence).
This module reads what the words around each phrase say about it.
"""

from __future__ import annotations

import re
from datetime import date

from borderflow.extract.period_dates import mention_of
from borderflow.extract.period_grammar import PATTERN, PERIOD_TRIGGERS
from borderflow.extract.period_mention import TemporalMention
from borderflow.extract.tokens import TokenIndex, trigger_positions

__all__ = ["PERIOD_TRIGGERS", "TemporalMention", "find_periods"]


# What the few words before a phrase say about it. Publication: when the figure was said
# or released, not what it covers. Record: "the highest level since 2008" compares with
# history. Detail: "fiscal 2024, which ended March 31" only restates the period before.
# Effective: "starting Nov. 1" is when a rule takes effect. From: the base of a comparison
# ("up 30% from 2023", "below last year's").
_TOLD_BEFORE = re.compile(
    r"(?i)\b(?:said|told|announced|wrote|testified)[\s\u00a0]+(?:[^\d\s.;,]+[\s\u00a0]+){0,5}?"
    r"(?:reporters|conference|briefing|statement|interview|release|email|journalists|"
    r"lawmakers|senators|committee|hearing)(?:[\s\u00a0]+[^\d\s.;,]+){0,3}[\s\u00a0]+(?:on|in)?[\s\u00a0]*$"
)
_BASE_OF_COMPARISON = re.compile(
    r"(?i)\b(?:compared[\s\u00a0]+(?:with|to)|versus|vs\.?|(?<!more\s)(?<!less\s)(?<!fewer\s)than|"
    r"from)[\s\u00a0]+(?:(?:about|roughly|nearly|some|around|almost|just|only|an[\s\u00a0]+"
    r"estimated|more[\s\u00a0]+than|less[\s\u00a0]+than)[\s\u00a0]+)*[-$£€+]?\d"
    r"(?:[^,;—]|(?<=\d),(?=\d)){0,40}$"
)
_PUBLICATION_BEFORE = re.compile(
    r"(?i)\b(?:released|published|issued|announced|posted|updated|unveiled|said|says|told|"
    r"signed|tabled|introduced|launched|reported[\s\u00a0]+(?:on|late|early|last)|"
    r"stated|wrote|testified|dated|statement|news[\s\u00a0]+release|press[\s\u00a0]+release)"
    r"(?:[\s\u00a0]+(?:on|in|late|early|earlier|last|this))?[\s\u00a0]+(?:the[\s\u00a0]+)?$"
)
_RECORD_BEFORE = re.compile(
    r"(?i)\b(?:\w{3,}est|most|least|fewest|record|first[\s\u00a0]+time|ever|first|only|"
    r"not[\s\u00a0]+(?:been[\s\u00a0]+)?(?:seen|recorded|reached|matched)|unseen|unmatched)\b"
    r"[^.;,]{0,40}$"
)
_DETAIL_BEFORE = re.compile(
    r"(?i)(?:\b(?:which|that)[\s\u00a0]+(?:ended|ends|began|begins|started|starts|ran|runs)|"
    r"\b(?:ending|ended|beginning|starting)|,)[\s\u00a0]+(?:(?:on|in)[\s\u00a0]+)?$"
)
_EFFECTIVE_BEFORE = re.compile(
    r"(?i)\b(?:starting|beginning|effective|from|as[\s\u00a0]+of)[\s\u00a0]+(?:on[\s\u00a0]+)?$"
)
_FROM_BEFORE = re.compile(
    r"(?i)(?:\b(?:from|than|versus|vs\.?|against|below|above|behind|ahead[\s\u00a0]+of|"
    r"compared(?:[\s\u00a0]+(?:with|to))?|(?:same|much|many|high|low|large)[\s\u00a0]+as)"
    r"[\s\u00a0]+(?:(?:in|at|during|for)[\s\u00a0]+)?(?:(?:the|a|an)[\s\u00a0]+)?"
    r"(?:same[\s\u00a0]+\w+[\s\u00a0]+(?:of|in)[\s\u00a0]+)?"
    r"|\bover[\s\u00a0]+(?:the[\s\u00a0]+same[\s\u00a0]+\w+[\s\u00a0]+(?:of|in)[\s\u00a0]+)?"
    r"|\b(?:double|triple|twice|half|times|\w+fold)[\s\u00a0]+the(?:[\s\u00a0]+[\w’']+){0,3}"
    r"[\s\u00a0]+)$"
)
_FRONTED = re.compile(
    r"(?i)[^a-z]*(?:(?:in|during|for|over|through|throughout|across|by|since|from|between|"
    r"of|at|as[\s\u00a0]+of|so[\s\u00a0]+far[\s\u00a0]+in|up[\s\u00a0]+to|until)"
    r"[\s\u00a0]+)?(?:(?:the|all[\s\u00a0]+of|all)[\s\u00a0]+)?$"
)
# Clause boundaries, by kind. "h" (a semicolon, ", adding that") ends what a period
# governs; "a" (a dash, a colon, a bracket) sets off an aside that keeps it; "s" (a contrast,
# a new clause after "and", "including", "nearly all of it") keeps it only for a clause
# that does not state its own time; "r" opens a relative clause (", who first won the seat
# in 1987,") whose period stays inside it. See period_readings.
_BREAKS = re.compile(
    r"(?P<h>;|,[\s\u00a0]+(?:adding|saying|noting|explaining|arguing)\b)"
    r"|(?P<a>:(?=[\s\u00a0])|[\s\u00a0][—–-]{1,2}[\s\u00a0]|—|[()])"
    r"|(?P<r>,[\s\u00a0]+(?:which|who)\b)"
    r"|(?P<s>(?i:,?[\s\u00a0]+(?:while|whereas|but|although|though|however|meanwhile|yet)"
    r"(?=[\s\u00a0,])|,[\s\u00a0]+(?:and|or)[\s\u00a0]|[\s\u00a0]+and[\s\u00a0]+(?=[a-z]+ed\b|"
    r"(?:could|will|would|may|might|can)\b)"
    r"|,[\s\u00a0]+(?:including|as|says|said)\b|,[\s\u00a0]+(?:\w+[\s\u00a0]+)?(?:all|most|much|some|half|part|"
    r"none|many)[\s\u00a0]+of[\s\u00a0]+(?:it|them|which)\b))"
)


def find_periods(
    text: str, start: int, end: int, published: date | None, tokens: TokenIndex | None = None
) -> list[TemporalMention]:
    """Period phrases in text[start:end], one sentence; relative ones resolve against
    `published`. `tokens`, when given, must index PERIOD_TRIGGERS under the name "periods"."""
    found: list[TemporalMention] = []
    consumed = start
    positions = (
        tokens.between("periods", start, end)
        if tokens
        else trigger_positions(text, PERIOD_TRIGGERS, start, end)
    )
    for pos in positions:
        if pos < consumed:
            continue
        m = PATTERN.match(text, pos, end)
        if m is None:
            continue
        mention = mention_of(m, published, text, start)
        if mention is None:
            continue
        consumed = m.end()
        found.append(mention)
    if found:
        _situate(text, start, end, found)
    return found


def _situate(text: str, start: int, end: int, found: list[TemporalMention]) -> None:
    """Read each phrase's role from the words before it, share the sentence's clause
    boundaries, and anchor relative phrases on the period before them."""
    breaks = tuple((b.start(), b.lastgroup or "s") for b in _BREAKS.finditer(text, start, end))
    anchor: TemporalMention | None = None
    previous_end = -10
    for mention in found:
        before = text[max(start, mention.start - 60) : mention.start]
        mention.breaks, mention.sent_start = breaks, start
        if mention.role != "own":
            pass
        elif _PUBLICATION_BEFORE.search(before) or _TOLD_BEFORE.search(before):
            mention.role = "publication"
        elif mention.open_end and _RECORD_BEFORE.search(before):
            mention.role = "record"
        elif mention.start - previous_end < 30 and _DETAIL_BEFORE.search(
            text, previous_end, mention.start
        ):
            mention.role = "detail"
        elif _single(mention) and _EFFECTIVE_BEFORE.search(before):
            mention.role = "effective"
        previous_end = mention.end
        mention.after_from = bool(_FROM_BEFORE.search(before))
        mention.in_base = bool(_BASE_OF_COMPARISON.search(before))
        mention.possessive = text.startswith(("'s", "’s"), mention.end)
        mention.fronted = bool(_FRONTED.match(text, start, mention.start))
        follows = mention.window and (
            mention.window_follows == "any" or (anchor is not None and anchor.point)
        )
        if mention.relative or follows:
            mention.anchor = anchor
        elif mention.role == "own" and _datable(mention):
            anchor = mention


def _single(mention: TemporalMention) -> bool:
    """A month or a day (what "starting" or "effective" introduces)."""
    span = mention.calendar
    return span is not None and not mention.open_end and (span[1] - span[0]).days < 31


def _datable(mention: TemporalMention) -> bool:
    return (
        mention.calendar is not None
        or mention.fiscal_end is not None
        or mention.fiscal_rel is not None
    )
