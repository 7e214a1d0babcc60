"""Where a figure was found and whose count it is, when a text names a destination or a
province: written for these tests, after the patterns of Canadian agency releases."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.extract import DocumentMeta, extract_claims

META = DocumentMeta(published=date(2025, 5, 28))


def test_a_destination_is_not_where_the_figure_was_found() -> None:
    [claim] = extract_claims(
        "Of those seizures, 2.1 kg of fentanyl was headed to the United States.", META
    )
    assert (claim.place, claim.destination) == (None, "United States")


def test_a_border_seizure_in_a_province_is_not_cbps() -> None:
    text = (
        "Border officers in Alberta seized 3.2 kg of fentanyl in parcels bound for the U.S. "
        "during the month-long operation at the northern border."
    )
    [claim] = [c for c in extract_claims(text, META) if c.text == "3.2 kg"]
    assert claim.place == "Alberta" and claim.agency != "CBP"


def test_a_border_seizure_a_canadian_paper_reports_is_still_cbps() -> None:
    text = "U.S. officers seized 43 pounds of fentanyl at the northern border in fiscal 2024."
    meta = DocumentMeta(published=date(2025, 1, 5), outlet="CBC News")
    [claim] = extract_claims(text, meta)
    assert claim.agency == "CBP"


def test_two_countries_named_together_are_the_figures_place() -> None:
    [claim] = extract_claims(
        "Nearly 90,000 people in Canada and the United States died of opioid overdoses "
        "in 2022, the commission estimated.",
        META,
    )
    assert claim.place == "Canada and United States"


def test_a_country_named_apart_is_not_joined() -> None:
    claims = extract_claims(
        "Canada recorded 7,300 opioid deaths in 2024, while the United States counted far more.",
        META,
    )
    assert [c.place for c in claims] == ["Canada"]


def test_a_place_only_near_the_figure_does_not_take_cbp_away() -> None:
    for text in (
        "Officers at the Otay Mesa crossing near Tijuana seized 900 pounds of fentanyl.",
        "Along the northern border with British Columbia, officers seized 9 pounds of fentanyl.",
    ):
        [claim] = extract_claims(text, META)
        assert claim.agency == "CBP", text


@pytest.mark.parametrize(
    "text",
    [
        "The United States and Canada together lost about 81,000 people to fentanyl in 2022.",
        "Canada and the U.S. recorded roughly 54,000 fentanyl deaths combined in 2024.",
        "Fentanyl killed about 82,000 people in 2023 in both the United States and Canada.",
    ],
)
def test_a_pair_as_subject_or_together_is_the_place(text: str) -> None:
    [claim] = extract_claims(text, META)
    assert claim.place in ("United States and Canada", "Canada and United States")


def test_a_pair_as_an_object_or_beside_a_seizure_is_not() -> None:
    text = "Trump imposed tariffs on Canada and Mexico after 80,391 Americans died in 2024."
    assert " and " not in (extract_claims(text, META)[0].place or "")
    text = (
        "Mexico and the United States agreed to act after 21,100 pounds of fentanyl were "
        "seized at the southwest border in fiscal 2024."
    )
    assert " and " not in (extract_claims(text, META)[0].place or "")
