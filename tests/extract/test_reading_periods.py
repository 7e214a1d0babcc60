"""Reading periods like a careful fact-checker: ranges, rolling windows, fiscal years,
comparisons, fiscal-year ambiguity and which clause a period governs. Every sentence here
was written for these tests; several are general news (weather, prices, trade)."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.extract import Claim, DocumentMeta, extract_claims
from borderflow.extract.period_readings import PeriodRules
from borderflow.extract.periods import TemporalMention, find_periods
from borderflow.vocab import load_vocabulary

RULES = PeriodRules(load_vocabulary())
Span = tuple[date, date]


def _phrase(text: str, published: date | None) -> TemporalMention:
    found = [m for m in find_periods(text, 0, len(text), published) if m.role == "own"]
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def _read(text: str, published: date | None, agency: str | None = None) -> list[Span]:
    return [(r.start, r.end) for r in RULES.readings(_phrase(text, published), agency)]


def _claim(text: str, quote: str, published: date | None = None) -> Claim:
    start = text.index(quote)
    claims = extract_claims(text, DocumentMeta(published=published))
    found = [c for c in claims if c.start < start + len(quote) and start < c.end]
    assert len(found) == 1, f"{quote!r}: {[c.text for c in claims]}"
    return found[0]


def _period(claim: Claim) -> Span | None:
    return (claim.period_start, claim.period_end) if claim.period_start else None  # type: ignore[return-value]


# -- ranges, open and closed ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "between November 2023 and June",
            date(2024, 8, 2),
            (date(2023, 11, 1), date(2024, 6, 30)),
        ),
        ("from January to March 2025", None, (date(2025, 1, 1), date(2025, 3, 31))),
        ("January-March 2025", None, (date(2025, 1, 1), date(2025, 3, 31))),
        (
            "between December and mid-February",
            date(2025, 2, 27),
            (date(2024, 12, 1), date(2025, 2, 15)),
        ),
        ("the first two months of 2025", None, (date(2025, 1, 1), date(2025, 2, 28))),
        ("the first two months of 2024", None, (date(2024, 1, 1), date(2024, 2, 29))),
        ("the last three months of 2024", None, (date(2024, 10, 1), date(2024, 12, 31))),
        ("the second half of 2023", None, (date(2023, 7, 1), date(2023, 12, 31))),
        (
            "the first six months of the year",
            date(2025, 8, 20),
            (date(2025, 1, 1), date(2025, 6, 30)),
        ),
        ("H1 2025", None, (date(2025, 1, 1), date(2025, 6, 30))),
        ("the third quarter of 2024", None, (date(2024, 7, 1), date(2024, 9, 30))),
        ("fourth-quarter", date(2025, 1, 30), (date(2024, 10, 1), date(2024, 12, 31))),
        ("since January", date(2025, 6, 10), (date(2025, 1, 1), date(2025, 6, 10))),
        ("since March 2022", date(2024, 5, 1), (date(2022, 3, 1), date(2024, 5, 1))),
        ("since the start of the year", date(2025, 4, 3), (date(2025, 1, 1), date(2025, 4, 3))),
        ("so far this year", date(2025, 7, 23), (date(2025, 1, 1), date(2025, 7, 23))),
        ("so far in 2024", date(2024, 9, 9), (date(2024, 1, 1), date(2024, 9, 9))),
        ("year to date", date(2025, 5, 5), (date(2025, 1, 1), date(2025, 5, 5))),
        ("year-to-date", date(2025, 5, 5), (date(2025, 1, 1), date(2025, 5, 5))),
        ("this month", date(2024, 9, 24), (date(2024, 9, 1), date(2024, 9, 24))),
        ("the week to May 9", date(2025, 5, 14), (date(2025, 5, 3), date(2025, 5, 9))),
        ("in March", date(2025, 6, 1), (date(2025, 3, 1), date(2025, 3, 31))),
        ("in November", date(2025, 2, 1), (date(2024, 11, 1), date(2024, 11, 30))),
    ],
)
def test_ranges(text: str, published: date | None, expected: Span) -> None:
    assert _read(text, published) == [expected]


# -- rolling windows --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("in the year to August", date(2025, 10, 1), (date(2024, 9, 1), date(2025, 8, 31))),
        ("in the year to June 2023", None, (date(2022, 7, 1), date(2023, 6, 30))),
        ("the 12 months ending in March", date(2025, 6, 2), (date(2024, 4, 1), date(2025, 3, 31))),
        ("the six months to June 2025", None, (date(2025, 1, 1), date(2025, 6, 30))),
        ("the year ended March 31, 2025", None, (date(2024, 4, 1), date(2025, 3, 31))),
        ("over the past year", date(2024, 12, 18), (date(2023, 12, 18), date(2024, 12, 18))),
        ("the previous 12 months", date(2025, 3, 20), (date(2024, 3, 20), date(2025, 3, 20))),
        ("the last two years", date(2025, 1, 15), (date(2023, 1, 15), date(2025, 1, 15))),
        ("the 12 previous months", date(2025, 3, 20), (date(2024, 3, 20), date(2025, 3, 20))),
        ("over the six preceding months", date(2025, 9, 1), (date(2025, 3, 1), date(2025, 9, 1))),
        ("in the six months since", date(2025, 8, 12), (date(2025, 2, 12), date(2025, 8, 12))),
    ],
)
def test_rolling_windows(text: str, published: date | None, expected: Span) -> None:
    assert _read(text, published) == [expected]


def test_a_window_before_an_anchor_ends_where_the_anchor_says() -> None:
    text = "As of the end of February, the unit had closed six labs over the previous 12 months."
    claim = _claim(text, "six labs", date(2025, 3, 20))
    assert _period(claim) == (date(2024, 3, 1), date(2025, 2, 28))


def test_prior_months_are_the_months_before_the_sentences_period() -> None:
    text = (
        "Shipments through the port totalled about 9,000 tonnes in the year to September, "
        "down from 11,200 tonnes in the prior 12 months."
    )
    published = date(2025, 11, 3)
    assert _period(_claim(text, "about 9,000 tonnes", published)) == (
        date(2024, 10, 1),
        date(2025, 9, 30),
    )
    assert _period(_claim(text, "11,200 tonnes", published)) == (
        date(2023, 10, 1),
        date(2024, 9, 30),
    )


# -- fiscal years -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "published", "agency", "expected"),
    [
        ("last fiscal year", date(2025, 2, 3), "CBP", (date(2023, 10, 1), date(2024, 9, 30))),
        ("last fiscal year", date(2025, 2, 3), "CBSA", (date(2023, 4, 1), date(2024, 3, 31))),
        ("last fiscal year", date(2025, 6, 3), "RCMP", (date(2024, 4, 1), date(2025, 3, 31))),
        ("last fiscal year", date(2025, 6, 3), "PHAC", (date(2024, 4, 1), date(2025, 3, 31))),
        (
            "the current fiscal year",
            date(2025, 11, 3),
            "DEA",
            (date(2025, 10, 1), date(2026, 9, 30)),
        ),
        (
            "the coming fiscal year",
            date(2025, 4, 10),
            "CBP",
            (date(2025, 10, 1), date(2026, 9, 30)),
        ),
        (
            "the last U.S. fiscal year",
            date(2025, 1, 28),
            None,
            (date(2023, 10, 1), date(2024, 9, 30)),
        ),
        ("fiscal 2024", None, "CBP", (date(2023, 10, 1), date(2024, 9, 30))),
        ("FY2024", None, "U.S. Border Patrol", (date(2023, 10, 1), date(2024, 9, 30))),
        ("FY24", None, "CBP", (date(2023, 10, 1), date(2024, 9, 30))),
        ("fiscal year 2025", None, "CBP", (date(2024, 10, 1), date(2025, 9, 30))),
        ("fiscal 2024", None, "CBSA", (date(2023, 4, 1), date(2024, 3, 31))),
        ("the 2023-24 fiscal year", None, None, (date(2023, 4, 1), date(2024, 3, 31))),
        ("fiscal year 2023-24", None, "Health Canada", (date(2023, 4, 1), date(2024, 3, 31))),
        ("in 2023-24", None, "CBSA", (date(2023, 4, 1), date(2024, 3, 31))),
        ("fiscal years 2021 through 2023", None, "CBP", (date(2020, 10, 1), date(2023, 9, 30))),
        (
            "the last two fiscal years",
            date(2024, 12, 9),
            "CBP",
            (date(2022, 10, 1), date(2024, 9, 30)),
        ),
        ("the first quarter of fiscal 2025", None, "CBP", (date(2024, 10, 1), date(2024, 12, 31))),
        ("the first half of fiscal 2025", None, "CBSA", (date(2024, 4, 1), date(2024, 9, 30))),
        (
            "the fiscal year that ended Sept. 30",
            date(2025, 10, 24),
            None,
            (date(2024, 10, 1), date(2025, 9, 30)),
        ),
        (
            "the fiscal year that ended in March",
            date(2024, 7, 9),
            None,
            (date(2023, 4, 1), date(2024, 3, 31)),
        ),
        (
            "so far this fiscal year",
            date(2025, 1, 15),
            "CBP",
            (date(2024, 10, 1), date(2025, 1, 15)),
        ),
        (
            "since the start of fiscal year 2025",
            date(2025, 1, 15),
            "CBP",
            (date(2024, 10, 1), date(2025, 1, 15)),
        ),
    ],
)
def test_fiscal_years(
    text: str, published: date | None, agency: str | None, expected: Span
) -> None:
    assert _read(text, published, agency)[0] == expected


def test_a_fiscal_year_with_no_agency_keeps_each_calendar() -> None:
    readings = _read("fiscal 2024", None)
    assert set(readings) == {
        (date(2023, 10, 1), date(2024, 9, 30)),
        (date(2023, 4, 1), date(2024, 3, 31)),
    }


# -- agencies that publish by fiscal year: every reading kept ----------------------------
@pytest.mark.parametrize(
    ("text", "published", "agency", "fiscal"),
    [
        ("last year", date(2025, 3, 1), "CBP", (date(2023, 10, 1), date(2024, 9, 30))),
        ("in 2024", None, "CBP", (date(2023, 10, 1), date(2024, 9, 30))),
        ("in 2024", None, "CBSA", (date(2023, 4, 1), date(2024, 3, 31))),
        (
            "over the past year",
            date(2025, 12, 10),
            "U.S. Border Patrol",
            (date(2024, 10, 1), date(2025, 9, 30)),
        ),
    ],
)
def test_ambiguous_years_keep_calendar_first_and_fiscal_as_candidate(
    text: str, published: date | None, agency: str, fiscal: Span
) -> None:
    readings = _read(text, published, agency)
    assert len(readings) == 2 and readings[1] == fiscal
    assert readings[0] == _read(text, published, None)[0]


def test_a_calendar_year_said_as_such_is_not_ambiguous() -> None:
    assert _read("calendar 2024", None, "CBP") == [(date(2024, 1, 1), date(2024, 12, 31))]


def test_claim_of_a_fiscal_agency_records_both_readings() -> None:
    claim = _claim(
        "CBP seized 61 pounds of fentanyl at the northern border last year.",
        "61 pounds",
        date(2025, 3, 1),
    )
    assert _period(claim) == (date(2024, 1, 1), date(2024, 12, 31))
    assert claim.period_basis == "unknown"
    assert {(p.basis, p.start) for p in claim.period_candidates} == {
        ("calendar", date(2024, 1, 1)),
        ("us_fiscal", date(2023, 10, 1)),
    }


# -- two periods compared ---------------------------------------------------------------
def test_a_change_between_two_years_takes_the_later_year() -> None:
    claim = _claim("Traffic deaths in the province fell 14% between 2023 and 2024.", "14%")
    assert _period(claim) == (date(2024, 1, 1), date(2024, 12, 31))


def test_a_span_of_years_without_a_change_is_one_period() -> None:
    claim = _claim("Investigators seized 310 kg of cocaine between 2019 and 2022.", "310 kg")
    assert _period(claim) == (date(2019, 1, 1), date(2022, 12, 31))


def test_the_base_of_a_comparison_takes_the_earlier_period() -> None:
    text = (
        "Exports of canola grew nearly fourfold between fiscal 2019 and fiscal 2023, "
        "from about 1,100 tonnes to more than 4,300, the ministry said."
    )
    base = _claim(text, "about 1,100 tonnes")
    end = _claim(text, "more than 4,300")
    assert base.period_start is not None and base.period_end is not None
    assert end.period_start is not None and end.period_end is not None
    assert base.period_end.year == 2019 and end.period_end.year == 2023


def test_up_from_a_figure_the_year_before() -> None:
    text = (
        "CBP seized 52 pounds of fentanyl at the northern border in fiscal 2024, "
        "up from 3.1 pounds the year before."
    )
    assert _period(_claim(text, "52 pounds")) == (date(2023, 10, 1), date(2024, 9, 30))
    assert _period(_claim(text, "3.1 pounds")) == (date(2022, 10, 1), date(2023, 9, 30))


def test_compared_with_the_same_period_last_year() -> None:
    text = (
        "In the first half of 2025, arrests at the crossing rose 18% compared with the "
        "same period last year, to 640 from 542."
    )
    published = date(2025, 8, 1)
    assert _period(_claim(text, "18%", published)) == (date(2025, 1, 1), date(2025, 6, 30))
    text = (
        "Officers made 640 arrests in the first half of 2025, up from 542 in the same "
        "period last year."
    )
    assert _period(_claim(text, "542", published)) == (date(2024, 1, 1), date(2024, 6, 30))


def test_a_change_between_two_months_takes_the_later_month() -> None:
    claim = _claim(
        "Lumber prices fell 8.2% between April and June, the exchange said.",
        "8.2%",
        date(2025, 7, 10),
    )
    assert _period(claim) == (date(2025, 6, 1), date(2025, 6, 30))


def test_a_span_of_months_stays_one_period_beside_a_comparison() -> None:
    text = (
        "The agency intercepted 3.8 kg of heroin from January to September 2024, a sharp "
        "increase over the same time period in 2023."
    )
    assert _period(_claim(text, "3.8 kg")) == (date(2024, 1, 1), date(2024, 9, 30))


def test_a_change_does_not_take_its_baseline() -> None:
    text = "Bankruptcies rose 11% in 2024 from 2023, the superintendent reported."
    assert _period(_claim(text, "11%")) == (date(2024, 1, 1), date(2024, 12, 31))
    text = "Ridership hit 41 million last year, well above the year before."
    claim = _claim(text, "41 million", date(2025, 2, 2))
    assert _period(claim) == (date(2024, 1, 1), date(2024, 12, 31))


def test_the_previous_years_figure() -> None:
    text = (
        "In the fiscal year that ended Sept. 30, the port handled 88 inspections a day, "
        "nearly double the previous year's 46 inspections a day."
    )
    published = date(2025, 10, 24)
    claim = _claim(text, "46 inspections", published)
    assert _period(claim) == (date(2023, 10, 1), date(2024, 9, 30))


# -- general news -----------------------------------------------------------------------
def test_weather_record_month() -> None:
    text = "Rainfall in March was 40 percent above normal, the wettest March since 1990."
    claim = _claim(text, "40 percent", date(2025, 4, 2))
    assert _period(claim) == (date(2025, 3, 1), date(2025, 3, 31))
    record = [
        m for m in find_periods(text, 0, len(text), date(2025, 4, 2)) if m.text == "since 1990"
    ]
    assert record and record[0].role == "record"


def test_inflation_in_the_year_to_june() -> None:
    published = date(2025, 7, 16)
    text = "In the year to June inflation rose 3.1%, the statistics office said."
    assert _period(_claim(text, "3.1%", published)) == (date(2024, 7, 1), date(2025, 6, 30))
    text = "Consumer prices rose 2.7% in the year to May, faster than economists expected."
    assert _period(_claim(text, "2.7%", published)) == (date(2024, 6, 1), date(2025, 5, 31))


def test_this_year_is_the_year_so_far_unless_forecast() -> None:
    published = date(2024, 11, 27)
    so_far = _claim("Her bakery's sales are down 12 per cent this year.", "12 per cent", published)
    assert _period(so_far) == (date(2024, 1, 1), published)
    forecast = _claim(
        "The council expects revenue of $48 million this year.", "$48 million", published
    )
    assert _period(forecast) == (date(2024, 1, 1), date(2024, 12, 31))


def test_a_report_date_is_not_the_figures_period() -> None:
    text = "About 1,200 residents were displaced, according to a report released in June 2025."
    assert _claim(text, "About 1,200 residents", date(2025, 7, 1)).period_start is None


def test_a_start_date_of_a_plan_is_not_a_period() -> None:
    text = "Starting Nov. 1, riders will pay 3.35 dollars per trip, the transit agency said."
    assert _claim(text, "3.35 dollars", date(2024, 10, 18)).period_start is None


# -- which clause a period governs ------------------------------------------------------
def test_a_period_does_not_cross_a_semicolon() -> None:
    text = (
        "It was the third large bust at the bridge this year; officers found 7.2 pounds "
        "in a suitcase."
    )
    assert _claim(text, "7.2 pounds", date(2024, 2, 9)).period_start is None


def test_a_present_state_in_another_clause_has_no_period() -> None:
    text = (
        "Since 2019 the program has handed out 2.1 million test strips, and 87 per cent "
        "of clinics now stock them."
    )
    published = date(2024, 8, 31)
    assert _period(_claim(text, "2.1 million test strips", published)) == (
        date(2019, 1, 1),
        published,
    )
    assert _claim(text, "87 per cent", published).period_start is None


def test_a_parallel_clause_keeps_the_period() -> None:
    text = (
        "Heroin was involved in about 5,900 deaths in 2022, while cocaine was involved "
        "in roughly 27,000."
    )
    assert _period(_claim(text, "roughly 27,000")) == (date(2022, 1, 1), date(2022, 12, 31))


def test_a_period_inside_a_relative_clause_stays_there() -> None:
    text = "The mayor, who first took office in 2010, won by 3,418 votes."
    assert _claim(text, "3,418 votes").period_start is None


def test_tied_figures_share_the_period_after_them() -> None:
    text = "The Detroit sector logged 12 pounds, or 3% of the region's total, in fiscal 2023."
    claim = _claim(text, "12 pounds")
    assert claim.period_end is not None and claim.period_end.year == 2023


def test_a_dash_aside_keeps_the_period() -> None:
    text = "Wildfires burned 5.3 million hectares in 2024 — roughly 14,500 hectares a day."
    assert _period(_claim(text, "roughly 14,500 hectares")) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
    )


# -- later sentences --------------------------------------------------------------------
def test_a_sentence_referring_back_keeps_the_period() -> None:
    text = (
        "Border officers in Quebec seized 61 kg of cocaine in October 2024. "
        "This amount included 4.6 kg hidden in a tractor's fuel tank."
    )
    assert _period(_claim(text, "4.6 kg")) == (date(2024, 10, 1), date(2024, 10, 31))


def test_a_sentence_with_a_fact_of_its_own_does_not() -> None:
    text = (
        "Officers at the port seized 260 pounds of methamphetamine in fiscal 2024. "
        "A single 95-pound load found in May was the largest in the port's history."
    )
    claim = _claim(text, "95-pound")
    assert claim.period_text != "fiscal 2024"


def test_that_year_and_the_same_period_refer_to_the_earlier_sentence() -> None:
    text = (
        "From January to May 2025, officers made 23 seizures at the bridge. Over the same "
        "period, they also seized 310 kg of cocaine."
    )
    assert _period(_claim(text, "310 kg")) == (date(2025, 1, 1), date(2025, 5, 31))


def test_a_list_under_a_dated_heading_takes_its_period() -> None:
    text = (
        "The regional office reported these results for April:\n"
        "- 2.3 kg of fentanyl at the airport\n"
        "- 640 counterfeit pills at the bus terminal"
    )
    published = date(2025, 5, 20)
    for quote in ("2.3 kg", "640 counterfeit pills"):
        assert _period(_claim(text, quote, published)) == (date(2025, 4, 1), date(2025, 4, 30))


def test_relative_phrases_without_a_document_date_stay_undated() -> None:
    claim = _claim("Thefts fell 9% so far this year.", "9%")
    assert claim.period_start is None and claim.period_text == "so far this year"


# -- calendar helpers --------------------------------------------------------------------
def test_calendar_helpers() -> None:
    from borderflow.calendars import add_months, latest_month, months_ending, shift_span

    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)
    assert months_ending(2025, 6, 6) == (date(2025, 1, 1), date(2025, 6, 30))
    assert shift_span((date(2024, 1, 1), date(2024, 2, 29)), -12) == (
        date(2023, 1, 1),
        date(2023, 2, 28),
    )
    assert shift_span((date(2023, 3, 1), date(2023, 2, 28)), 12)[1] == date(2024, 2, 29)
    assert latest_month(date(2025, 6, 1), 3) == 2025
    assert latest_month(date(2025, 2, 1), 3) == 2024


def test_a_month_that_owns_the_figure_is_its_period() -> None:
    text = "Officers seized 410 pounds in March, up 25% on February's 330 pounds."
    march = date(2025, 3, 1), date(2025, 3, 31)
    february = date(2025, 2, 1), date(2025, 2, 28)
    assert _period(_claim(text, "410 pounds", date(2025, 4, 20))) == march
    assert _period(_claim(text, "330 pounds", date(2025, 4, 20))) == february


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("as of the beginning of December", date(2024, 12, 1)),
        ("as of the start of March", date(2024, 3, 1)),
        ("as of mid-October", date(2024, 10, 15)),
        ("as of early September", date(2024, 9, 1)),
        ("as of the end of February", date(2024, 2, 29)),
    ],
)
def test_as_of_a_part_of_a_month_is_a_day_not_the_month(phrase: str, day: date) -> None:
    """A stock "as of the beginning of December" stands at a day: read as the whole of
    December, a year's running total was judged against one month's."""
    text = f"Agents had taken 2.7 million pills in the state {phrase}, the agency said."
    claim = _claim(text, "2.7 million", date(2024, 12, 3))
    assert (claim.period_start, claim.period_end) == (day, day)


@pytest.mark.parametrize(
    "phrase",
    [
        "between October 1, 2022, and January 31, 2023",
        "from October 1, 2022, to January 31, 2023",
        "between October 1, 2022 and January 31, 2023",
    ],
)
def test_a_range_of_full_dates_keeps_both_ends_with_the_comma_after_the_year(
    phrase: str,
) -> None:
    """AP style puts a comma after a full date's year: the range still runs to its
    second date (it had been read as its first day alone)."""
    claim = _claim(f"Officers took 9,000 pounds of fentanyl {phrase}.", "9,000", date(2023, 3, 1))
    assert (claim.period_start, claim.period_end) == (date(2022, 10, 1), date(2023, 1, 31))


def test_a_date_in_the_source_after_a_figure_is_the_sources() -> None:
    """ "..., according to the agency's report for January" dates the report: the range
    before the figure is its period (it had been judged against January alone)."""
    text = (
        "Between October 1, 2022, and January 31, 2023, officers seized 9,000 pounds of "
        "fentanyl, according to the agency's report for January."
    )
    claim = _claim(text, "9,000", date(2023, 3, 1))
    assert (claim.period_start, claim.period_end) == (date(2022, 10, 1), date(2023, 1, 31))
