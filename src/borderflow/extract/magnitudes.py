"""Magnitudes stated in words: "The fentanyl coming through Canada is massive", "Canada is
not a 'big player'". They become claims of dimension `magnitude` (+1 large, -1 small) so the
checks can hold them against seizure shares like any number."""

from __future__ import annotations

import re
from pathlib import Path

from borderflow import yamltext
from borderflow.extract.numbers import alternation
from borderflow.extract.quantities import Quantity
from borderflow.extract.tokens import Triggers, first_token, trigger_positions
from borderflow.vocab import VOCAB_DIR

_SUBSTANCE = re.compile(r"(?i)\b(?:fentanyl|drugs?|opioids?)\b")


class MagnitudeFinder:
    def __init__(self, directory: Path = VOCAB_DIR) -> None:
        data = yamltext.load((directory / "magnitudes.yaml").read_text(encoding="utf-8"))
        self.level = {w.lower(): 1 for w in data["large"]} | {w.lower(): -1 for w in data["small"]}
        self.pattern = re.compile(rf"(?i)(?<![\w])({alternation(list(self.level))})(?![\w])")
        self.triggers = Triggers(words=frozenset(first_token(w) for w in self.level) - {""})
        self.negation = re.compile(
            rf"(?i)(?<![\w])({alternation(list(data['negations']))})(?![\w])"
        )

    def find(
        self, text: str, start: int, end: int, positions: list[int] | None = None
    ) -> list[Quantity]:
        """Magnitude statements in a sentence that is about a drug; `positions` are the
        sentence's trigger offsets from a shared TokenIndex, when there is one."""
        if positions is None:
            positions = trigger_positions(text, self.triggers, start, end)
        if not positions or not _SUBSTANCE.search(text, start, end):
            return []
        out = []
        matches = (self.pattern.match(text, pos, end) for pos in positions)
        for m in (m for m in matches if m is not None):
            level = self.level[m.group(1).lower()]
            before = text[max(start, m.start() - 40) : m.start()]
            words = before.split()[-8:]
            if any(
                self.negation.fullmatch(w.strip("‘’'\"“”,")) for w in words
            ) or before.rstrip().endswith("n't"):
                level = -level
            out.append(
                Quantity(
                    start=m.start(),
                    end=m.end(),
                    num_start=m.start(),
                    value=float(level),
                    value_max=None,
                    qualifier="vague",
                    unit="magnitude",
                    dimension="magnitude",
                    normalized_value=float(level),
                    normalized_unit="magnitude",
                    noun_measure="share",
                )
            )
        return out
