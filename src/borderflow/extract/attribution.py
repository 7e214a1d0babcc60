"""Who asserts each figure, across sentences: quotes, pronouns, surnames and nested claims.

News attributes a statement once and lets the reader carry it: a quotation of several
sentences is attributed after its last one; '"...," she said.' means the person introduced
earlier; "Patel said" means the "Kash Patel" named before; "the force said" means the police
force already named; and in "the RCMP said, rejecting Trump's claim that 20 tonnes cross the
border" the 20 tonnes are Trump's. `SpeakerFinder` reads one sentence; this module resolves
what it leaves to the rest of the text. Everything is computed on demand and cached, so a
text without figures costs nothing.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable

from borderflow.extract.mentions import MentionIndex
from borderflow.extract.segment import Sentence, is_bullet
from borderflow.extract.speakers import SpeakerFinder

# A capitalised word, or an initial ("J."): a dot inside a name never ends a sentence.
_CAP = r"(?:[A-Z][\w’'-]*|[A-Z]\.)"
_FULL_NAME = rf"{_CAP}(?:[ \u00a0]+(?:(?:de|van|von|del|la|da|di|bin)[ \u00a0]+)?{_CAP}){{1,3}}"
# People introduced with a role: "FBI Director Kash Patel", "spokesperson Charlotte Hibbard",
# "state Sen. Carla Benning", "Prime Minister Mark Carney".
_ROLE = (
    r"(?:President(?:-elect)?|Vice[ -]President|Prime[ \u00a0]Minister|Minister|Premier|"
    r"Senator|Sen\.|Rep\.|Representative|Congressman|Congresswoman|Governor|Gov\.|Mayor|"
    r"Secretary|Director|Administrator|Commissioner|Chief|Superintendent|Supt\.|Inspector|"
    r"Insp\.|Sergeant|Sgt\.|Staff[ \u00a0]Sgt\.|Constable|Const\.|Cpl\.|Corporal|Officer|Agent|"
    r"Dr\.|Prof\.|Professor|Mr\.|Ms\.|Mrs\.|Attorney[ \u00a0]General|Ambassador|Judge|Justice|"
    r"Sheriff|Councillor|Councilor|Chair(?:man|woman)?|MP|MPP|MLA|Leader|"
    r"spokesperson|spokesman|spokeswoman|director|chief|commissioner|minister|secretary|"
    r"superintendent|inspector|officer|agent|analyst|researcher|economist|professor|"
    r"official|executive|coroner|epidemiologist|adviser|advisor|czar|leader|critic|mayor|"
    r"premier|senator|governor|chair|host|founder|president|owner|manager|physician|doctor)"
)
_ROLE_WORD = re.compile(rf"(?<![\w.])(?:{_ROLE})[ \u00a0]+")
_GIVEN_BEFORE = re.compile(rf"{_CAP}(?:[ \u00a0]+{_CAP}){{0,2}}[ \u00a0]+$")
_AGENCY_PREFIX = re.compile(r"^[A-Z]{2,6}[ \u00a0]+(?=[A-Z][a-z])")
_PERSON = re.compile(
    rf"\b{_ROLE}[ \u00a0]+(?P<name>{_FULL_NAME})"
    rf"|(?P<appos>{_FULL_NAME}),[ \u00a0]+(?:a|an|the|who|its|their)[ \u00a0]"
    rf"|(?P<said>{_FULL_NAME})[ \u00a0]+(?:said|says|told|added|wrote|noted|testified|argued|"
    r"has|had|is|was|will|would|became|joined|leads|led|runs|ran|heads|headed|oversees|"
    r"spent|took)\b"
)
_PRONOUN = re.compile(
    r"\b(?P<p>[Hh]e|[Ss]he|[Tt]hey)[ \u00a0]+(?:also[ \u00a0]+|later[ \u00a0]+|then[ \u00a0]+)?"
    r"(?:said|says|added|adds|told|tells|noted|notes|wrote|writes|stated|argued|warned|"
    r"estimated|claimed|claims|insisted|testified|explained|acknowledged|posted|tweeted|"
    r"continued|went[ \u00a0]+on)\b"
)
# "the force said", "the agency reports", "the department released": an agency named before.
_BODY = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Tt]heir)[ \u00a0]+(?:force|agency|department|service|bureau|ministry|"
    r"police|administration|office|coroner|regulator|government)\b"
)
# A claim made by someone else, inside another's statement: "Trump's claim that ...",
# "claims by the president that ...", "Trump has claimed that ...".
_NESTED = re.compile(
    r"\b[Tt]he[ \u00a0]+(?P<c>senator|minister|president|governor|premier|mayor|congressman|"
    r"congresswoman|representative|lawmaker|candidate|official)(?:’s|'s)[ \u00a0]+"
    r"(?:[a-z-]+[ \u00a0]+){0,2}?(?:claims?|figures?|estimates?|assertions?|numbers?)"
    r"[ \u00a0,]+(?:that\b|of\b)?"
    rf"|(?P<a>{_CAP}(?:[ \u00a0]+{_CAP}){{0,3}})(?:’s|'s)[ \u00a0]+(?:[a-z-]+[ \u00a0]+){{0,2}}?"
    r"(?:claims?|assertions?|statements?|allegations?|suggestions?|contentions?|figures?|"
    r"estimates?|insistence|argument|warnings?|boasts?|threats?|pledges?|promises?|vows?|"
    r"accusations?|charges?|complaints?|suggestions?|"
    r"demands?|proposals?)[ \u00a0,]+(?:that\b|of\b|to\b)?"
    rf"|(?:claims?|assertions?|allegations?|suggestions?)[ \u00a0]+(?:by|from)[ \u00a0]+"
    rf"(?:the[ \u00a0]+)?(?:[a-z-]+[ \u00a0]+){{0,2}}?(?P<b>{_CAP}(?:[ \u00a0]+{_CAP}){{0,3}})"
    r"[ \u00a0,]+that\b"
)
_DATA_FROM = re.compile(
    r"\b(?:data|figures|statistics|numbers|estimates|records|counts?|tally)(?:[ \u00a0]+"
    r"(?:released|published|compiled|issued))?[ \u00a0]+(?:from|by|of)[ \u00a0]+(?:the[ \u00a0]+)?$"
)
# "... the senator's figure of 1,900 pounds, noting that the dashboard lists 43": a new
# statement after a nested claim.
_CLAIM_ENDS = re.compile(
    r"\b(?:noting|saying|adding|arguing|citing|pointing|while|whereas|but|lists|listed|"
    r"shows?|showed|puts?|records?)\b|;"
)
# A proper name, "of"/"for"/"and"/"the" allowed inside: "Election Commission of India".
_ORG_NAME = re.compile(
    r"(?<![\w.])[A-Z][\w&’'.-]*(?:[ \u00a0]+(?:(?:of|for|and|the)[ \u00a0]+)*[A-Z][\w&’'.-]*)*"
)
_LEAD_WORDS = frozenset(
    "a an the from after before with for by at as under when while on in of if".split()
)
_RELATIVE_BEFORE = re.compile(r"\b(?:which|that)[ \u00a0]+(?:[\w-]+[ \u00a0]+){0,2}$")
_ACRONYM = re.compile(r"[ \u00a0]*\(([A-Z][A-Za-z&.]{1,9})\)")
_OPEN, _CLOSE = "“", "”"


class Attribution:
    """The speaker of each sentence and figure of one text."""

    def __init__(
        self,
        finder: SpeakerFinder,
        text: str,
        sents: list[Sentence],
        agencies: MentionIndex,
        verbs: Callable[[int, int], list[int]],
        is_body: Callable[[str], bool],
        is_place: Callable[[str], bool],
    ) -> None:
        self.finder, self.text, self.sents = finder, text, sents
        self.agencies, self.verbs = agencies, verbs
        self.is_body, self.is_place = is_body, is_place
        self._starts = [s.start for s in sents]
        self.sentence = functools.cache(self._sentence)
        self._nearest_verb = functools.cache(self._nearest_verb_uncached)
        self._referent = functools.cache(self._referent_uncached)
        self._quotes: list[tuple[int, int]] | None = None
        self._persons: list[tuple[int, str]] | None = None
        self._scanned = 0

    def nested(self, i: int, pos: int) -> int | None:
        """Where a claim the figure at `pos` sits in starts ("Trump's accusation that ..."),
        when it sits in one: the figure is the inner claimant's, not the outer speaker's."""
        sent = self.sents[i]
        found = None
        for m in _NESTED.finditer(self.text, sent.start, pos):
            found = m
        if found is None or self._ends_claim(found.end(), pos):
            return None
        return found.start()

    def _ends_claim(self, start: int, pos: int) -> bool:
        """Whether a new statement begins between a nested claim and the figure."""
        return bool(
            self.finder.verb.search(self.text, start, pos)
            or _CLAIM_ENDS.search(self.text, start, pos)
        )

    def figure(self, i: int, pos: int) -> str | None:
        """Who asserts the figure at offset `pos` of sentence `i` (None: nobody credited):
        the claimant of a claim it sits in, else the nearest attribution before it (the
        innermost of "X told a rally that Y had assured him ..."), else the sentence's."""
        sent = self.sents[i]
        nested = None
        for m in _NESTED.finditer(self.text, sent.start, pos):
            nested = m
        if nested is not None and not self._ends_claim(nested.end(), pos):
            if nested.group("c"):
                person = self._last_person(nested.start())
                if person:
                    return person
            name = self.finder.clean(nested.group("a") or nested.group("b") or "")
            if name:
                return self.person(name, nested.start())
        verbs = self.verbs(sent.start, sent.end)
        if (
            verbs
            and verbs[0] > pos
            and all(_RELATIVE_BEFORE.search(self.text, max(sent.start, v - 30), v) for v in verbs)
        ):
            return None  # "..., which authorities say can be 40 times stronger"
        if len(verbs) > 1 and verbs[0] < pos:
            found = self._nearest_verb(i, sum(1 for v in verbs if v < pos))
            if found:
                return found
        return self.sentence(i)

    def _nearest_verb_uncached(self, i: int, before: int) -> str | None:
        """The speaker of sentence `i`, its verbs tried nearest-first from the `before`-th."""
        sent = self.sents[i]
        verbs = self.verbs(sent.start, sent.end)
        return self._span(sent.start, sent.end, verbs[:before][::-1] + verbs[before:])

    # -- per sentence ---------------------------------------------------------------------
    def _sentence(self, i: int) -> str | None:
        sent = self.sents[i]
        found = self._span(sent.start, sent.end) or self._quoted(i)
        if found is None and is_bullet(self.text, sent.start):
            # A list item is said by whoever introduced the list.
            for j in range(i - 1, -1, -1):
                if self.sents[j].paragraph != sent.paragraph:
                    break
                if not is_bullet(self.text, self.sents[j].start):
                    return self.sentence(j)
        return found

    def _span(self, start: int, end: int, verbs: list[int] | None = None) -> str | None:
        """The speaker text[start:end] credits: a named source, else a pronoun or "the
        agency" resolved against what came before."""
        found = self.finder.find(
            self.text, start, end, self.agencies.between(start, end),
            self.verbs(start, end) if verbs is None else verbs, self.is_place,
        )  # fmt: skip
        if found:
            return self.acronym(self.person(found, start))
        pronoun = _PRONOUN.search(self.text, start, end)
        if pronoun:
            if pronoun.group("p").lower() == "they":
                return self._last_agency(start) or self._last_speaker_before(start)
            return self._last_person(pronoun.start())
        body = _BODY.search(self.text, start, end)
        if body and self.finder.verb.search(self.text, body.end(), min(end, body.end() + 30)):
            return self._last_agency(body.start())
        for agency in self.agencies.between(start, end):
            if _DATA_FROM.search(self.text, max(start, agency.start - 45), agency.start):
                return agency.name  # "provisional figures from the CDC put deaths at ..."
        return None

    def _quoted(self, i: int) -> str | None:
        """For a sentence inside a quotation that runs past it, the quotation's speaker:
        named after it closes ('...,” Smith said') or before it opens ('Smith said: “...')."""
        sent = self.sents[i]
        for open_, close in self.quotes():
            if (
                close <= sent.start
                or open_ >= sent.end
                or (open_ >= sent.start and close <= sent.end)
            ):
                continue
            j = self._index(close - 1)
            after = self._span(close, self.sents[j].end) if close < self.sents[j].end else None
            if after:
                return after
            k = self._index(open_)
            if open_ > self.sents[k].start:
                before = self._span(self.sents[k].start, open_)
                if before:
                    return before
        previous = self.sents[i - 1] if i > 0 else None
        if (
            previous is not None
            and previous.paragraph == sent.paragraph
            and self.text[sent.start] in _OPEN + '"'
            and any(c in self.text[previous.start : previous.end] for c in _OPEN + _CLOSE + '"')
        ):
            return self.sentence(i - 1)  # a quotation resumed after its attribution
        return None

    # -- lookups over the whole text, built on first use ----------------------------------
    def quotes(self) -> list[tuple[int, int]]:
        """(open, close) offsets of each quotation; one left open runs to its paragraph's
        end (news style reopens it in the next paragraph)."""
        if self._quotes is None:
            self._quotes = _quotations(self.text)
        return self._quotes

    def persons(self, until: int) -> list[tuple[int, str]]:
        """People named before offset `until`, each where first named. The text is read
        only as far as a question needs, so most texts are never scanned."""
        if self._persons is None:
            self._persons, self._scanned = [], 0
        if until > self._scanned:
            start = self._scanned
            # Resume at a sentence start, so a name is never cut in two.
            end = self.sents[self._index(until)].end if self.sents else until
            for m in _PERSON.finditer(self.text, start, end):
                self._add_person(m)
            self._scanned = end
        return [(pos, name) for pos, name in self._persons if pos < until]

    def _add_person(self, m: re.Match[str]) -> None:
        group = next(g for g in ("name", "appos", "said") if m.group(g))
        start, end = m.span(group)
        # "FBI Director Kash Patel said": the person starts after agency and role.
        for agency in self.agencies.between(start, end):
            start = max(start, agency.end)
        role = _last_role(self.text, start, end)
        start = role if role is not None else start
        name = self.finder.clean(self.text[start:end])
        if name and " " in name and not self.is_body(name) and self._persons is not None:
            self._persons.append((start, name))

    def acronym(self, name: str) -> str:
        """The short name a text gives in brackets after a body's full name: "Food
        Standards Australia New Zealand (FSANZ)" is FSANZ."""
        at = self.text.find(name + " (")
        if at >= 0:
            m = _ACRONYM.match(self.text, at + len(name) + 1)
            if m:
                return m.group(1)
        return name

    def person(self, name: str, pos: int) -> str:
        """A name as first introduced in full: "Patel" after "Kash Patel" is Kash Patel;
        an agency or role before it is no part of it ("RCMP Supt. Karen Oduya")."""
        role = _last_role(name, 0, len(name))
        if role is not None and role < len(name):
            rest = name[role:].split()
            if rest and rest[0] in ("of", "for"):  # "Minister for Finance Jack Chambers"
                rest = rest[1:]
                while len(rest) > 2 and (rest[0] == "the" or rest[0][:1].isupper()):
                    rest = rest[1:]
            if rest and rest[0][:1].isupper():
                name = " ".join(rest)
        name = _AGENCY_PREFIX.sub("", name)
        if " " in name or not name[:1].isupper():
            return name
        # The first "Given Surname" before here: find the surname, then read back.
        at = self.text.find(name, 0, pos)
        while at > 0:
            if not self.text[at + len(name) : at + len(name) + 1].isalnum():
                full = _GIVEN_BEFORE.search(self.text, max(0, at - 60), at)
                found = self._introduced(full.group() + name) if full else None
                if found:
                    return found
            at = self.text.find(name, at + 1, pos)
        return name

    def _introduced(self, full: str) -> str | None:
        """A full name as a text introduces it, without agency or role before it."""
        found = self.finder.clean(_AGENCY_PREFIX.sub("", full))
        role = _last_role(found or "", 0, len(found or ""))
        if found and role is not None:
            found = found[role:]
        return found if found and " " in found and not self.is_body(found) else None

    def referent(self, kind: str, pos: int) -> str | None:
        """The body a role noun before offset `pos` refers back to ("the airline said"):
        the last name before it shaped like that kind of body ("Northern Skies Airways" for
        an airline: a word sharing the noun's stem), else the last name that is no place,
        person or date. Names are read from the sentence start back, so the scan stays short."""
        return self._referent(kind, pos)

    def _referent_uncached(self, kind: str, pos: int) -> str | None:
        people = {name for _, name in self.persons(pos)}
        fallback: str | None = None
        for i in range(self._index(pos), -1, -1):
            sent = self.sents[i]
            names = list(_ORG_NAME.finditer(self.text, sent.start, min(pos, sent.end)))
            for m in reversed(names):
                words = [w.removesuffix("’s").removesuffix("'s") for w in m.group().split()]
                while words and (
                    words[0].lower() in _LEAD_WORDS or self.finder.clean(words[0]) is None
                ):
                    words = words[1:]
                name = " ".join(words)
                if not name or self.finder.clean(name) is None or self.is_place(name):
                    continue
                if name in people or any(name in p.split() for p in people):
                    continue
                stem = next((j for j, w in enumerate(words) if w[:3].lower() == kind[:3]), None)
                if stem is not None:
                    return " ".join(words[: stem + 1])
                fallback = fallback or name
            if fallback:
                return fallback
        return fallback

    def _last_person(self, pos: int) -> str | None:
        before = self.persons(pos)
        return before[-1][1] if before else None

    def _last_agency(self, pos: int) -> str | None:
        found = self.agencies.between(0, pos)
        return found[-1].name if found else None

    def _last_speaker_before(self, pos: int) -> str | None:
        i = self._index(pos)
        return next((s for j in range(i - 1, -1, -1) if (s := self.sentence(j))), None)

    def _index(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._starts, pos) - 1)


def _last_role(text: str, start: int, end: int) -> int | None:
    """Where the name after the last role word in text[start:end] starts, if any."""
    found = list(_ROLE_WORD.finditer(text, start, end))
    return found[-1].end() if found else None


def _quotations(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if _OPEN not in text and '"' not in text:
        return out
    for para in re.finditer(r"[^\n]+", text):
        start, end = para.span()
        pos, straight_open = start, -1
        while True:
            nxt = min(
                (p for p in (text.find(c, pos, end) for c in (_OPEN, _CLOSE, '"')) if p >= 0),
                default=-1,
            )
            if nxt < 0:
                break
            ch = text[nxt]
            if ch == _OPEN:
                close = text.find(_CLOSE, nxt + 1, end)
                out.append((nxt, close + 1 if close >= 0 else end))
                pos = close + 1 if close >= 0 else end
            elif ch == '"':
                if straight_open < 0:
                    straight_open = nxt
                else:
                    out.append((straight_open, nxt + 1))
                    straight_open = -1
                pos = nxt + 1
            else:
                pos = nxt + 1
        if straight_open >= 0:
            out.append((straight_open, end))
    return out
