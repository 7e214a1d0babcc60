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


def test_precursor_controls_on_one_origin_cut_its_share_of_imports(spec: Spec) -> None:
    # Canada's routes in network.yaml: China direct 0.6, China via the U.S. 0.2, India 0.1,
    # China via Mexico 0.1; a quarter of its precursors is home-made in this baseline.
    base = _baseline(spec)
    engine = Engine(spec)
    ca = list(spec.producers).index("CA")
    cut = {}
    for origins in ("", ", origins: [CN]", ", origins: [IN]"):
        text = _text("precursors", f"producers: [CA]{origins}")
        levers, _ = lever_arrays(engine, base, [scenario_from_text(text, "t.yaml", spec)])
        cut[origins] = 1 - levers["capacity"][1, :, ca]
    np.testing.assert_allclose(cut[""], 0.5 * 0.75)
    np.testing.assert_allclose(cut[", origins: [CN]"], 0.5 * 0.75 * 0.9)
    np.testing.assert_allclose(cut[", origins: [IN]"], 0.5 * 0.75 * 0.1)
    with pytest.raises(SpecError, match="unknown origin 'XX'"):
        scenario_from_text(_text("precursors", "producers: [CA], origins: [XX]"), "t.yaml", spec)
    with pytest.raises(SpecError, match="only a precursors change names origins"):
        scenario_from_text(_text("capacity", "producers: [CA], origins: [CN]"), "t.yaml", spec)
