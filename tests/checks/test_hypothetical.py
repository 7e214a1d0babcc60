"""What-ifs and forecasts are not counts: a figure a text gives as what would, could or
will happen is not judged against what official data say did happen (`checks.hypothetical`).
Sentences are written for these tests, after the patterns of news reporting."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.checks.data import OfficialData
from borderflow.checks.hypothetical import hypothetical_words
from tests.checks.judged import claim_quoting, headline_verdict

DAY = date(2025, 3, 10)


@pytest.mark.parametrize(
    ("text", "quote", "words"),
    [
        ("Without naloxone, the state's toll would have been close to 4,400 last year.",
         "4,400", "would have"),
        ("Analysts now say deaths could climb to 90,000 by 2026.", "90,000", "could climb"),
        ("Seizures at the northern border are expected to reach 60 pounds this fiscal year.",
         "60 pounds", "are expected"),
        ("The agency is on pace to intercept 25,000 pounds of fentanyl in fiscal 2025.",
         "25,000 pounds", "is on pace"),
        ("About 2,000 more people would have died had the drug not been available.",
         "2,000", "would have"),
        ("Officials forecast 80,000 overdose deaths for the year.", "80,000", "forecast"),
        ("Deaths will top 100,000 in 2026, the report warns.", "100,000", "will"),
        ("Officials say the toll could be as high as 95,000 next year.", "95,000", "could be"),
        ("Public health experts expected 120,000 deaths in 2023.", "120,000", "expected"),
        ("Fentanyl will kill 60,000 Americans in 2024, experts warn.", "60,000", "will"),
        ("Officials say agents will have seized 30,000 pounds by the end of fiscal 2024.",
         "30,000", "will"),
        ("Fentanyl deaths are projected by CDC modelers to reach 60,000 in 2024.", "60,000",
         "are projected"),
        ("Fentanyl deaths could rise again and top 60,000 in 2024.", "60,000", "could rise"),
        # "Predicted" as a verb, with its subject before it: a forecast still.
        ("The model predicted deaths of 90,000 in 2026.", "90,000", "predicted"),
        ("Analysts predicted deaths near 95,000 for 2026.", "95,000", "predicted"),
        # A model's predicted deaths, with no CDC or provisional data named: a forecast.
        ("A 2022 model put the predicted overdose deaths for 2024 at about 120,000.",
         "120,000", "predicted"),
    ],
)  # fmt: skip
def test_what_ifs_and_forecasts_are_found(text: str, quote: str, words: str) -> None:
    assert hypothetical_words(claim_quoting(text, quote, DAY)) == words


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Deaths fell to 80,000 in 2024, but experts say they will rise again.", "80,000"),
        ("Officers seized 43 pounds of fentanyl at the northern border in fiscal 2024.",
         "43 pounds"),
        ("As expected, CBP seized 21,900 pounds at the southwest border in fiscal 2024.",
         "21,900"),
        ("Deaths reached 112,000 in the 12 months to April, a record officials had predicted.",
         "112,000"),
        ("Officials expect the figure to rise; 43 pounds were seized in fiscal 2024.",
         "43 pounds"),
        ("The 54 kilograms seized could make 95 million doses.", "54 kilograms"),
        ("Deaths climbed to 118,000 in 2024 and will keep climbing, the agency said.",
         "118,000"),
        ("Seizures at the southwest border grew more than expected to 41,000 pounds in 2023.",
         "41,000"),
        ("CBP took 26,700 pounds at the southwest border in fiscal 2023 and will publish "
         "new figures next month.", "26,700"),
        ("Overdose deaths dropped to 80,391 in 2024 and are expected to drop again.",
         "80,391"),
        ("The CDC's tally of 80,391 deaths in 2024 is expected to rise a little as records "
         "are finalized.", "80,391"),
        ("The CDC's predicted provisional count of 80,391 deaths in 2024 is a steep drop.",
         "80,391"),
        ("Officials expect a hard year after CBP took 26,700 pounds in fiscal 2023.",
         "26,700"),
        ("Officials who will testify on Tuesday say 21,100 pounds were seized in fiscal 2024.",
         "21,100"),
        ("The 21,100 pounds seized in fiscal 2024 will be incinerated.", "21,100"),
        ("Almost 108,000 people died of overdoses in 2022, deaths that naloxone could have "
         "prevented.", "108,000"),
        ("The chief will testify before Congress that 21,100 pounds were seized in fiscal 2024.",
         "21,100"),
        ("Agents seized 21,100 pounds of fentanyl that could have killed millions.", "21,100"),
        ("Overdose deaths fell more than experts expected to 80,391 in 2024.", "80,391"),
        # CDC's predicted (adjusted provisional) deaths are counts of what happened.
        ("Predicted overdose deaths fell to about 80,400 in 2024, CDC figures show.",
         "80,400"),
        ("In predicted overdose deaths, CDC's provisional data show 80,391 for 2024.",
         "80,391"),
        ("CDC's predicted provisional deaths came to 80,391 for 2024.", "80,391"),
    ],
)  # fmt: skip
def test_counts_beside_a_forecast_are_counts(text: str, quote: str) -> None:
    assert hypothetical_words(claim_quoting(text, quote, DAY)) is None


def test_a_what_if_far_from_the_count_is_not_contradicted(data: OfficialData) -> None:
    text = "Without naloxone, U.S. overdose deaths would have reached 150,000 in 2023."
    verdict = headline_verdict(text, "150,000", data, DAY)
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert "would have" in verdict.explanation and "105,007" in verdict.explanation


def test_a_forecast_that_came_true_is_not_supported(data: OfficialData) -> None:
    text = (
        "In fiscal 2024 the agency was expected to seize 43 pounds of fentanyl at the "
        "northern border."
    )
    verdict = headline_verdict(text, "43 pounds", data, DAY)
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert "43.04" in verdict.explanation  # the comparison is kept for the reader


def test_the_same_count_said_as_fact_is_still_judged(data: OfficialData) -> None:
    text = "In fiscal 2024 the agency seized 43 pounds of fentanyl at the northern border."
    assert headline_verdict(text, "43 pounds", data, DAY).verdict == "supported"
