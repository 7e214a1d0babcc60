"""The cross-source comparison found through indexes gives exactly the verdicts of comparing
every statement of a group with every other (the quadratic comparison it replaced, kept
here as the reference), on random corpora where figures, precisions and periods collide;
in memory and streamed group by group from a reader, as from the store."""

from __future__ import annotations

import dataclasses
import math
import tracemalloc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.checks import sources
from borderflow.checks.model import Verdict, VerdictKind
from borderflow.checks.sources import (
    GroupKey,
    Statement,
    _cite,
    _Figures,
    _span,
    _Stated,
    _statement,
    across_sources,
    group_key,
    judge_group,
    judge_groups,
)
from borderflow.records.claims import PeriodReading, StoredClaim

LB = 0.45359237
FY2023 = PeriodReading("us_fiscal", date(2022, 10, 1), date(2023, 9, 30))
FY2024 = PeriodReading("us_fiscal", date(2023, 10, 1), date(2024, 9, 30))
CY2024 = PeriodReading("calendar", date(2024, 1, 1), date(2024, 12, 31))
JAN_OCT_2024 = PeriodReading("calendar", date(2024, 1, 1), date(2024, 10, 31))
READINGS = [FY2023, FY2024, CY2024, JAN_OCT_2024]


# --- the reference: every statement against every other --------------------------------


def _reference(claims: list[StoredClaim]) -> list[Verdict]:
    groups: dict[tuple[str | None, ...], list[StoredClaim]] = defaultdict(list)
    for claim in claims:
        key = group_key(claim)
        if key is not None and claim.normalized_value:
            groups[key].append(claim)
    out = []
    for members in groups.values():
        by_statement: dict[Statement, list[StoredClaim]] = defaultdict(list)
        for claim in members:
            by_statement[_statement(claim)].append(claim)
        for statement, stating in by_statement.items():
            out += _reference_judge(statement, stating, by_statement)
    return out


def _relation(mine: Statement, theirs: Statement) -> str | None:
    if not mine.readings or not theirs.readings:
        return None
    if mine.same_figure(theirs):
        return "agree" if mine.readings & theirs.readings else "period"
    same_period = mine.definite and theirs.definite and mine.primary == theirs.primary
    return "figure" if same_period else None


def _reference_judge(
    statement: Statement, stating: list[StoredClaim], by_statement: dict[Statement, list[Any]]
) -> list[Verdict]:
    docs = {c.document_id for c in stating}
    related: dict[str, list[StoredClaim]] = defaultdict(list)
    for other, claims in by_statement.items():
        relation = _relation(statement, other)
        if relation is not None:
            related[relation] += [c for c in claims if c.document_id not in docs]
    out = []
    for claim in stating:
        if related["figure"]:
            explanation = (
                f"This text says {claim.text}; {_others(related['figure'])} "
                f"{related['figure'][0].text} for the same period ({_span(statement.primary)}). "
                "No official series settles which is right."
            )
            out.append(Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.7, explanation,
                               citations=_cite(related["figure"])))  # fmt: skip
        elif related["period"]:
            same = related["period"][0]
            explanation = (
                f"This text gives {claim.text} for {claim.period_start} to {claim.period_end}; "
                f"{_others(related['period'])} the same figure ({same.text}) for "
                f"{same.period_start} to {same.period_end}. No reading of either period "
                "reconciles them, so at most one is right."
            )
            out.append(Verdict(claim.id, "sources", VerdictKind.CONFLICT, 0.6, explanation,
                               citations=_cite(related["period"])))  # fmt: skip
    return out


def _others(claims: list[StoredClaim]) -> str:
    count = len({c.document_id for c in claims})
    if count > sources.EXACT_UP_TO:
        return f"more than {sources.EXACT_UP_TO} other documents give"
    return "another document gives" if count == 1 else f"{count} other documents give"


# --- corpora ------------------------------------------------------------------------------

