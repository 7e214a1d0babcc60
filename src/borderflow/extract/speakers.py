"""Who said it: attribution of a sentence to a person, agency or publication.

News attributes with a small set of verbs ("said", "told", "according to"); the speaker is
the name next to the verb, on the side the verb's grammar puts it.
"""

from __future__ import annotations

import re

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
    r"researchers|experts|authorities|note|study))[ \u00a0,]*$"
)
_NAME_RE = re.compile(_NAME)
_PHRASE_END = re.compile(r"[,;:.!?()\"“”]|\s(?:that|who|which|when|where|in|on)\s")
_DETERMINERS = frozenset({"a", "an", "the", "data", "figures", "numbers", "from", "of"})
_LEAD_NAME = re.compile(r"^(?P<name>[A-Z]{3,}):\s")  # "TRUMP: ..." transcript style


class SpeakerFinder:
    def __init__(self, vocab: Vocabulary) -> None:
        self.not_speakers = vocab.not_speakers
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
    ) -> str | None:
        """The speaker of text[start:end], or None when the sentence attributes nothing.
        `positions` are the offsets of verb trigger words in the sentence, when known."""
        lead = _LEAD_NAME.match(text, start, end)
        if lead:
            return lead.group("name").title()
        if positions is None:
            positions = trigger_positions(text, self.triggers, start, end)
        verbs = (self.verb.match(text, pos, end) for pos in positions)
        for verb in (v for v in verbs if v is not None):
            word = verb.group().lower()
            speaker: str | None
            if word == "according to":
                speaker = self._after(text, verb.end(), end, agencies, lowercase=True)
            elif word == "reported" and text.startswith(" by ", verb.end()):
                speaker = self._after(text, verb.end(), end, agencies, lowercase=False)
            else:
                speaker = self._before(text, start, verb.start(), agencies)
                if speaker is None and word in ("said", "says", "wrote", "added", "noted"):
                    speaker = self._after(text, verb.end(), end, agencies, lowercase=False)
            if speaker:
                return speaker
        return None

    def _clean(self, name: str) -> str | None:
        name = name.strip(" ,.")
        name = _TITLES.sub("", name)
        name = _TITLES.sub("", name)
        if (
            not name
            or name in self.not_speakers
            or (name.split()[0] in self.not_speakers and len(name.split()) == 1)
        ):
            return None
        return name

    def _before(self, text: str, start: int, pos: int, agencies: list[Mention]) -> str | None:
        for agency in agencies:
            if 0 <= pos - agency.end <= 3:
                return agency.name
        window = text[max(start, pos - 80) : pos]
        m = self.name_before.search(window)
        if m and len(window) - m.end() <= 3:
            return self._clean(m.group("name"))
        m = _GROUP_BEFORE.search(window)
        return m.group("name") if m else None

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
        stop = _PHRASE_END.search(text, pos, end)
        phrase = text[pos : stop.start() if stop else min(end, pos + 80)]
        names = [n for n in _NAME_RE.findall(phrase) if self._clean(n)]
        head = phrase.lstrip()
        if names and head.lower().startswith("the ") and head[4:].startswith(names[0]):
            return f"The {self._clean(names[0])}"  # a publication: "the Globe and Mail"
        if names and (lowercase or head.startswith(names[0])):
            return self._clean(names[-1] if lowercase else names[0])
        if lowercase:
            words = [w for w in phrase.split() if w.isalpha()]
            while words and words[0].lower() in _DETERMINERS:
                words = words[1:]
            if words and all(w.islower() for w in words):
                return " ".join(words[:4])
        return None
