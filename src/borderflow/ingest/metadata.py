"""Metadata written into a plain text: a `date YYYY-MM-DD` marker, a "Posted on" line, a
byline, a title line. Undated documents stay undated: nothing here guesses a date.

A posted line may give only a month ("Published: March 2025", common on reports and
newsletters). The text is then dated the month's last day, marked `posted-month`: every
"this year", "last month" or "the fiscal year so far" reads the same on any day of the
month, and the data the text could have cited are those released by the month's end, so
a figure from a release of mid-month is not judged as if it came before it."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from borderflow.calendars import month_end

_MONTHS = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
_M = r"[A-Za-z]{3,9}\.?"
# A machine marker some corpora put before the text: "date 2025-01-23 ...".
_DATE_MARKER = re.compile(r"\A\s*date[ \t]+(\d{4}-\d\d-\d\d)\b[ \t]*\n?")
# What may follow the date on its line: a full stop, a time and its zone ("July 5, 2025
# at 3:12 p.m. ET", "July 5, 2025 10:31am EDT").
_CLOCK = (
    r"(?:,?[ \t]+(?:at[ \t]+)?\d{1,2}:\d\d(?:[ \t]*[AaPp]\.?[Mm]\.?)?(?:[ \t]+[A-Z]{2,4})?)?"
    r"\.?"
)
_POSTED = re.compile(
    rf"^[ \t]*(?:Posted|Published|Updated|Date)(?:[ \t]+on)?:?[ \t]+(?P<date>\d{{1,2}}[ \t]+{_M}"
    rf"[ \t]+\d{{4}}|{_M}[ \t]+\d{{1,2}},?[ \t]+\d{{4}}|\d{{4}}-\d\d-\d\d){_CLOCK}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A posted line with a month alone: read only when no line gives a full date.
_POSTED_MONTH = re.compile(
    rf"^[ \t]*(?:Posted|Published|Updated|Date)(?:[ \t]+(?:on|in))?:?[ \t]+"
    rf"(?P<month>{_M}),?[ \t]+(?P<year>\d{{4}})\.?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_BYLINE = re.compile(
    r"^[ \t]*By[ \t]+(?P<name>[A-Z][\w.’'-]+(?:[ \t]+[A-Z][\w.’'-]+){0,3})[ \t]*$", re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class TextMetadata:
    text: str
    published: date | None
    date_source: str | None
    title: str | None
    author: str | None


def parse_date(raw: str) -> date | None:
    """'2025-02-07', '07 Feb 2025', 'February 7, 2025', 'Feb. 7, 2025' -> date; else None."""
    raw = raw.strip()
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", raw)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(rf"(\d{{1,2}})\s+({_M})\s+(\d{{4}})", raw)
        if m and m[2].lower().rstrip(".") in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2].lower().rstrip(".")], int(m[1]))
        m = re.fullmatch(rf"({_M})\s+(\d{{1,2}}),?\s+(\d{{4}})", raw)
        if m and m[1].lower().rstrip(".") in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1].lower().rstrip(".")], int(m[2]))
    except ValueError:
        return None
    return None


def _named_month_end(month: str, year: str) -> date | None:
    """The last day of a named month ("March", "Sept.") of `year`; None if not a month."""
    number = _MONTHS.get(month.lower().rstrip("."))
    return None if number is None else month_end(int(year), number)


def text_metadata(text: str) -> TextMetadata:
    """Find date, title and author in the head of a text; strip only the `date` marker,
    which is not part of the article."""
    published: date | None = None
    source: str | None = None
    marker = _DATE_MARKER.match(text)
    if marker:
        published = parse_date(marker.group(1))
        source = "date-line" if published else None
        if published:
            text = text[marker.end() :]
    head = text[:2000]
    if published is None:
        posted = _POSTED.search(head)
        month = _POSTED_MONTH.search(head) if posted is None else None
        if posted:
            published = parse_date(posted.group("date"))
            source = "posted-line" if published else None
        elif month:
            published = _named_month_end(month.group("month"), month.group("year"))
            source = "posted-month" if published else None
    byline = _BYLINE.search(head)
    return TextMetadata(
        text, published, source, _title(text), byline.group("name") if byline else None
    )


def _title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if not line:
            continue
        if (
            len(line) <= 150
            and not line.endswith((".", ",", ";", ":"))
            and not _POSTED.fullmatch(line)
            and not _POSTED_MONTH.fullmatch(line)
            and len(line.split()) >= 2
        ):
            return line
        return None
    return None
