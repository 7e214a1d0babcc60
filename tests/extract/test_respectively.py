"""Figures given "respectively" take the listed periods in turn; a span of months
without "respectively" stays one period. Sentences written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.extract import DocumentMeta, extract_claims

META = DocumentMeta(published=date(2025, 8, 2))


def _periods(text: str) -> list[tuple[str, date | None, date | None]]:
    return [(c.text, c.period_start, c.period_end) for c in extract_claims(text, META)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Officers seized six and 14 kilograms of fentanyl at the northern border in January "
            "and February, respectively.",
            [
                ("six", date(2025, 1, 1), date(2025, 1, 31)),
                ("14 kilograms", date(2025, 2, 1), date(2025, 2, 28)),
            ],
        ),
        (
            "The agency reported 40 and 55 pounds of fentanyl in 2023 and 2024, respectively.",
            [
                ("40", date(2023, 1, 1), date(2023, 12, 31)),
                ("55 pounds", date(2024, 1, 1), date(2024, 12, 31)),
            ],
        ),
        (
            "They intercepted 3, 4 and 9 kg in 2021, 2022 and 2023 respectively, police said.",
            [
                ("3", date(2021, 1, 1), date(2021, 12, 31)),
                ("4", date(2022, 1, 1), date(2022, 12, 31)),
                ("9 kg", date(2023, 1, 1), date(2023, 12, 31)),
            ],
        ),
    ],
)
def test_respectively_pairs_figures_with_periods_in_turn(
    text: str, expected: list[tuple[str, date, date]]
) -> None:
    assert _periods(text) == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (
            "Agents seized 20 kg of fentanyl in January and February.",
            date(2025, 1, 1),
            date(2025, 2, 28),
        ),
        (
            "Agents seized 20 kg of fentanyl between January and March.",
            date(2025, 1, 1),
            date(2025, 3, 31),
        ),
    ],
)
def test_without_respectively_the_months_are_one_span(text: str, start: date, end: date) -> None:
    [(_, got_start, got_end)] = _periods(text)
    assert (got_start, got_end) == (start, end)


def test_a_figure_before_the_list_does_not_count() -> None:
    got = _periods(
        "Monthly hauls stayed at 0.4 kilograms or less until spring, but in June and July "
        "officers took nine and 17 kilograms of fentanyl, respectively."
    )
    assert got[1:] == [
        ("nine", date(2025, 6, 1), date(2025, 6, 30)),
        ("17 kilograms", date(2025, 7, 1), date(2025, 7, 31)),
    ]


def test_a_change_over_two_months_joined_by_and_keeps_both() -> None:
    [(_, start, end)] = _periods(
        "Overdose deaths in March and April 2025 were down 18% from the same months of 2024."
    )
    assert (start, end) == (date(2025, 3, 1), date(2025, 4, 30))


def test_lists_of_unequal_length_are_not_paired() -> None:
    got = _periods("Agents seized 14,700, 27,000 and 21,900 pounds in 2022 and 2023, respectively.")
    assert [start.year if start else None for _, start, _ in got] != [2022, 2023, 2023]
