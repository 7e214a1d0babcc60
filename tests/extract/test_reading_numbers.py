"""Reading numbers the way a careful reader does, in any kind of news: fractions, glued and
abbreviated units, units shared by ranges and lists, spelled counts, currency codes, signs,
numbers that are not amounts, and figures whose unit is left unsaid. Sentences written for
these tests."""

from __future__ import annotations

import math

import pytest

from borderflow.extract import Claim, extract_claims
from borderflow.extract.numbers import NumeralPatterns, parse_fraction_digits
from borderflow.extract.quantities import QuantityScanner
from borderflow.vocab import load_vocabulary

# (quote, value, unit, qualifier, value_max)
Expected = tuple[str, float, str | None, str, float | None]
Case = tuple[str, list[Expected], list[str]]


def _check(sentence: str, expected: list[Expected], absent: list[str]) -> list[str]:
    claims = extract_claims(sentence)
    problems = []
    for quote, value, unit, qualifier, value_max in expected:
        claim = _find(claims, sentence, quote)
        if claim is None:
            problems.append(f"{quote!r}: not read (got {[c.text for c in claims]})")
            continue
        got = (claim.value, claim.unit, claim.qualifier, claim.value_max)
        ok = (
            math.isclose(claim.value, value, rel_tol=1e-6)
            and claim.unit == unit
            and claim.qualifier == qualifier
            and (value_max is None) == (claim.value_max is None)
            and (value_max is None or math.isclose(claim.value_max or 0, value_max))
        )
        if not ok:
            problems.append(f"{quote!r}: expected {(value, unit, qualifier, value_max)}, got {got}")
    for quote in absent:
        start = sentence.find(quote)
        assert start >= 0, f"bad test: {quote!r} not in {sentence!r}"
        hit = [c for c in claims if c.start < start + len(quote) and start < c.end]
        if hit:
            problems.append(f"{quote!r} is not an amount, got {hit[0].text!r}")
    return problems


def _find(claims: list[Claim], sentence: str, quote: str) -> Claim | None:
    start = sentence.find(quote)
    assert start >= 0, f"bad test: {quote!r} not in {sentence!r}"
    end = start + len(quote)
    return next((c for c in claims if c.start < end and start < c.end), None)


FRACTIONS: list[Case] = [
    (
        "Inspectors at the Lacolle crossing found 3 1/4 pounds of cocaine under a seat.",
        [("3 1/4 pounds", 3.25, "lb", "exact", None)],
        [],
    ),
    (
        "The recipe calls for 1/2 cup of sugar, and the loaf weighs 2½ pounds.",
        [("2½ pounds", 2.5, "lb", "exact", None)],
        [],
    ),
    (
        "The marathon leader opened a gap of one and a half minutes after three and a half hours.",
        [
            ("one and a half minutes", 1.5, "minutes", "exact", None),
            ("three and a half hours", 3.5, "hours", "exact", None),
        ],
        [],
    ),
    (
        "Wind power supplied one-fifth of 1 per cent of the grid's output in January.",
        [("one-fifth of 1 per cent", 0.2, "percent", "exact", None)],
        [],
    ),
    (
        # A denominator past nine in digits, as some style guides write it; a bare ordinal
        # in digits is still no fraction.
        "Solar made up one-10th of 1 per cent of supply; the 10th turbine came online in May.",
        [("one-10th of 1 per cent", 0.1, "percent", "exact", None)],
        [],
    ),
    (
        "A third of the apartments built last year remain empty, and two-thirds of those are "
        "studios.",
        [
            ("A third", 33.33, "percent", "exact", None),
            ("two-thirds", 66.67, "percent", "exact", None),
        ],
        [],
    ),
    (
        "The barge lost half a ton of grain and the truck half-a-ton of gravel.",
        [("half a ton", 0.5, "ton", "exact", None), ("half-a-ton", 0.5, "ton", "exact", None)],
        [],
    ),
    (
        "The heist netted nearly three-quarters of a kilogram of gold and a pound and a half of "
        "silver.",
        [
            ("nearly three-quarters of a kilogram", 0.75, "kg", "approx", None),
            ("a pound and a half", 1.5, "lb", "exact", None),
        ],
        [],
    ),
    (
        "Home sales fell by about a fifth from the year before, the real estate board said.",
        [("about a fifth", 20, "percent", "approx", None)],
        [],
    ),
    (
        "The club won its first half of the season and a third straight title.",
        [],
        ["first half", "a third straight"],
    ),
]

