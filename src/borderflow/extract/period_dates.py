"""From a matched period phrase to a `TemporalMention`: the calendar arithmetic of named
periods (dates, months, quarters, ranges, fiscal years); the relative ones are read in
`period_relative`. Phrases that need an agency (fiscal years) keep what they need for
`period_readings`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from borderflow.calendars import (
    add_months,
    latest_month,
    month_end,
    months_ending,
    quarter_span,
    rolling_year,
)
from borderflow.extract import period_relative as rel
from borderflow.extract.period_mention import (
    Span,
    TemporalMention,
    Where,
    day_number,
    month_number,
    month_span,
    number,
    two_digit_year,
    year_span,
)

_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}

_FUTURE = re.compile(
    r"(?i)\b(?:will|would|expects?|expected|forecasts?|projected|projects|outlook|plans?|"
    r"planned|budget(?:ed|s)?|targets?|aims?|going[\s\u00a0]+to)\b"
)

_MONTH_INTRO = re.compile(
    r"(?i)(?:\b(?:in|during|for|of|by|through|throughout|until|till|since|early|late|mid|"
    r"end|start|beginning|from|between|\w{3,}est|last|this|before|after)|\w['’]s)[\s\u00a0-]+"
    r"(?:(?:the[\s\u00a0]+)?month[\s\u00a0]+of[\s\u00a0]+)?$"
)

# A month that owns the figure after it: "on January's 990 pounds", "May's total".
_POSSESSIVE_MONTH = re.compile(r"['’]s\b")


def mention_of(
    m: re.Match[str], published: date | None, text: str, sent_start: int
) -> TemporalMention | None:
    """The mention a match names, or None when the words are not a period after all."""
    kind = m.lastgroup or ""
    if kind == "month":
        before = text[max(sent_start, m.start() - 30) : m.start()]
        owns = _POSSESSIVE_MONTH.match(text, m.end())  # "January's 990 pounds"
        if published is None or not (_MONTH_INTRO.search(before) or owns):
            return None
    try:
        mention = _READERS[kind](m, (m.start(), m.end(), m.group()), published)
    except ValueError:  # "February 30, 2024"
        return None
    if mention is None or published is None or kind not in ("month", "relative", "weekday"):
        return mention
    return _in_context(mention, kind, m, text, sent_start, published)


def _in_context(
    mention: TemporalMention, kind: str, m: re.Match[str], text: str, sent_start: int,
    published: date,
) -> TemporalMention:  # fmt: skip
    """What the sentence around a month, "this year" or a weekday says about it: a month
    in a sentence about plans is when something takes effect ("will fall 7% in July");
    "this year" is the year so far unless the sentence forecasts; a weekday followed by a
    time of day, "by Sunday", or in a sentence about plans, dates an event, not a figure's
    period."""
    future = _FUTURE.search(text, sent_start, m.start()) or _FUTURE.search(
        text, m.end(), m.end() + 80
    )
    if kind == "month":
        if future and month_number(m.group("bm")) > published.month:
            mention.role = "effective"
    elif kind == "relative":
        if mention.to_date or not mention.bare_year or m.group("rel").lower() != "this":
            return mention
        if not future and mention.calendar:
            mention.calendar = (mention.calendar[0], published)
            mention.to_date, mention.today = True, published
    elif (
        future
        or _EVENT_AFTER.match(text, m.end())
        or text[max(sent_start, m.start() - 3) : m.start()] == "by "
    ):
        mention.role = "event"
    return mention


_EVENT_AFTER = re.compile(r"(?i)['’]s\b|[\s\u00a0]+(?:morning|afternoon|evening|night)\b")


def _year_to(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    g = m.group
    month = month_number(g("ytm") or g("rlm"))
    raw_year = g("yty") or g("rly")
    count = number(g("rn")) if g("rn") else 12
    if (raw_year is None and pub is None) or not count:
        return TemporalMention(*span, None, basis="rolling")
    y = int(raw_year) if raw_year else latest_month(pub, month)  # type: ignore[arg-type]
    reading = rolling_year(y, month) if count == 12 else months_ending(y, month, count)
    return TemporalMention(*span, reading, basis="rolling")


def _quarter(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    g = m.group
    q = int(g("q1")) if g("q1") else _ORDINAL[g("q2").lower()]
    if g("qfis"):
        return TemporalMention(*span, None, fiscal_end=int(g("qy")), part=(3 * q - 3, 3))
    if g("qy"):
        return TemporalMention(*span, quarter_span(int(g("qy")), q))
    if pub is None:
        return TemporalMention(*span, None)
    return TemporalMention(*span, quarter_span(latest_month(pub, 3 * q - 2), q))


def _part(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """ "the first two months of 2025", "the second half of fiscal 2024", "H1 2025"."""
    g = m.group
    if g("hpart"):
        first = 6 * (int(g("hn")) - 1)
        return TemporalMention(*span, _crop(year_span(int(g("hy"))), (first, 6)))
    side = g("pside").lower()
    count = (
        6 if g("phalf") else 1 if g("pmonth") else 3 if g("pquarter")
        else (number(g("pn")) or 0) * (3 if g("pu").lower() == "quarters" else 1)
    )  # fmt: skip
    if (g("pu") and g("pu").lower() == "weeks") or not 0 < count <= 12:
        return None
    first = {"first": 0, "opening": 0, "second": count}.get(side, 12 - count)
    part = (first, count)
    basis = "rolling" if g("pn") else "calendar"  # the number is the period's, not a figure
    rel = g("prel").lower() if g("prel") else None
    if g("pfis") or g("pfis2"):
        if g("pfy"):
            return TemporalMention(*span, None, fiscal_end=int(g("pfy")), part=part, basis=basis)
        shift = -1 if rel == "last" else 0
        return TemporalMention(*span, None, fiscal_rel=shift, today=pub, part=part, basis=basis)
    if g("py"):
        y = int(g("py"))
    elif pub is None:
        return TemporalMention(*span, None, basis=basis)
    else:
        y = pub.year - 1 if rel == "last" else pub.year
    return TemporalMention(*span, _crop(year_span(y), part), basis=basis, reads_as="calendar")


def _crop(year: Span, part: tuple[int, int]) -> Span:
    """Months `part` = (first, count) of a year-long span (calendar or fiscal)."""
    first = add_months(year[0], part[0])
    last = add_months(first, part[1] - 1)
    return first, month_end(last.year, last.month)


def _fiscal(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """ "fiscal 2024", "the 2023-24 fiscal year", "fiscal years 2021 through 2023",
    "between fiscal 2023 and fiscal 2024", "the last two fiscal years"."""
    g = m.group
    if g("fiscalwin"):
        count = number(g("fwn")) or 1
        return TemporalMention(*span, None, fiscal_rel=-1, fiscal_count=count, today=pub)
    y1 = two_digit_year(g("fy1") or g("fp1") or g("fr1"))
    second = g("fy2") or g("fp2")
    if second:
        y2 = two_digit_year(second, y1)
        return TemporalMention(*span, None, fiscal_end=y2, split_year=y2 == y1 + 1)
    last = g("fy3") or g("fr2")
    if last is None:
        return TemporalMention(*span, None, fiscal_end=y1)
    y2 = two_digit_year(last, y1)
    if y2 <= y1:
        return None
    parts = (
        TemporalMention(*span, None, fiscal_end=y1),
        TemporalMention(*span, None, fiscal_end=y2),
    )
    return TemporalMention(*span, None, fiscal_end=y2, fiscal_count=y2 - y1 + 1, parts=parts)


def _fiscal_ended(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    """ "the fiscal year that ended Sept. 30": the 12 months to that month."""
    month = month_number(m.group("fem"))
    if m.group("fey"):
        y = int(m.group("fey"))
    elif pub is None:
        return TemporalMention(*span, None, fiscal_month=month)
    else:
        y = latest_month(pub, month)
    return TemporalMention(*span, months_ending(y, month, 12), fiscal_month=month)


def _calendar_year(m: re.Match[str], span: Where, _pub: date | None) -> TemporalMention:
    return TemporalMention(*span, year_span(int(m.group("cy") or m.group("cy2"))))


def _month_range(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    g = m.group
    m1, m2 = month_number(g("mr1")), month_number(g("mr2"))
    y1 = int(g("mry1")) if g("mry1") else None
    y2 = int(g("mry2")) if g("mry2") else None
    if y2 is None and y1 is not None:
        y2 = y1 if m2 >= m1 else y1 + 1
    if y2 is None:
        if pub is None:
            return TemporalMention(*span, None)
        y2 = latest_month(pub, m2)
    if y1 is None:
        y1 = y2 if m1 <= m2 else y2 - 1
    d1 = day_number(g("mrd1")) or (15 if g("mid1") else None)
    d2 = day_number(g("mrd2")) or (15 if g("mid2") else None)
    start = date(y1, m1, d1 or 1)
    end = date(y2, m2, d2) if d2 else month_end(y2, m2)
    if end < start:
        return None
    # A span of months is one period ("4.9 kg from January to October"); only a change
    # compares its two ends ("fell 6.6% between April and June"), and figures given
    # "respectively" take one each ("6 and 14 kg in January and February, respectively").
    parts = None
    if (g("mrfrom") or g("mrand")) and not (d1 or d2):
        parts = (
            TemporalMention(*span, month_span(y1, m1)),
            TemporalMention(*span, month_span(y2, m2)),
        )
    return TemporalMention(*span, (start, end), parts=parts, months_pair=parts is not None)


def _year_range(m: re.Match[str], span: Where, _pub: date | None) -> TemporalMention | None:
    g = m.group
    y1 = int(g("yr1") or g("yr3"))
    raw = g("yr2") or g("yr4")
    y2 = two_digit_year(raw, y1)
    if y2 <= y1:
        return None
    # "2023-24" and "2023/24" name one split year (a fiscal or school year) more often
    # than two calendar years.
    split = y2 == y1 + 1 and g("yr3") is not None and (len(raw) == 2 or g("ysep") == "/")
    parts = (
        TemporalMention(*span, year_span(y1), bare_year=True),
        TemporalMention(*span, year_span(y2), bare_year=True),
    )
    if split:
        return TemporalMention(*span, (date(y1, 1, 1), date(y2, 12, 31)), split_year=True)
    return TemporalMention(*span, (date(y1, 1, 1), date(y2, 12, 31)), parts=parts)


def _day_date(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    g = m.group
    if g("iso"):
        day = date(int(g("iy")), int(g("im")), int(g("id")))
        return TemporalMention(*span, (day, day))
    month = month_number(g("dm1") or g("dm2") or g("dm3"))
    d = day_number(g("dd1") or g("dd2") or g("dd3")) or 1
    if g("dm3"):
        if pub is None:
            return TemporalMention(*span, None)
        y = pub.year if (month, d) <= (pub.month, pub.day) else pub.year - 1
    else:
        y = int(g("dy1") or g("dy2"))
    day = date(y, month, d)
    return TemporalMention(*span, (day, day))


def _month_year(m: re.Match[str], span: Where, _pub: date | None) -> TemporalMention:
    return TemporalMention(*span, month_span(int(m.group("my")), month_number(m.group("mm"))))


def _week_to(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """ "the week to May 9": the seven days ending that day."""
    g = m.group
    month, day = month_number(g("wtm")), day_number(g("wtd")) or 1
    if g("wty"):
        y = int(g("wty"))
    elif pub is None:
        return TemporalMention(*span, None)
    else:
        y = pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
    end = date(y, month, day)
    return TemporalMention(*span, (end - timedelta(days=6), end))


def _as_of(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """ "as of the end of February", "as of the beginning of December": the day a stock
    stands at (a month's first day for its beginning or "early", the 15th for its middle,
    else its last day)."""
    g = m.group
    month = month_number(g("aom"))
    if g("aoy"):
        y = int(g("aoy"))
    elif pub is None:
        return TemporalMention(*span, None, point=True)
    else:
        y = latest_month(pub, month)
    part = (g("aop") or g("aoe") or "").lower()
    within = {"beginning": 1, "start": 1, "early": 1, "middle": 15, "mid": 15}.get(part)
    day = date(y, month, day_number(g("aod")) or within or month_end(y, month).day)
    return TemporalMention(*span, (day, day), point=True)


def _bare_year(m: re.Match[str], span: Where, _pub: date | None) -> TemporalMention:
    return TemporalMention(*span, year_span(int(m.group("y"))), bare_year=True)


Reader = Callable[[re.Match[str], Where, "date | None"], "TemporalMention | None"]
_READERS: dict[str, Reader] = {
    "fiscalrel": rel.fiscal_relative, "sofar": rel.so_far, "ytd": rel.so_far, "yearto": _year_to,
    "rolling": _year_to, "quarter": _quarter, "part": _part, "hpart": _part,
    "same": rel.relative_to_period, "ago": rel.relative_to_period, "before": rel.relative_to_period,
    "prev": rel.relative_to_period, "fiscal": _fiscal, "fiscalpre": _fiscal,
    "calyear": _calendar_year, "monthrange": _month_range, "yearrange": _year_range,
    "iso": _day_date, "date": _day_date, "monthyear": _month_year, "since": rel.since,
    "relmonth": rel.relative_month, "month": rel.relative_month, "relative": rel.relative,
    "window": rel.window, "windowrev": rel.window_reversed, "weekday": rel.weekday,
    "year": _bare_year, "fyended": _fiscal_ended,
    "fiscalrange": _fiscal, "fiscalwin": _fiscal, "weekto": _week_to, "asof": _as_of,
    "unitsince": rel.units_since, "thatyear": rel.relative_to_period, "today": rel.today,
}  # fmt: skip
