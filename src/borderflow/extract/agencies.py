"""The agency a figure belongs to when its text names none: the body that publishes it.

A reader knows that fentanyl seizures "at the northern border" are CBP's count, and that
Canada's opioid deaths "according to federal data" are PHAC's. agencies.yaml says which
agency publishes which figures (`implied`: measures, scopes, country, and whether an
official-data cue is needed); nothing here names an agency itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from borderflow.vocab import Vocabulary

# "federal data", "provisional figures", "government statistics", "official numbers".
_OFFICIAL_DATA = re.compile(
    r"(?i)\b(?:federal|government|official|national|provisional|preliminary|public[\s\u00a0]+health)"
    r"(?:[\s\u00a0]+[\w-]+){0,2}?[\s\u00a0]+(?:data|figures|statistics|numbers|estimates|counts?|tally|tallies)\b"
)


_OTHER_FORCE = re.compile(r"(?i)\b(?:police|sheriff|deputies|troopers|mounties|soldiers|army)\b")


@dataclass(frozen=True, slots=True)
class _Rule:
    agency: str
    measures: frozenset[str]
    scopes: frozenset[str]
    country: str | None
    needs_data_cue: bool


class ImpliedAgency:
    """The `implied` rules of the vocabulary's agencies, in file order."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.rules = tuple(
            _Rule(
                term.name,
                frozenset(rule.get("measures") or ()),
                frozenset(rule.get("scopes") or ()),
                rule.get("country"),
                bool(rule.get("official_data")),
            )
            for term in vocab.agencies
            if isinstance(rule := term.attrs.get("implied"), dict)
        )
        self.region_country = {
            t.name: str(t.attrs["country"]) for t in vocab.places if t.attrs.get("country")
        }

    def agency(
        self,
        measure: str,
        scope: str | None,
        country: str | None,
        text: str,
        span: tuple[int, int],
        place: str | None = None,
    ) -> str | None:
        """The agency whose published figure this is, or None when nothing implies one.
        `country` is where the figure is about; `text[span]` its sentence; `place` the
        place the text says the figure is in: a province, state or city of another country
        than a border rule's is not where that agency counts ("1.73 kg in British Columbia"
        is not CBP's; a country named nearby may be only a comparison, so it does not
        count)."""
        within = self.region_country.get(place or "")
        for rule in self.rules:
            if measure not in rule.measures:
                continue
            if rule.scopes and scope not in rule.scopes:
                continue
            if rule.scopes and within not in (None, rule.country):
                continue
            if rule.country and rule.country != country and not rule.scopes:
                continue
            if rule.needs_data_cue and not _OFFICIAL_DATA.search(text, *span):
                continue
            if rule.scopes and _OTHER_FORCE.search(text, *span):
                continue  # "provincial police had seized": not a border agency's count
            return rule.agency
        return None


