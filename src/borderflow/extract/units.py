"""Unit lookup and normalisation (mass to kg, volume to L, length to km, rates per year).

Conversion factors come from pint, computed once per unit when the table is built, so the
hot path multiplies by a float instead of building pint quantities for every mention.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pint

from borderflow.vocab import Unit, Vocabulary

if TYPE_CHECKING:
    from borderflow.extract.quantities import Quantity


class UnitTable:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._by_word: dict[str, Unit] = {}
        self._case_sensitive: dict[str, Unit] = {}
        self.factor: dict[str, tuple[float, str]] = {}
        registry: Any = pint.UnitRegistry()
        for unit in vocab.units:
            for word in unit.words:
                if len(word) == 1:
                    self._case_sensitive[word] = unit
                else:
                    self._by_word.setdefault(word.lower(), unit)
            target = vocab.normalized_units.get(unit.dimension)
            if target and unit.pint:
                to = self.by_word(target) or next(u for u in vocab.units if u.name == target)
                magnitude = registry.Quantity(1, unit.pint).to(to.pint).magnitude
                self.factor[unit.name] = (float(magnitude), to.name)
        self.per_year = {name: per for name, (per, _words) in vocab.per_period.items()}
        self.seconds = {
            unit.name: float(registry.Quantity(1, unit.pint).to("second").magnitude)
            for unit in vocab.units
            if unit.dimension == "duration" and unit.pint
        }

    def by_word(self, word: str) -> Unit | None:
        if len(word) == 1:
            return self._case_sensitive.get(word)
        return self._by_word.get(word.lower())

    def duration_factor(self, larger: str, smaller: str) -> float | None:
        """How many `smaller` make one `larger` (hours -> minutes: 60), None if either is
        not a duration."""
        if larger not in self.seconds or smaller not in self.seconds:
            return None
        return self.seconds[larger] / self.seconds[smaller]

    def as_metric(self, q: Quantity) -> Quantity:
        """`q` with its metric reading ("half a ton" in a Canadian story is half a tonne),
        for the pipeline to call when the document's context is metric."""
        if q.metric_unit is None or q.unit is None:
            return q
        unit = q.metric_unit + q.unit[len(q.unit.split("/")[0]) :]
        return self.normalise(replace(q, unit=unit, metric_unit=None))

    def normalise(self, q: Quantity) -> Quantity:
        """Fill normalized_value/unit: mass -> kg, volume -> L, length -> km, rate -> per year;
        money stays in its currency; counts, percentages and durations keep their unit."""
        if q.unit is None:
            return replace(q, normalized_value=q.value, normalized_unit=None)
        if q.dimension == "rate":
            base, _, period = q.unit.rpartition("/")
            factor, unit = self.factor.get(base, (1.0, base))
            per_year = self.per_year[period]
            return replace(
                q,
                normalized_value=_round(q.value * factor * per_year),
                normalized_unit=f"{unit}/year",
            )
        if q.unit in self.factor:
            factor, unit = self.factor[q.unit]
            return replace(q, normalized_value=_round(q.value * factor), normalized_unit=unit)
        return replace(q, normalized_value=q.value, normalized_unit=q.unit)


def _round(value: float) -> float:
    """Drop binary noise from conversions (1.55 lb -> 0.7030681735, not ...735000001)."""
    return float(f"{value:.12g}")
