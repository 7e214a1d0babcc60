"""Scenario outcomes and how they are reported.

Every scenario is evaluated on the same posterior draws as the baseline, so a change is
summarised from the paired differences draw by draw: the uncertainty both share (how big
flows are) cancels, and what remains is the uncertainty about the policy's effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from borderflow.model.route_share import total_effect
from borderflow.model.spec import Spec
from borderflow.records.estimates import ScenarioOutcome


@dataclass
class Outcomes:
    """Per (scenario, draw) arrays; index 0 of the scenario axis is the baseline."""

    names: list[str]
    flow: np.ndarray  # [S, D, E]
    delivered: np.ndarray  # [S, D, E]
    consumption: np.ndarray  # [S, D, M]
    deaths: np.ndarray  # [S, D, M]
    seized_lb: np.ndarray  # [S, D, C]
    canada_share: np.ndarray  # [S, D]
    displacement: np.ndarray  # [S, D]
    production: np.ndarray  # [S, D, P]
    capacity: np.ndarray  # [S, D, P]
    # The same scenarios with the route-choice parameters drawn afresh (route_share.py);
    # None when only the outcomes themselves were asked for.
    redrawn: Outcomes | None = None

    @classmethod
    def of(
        cls, names: list[str], arrays: dict[str, np.ndarray], redrawn: Outcomes | None = None
    ) -> Outcomes:
        """The outcomes from `Engine.evaluate`'s arrays, named by scenario."""
        a = arrays
        return cls(
            names, a["flow"], a["delivered"], a["consumption"], a["deaths"], a["seized_lb"],
            a["canada_share"], a["displacement"], a["production"], a["capacity"], redrawn,
        )  # fmt: skip


def _series(outcomes: Outcomes, spec: Spec) -> list[tuple[str, str, np.ndarray]]:
    """(quantity, item, [S, D] values) reported for every scenario: delivered kg and
    deaths per market (markets without death counts have no deaths to report), Canada's
    share, CBP seizures in all and on the northern border."""
    series: list[tuple[str, str, np.ndarray]] = []
    for j, m in enumerate(spec.markets):
        series.append(("delivered_kg", m, outcomes.consumption[..., j]))
        if np.any(outcomes.deaths[..., j] > 0):
            series.append(("deaths", m, outcomes.deaths[..., j]))
    series.append(("canada_share", "CA of US supply", outcomes.canada_share))
    series.append(("cbp_seized_lb", "all cells", outcomes.seized_lb.sum(-1)))
    north = [i for i, c in enumerate(spec.cells) if c.id.startswith("N-")]
    if north:
        series.append(("cbp_seized_lb", "northern border", outcomes.seized_lb[..., north].sum(-1)))
    return series


def summarise(outcomes: Outcomes, spec: Spec) -> list[ScenarioOutcome]:
    """Median and 90% interval of each outcome and of its paired change from baseline,
    and the route-choice share of that change's spread when `outcomes.redrawn` is given."""
    rows: list[ScenarioOutcome] = []
    series = _series(outcomes, spec)
    again = _series(outcomes.redrawn, spec) if outcomes.redrawn is not None else None
    for s, name in enumerate(outcomes.names):
        for i, (quantity, item, values) in enumerate(series):
            v = values[s]
            diff = values[s] - values[0]
            share = None
            if s and again is not None:
                other = again[i][2]
                share = total_effect(diff, other[s] - other[0])
            lo, med, hi = np.nanquantile(v, [0.05, 0.5, 0.95])
            dlo, dmed, dhi = np.nanquantile(diff, [0.05, 0.5, 0.95])
            rows.append(
                ScenarioOutcome(
                    name,
                    quantity,
                    item,
                    float(med),
                    float(lo),
                    float(hi),
                    float(dmed),
                    float(dlo),
                    float(dhi),
                    share,
                )
            )
        if s:
            redrawn = outcomes.redrawn.displacement[s] if outcomes.redrawn is not None else None
            rows += _displacement(name, outcomes.displacement[s], redrawn)
    return rows


def _displacement(
    name: str, ratio: np.ndarray, redrawn: np.ndarray | None
) -> list[ScenarioOutcome]:
    """The displacement ratio (flow moved to untargeted edges per kg cut from targeted
    ones) has no baseline to differ from, and none at all when nothing was cut; its
    route-choice share is that of the ratio itself."""
    if not np.isfinite(ratio).any():
        return []
    lo, med, hi = np.nanquantile(ratio, [0.05, 0.5, 0.95])
    share = total_effect(ratio, redrawn) if redrawn is not None else None
    return [
        ScenarioOutcome(
            name,
            "displacement_ratio",
            "targeted edges",
            float(med),
            float(lo),
            float(hi),
            None,
            None,
            None,
            share,
        )
    ]
