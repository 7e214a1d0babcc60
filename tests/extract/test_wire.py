"""Wire copy credits its service in the dateline; with no outlet given, the service is
the outlet its claims are credited to. Datelines written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.extract import DocumentMeta, extract_claims

META = DocumentMeta(published=date(2025, 4, 2))


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "EL PASO, Texas (AP) — Officers seized 1,200 pounds of fentanyl in March.",
            "Associated Press",
        ),
        ("VANCOUVER, Feb 3 (Reuters) - Police seized 20 kg of fentanyl in 2024.", "Reuters"),
        (
            "Border haul\n\nBy A. Writer\n\nNOGALES, Ariz. (AP) — Agents seized 300 pounds of "
            "fentanyl on Tuesday.",
            "Associated Press",
        ),
    ],
)
def test_the_dateline_credits_the_wire(text: str, speaker: str) -> None:
    [claim] = extract_claims(text, META)
    assert claim.speaker == speaker


def test_a_given_outlet_stays_and_brackets_elsewhere_credit_nobody() -> None:
    given = DocumentMeta(published=date(2025, 4, 2), outlet="Global News")
    [claim] = extract_claims("HALIFAX (CP) — Police seized 3 kg of fentanyl.", given)
    assert claim.speaker == "Global News"
    [claim] = extract_claims("Border officers (CBP) - seized 5 kg of fentanyl in May.", META)
    assert claim.speaker is None or claim.speaker == "CBP"
