"""Period reading: the project's own period phrases against `dateparser` (issue 13).

Two jobs. (1) The periods of the labelled set (tests/labels/reading): for every labelled
figure with a period, does either reader find, anywhere in the passage, a phrase whose
reading is exactly the labelled [start, end]? (Which phrase governs which figure is the
extractor's job and is scored by benchmarks/reading.py; this asks only whether the phrase
can be read at all.) dateparser gives a point in time; its `DateDataParser` also says the
point's granularity (day, week, month, year), which turns it into a span. (2) Relative
days ("last Tuesday", "three weeks ago"), where dateparser is strongest: the day each
reader gives against the day written down here by hand.

Run: `.venv/bin/python benchmarks/period_libraries.py` (appends to RESULTS.md; `--no-record`).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.labels.reading_set import load_all

from _common import record, table
from borderflow.calendars import month_end
from borderflow.extract.period_readings import PeriodRules
from borderflow.extract.periods import find_periods
from borderflow.vocab import load_vocabulary

Span = tuple[date, date]
RULES = PeriodRules(load_vocabulary())

# Relative days written for this benchmark, read against Wednesday 12 March 2025.
BASE = date(2025, 3, 12)
RELATIVE_DAYS: list[tuple[str, date]] = [
    ("Officers made the arrest last Tuesday.", date(2025, 3, 11)),
    ("The shipment was seized three weeks ago.", date(2025, 2, 19)),
    ("The plant closed two days ago.", date(2025, 3, 10)),
    ("The storm hit yesterday.", date(2025, 3, 11)),
    ("Police searched the home on Friday.", date(2025, 3, 7)),
    ("The results came in on Monday.", date(2025, 3, 10)),
    ("Prices peaked on March 3.", date(2025, 3, 3)),
    ("The bridge reopened on Feb. 14.", date(2025, 2, 14)),
    ("Crews finished the work today.", date(2025, 3, 12)),
    ("The ban took effect on January 1, 2025.", date(2025, 1, 1)),
]


def _project_spans(text: str, published: date | None, agency: str | None) -> set[Span]:
    spans: set[Span] = set()
    for mention in find_periods(text, 0, len(text), published):
        for candidate in (mention, *(mention.parts or ())):
            spans |= {(r.start, r.end) for r in RULES.readings(candidate, agency)}
    return spans


def _dateparser_spans(text: str, published: date | None, _agency: str | None = None) -> set[Span]:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    base = datetime.combine(published or date(2025, 1, 1), datetime.min.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    found = search_dates(text, languages=["en"], settings=settings) or []
    parser = DateDataParser(languages=["en"], settings=settings)
    spans = set()
    for fragment, when in found:
        data = parser.get_date_data(fragment)
        day = when.date()
        period = data.period or "day"
        if period == "year":
            spans.add((date(day.year, 1, 1), date(day.year, 12, 31)))
        elif period == "month":
            spans.add((date(day.year, day.month, 1), month_end(day.year, day.month)))
        elif period == "week":
            start = day - timedelta(days=day.weekday())
            spans.add((start, start + timedelta(days=6)))
        else:
            spans.add((day, day))
    return spans


def labelled_periods(
    reader: Callable[[str, date | None, str | None], set[Span]],
) -> tuple[int, int, float]:
    """Labelled figures with a period, how many of those periods the reader can produce
    from the passage, and the seconds it took."""
    total = hits = 0
    started = time.perf_counter()
    for passage in load_all():
        cache: dict[str | None, set[Span]] = {}
        for label in passage.labels:
            if label.period is None:
                continue
            agency = label.fields.get("agency")
            if agency not in cache:
                cache[agency] = reader(passage.text, passage.meta.published, agency)
            total += 1
            hits += label.period in cache[agency]
    return total, hits, time.perf_counter() - started


def relative_days(reader: Callable[[str, date], date | None]) -> tuple[int, float]:
    started = time.perf_counter()
    right = sum(reader(text, BASE) == expected for text, expected in RELATIVE_DAYS)
    return right, time.perf_counter() - started


def _project_day(text: str, published: date) -> date | None:
    spans = [m.calendar for m in find_periods(text, 0, len(text), published) if m.calendar]
    return spans[0][0] if spans else None


def _dateparser_day(text: str, published: date) -> date | None:
    from dateparser.search import search_dates

    base = datetime.combine(published, datetime.min.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    found = search_dates(text, languages=["en"], settings=settings) or []
    return found[0][1].date() if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    _dateparser_spans("warm up in March 2024", date(2025, 1, 1))  # import and compile once
    rows = []
    for name, reader in (("borderflow", _project_spans), ("dateparser", _dateparser_spans)):
        total, hits, seconds = labelled_periods(reader)
        rows.append([name, "labelled periods", f"{hits}/{total}", f"{hits / total:.3f}",
                     f"{seconds:.2f}"])  # fmt: skip
    for name, day_reader in (("borderflow", _project_day), ("dateparser", _dateparser_day)):
        right, seconds = relative_days(day_reader)
        rows.append([name, "relative days", f"{right}/{len(RELATIVE_DAYS)}",
                     f"{right / len(RELATIVE_DAYS):.3f}", f"{seconds:.3f}"])  # fmt: skip
    body = table(["reader", "job", "right", "share", "seconds"], rows)
    if args.no_record:
        print(body)
    else:
        record("Period reading: borderflow against dateparser", body)


if __name__ == "__main__":
    main()
