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

NORTH = ("Northern Border", "Land Only")
FY_START = date(2023, 10, 1)


def _vintage(name: str, last: date, kg_by_month: dict[date, float]) -> CbpVintage:
    months = frozenset(months_between(FY_START, last))
    return CbpVintage(name, last, months, {NORTH: {m: kg_by_month[m] for m in months}})


def _data(*held: str) -> OfficialData:
    """Three releases of one series, 1 kg a month, in which late seizures raised April
    2024 from 1 kg (data to April, readable mid-May) to 2 kg (data to May, readable
    mid-June) to 4 kg (data to December), and May from 2 kg to 4 kg. October to April
    reads 7, 8 and 10 kg; October to May 10 and 14 kg. `held`: the releases kept, by
    name (default all)."""
    months = months_between(FY_START, date(2024, 12, 31))
    base = dict.fromkeys(months, 1.0)
    april, may = date(2024, 4, 1), date(2024, 5, 1)
    releases = [
        _vintage("cbp-to-april.csv", date(2024, 4, 30), base),
        _vintage("cbp-to-may.csv", date(2024, 5, 31), base | {april: 2.0, may: 2.0}),
        _vintage("cbp-to-december.csv", date(2024, 12, 31), base | {april: 4.0, may: 4.0}),
    ]
    data = OfficialData()
    data.cbp_vintages = [v for v in releases if not held or v.release in held]
    data.cbp_months = set(months)
    data.cbp_kg[NORTH] = dict(releases[-1].kg[NORTH])
    data.release_names = {"cbp": [v.release for v in data.cbp_vintages]}
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


def _verdict(claim: StoredClaim, data: OfficialData, **when: date) -> str:
    verdict = check_cbp(claim, data, **when)
    assert verdict is not None
    return f"{verdict.verdict}: {verdict.explanation}"


OCT_APR = (FY_START, date(2024, 4, 30))
OCT_MAY = (FY_START, date(2024, 5, 31))
OCT_DEC = (date(2024, 10, 1), date(2024, 12, 31))
JUNE = date(2024, 6, 20)  # the release with data to May is readable; December's is not
LATER = ("cbp-to-april.csv", "cbp-to-december.csv")  # the May release not held


def test_the_figure_of_a_release_the_writer_could_read_is_supported_with_a_caveat() -> None:
    verdict = check_cbp(_seizure(10, *OCT_MAY), _data(), published=JUNE)
    assert verdict is not None and verdict.verdict == "supported-with-caveat"
    assert verdict.citations[0].release == "cbp-to-may.csv"
    assert "since revised it to 14.0 kg" in verdict.explanation
    assert verdict.caveat is not None and "cbp-to-may.csv" in verdict.caveat
    # Not only the newest one readable: October-April as the April release gave it.
    earlier = check_cbp(_seizure(7, *OCT_APR), _data(), published=JUNE)
    assert earlier is not None and earlier.verdict == "supported-with-caveat"
    assert earlier.citations[0].release == "cbp-to-april.csv"


def test_a_figure_no_release_of_the_time_gave_is_contradicted() -> None:
    assert _verdict(_seizure(12, *OCT_MAY), _data(), published=JUNE).startswith("contradicted")


def test_a_lower_figure_for_recent_months_seen_only_in_a_later_release_is_not_judged() -> None:
    said = _verdict(_seizure(10, *OCT_MAY), _data(*LATER), published=JUNE)
    assert said.startswith("unverifiable"), said
    assert (
        "29% below the 14.0 kg (30.86 lb) that CBP's newest release, cbp-to-december.csv," in said
    )
    assert "20 days after" in said
    assert "holds no CBP release of that time" in said


def test_a_gap_revisions_cannot_make_is_judged() -> None:
    # 4 kg against 14: late seizures could at most have doubled March to May (9 kg now).
    assert _verdict(_seizure(4, *OCT_MAY), _data(*LATER), published=JUNE).startswith("contradicted")
    # Late seizures only raise CBP's figures: one above the current figure is not excused.
    assert _verdict(_seizure(16, *OCT_MAY), _data(*LATER), published=JUNE).startswith(
        "contradicted"
    )


def test_months_no_longer_recent_when_the_text_was_written_are_judged() -> None:
    said = _verdict(_seizure(10, *OCT_MAY), _data(*LATER), published=date(2025, 7, 1))
    assert said.startswith("contradicted"), said


def test_a_higher_figure_may_come_from_a_release_newer_than_any_held() -> None:
    # October-December 2024 are the newest months of the December release (3 kg).
    claim = _seizure(3.5, *OCT_DEC)
    said = _verdict(claim, _data(), published=date(2025, 4, 1))
    assert said.startswith("unverifiable") and "newer releases" in said
    # Before the next release could be read, the writer had the same figures as borderflow.
    assert _verdict(claim, _data(), published=date(2025, 2, 1)).startswith("contradicted")
    # A lower figure cannot come from a newer release: revisions only add.
    lower = _seizure(2.2, *OCT_DEC)
    assert _verdict(lower, _data(), published=date(2025, 4, 1)).startswith("contradicted")


def test_an_undated_text_is_judged_by_the_releases_of_its_time() -> None:
    # The May release is held: any release a writer could quote is compared.
    said = _verdict(_seizure(10, *OCT_MAY), _data(), earliest=date(2024, 5, 31))
    assert said.startswith("supported-with-caveat"), said
    # Not held: the latest period it names may have been weeks old when it was written.
    said = _verdict(_seizure(10, *OCT_MAY), _data(*LATER), earliest=date(2024, 5, 31))
    assert said.startswith("unverifiable") and "has no date" in said
    # The first release with the whole period is held and none gave the figure: judged.
    said = _verdict(_seizure(5, *OCT_APR), _data(), earliest=date(2024, 4, 30))
    assert said.startswith("contradicted"), said


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


def test_the_month_on_record_as_doubled_is_not_contradicted() -> None:
    """April 2025 at the northern border: about 6 kg two months on, 12.2 kg in the bundled
    January 2026 release. "Six kilograms" stands for up to 6.5 kg: within what late
    seizures have been seen to add, so the text of that July is not called wrong; a text
    of the next February, when the month had settled, is."""
    text = (
        "In April, CBP officers seized six kilograms of fentanyl at the northern border, the "
        "agency's figures show."
    )
    for published, kind in ((date(2025, 7, 5), "unverifiable"), (date(2026, 2, 5), "contradicted")):
        found = extract_claims(
            text.replace("April", "April 2025"), DocumentMeta(published=published)
        )
        claims = [StoredClaim.of(c, id=i + 1, document_id=1) for i, c in enumerate(found)]
        verdict = headline(check_claims(claims, {1: published}, official_data()))[claims[0].id]
        assert verdict.verdict == kind, verdict.explanation
        if kind == "unverifiable":
            assert "for April 2025 on the northern border" in verdict.explanation
