"""Model quantities as a reader sees them: named in words, in their unit, rounded once.

The model reports internal ids (`delivered_kg`, `CA-US-post`) and raw floats; a reader
wants "Fentanyl consumed, United States: 4,390 kg" and a change of "−44.5 kg (−1%)". This
module is the one place that turns the first into the second, so the model page, its CSV
and JSON exports and anything else that shows scenario results agree to the digit.

Rounding: three significant figures (the models' 90% intervals are far wider than that),
never e-notation, deaths whole, shares in percent and their changes in percentage points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from borderflow.records.estimates import Estimate, ScenarioOutcome

if TYPE_CHECKING:
    from borderflow.model.spec import Spec

MINUS = "\u2212"  # a real minus sign: it reads (and is read aloud) as one, unlike "-"


@dataclass(frozen=True, slots=True)
class Unit:
    """How one kind of value is scaled, rounded and named. `change` names the unit of a
    difference (a share's change is in percentage points, not percent)."""

    name: str
    suffix: str
    change: str
    change_suffix: str
    scale: float = 1.0
    max_decimals: int = 3


KG = Unit("kg pure fentanyl", " kg", "kg pure fentanyl", " kg")
DEATHS = Unit("deaths", " deaths", "deaths", " deaths", max_decimals=0)
SHARE = Unit("%", "%", "percentage points", " pp", scale=100.0, max_decimals=2)
POUNDS = Unit("lb as seized", " lb", "lb as seized", " lb")
RATIO = Unit("kg per kg cut", "", "kg per kg cut", "", max_decimals=2)
PLAIN = Unit("", "", "", "")


@dataclass(frozen=True, slots=True)
class Outcome:
    """A model quantity in words: what it is, its unit, and a sentence on how to read it."""

    quantity: str
    label: str
    unit: Unit
    note: str


OUTCOMES = {
    o.quantity: o
    for o in (
        Outcome("delivered_kg", "Fentanyl consumed", KG,
                "kilograms of pure fentanyl reaching users in the market, after seizures "
                "and losses on the way"),
        Outcome("deaths", "Fentanyl overdose deaths", DEATHS,
                "deaths in the market's own series (CDC for the United States, illicitly "
                "made fentanyl only; PHAC for Canada)"),
        Outcome("canada_share", "Canada's share", SHARE,
                "share of the fentanyl reaching the United States that was made in Canada"),
        Outcome("cbp_seized_lb", "CBP fentanyl seizures", POUNDS,
                "pounds as seized (not pure), as CBP publishes them"),
        Outcome("displacement_ratio", "Flow moved to other routes", RATIO,
                "kilograms moved to routes the levers leave alone per kilogram cut from "
                "those they act on"),
        Outcome("flow", "Flow", KG, "kilograms of pure fentanyl sent along the route"),
        Outcome("consumption", "Fentanyl consumed", KG,
                "kilograms of pure fentanyl reaching users in the market"),
    )
}  # fmt: skip

# Items the scenario summary names by phrase rather than by a spec id.
_ITEMS = {
    "CA of US supply": "fentanyl reaching the United States",
    "all cells": "all CBP locations",
    "northern border": "northern border",
    "targeted edges": "routes the levers act on",
}
MODES = {
    "post": "by mail",
    "poe": "through ports of entry",
    "bp": "between ports of entry",
    "sea": "by sea",
    "dom": "within the country",
}


def outcome(quantity: str) -> Outcome:
    """The quantity's words and unit; an unknown one keeps its id, unscaled."""
    return OUTCOMES.get(quantity) or Outcome(quantity, quantity.replace("_", " "), PLAIN, "")


def edge_label(edge_id: str, spec: Spec | None) -> str:
    """A route PRODUCER-MARKET-MODE in words: "Canada → United States, by mail"."""
    parts = edge_id.split("-")
    if len(parts) != 3:
        return edge_id
    producer, market, mode = parts
    if spec is not None:
        producer = spec.producers[producer].label if producer in spec.producers else producer
        market = spec.markets[market].label if market in spec.markets else market
    return f"{producer} → {market}, {MODES.get(mode, mode)}"


def item_label(item: str, spec: Spec | None) -> str:
    """A market, a route or a summary's phrase in words."""
    if item in _ITEMS:
        return _ITEMS[item]
    if spec is not None and item in spec.markets:
        return spec.markets[item].label
    if spec is not None and any(e.id == item for e in spec.edges):
        return edge_label(item, spec)
    return item


def period_label(fy: int | None) -> str:
    """A U.S. fiscal year with its months, the basis of every model quantity."""
    if fy is None:
        return ""
    return f"fiscal year {fy} (October {fy - 1} to September {fy})"


# -- numbers -------------------------------------------------------------------------------
def rounded(value: float, digits: int = 3, max_decimals: int = 3) -> float:
    """`value` to `digits` significant figures, with at most `max_decimals` decimals (so a
    near-zero value is 0, never 1.8e-15)."""
    if not math.isfinite(value) or value == 0:
        return value
    magnitude = math.floor(math.log10(abs(value)))
    places = min(digits - 1 - magnitude, max_decimals)
    # Halves away from zero, as a reader rounds (14.25 to 14.3), from the shortest decimal
    # that reads back as `value` (so 2.675 is 2.675, not 2.67499...).
    step = Decimal(1).scaleb(-places)
    result = float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))
    return 0.0 if result == 0 else result