GLUED: list[Case] = [
    (
        "Crews pumped 1,200L of diesel, 25kg of sand, 12lbs of salt and 500 mL of dye.",
        [
            ("1,200L", 1200, "L", "exact", None),
            ("25kg", 25, "kg", "exact", None),
            ("12lbs", 12, "lb", "exact", None),
            ("500 mL", 500, "mL", "exact", None),
        ],
        [],
    ),
    (
        "Items seized:\n- 25kg of cocaine\n- 4.5L of liquid meth\n- 3 handguns",
        [
            ("25kg", 25, "kg", "exact", None),
            ("4.5L", 4.5, "L", "exact", None),
            ("3 handguns", 3, "firearms", "exact", None),
        ],
        [],
    ),
    (
        "Gusts of up to 90km/h are forecast, and the plant ships 20,000 bbl/d of crude.",
        [
            ("up to 90km/h", 90, "km/h", "at_most", None),
            ("20,000 bbl/d", 20000, "barrel/day", "exact", None),
        ],
        [],
    ),
    (
        "The shipment was about 40 kilograms' worth of powder.",
        [("about 40 kilograms", 40, "kg", "approx", None)],
        [],
    ),
]

SHARED: list[Case] = [
    (
        "Forecasters expect between five and 12 centimetres of snow, or between 4 and 9 kg per "
        "square metre.",
        [("between 4 and 9 kg", 4, "kg", "exact", 9)],
        [],
    ),
    (
        "Each crate held between five and 12 kilograms of coffee.",
        [("between five and 12 kilograms", 5, "kg", "exact", 12)],
        [],
    ),
    (
        "Anglers landed fish of 3, 5 and 8 pounds on the lake.",
        [
            ("3", 3, "lb", "exact", None),
            ("5", 5, "lb", "exact", None),
            ("8 pounds", 8, "lb", "exact", None),
        ],
        [],
    ),
    (
        "The firm expects revenue of between $1.8 and $2.1 billion this year.",
        [("between $1.8 and $2.1 billion", 1.8e9, "USD", "exact", 2.1e9)],
        [],
    ),
    (
        "Another 1 1/2 to 2 inches of rain could fall, after 4 1/2 feet of snow last week.",
        [("4 1/2 feet", 4.5, "ft", "exact", None)],
        [],
    ),
    (
        "The House passed the bill 218 to 197.",
        [("218", 218, None, "exact", None), ("197", 197, None, "exact", None)],
        [],
    ),
]

COUNTS: list[Case] = [
    (
        "Soldiers shot down three drones and logged nine seizure events, with a dozen officers "
        "on watch.",
        [
            ("three drones", 3, "drones", "exact", None),
            ("nine seizure events", 9, "seizures", "exact", None),
            ("a dozen officers", 12, "officers", "exact", None),
        ],
        [],
    ),
    (
        "Fourteen Republicans crossed the aisle and seven new council members were sworn in.",
        [
            ("Fourteen Republicans", 14, "people", "exact", None),
            ("seven new council members", 7, "members", "exact", None),
        ],
        [],
    ),
    (
        "Police recovered more than a pound of heroin and a kilogram of ketamine.",
        [
            ("more than a pound", 1, "lb", "more_than", None),
            ("a kilogram", 1, "kg", "exact", None),
        ],
        [],
    ),
    (
        "One of the officers said the two suspects fled, and one of them was caught.",
        [("two suspects", 2, "suspects", "exact", None)],
        ["One of the", "one of them"],
    ),
    (
        "The Leafs have won 12 games and lost six of their past eight.",
        [
            ("12 games", 12, "games", "exact", None),
            ("six", 6, "games", "exact", None),
            ("eight", 8, "games", "exact", None),
        ],
        [],
    ),
    (
        "The party took 14 of the 24 seats, and the Greens the remaining four.",
        [
            ("14", 14, "seats", "exact", None),
            ("24 seats", 24, "seats", "exact", None),
            ("four", 4, "seats", "exact", None),
        ],
        [],
    ),
    (
        "Just one in 10 voters backed the plan, while seven out of 10 opposed it.",
        [
            ("one in 10", 10, "percent", "exact", None),
            ("seven out of 10", 70, "percent", "exact", None),
        ],
        [],
    ),
    (
        "Home prices more than doubled in a decade, and rents rose nearly sixfold.",
        [
            ("more than doubled", 2, "times", "more_than", None),
            ("nearly sixfold", 6, "times", "approx", None),
        ],
        ["in a decade"],
    ),
    (
        "The minister doubled down on the plan, and buses run twice a day.",
        [],
        ["doubled", "twice"],
    ),
]

