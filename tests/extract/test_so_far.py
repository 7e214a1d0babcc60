""" "So far in fiscal 2025": the fiscal year named, up to the document's date; a year
already over is the whole year; an undated text leaves the end unknown, so the figure is
not read as the whole year (a year-to-date figure against a full year would look far
off). "A level not seen since March 2021" dates a record, not the figure. Sentences
written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.extract import DocumentMeta, extract_claims

MARCH = DocumentMeta(published=date(2025, 3, 1))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (
            "So far in fiscal year 2025, CBP officers have seized 4,000 pounds of fentanyl.",
            date(2024, 10, 1),
            date(2025, 3, 1),
        ),
        (
            "CBP has seized 4,000 pounds of fentanyl so far in FY2025.",
            date(2024, 10, 1),
            date(2025, 3, 1),
        ),
        (
            "CBP has seized 4,000 pounds so far in fiscal 2025, which began in October.",
            date(2024, 10, 1),
            date(2025, 3, 1),
        ),
        (
            "CBP seized 9,000 pounds of fentanyl so far in fiscal 2024, a record at the time.",
            date(2023, 10, 1),
            date(2024, 9, 30),
        ),
        (
            "Officers have seized 4,000 pounds so far this fiscal year, CBP said.",
            date(2024, 10, 1),
            date(2025, 3, 1),
        ),
    ],
)
def test_a_named_fiscal_year_so_far(text: str, start: date, end: date) -> None:
    [claim] = extract_claims(text, MARCH)
    assert (claim.period_start, claim.period_end, claim.period_basis) == (start, end, "us_fiscal")


def test_undated_so_far_stays_open() -> None:
    [claim] = extract_claims("CBP has seized 4,000 pounds so far in fiscal 2025.", DocumentMeta())
    assert claim.period_start is None and claim.period_end is None


def test_a_level_not_seen_since_a_date_is_no_period_of_the_figure() -> None:
    meta = DocumentMeta(published=date(2025, 5, 20))
    [claim] = extract_claims(
        "Monthly seizures dropped under 900 pounds this spring, a level not seen since March 2021.",
        meta,
    )
    assert claim.period_text != "since March 2021"
    [claim] = extract_claims("Agents have seized 3,000 pounds since March 2021.", meta)
    assert (claim.period_start, claim.period_end) == (date(2021, 3, 1), date(2025, 5, 20))


@pytest.mark.parametrize(
    ("text", "published", "span"),
    [
        (
            "The CBSA has seized 90 kg of fentanyl so far in fiscal 2024-25.",
            date(2025, 1, 10),
            (date(2024, 4, 1), date(2025, 1, 10)),
        ),
        (
            "CBP has seized 900 pounds so far in FY25.",
            date(2025, 3, 20),
            (date(2024, 10, 1), date(2025, 3, 20)),
        ),
        (
            "CBP has seized 900 pounds so far in FY-2026.",
            date(2025, 11, 20),
            (date(2025, 10, 1), date(2025, 11, 20)),
        ),
        # A fiscal year that had not begun: no span at all.
        ("CBP has seized 900 pounds so far in fiscal 2026.", date(2025, 6, 1), (None, None)),
    ],
)
def test_fiscal_years_as_newsrooms_write_them(
    text: str, published: date, span: tuple[date | None, date | None]
) -> None:
    [claim] = extract_claims(text, DocumentMeta(published=published))
    assert (claim.period_start, claim.period_end) == span