def exported(value: float, max_decimals: int) -> float:
    """A value for CSV and JSON, rounded as shown; whole ones as integers (4390, not
    4390.0), and never in e-notation."""
    result = rounded(value, max_decimals=max_decimals)
    if math.isfinite(result) and result.is_integer() and abs(result) < 1e15:
        return int(result)
    return result


def _decimals(value: float, max_decimals: int) -> str:
    """A rounded value with thousands separators and no trailing zeros."""
    text = f"{abs(value):,.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def number(value: float, *, digits: int = 3, max_decimals: int = 3, signed: bool = False) -> str:
    """A number as a reader sees it: "12,300", "0.853", "−44.5", with `signed` "+1,230";
    zero carries no sign."""
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "∞"
    value = rounded(value, digits, max_decimals)
    text = _decimals(value, max_decimals)
    if value < 0:
        return MINUS + text
    return ("+" + text) if signed and value > 0 else text


def amount(value: float, unit: Unit) -> str:
    """A value in its unit: "12,300 kg", "41,200 deaths", "0.5%"."""
    text = number(value * unit.scale, max_decimals=unit.max_decimals)
    if unit is DEATHS and text == "1":
        return "1 death"
    return text + unit.suffix


def interval(low: float, high: float, unit: Unit, *, signed: bool = False) -> str:
    """A 90% interval, "2,240 to 8,080"."""

    def one(v: float) -> str:
        return number(v * unit.scale, max_decimals=unit.max_decimals, signed=signed)

    return f"{one(low)} to {one(high)}"


def change(value: float, unit: Unit) -> str:
    """A difference in its unit, always signed: "+1,230 kg", "−0.82 pp", "0 kg"."""
    text = number(value * unit.scale, max_decimals=unit.max_decimals, signed=True)
    return text + unit.change_suffix


def percent_change(difference: float, base: float) -> float | None:
    """`difference` as a percentage of `base`; None when the base is zero or unknown."""
    if not base or not math.isfinite(base) or not math.isfinite(difference):
        return None
    return difference / base * 100.0


def percent(value: float | None) -> str:
    """A percentage change as text, "−1%", "+12.5%"; empty when there is none."""
    if value is None:
        return ""
    return number(value, max_decimals=1, signed=True) + "%"


def flow_cells(estimate: Estimate, spec: Spec | None) -> dict[str, str]:
    """A fitted route's flow as the model page's flows table shows it."""
    prior = ""
    if estimate.prior_low is not None and estimate.prior_high is not None:
        prior = interval(estimate.prior_low, estimate.prior_high, KG)
    return {
        "route": edge_label(estimate.item, spec),
        "median": amount(estimate.median, KG),
        "interval": interval(estimate.low, estimate.high, KG),
        "prior": prior,
    }


