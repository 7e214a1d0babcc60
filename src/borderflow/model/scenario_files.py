"""Scenario files: what a policy scenario says, read from YAML and checked against the
network spec before any arithmetic, so a misspelt edge or lever is reported with its
file and line rather than silently changing nothing.

The bundled scenarios live in `scenarios/` beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from borderflow.model.levers import LEVERS, OPS, RULES, SIDES, TARGET_WORDS, LeverRule
from borderflow.model.priors import Prior, parse_prior
from borderflow.model.spec import Spec
from borderflow.model.yamlfile import KeyPath, Located, parse, read

SCENARIO_KEYS = {"name", "description", "seed", "sources", "variables", "changes"}
CHANGE_KEYS = {
    "lever", "edges", "modes", "producers", "markets", "origins", "side", "op", "value", "sweep",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Change:
    """One lever applied to named targets; `value` is a number, a variable's name or a
    prior of its own. `sweep` is the range a sensitivity sweep varies it over."""

    lever: str
    edges: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    producers: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    # Precursor sources (the spec's `precursor_source` nodes) a precursors change cuts;
    # none named: every imported precursor.
    origins: tuple[str, ...] = ()
    side: str = "destination"
    op: str = "multiply"
    value: float | str | Prior = 1.0
    sweep: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """A checked scenario file. `seed` fixes its random lever sizes, so runs repeat."""

    name: str
    description: str
    seed: int
    sources: tuple[str, ...]
    variables: dict[str, Prior]
    changes: tuple[Change, ...]
    sweeps: dict[str, tuple[float, float]] = field(default_factory=dict)


def bundled_scenarios() -> list[Path]:
    folder = Path(str(files("borderflow.model") / "scenarios"))
    return sorted(folder.glob("*.yaml"))


def load_scenario(path: Path, spec: Spec) -> Scenario:
    _, doc = read(path)
    return _scenario(doc, spec)


def scenario_from_text(text: str, name: str, spec: Spec) -> Scenario:
    return _scenario(parse(text, name), spec)


def _scenario(doc: Located, spec: Spec) -> Scenario:
    raw = doc.data
    for key in raw:
        if key not in SCENARIO_KEYS:
            raise doc.error((str(key),), "unknown key")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise doc.error(("name",), "a scenario needs a name")
    seed = raw.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise doc.error(("seed",), "seed must be a non-negative integer")
    variables = {
        str(k): parse_prior(doc, ("variables", str(k)), v)
        for k, v in (raw.get("variables") or {}).items()
    }
    changes: list[Change] = []
    sweeps: dict[str, tuple[float, float]] = {}
    for i, body in enumerate(raw.get("changes") or []):
        change = _change(doc, ("changes", i), body, spec, variables)
        if change.sweep is not None:
            key = change.value if isinstance(change.value, str) else f"{change.lever}#{i}"
            sweeps[key] = change.sweep
        changes.append(change)
    sources = raw.get("sources") or []
    if not isinstance(sources, list):
        raise doc.error(("sources",), "sources is a list")
    return Scenario(
        name, str(raw.get("description", "")), seed, tuple(map(str, sources)), variables,
        tuple(changes), sweeps,
    )  # fmt: skip


def _change(
    doc: Located, path: KeyPath, body: Any, spec: Spec, variables: dict[str, Prior]
) -> Change:
    """One entry of `changes`, its targets checked against what its lever acts on."""
    if not isinstance(body, dict):
        raise doc.error(path, "a change is a mapping with a lever")
    lever = body.get("lever")
    if lever not in RULES:
        raise doc.error((*path, "lever"), f"unknown lever {lever!r}; one of {', '.join(LEVERS)}")
    if set(body) - CHANGE_KEYS:
        raise doc.error(path, f"unknown keys: {', '.join(sorted(set(body) - CHANGE_KEYS))}")
    op = body.get("op", "multiply")
    if op not in OPS:
        raise doc.error((*path, "op"), f"op is one of {', '.join(OPS)}")
    side = body.get("side", "destination")
    if side not in SIDES:
        raise doc.error((*path, "side"), f"side is one of {', '.join(SIDES)}")
    named = _targets(doc, path, body, spec)
    rule = RULES[lever]
    wanted = ("edges", "modes") if rule.targets == "routes" else (rule.targets,)
    if not any(named[key] for key in wanted):
        raise doc.error(path, f"a {lever} change names {TARGET_WORDS[rule.targets]}")
    value = _value(doc, (*path, "value"), body.get("value"), variables)
    span = _sweep(doc, (*path, "sweep"), body.get("sweep"))
    origins = _origins(doc, path, body, spec, rule, named["producers"])
    return Change(lever, **named, origins=origins, side=side, op=op, value=value, sweep=span)


def _origins(
    doc: Located,
    path: KeyPath,
    body: dict[str, Any],
    spec: Spec,
    rule: LeverRule,
    producers: tuple[str, ...],
) -> tuple[str, ...]:
    """Precursor sources a precursors change cuts, each a source node of the spec, and
    only for producers whose precursor routes the spec gives (the share cut comes from
    them)."""
    if "origins" not in body:
        return ()
    if not rule.imports_only:
        raise doc.error((*path, "origins"), "only a precursors change names origins")
    sources = {str(n["id"]) for n in spec.nodes if n.get("kind") == "precursor_source"}
    origins = _names(doc, (*path, "origins"), body["origins"], sources)
    for producer in producers:
        if producer not in spec.precursors or not spec.precursors[producer].routes:
            raise doc.error(
                (*path, "origins"), f"the spec gives no precursor routes for {producer}"
            )
    return origins


def _targets(doc: Located, path: KeyPath, body: dict[str, Any], spec: Spec) -> dict[str, Any]:
    """The edges, modes, producers and markets a change names, each checked to exist."""
    known = {
        "edges": {e.id for e in spec.edges},
        "modes": {e.mode for e in spec.edges},
        "producers": set(spec.producers),
        "markets": set(spec.markets),
    }
    return {
        key: _names(doc, (*path, key), body[key], names) if key in body else ()
        for key, names in known.items()
    }


def _names(doc: Located, path: KeyPath, raw: Any, known: set[str]) -> tuple[str, ...]:
    values = raw if isinstance(raw, list) else [raw]
    for v in values:
        if v not in known:
            raise doc.error(
                path, f"unknown {str(path[-1])[:-1]} {v!r}; one of {', '.join(sorted(known))}"
            )
    return tuple(str(v) for v in values)


def _value(
    doc: Located, path: KeyPath, value: Any, variables: dict[str, Prior]
) -> float | str | Prior:
    """A change's size: a number, the name of a declared variable, or a prior mapping."""
    if isinstance(value, bool) or value is None:
        raise doc.error(path, "a change needs a value")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        if value not in variables:
            raise doc.error(path, f"unknown variable {value!r}")
        return value
    return parse_prior(doc, path, value)


def _sweep(doc: Located, path: KeyPath, sweep: Any) -> tuple[float, float] | None:
    if sweep is None:
        return None
    if (
        not isinstance(sweep, list) or len(sweep) < 2
        or not all(isinstance(v, int | float) for v in sweep)
    ):  # fmt: skip
        raise doc.error(path, "sweep is a list of two or more numbers")
    return (float(min(sweep)), float(max(sweep)))
