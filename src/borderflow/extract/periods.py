"""Temporal expressions: the periods that figures are about.

Each expression is found with its span and what it literally says; turning it into dates
needs context (the agency decides which fiscal year, the document date resolves "last
year"), so `readings` takes that context and returns every plausible reading.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from borderflow.calendars import month_end, quarter_span, rolling_year, span_of_fiscal_year
from borderflow.extract.model import PeriodReading
from borderflow.extract.tokens import TokenIndex, Triggers, trigger_positions

_MONTH_NUM = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
_M = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_Y = r"(?:19[5-9]\d|20\d\d)"
_S = r"[\s\u00a0]+"
_SO = r"[\s\u00a0]*"
_PATTERN = re.compile(
    rf"(?P<rolling>(?i:(?:the{_S})?(?:12|twelve){_S}months?{_S}(?:ending|ended|to|through)"
    rf"(?:{_S}in)?){_S}(?P<rlm>{_M}){_S}(?P<rly>{_Y}))"
    rf"|(?P<monthrange>(?i:from|between){_S}(?P<mr1>{_M})(?:{_S}(?P<mry1>{_Y}))?{_SO}"
    rf"(?i:to|and|through|until|-|–){_SO}(?P<mr2>{_M}){_S}(?P<mry2>{_Y}))"
    rf"|(?P<fiscal>(?i:(?:fiscal|financial)(?:{_S}year)?|FY){_SO}'?(?P<fy1>{_Y}|\d\d)"
    rf"(?:{_SO}[-–/]{_SO}(?P<fy2>{_Y}|\d\d)\b)?)"
    rf"|(?P<iso>(?P<iy>{_Y})-(?P<im>[01]\d)-(?P<id>[0-3]\d))\b"
    rf"|(?P<yearrange>(?:(?i:between|from){_S}(?P<yr1>{_Y}){_S}(?i:and|to|through|until)"
    rf"{_S}(?P<yr2>{_Y}))|(?P<yr3>{_Y}){_SO}[-–]{_SO}(?P<yr4>{_Y}|\d\d)\b)"
    rf"|(?P<quarter>(?:Q(?P<q1>[1-4])|(?P<q2>(?i:first|second|third|fourth)){_S}quarter"
    rf"(?:{_S}of)?){_S}(?P<qy>{_Y}))"
    rf"|(?P<date>(?P<dm1>{_M}){_S}(?P<dd1>\d{{1,2}}),?{_S}(?P<dy1>{_Y})"
    rf"|(?P<dd2>\d{{1,2}}){_S}(?P<dm2>{_M}){_S}(?P<dy2>{_Y}))"
    rf"|(?P<monthyear>(?P<mm>{_M}){_S}(?P<my>{_Y}))"
    rf"|(?P<since>(?i:since|as far back as){_S}(?P<sy>{_Y}))"
    rf"|(?P<relmonth>(?i:last|this){_S}(?P<rm>{_M}))\b"
    rf"|(?P<relative>(?i:(?:late|early|earlier|later){_S})?(?P<rel>(?i:last|this|past|previous|"
    rf"next)){_S}(?P<relunit>(?i:year|month|quarter|week))\b|(?P<ago>(?i:a|one){_S}year{_S}ago))"
    rf"|(?P<year>(?<![\d,.$])(?P<y>{_Y})(?!\d|,\d|\.\d|{_SO}(?:%|per))(?!{_S}(?i:kg|lb|pounds|"
    rf"kilograms|grams|tons?|tonnes|percent)\b))"
)


@dataclass(slots=True)  # not frozen: frozen __init__ is slow on this hot path
class TemporalMention:
    """A period phrase. `calendar` is its literal reading; `fiscal_end` is set for fiscal
    years (the year the fiscal year ends in); `bare_year` marks a lone "2024"."""

    start: int
    end: int
    text: str
    calendar: tuple[date, date] | None
    fiscal_end: int | None = None
    bare_year: bool = False
    open_end: bool = False
    basis: str = "calendar"


def _month(name: str) -> int:
    return _MONTH_NUM[
        name.lower().rstrip(".")[:3]
        if name.lower().rstrip(".") not in _MONTH_NUM
        else name.lower().rstrip(".")
    ]


def _year(raw: str, base: int | None = None) -> int:
    if len(raw) == 2:
        century = (base or 2000) // 100 * 100
        return century + int(raw)
    return int(raw)


# Where a period phrase can start (every alternative of _PATTERN begins with one of these
# words, a number, or "FY2024"/"FY19"-style tokens).
PERIOD_TRIGGERS = Triggers(
    words=frozenset(
        [m.lower() for m in calendar.month_name if m]
        + [m.lower() for m in calendar.month_abbr if m]
        + [
            "sept",
            "fiscal",
            "financial",
            "fy",
            "q1",
            "q2",
            "q3",
            "q4",
            "first",
            "second",
            "third",
            "fourth",
            "since",
            "as",
            "last",
            "this",
            "past",
            "previous",
            "next",
            "late",
            "early",
            "earlier",
            "later",
            "from",
            "between",
            "a",
            "one",
        ]
    ),
    digits=True,
    prefixes=frozenset({"fy1", "fy2"}),
)


def find_periods(
    text: str, start: int, end: int, published: date | None, tokens: TokenIndex | None = None
) -> list[TemporalMention]:
    """Period phrases in text[start:end]; relative ones resolve against `published`.
    `tokens`, when given, must index PERIOD_TRIGGERS under the name "periods"."""
    found = []
    consumed = start
    positions = (
        tokens.between("periods", start, end)
        if tokens
        else trigger_positions(text, PERIOD_TRIGGERS, start, end)
    )
    for pos in positions:
        if pos < consumed:
            continue
        m = _PATTERN.match(text, pos, end)
        if m is None:
            continue
        consumed = m.end()
        mention = _mention(m, published)
        if mention is not None:
            found.append(mention)
    return found


def _mention(m: re.Match[str], published: date | None) -> TemporalMention | None:
    g = m.group
    span = (m.start(), m.end(), m.group())
    if g("rolling"):
        return TemporalMention(
            *span, rolling_year(int(g("rly")), _month(g("rlm"))), basis="rolling"
        )
    if g("monthrange"):
        y2 = int(g("mry2"))
        y1 = int(g("mry1")) if g("mry1") else y2
        return TemporalMention(
            *span, (date(y1, _month(g("mr1")), 1), month_end(y2, _month(g("mr2"))))
        )
    if g("fiscal"):
        y1 = _year(g("fy1"))
        fy_end = _year(g("fy2"), y1) if g("fy2") else y1
        return TemporalMention(*span, None, fiscal_end=fy_end)
    if g("yearrange"):
        y1 = int(g("yr1") or g("yr3"))
        y2 = _year(g("yr2") or g("yr4"), y1)
        if y2 < y1:
            return None
        return TemporalMention(*span, (date(y1, 1, 1), date(y2, 12, 31)))
    if g("quarter"):
        q = (
            int(g("q1"))
            if g("q1")
            else ["first", "second", "third", "fourth"].index(g("q2").lower()) + 1
        )
        return TemporalMention(*span, quarter_span(int(g("qy")), q))
    return _dated(m, span, published)


def _dated(
    m: re.Match[str], span: tuple[int, int, str], published: date | None
) -> TemporalMention | None:
    """A date, a month, a year, or a period relative to the document's date."""
    g = m.group
    if g("date"):
        y = int(g("dy1") or g("dy2"))
        month = _month(g("dm1") or g("dm2"))
        day = int(g("dd1") or g("dd2"))
        if not 1 <= day <= calendar.monthrange(y, month)[1]:
            return None
        return TemporalMention(*span, (date(y, month, day), date(y, month, day)))
    if g("iso"):
        try:
            iso = date(int(g("iy")), int(g("im")), int(g("id")))
        except ValueError:
            return None
        return TemporalMention(*span, (iso, iso))
    if g("monthyear"):
        y, month = int(g("my")), _month(g("mm"))
        return TemporalMention(*span, (date(y, month, 1), month_end(y, month)))
    if g("since"):
        y = int(g("sy"))
        return TemporalMention(
            *span, (date(y, 1, 1), published or date(y, 12, 31)), open_end=published is None
        )
    if g("relmonth"):
        if published is None:
            return TemporalMention(*span, None)
        month = _month(g("rm"))
        y = published.year if month < published.month else published.year - 1
        if g("relmonth").lower().startswith("this"):
            y = published.year
        return TemporalMention(*span, (date(y, month, 1), month_end(y, month)))
    if g("relative"):
        return TemporalMention(*span, _relative(m, published) if published else None)
    y = int(g("y"))
    return TemporalMention(*span, (date(y, 1, 1), date(y, 12, 31)), bare_year=True)


