"""A figure supported with a caveat says what the caveat is, apart from its explanation, so
a reader is told what to be careful of (issue 14: the verdict page said nothing)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from borderflow.checks.runner import run
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.ingest.pipeline import ingest_paths
from borderflow.records.verdicts import VerdictKind
from borderflow.store import Store

SAMPLES = Path(str(files("borderflow") / "samples"))


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> list[Any]:
    folder = tmp_path_factory.mktemp("caveats")
    brief = folder / "brief.txt"
    # A yearly toll with no year, a few percent off the latest full year's count.
    brief.write_text(
        "Toll brief\n\ndate 2024-06-10\n\nSynthetic opioids such as fentanyl now kill about "
        "76,500 Americans a year, the senator told the hearing.\n",
        encoding="utf-8",
    )
    undated = folder / "undated.txt"
    undated.write_text(
        "Undated note\n\nSynthetic opioids kill roughly 37,800 Americans every year, a "
        "campaign leaflet claimed.\n",
        encoding="utf-8",
    )
    # A count written to the unit, some 7% above the held release's count for its year.
    revised = folder / "revised.txt"
    revised.write_text(
        "Toll revised\n\ndate 2024-06-26\n\nThe Public Health Agency of Canada said 8,623 "
        "people died of apparent opioid toxicity in 2023, federal figures show.\n",
        encoding="utf-8",
    )
    with Store.open(f"sqlite:///{folder / 'store.db'}") as store:
        ingest_paths(
            [SAMPLES, seeds_dir, brief, undated, revised], store, max_bytes=10_000_000, workers=1
        )
        _, errors = import_files(store, reference_files())
        assert not errors
        claims = {c.id: c for c in store.claims()}
        return [(claims[v.claim_id], v) for v in run(store)]


def test_every_caveat_verdict_says_its_caveat_and_no_other_does(judged: list[Any]) -> None:
    caveated = [v for _, v in judged if v.verdict == VerdictKind.SUPPORTED_WITH_CAVEAT]
    assert len(caveated) >= 3
    assert all(v.caveat and v.caveat not in ("", v.explanation) for v in caveated)
    others = [v for _, v in judged if v.verdict != VerdictKind.SUPPORTED_WITH_CAVEAT]
    assert not [v for v in others if v.caveat]


def test_a_toll_with_no_year_says_which_year_it_was_read_as(judged: list[Any]) -> None:
    toll = [v for c, v in judged if c.text.startswith("about 76,500") and v.check == "official"]
    assert toll, "the brief's toll was not checked"
    caveat = toll[0].caveat or ""
    assert toll[0].verdict == VerdictKind.SUPPORTED_WITH_CAVEAT, toll[0].explanation
    assert "names no year" in caveat and "2023" in caveat, caveat
    assert "% off" in caveat, caveat  # 76,500 against 74,091 is about 3% off


def test_a_count_written_to_the_unit_and_off_says_why(judged: list[Any]) -> None:
    """8,623 against PHAC's 8,020 is no rounding: the caveat names the likely cause."""
    toll = [v for c, v in judged if c.text.startswith("8,623") and v.check == "official"]
    assert toll and toll[0].verdict == VerdictKind.SUPPORTED_WITH_CAVEAT, toll
    caveat = toll[0].caveat or ""
    assert "7.5% off" in caveat and "another count" in caveat, caveat


def test_explanations_read_the_right_way_round(judged: list[Any]) -> None:
    """Wordings a reader took backwards: a negated magnitude quoted without its negation,
    a conflict that named the other document's figure first, an agency read as a speaker."""
    denied = [v for c, v in judged if v.check == "shares" and c.text.endswith("big player")]
    assert denied and "not a" in denied[0].explanation, [v.explanation for v in denied]
    conflicts = [v for _, v in judged if v.verdict == VerdictKind.CONFLICT]
    assert conflicts and all(v.explanation.startswith("This text") for v in conflicts)
    assert not [v for _, v in judged if "document(s)" in v.explanation]
    unjudged = [v.explanation for _, v in judged if v.explanation.startswith("No official series")]
    assert unjudged and not [e for e in unjudged if " by CBP)" in e or " by DEA)" in e]


def test_an_undated_toll_is_not_read_as_before_the_article(judged: list[Any]) -> None:
    toll = [v for c, v in judged if c.text.startswith("roughly 37,800") and v.check == "official"]
    assert toll, "the undated toll was not checked"
    assert "before the article" not in toll[0].explanation, toll[0].explanation
    assert "undated" in toll[0].explanation, toll[0].explanation
