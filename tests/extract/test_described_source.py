""" "..., the agency has reported": the body the text last named, never the drug the
sentence opens with. Written for these tests."""

from __future__ import annotations

from datetime import date

from borderflow.extract import DocumentMeta, extract_claims

META = DocumentMeta(published=date(2025, 7, 5))


def test_the_agency_is_the_one_named_before_not_the_drug() -> None:
    text = (
        "The Public Health Agency of Canada published its quarterly update on Wednesday.\n\n"
        "Fentanyl was involved in 78 percent of the deaths, the agency has reported."
    )
    [claim] = extract_claims(text, META)
    assert claim.speaker == "PHAC"


def test_a_named_subject_still_speaks() -> None:
    [claim] = extract_claims("Harbour Freight expects 2,000 new clients, the company said.", META)
    assert claim.speaker == "Harbour Freight"


def test_emphasis_and_stress_are_ways_of_saying() -> None:
    for verb in ("emphasized", "stressed", "maintained"):
        text = f'Dana Whitfield {verb}, "Under 1 per cent of the fentanyl comes from Canada."'
        [claim] = extract_claims(text, META)
        assert claim.speaker == "Dana Whitfield", verb