class Bodies:
    """Tells a body (an agency, a company, a regulator) from a person or a described
    source ("agency statistics", "sector officials"), and names known agencies canonically."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.head_words = vocab.organization_words
        self.described_words = vocab.described_sources
        self.alias = {w.lower(): t.name for t in vocab.agencies for w in (t.name, *t.words)}
        self.outlets = frozenset(_plain(w) for t in vocab.outlets for w in (t.name, *t.words))

    def canonical(self, name: str | None) -> str | None:
        """The agency `name` is one of the words for, if any."""
        return self.alias.get(_plain(name)) if name else None

    def organization(self, name: str) -> bool:
        """Whether a named source is a body: a name with an organisation's head word
        ("Minnesota State Patrol"), an acronym ("FSANZ") or a web name ("Rentals.ca"),
        and not a news outlet."""
        if _plain(name) in self.outlets:
            return False
        words = name.split()
        return (
            (
                len(words) > 1
                and any(w in self.head_words or w.capitalize() == "Police" for w in words[1:])
            )
            or (len(words) > 2 and words[0] in self.head_words and words[1] in ("of", "for"))
            or _ACRONYM.match(name) is not None
            or _WEB_NAME.match(name) is not None
        )

    def subject(self, text: str, start: int, end: int) -> str | None:
        """The body a sentence opens with, when it is one and not a known agency."""
        m = _SUBJECT.match(text, start, end)
        if m is None:
            return None
        name = m.group("name")
        return self.canonical(name) or (name if self.organization(name) else None)

    @staticmethod
    def body_noun(described: str) -> bool:
        """Whether a described source is a body ("the agency", "the department"), which
        names the body the text last named when nothing closer does."""
        return described.split()[-1].lower() in _BODY_NOUNS

    def named_subject(
        self, text: str, start: int, end: int, described: str, things: Sequence[int] = ()
    ) -> str | None:
        """The name a sentence opens with, when the source is described as a body of some
        kind ("Northline Rail expects ..., the Texas-based company said"); never one that
        starts at one of `things` (where a drug or a place is named: "Fentanyl was
        responsible for ..., the agency reported" is no body's statement of its own)."""
        if not self.body_noun(described):
            return None
        m = _SUBJECT.match(text, start, end)
        if m is None or (" " not in m.group("name") and m.group("name").endswith("s")):
            return None  # "Paramedics in Winnipeg answered ...": a common noun, not a name
        if m.start("name") in things:
            return None
        return m.group("name")

    def unnamed_data(self, name: str) -> bool:
        """Figures credited to nobody in particular ("federal figures show", "according to
        new federal data", "U.S. data show"): the writer's statement, not a source's. Data
        named by a body ("CBP data", "customs figures") are that body's."""
        words = name.split()
        return (
            len(words) <= 4
            and words[-1].lower() in _DATA_WORDS
            and self.canonical(" ".join(words[:-1])) is None
            and all(w.lower() in _UNNAMED_WORDS or w.lower() in _DATA_WORDS for w in words[:-1])
        )

    def role_noun(self, name: str) -> str | None:
        """The kind of body a source names by its role alone ("the airline", "the Texas-based
        company", "the regulator"), when it is one the text must have named before; None
        for a name or for a described source that stands for the figure's agency."""
        words = name.split()
        if not words or len(words) > 3 or words[-1] in self.described_words:
            return None
        head = words[-1]
        if head not in _BODY_NOUNS or not all(w.islower() or "-" in w for w in words[:-1]):
            return None
        return head

    @staticmethod
    def official(kind: str) -> bool:
        """Whether a body of this kind publishes official figures (a regulator, a
        commission), so what it says of its own remit is its figure."""
        return kind in _OFFICIAL_NOUNS

    def described(self, name: str) -> bool:
        """A source described in common words ("agency data", "Border authorities",
        "U.S. border officials"), which stands for the figure's agency when it has one."""
        words = name.split()
        return bool(words) and (
            name == name.lower()
            or (
                words[-1].lower() in self.described_words
                and words[-1][1:] == words[-1][1:].lower()
                and (len(words) == 1 or words[-1] == words[-1].lower())
            )
        )


_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}$")
_DATA_WORDS = frozenset("data figures statistics numbers".split())
# Words that qualify data without naming whose they are.
_UNNAMED_WORDS = frozenset(
    "new latest recent federal national official government provisional preliminary "
    "u.s. us canadian american public the".split()
)
_BODY_NOUNS = frozenset(
    "company firm corporation retailer airline railway bank group union party regulator board "
    "council agency department ministry service force institute organization organisation "
    "association charity insurer utility operator carrier watchdog lender commission".split()
)
_OFFICIAL_NOUNS = frozenset("regulator watchdog board council commission institute".split())
# The body a sentence opens with: "The GST Council has moved ...", "Statistics Canada said".
_SUBJECT = re.compile(
    r"[ \u00a0\"“]*(?:The[ \u00a0]+)?"
    r"(?P<name>(?:[A-Z][\w&.’'-]*[ \u00a0]+(?:(?:of|for|on|and)[ \u00a0]+)?){0,4}[A-Z][\w&’'-]*)"
    r"(?:’s|'s)?[ \u00a0]+[a-z]"
)
_WEB_NAME = re.compile(r"^[A-Z]\w+\.(?:ca|com|org|net|gov)$")


def _plain(name: str) -> str:
    return re.sub(r"^the\s+", "", name.strip().lower())
