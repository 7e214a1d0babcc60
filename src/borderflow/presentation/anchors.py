"""The published anchors as a reader sees them: one summary sentence and one row per
anchor, shared by the model page, the report and `borderflow model anchors`, so all three
count and word the same results alike.

`model.anchors.check` gives raw fractions and kilograms with a pass, a fail or None; a
reader wants "0.19 to 0.2%", "at most 10,000 kg", the result in words and, for an anchor
whose data the model also fits, the warning that its pass is no independent evidence.
Numbers go through the project's formatting helpers (`presentation.quantities`); this
module only chooses the unit and the words around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from borderflow.presentation.quantities import KG, PLAIN, Unit, amount, interval
from borderflow.records.verdicts import KIND_INFO, VerdictKind

if TYPE_CHECKING:
    from borderflow.model.anchors import AnchorCheck
    from borderflow.store import Store

# Shares as percentages with up to four decimals: CBP's FY2023 northern share is 0.005% to
# 0.02%, which the scenario table's two decimals would round to "0.01 to 0.02%".
SHARE = Unit("%", "%", "percentage points", " pp", scale=100.0, max_decimals=4)
UNITS = {"fraction": SHARE, "kg": KG}

# What each anchored quantity is, in words (an unknown one keeps its id).
QUANTITY_WORDS = {
    "canada_share": "Canada's share of the fentanyl reaching the U.S.",
    "northern_seizure_share": "Northern border's share of CBP fentanyl seizures, by weight",
    "us_consumption_kg": "U.S. consumption, kg of pure fentanyl",
    "mexico_share_us": "Mexico's share of the fentanyl reaching the U.S.",
    "other_share_us": "Share of U.S. fentanyl made outside Mexico and Canada (mostly China)",
    "canada_domestic_share": "Share of Canada's fentanyl made in Canada",
    "canada_export_share": "Share of Canada's production exported",
    "cbsa_inbound_kg": "CBSA seizures of fentanyl entering Canada, kg as seized",
}

PASS, FAIL, NOT_CHECKED = "pass", "fail", "not checked"
# Results wear the verdict badges' colours; the badge always says the word as well.
_BADGES = {
    PASS: KIND_INFO[VerdictKind.SUPPORTED].css_class,
    FAIL: KIND_INFO[VerdictKind.CONTRADICTED].css_class,
    NOT_CHECKED: "verdict-none",
}
FITTED_NOTE = (
    "the model also fits the data behind this figure, so a pass shows the fit reproduces "
    "its own data, not agreement with an independent source"
)


@dataclass(frozen=True, slots=True)
class AnchorTally:
    """How many anchors pass, fail or could not be checked, and how many of those checked
    are independent of the data the model fits (and of them, how many pass)."""

    total: int
    passed: int
    failed: int
    unchecked: int
    independent: int
    independent_passed: int

    @classmethod
    def of(cls, checks: list[AnchorCheck]) -> AnchorTally:
        independent = [c for c in checks if not c.anchor.fitted and c.passed is not None]
        return cls(
            total=len(checks),
            passed=sum(c.passed is True for c in checks),
            failed=sum(c.passed is False for c in checks),
            unchecked=sum(c.passed is None for c in checks),
            independent=len(independent),
            independent_passed=sum(c.passed is True for c in independent),
        )

    def sentence(self) -> str:
        """The tally in one sentence, "11 of 14 pass, 3 fail; of the 10 the model does not
        fit, 8 pass", naming the anchors not checked, when there are any, after the
        failures."""
        head = f"{self.passed} of {self.total} {_verb(self.passed)}, {self.failed} "
        head += "fails" if self.failed == 1 else "fail"
        if self.unchecked:
            their = "its" if self.unchecked == 1 else "their"
            head += (
                f", {self.unchecked} not checked (this fit does not cover {their} year or quantity)"
            )
        if not self.independent:
            return f"{head}; none of those checked is independent of the data the model fits"
        which = "checked that " if self.unchecked else ""
        return (
            f"{head}; of the {self.independent} {which}the model does not fit, "
            f"{self.independent_passed} {_verb(self.independent_passed)}"
        )

    def as_record(self) -> dict[str, Any]:
        return {
            "total": self.total, "passed": self.passed, "failed": self.failed,
            "not_checked": self.unchecked, "independent": self.independent,
            "independent_passed": self.independent_passed, "sentence": self.sentence(),
        }  # fmt: skip


def _verb(count: int) -> str:
    return "passes" if count == 1 else "pass"


@dataclass(frozen=True, slots=True)
class AnchorRow:
    """One anchor as the tables show it: every value already in words and units. `model`
    and `model_interval` are empty when the anchor was not checked."""

    id: str
    result: str  # pass, fail or not checked
    badge: str  # the CSS class of the result's badge
    quantity: str
    fy: int
    statement: str
    reading: str
    kind: str  # published, bound or judgement
    published: str
    model: str
    model_interval: str
    interval_label: str  # "90% interval" or "90% predictive interval"
    fitted: bool
    rule: str
    publisher: str
    title: str
    date: str | None
    url: str


def _unit(quantity: str) -> tuple[Unit, bool]:
    """The quantity's unit and whether its check is predictive (a seizure figure)."""
    from borderflow.model.anchors import QUANTITIES

    found = QUANTITIES.get(quantity)
    if found is None:
        return PLAIN, False
    return UNITS.get(found[2], PLAIN), found[1]