MONEY: list[Case] = [
    (
        "A plate of nasi lemak costs RM12.40, and the rail link INR2 trillion.",
        [("RM12.40", 12.4, "MYR", "exact", None), ("INR2 trillion", 2e12, "INR", "exact", None)],
        [],
    ),
    (
        "The startup raised AUD3.2m after its rival took USD25m.",
        [("AUD3.2m", 3.2e6, "AUD", "exact", None), ("USD25m", 2.5e7, "USD", "exact", None)],
        [],
    ),
    (
        "The miner spent $US40 billion, Canberra $A15 million and Ottawa C$1.3 billion.",
        [
            ("$US40 billion", 4e10, "USD", "exact", None),
            ("$A15 million", 1.5e7, "AUD", "exact", None),
            ("C$1.3 billion", 1.3e9, "CAD", "exact", None),
        ],
        [],
    ),
    (
        "The scheme will cost ₹78,000 crore, and incomes up to ₹7 lakh are exempt.",
        [
            ("₹78,000 crore", 7.8e11, "INR", "exact", None),
            ("up to ₹7 lakh", 7e5, "INR", "at_most", None),
        ],
        [],
    ),
    (
        "Police seized syabu worth RM12.5mil in the raid.",
        [("RM12.5mil", 1.25e7, "MYR", "exact", None)],
        [],
    ),
    (
        "Gas fell about 9 cents overnight, and a coffee costs 4.5c more.",
        [
            ("about 9 cents", 0.09, "USD", "approx", None),
            ("4.5c", 0.045, "USD", "exact", None),
        ],
        [],
    ),
    (
        "The fund will send $3 billion to Ohio and another 1.2 to Texas.",
        [("$3 billion", 3e9, "USD", "exact", None), ("1.2", 1.2e9, "USD", "exact", None)],
        [],
    ),
    (
        "Gold hit $2,400 an ounce while a litre of milk is $2 a litre.",
        [("$2,400 an ounce", 2400, "USD", "exact", None)],
        ["a litre of"],
    ),
]

SIGNS: list[Case] = [
    (
        "Overnight lows of minus-3 are expected, and the index fell -2.4% on the day.",
        [("minus-3", -3, None, "exact", None), ("-2.4%", -2.4, "percent", "exact", None)],
        [],
    ),
    (
        "Her approval rating sits at plus-14.",
        [("plus-14", 14, None, "exact", None)],
        [],
    ),
    (
        "Highlights:\n-25kg of hashish\n- 3 rifles",
        [("25kg", 25, "kg", "exact", None), ("3 rifles", 3, "firearms", "exact", None)],
        [],
    ),
]

NOT_AMOUNTS: list[Case] = [
    (
        "The lab held 2,4-dinitrophenol, 4-ANPP and 1-boc-4-piperidone, records under Bill C-2 "
        "and Form I-9 show.",
        [],
        ["2,4-dinitrophenol", "4-ANPP", "1-boc-4-piperidone", "C-2", "I-9"],
    ),
    (
        "Shares of the Galaxy S24 maker rose as the FTSE 100 and the S&P 500 fell, and the "
        "Boeing 737 jets stayed grounded.",
        [],
        ["S24", "FTSE 100", "S&P 500", "737"],
    ),
    (
        "How markets closed:\n- Nikkei 225: -1.2%\n- DAX 40: -0.8%",
        [("-1.2%", -1.2, "percent", "exact", None), ("-0.8%", -0.8, "percent", "exact", None)],
        ["225", "DAX 40"],
    ),
    (
        "The hearing starts at 9 a.m. and breaks at 10:30, with No. 17 on the docket.",
        [],
        ["9 a.m.", "10:30", "17"],
    ),
    (
        "The 45-year-old was charged, a 19-year-old from Laval was released, and the two "
        "men, aged 33 and 38, face trial.",
        [("two men", 2, "people", "exact", None)],
        ["45-year-old", "19-year-old", "33", "38"],
    ),
    (
        "It is now the leading killer of adults between the ages of 18 and 45 in the state.",
        [],
        ["18", "45"],
    ),
    (
        "She finished 3rd in the 5,000 metres, her 2nd medal, on Apple's iPhone 16 launch day.",
        [("5,000 metres", 5000, "m", "exact", None)],
        ["3rd", "2nd", "16"],
    ),
    (
        "The new 5G towers and 3D scanners arrived in the past 12 months.",
        [],
        ["5G", "3D", "12 months"],
    ),
]

