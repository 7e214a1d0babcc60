"""Importance weights behind `model prior-sense` point the right way."""

from __future__ import annotations

import numpy as np

from borderflow.model.prior_sense import _weighted_median, _weights


def test_weights_tilt_towards_larger_log_ratios() -> None:
    # Draws from N(0, 1) reweighted by exp(0.5 x) follow N(0.5, 1): a prior moved up
    # must move the weighted median up, not down.
    x = np.random.default_rng(0).standard_normal(20_000)
    w, khat = _weights(0.5 * x)
    assert np.isclose(w.sum(), 1.0)
    assert abs(float(np.sum(w * x)) - 0.5) < 0.05
    assert abs(_weighted_median(x, w) - 0.5) < 0.05
    assert khat < 0.7