def published_range(low: float | None, high: float | None, unit: Unit) -> str:
    """A published range as words: "0.19 to 0.2%", "at most 10,000 kg", "at least 50%"."""
    if low is not None and high is not None:
        return interval(low, high, unit) + unit.suffix
    if high is not None:
        return f"at most {amount(high, unit)}"
    if low is not None:
        return f"at least {amount(low, unit)}"
    return ""


def anchor_row(check: AnchorCheck) -> AnchorRow:
    a = check.anchor
    unit, predictive = _unit(a.quantity)
    result = {True: PASS, False: FAIL, None: NOT_CHECKED}[check.passed]
    median = "" if check.median is None else amount(check.median, unit)
    spread = ""
    if check.low is not None and check.high is not None:
        spread = interval(check.low, check.high, unit) + unit.suffix
    return AnchorRow(
        id=a.id, result=result, badge=_BADGES[result],
        quantity=QUANTITY_WORDS.get(a.quantity, a.quantity.replace("_", " ")), fy=a.year,
        statement=a.statement, reading=a.reading, kind=a.kind,
        published=published_range(a.low, a.high, unit), model=median, model_interval=spread,
        interval_label="90% predictive interval" if predictive else "90% interval",
        fitted=a.fitted, rule=check.rule, publisher=a.source.publisher, title=a.source.title,
        date=a.source.date, url=a.source.url,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class AnchorsView:
    """The anchors checked against one fit: the tally, the rows, and the raw checks (what
    the API answers, `AnchorCheck.as_record`)."""

    tally: AnchorTally
    rows: tuple[AnchorRow, ...]
    checks: tuple[AnchorCheck, ...]

    @classmethod
    def of(cls, checks: list[AnchorCheck]) -> AnchorsView:
        return cls(AnchorTally.of(checks), tuple(anchor_row(c) for c in checks), tuple(checks))

    @property
    def summary(self) -> str:
        return self.tally.sentence()

    def records(self) -> list[dict[str, Any]]:
        return [c.as_record() for c in self.checks]


def anchors_view(store: Store) -> AnchorsView:
    """The bundled anchors against the fit in use. Loads the fit's posterior draws, so a
    caller that shows it more than once keeps the answer (the web app per store
    generation); raises ModelError, saying why, when no fit has converged."""
    from borderflow.model.anchors import check
    from borderflow.model.api import last_fit

    return AnchorsView.of(check(last_fit(store)))
