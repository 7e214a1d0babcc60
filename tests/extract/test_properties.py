"""Properties that must hold for any input, checked with Hypothesis."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.extract import extract_claims
from borderflow.ingest.repair import repair_text

# Text that looks like news often enough to exercise the number paths: digits, separators,
# units and qualifiers mixed with arbitrary Unicode.
_FRAGMENTS = st.sampled_from(
    [
        "4.9 kg",
        "26,693 pounds",
        " more than ",
        "between 3 and 9 percent",
        "US$1.3 billion",
        "21 deaths a day",
        " in 2024",
        "fiscal year 2023–2024",
        "half-a-ton",
        "thousands of ",
        "\u00a0",
        "“",
        "”",
        ". ",
        "\n",
        "鈥渕",
        "聽",
        "2,019 agents",
        "last year",
        "%",
        "-",
        "–",
    ]
)
_NEWSISH = st.lists(st.one_of(st.text(max_size=20), _FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), _NEWSISH))
def test_extraction_never_raises_and_offsets_slice_back(text: str) -> None:
    for claim in extract_claims(text):
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.text
        assert claim.text in claim.sentence


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), _NEWSISH))
def test_repair_is_idempotent(text: str) -> None:
    once, _ = repair_text(text)
    twice, report = repair_text(once)
    assert twice == once
    assert not report.changed
