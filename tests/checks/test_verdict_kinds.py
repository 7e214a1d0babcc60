"""The one table of verdict kinds: every kind has every field, and the runner, ClaimReview,
the web's filters, legend and colours are all generated from it."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from borderflow.checks.claimreview import claim_review
from borderflow.presentation.assets import verdict_css
from borderflow.records.verdicts import (
    KIND_INFO,
    KINDS,
    VERDICTS,
    KindInfo,
    StoredCheck,
    Verdict,
    VerdictKind,
)


def test_the_table_holds_every_kind_once() -> None:
    assert {k.kind for k in KINDS} == set(VerdictKind)
    assert len(KINDS) == len(VerdictKind) == len(set(VERDICTS))


@pytest.mark.parametrize("info", KINDS, ids=lambda k: k.kind.value)
def test_every_kind_has_every_field(info: KindInfo) -> None:
    for f in fields(KindInfo):
        value = getattr(info, f.name)
        assert value is not None and value != "", f"{info.kind}: {f.name} is empty"
    assert 1 <= info.rating <= 5
    assert re.fullmatch(r"#[0-9a-f]{6}", info.colour) and re.fullmatch(r"#[0-9a-f]{6}", info.tint)


def test_problems_rate_lower_than_confirmations() -> None:
    problems = [k.rating for k in KINDS if k.problem]
    confirmations = [k.rating for k in KINDS if k.kind.value.startswith("supported")]
    assert problems and max(problems) < min(confirmations)


def test_every_kind_has_a_badge_and_a_highlight() -> None:
    css = verdict_css()
    for info in KINDS:
        assert f".verdict.verdict-{info.kind.value} " in css
        assert f"mark.claim.verdict-{info.kind.value} " in css


@pytest.mark.parametrize("info", KINDS, ids=lambda k: k.kind.value)
def test_claimreview_rating_is_the_tables(info: KindInfo) -> None:
    check = StoredCheck(
        claim_id=1, document_id=1, document="a.txt", title=None, published=None, claim="x",
        sentence="x", start=0, end=1, speaker=None, check="official", verdict=info.kind.value,
        headline=True, confidence=0.5, expected=None, unit=None, explanation="because",
        citations=(), releases=(),
    )  # fmt: skip
    rating = claim_review(check)["reviewRating"]
    assert (rating["ratingValue"], rating["alternateName"]) == (info.rating, info.kind.value)


def test_a_verdict_knows_whether_it_is_a_problem() -> None:
    for kind in VerdictKind:
        verdict = Verdict(1, "official", kind, 0.5, "why")
        assert verdict.problem is KIND_INFO[kind].problem
