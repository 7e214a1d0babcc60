"""Numbers that name, date or rank things rather than count them: dates, ordinals, clock
times, codes and chemical names ("4-ANPP", "2,4-dinitrophenol"), product and index names
("Boeing 737", "FTSE 100"), list numbers ("No. 17") and ages used as nouns ("the
45-year-old"). A reader skips them; so does the extractor, before it looks for a unit.
"""

from __future__ import annotations

import re

from borderflow.extract.numbers import Numeral

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE_BEFORE = re.compile(_MONTHS + r"\.?[ \u00a0]+$")
_DATE_AFTER = re.compile(r"[ \u00a0]+" + _MONTHS + r"\b")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_TIME = re.compile(r":\d\d")
_CLOCK = re.compile(r"(?i)[ \u00a0]?(?:[ap]\.[ \u00a0]?m\b|[ap]m\b|o[’']clock\b)")
# Numbers that name things rather than count them: "Section 232", "Highway 401", "No. 17".
_IDENTIFIER_BEFORE = re.compile(
    r"(?:Section|Sections|Sec\.|Article|Chapter|Title|Rule|Bill|Highway|Route|Interstate|"
    r"Flight|Room|Gate|Exit|Level|Phase|Stage|Part|Schedule|Annex|Table|Figure|Fig\.|No\.|"
    r"Nos\.|Number|Resolution|Order|Page|Line|Precinct|District|Ward|Unit|Platform|Version|"
    r"Form|Model|Channel|Proposition|Prop\.|Act|v|#)[ \u00a0]*$"
)
# Chemical names and codes: "2,4-D", "4-ANPP", "5-MeO-DMT", "3-methylfentanyl". The
# lower-case forms are IUPAC substituent prefixes, which no unit or count begins with.
_CHEMICAL_AFTER = re.compile(
    r"(?:,\d{1,2})+-[A-Za-z]|-[A-Z](?:[A-Za-z]*[A-Z]|\b)|-[a-z]{1,8}-\d|-(?:methyl|ethyl|propyl|butyl|fluoro|"
    r"chloro|bromo|iodo|amino|hydroxy|methoxy|nitro|phenyl|oxo|keto|acetyl|benzyl)"
)
_AGE = re.compile(r"(?i)-years?-olds?\b")
# "aged 33 and 38", "ages 18 to 24", "between the ages of 18 and 49".
_AGED = re.compile(
    r"(?i)\b(?:aged|ages(?:[\s\u00a0]+of)?)[\s\u00a0]+"
    r"(?:\d+[\s\u00a0]*(?:,|and|to|or|-|–)[\s\u00a0]*)*$"
)
# "people 18-44", "adults 25 to 34": a range after the people it counts is their ages;
# "18- to 44-year-olds" is one too.
_PEOPLE = (
    r"(?i)\b(?:people|persons|adults|Americans|Canadians|those|men|women|youths?|patients|"
    r"residents|users)[\s\u00a0]+"
)
_PEOPLE_BEFORE = re.compile(_PEOPLE + "$")
_RANGE_END_BEFORE = re.compile(_PEOPLE + r"\d{1,3}[\s\u00a0]*(?:-|–|to)[\s\u00a0]*$")
_RANGE_AFTER = re.compile(
    r"[\s\u00a0]*(?:-|–|to)[\s\u00a0]*\d{1,3}\b(?![.,]\d|[\s\u00a0]*(?:%|per[\s\u00a0-]?cent))"
)
_AGE_GROUP = r"[\s\u00a0]+age[\s\u00a0-]+(?:group|bracket|range|band|cohort)s?\b"
_AGE_RANGE_AFTER = re.compile(
    r"-?[\s\u00a0]*(?:to|-|–)[\s\u00a0]*\d{1,3}(?:[\s\u00a0-]years?[\s\u00a0-]olds?\b|"
    + _AGE_GROUP
    + ")"
)
# The top of an age range: "(the 25-)34 age group", "(25-)34 year olds".
_AGE_GROUP_AFTER = re.compile(_AGE_GROUP + r"|[\s\u00a0-]years?[\s\u00a0-]olds?\b")
# After "45-year-old": a noun it describes ("man") keeps it an amount of years; a verb,
# a function word, a name or nothing makes it the person ("the 45-year-old was charged").
_AGE_NOUN = re.compile(
    r"[\s\u00a0]*(?:[^\w\s]|$)|[\s\u00a0]+(?:[A-Z]|(?i:\w+ed|\w+s|was|is|had|has|who|from|of|"
    r"in|at|and|or|but|with|on|will|would|said|says|told|faces?|remains?|appeared|died|won|lost|"
    r"fled|left|took|made|went|ran|fell|got|gave|sat|stood|led|drove|hit|shot|struck|broke|came|"
    r"saw|now|also|then)\b)"
)
# A capitalised word right before a number ("Boeing 737", "FTSE 100", "S&P 500") names a
# product, index or model unless it opens a clause.
_NAME_BEFORE = re.compile(r"(?<![\w&.’'-])((?:[A-Z]|[a-z][A-Z])[\w&.’'/-]*)[ \u00a0]+$")
# "737 MAX", "Nikkei 225:": an upper-case word or a colon right after marks a name.
_NAME_AFTER = re.compile(r"[ \u00a0]+[A-Z]{2,}\b|:")
_CLAUSE_OPENERS = frozenset(
    "the a an in on at by of and or to for from with about after before since than all "
    "some only just another nearly almost around roughly over under more less fewer at "
    "up down between during while when where if as but so".split()
)


