"""Readers of periods relative to the document's date or to another period: "last
year", "so far this year", "the past 12 months", "since January", "the year before",
"last Tuesday". Without a document date such a phrase is still recorded, undated, so that
it is not mistaken for a figure with no period at all.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from borderflow.calendars import add_months, latest_month, month_end
from borderflow.extract.period_mention import (
    UNIT_MONTHS,
    TemporalMention,
    Where,
    day_number,
    month_number,
    month_span,
    number,
    two_digit_year,
    units_back,
)

_BACK = {"last": -1, "past": -1, "previous": -1, "prior": -1, "latest": -1, "this": 0,
         "current": 0, "next": 1, "coming": 1, "upcoming": 1}  # fmt: skip

_COUNTRY = {"u.s.": "US", "us": "US", "american": "US", "canadian": "CA", "canada's": "CA",
            "canada’s": "CA"}  # fmt: skip
# A sentence about what is planned or forecast: "this year" is then the whole year, and a
# month named alone is when something takes effect.


def fiscal_relative(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    rel = _BACK[m.group("frel").lower().split()[0].replace("most", "latest")]
    country = _COUNTRY.get((m.group("fcountry") or "").lower())
    return TemporalMention(*span, None, fiscal_rel=rel, today=pub, country=country)


def so_far(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    g = m.group
    if g("sofy"):  # a fiscal year named: up to the date, which an undated text lacks
        if pub is None:
            return TemporalMention(*span, None, to_date=True)
        first = two_digit_year(g("sofy"))
        fy = two_digit_year(g("sofy2"), first) if g("sofy2") else first
        split = bool(g("sofy2")) and fy == first + 1  # "fiscal 2024-25"
        return TemporalMention(
            *span, None, fiscal_end=fy, split_year=split, today=pub, to_date=True
        )
    if g("sofis") or g("ytdf"):
        return TemporalMention(*span, None, fiscal_rel=0, today=pub, to_date=True)
    if pub is None:
        return TemporalMention(*span, None, to_date=True)
    if g("sou") and g("sou").lower() == "month":
        return TemporalMention(*span, (date(pub.year, pub.month, 1), pub), to_date=True)
    y = int(g("soy")) if g("soy") else pub.year
    end = pub if y == pub.year else date(y, 12, 31)
    return TemporalMention(*span, (date(y, 1, 1), end), bare_year=True, to_date=True, today=pub)


def relative_to_period(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """ "the year before", "a year earlier", "the same period last year": another period
    of the sentence moved back (`shift`); alone, a period before the document's date."""
    g = m.group
    if g("same"):
        years = 2 if g("sptwo") else 1
        target = int(g("spy")) if g("spy") else None
        return TemporalMention(*span, None, shift=-12 * years, target_year=target, relative=True)
    if g("thatyear"):
        return TemporalMention(*span, None, relative=True)
    raw_unit = (g("agou") or g("bu") or g("pvu")).lower().rstrip("s")
    count = number(g("agon")) if g("agon") else 2 if g("blast") else 1
    if not count:
        return None
    if raw_unit in ("week", "day"):
        if pub is None:
            return TemporalMention(*span, None)
        day = pub - timedelta(days=count * (7 if raw_unit == "week" else 1))
        return TemporalMention(*span, (day, day))
    months = UNIT_MONTHS[raw_unit] * count
    fallback = units_back(pub, raw_unit, count) if pub else None
    # "two years earlier": the number is the phrase's, not a duration to report
    counted = "rolling" if g("agon") else "calendar"
    return TemporalMention(*span, fallback, shift=-months, bare_year=raw_unit == "year",
                           basis=counted, reads_as="calendar", relative=True)  # fmt: skip


