"""A period phrase as found, and the calendar helpers its readers share.

`TemporalMention` keeps what a phrase literally says and what is needed to date it later
(the agency's fiscal calendar, the document's date, the sentence's other period).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from borderflow.calendars import add_months, month_end, quarter_span
from borderflow.extract.period_grammar import NUMBER_WORDS


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class TemporalMention:
    """A period phrase and what a reader needs to date it.

    `calendar` is its literal reading (None when it needs an agency or cannot be dated).
    `fiscal_end` names an explicit fiscal year by the year it ends in; `fiscal_rel` is a
    fiscal year relative to `today` ("last fiscal year" = -1), resolved once the agency
    says which fiscal calendar; `part` = (first month, months) crops a fiscal year ("the
    first half of fiscal 2025"). `bare_year` marks a year-long reading that an agency
    publishing by fiscal year may mean as its fiscal year ("in 2024", "last year").
    `parts` are the two ends of "between 2023 and 2024": a change compares them (of a
    `months_pair`, only the change itself: "4.9 kg from January to October" is one span). `shift`
    (months) marks a period relative to another period ("the year before" = -12), dated
    from `anchor` (or moved to `target_year`: "the same months of 2023"); `relative` marks
    every such phrase, "that year" (no shift) among them. `country` is a fiscal calendar
    the phrase names itself ("the last U.S. fiscal year"). `basis` is
    "rolling" whenever the phrase's number belongs to the period ("the first two months"),
    so that the number is not read as a figure; `reads_as` is then the reading's basis.
    `open_end` marks a period running to the document's date ("since 2019"). `role` is
    "own", "publication" (when a report came out) or "record" ("the highest since 2008").
    `fiscal_count` fiscal years end with the one named ("the last two fiscal years",
    "fiscal 2021 through 2023"); `fiscal_month` is the month a fiscal year "that ended in
    March" ends in. `point` marks a date something stands at ("as of the end of February"),
    which earlier windows end at. `window` (months) marks "the previous 12 months": with an
    anchor it is the months before the anchor (or up to an anchoring point); it anchors on
    the period before it when `window_follows` is "any", only on a point when "point".
    `after_from` marks the base of a change ("from 2023"); `in_base` a period inside the
    base of a comparison ("compared with 74,091 for all of 2023"); `possessive` "the
    previous year's 43 pounds";
    `fronted` a sentence-opening period that governs the whole sentence; `breaks` are the
    clause boundaries of its sentence (offset, kind), which starts at `sent_start`.
    """

    start: int
    end: int
    text: str
    calendar: tuple[date, date] | None
    fiscal_end: int | None = None
    bare_year: bool = False
    open_end: bool = False
    basis: str = "calendar"
    fiscal_rel: int | None = None
    fiscal_count: int = 1
    fiscal_month: int | None = None
    point: bool = False
    window: int = 0
    window_follows: str = ""
    today: date | None = None
    to_date: bool = False
    part: tuple[int, int] | None = None
    split_year: bool = False
    parts: tuple[TemporalMention, TemporalMention] | None = None
    months_pair: bool = False
    shift: int = 0
    relative: bool = False
    target_year: int | None = None
    country: str | None = None
    anchor: TemporalMention | None = None
    reads_as: str | None = None
    role: str = "own"
    after_from: bool = False
    in_base: bool = False
    possessive: bool = False
    fronted: bool = False
    breaks: tuple[tuple[int, str], ...] = ()
    sent_start: int = 0


Span = tuple[date, date]

Where = tuple[int, int, str]  # a phrase's start, end and text

_MONTH_NUM = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)

UNIT_MONTHS = {"year": 12, "month": 1, "quarter": 3, "decade": 120}
# A month named alone is a period only when something introduces it as one.


def month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    return _MONTH_NUM[key if key in _MONTH_NUM else key[:3]]


def number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def two_digit_year(raw: str, base: int | None = None) -> int:
    if len(raw) == 2:
        return (base or 2000) // 100 * 100 + int(raw)
    return int(raw)


def day_number(raw: str | None) -> int | None:
    return int(raw.rstrip("stndrh")) if raw else None


def year_span(y: int) -> Span:
    return date(y, 1, 1), date(y, 12, 31)


def month_span(y: int, m: int) -> Span:
    return date(y, m, 1), month_end(y, m)


def units_back(pub: date, unit: str, count: int) -> Span:
    """The calendar `unit` that was `count` units before the one holding `pub`."""
    if unit == "year":
        return year_span(pub.year - count)
    if unit == "decade":
        return year_span(pub.year - 10 * count)
    if unit == "quarter":
        index = pub.year * 4 + (pub.month - 1) // 3 - count
        return quarter_span(index // 4, index % 4 + 1)
    back = add_months(date(pub.year, pub.month, 1), -count)
    return month_span(back.year, back.month)
