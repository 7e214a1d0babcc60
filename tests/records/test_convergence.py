"""The convergence bar: each failed test in words, the edges of the bar, diagnostics that
lack a figure, and the rule written in one module only."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from borderflow.model.fit import passes
from borderflow.records.convergence import (
    MAX_RHAT,
    MIN_ESS_BULK,
    MIN_ESS_TAIL,
    converged,
    failures,
    no_usable_fit,
)

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "borderflow"
FIGURES = {"max_rhat", "min_ess_bulk", "min_ess_tail", "divergences"}
PASSING: dict[str, Any] = {
    "max_rhat": 1.004, "worst_parameter": "logit_detection[1]", "min_ess_bulk": 812.0,
    "min_ess_tail": 530.5, "worst_tail_parameter": "logit_purity[1]", "divergences": 0,
    "min_bfmi": 0.8, "mean_tree_steps": 19.0,
}  # fmt: skip


def test_a_fit_within_the_bar_converged() -> None:
    assert failures(PASSING) == []
    assert converged(PASSING) and passes(PASSING)


def test_each_failed_test_is_said_in_words() -> None:
    failing = {
        **PASSING, "max_rhat": 1.011, "worst_parameter": "logit_scalars[3]",
        "min_ess_bulk": 212.7, "min_ess_tail": 80.2, "worst_tail_parameter": "flow_steps[4]",
        "divergences": 3,
    }  # fmt: skip
    assert failures(failing) == [
        "R-hat 1.011 is above 1.01 (worst: logit_scalars[3])",
        "bulk ESS 213 is below 400",
        "tail ESS 80 is below 400 (worst: flow_steps[4])",
        "3 divergent transitions",
    ]
    assert not converged(failing) and not passes(failing)
    assert failures({**PASSING, "divergences": 1}) == ["1 divergent transition"]


def test_the_edges_of_the_bar() -> None:
    at_the_bar = {
        **PASSING, "max_rhat": MAX_RHAT, "min_ess_bulk": MIN_ESS_BULK,
        "min_ess_tail": MIN_ESS_TAIL,
    }  # fmt: skip
    assert converged(at_the_bar)
    # Just over or under: the number is shown with the decimals that make it read so.
    assert failures({**PASSING, "max_rhat": 1.0104}) == [
        "R-hat 1.0104 is above 1.01 (worst: logit_detection[1])"
    ]
    assert failures({**PASSING, "min_ess_tail": 399.6}) == [
        "tail ESS 399.6 is below 400 (worst: logit_purity[1])"
    ]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"max_rhat": None}, "R-hat was not recorded"),
        ({"max_rhat": float("nan")}, "R-hat could not be computed"),
        ({"min_ess_bulk": float("nan")}, "bulk ESS could not be computed"),
        ({"divergences": None}, "divergent transitions were not recorded"),
    ],
)
def test_a_figure_that_is_missing_fails(change: dict[str, Any], said: str) -> None:
    assert failures({**PASSING, **change}) == [said]


def test_diagnostics_without_any_figure_fail() -> None:
    assert len(failures({})) == 4 and not converged({})


def test_the_reason_names_the_run_its_failures_and_what_to_do() -> None:
    reason = no_usable_fit(7, {**PASSING, "min_ess_tail": 80.0})
    assert reason == (
        "no usable model fit in this store: model run 7 did not converge (tail ESS 80 is "
        "below 400 (worst: logit_purity[1])), so it is not used; fit again with `borderflow "
        "model fit`: run longer (`--warmup 2000 --draws 2000`), with more chains "
        "(`--chains 8`), or with another `--seed`"
    )


def _judges_a_figure(node: ast.AST) -> bool:
    """A comparison of a diagnostics figure read by its key (`d["max_rhat"] <= 1.01`)."""
    if not isinstance(node, ast.Compare):
        return False
    sides = [node.left, *node.comparators]
    return any(
        isinstance(side, ast.Subscript)
        and isinstance(side.slice, ast.Constant)
        and side.slice.value in FIGURES
        for side in sides
    )


def test_no_other_module_judges_the_figures() -> None:
    """The bar lives in records/convergence.py: nothing else compares a fit's R-hat, ESS
    or divergences with a number of its own."""
    judging = sorted(
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _judges_a_figure(node)
    )
    assert judging == []