def since(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """Up to the document's date; without one, to the end of the year named."""
    g = m.group
    if g("sfis"):
        if g("sfy"):
            fy = int(g("sfy"))
            return TemporalMention(
                *span, None, fiscal_end=fy, today=pub, to_date=True, open_end=True
            )
        return TemporalMention(*span, None, fiscal_rel=0, today=pub, to_date=True, open_end=True)
    if g("sy") or g("ssy"):
        y = int(g("sy") or g("ssy"))
        return TemporalMention(*span, (date(y, 1, 1), pub or date(y, 12, 31)), open_end=True)
    if pub is None and not g("smy"):
        return TemporalMention(*span, None, open_end=True)
    if g("sm"):
        month = month_number(g("sm"))
        y = int(g("smy")) if g("smy") else latest_month(pub, month)  # type: ignore[arg-type]
        first = date(y, month, day_number(g("sd")) or 1)
        return TemporalMention(*span, (first, pub or month_end(y, month)), open_end=True)
    y = pub.year - 1 if g("slast") else pub.year  # type: ignore[union-attr]
    return TemporalMention(*span, (date(y, 1, 1), pub), open_end=True, to_date=True)  # type: ignore[arg-type]


def relative_month(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    if pub is None:
        return TemporalMention(*span, None)
    month = month_number(m.group("rm") or m.group("bm"))
    if m.group("relmonth") and m.group("relmonth").lower().lstrip().startswith("this"):
        y = pub.year
    elif m.group("relmonth"):
        y = pub.year if month < pub.month else pub.year - 1
    else:
        y = latest_month(pub, month)
    return TemporalMention(*span, month_span(y, month))


def relative(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    """ "last year", "this month", "this year so far", "next quarter"."""
    g = m.group
    rel, unit = g("rel").lower(), g("relunit").lower()
    year_like = unit == "year" and rel in ("last", "this", "current")
    if pub is None:
        return TemporalMention(*span, None, bare_year=year_like, to_date=bool(g("reltd")))
    shift = _BACK[rel]
    if unit == "week":
        start = pub - timedelta(days=pub.weekday() - 7 * shift)
        return TemporalMention(*span, (start, pub if shift == 0 else start + timedelta(days=6)))
    reading = units_back(pub, unit, -shift)
    if shift == 0 and (g("reltd") or unit == "month"):  # "this month": so far
        return TemporalMention(
            *span, (reading[0], pub), bare_year=year_like, to_date=True, today=pub
        )
    return TemporalMention(*span, reading, bare_year=year_like, today=pub)


def window(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """ "the past 12 months": the stretch ending at the document's date."""
    return _window(m.group("wrel"), m.group("wn"), m.group("wu"), span, pub)


def window_reversed(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """ "the 12 previous months": the same stretch, its count written first."""
    return _window(m.group("wrrel"), m.group("wrn"), m.group("wru"), span, pub)


def _window(
    relation: str, counted: str | None, named_unit: str, span: Where, pub: date | None
) -> TemporalMention | None:
    unit = named_unit.lower()
    count = number(counted) if counted else None
    if (
        (counted and count is None)
        or relation.lower() == "recent"
        or (count is None and unit.endswith("s"))
    ):
        return TemporalMention(*span, None)  # "in recent years": no dates to give
    count = count or 1
    unit = unit.rstrip("s")
    months = UNIT_MONTHS.get(unit, 0) * count
    follows = "any" if relation.lower() in ("previous", "prior", "preceding") else "point"
    if pub is None:
        reading = None
    elif months:
        reading = (add_months(pub, -months), pub)
    else:
        reading = (pub - timedelta(days=count * (7 if unit == "week" else 1)), pub)
    return TemporalMention(*span, reading, basis="rolling", window=months, window_follows=follows,
                           today=pub, bare_year=months == 12)  # fmt: skip


def weekday(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    """The latest such day up to the document's date ("on Friday")."""
    if pub is None:
        return TemporalMention(*span, None)
    target = list(calendar.day_name).index(m.group("wd"))
    back = (pub.weekday() - target) % 7
    if back == 0 and m.group("wdrel") and m.group("wdrel").lower() in ("last", "past"):
        back = 7
    day = pub - timedelta(days=back)
    return TemporalMention(*span, (day, day))


def units_since(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention | None:
    """ "in the six months since the plan took effect": up to the document's date."""
    count = number(m.group("usn"))
    if not count:
        return None
    unit = m.group("usu").lower().rstrip("s")
    if pub is None:
        return TemporalMention(*span, None, basis="rolling")
    if unit in ("week", "day"):
        start = pub - timedelta(days=count * (7 if unit == "week" else 1))
    else:
        start = add_months(pub, -UNIT_MONTHS[unit] * count)
    return TemporalMention(*span, (start, pub), basis="rolling")


def today(m: re.Match[str], span: Where, pub: date | None) -> TemporalMention:
    if pub is None:
        return TemporalMention(*span, None)
    day = pub - timedelta(days=1) if m.group().lower() == "yesterday" else pub
    return TemporalMention(*span, (day, day))
