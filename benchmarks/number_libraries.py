"""Reading numbers: borderflow's own reader against two libraries, each on its own job.

- Spelled-out numbers ("twenty-five", "two and a half", "a dozen", "one in 10"): borderflow
  against text2num (`alpha2digit`, English, threshold 0 so that "two" is converted too),
  which reads spelled numbers in text.
- Money ("$US40 billion", "RM12.40", "C$1.3 billion", "12 cents"): borderflow against
  price-parser (`Price.fromstring`), which reads a price and its currency.

Cases are the figures of the labelled reading set (tests/labels/reading/*.yaml) whose quote
spells a number or states money, plus the cases written below. borderflow reads the whole
passage and is scored on the figure overlapping the quote; each library is given the quote
alone (an easier task) and is scored on the first number it returns. Money is right when the
value and the written currency are: a bare "$", "dollars" or "cents" may be any dollar (the
country is the pipeline's later call), so only the value is compared for those. price-parser
returns the currency as written ("C$", "RM"); it is mapped to ISO codes with borderflow's
own currency table, in the library's favour.

Run: `.venv/bin/python benchmarks/number_libraries.py` (appends to RESULTS.md);
`--no-record` prints only; `--misses` lists each case a reader gets wrong.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.labels.reading_set import load_all

from _common import record, table
from borderflow.extract import extract_claims
from borderflow.vocab import load_vocabulary

VOCAB = load_vocabulary()
# A number word spells the figure; "million" after digits ("1.3 million") does not.
_NUMBER_WORDS = "|".join(sorted([*VOCAB.ones, *VOCAB.tens, "hundred", "thousand", "dozen"]))
_SPELLED = re.compile(rf"(?i)\b(?:{_NUMBER_WORDS}|half|third|quarter|fifth|tenth|twice|doubled)")
_FRACTION = re.compile(r"(?i)\b(?:half|third|quarters?|fifths?|tenth|and a half)\b")
_INDEFINITE = re.compile(r"(?i)\b(?:an?\s+(?:dozen|kilogram|pound|ton|mile|foot|hour|litre))\b")
_RATIO = re.compile(r"(?i)\b(?:twice|doubled|tripled|halved|\w+fold|one in|out of)\b")
_MONEY_CODE = re.compile(r"(?:[A-Z]{2,3}\d|\$[A-Z]|[A-Z]{1,3}\$|[A-Z]{3}\s)")
_CENTS = re.compile(r"(?i)\d\s*(?:cents?\b|c\b)")
_SCALE = re.compile(r"(?i)\d\s*(?:million|billion|trillion|lakh|crore|bn|m|mil|k)\b")
_BARE = re.compile(r"(?:^|[^A-Za-z$])\$(?![A-Z])|dollars|cents?\b|\dc\b")
_FIRST_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Case:
    """One figure: the passage, its quote, the value a reader should take and, for money
    with a written currency, its ISO code."""

    job: str  # spelled | money
    group: str
    source: str  # labelled set | own cases
    text: str
    quote: str
    value: float
    currency: str | None


# Own cases, general news; (job, passage, quote, value, currency or None).
OWN: list[tuple[str, str, str, float, str | None]] = [
    ("spelled", "Forty-two senators voted against the bill.", "Forty-two senators", 42, None),
    (
        "spelled",
        "The storm left two hundred thousand homes dark.",
        "two hundred thousand",
        2e5,
        None,
    ),
    (
        "spelled",
        "The recount found one hundred and five spoiled ballots.",
        "one hundred and five",
        105,
        None,
    ),
    ("spelled", "Rescuers pulled nine climbers from the ridge.", "nine climbers", 9, None),
    ("spelled", "The team has won eleven straight games.", "eleven straight games", 11, None),
    (
        "spelled",
        "She ran two and a half kilometres before dawn.",
        "two and a half kilometres",
        2.5,
        None,
    ),
    (
        "spelled",
        "Prices rose by a third of a percentage point.",
        "a third of a percentage point",
        0.3333333333,
        None,
    ),
    ("spelled", "Roughly a quarter of voters stayed home.", "a quarter", 25, None),
    ("spelled", "The harvest came in at half a tonne per hectare.", "half a tonne", 0.5, None),
    ("spelled", "A dozen flights were cancelled at Pearson.", "A dozen flights", 12, None),
    ("spelled", "Crews found more than a kilogram of gold dust.", "a kilogram", 1, None),
    ("spelled", "Rents have more than doubled since 2015.", "doubled", 2, None),
    ("spelled", "Just one in five households owns a heat pump.", "one in five", 20, None),
    ("spelled", "Three out of 10 respondents said they would move.", "Three out of 10", 30, None),
    ("spelled", "Output grew sixfold in a decade.", "sixfold", 6, None),
    ("money", "The miner raised $US40 billion in new debt.", "$US40 billion", 4e10, "USD"),
    ("money", "Canberra will spend $A15 million on the program.", "$A15 million", 1.5e7, "AUD"),
    ("money", "A bowl of noodles now costs RM12.40 in Penang.", "RM12.40", 12.4, "MYR"),
    ("money", "The budget sets aside INR2 trillion for roads.", "INR2 trillion", 2e12, "INR"),
    ("money", "The start-up raised AUD3.2m in seed funding.", "AUD3.2m", 3.2e6, "AUD"),
    ("money", "The fund lost USD25m in the quarter.", "USD25m", 2.5e7, "USD"),
    ("money", "Ottawa pledged C$1.3 billion for transit.", "C$1.3 billion", 1.3e9, "CAD"),
    ("money", "The club paid €45 million for the striker.", "€45 million", 4.5e7, "EUR"),
    ("money", "Tickets start at £85 for the final.", "£85", 85, "GBP"),
    ("money", "The toll will rise to $7.50 next month.", "$7.50", 7.5, None),
    ("money", "Gas fell about 12 cents a litre overnight.", "12 cents", 0.12, None),
    ("money", "Exports hit 5 million pesos in May.", "5 million pesos", 5e6, "MXN"),
]


def _group(job: str, quote: str) -> str:
    if job == "spelled":
        for name, pattern in (("ratios and shares", _RATIO), ("indefinite (a dozen, a pound)",
                              _INDEFINITE), ("fractions and mixed", _FRACTION)):  # fmt: skip
            if pattern.search(quote):
                return name
        return "cardinals"
    if _CENTS.search(quote):
        return "cents"
    if _MONEY_CODE.search(quote):
        return "codes and glued symbols"
    return "symbol with scale word" if _SCALE.search(quote) else "symbol or word"


def cases() -> list[Case]:
    """The labelled set's spelled and money figures, then the cases above."""
    out: list[Case] = []
    for passage in load_all():
        for label in passage.labels:
            money = label.unit.split("/")[0].isupper() and label.unit not in ("L", "mL")
            spelled = _SPELLED.search(label.quote) is not None and not money
            if not (money or spelled):
                continue
            job = "money" if money else "spelled"
            currency = None if money and _BARE.search(label.quote) else label.fields.get("currency")
            if money and currency is None and not _BARE.search(label.quote):
                currency = label.unit.split("/")[0]
            out.append(
                Case(
                    job,
                    _group(job, label.quote),
                    "labelled set",
                    passage.text,
                    label.quote,
                    label.value,
                    currency,
                )
            )
    for job, text, quote, value, currency in OWN:
        out.append(Case(job, _group(job, quote), "own cases", text, quote, value, currency))
    return out