def names_a_thing(text: str, num: Numeral, s_start: int) -> bool:
    """A number that dates, ranks, times or names something, or an age. Each pattern is
    tried only when the character next to the number can start it: this runs for every
    number of every text."""
    after = text[num.end : num.end + 12]
    first = after[:1]
    if first == "-" and num.kind in ("digits", "words"):
        age = _AGE.match(text, num.end)
        if age is not None:
            return age.group().endswith("s") or _AGE_NOUN.match(text, age.end()) is not None
    if num.kind != "digits":
        return False
    if first.isalpha() and _ORDINAL.match(after):
        return True
    if first in ",-" and _CHEMICAL_AFTER.match(after):
        return True
    if (first == ":" and _TIME.match(after)) or (first in " \u00a0apo" and _CLOCK.match(after)):
        return True
    before = text[max(s_start, num.start - 12) : num.start]
    if before.endswith(":") or _IDENTIFIER_BEFORE.search(before):
        return True
    if "age" in text[max(s_start, num.start - 30) : num.start] and _AGED.search(
        text, max(s_start, num.start - 30), num.start
    ):
        return True
    if num.value <= 120 and _age_range(text, num, before, s_start):
        return True
    if num.value > 31:
        return False
    return bool(_DATE_BEFORE.search(before) or _DATE_AFTER.match(after))


def _age_range(text: str, num: Numeral, before: str, s_start: int) -> bool:
    """Either end of an age range: "people 18-44", "18- to 44-year-olds", "the 25-34 age
    group"."""
    if _AGE_RANGE_AFTER.match(text, num.end) or _AGE_GROUP_AFTER.match(text, num.end):
        return True
    if _PEOPLE_BEFORE.search(before) and _RANGE_AFTER.match(text, num.end) is not None:
        return True
    if not _RANGE_AFTER.match(text, num.end) and text[num.end : num.end + 1] != "%":
        return bool(_RANGE_END_BEFORE.search(text, max(s_start, num.start - 40), num.start))
    return False


def named(text: str, num: Numeral, s_start: int, qualifiers: dict[str, str], bare: bool) -> bool:
    """A number right after a capitalised name ("Boeing 737", "FTSE 100", "iPhone 16") or
    right before an upper-case one ("737 MAX"): a name, when no unit of measure follows it.
    Before a counted noun (not `bare`) only a name inside the sentence counts: its first
    word is capitalised anyway."""
    if num.kind != "digits":
        return False
    if bare and _NAME_AFTER.match(text, num.end):
        return True
    m = _NAME_BEFORE.search(text, max(s_start, num.start - 30), num.start)
    if m is None:
        return False
    word = m.group(1)
    opener = text[s_start : m.start(1)].rstrip()
    if not bare and (not opener.strip("\"“‘'([-•*") or opener[-1] in '—–"“('):
        return False
    lower = word.lower().rstrip(".")
    if lower in _CLAUSE_OPENERS or lower in qualifiers or word.endswith(("’s", "'s", "s’")):
        return False
    return not _DATE_BEFORE.search(word + " ")
