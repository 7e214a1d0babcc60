"""What a fit of the flow model says, as the store keeps it and the faces show it: one
`Estimate` per quantity, item and fiscal year, and the `ModelRun` that made them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from borderflow.records.convergence import NO_FIT, failures, newer_fit_failed, no_usable_fit


@dataclass(frozen=True, slots=True)
class Estimate:
    """A posterior median and 90% interval; where the fit also drew from the prior, the
    prior's 90% interval and how much the data narrowed it (contraction). `fy` is None
    for quantities constant over time (detection, purity)."""

    quantity: str
    item: str
    fy: int | None
    median: float
    low: float
    high: float
    unit: str
    fitted: bool
    prior_low: float | None = None
    prior_high: float | None = None
    contraction: float | None = None

    def as_record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, raw: dict[str, Any]) -> Estimate:
        """An estimate as `as_record` stored it."""
        values: dict[str, Any] = {f.name: raw.get(f.name) for f in fields(cls)}
        return cls(**values)


@dataclass(frozen=True, slots=True)
class ModelRun:
    """One calibration: the spec, data releases and settings it used, its diagnostics,
    whether they pass the convergence bar (`records.convergence`; a run that does not is
    kept for the record and never used), estimates and (unless left out when reading)
    its posterior draws."""

    spec_name: str
    spec_sha256: str
    spec_text: str
    years: tuple[int, ...]
    fit_years: tuple[int, ...]
    settings: dict[str, Any]
    releases: tuple[dict[str, str], ...]
    diagnostics: dict[str, Any]
    estimates: tuple[Estimate, ...]
    observed: dict[str, int]
    seconds: float
    converged: bool
    posterior: bytes | None = None
    id: int | None = None
    created_at: datetime | None = None

    def estimates_of(self, quantity: str, fy: int | None = None) -> list[Estimate]:
        """The estimates of one quantity, for one fiscal year when `fy` is given."""
        return [e for e in self.estimates if e.quantity == quantity and (fy is None or e.fy == fy)]

    def failures(self) -> list[str]:
        """Each convergence test this run failed, in words; empty when it converged."""
        return failures(self.diagnostics)

    def as_record(self) -> dict[str, Any]:
        """What the API shows of a run (its draws left out)."""
        return {
            "id": self.id, "spec_name": self.spec_name, "spec_sha256": self.spec_sha256,
            "years": list(self.years), "fit_years": list(self.fit_years),
            "settings": self.settings, "releases": list(self.releases),
            "diagnostics": self.diagnostics, "converged": self.converged,
            "summary": [e.as_record() for e in self.estimates], "seconds": self.seconds,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class FitInUse:
    """The fit whatever shows model estimates uses (the newest converged run; None when
    none converged), and the newest run when it failed, so a reader can be told why there
    is no estimate, or that a newer fit exists and is not used. Runs without draws."""

    run: ModelRun | None
    failed: ModelRun | None = None

    def missing(self) -> str:
        """Why there is no fit in use: none was made, or the newest failed (and why)."""
        if self.failed is None:
            return NO_FIT
        return no_usable_fit(self.failed.id, self.failed.diagnostics)

    def note(self) -> str | None:
        """A sentence on a newer fit that failed, when a fit is in use beside it."""
        if self.run is None or self.failed is None:
            return None
        return newer_fit_failed(self.failed.id, self.failed.diagnostics, self.run.id)


@dataclass(frozen=True, slots=True)
class ScenarioOutcome:
    """One outcome of one scenario: its median and 90% interval over the posterior draws,
    and the paired change from the baseline (None where there is no baseline to differ
    from, as for the displacement ratio). `route_share` is the share of the change's
    variance that comes from the route-choice priors (own judgement, not data): a
    total-effect index from 0 to 1, None for the baseline or when it cannot be said."""

    scenario: str
    quantity: str
    item: str
    median: float
    low: float
    high: float
    change_median: float | None
    change_low: float | None
    change_high: float | None
    route_share: float | None = None

    def as_record(self) -> dict[str, Any]:
        return asdict(self)
