"""A stated change in a nation's deaths from one year to the next ("overdose deaths fell
24% in 2024 from the year before") against the change in the death series held.

Counts for recent years are revised for a year or more, and reporting compares whichever
releases were out at the time: CDC's "27 percent" drop for 2024 set two provisional
counts against each other, while the series held has 2023's final count, which gives
23 percent. So a change that matches the held series is supported, and one that does not
is left unverifiable with the held change shown: never called false.

The series are national counts of whole calendar years, so the check judges only what
plainly is one: the change's own subject is deaths (not naloxone, visits or non-fatal
overdoses next to them), the sentence names no place, group or other drug than the
claim's, its one change runs from the year before (or the year it names, one before),
and it is no what-if. Anything else is left to the generic "no series covers it".
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import date

from borderflow.calendars import is_calendar_year
from borderflow.checks.changes import direction_of
from borderflow.checks.data import OfficialData
from borderflow.checks.deaths import (
    CANADA_FENTANYL_LABEL,
    SERIES_OF_SUBSTANCE,
    DeathSeries,
    deaths_series,
    year_citation,
)
from borderflow.checks.hypothetical import cdc_predicted, hypothetical_words
from borderflow.checks.model import Verdict, VerdictKind
from borderflow.checks.tolerance import agree, effective_qualifier, rounding_step
from borderflow.records.claims import StoredClaim
from borderflow.vocab import load_vocabulary

# Deaths as the change's subject, just before it ("deaths fell 24%") or just after ("a 24%
# drop in overdose deaths").
_DEATHS = re.compile(r"(?i)(?<!non-)(?<!non)\b(?:deaths?|died|fatal\s+overdoses|fatalities)\b")
_BEFORE_REACH, _AFTER_REACH = 70, 45
# A change of something else near it, or a share or rate rather than a count.
_OTHER = re.compile(
    r"(?i)\b(?:seiz\w*|intercept\w*|pounds|kilo\w*|kg|lbs?|rates?|per\s+100,?000|points?|"
    r"shares?|proportion|percentage|per\s+capita|hospitali[sz]\w*|emergency|visits|calls|responses|"
    r"ambulance|paramedic\w*|encounters|arrests|prescri\w*|naloxone|narcan|treatment|"
    r"admissions|non-?fatal|overdoses\s+(?:rose|fell|climbed|dropped))\b"
)
# A part of the population or of the country: the series held are national, all ages.
_PART = re.compile(
    r"(?i)\b(?:among|aged|ages|older|younger|under\s+\d+|teen\w*|adolescen\w*|youth|young|"
    r"children|kids|students|women|men|males?|females?|black|hispanic|latin[oax]|white|"
    r"indigenous|native|first\s+nations|tribal|reserves?|veterans|unhoused|homeless|jails?|"
    r"prisons?|shelters?|county|counties|city|cities|towns?|statewide|provinc\w*|regions?|"
    r"rural|urban|neighbou?rhoods?|district)\b"
)
# A what-if or a forecast anywhere in the sentence; a marker that governs the figure itself
# ("expected to fall 10%") is found as the hypothetical check finds it. "may" in lower case
# only ("May" is a month); "predicted" unless it describes CDC's adjusted provisional
# counts; not "estimates" (provisional data are estimates too).
_WHAT_IF = re.compile(
    r"(?i:\b(?:if|would|could|might|projected|projections?|forecast\w*|predicted)\b)|\bmay\b"
)
# A change over more than a year, or measured from something other than a year.
_SPAN = re.compile(
    r"(?i)\b(?:peak|since|record|high|low|decades?|pandemic|(?:two|three|four|five|\d+)"
    r"\s+years)\b"
)
# Words that state the base is the year before.
_YEAR_BEFORE = re.compile(
    r"(?i)\b(?:(?:the|a)\s+(?:year|twelve\s+months|12\s+months)\s+(?:before|earlier|prior)|"
    r"(?:the\s+)?(?:previous|prior|preceding)\s+year|year[\s-](?:over|on)[\s-]year)\b"
)
_PERCENT = re.compile(r"(?i)\d\s*(?:%|percent\b|per\s+cent\b)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NAME = re.compile(r"(?<![\w.'’-])[A-Z][\w.'’-]*")
_OPENERS = (
    "overdose overdoses deaths death drug drugs fatal apparent accidental annual yearly "
    "total there it this that these those nationally nationwide overall last in across "
    "year-over-year according data figures provisional final new recorded reported "
    "federal official preliminary predicted estimated opioid-related drug-related "
    "fentanyl-related year"
)
# Only figures read as stated or about the stated value: "as much as 50%" is no 34%.
_QUALIFIERS = frozenset({"exact", "approx"})


@functools.cache
def _known_names() -> re.Pattern[str]:
    """Capitalised words a national count may sit among: countries and their people,
    agencies, months and days."""
    vocab = load_vocabulary()
    words: set[str] = {
        *(w for p in vocab.places if p.attrs.get("level") == "country" for w in p.words),
        *(d for p in vocab.places for d in p.attrs.get("demonyms", ())),
        *(w for a in vocab.agencies for w in (a.name, *a.words)),
        "U.S.", "US", "America", "Americans", "Canadians", "Dr.", "Mr.", "Ms.", "Mrs.",
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
        "Thursday", "Friday", "Saturday", "Sunday", "The", "A", "An", "In", "Across",
    }  # fmt: skip
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])")


def _names_elsewhere(sentence: str) -> bool:
    """Whether the sentence holds a name that is no country, agency or date (a state, a
    city, a region, a person): the count may be that place's, not the nation's. The
    sentence's first word is a name too unless it is one of the words such a sentence
    opens with ("Overdose deaths fell...", not "Ohio's deaths...")."""
    blanked = _known_names().sub(lambda m: " " * len(m.group()), sentence)
    for match in _NAME.finditer(blanked):
        opener = blanked[: match.start()].strip() == ""
        if not opener or match.group().casefold() not in _openers():
            return True
    return False


@functools.cache
def _openers() -> frozenset[str]:
    """Ordinary words a sentence about a nation's deaths may open with, capitalised."""
    drugs = {w.casefold() for t in load_vocabulary().substances for w in (t.name, *t.words)}
    return frozenset(drugs | set(_OPENERS.split()))


