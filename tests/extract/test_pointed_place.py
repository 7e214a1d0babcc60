"""A death count whose own sentence names no country takes the one its paragraph points
to: "there" (the place last named), or a paragraph that opens on that country's deaths;
else the one the article's lead opens on, when the lead is about deaths and no other
country is named since; never a country a paragraph or lead opens on about something
else. Written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.extract import Claim, DocumentMeta, extract_claims

US_OUTLET = DocumentMeta(published=date(2025, 6, 2), outlet="The Washington Post")


def _one(text: str, quote: str) -> Claim:
    start = text.index(quote)
    found = [c for c in extract_claims(text, US_OUTLET) if c.start <= start < c.end]
    assert len(found) == 1, quote
    return found[0]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            "Canada has seen a smaller decline. Some 7,146 people died of opioid toxicity there "
            "in 2024, federal figures show.",
            "7,146 people",
        ),
        (
            "Mexico rarely publishes its toll. About 2,000 people died of overdoses in that "
            "country last year, researchers estimate.",
            "2,000 people",
        ),
        (
            "In Canada, overdose deaths have fallen more slowly. An estimated 21 people a day "
            "died of opioid poisoning in 2024.",
            "21 people a day",
        ),
        (
            "Canada's overdose toll is falling too. Opioids killed 7,146 people in 2024.",
            "7,146 people",
        ),
        # "Toxicity" puts the opening on deaths (a vocabulary context word, no measure cue).
        (
            "In Canada, opioid toxicity remains a national crisis. About 8,000 people died "
            "in 2023.",
            "About 8,000 people",
        ),
        # The opening's death words are the vocabulary's: a counted noun, a phrase.
        (
            "In Mexico, fatalities linked to opioids are rarely tallied. About 2,000 people "
            "died of overdoses in 2023, a local study found.",
            "About 2,000",
        ),
        (
            "Across Canada, more people lost their lives to toxic drugs in the spring. "
            "About 600 died in May alone.",
            "About 600",
        ),
        # The country named at the end of an opening about deaths, not at its head.
        (
            "The data point to a 15 per cent drop in opioid deaths last year in Canada. In "
            "all, roughly 6,900 people died in 2024.",
            "roughly 6,900 people",
        ),
    ],
)
def test_the_paragraph_names_the_country(text: str, quote: str) -> None:
    claim = _one(text, quote)
    place = "Mexico" if "Mexico" in text else "Canada"
    assert (claim.measure, claim.place) == ("deaths", place)
    assert claim.agency != "CDC"
    if "figures show" in text:  # PHAC is implied by a mention of official data
        assert claim.agency == "PHAC"


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # The opening is about the drug trade, not deaths: the count is the outlet's own.
        (
            "Canada supplies only a sliver of the fentanyl U.S. officers seize, officials say. "
            "Overdose deaths dropped to about 80,000 in 2024.",
            "about 80,000",
        ),
        # The agency says whose count it is.
        (
            "In Canada, overdose deaths fell last year. Some 80,391 people died of drug "
            "overdoses in 2024, the CDC said.",
            "80,391",
        ),
        # Where the drug came from is not where people died.
        (
            "Mexico remains the main source of the drug. Fentanyl smuggled from there killed "
            "80,391 people in 2024.",
            "80,391",
        ),
        # A sentence pointed to that names two countries does not say which.
        (
            "The United States still has the highest toll, well above Canada. Some 80,391 "
            "people died of drug overdoses there in 2024.",
            "80,391",
        ),
        (
            "In Canada and the United States, overdose deaths fell. About 80,000 people died "
            "in 2024.",
            "80,000",
        ),
        # A count that names its people names its country.
        ("In Canada, overdose deaths fell. About 80,000 Americans died in 2024.", "80,000"),
        # "there" as in "there were" points nowhere.
        (
            "Canada has seen a smaller decline. In 2024 there were 80,391 overdose deaths in "
            "the 12 months to December.",
            "80,391",
        ),
    ],
)
def test_no_country_is_pointed_to(text: str, quote: str) -> None:
    claim = _one(text, quote)
    assert claim.measure == "deaths" and claim.place is None
    assert claim.agency != "PHAC"


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # A headline on one country's deaths, the count paragraphs later.
        (
            "Canada's opioid deaths fell again in 2024\n\nHealth officials released the "
            "yearly figures on Wednesday.\n\nIn all, 7,146 people died of apparent opioid "
            "toxicity last year.",
            "7,146 people",
        ),
        # A lead that opens on the country's deaths across it.
        (
            "Across Canada, overdose deaths declined last year, federal figures show.\n\nThe "
            "drop was steepest among men.\n\nSome 7,146 people died in 2024.",
            "7,146 people",
        ),
        # Places of the same country after the lead keep it.
        (
            "Canada's toll of opioid deaths eased in 2024.\n\nBritish Columbia still counts "
            "the most of any province.\n\nNationally, 7,146 people died.",
            "7,146 people",
        ),
    ],
)
def test_the_lead_names_the_country(text: str, quote: str) -> None:
    assert _one(text, quote).place == "Canada"


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # The lead is about something other than deaths.
        (
            "Fentanyl made in Canada rarely crosses the border, officials say.\n\nLast year "
            "80,391 people died of overdoses.",
            "80,391 people",
        ),
        # Another country is named between the lead and the count.
        (
            "Canada's opioid deaths fell in 2024.\n\nIn Mexico, the cartels keep their labs "
            "running.\n\nSome 7,146 people died last year.",
            "7,146 people",
        ),
        # The lead names two countries.
        (
            "Overdose deaths fell in both Canada and the United States in 2024.\n\nSome "
            "80,391 people died of overdoses.",
            "80,391 people",
        ),
        # The lead's country is not its subject.
        (
            "Officials said overdose deaths fell, citing cooperation with Canada.\n\nSome "
            "80,391 people died in 2024.",
            "80,391 people",
        ),
        # The first paragraph names no place; a later one on Canada is no lead.
        (
            "Overdose deaths dropped steeply last year.\n\nIn Canada, opioid deaths fell "
            "too, if less.\n\nIn all, 80,391 people died of drug overdoses in 2024.",
            "80,391 people",
        ),
        # The text turns to the writer's own country or to its people.
        (
            "Canada's overdose deaths fell 9 per cent last year, much less than this "
            "country's.\n\nNationwide, 80,391 people died in 2024.",
            "80,391 people",
        ),
        (
            "Canada's opioid deaths fell in 2024.\n\nAmericans saw a steeper drop.\n\n"
            "Some 80,391 people died of overdoses.",
            "80,391 people",
        ),
        (
            "Canada's opioid deaths fell in 2024.\n\nHere, 80,391 people died of drug overdoses.",
            "80,391 people",
        ),
        # A wire dateline after a headline on another country.
        (
            "Canada's drug crisis eases as deaths fall\n\nBy Jane Roe\n\nWASHINGTON — "
            "Some 80,391 people died of overdoses in 2024.",
            "80,391 people",
        ),
        # A lead on a province: its count may be the province's or the nation's.
        (
            "In British Columbia, toxic drug deaths fell 13 per cent last year.\n\nIn all, "
            "7,146 people died.",
            "7,146 people",
        ),
    ],
)
def test_no_country_comes_from_the_lead(text: str, quote: str) -> None:
    assert _one(text, quote).place in (None, "United States")


def test_a_count_that_names_its_people_keeps_them() -> None:
    text = "Canada's opioid deaths fell in 2024.\n\nIn all, 80,391 Americans died of overdoses."
    assert _one(text, "80,391 Americans").place != "Canada"