ELLIPSIS: list[Case] = [
    (
        "Police seized 40 kilograms of cocaine and another five that had been diluted.",
        [("40 kilograms", 40, "kg", "exact", None), ("five", 5, "kg", "exact", None)],
        [],
    ),
    (
        "The 4 kilograms seized in Surrey equal about 2 million doses, and the 1.6 kilograms "
        "found in Burnaby another 800,000.",
        [("800,000", 800000, "doses", "exact", None)],
        [],
    ),
    (
        "Agents found 43 pounds out of nearly 22,000 seized nationwide.",
        [("nearly 22,000", 22000, "lb", "approx", None)],
        [],
    ),
    (
        "Ridership grew from about 4,500 riders to more than 12,000 by spring.",
        [("more than 12,000", 12000, "riders", "more_than", None)],
        [],
    ),
    (
        "About 130 people a day died in 2024, down from more than 200 a day the year before.",
        [("more than 200 a day", 200, "deaths/day", "more_than", None)],
        [],
    ),
]

RATES_AND_BOUNDS: list[Case] = [
    (
        "Output fell to 26,000 barrels a year earlier, and a 2.4mg weekly dose costs £73 a month.",
        [
            ("26,000 barrels", 26000, "barrel", "exact", None),
            ("2.4mg", 2.4, "mg", "exact", None),
            ("£73 a month", 73, "GBP/month", "exact", None),
        ],
        [],
    ),
    (
        "The press can stamp 10,000 tablets an hour, and drivers may cover 50 miles or more.",
        [
            ("10,000 tablets an hour", 10000, "doses/hour", "exact", None),
            ("50 miles or more", 50, "mi", "at_least", None),
        ],
        [],
    ),
    (
        "The fire spread over four days along more than a mile of ridge in less than an hour, "
        "and the jobless rate rose, pushing it up to 7.1 per cent.",
        [
            ("four days", 4, "days", "exact", None),
            ("more than a mile", 1, "mi", "more_than", None),
            ("less than an hour", 1, "hours", "less_than", None),
            ("7.1 per cent", 7.1, "percent", "exact", None),
        ],
        [],
    ),
    (
        "The match lasted three hours and 20 minutes, and the winner was buried under 2 feet "
        "of confetti.",
        [
            ("three hours and 20 minutes", 200, "minutes", "exact", None),
            ("2 feet", 2, "ft", "exact", None),
        ],
        [],
    ),
    (
        "The powder was enough to kill 500,000 people, and 48 people died of overdoses.",
        [
            ("500,000 people", 500000, "people", "exact", None),
            ("48 people", 48, "deaths", "exact", None),
        ],
        [],
    ),
    # A count with no noun counts the dead when its verb follows; other verbs say nothing.
    (
        "More than 1,100 died in the first half of the year, and at least 40 were killed in "
        "one weekend.",
        [
            ("More than 1,100", 1100, "deaths", "more_than", None),
            ("at least 40", 40, "deaths", "at_least", None),
        ],
        [],
    ),
    ("Some 300 were treated and released.", [("Some 300", 300, None, "approx", None)], []),
    # Death words are whole words: "deadly", "San Diego" and "the lives of" count no dead.
    (
        "Deadly fentanyl sent 100,000 Americans to emergency rooms, agents in San Diego "
        "detained 45 people, and the crisis upended the lives of 2,000 people.",
        [
            ("100,000 Americans", 100_000, "people", "exact", None),
            ("45 people", 45, "people", "exact", None),
            ("2,000 people", 2000, "people", "exact", None),
        ],
        [],
    ),
    (
        "About 5,000 people overdosed in 2023.",
        [("About 5,000 people", 5000, "deaths", "approx", None)],
        [],
    ),
    # A range written with a hyphen rises; a score, a name, a year span or a date is no range.
    (
        "Agents caught 5-10% of it, 40-50 kg a month, and 0.5-1.5 kg at a time, for $5-10 "
        "million, while the 25-34 age group suffered most.",
        [
            ("5-10%", 5, "percent", "exact", 10),
            ("40-50 kg", 40, "kg/month", "exact", 50),
            ("0.5-1.5 kg", 0.5, "kg", "exact", 1.5),
            ("$5-10 million", 5_000_000, "USD", "exact", 10_000_000),
        ],
        ["25", "34"],
    ),
    (
        "The board voted 3-1 after COVID-19 closed I-95 from 2019-2023.",
        [],
        ["1", "19", "95", "2023"],
    ),
    # A bottom without the top's thousands, a day range after a month, and an age range
    # in years are no ranges of amounts.
    (
        "From Jan. 5-10, agents seized 2-5,000 pounds, most of it from 25-34 year olds.",
        [],
        ["10", "5,000", "25", "34"],
    ),
]