def _about_deaths(claim: StoredClaim) -> bool:
    """Deaths are the change's own subject, nothing else counted sits beside them, and
    the figure is a single stated change."""
    at, end = claim.in_sentence()
    near = claim.sentence[max(0, at - _BEFORE_REACH) : end + _AFTER_REACH]
    return (
        bool(_DEATHS.search(near))
        and not _OTHER.search(claim.sentence)
        and len(_PERCENT.findall(claim.sentence)) == 1
    )


def _national(claim: StoredClaim) -> bool:
    country_level = {p.name for p in load_vocabulary().places if p.attrs.get("level") == "country"}
    return (
        (claim.place is None or claim.place in country_level)
        and not _PART.search(claim.sentence)
        and not _names_elsewhere(claim.sentence)
    )


@functools.cache
def _drug_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every substance word (longest first, so "synthetic opioids" is not read as
    "opioids") and the substance each names."""
    named = {w.casefold(): t.name for t in load_vocabulary().substances for w in t.words}
    alternatives = "|".join(re.escape(w) for w in sorted(named, key=len, reverse=True))
    return re.compile(rf"(?i)\b(?:{alternatives})\b"), named


def _other_drug(claim: StoredClaim) -> bool:
    """The sentence names a drug counted in another series than the claim's ("deaths
    involving cocaine" read as all drugs)."""
    own = SERIES_OF_SUBSTANCE.get(claim.substance or "drugs")
    pattern, named = _drug_words()
    for match in pattern.finditer(claim.sentence):
        substance = named[match.group().casefold()]
        if substance != "drugs" and SERIES_OF_SUBSTANCE.get(substance) != own:
            return True
    return False


def _base_year(sentence: str, year: int) -> tuple[int, bool] | None:
    """The year before `year` and whether the text states it as the base; None when the
    sentence names another year or a longer span."""
    others = {int(y) for y in _YEAR.findall(sentence)} - {year}
    if others - {year - 1} or _SPAN.search(sentence):
        return None
    return year - 1, bool(others) or bool(_YEAR_BEFORE.search(sentence))


def _what_if(sentence: str) -> bool:
    return any(not cdc_predicted(sentence, m.start()) for m in _WHAT_IF.finditer(sentence))


def _judgeable(claim: StoredClaim, published: date | None) -> bool:
    start, end = claim.period_start, claim.period_end
    return (
        claim.measure == "change"
        and claim.dimension == "percent"
        and claim.value_max is None
        and effective_qualifier(claim) in _QUALIFIERS
        and start is not None
        and end is not None
        and is_calendar_year(start, end)
        and (published is None or published > end)  # the year was over when written
        and not _what_if(claim.sentence)
        and hypothetical_words(claim) is None
        and _about_deaths(claim)
        and _national(claim)
        and not _other_drug(claim)
    )


def check_death_change(
    claim: StoredClaim, data: OfficialData, published: date | None
) -> Verdict | None:
    """A percent change in a year's national deaths against the held series' change."""
    if not _judgeable(claim, published) or claim.period_start is None:
        return None
    year = claim.period_start.year
    found = deaths_series(replace(claim, measure="deaths"), data)
    base = _base_year(claim.sentence, year)
    sign = direction_of(claim)
    if not isinstance(found, DeathSeries) or base is None or sign == 0:
        return None
    before, stated_base = base
    # PHAC's fentanyl deaths are computed from a share rounded to 1%: too coarse for a change.
    if found.label == CANADA_FENTANYL_LABEL or not {year, before} <= set(found.figures):
        return None
    return _judge(claim, data, found, year, before, stated_base, sign)


def _judge(
    claim: StoredClaim, data: OfficialData, found: DeathSeries, year: int, before: int,
    stated_base: bool, sign: int,
) -> Verdict:  # fmt: skip
    then, now = found.figures[before], found.figures[year]
    actual = (now - then) / then * 100
    stated = sign * float(claim.normalized_value or 0.0)
    step = rounding_step(float(claim.value), claim.text)
    grade = agree(abs(stated), abs(actual), effective_qualifier(claim), step)
    held = (
        f"{found.label}: {then:,.0f} in {before}, {now:,.0f} in {year}, a change of "
        f"{actual:+.1f}%; the claim says {stated:+g}%"
    )
    cites = [year_citation(found, data, before), year_citation(found, data, year)]
    implied = None if stated_base else f"The text names no base year; compared with {before}."
    if (stated > 0) == (actual > 0) and grade in ("exact", "rounding"):
        return Verdict(
            claim.id, "official",
            VerdictKind.SUPPORTED if stated_base else VerdictKind.SUPPORTED_WITH_CAVEAT,
            0.85 if stated_base else 0.7, f"{held}." + (f" {implied}" if implied else ""),
            expected=round(actual, 2), unit="percent", citations=cites, caveat=implied,
        )  # fmt: skip
    return Verdict(
        claim.id, "official", VerdictKind.UNVERIFIABLE, 0.6,
        f"{held}. Counts for recent years are revised for a year or more, and reporting "
        "compares the releases out at the time (or other series), so a change that differs "
        "from the held series' is not called false.",
        expected=round(actual, 2), unit="percent", citations=cites,
    )  # fmt: skip
