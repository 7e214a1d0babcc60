"""Who said it: attribution of a sentence to a person, agency or publication.

News attributes with a small set of verbs ("said", "told", "according to"); the speaker is
the name next to the verb, on the side the verb's grammar puts it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from borderflow.extract.mentions import Mention
from borderflow.extract.tokens import Triggers, first_token, trigger_positions
from borderflow.vocab import Vocabulary

_NAME = (
    r"(?:[A-Z][\w’'.-]*)"
    r"(?:[ \u00a0]+(?:(?:and|of|the|for|de|du|van|von)[ \u00a0]+)?[A-Z][\w’'.-]*)*"
)
_TITLES = re.compile(
    r"^(?:(?:U\.S\.|US|Canadian|Former|former|Chinese)\s+)?(?:President(?:-elect)?|Prime Minister|"
    r"Minister|Immigration Minister|Public Safety Minister|Premier|Senator|Sen\.|Rep\.|Governor|"
    r"Gov\.|Secretary|Inspector|Commissioner|Assistant Commissioner|Chief|Mayor|Spokesperson|"
    r"Dr\.|Mr\.|Ms\.|Mrs\.|The 47th President)\s+"
)
# "the U.S. government says", "federal analysts wrote": a described, unnamed source.
_GROUP_BEFORE = re.compile(
    r"(?:[Tt]he[ \u00a0]+)?(?P<name>(?:[A-Z][\w.’'-]*[ \u00a0]+){0,3}(?:[a-z]+[ \u00a0]+)?"
    r"(?:government|officials|police|analysts|memo|report|reports|document|agency|spokesperson|"
    r"researchers|experts|authorities|note|study|data|figures|statistics|records|tally|official|"
    r"dashboard|estimates|sheet|release|statement|filing|analysis|review|audit|survey|poll|"
    r"flyer|post|letter|company|firm|retailer|airline|regulator|board|council|service|force|"
    r"department|ministry|bureau))[ \u00a0,]*$"
)
_NAME_RE = re.compile(_NAME)
_DOCUMENT_OF = re.compile(
    r"^(?:(?:A|An|The)[ \u00a0]+)?(?P<body>(?:[A-Z][\w.’'-]*[ \u00a0]+)*[A-Z][\w.’'-]*)"
    r"(?:’s|'s)?[ \u00a0]+(?:[a-z]+[ \u00a0]+)?"
    r"(?:memo|report|document|note|study|sheet|release|statement|filing|analysis|review|audit|"
    r"survey|poll|flyer|post|letter|dashboard|officials?|spokesperson|spokesman|spokeswoman|"
    r"source|sources|aide|aides)$"
)
_APPOSITION = re.compile(
    rf"(?P<name>{_NAME}),[ \u00a0]+(?:a|an|the|who|its|their)[ \u00a0][^,;“”\"]{{3,90}},[ \u00a0]*$"
)
# "Rick Dunleavy, had assured": the source stands before its auxiliaries.
_AUXILIARY = re.compile(r"(?:[ \u00a0]+(?:had|has|have|would|will|also|later|then))+[ \u00a0]*$")
_RELATIVE = re.compile(r"^(?:(?:which|that|who|whom|and|but|as|while)[ \u00a0]+)+")
_PHRASE_END = re.compile(r"[,;:.!?()\"“”]|\s(?:that|who|which|when|where|in|on)\s")
_PARTICIPLES = frozenset({"released", "published", "compiled", "issued", "obtained", "posted"})
_DETERMINERS = frozenset({"a", "an", "the", "data", "figures", "numbers", "from", "of"})
# "CBP data show", "a Homeland Security spokesperson told": the agency speaks through them.
_AGENCY_VOICE = re.compile(
    r"(?:’s|'s)?[ \u00a0]+(?:[a-z-]+[ \u00a0]+){0,2}(?:data|figures|statistics|numbers|records|"
    r"count|tally|survey|"
    r"spokesperson|spokesman|spokeswoman|officials?|official|release|report|dashboard|"
    r"statement|analysis|estimates?|officers|agents|investigators|deputies|troopers|"
    r"leadership|chief|commissioner|director)[ \u00a0,]*$"
)
# "... in Seattle", "... who raided a farm in the B.C. Interior": what stands between a
# source and its verb.
_PLACE_OR_CLAUSE = re.compile(
    r"(?:[ \u00a0]+(?:in|at|from|near|of|for)[ \u00a0]+(?:the[ \u00a0]+)?"
    r"(?:[A-Z][\w’'.-]*[ \u00a0]*)+"
    r"|[ \u00a0]+(?:who|which|that)[ \u00a0]+[^,;]*?)[ \u00a0,]*$"
)
# "a KFF survey found": only a document's findings are attributed with "found".
_FINDING = re.compile(
    r"\b(?:survey|study|poll|report|analysis|review|audit|research|census|inquiry)[ \u00a0]+$"
)
_LEAD_NAME = re.compile(r"(?P<name>[A-Z]{3,}):\s")  # "TRUMP: ..." transcript style


class SpeakerFinder:
    def __init__(self, vocab: Vocabulary) -> None:
        self.not_speakers = vocab.not_speakers
        self.abbreviations = frozenset(vocab.abbreviations)
        verbs = sorted(vocab.speaker_verbs, key=len, reverse=True)
        alternation = "|".join(re.escape(v) for v in verbs)
        # Case-sensitive ("the United States" is no attribution), but "According to" may
        # open a sentence.
        self.verb = re.compile(rf"(?<![\w])(?:{alternation}|According to)(?![\w])")
        self.triggers = Triggers(words=frozenset(first_token(v) for v in verbs) - {""})
        self.name_before = re.compile(rf"(?P<name>{_NAME})[\s,]*(?:\([^)]*\)[\s,]*)?$")
        self.name_after = re.compile(rf"[\s,]+(?:(?:the|a|an)[ \u00a0]+)?(?P<name>{_NAME})")
        self.after_words = re.compile(
            r"[\s,]+(?:the[ \u00a0]+)?(?P<name>[a-z]+(?:[ \u00a0]+[a-z]+)?)\b"
        )

    def find(
        self,
        text: str,
        start: int,
        end: int,
        agencies: list[Mention],
        positions: list[int] | None = None,
        reject: Callable[[str], bool] | None = None,
    ) -> str | None:
        """The speaker of text[start:end], or None when the sentence attributes nothing.
        `positions` are the offsets of verb trigger words in the sentence, when known, in
        the order to try them; a candidate `reject` refuses (a place) is passed over."""
        lead = _LEAD_NAME.match(text, start, end)
        if lead:
            return lead.group("name").title()
        if positions is None:
            positions = trigger_positions(text, self.triggers, start, end)
        verbs = (self.verb.match(text, pos, end) for pos in positions)
        for verb in (v for v in verbs if v is not None):
            word = verb.group().lower()
            if word in ("found", "finds") and not _FINDING.search(
                text, max(start, verb.start() - 20), verb.start()
            ):
                continue  # "officers found 2 kg": narration, not a source's finding
            speaker: str | None
            if word == "according to":
                speaker = self._after(text, verb.end(), end, agencies, lowercase=True)
            elif word == "reported" and text.startswith(" by ", verb.end()):
                speaker = self._after(text, verb.end(), end, agencies, lowercase=False)
            else:
                speaker = self._before(text, start, verb.start(), agencies)
                if speaker is None and word in ("said", "says", "wrote", "added", "noted"):
                    speaker = self._after(text, verb.end(), end, agencies, lowercase=False)
            if speaker and not (reject and reject(speaker)):
                return speaker
        return None

    def clean(self, name: str) -> str | None:
        """A speaker name without its title, or None for words that name nobody."""
        name = name.strip(" ,.")
        name = _TITLES.sub("", name)
        name = _TITLES.sub("", name)
        words = name.split()
        if len(words) > 3 and words[0] in ("of", "for"):
            # "Minister for Finance Jack Chambers": the portfolio, then the person.
            name = " ".join(words[-2:])
        if (
            not name
            or name in self.not_speakers
            or (name.split()[0] in self.not_speakers and len(name.split()) == 1)
        ):
            return None
        return name

    def _phrase_end(self, text: str, pos: int, end: int) -> int | None:
        """Where a source phrase after a verb ends: at punctuation or a clause word, but not
        at the dot of an abbreviation ("Sen. Marie Tremblay", "U.S. Attorney")."""
        for m in _PHRASE_END.finditer(text, pos, end):
            if m.group() == "." and text[m.end() : m.end() + 1].isalnum():
                continue  # a web name: "Rentals.ca"
            if m.group() == ".":
                word = text[: m.end()].rsplit(None, 1)[-1].lstrip('("“')
                if word in self.abbreviations or (len(word) == 2 and word[0].isupper()):
                    continue
            return m.start()
        return None

    def _before(
        self, text: str, start: int, pos: int, agencies: list[Mention], depth: int = 0
    ) -> str | None:
        """The source right before a verb. A place or a relative clause between the source
        and its verb is skipped: "CBP officials in Seattle noted", "officers who raided a
        farm in the B.C. Interior say"."""
        window = _AUXILIARY.sub("", text[max(start, pos - 120) : pos])
        appos = _APPOSITION.search(window)
        if appos:  # "Rebecca Purdy, a spokesperson for the RCMP, said"
            name = self.clean(appos.group("name"))
            if name:
                return name
        for agency in agencies:
            if 0 <= pos - agency.end <= 3 or (
                0 <= pos - agency.end <= 40 and _AGENCY_VOICE.match(text, agency.end, pos)
            ):
                return agency.name
        window = window[-80:]
        whole = self.name_before.search(window)
        if depth < 2:
            skip = _PLACE_OR_CLAUSE.search(window)
            # "the Ministry of Coal said": "of Coal" ends the body's own name, no place.
            if skip and not (
                whole and whole.start() < skip.start() and len(window) - whole.end() <= 3
            ):
                inner = self._before(
                    text, start, pos - len(window) + skip.start(), agencies, depth + 1
                )
                if inner:
                    return inner
        if whole and len(window) - whole.end() <= 3:
            return self.clean(whole.group("name"))
        m = _GROUP_BEFORE.search(window)
        if m is None:
            return None
        name = _RELATIVE.sub("", m.group("name"))
        body = _DOCUMENT_OF.match(name)  # "A White House fact sheet" -> White House
        return body.group("body") if body else name

    def _after(
        self, text: str, pos: int, end: int, agencies: list[Mention], lowercase: bool
    ) -> str | None:
        """The source named after "according to", "said"...: an agency, else the last name in
        the phrase ("British think tank Chatham House"), else (for "according to") the
        phrase itself ("police", "a recent federal memo")."""
        for agency in agencies:
            if 0 <= agency.start - pos <= 25:
                return agency.name
        if text.startswith(" by", pos):
            pos += 3
        stop = self._phrase_end(text, pos, end)
        phrase = text[pos : stop if stop is not None else min(end, pos + 80)]
        names = [n for n in _NAME_RE.findall(phrase) if self.clean(n)]
        head = phrase.lstrip()
        if names and head.lower().startswith("the ") and head[4:].startswith(names[0]):
            return f"The {self.clean(names[0])}"  # a publication: "the Globe and Mail"
        if names and (lowercase or head.startswith(names[0])):
            return self.clean(names[-1] if lowercase else names[0])
        if lowercase:
            words = [w for w in phrase.split() if w.isalpha()]
            while words and words[0].lower() in _DETERMINERS:
                words = words[1:]
            # "federal data released Wednesday": the described source, not its date.
            lower = list(itertools.takewhile(str.islower, words))
            if lower and lower[-1] in _PARTICIPLES:
                lower = lower[:-1]
            if lower:
                return " ".join(lower[:4])
        return None
