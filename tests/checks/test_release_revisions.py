"""A CBP figure for recent months is judged against what CBP had published when the text
was written: CBP keeps adding late seizures to its newest months, so a later release can
make a true figure look false. Claims are built by hand (what the extractor reads does not
matter here) against two releases whose figures for the same months differ."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.calendars import months_between
from borderflow.checks.data import OfficialData
from borderflow.checks.judging import check_claims, headline
from borderflow.checks.seizures import check_cbp
from borderflow.checks.vintages import CbpVintage
from borderflow.extract import DocumentMeta, extract_claims
from borderflow.records.claims import PeriodReading, StoredClaim
from tests.labels.reading_score import official_data

LB = 0.45359237
NORTH = ("Northern Border", "Land Only")
FY_START = date(2023, 10, 1)


def _vintage(name: str, last: date, kg_by_month: dict[date, float]) -> CbpVintage:
    months = frozenset(months_between(FY_START, last))
    return CbpVintage(name, last, months, {NORTH: {m: kg_by_month[m] for m in months}})


def _data() -> OfficialData:
    """Two releases: one with data to May 2024 (readable mid-June), in which April and May
    read 2 kg each; one with data to December 2024 in which late seizures raised them to
    6 kg. Every other month is 1 kg in both."""
    months = months_between(FY_START, date(2024, 12, 31))
    early = dict.fromkeys(months, 1.0) | {date(2024, 4, 1): 2.0, date(2024, 5, 1): 2.0}
    late = dict.fromkeys(months, 1.0) | {date(2024, 4, 1): 6.0, date(2024, 5, 1): 6.0}
    data = OfficialData()
    data.cbp_vintages = [
        _vintage("cbp-to-may.csv", date(2024, 5, 31), early),
        _vintage("cbp-to-december.csv", date(2024, 12, 31), late),
    ]
    data.cbp_months = set(months)
    data.cbp_kg[NORTH] = late
    data.release_names = {"cbp": ["cbp-to-may.csv", "cbp-to-december.csv"]}
    return data


def _seizure(kg: float, start: date, end: date) -> StoredClaim:
    sentence = f"CBP seized {kg:g} kilograms of fentanyl at the northern border."
    text = f"{kg:g} kilograms"
    at = sentence.index(text)
    return StoredClaim(
        id=1, document_id=1, document="d", start=at, end=at + len(text), text=text,
        sentence=sentence, value=kg, value_max=None, qualifier="exact", unit="kg",
        dimension="mass", normalized_value=kg, normalized_unit="kg", measure="seizure",
        substance="fentanyl", corridor="northern border", agency="CBP",
        period_start=start, period_end=end, period_basis="range",
        period_candidates=[PeriodReading("range", start, end)],
    )  # fmt: skip


# October 2023 to May 2024: 6 x 1 + 2 + 2 = 10 kg as first published, 18 kg now.
OCT_MAY = (FY_START, date(2024, 5, 31))


def test_the_figure_published_then_is_supported_with_the_revision_as_caveat() -> None:
    verdict = check_cbp(_seizure(10, *OCT_MAY), _data(), published=date(2024, 6, 20))
    assert verdict is not None and verdict.verdict == "supported-with-caveat"
    assert verdict.citations[0].release == "cbp-to-may.csv"
    assert "since revised it to" in verdict.explanation
    assert verdict.caveat is not None and "cbp-to-may.csv" in verdict.caveat


def test_a_figure_neither_release_gave_is_still_contradicted() -> None:
    verdict = check_cbp(_seizure(13, *OCT_MAY), _data(), published=date(2024, 6, 20))
    assert verdict is not None and verdict.verdict == "contradicted"


def test_recent_months_seen_only_in_a_later_release_are_not_judged() -> None:
    data = _data()
    data.cbp_vintages = data.cbp_vintages[1:]  # the release of June is not held
    verdict = check_cbp(_seizure(10, *OCT_MAY), data, published=date(2024, 6, 20))
    assert verdict is not None and verdict.verdict == "unverifiable"
    assert "cbp-to-december.csv" in verdict.explanation
    assert "came out after the text" in verdict.explanation


def test_a_gap_larger_than_revisions_can_make_is_judged() -> None:
    # 4 kg against 18: revisions of April and May (12 kg now) cannot explain 14 kg.
    data = _data()
    data.cbp_vintages = data.cbp_vintages[1:]
    verdict = check_cbp(_seizure(4, *OCT_MAY), data, published=date(2024, 6, 20))
    assert verdict is not None and verdict.verdict == "contradicted"


def test_long_after_the_period_the_current_figure_decides() -> None:
    # Written a year on, quoting the figure of June: the data had long been revised.
    data = _data()
    data.cbp_vintages = [
        *data.cbp_vintages,
        _vintage("cbp-to-june-2025.csv", date(2024, 12, 31), data.cbp_kg[NORTH]),
    ]
    verdict = check_cbp(_seizure(10, *OCT_MAY), data, published=date(2025, 7, 1))
    assert verdict is not None and verdict.verdict == "contradicted"


def test_a_text_written_after_the_newest_release_may_quote_a_newer_one() -> None:
    # October to December 2024 are the newest release's last months; the text came later.
    claim = _seizure(2.2, date(2024, 10, 1), date(2024, 12, 31))
    verdict = check_cbp(claim, _data(), published=date(2025, 4, 1))
    assert verdict is not None and verdict.verdict == "unverifiable"
    assert "newer release" in verdict.explanation


def test_an_undated_text_is_judged_by_the_latest_date_it_mentions() -> None:
    claim = _seizure(10, *OCT_MAY)
    recent = check_cbp(claim, _data(), earliest=date(2024, 5, 31))
    assert recent is not None and recent.verdict == "unverifiable"
    assert "carries no date" in recent.explanation
    # Nothing says when it was written: the same abstention, without a date to name.
    unknown = check_cbp(claim, _data())
    assert unknown is not None and unknown.verdict == "unverifiable"


def test_the_bundled_cbp_releases_are_held_each_as_published() -> None:
    data = official_data()
    ends = [v.coverage_end for v in data.cbp_vintages]
    assert ends == sorted(ends) and len(ends) >= 2
    assert ends[-1] == max(data.cbp_months).replace(day=31)
    newest = data.cbp_vintages[-1]
    # Each release alone sums what it says; the current series agrees with the newest.
    fy2025 = (date(2024, 10, 1), date(2025, 9, 30))
    now = data.cbp_total_kg("Northern Border", True, *fy2025)
    assert newest.cbp_total_kg("Northern Border", True, *fy2025) == pytest.approx(now)
    assert data.cbp_vintages[0].cbp_total_kg("Northern Border", True, *fy2025) is None


@pytest.mark.parametrize("published", [date(2025, 7, 5), None])
def test_a_recent_northern_total_quoted_before_the_bundled_release_is_not_contradicted(
    published: date | None,
) -> None:
    # Modelled on Canadian reporting of mid-2025: a fiscal-year-to-date total for the
    # northern border, lower than CBP's later release because of late-recorded seizures.
    text = (
        "From October 2024 through May, U.S. border officers intercepted 26 kilograms of "
        "fentanyl along the Canadian border, according to CBP figures."
    )
    found = extract_claims(text, DocumentMeta(published=published))
    claims = [StoredClaim.of(c, id=i + 1, document_id=1) for i, c in enumerate(found)]
    claim = next(c for c in claims if "26" in c.text)
    assert (claim.period_start, claim.period_end) == (date(2024, 10, 1), date(2025, 5, 31))
    verdict = headline(check_claims(claims, {1: published}, official_data()))[claim.id]
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert "nationwide-drugs-fy23-fy26-dec" in verdict.explanation or published is None
