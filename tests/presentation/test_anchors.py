"""The anchors as the model page, the report and the CLI word them: the tally sentence
and one row per anchor, from hand-made checks (no fit needed)."""

from __future__ import annotations

import pytest

from borderflow.model.anchors import Anchor, AnchorCheck, load_anchors
from borderflow.model.published import Source
from borderflow.presentation.anchors import AnchorsView, AnchorTally, anchor_row

SRC = Source("Example Wire", "A headline", "https://example.org/a", "2025-01-02")
MEDIAN = "passes when the model's median lies inside the range"


def _anchor(quantity: str, low: float | None, high: float | None, *, fitted: bool = False,
            url: str = "https://example.org/a") -> Anchor:  # fmt: skip
    source = Source(SRC.publisher, SRC.title, url, SRC.date)
    return Anchor("a", quantity, 2024, low, high, "judgement", "What it says.",
                       "How we read it.", source, fitted)  # fmt: skip


def _check(anchor: Anchor, passed: bool | None, median: float | None = 0.5) -> AnchorCheck:
    if passed is None:
        return AnchorCheck(anchor, None, None, None, None, None, MEDIAN)
    return AnchorCheck(anchor, median, 0.1, 0.9, 0.5, passed, MEDIAN)


def _tally(*results: tuple[bool | None, bool]) -> AnchorTally:
    """A tally of checks given as (passed, fitted) pairs."""
    return AnchorTally.of(
        [_check(_anchor("canada_share", None, 0.05, fitted=f), p) for p, f in results]
    )


@pytest.mark.parametrize(
    ("results", "sentence"),
    [
        ([(True, True)] * 3 + [(False, True)] + [(True, False)] * 8 + [(False, False)] * 2,
         "11 of 14 pass, 3 fail; of the 10 the model does not fit, 8 pass"),
        ([(True, False), (False, False), (None, False), (None, True)],
         "1 of 4 passes, 1 fails, 2 not checked (this fit does not cover their year or "
         "quantity); of the 2 checked that the model does not fit, 1 passes"),
        ([(True, True), (None, False)],
         "1 of 2 passes, 0 fail, 1 not checked (this fit does not cover its year or "
         "quantity); none of those checked is independent of the data the model fits"),
    ],
)  # fmt: skip
def test_the_tally_sentence(results: list[tuple[bool | None, bool]], sentence: str) -> None:
    assert _tally(*results).sentence() == sentence


def test_a_row_reads_in_units_with_the_result_in_words() -> None:
    # CBP's FY2023 northern share: 0.005% to 0.02% must not round to 0.01%.
    tiny = anchor_row(_check(_anchor("northern_seizure_share", 0.00005, 0.0002), False, 0.000868))
    assert (tiny.result, tiny.published, tiny.model) == ("fail", "0.005 to 0.02%", "0.0868%")
    assert tiny.model_interval == "10 to 90%" and tiny.badge == "verdict-contradicted"
    assert tiny.interval_label == "90% predictive interval"  # a seizure figure
    kg = anchor_row(_check(_anchor("us_consumption_kg", None, 10_000, fitted=True), True, 5010.9))
    assert (kg.result, kg.published, kg.model, kg.fitted) == ("pass", "at most 10,000 kg",
                                                             "5,010 kg", True)  # fmt: skip
    assert kg.quantity == "U.S. consumption, kg of pure fentanyl"
    assert kg.interval_label == "90% interval" and kg.badge == "verdict-supported"
    share = anchor_row(_check(_anchor("mexico_share_us", 0.5, None), None))
    assert (share.result, share.published, share.model, share.model_interval) == (
        "not checked", "at least 50%", "", "")  # fmt: skip
    assert (share.publisher, share.url, share.rule) == ("Example Wire", SRC.url, MEDIAN)


def test_every_bundled_anchor_has_words_and_a_unit() -> None:
    """A quantity added to anchors.yaml without words here would show its id."""
    from borderflow.presentation.anchors import QUANTITY_WORDS

    anchors = load_anchors()
    assert {a.quantity for a in anchors} <= set(QUANTITY_WORDS)
    view = AnchorsView.of([_check(a, True, 1.0) for a in anchors])
    assert all(r.published and "e-" not in r.published for r in view.rows)
    assert [r["id"] for r in view.records()] == [a.id for a in anchors]
