"""The lever table: scenario-file checks and lever arrays follow the same rule per lever
(no fit needed: a made-up baseline of the bundled spec's shape)."""

from __future__ import annotations

import numpy as np
import pytest

from borderflow.errors import SpecError
from borderflow.model.baseline import ROUTE, Baseline
from borderflow.model.engine import Engine
from borderflow.model.levers import LEVERS, RULES, TARGET_WORDS, lever_arrays
from borderflow.model.scenario_files import scenario_from_text
from borderflow.model.spec import Spec, load_spec

# One valid target of each kind in the bundled spec.
TARGETS = {
    "routes": "edges: [CA-US-bp]",
    "producers": "producers: [CA]",
    "markets": "markets: [US]",
}
# The arrays a rule's `array` names; hazard has a destination and an origin side.
ARRAYS = {
    "hazard": ("hazard_dest",), "cost": ("cost",), "capacity": ("capacity",),
    "loss_multiplier": ("loss_multiplier",), "demand": ("demand",),
}  # fmt: skip
IDENTITY = {"cost": 0.0}


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec()


def _baseline(spec: Spec, draws: int = 4) -> Baseline:
    e, p, m, c = len(spec.edges), len(spec.producers), len(spec.markets), len(spec.cells)
    ones = np.ones
    return Baseline(
        spec, 2023, ones((draws, e)), ones((draws, e)) * 0.1, ones((draws, e)) * 0.05,
        ones((draws, p)) * 0.5, ones((draws, m)) * 0.1, ones((draws, m)), ones((draws, c, e)),
        {k: np.full(draws, 0.5) for k in ROUTE}, np.full((draws, p), 0.25),
    )  # fmt: skip


def _text(lever: str, targets: str) -> str:
    return f"name: t\nchanges:\n  - {{lever: {lever}, {targets}, op: reduce, value: 0.5}}\n"


def test_every_lever_has_a_rule_and_error_words() -> None:
    assert tuple(RULES) == LEVERS
    assert {"detection", "resources", "capacity", "precursors", "interior_loss", "demand",
            "cost"} == set(LEVERS)  # fmt: skip
    assert all(rule.targets in TARGET_WORDS for rule in RULES.values())


@pytest.mark.parametrize("lever", LEVERS)
def test_a_change_must_name_what_its_lever_acts_on(spec: Spec, lever: str) -> None:
    rule = RULES[lever]
    scenario_from_text(_text(lever, TARGETS[rule.targets]), "ok.yaml", spec)
    for kind, targets in TARGETS.items():
        if kind != rule.targets:
            with pytest.raises(
                SpecError, match=f"a {lever} change names {TARGET_WORDS[rule.targets]}"
            ):
                scenario_from_text(_text(lever, targets), "bad.yaml", spec)


@pytest.mark.parametrize("lever", LEVERS)
def test_a_lever_moves_only_its_own_array(spec: Spec, lever: str) -> None:
    rule = RULES[lever]
    base = _baseline(spec)
    scenario = scenario_from_text(_text(lever, TARGETS[rule.targets]), "t.yaml", spec)
    out, targeted = lever_arrays(Engine(spec), base, [scenario])
    moved = {k for k, v in out.items() if not np.all(v[1] == IDENTITY.get(k, 1.0))}
    assert moved == set(ARRAYS[rule.array])
    changed = out[ARRAYS[rule.array][0]][1]
    if rule.additive:  # the size itself, added
        assert changed.max() == pytest.approx(0.5)
    elif rule.elastic:  # (1 - 0.5) ** gamma with gamma 0.5
        assert changed.min() == pytest.approx(0.5**0.5)
    elif rule.imports_only:  # 1 - 0.5 x the imported share 0.75
        assert changed.min() == pytest.approx(1 - 0.5 * 0.75)
    else:
        assert changed.min() == pytest.approx(0.5)
    # Route and producer levers mark the edges they cut (for the displacement ratio).
    assert targeted[1].any() == (rule.targets != "markets")
    assert not targeted[0].any()
