"""The phrases that name a period, as one pattern tried only where a phrase can start.

Alternatives are tried in order at a trigger word, so the longer readings come first
("fiscal year to date" before "fiscal 2024", "the year to August" before "the year before",
"2023-24 fiscal year" before the year range "2023-24"). Month names are matched with their
capital so that "may" and "march" the verbs are not months.
"""

from __future__ import annotations

import calendar
import re

from borderflow.extract.tokens import Triggers

M = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
Y = r"(?:19[5-9]\d|20\d\d)"
S = r"[\s\u00a0]+"
SO = r"[\s\u00a0]*"
DASH = r"[-–—]"
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30,
    "thirty-six": 36, "sixty": 60, "ninety": 90,
}  # fmt: skip
N = (
    r"(?:\d{1,3}|"
    + "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True))
    + ")"
)
UNIT = r"(?:years?|months?|weeks?|days?|decades?|quarters?)"
WEEKDAYS = tuple(calendar.day_name)
_WD = "|".join(WEEKDAYS)
# The day of a date: "March 3", "March 3rd" (never the start of "March 31,000").
_DAY = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b(?![,.]?\d)"

_FISCAL = rf"(?i:fiscal(?:{S}years?)?|financial{S}years?|FY)"
_ALTERNATIVES = [
    # "the fiscal year that ended Sept. 30", "the fiscal year ending in March"
    rf"(?P<fyended>(?i:(?:fiscal|financial)(?:{S}|-)year)(?:{S}(?i:that|which))?{S}(?i:ended|"
    rf"ending|ends|closed)(?:{S}(?i:in|on))?{S}(?P<fem>{M})(?:{S}{_DAY})?(?:,?{S}(?P<fey>{Y}))?)",
    # "between fiscal 2023 and fiscal 2024", "from FY2020 to FY2023"
    rf"(?P<fiscalrange>(?i:between|from){S}{_FISCAL}{SO}(?P<fr1>{Y}|\d\d){S}(?i:and|to|through|"
    rf"until){S}(?:{_FISCAL}{SO})?(?P<fr2>{Y}|\d\d)\b)",
    # "the last two fiscal years"
    rf"(?P<fiscalwin>(?i:last|past|previous|prior){S}(?P<fwn>(?i:{N})){S}(?:(?i:full|complete)"
    rf"{S})?(?i:fiscal|financial){S}(?i:years))",
    # "last fiscal year", "the current fiscal year": which one depends on the agency.
    rf"(?P<fiscalrel>(?i:(?P<frel>last|this|past|previous|prior|current|next|latest|coming|"
    rf"upcoming|most{S}recent){S}(?:(?P<fcountry>U\.S\.|US|American|Canadian|Canada['’]s)"
    rf"{S})?(?:(?:full|complete|federal|government){S})?(?:fiscal|financial)(?:{S}|-)?"
    rf"(?:year)?)(?!{SO}['’]?\d))",
    # "so far this year", "so far in 2025", "to date this fiscal year"
    # ("so far in fiscal 2025", "so far in FY2025": that fiscal year, to the document's date)
    rf"(?P<sofar>(?i:(?:so|thus){S}far|to{S}date){S}(?i:this|in){S}(?:(?P<sofis>(?i:fiscal|"
    rf"financial|FY))(?:{S}(?i:year))?(?:(?:{SO}-?{SO})['’]?(?P<sofy>{Y}|\d\d)(?:{SO}[-–/]{SO}"
    rf"(?P<sofy2>{Y}|\d\d))?\b|(?![\s\u00a0-]*\d))|(?P<sou>(?i:year|month))|"
    rf"(?P<soy>{Y})))",
    # "year to date", "fiscal year-to-date"
    r"(?P<ytd>(?:(?P<ytdf>(?i:fiscal|financial))[\s\u00a0-]+)?(?i:year)[\s\u00a0-]+(?i:to)"
    r"[\s\u00a0-]+(?i:date))",
    # "the year to August", "the year ended March 31, 2025"
    rf"(?P<yearto>(?i:year){S}(?i:to|ending|ended|through|up{S}to)(?:{S}(?i:in|the{S}end"
    rf"{S}of))?{S}(?P<ytm>{M})(?:{S}{_DAY})?(?:,?{S}(?P<yty>{Y}))?)",
    # "the week to May 9"
    rf"(?P<weekto>(?i:week){S}(?i:to|ending|ended|through)(?:{S}(?i:on))?{S}(?P<wtm>{M}){S}"
    rf"(?P<wtd>{_DAY})(?:,?{S}(?P<wty>{Y}))?)",
    # "as of the end of February", "as of early December": a point that earlier windows
    # end at
    rf"(?P<asof>(?i:as{S}of){S}(?:(?i:the{S}(?P<aop>end|beginning|start|middle){S}of){S}"
    rf"|(?P<aoe>(?i:early|mid|late))[\s\u00a0-]+)?(?P<aom>{M})(?:{S}(?P<aod>{_DAY}))?(?:,?{S}(?P<aoy>{Y}))?)",
    # "the 12 months ending in March", "the six months to June 2025"
    rf"(?P<rolling>(?i:(?P<rn>{N})[\s\u00a0-]+months?(?:{S}period)?{S}(?:ending|ended|to|"
    rf"through|up{S}to|until)(?:{S}(?:in|the{S}end{S}of))?){S}(?P<rlm>{M})(?:{S}{_DAY})?"
    rf"(?:,?{S}(?P<rly>{Y}))?)",
    # "the six months since the plan took effect": the stretch up to the document's date
    rf"(?P<unitsince>(?P<usn>(?i:{N})){S}(?P<usu>(?i:months|years|weeks|days)){S}(?i:since)\b)",
    # "Q1 2025", "the third quarter of 2024", "the first quarter of fiscal 2025"
    rf"(?P<quarter>(?:Q(?P<q1>[1-4])|(?P<q2>(?i:first|second|third|fourth))[\s\u00a0-]+(?i:quarter)"
    rf"(?:{S}(?i:of))?)(?:{S}(?:(?P<qfis>(?i:fiscal(?:{S}year)?|FY)){SO})?(?P<qy>{Y}))?)",
    # "the first two months of 2025", "the second half of last year", "H1 2025"
    rf"(?P<part>(?i:(?P<pside>first|last|final|second|opening|closing){S}(?:(?P<pn>{N}){S}"
    rf"(?P<pu>months|weeks|quarters)|(?P<phalf>half)|(?P<pmonth>month)|(?P<pquarter>"
    rf"quarter)){S}of{S}(?:(?P<prel>the|this|last|that){S}(?:(?P<pfis>fiscal|financial)"
    rf"{S})?year|(?P<pfis2>fiscal(?:{S}year)?|FY){SO}(?P<pfy>{Y})|(?P<py>{Y}))))",
    rf"(?P<hpart>H(?P<hn>[12]){SO}(?P<hy>{Y}))",
    # "the same period last year", "the same months of 2023": the sentence's period, moved
    rf"(?P<same>(?i:same){S}(?:(?i:[a-z-]+){S})?(?i:period|time|months?|quarter|week|"
    rf"stretch|span|point|day|date|season|interval)(?:{S}(?i:in|of|during))?{S}(?:(?P<spy>"
    rf"{Y})|(?P<sptwo>(?i:two)){S}(?i:years){S}(?i:earlier|ago|before)|(?i:last{S}year|the"
    rf"{S}(?:previous|prior|preceding){S}year|the{S}year{S}before|(?:a|one){S}year{S}"
    rf"(?:earlier|ago|before|prior))))",
    # "a year earlier", "two years ago", "three weeks ago"
    rf"(?P<ago>(?i:(?P<agon>{N}){S}(?P<agou>{UNIT}){S}(?P<agow>ago|earlier|before|"
    rf"prior|previously))\b)",
    # "the year before", "the year-earlier period", "the previous year"
    rf"(?P<before>(?i:(?P<bu>year|month|quarter|week)(?:{S}|-)(?:before(?P<blast>{S}last)?|"
    rf"earlier|prior|ago)\b(?:{S}period)?))",
    rf"(?P<prev>(?i:(?:previous|prior|preceding){S}(?P<pvu>year|month|quarter|week))\b)",
    # "that year", "the same year": the sentence's period again
    rf"(?P<thatyear>(?i:(?:that|same){S}(?:year|month|quarter|period))\b)",
    # "fiscal 2024", "FY2024", "fiscal year 2023-24", "fiscal years 2023"
    rf"(?P<fiscal>{_FISCAL}{SO}['’]?(?P<fy1>{Y}|\d\d)(?:{SO}[-–/]{SO}(?P<fy2>{Y}|\d\d)\b|"
    rf"{S}(?i:through|to|and|until){S}(?:{_FISCAL}{SO})?(?P<fy3>{Y})\b)?)",
    # "the 2023-24 fiscal year", "the 2024 fiscal year"
    rf"(?P<fiscalpre>(?P<fp1>{Y})(?:{SO}[-–/]{SO}(?P<fp2>{Y}|\d\d))?{S}(?i:fiscal|financial)"
    rf"(?:{S}(?i:year))?\b)",
    # "calendar 2024", "the 2024 calendar year": never a fiscal year
    rf"(?P<calyear>(?i:calendar){S}(?:(?i:year){S})?(?P<cy>{Y})|(?P<cy2>{Y}){S}(?i:calendar)"
    rf"{S}(?i:year))",
    # "from January to March 2025", "between November 2023 and June", "January-March",
    # "between October 1, 2022, and January 31, 2023" (the comma after a full date's year)
    rf"(?P<monthrange>(?:(?P<mrfrom>(?i:from|between)){S})?(?:(?P<mid1>(?i:mid))[\s\u00a0-]+)?"
    rf"(?P<mr1>{M})(?:{S}(?P<mrd1>"
    rf"{_DAY}))?(?:,?{S}(?P<mry1>{Y}),?)?{SO}(?:(?P<mrand>(?i:and))|(?i:to|through|until|till|thru)|{DASH})"
    rf"{SO}(?:(?i:the{S}end{S}of){S})?(?:(?P<mid2>(?i:mid))[\s\u00a0-]+)?(?P<mr2>{M})(?:{S}(?P<mrd2>{_DAY}))?(?:,?{S}"
    rf"(?P<mry2>{Y}))?)",
    # "between 2023 and 2024", "from 2019 through 2023", "2019-2023", "2023/24"
    rf"(?P<yearrange>(?:(?i:between|from){S}(?P<yr1>{Y}){S}(?i:and|to|through|until|till|"
    rf"thru)(?:{S}(?i:the{S}end{S}of))?{S}(?P<yr2>{Y}))|(?P<yr3>{Y}){SO}(?P<ysep>[-–/])"
    rf"{SO}(?P<yr4>{Y}|\d\d)\b(?![-–/]?\d))",
    # "March 3, 2025", "3 March 2025", "2025-03-03", "March 3"
    rf"(?P<iso>(?P<iy>{Y})-(?P<im>[01]\d)-(?P<id>[0-3]\d))\b",
    rf"(?P<date>(?P<dm1>{M}){S}(?P<dd1>{_DAY}),?{S}(?P<dy1>{Y})|(?P<dd2>{_DAY}){S}(?P<dm2>{M})"
    rf"{S}(?P<dy2>{Y})|(?P<dm3>{M}){S}(?P<dd3>{_DAY})(?=[,.;:)]|{S}(?i:and|to|through|"
    rf"until|at|in|when|after|before|that)\b|$))",
    rf"(?P<monthyear>(?P<mm>{M})(?:{S}(?i:of))?{S}(?P<my>{Y}))\b",
    # "since January", "since 2019", "since the start of the year"
    rf"(?P<since>(?i:since|as{S}far{S}back{S}as){S}(?:(?P<sfis>(?i:the{S}(?:start|beginning)"
    rf"{S}of{S}(?:the{S})?(?:fiscal|financial)(?:{S}year)?)(?:{SO}(?P<sfy>{Y}))?(?:{S}(?i:on|"
    rf"in){S}{M}(?:{S}{_DAY})?(?:,?{S}{Y})?)?)|(?i:the{S}(?:start|beginning){S}of)"
    rf"{S}(?:(?i:the|this){S}(?i:year)|(?P<ssy>{Y}))|(?P<sm>{M})(?:{S}(?P<sd>{_DAY}))?"
    rf"(?:,?{S}(?P<smy>{Y}))?|(?P<sy>{Y})|(?P<slast>(?i:last{S}year))))",
    # "last March", "earlier this month", "late last year"
    rf"(?P<relmonth>(?:(?i:late|early|mid|earlier|later)[\s\u00a0-]+)?(?i:last|this|past)"
    rf"{S}(?P<rm>{M}))\b",
    rf"(?P<relative>(?:(?i:late|early|mid|earlier|later)[\s\u00a0-]+)?(?P<rel>(?i:last|this|"
    rf"next|current)){S}(?P<relunit>(?i:year|month|quarter|week|decade))\b(?P<reltd>{S}"
    rf"(?i:so{S}far|to{S}date|thus{S}far))?)",
    # "the past 12 months", "over the past year", "the last two years"
    rf"(?P<window>(?P<wrel>(?i:past|last|previous|prior|preceding|trailing|recent)){S}"
    rf"(?:(?P<wn>(?i:{N}|few|several|couple{S}of)){S})?(?P<wu>(?i:{UNIT}))\b)",
    # "the 12 previous months", "the two preceding years": the same, the count first
    rf"(?P<windowrev>(?P<wrn>{N}){S}(?P<wrrel>(?i:previous|prior|preceding|past|last)){S}"
    rf"(?P<wru>(?i:{UNIT}))\b)",
    r"(?P<today>(?i:today|yesterday|tonight)\b)",
    # "last Tuesday", "on Friday"
    rf"(?P<weekday>(?:(?P<wdrel>(?i:last|this|on|past)){S})?(?P<wd>{_WD})\b)",
    # a month named alone: dated only when a preposition or superlative introduces it
    rf"(?P<month>(?P<bm>{M}))(?!\w)",
    rf"(?P<year>(?<![\d,.$])(?P<y>{Y})(?!\d|,\d|\.\d|{SO}(?:%|per))(?!{S}(?i:kg|lb|pounds|"
    rf"kilograms|grams|tons?|tonnes|percent)\b))",
]
PATTERN = re.compile("|".join(_ALTERNATIVES))

# Where a period phrase can start: every alternative begins with one of these words, a
# number, or a token such as "FY2024" (by its first letters), "Q1" or "H1".
PERIOD_TRIGGERS = Triggers(
    words=frozenset(
        [m.lower() for m in calendar.month_name if m]
        + [m.lower() for m in calendar.month_abbr if m]
        + [d.lower() for d in WEEKDAYS]
        + [w for w in NUMBER_WORDS if "-" not in w and len(w) > 2]
        + ["twenty", "thirty"]
        + "sept fiscal financial fy q1 q2 q3 q4 h1 h2 first second third fourth last final "
        "opening closing since as this past previous prior preceding next late early mid "
        "coming upcoming that today yesterday tonight "
        "earlier later from between same so thus year month quarter week calendar current "
        "latest most recent trailing".split()
    ),
    digits=True,
    prefixes=frozenset({"fy1", "fy2", "fy9"}),
)