def _close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9)


def ours(case: Case) -> bool:
    """borderflow on the whole passage: the figure overlapping the quote."""
    start = case.text.find(case.quote)
    end = start + len(case.quote)
    found = [c for c in extract_claims(case.text) if c.start < end and start < c.end]
    claim = next((c for c in found if _close(c.value, case.value)), found[0] if found else None)
    if claim is None or not _close(claim.value, case.value):
        return False
    if case.job == "money" and case.currency is not None:
        return (claim.unit or "").split("/")[0] == case.currency
    return True


def text2num_reader() -> Callable[[Case], bool] | None:
    try:
        from text_to_num import alpha2digit
    except ImportError:
        return None

    def read(case: Case) -> bool:
        # threshold=0: convert "two" and "one" too (by default they stay words).
        m = _FIRST_NUMBER.search(alpha2digit(case.quote, "en", threshold=0))
        return m is not None and _close(float(m.group().replace(",", "")), case.value)

    return read


def price_parser_reader() -> Callable[[Case], bool] | None:
    try:
        from price_parser import Price
    except ImportError:
        return None
    iso = {**VOCAB.currency_prefixes, **VOCAB.currency_suffixes}
    iso |= {code: code for code in set(iso.values())}

    def read(case: Case) -> bool:
        price = Price.fromstring(case.quote)
        if not _close(price.amount_float, case.value):
            return False
        if case.currency is None:
            return True
        return iso.get((price.currency or "").strip()) == case.currency

    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--misses", action="store_true", help="list the cases read wrong")
    args = parser.parse_args()
    readers = {"spelled": ("text2num", text2num_reader()),
               "money": ("price-parser", price_parser_reader())}  # fmt: skip
    rows: list[list[str]] = []
    misses: list[str] = []
    kept: list[str] = []
    all_cases = cases()
    for job in ("spelled", "money"):
        name, library = readers[job]
        groups = sorted({c.group for c in all_cases if c.job == job})
        totals = [0, 0]
        for group in [*groups, "all (labelled set)", "all (own cases)", "all"]:
            members = [
                c
                for c in all_cases
                if c.job == job and group in (c.group, f"all ({c.source})", "all")
            ]
            our_hits = [ours(c) for c in members]
            lib_hits = [library(c) for c in members] if library else []
            if group == "all":
                totals = [sum(our_hits), sum(lib_hits)]
            elif not group.startswith("all") and args.misses:
                misses += [f"{job}/{group}: ours missed {c.quote!r}"
                           for c, ok in zip(members, our_hits, strict=True) if not ok]  # fmt: skip
                misses += [f"{job}/{group}: {name} missed {c.quote!r}"
                           for c, ok in zip(members, lib_hits, strict=False) if not ok]  # fmt: skip
            rows.append([
                f"{job}: {group}", str(len(members)), f"{sum(our_hits)}/{len(members)}",
                f"{sum(lib_hits)}/{len(members)}" if library else "not installed", name,
            ])  # fmt: skip
        if library is not None:
            winner = "borderflow" if totals[0] >= totals[1] else name
            kept.append(f"{job}: {winner} ({totals[0]} vs {totals[1]} right)")
    body = table(["pattern group", "cases", "borderflow right", "library right", "library"], rows)
    note = (
        "\n\nborderflow reads each whole passage; the library gets the quote alone. "
        "Better for each job: " + "; ".join(kept) + "."
    )
    if args.misses:
        print("\n".join(misses))
    if args.no_record:
        print(body + note)
    else:
        record("Number reading: borderflow vs text2num and price-parser", body + note)


if __name__ == "__main__":
    main()
