"""Metadata written into a plain text: a `date YYYY-MM-DD` marker, a "Posted on" line, a
byline, a title line. Undated documents stay undated: nothing here guesses a date.

A posted line may give only a month ("Published: March 2025", common on reports and
newsletters). The text is then dated the month's last day, marked `posted-month`, unless
another publication line gives a full date (an "Updated" line dates it only when no
publication line does): every "this year", "last month" or "the fiscal year so far"
reads the same on any day of the month, and the data the text could have cited are those
released by the month's end, so a figure from a release of mid-month is not judged as if
it came before it."""

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
    rf"^[ \t]*(?P<label>Posted|Published|Updated|Date)(?:[ \t]+on)?:?[ \t]+"
    rf"(?P<date>\d{{1,2}}[ \t]+{_M}[ \t]+\d{{4}}|{_M}[ \t]+\d{{1,2}},?[ \t]+\d{{4}}"
    rf"|\d{{4}}-\d\d-\d\d){_CLOCK}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A posted line with a month alone ("Published: March 2025").
_POSTED_MONTH = re.compile(
    rf"^[ \t]*(?P<label>Posted|Published|Updated|Date)(?:[ \t]+(?:on|in))?:?[ \t]+"
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


def _posted(head: str) -> tuple[date | None, str | None]:
    """The date of the head's posted lines: a publication line ("Published", "Posted",
    "Date") before an "Updated" one, whatever their order, and on each kind a full date
    before a month alone."""
    lines = [(m, True) for m in _POSTED.finditer(head)]
    lines += [(m, False) for m in _POSTED_MONTH.finditer(head)]
    for m, full in sorted(lines, key=lambda f: (f[0]["label"].lower() == "updated", not f[1])):
        day = parse_date(m["date"]) if full else _named_month_end(m["month"], m["year"])
        if day is not None:
            return day, "posted-line" if full else "posted-month"
    return None, None


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
        published, source = _posted(head)
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
