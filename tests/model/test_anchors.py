"""Published anchors checked against a fit: the bundled file's rules, and each quantity
read off hand-made draws whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from borderflow.errors import SpecError
from borderflow.model.anchors import Anchor, check, load_anchors
from borderflow.model.fit import FitSettings, Posterior
from borderflow.model.published import Source
from borderflow.model.spec import load_spec

SRC = Source("test", "test", "https://example.org", None)


def _posterior(draws: int = 400) -> Posterior:
    """One fiscal year (2024); every edge carries 1 kg and nothing is seized, except that
    Canada sends 3 kg to its own market; the U.S. consumes 4,000 to 6,000 kg."""
    spec = load_spec()
    edges, cells = len(spec.edges), len(spec.cells)
    flow = np.ones((1, draws, edges, 1))
    flow[0, :, spec.edge_index("CA-CA-dom"), 0] = 3.0
    consumption = np.zeros((1, draws, len(spec.markets), 1))
    consumption[0, :, 0, 0] = np.linspace(4000, 6000, draws)
    seized = np.full((1, draws, cells, 1), 10.0)
    return Posterior(
        spec, (2024,), (2024,),
        {
            "flow": flow, "detection": np.zeros((1, draws, edges, 1)),
            "consumption": consumption, "canada_share": np.full((1, draws, 1), 0.01),
            "expected_seized_kg": seized, "predictive_sd": np.full_like(seized, 1e-6),
            "cbsa_kg": np.ones((1, draws, 2, 1)),
        },
        FitSettings(), {},
    )  # fmt: skip


def _anchor(quantity: str, low: float | None, high: float | None, year: int = 2024) -> Anchor:
    return Anchor("a", quantity, year, low, high, "judgement", "", "", SRC)


def test_quantities_read_off_the_draws() -> None:
    post = _posterior()
    # Into the U.S.: three Mexican edges, three Canadian, one other, 1 kg each.
    [mx] = check(post, (_anchor("mexico_share_us", 3 / 7 - 1e-9, 3 / 7 + 1e-9),))
    assert mx.median == pytest.approx(3 / 7) and mx.passed
    # Canada's market: its own 3 kg and three importing edges of 1 kg.
    [dom] = check(post, (_anchor("canada_domestic_share", 0.5, None),))
    assert dom.median == pytest.approx(3 / 6) and dom.passed
    # Canada makes 3 + 3 (U.S.) + 3 (Australia, Europe) = 9 kg and exports 6.
    [export] = check(post, (_anchor("canada_export_share", None, 0.25),))
    assert export.median == pytest.approx(6 / 9) and export.passed is False
    # Eight cells of 10 kg, three on the northern border.
    [north] = check(post, (_anchor("northern_seizure_share", 0.37, 0.38),))
    assert north.median == pytest.approx(3 / 8) and north.passed


def test_a_bound_passes_on_the_median_and_an_unfitted_year_is_not_checked() -> None:
    post = _posterior()
    [under, over, elsewhere] = check(
        post,
        (
            _anchor("us_consumption_kg", None, 10000),
            _anchor("us_consumption_kg", None, 4500),
            _anchor("us_consumption_kg", None, 10000, year=2021),
        ),
    )
    assert under.passed and over.passed is False
    # A quarter of the draws lie at or below 4,500 kg.
    assert over.inside == pytest.approx(0.25, abs=0.01)
    assert elsewhere.passed is None and elsewhere.as_record()["result"] == "not checked"


def test_bundled_anchors_load_with_sources_and_bad_ones_name_their_line() -> None:
    anchors = load_anchors()
    assert {a.quantity for a in anchors} >= {"canada_share", "us_consumption_kg"}
    assert all(a.source.url.startswith("http") for a in anchors)
    bad = "anchors:\n  - id: x\n    quantity: canada_share\n    year: 2024\n    kind: guess\n"
    with pytest.raises(SpecError, match=r"my\.yaml:5: .*kind: one of published"):
        load_anchors(bad, "my.yaml")