# How figures are written, with their unit: "5 kg" is 4.5 to 5.5 kg, "4.9 kg" 4.85 to 4.95,
# "43 lb" (19.5 kg) is 42.5 to 43.5 lb, "2,300 kg" is read to the hundred.
WRITTEN = ["{:g} kg", "{:g} kilograms", "about {:g} kilograms", "{:g} lb", "{:g} pounds",
           "{:,g} kg"]  # fmt: skip
VALUES = [4.9, 5, 5.4, 7.5, 15.79, 19.5, 20, 34.82, 34.8, 43, 2_300, 2_340]


def _claim(spec: dict[str, Any], id: int, doc: int) -> StoredClaim:
    """A seizure claim as the checks read it, from a drawn `spec`."""
    text = spec["written"].format(spec["value"])
    pounds = "lb" in text or "pounds" in text
    sentence = f"The {spec['agency']} seized {text} of fentanyl."
    start = sentence.find(text)
    primary, candidates = spec["period"]
    return StoredClaim(
        start=start, end=start + len(text), text=text, sentence=sentence,
        value=spec["value"], value_max=None, qualifier="exact", unit="lb" if pounds else "kg",
        dimension=spec["dimension"], normalized_value=spec["value"] * (LB if pounds else 1.0),
        normalized_unit="kg", measure=spec["measure"], substance="fentanyl",
        agency=spec["agency"], corridor=spec["corridor"],
        period_start=primary.start if primary else None,
        period_end=primary.end if primary else None,
        period_basis=primary.basis if primary else None,
        period_candidates=list(candidates), id=id, document_id=doc, document=f"d{doc}",
    )  # fmt: skip


_READING = st.sampled_from(READINGS)
# (primary, candidates): one reading (thrice as likely), an ambiguous phrase ("last year"),
# candidates without a primary reading, or no period at all.
_PERIOD = st.one_of(
    _READING.map(lambda r: (r, [r])),
    _READING.map(lambda r: (r, [r])),
    _READING.map(lambda r: (r, [])),
    st.tuples(_READING, st.lists(_READING, min_size=1, max_size=2)),
    st.tuples(st.none(), st.lists(_READING, max_size=2)),
)
_SPEC = st.fixed_dictionaries({
    "written": st.sampled_from(WRITTEN),
    "value": st.sampled_from(VALUES),
    "agency": st.sampled_from(["CBSA"] * 8 + ["CBP", None]),
    "corridor": st.sampled_from([None] * 4 + ["northern border"]),
    "measure": st.sampled_from(["seizure"] * 9 + ["other"]),
    "dimension": st.sampled_from(["mass"] * 9 + ["count"]),
    "period": _PERIOD,
})  # fmt: skip


@st.composite
def corpora(draw: st.DrawFn) -> list[StoredClaim]:
    """A few statements, each made by claims in several documents (a document making
    several), and some claims of their own."""
    specs = draw(st.lists(_SPEC, min_size=2, max_size=8))
    placed = draw(st.lists(st.tuples(st.integers(0, len(specs) - 1), st.integers(1, 10)),
                           min_size=4, max_size=40))  # fmt: skip
    lone = draw(st.lists(st.tuples(_SPEC, st.integers(1, 10)), max_size=8))
    drawn = [(specs[i], doc) for i, doc in placed] + lone
    order = draw(st.permutations(range(len(drawn))))
    return [_claim(drawn[i][0], id=n + 1, doc=drawn[i][1]) for n, i in enumerate(order)]


@pytest.mark.parametrize("popular", [0, 2, sources._POPULAR])
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims=corpora())
def test_indexed_verdicts_are_the_pairwise_ones(popular: int, claims: list[StoredClaim]) -> None:
    # Statements made by more than `_POPULAR` documents have their documents counted once
    # and kept: with it lowered, the small corpora take that path too.
    with patch.object(sources, "_POPULAR", popular):
        assert across_sources(claims) == _reference(claims)


