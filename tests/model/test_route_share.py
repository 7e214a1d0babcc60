"""The route-choice share of a scenario's spread (Jansen's total-effect estimator) on
outcomes whose variance split is known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from borderflow.model.route_share import MIN_DRAWS, total_effect


def test_additive_outcome_gives_the_route_parts_variance_share() -> None:
    # y = fitted part + route part; the fitted part is held, the route part redrawn.
    # Var(route) = 4, Var(fitted) = 1: the route-choice share is 4 / 5.
    rng = np.random.default_rng(3)
    fitted = rng.normal(0, 1, 40_000)
    values = fitted + rng.normal(0, 2, fitted.size)
    again = fitted + rng.normal(0, 2, fitted.size)
    assert total_effect(values, again) == pytest.approx(0.8, abs=0.02)


def test_interactions_count_toward_the_route_share() -> None:
    # y = a x r: with a mean-zero, everything varies only through r's interaction with a,
    # so a total-effect index gives it all the variance a first-order one would miss.
    rng = np.random.default_rng(4)
    a = rng.normal(0, 1, 40_000)
    values = a * rng.normal(0, 1, a.size)
    again = a * rng.normal(0, 1, a.size)
    assert total_effect(values, again) == pytest.approx(1.0, abs=0.03)


def test_outcome_the_route_choice_cannot_move_has_share_zero() -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(10, 3, 2_000)
    assert total_effect(values, values.copy()) == 0.0


def test_no_spread_or_too_few_draws_gives_no_share() -> None:
    assert total_effect(np.full(500, 2.5), np.full(500, 2.5)) is None
    assert total_effect(np.zeros(500), np.zeros(500)) is None
    few = np.arange(MIN_DRAWS - 1, dtype=float)
    assert total_effect(few, few[::-1].copy()) is None
    # Draws where either run has no value (a ratio with nothing cut) are left out.
    values = np.r_[np.arange(300.0), np.full(300, np.nan)]
    assert total_effect(values, values.copy()) == 0.0