def _relative(m: re.Match[str], published: date) -> tuple[date, date] | None:
    group = m.group
    if group("ago"):
        return date(published.year - 1, 1, 1), date(published.year - 1, 12, 31)
    rel, unit = group("rel").lower(), group("relunit").lower()
    shift = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}[rel]
    if unit == "year":
        if rel == "past":
            return published - timedelta(days=365), published
        y = published.year + shift
        return date(y, 1, 1), date(y, 12, 31)
    if unit == "month":
        y, month = published.year, published.month + shift
        if month < 1:
            y, month = y - 1, 12
        if month > 12:
            y, month = y + 1, 1
        return date(y, month, 1), month_end(y, month)
    if unit == "quarter":
        q = (published.month - 1) // 3 + shift
        y = published.year + (q // 4)
        q = q % 4
        return date(y, 3 * q + 1, 1), month_end(y, 3 * q + 3)
    start = published - timedelta(days=published.weekday() + 7 * (-shift))
    return start, start + timedelta(days=6)


def fiscal_reading(fiscal_end: int, basis: str, start_month: int) -> PeriodReading:
    """FY ending in `fiscal_end` for a fiscal year starting in `start_month`:
    U.S. FY2024 = 2023-10-01..2024-09-30; Canada 2023-24 = 2023-04-01..2024-03-31."""
    return PeriodReading(basis, *span_of_fiscal_year(fiscal_end, start_month))  # type: ignore[arg-type]