class _Reader:
    """Claims read as the store reads them: groups in the order their first claim is
    stored, each group's claims by document and position, every claim a fresh copy."""

    def __init__(self, claims: Iterable[StoredClaim]) -> None:
        self.stored = sorted(claims, key=lambda c: (c.document_id, c.start, c.id))
        self.batches: list[int] = []

    def groups(self) -> Iterable[GroupKey]:
        keys = (group_key(c) for c in self.stored)
        return list(dict.fromkeys(k for k in keys if k is not None))

    def claims(self, key: GroupKey) -> Iterator[StoredClaim]:
        return (dataclasses.replace(c) for c in self.stored if group_key(c) == key)

    def by_id(self, ids: Sequence[int]) -> list[StoredClaim]:
        self.batches.append(len(ids))
        return [dataclasses.replace(c) for c in self.stored if c.id in set(ids)]

    def claims_added(self, key: GroupKey, after: int) -> Iterator[StoredClaim]:
        return (c for c in self.claims(key) if c.id > after)


@pytest.mark.parametrize("popular", [0, 2, sources._POPULAR])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims=corpora())
def test_streamed_verdicts_are_the_pairwise_ones(popular: int, claims: list[StoredClaim]) -> None:
    # Streamed group by group, claim by claim, in the order the reader reads: the verdicts
    # the reference gives for the claims in that order.
    reader = _Reader(claims)
    with patch.object(sources, "_POPULAR", popular):
        streamed = list(judge_groups(reader))
    read = [c.id for key in reader.groups() for c in reader.claims(key)]
    expected = sorted(_reference(reader.stored), key=lambda v: read.index(v.claim_id))
    assert streamed == expected


@pytest.mark.usefixtures("exact_counts")
def test_the_claim_to_cite_is_found_past_those_of_the_own_documents() -> None:
    # Thirty outlets each say 4.9 kg and 7.5 kg for FY2024; a thirty-first says 7.5 kg only.
    # Against 4.9 kg, the 7.5 kg to quote is the thirty-first outlet's, after thirty claims
    # of 7.5 kg from the outlets saying 4.9 kg themselves. Against 7.5 kg, 4.9 kg is said
    # only by its own documents: no conflict.
    claims = [_seized(v, d, FY2024, id=d * 10 + i)
              for d in range(1, 31) for i, v in enumerate((4.9, 7.5))]  # fmt: skip
    claims.append(_seized(7.5, 31, FY2024, id=999))
    for verdicts in (across_sources(claims), list(judge_groups(_Reader(claims)))):
        assert [v.claim_id for v in verdicts] == [d * 10 for d in range(1, 31)]
        for v in verdicts:
            assert "; another document gives 7.5 kg for the same period" in v.explanation
            assert [c.document_id for c in v.citations] == [31]
    assert across_sources(claims) == _reference(claims)


def test_claims_to_quote_are_fetched_whole_a_batch_at_a_time() -> None:
    # 1,200 outlets give 4.9 kg for FY2024 and 1,200 others 7.5 kg: each verdict cites
    # the first three of the other figure, so six claims are fetched whole, four at a time
    # when that is the batch.
    claims = [_seized(4.9, d, FY2024) for d in range(1, 1201)]
    claims += [_seized(7.5, d, FY2024) for d in range(1201, 2401)]
    reader = _Reader(claims)
    with patch.object(sources, "_FETCH", 4):
        verdicts = list(judge_groups(reader))
    assert reader.batches == [4, 2]
    assert len(verdicts) == 2400
    assert [c.document_id for c in verdicts[0].citations] == [1201, 1202, 1203]
    assert [c.document_id for c in verdicts[-1].citations] == [1, 2, 3]