# -- scenario results ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Summary:
    """A median and its 90% interval, in the model's own unit."""

    median: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    """One outcome of one scenario beside the baseline: what the table shows in one row and
    the exports carry in one record. `baseline` and `change` are None where the outcome
    has no baseline (the displacement ratio)."""

    scenario: str
    quantity: str
    item: str
    outcome: Outcome
    where: str
    fy: int | None
    baseline: Summary | None
    result: Summary
    change: Summary | None
    # The share of the change's variance that comes from the route-choice priors.
    route_share: float | None = None

    @property
    def change_percent(self) -> float | None:
        """The median change as a percentage of the baseline median."""
        if self.baseline is None or self.change is None:
            return None
        return percent_change(self.change.median, self.baseline.median)

    @property
    def medians_disagree(self) -> bool:
        """Whether the two columns' medians move the other way from the median change: the
        lever lowers most draws yet the scenario's median is higher (or the reverse),
        because it moves the spread of the estimates as well as their middle. A reader
        comparing the columns would take the change for an error unless told."""
        if self.baseline is None or self.change is None:
            return False
        unit = self.outcome.unit
        gap = (self.result.median - self.baseline.median) * unit.scale
        moved = self.change.median * unit.scale
        tiny = 10.0**-unit.max_decimals
        return abs(gap) >= tiny and abs(moved) >= tiny and (gap > 0) != (moved > 0)

    def cells(self) -> dict[str, str]:
        """The row's display text, key by column."""
        unit = self.outcome.unit

        def shown(s: Summary | None) -> tuple[str, str]:
            if s is None:
                return ("", "")
            return amount(s.median, unit), interval(s.low, s.high, unit)

        base, base_range = shown(self.baseline)
        value, value_range = shown(self.result)
        moved, moved_range = ("", "")
        if self.change is not None:
            moved = change(self.change.median, unit)
            moved_range = interval(self.change.low, self.change.high, unit, signed=True)
        return {
            "outcome": self.outcome.label, "where": self.where, "unit": self._unit_shown(),
            "baseline": base, "baseline_interval": base_range,
            "scenario": value, "scenario_interval": value_range,
            "change": moved, "change_interval": moved_range,
            "change_percent": percent(self.change_percent),
            "change_mark": "†" if self.medians_disagree else "",
            "route_share": route_share_text(self.route_share),
        }  # fmt: skip

    def _unit_shown(self) -> str:
        """The unit beside the outcome's name, unless the name says it already."""
        name = self.outcome.unit.name
        return "" if name.lower() in self.outcome.label.lower() else name

    def as_record(self) -> dict[str, Any]:
        """The row for CSV and JSON: numbers in the unit shown (shares in percent, their
        changes in percentage points), rounded as the table rounds them."""
        unit = self.outcome.unit

        def num(v: float | None) -> float | None:
            return None if v is None else exported(v * unit.scale, unit.max_decimals)

        base, moved = self.baseline, self.change
        pct = self.change_percent
        return {
            "scenario": self.scenario, "outcome": self.outcome.label, "where": self.where,
            "fiscal_year": self.fy, "unit": unit.name,
            "baseline_median": num(base.median) if base else None,
            "baseline_low": num(base.low) if base else None,
            "baseline_high": num(base.high) if base else None,
            "scenario_median": num(self.result.median),
            "scenario_low": num(self.result.low), "scenario_high": num(self.result.high),
            "change_unit": unit.change if moved else None,
            "change_median": num(moved.median) if moved else None,
            "change_low": num(moved.low) if moved else None,
            "change_high": num(moved.high) if moved else None,
            "change_percent": None if pct is None else exported(pct, 1),
            "route_share_percent": (
                None if self.route_share is None else exported(100 * self.route_share, 0)
            ),
            "quantity": self.quantity, "item": self.item,
        }  # fmt: skip


RECORD_FIELDS = (
    "scenario", "outcome", "where", "fiscal_year", "unit", "baseline_median", "baseline_low",
    "baseline_high", "scenario_median", "scenario_low", "scenario_high", "change_unit",
    "change_median", "change_low", "change_high", "change_percent", "route_share_percent",
    "quantity", "item",
)  # fmt: skip

# What the route-choice share means, said once for every face that shows it.
ROUTE_SHARE_NOTE = (
    "the share of the change's spread that comes from the route-choice parameters, which "
    "say how traffickers answer a lever (the model spec's `route_choice`). No data inform "
    "them: their priors are own judgement. The share is a total-effect index: evaluated "
    "again with those parameters drawn afresh and the fitted draws held, it is how much of "
    "the variance would go were they known. Near 100%, the change is mostly judgement; "
    "near 0%, mostly what the fit learnt"
)


def route_share_text(share: float | None) -> str:
    """A route-choice share as a whole percentage; empty when there is none."""
    if share is None:
        return ""
    return f"{round(100 * share):d}%"


def scenario_rows(
    outcomes: list[ScenarioOutcome], spec: Spec | None, fy: int | None
) -> list[ScenarioRow]:
    """Each scenario's outcomes (not the baseline's own) beside the baseline's, in the
    order the model reports them."""
    baseline = {
        (o.quantity, o.item): Summary(o.median, o.low, o.high)
        for o in outcomes
        if o.scenario == "baseline"
    }
    rows: list[ScenarioRow] = []
    for o in outcomes:
        if o.scenario == "baseline":
            continue
        base = baseline.get((o.quantity, o.item))
        moved = (
            None
            if o.change_median is None or o.change_low is None or o.change_high is None
            else Summary(o.change_median, o.change_low, o.change_high)
        )
        result = Summary(o.median, o.low, o.high)
        where = item_label(o.item, spec)
        row = ScenarioRow(o.scenario, o.quantity, o.item, outcome(o.quantity), where, fy, base,
                          result, moved, o.route_share)  # fmt: skip
        rows.append(row)
    return rows
