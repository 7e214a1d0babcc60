"""Published figures every fit is checked against (`anchors.yaml`). Most are independent
of the data the model fits; those whose data the model also fits (CBP's northern share,
the Kilmer bound) are marked `fitted` and only show the fit reproduces its own data.

An anchor names a model quantity, a fiscal year and the range a source supports: a
figure CBP printed, a bound a paper states, or our reading of a qualitative finding
("Mexican cartels dominate" read as more than half), marked as judgement. A flow or
share passes when the posterior median lies in the range. A seizure figure is one year's
lumpy outcome, not the expected amount, so it passes when it falls inside the model's 90%
predictive interval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np

from borderflow.datasets import cbp
from borderflow.model import seeds
from borderflow.model.fit import INTERVAL, Posterior
from borderflow.model.published import Source, source_of
from borderflow.model.structure import CBSA_COUNTRY, SHARE_MARKET, Structure
from borderflow.model.yamlfile import KeyPath, Located, parse

KINDS = ("published", "bound", "judgement")


@dataclass(frozen=True, slots=True)
class Anchor:
    id: str
    quantity: str
    year: int
    low: float | None
    high: float | None
    kind: str
    statement: str
    reading: str
    source: Source
    fitted: bool = False

    def holds(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True, slots=True)
class AnchorCheck:
    """One anchor against one fit: the model's median and 90% interval (predictive for
    seizure figures), the share of draws inside the range, and pass, fail or None (the
    fit does not cover the anchor's year)."""

    anchor: Anchor
    median: float | None
    low: float | None
    high: float | None
    inside: float | None
    passed: bool | None
    rule: str

    def as_record(self) -> dict[str, Any]:
        a = self.anchor
        return {
            "id": a.id, "quantity": a.quantity, "fy": a.year, "kind": a.kind,
            "fitted_data": a.fitted,
            "range_low": a.low, "range_high": a.high, "median": self.median,
            "low": self.low, "high": self.high, "inside": self.inside,
            "result": {True: "pass", False: "fail", None: "not checked"}[self.passed],
            "rule": self.rule, "statement": a.statement, "reading": a.reading,
            "source": a.source.url,
        }  # fmt: skip


def load_anchors(text: str | None = None, name: str = "anchors.yaml") -> tuple[Anchor, ...]:
    """The bundled anchors, or those in `text`; errors name the file and line."""
    if text is None:
        text = (files("borderflow.model") / name).read_text(encoding="utf-8")
    doc = parse(text, name)
    raw = doc.data.get("anchors")
    if not isinstance(raw, list) or not raw:
        raise doc.error(("anchors",), "expected a list of anchors")
    return tuple(_anchor(doc, ("anchors", i), body) for i, body in enumerate(raw))


def _anchor(doc: Located, path: KeyPath, body: Any) -> Anchor:
    if not isinstance(body, dict):
        raise doc.error(path, "expected a mapping")
    if body.get("quantity") not in QUANTITIES:
        raise doc.error((*path, "quantity"), f"one of {', '.join(QUANTITIES)}")
    if body.get("kind") not in KINDS:
        raise doc.error((*path, "kind"), f"one of {', '.join(KINDS)}")
    low, high = body.get("low"), body.get("high")
    for key, value in (("low", low), ("high", high)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise doc.error((*path, key), "expected a number or null")
    if low is None and high is None:
        raise doc.error(path, "give a low end, a high end or both")
    if not isinstance(body.get("year"), int):
        raise doc.error((*path, "year"), "expected a fiscal year YYYY")
    return Anchor(
        id=str(body.get("id")), quantity=body["quantity"], year=body["year"],
        low=None if low is None else float(low), high=None if high is None else float(high),
        kind=body["kind"], statement=" ".join(str(body.get("statement", "")).split()),
        reading=" ".join(str(body.get("reading", "")).split()),
        source=source_of(doc, (*path, "source"), body.get("source")),
        fitted=bool(body.get("fitted", False)),
    )  # fmt: skip


def _delivered(post: Posterior) -> np.ndarray:
    return np.asarray(post.flat("flow") * (1 - post.flat("detection")))  # [N, E, T]


def _share_into(post: Posterior, market: str, producer: str) -> np.ndarray:
    """Share of what reaches `market` that `producer` made [N, T]; a spec without that
    market or producer cannot form it (KeyError: the anchor is not checked)."""
    edges = post.spec.edges
    into = [i for i, e in enumerate(edges) if e.market == market]
    mine = [i for i in into if edges[i].producer == producer]
    if not into or producer not in post.spec.producers:
        raise KeyError(f"no {producer} or {market} in this spec")
    delivered = _delivered(post)
    return np.asarray(delivered[:, mine].sum(1) / delivered[:, into].sum(1))


def _export_share(post: Posterior) -> np.ndarray:
    edges = post.spec.edges
    made = [i for i, e in enumerate(edges) if e.producer == CBSA_COUNTRY]
    sent = [i for i in made if edges[i].market != CBSA_COUNTRY]
    if not made:
        raise KeyError(f"no producer {CBSA_COUNTRY} in this spec")
    flow = post.flat("flow")
    return np.asarray(flow[:, sent].sum(1) / flow[:, made].sum(1))


def _lumpy(post: Posterior, expected: np.ndarray, sd: np.ndarray, index: int) -> np.ndarray:
    """Predictive draws around expected amounts, lognormal with mean `expected`, from
    the fit's own seed (`index` keeps the anchors' streams apart)."""
    rng = seeds.generator(post.settings.seed, "anchor_predictions", index)
    return np.asarray(
        np.exp(np.log(expected) - sd**2 / 2 + sd * rng.standard_normal(expected.shape))
    )


def _northern_share(post: Posterior) -> np.ndarray:
    """Predicted share of CBP's seizure weight on the northern border [N, T]."""
    seized = _lumpy(post, post.flat("expected_seized_kg"), post.flat("predictive_sd"), 0)
    region = cbp.region_of_country(CBSA_COUNTRY)
    north = [i for i, c in enumerate(post.spec.cells) if c.region == region]
    if not north:
        raise KeyError("no northern-border cell in this spec")
    return np.asarray(seized[:, north].sum(1) / seized.sum(1))


def _cbsa_inbound(post: Posterior) -> np.ndarray:
    expected = post.flat("cbsa_kg")[:, 0]
    noise = post.flat("param_cbsa_noise")
    return _lumpy(post, expected, np.broadcast_to(noise[:, None], expected.shape), 1)


# quantity -> (draws [N, T], whether the comparison is predictive, unit)
QUANTITIES: dict[str, tuple[Callable[[Posterior], np.ndarray], bool, str]] = {
    "canada_share": (lambda p: p.flat("canada_share"), False, "fraction"),
    "northern_seizure_share": (_northern_share, True, "fraction"),
    "us_consumption_kg": (
        lambda p: p.flat("consumption")[:, list(p.spec.markets).index(SHARE_MARKET)],
        False,
        "kg",
    ),
    "mexico_share_us": (lambda p: _share_into(p, SHARE_MARKET, "MX"), False, "fraction"),
    "other_share_us": (lambda p: _share_into(p, SHARE_MARKET, "OTH"), False, "fraction"),
    "canada_domestic_share": (
        lambda p: _share_into(p, CBSA_COUNTRY, CBSA_COUNTRY),
        False,
        "fraction",
    ),
    "canada_export_share": (_export_share, False, "fraction"),
    "cbsa_inbound_kg": (_cbsa_inbound, True, "kg"),
}


def check(post: Posterior, anchors: tuple[Anchor, ...] | None = None) -> list[AnchorCheck]:
    """Every anchor against `post`; an anchor whose year the fit does not cover, or whose
    quantity the spec cannot form, is not checked (None), never passed."""
    Structure.of(post.spec)  # the spec must be one the model runs
    out = []
    for anchor in anchors if anchors is not None else load_anchors():
        compute, predictive, _ = QUANTITIES[anchor.quantity]
        rule = (
            "passes when the figure lies inside the model's 90% predictive interval"
            if predictive
            else "passes when the model's median lies inside the range"
        )
        if anchor.year not in post.years:
            out.append(AnchorCheck(anchor, None, None, None, None, None, rule))
            continue
        try:
            values = compute(post)[:, post.years.index(anchor.year)]
        except (KeyError, ValueError):
            values = np.array([np.nan])
        if not np.all(np.isfinite(values)):
            out.append(AnchorCheck(anchor, None, None, None, None, None, rule))
            continue
        lo, med, hi = (float(v) for v in np.quantile(values, [INTERVAL[0], 0.5, INTERVAL[1]]))
        inside = float(np.mean([anchor.holds(float(v)) for v in values]))
        if predictive:
            passed = (anchor.low is None or hi >= anchor.low) and (
                anchor.high is None or lo <= anchor.high
            )
        else:
            passed = anchor.holds(med)
        out.append(AnchorCheck(anchor, med, lo, hi, inside, bool(passed), rule))
    return out