def test_a_reader_selecting_otherwise_is_told_so() -> None:
    claims = [_seized(4.9, 1, FY2024), _seized(7.5, 2, FY2024)]
    reader = _Reader(claims)
    key: GroupKey = ("CBP", "fentanyl", None)
    with pytest.raises(ValueError, match=r"claim 1 for group \('CBP'.*of group \('CBSA'"):
        next(judge_group(_Misread(reader), key))


class _Misread(_Reader):
    """A reader that gives every claim whatever group is asked for."""

    def __init__(self, reader: _Reader) -> None:
        super().__init__(reader.stored)

    def claims(self, key: GroupKey) -> Iterator[StoredClaim]:
        return iter(self.stored)


class _Copies:
    """`n` outlets each giving 4.9 kg for FY2024 and one giving 7.5 kg, made as read."""

    def __init__(self, n: int) -> None:
        self.n = n

    def groups(self) -> Iterable[GroupKey]:
        return [("CBSA", "fentanyl", None)]

    def claims(self, key: GroupKey) -> Iterator[StoredClaim]:
        yield from (_seized(4.9, d, FY2024) for d in range(1, self.n + 1))
        yield _seized(7.5, self.n + 1, FY2024)

    def by_id(self, ids: Sequence[int]) -> list[StoredClaim]:
        return [_seized(4.9 if i <= self.n else 7.5, i, FY2024) for i in ids]


def _peak(n: int) -> int:
    """The bytes allocated at most while the verdicts of `_Copies(n)` are made, one by one
    (each checked and let go)."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        verdicts = 0
        for v in judge_groups(_Copies(n)):
            assert v.citations[0].document_id == (n + 1 if v.claim_id <= n else 1)
            verdicts += 1
        assert verdicts == n + 1
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_memory_grows_by_bytes_a_claim_not_by_claims() -> None:
    # The claims are about 600 bytes each here (1 to 2 KB from the store): kept, 12,000
    # more would cost 7 MB or more. Arrays of ids and documents cost about 60 bytes a
    # claim at most (when every claim is in a document of its own, as here).
    _peak(500)  # what is allocated once (compiled patterns, caches) is not counted
    grown = _peak(16_000) - _peak(4_000)
    assert grown < 100 * 12_000


_FIGURE = st.builds(
    lambda base, step, steps, nudge: (base + steps * step + nudge, step),
    st.sampled_from([0.5, 4.9, 19.504472, 2_300.0, 1e6]),
    st.sampled_from([0.005, 0.05, 0.5, 0.5 * LB, 50.0]),
    st.integers(-1, 1),
    st.sampled_from([0.0, 1e-9, -1e-9, 1.5e-9, 5e-16, -5e-16]),
)


@given(st.lists(_FIGURE, min_size=1, max_size=12))
def test_the_window_finds_every_same_figure_and_no_other(drawn: list[tuple[float, float]]) -> None:
    # Figures one step apart, give or take the 1e-9 allowed and a rounding error.
    stated = [_Stated(i, Statement(f, step, None, frozenset({(FY2024.start, FY2024.end)}), True))
              for i, (f, step) in enumerate(drawn)]  # fmt: skip
    figures = _Figures(stated)
    for mine in stated:
        expected = [s for s in stated if mine.statement.same_figure(s.statement)]
        assert figures.near(mine) == expected


# --- cases by hand ------------------------------------------------------------------------


_BY_HAND = {"written": "{:g} kg", "agency": "CBSA", "corridor": None, "measure": "seizure",
            "dimension": "mass"}  # fmt: skip


def _seized(value: float, doc: int, reading: PeriodReading, id: int = 0) -> StoredClaim:
    spec = {**_BY_HAND, "value": value, "period": (reading, [reading])}
    return _claim(spec, id=id or doc, doc=doc)


@pytest.fixture
def exact_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts said exactly however many, so the tests below can check the counting."""
    monkeypatch.setattr(sources, "EXACT_UP_TO", 10**9)