ALL = {
    "fractions": FRACTIONS,
    "glued": GLUED,
    "shared": SHARED,
    "counts": COUNTS,
    "money": MONEY,
    "signs": SIGNS,
    "not_amounts": NOT_AMOUNTS,
    "ellipsis": ELLIPSIS,
    "rates_and_bounds": RATES_AND_BOUNDS,
}
PARAMS = [(group, *case) for group, cases in ALL.items() for case in cases]


@pytest.mark.parametrize(
    ("group", "sentence", "expected", "absent"),
    PARAMS,
    ids=[f"{p[0]}: {p[1][:40]}" for p in PARAMS],
)
def test_reads_numbers(
    group: str, sentence: str, expected: list[Expected], absent: list[str]
) -> None:
    problems = _check(sentence, expected, absent)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2 1/4", 2.25),
        ("1/2", 0.5),
        ("10-3/4", 10.75),
        ("2½", 2.5),
        ("¾", 0.75),
        ("5 5/16", 5.3125),
    ],
)
def test_fraction_digits(raw: str, value: float) -> None:
    assert math.isclose(parse_fraction_digits(raw), value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("a third", 1 / 3), ("two-fifths", 0.4), ("half", 0.5), ("three quarters", 0.75),
     ("one tenth", 0.1), ("third", None), ("the", None)],
)  # fmt: skip
def test_spelled_fractions(text: str, value: float | None) -> None:
    parsed = NumeralPatterns(load_vocabulary()).parse_fraction(text)
    assert (parsed is None) == (value is None)
    assert parsed is None or value is None or math.isclose(parsed, value, rel_tol=1e-9)


def test_five_and_twelve_are_two_numbers_one_hundred_and_five_is_one() -> None:
    numerals = NumeralPatterns(load_vocabulary())
    text = "between five and twelve, one hundred and five"
    assert [n.value for n in numerals.scan(text, 0, len(text))] == [5, 12, 105]


def test_metric_hook_reads_a_ton_as_a_tonne() -> None:
    scanner = QuantityScanner(load_vocabulary())
    text = "Mounties seized half a ton of precursors and 2 short tons of salt."
    us = scanner.scan(text, 0, len(text))
    metric = scanner.scan(text, 0, len(text), metric=True)
    assert [q.unit for q in us] == ["ton", "ton"]
    assert us[0].metric_unit == "tonne" and us[1].metric_unit is None
    assert [q.unit for q in metric] == ["tonne", "ton"]
    assert metric[0].normalized_value == 500.0


def test_earlier_sentence_lends_its_unit() -> None:
    scanner = QuantityScanner(load_vocabulary())
    text = (
        "Customs made 1,950 seizures in the blitz, about 48,700 kilograms in all. Of those, 88 "
        "involved fentanyl. That was roughly 25,000 fewer than a year earlier."
    )
    second = text.index("Of those")
    third = text.index("That was")
    first = scanner.scan(text, 0, second)
    [of_those] = scanner.scan(text, second, third, earlier=first)
    [fewer] = scanner.scan(text, third, len(text), earlier=first)
    assert (of_those.value, of_those.unit) == (88, "seizures")
    assert (fewer.value, fewer.unit) == (25000, "kg")
    assert scanner.scan(text, second, third) == [
        q for q in scanner.scan(text, second, third) if q.unit is None
    ]


def test_a_name_ending_in_a_count_noun_is_not_what_a_number_counts() -> None:
    """ "the United States" ends in "States", a count noun: the figure after it counts the
    deaths named before it, not states."""
    found = extract_claims("Overdose deaths in the United States rose to 105,000 in 2023.")
    assert [(c.unit, c.measure) for c in found] == [("deaths", "deaths")]
    [states] = extract_claims("Of the 50 states, 12 reported fewer deaths.")[:1]
    assert states.unit == "countries"


@pytest.mark.parametrize(
    "text",
    [
        "The decline in overdose deaths means more than 81 lives are saved every day.",
        "Naloxone kits handed out last year saved 1,200 lives in the province.",
        "Health officials say about 300 lives were spared each month by the program.",
        "The drop suggests 81 lives saved every day across the country.",
    ],
)
def test_lives_saved_are_no_deaths(text: str) -> None:
    found = [c for c in extract_claims(text) if "lives" in c.text or "lives" in c.unit]
    assert found and all(c.measure != "deaths" for c in found), [(c.text, c.measure) for c in found]


def test_lives_lost_are_still_deaths() -> None:
    found = extract_claims("Overdoses claimed 1,200 lives in the province last year.")
    assert [c.measure for c in found if "1,200" in c.text] == ["deaths"]
