"""An age range after the people it describes ("people 18-44") or before "-year-olds" is
no count. Written for these tests."""

from __future__ import annotations

from datetime import date

from borderflow.extract import DocumentMeta, extract_claims

META = DocumentMeta(published=date(2025, 7, 5))


def test_age_ranges_are_not_counts() -> None:
    for text in (
        "Overdoses are the leading cause of death for people 18-44 in the country.",
        "It is now the top killer of 18- to 44-year-olds.",
    ):
        assert extract_claims(text, META) == [], text
    found = extract_claims("Overdoses killed 40 people 18 to 44 in the county in 2024.", META)
    assert [c.text for c in found] == ["40 people"]