def test_counts_beyond_ten_are_said_as_more_than_ten() -> None:
    # Eleven outlets give 7.5 kg against one giving 4.9 kg; ten give 7.5 kg against another.
    claims = [_seized(4.9, 1, FY2024)] + [_seized(7.5, d, FY2024) for d in range(2, 13)]
    assert "more than 10 other documents give 7.5 kg" in across_sources(claims)[0].explanation
    fewer = [_seized(4.9, 1, FY2024)] + [_seized(7.5, d, FY2024) for d in range(2, 12)]
    assert "; 10 other documents give 7.5 kg" in across_sources(fewer)[0].explanation
    assert across_sources(claims) == _reference(claims)


@pytest.mark.usefixtures("exact_counts")
def test_documents_stating_the_same_figure_do_not_count_against_it() -> None:
    # 300 outlets say 4.9 kg, 300 others 7.5 kg, 100 say "5 kg" (4.5 to 5.5: the same
    # figure as 4.9 kg) and 50 say both 5 kg and 7.5 kg, all for FY2024.
    claims = [_seized(4.9, d, FY2024) for d in range(1, 301)]
    claims += [_seized(7.5, d, FY2024) for d in range(301, 601)]
    claims += [_seized(5, d, FY2024) for d in range(601, 701)]
    claims += [_seized(v, d, FY2024, id=d * 10 + i)
               for d in range(701, 751) for i, v in enumerate((5, 7.5))]  # fmt: skip
    verdicts = {v.claim_id: v for v in across_sources(claims)}
    # Against 4.9 kg: the 300 giving 7.5 kg and the 50 giving 7.5 kg beside 5 kg.
    assert "350 other documents give 7.5 kg" in verdicts[1].explanation
    # Against 5 kg: the 50 giving both state 5 kg themselves.
    assert "300 other documents give 7.5 kg" in verdicts[601].explanation
    # Against 7.5 kg: 4.9 kg (first said) and 5 kg, less the 50 that also say 7.5 kg.
    assert "400 other documents give 4.9 kg" in verdicts[301].explanation
    assert [c.document_id for c in verdicts[301].citations] == [1, 2, 3]
    assert verdicts == {v.claim_id: v for v in _reference(claims)}


def test_a_figure_that_is_no_number_relates_to_nothing() -> None:
    # A figure that overflowed to infinity states no quantity: neither the same figure as
    # 4.9 kg for another period (the pairwise comparison found infinity within infinity's
    # step of every figure) nor another figure for the same period.
    overflowed = [_seized(4.9, 2, FY2023), _seized(7.5, 3, FY2024)]
    for claim in overflowed:
        claim.normalized_value = math.inf
    claims = [_seized(4.9, 1, FY2024), *overflowed]
    assert across_sources(claims) == []
    assert _reference(claims) != []


def test_the_first_statement_made_is_the_one_quoted() -> None:
    # 5 kg (from January to October) is said before 4.9 kg (FY2023); both are the same figure
    # as 4.9 kg in FY2024 for periods it does not share, and 5 kg is quoted, as first said.
    claims = [_seized(4.9, 1, FY2024), _seized(5, 2, JAN_OCT_2024), _seized(4.9, 3, FY2023)]
    first = across_sources(claims)[0]
    assert "2 other documents give the same figure (5 kg)" in first.explanation
    assert [c.document_id for c in first.citations] == [2, 3]
    assert across_sources(claims) == _reference(claims)


@pytest.mark.usefixtures("exact_counts")
def test_a_document_giving_the_same_figure_twice_counts_once() -> None:
    # Nineteen outlets give 4.9 kg for FY2023; one of them also 5 kg for January-October.
    claims = [_seized(4.9, 1, FY2024)] + [_seized(4.9, d, FY2023) for d in range(2, 21)]
    claims.append(_seized(5, 2, JAN_OCT_2024, id=99))
    first = across_sources(claims)[0]
    assert "19 other documents give the same figure (4.9 kg)" in first.explanation
    assert across_sources(claims) == _reference(claims)
