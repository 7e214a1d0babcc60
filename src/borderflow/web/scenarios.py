"""Scenario runs from the web form and the API: a handful of named levers become a
scenario of the model's own kind, evaluated against the last fit next to the baseline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from borderflow.errors import ModelError
from borderflow.records.estimates import ScenarioOutcome

if TYPE_CHECKING:  # the model (numpy, scipy) loads when a scenario runs, not with the pages
    from borderflow.model.scenario import Engine, Scenario
    from borderflow.model.spec import Spec


@dataclass(frozen=True, slots=True)
class Lever:
    """One form field: its label, range and the change it makes."""

    name: str
    label: str
    low: float
    high: float
    default: float
    help: str


LEVERS = (
    Lever("north_resources", "Northern border (Canada to U.S.) enforcement resources, x",
          0.5, 4.0, 1.0, "Agents, screening and technology at ports, between ports and in the "
          "mail from Canada: multiplies the detection hazard by x^gamma."),
    Lever("southwest_resources", "Southwest border (Mexico to U.S.) enforcement resources, x",
          0.5, 4.0, 1.0, "The same for every route from Mexico into the U.S."),
    Lever("postal_screening", "Postal screening, x", 0.5, 4.0, 1.0,
          "Detection hazard of every mail route, both countries, multiplied by x."),
    Lever("canada_capacity_cut", "Canadian production capacity cut (share)", 0.0, 0.9, 0.0,
          "Lab takedowns or precursor controls in Canada: capacity times (1 - share)."),
    Lever("mexico_capacity_cut", "Mexican production capacity cut (share)", 0.0, 0.9, 0.0,
          "The same for Mexican producers."),
    Lever("us_demand", "U.S. demand, x", 0.5, 1.5, 1.0,
          "Treatment and prevention: the U.S. market total times x before re-routing."),
)  # fmt: skip


def parse_levers(raw: Mapping[str, Any]) -> dict[str, float]:
    """Lever values from a form, a page address or a JSON body, each checked against its
    range; the message names the lever and the range it takes."""
    values: dict[str, float] = {}
    known = {lever.name: lever for lever in LEVERS}
    for key in raw:
        if key not in known and key != "token":
            raise ModelError(f"unknown lever {key!r}; one of {', '.join(known)}")
    for lever in LEVERS:
        text = raw.get(lever.name)
        if text is None or (isinstance(text, str) and not text.strip()):
            values[lever.name] = lever.default
            continue
        try:
            value = float(text)
        except (TypeError, ValueError):
            raise ModelError(
                f"{lever.label} ({lever.name}) must be a number between {lever.low:g} and "
                f"{lever.high:g}, not {str(text)[:40]!r}"
            ) from None
        if not lever.low <= value <= lever.high:
            raise ModelError(
                f"{lever.label} ({lever.name}) must be between {lever.low:g} and "
                f"{lever.high:g}, not {value:g}"
            )
        values[lever.name] = value
    return values


def lever_query(values: Mapping[str, float]) -> str:
    """The query string that states every lever: what the address bar shows for a run,
    so the link reproduces it."""
    return urlencode({lever.name: number_text(values[lever.name]) for lever in LEVERS})


def number_text(value: float) -> str:
    """A lever value as short as it reads ("2", not "2.0") yet read back exactly."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def levers_asked(query: Mapping[str, str]) -> dict[str, str]:
    """The lever values a page address names (other parameters are not the form's)."""
    return {lever.name: query[lever.name] for lever in LEVERS if lever.name in query}


def scenario_from_levers(spec: Spec, values: dict[str, float]) -> Scenario:
    """The scenario the form describes; levers left at their default are no change."""
    from borderflow.model.scenario import Change, Scenario

    into_us = [e for e in spec.edges if e.market == "US"]
    changes: list[Change] = []

    def edges(items: list[Any]) -> tuple[str, ...]:
        return tuple(e.id for e in items)

    if values["north_resources"] != 1.0:
        changes.append(Change("resources", edges=edges([e for e in into_us if e.producer == "CA"]),
                              value=values["north_resources"]))  # fmt: skip
    if values["southwest_resources"] != 1.0:
        changes.append(Change("resources", edges=edges([e for e in into_us if e.producer == "MX"]),
                              value=values["southwest_resources"]))  # fmt: skip
    if values["postal_screening"] != 1.0:
        changes.append(Change("detection", modes=("post",), side="both",
                              value=values["postal_screening"]))  # fmt: skip
    for key, producer in (("canada_capacity_cut", "CA"), ("mexico_capacity_cut", "MX")):
        if values[key] > 0 and producer in spec.producers:
            changes.append(Change("capacity", producers=(producer,), op="reduce",
                                  value=values[key]))  # fmt: skip
    if values["us_demand"] != 1.0:
        changes.append(Change("demand", markets=("US",), value=values["us_demand"]))
    return Scenario("your scenario", "levers from the web form", 0, (), {}, tuple(changes))


def evaluate(engine: Engine, base: Any, scenario: Scenario) -> list[ScenarioOutcome]:
    """Outcome rows (baseline first) with medians, intervals, paired changes and their
    route-choice shares."""
    from borderflow.model.scenario import run_scenarios, summarise

    return summarise(run_scenarios(base, [scenario], engine), base.spec)
