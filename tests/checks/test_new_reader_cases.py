"""Cases a reviewer found by trying the checks on text of their own, with the bundled
official series: each was a confident verdict a careful fact-checker would not give."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.checks.data import OfficialData
from borderflow.checks.runner import check_claims, headline
from borderflow.extract import DocumentMeta, extract_claims
from borderflow.records.claims import StoredClaim
from borderflow.records.verdicts import Verdict


def _verdict(text: str, quote: str, data: OfficialData, published: date) -> Verdict:
    found = extract_claims(text, DocumentMeta(published=published, outlet="Capitol Report"))
    claims = [StoredClaim.of(c, id=i + 1, document_id=1) for i, c in enumerate(found)]
    best = headline(check_claims(claims, {1: published}, data))
    claim = next(c for c in claims if quote in c.text)
    return best[claim.id]


def test_a_round_toll_never_true_is_contradicted_not_out_of_date(data: OfficialData) -> None:
    text = '"Fentanyl kills 100,000 Americans a year," said Sen. Ruth Kim.'
    verdict = _verdict(text, "100,000", data, date(2025, 10, 6))
    assert verdict.verdict == "contradicted", verdict.explanation


def test_last_years_exact_count_for_this_year_is_not_supported(data: OfficialData) -> None:
    text = "Canada lost 8,020 people to opioids in 2024, according to federal data."
    verdict = _verdict(text, "8,020", data, date(2025, 7, 2))
    assert verdict.verdict == "unverifiable" and "2023" in verdict.explanation


def test_a_bound_does_not_match_another_border(data: OfficialData) -> None:
    text = ("CBP agents seized more than 11,000 pounds of fentanyl at the Canadian border in "
            "fiscal 2025, a senator claimed.")  # fmt: skip
    verdict = _verdict(text, "11,000", data, date(2025, 11, 3))
    assert "matches CBP" not in verdict.explanation


def test_a_toll_said_on_a_given_day_is_still_a_yearly_toll(data: OfficialData) -> None:
    text = '"Fentanyl kills 70,000 Americans a year," said Sen. Ruth Kim on Monday.'
    verdict = _verdict(text, "70,000", data, date(2025, 10, 6))
    assert verdict.verdict == "misleading", verdict.explanation  # true of 2023, not of 2024


def test_a_share_after_two_figures_is_not_judged_as_a_change(data: OfficialData) -> None:
    """A percentage beside two figures with no rise or fall named may be a share of a
    total, not the change from one figure to the other: never "in the other direction"."""
    text = (
        "Agents found 60 pounds at northern crossings in 2024, compared with 17,900 pounds "
        "at southern ones, roughly 96.8%."
    )
    found = extract_claims(text, DocumentMeta(published=date(2025, 3, 1)))
    claims = [StoredClaim.of(c, id=i + 1, document_id=1) for i, c in enumerate(found)]
    share = next(c for c in claims if "96.8%" in c.text)
    judged = [
        v for v in check_claims(claims, {1: date(2025, 3, 1)}, data) if v.claim_id == share.id
    ]
    assert all(v.verdict != "contradicted" for v in judged), [v.explanation for v in judged]


def test_a_fall_named_in_words_is_still_judged(data: OfficialData) -> None:
    text = "Seizures fell from 400 kilograms in 2022 to 100 kilograms in 2023, a drop of 40%."
    verdict = _verdict(text, "40%", data, date(2024, 2, 1))
    assert verdict.verdict == "contradicted" and "75.0%" in verdict.explanation


def test_a_change_on_last_months_figure_is_judged_against_it(data: OfficialData) -> None:
    text = "Inspectors logged 720 kilograms of cocaine in June, up 20% on May's 600 kilograms."
    verdict = _verdict(text, "20%", data, date(2025, 7, 15))
    assert verdict.verdict == "supported" and "600 kilograms" in verdict.explanation


@pytest.mark.parametrize(
    "text",
    [
        "The Ambassador Bridge handles a quarter of the trade. Officers there have stopped "
        "about 12 pounds of fentanyl since October, the port director said.",
        "Reporters toured the Lewiston crossing on Friday. Since October, CBP officers at that "
        "crossing have seized 12 pounds of fentanyl.",
    ],
)
def test_a_port_named_in_the_sentence_before_is_not_a_border_total(
    data: OfficialData, text: str
) -> None:
    verdict = _verdict(text, "12 pounds", data, date(2025, 4, 20))
    assert verdict.verdict == "unverifiable", verdict.explanation


@pytest.mark.parametrize(
    "text",
    [
        "Only one-10th of 1 per cent of the fentanyl seized at the northern border has been "
        "traced to Canada, according to agency records.",
        "Of the fentanyl recovered in the northern region last year, 0.2 per cent was "
        "identified as coming from Canada, CBP data obtained by the newspaper show.",
    ],
)
def test_a_share_by_origin_is_not_the_borders_share_of_seizures(
    data: OfficialData, text: str
) -> None:
    verdict = _verdict(text, "per cent", data, date(2025, 4, 2))
    assert verdict.verdict == "unverifiable", verdict.explanation


def test_a_daily_rate_restates_the_count_of_its_own_year(data: OfficialData) -> None:
    text = (
        "Canada recorded 6,900 opioid deaths in 2024, down from 8,100 in 2023, an average of "
        "19 deaths a day in 2024."
    )
    found = extract_claims(text, DocumentMeta(published=date(2025, 6, 1)))
    claims = [StoredClaim.of(c, id=i + 1, document_id=1) for i, c in enumerate(found)]
    rate = next(c for c in claims if "19 deaths" in c.text)
    arithmetic = [v for v in check_claims(claims, {1: date(2025, 6, 1)}, data)
                  if v.claim_id == rate.id and v.check == "arithmetic"]  # fmt: skip
    assert [v.verdict for v in arithmetic] == ["supported"], arithmetic
    assert "6,900" in arithmetic[0].explanation


def test_a_seizure_with_no_border_says_so(data: OfficialData) -> None:
    text = "Customs officers seized 410 pounds of fentanyl in March, the agency said."
    verdict = _verdict(text, "410 pounds", data, date(2025, 4, 20))
    assert verdict.verdict == "unverifiable"
    assert "does not say where this was seized" in verdict.explanation


def test_a_share_of_something_else_is_not_fentanyls(data: OfficialData) -> None:
    """Two shares in one sentence about fentanyl: only the one "of fentanyl" is judged
    against CBP's seizures; "of illegal crossings" is about people."""
    text = (
        "The border is quiet, the minister said. Less than 1 per cent of fentanyl and less than "
        "2 per cent of illegal crossings come into the U.S. from Canada, he told reporters."
    )
    fentanyl = _verdict(text, "1 per cent", data, date(2025, 2, 4))
    assert fentanyl.check == "shares", fentanyl.explanation
    crossings = _verdict(text, "2 per cent", data, date(2025, 2, 4))
    assert crossings.check != "shares", crossings.explanation


def test_a_share_within_one_borders_seizures_later_in_a_text(data: OfficialData) -> None:
    """The share-within-a-border reading is found wherever the sentence stands in its text."""
    text = (
        "Officials released new figures on Tuesday. About 60% of the fentanyl seized at the "
        "northern border was traced to Canada, according to the report."
    )
    verdict = _verdict(text, "60%", data, date(2025, 3, 4))
    assert verdict.verdict == "unverifiable" and "traced" in verdict.explanation, verdict


def test_a_share_whose_own_words_name_its_route_takes_that_border(data: OfficialData) -> None:
    """The border carried from the sentence before (Mexico's) yields to the route the
    share's own words give."""
    text = (
        "Agents seized more than 21,000 pounds along the Mexican border in 2024. Of all "
        "the fentanyl caught that year, roughly 0.2% of it came through Canada."
    )
    verdict = _verdict(text, "0.2%", data, date(2025, 3, 6))
    assert verdict.verdict == "supported", verdict.explanation
    assert "northern border" in verdict.explanation
    text = (
        "Agents seized more than 21,000 pounds along the Mexican border in fiscal 2024. "
        "Only 0.2% of the fentanyl seized came through Canada."
    )
    verdict = _verdict(text, "0.2%", data, date(2025, 3, 6))
    assert verdict.verdict == "supported" and "northern border" in verdict.explanation


def test_a_share_of_a_fiscal_year_still_running_is_not_judged(data: OfficialData) -> None:
    """Written in February, "fiscal 2025" is the months so far: the whole year's share
    differs and says nothing against it."""
    text = (
        "During fiscal year 2025, seizures on the coasts and in the interior made up 2.9% "
        "of all the fentanyl CBP caught."
    )
    verdict = _verdict(text, "2.9%", data, date(2025, 2, 20))
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert "before FY2025 ended" in verdict.explanation


def test_a_share_of_part_of_a_fiscal_year_is_not_judged_by_another_year(
    data: OfficialData,
) -> None:
    """ "So far in fiscal 2025" is not fiscal 2024, the latest full year."""
    text = (
        "So far in fiscal 2025, seizures on the coasts and in the interior made up 2.9% "
        "of all the fentanyl CBP caught."
    )
    verdict = _verdict(text, "2.9%", data, date(2025, 2, 20))
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert "part of" in verdict.explanation


def _undated(text: str, quote: str, data: OfficialData) -> Verdict:
    found = extract_claims(text, DocumentMeta(published=None, outlet=None))
    claims = [StoredClaim.of(c, id=i + 1, document_id=1) for i, c in enumerate(found)]
    best = headline(check_claims(claims, {1: None}, data))
    return best[next(c for c in claims if quote in c.text).id]


def test_an_undated_figure_below_a_whole_years_total_is_not_contradicted(
    data: OfficialData,
) -> None:
    """Without the text's date, a fiscal year's figure below CBP's total for the whole
    year may be the months published when it was written."""
    text = (
        "CBP confiscated 162 pounds of fentanyl on the coasts and interior of the country "
        "during fiscal year 2025, against 10.4 pounds at the Canada border."
    )
    verdict = _undated(text, "162 pounds", data)
    assert verdict.verdict == "unverifiable", verdict.explanation
    assert "undated" in verdict.explanation


@pytest.mark.parametrize(
    ("sentence", "corridor"),
    [
        ("Officers seized 43 pounds at the Canada border in fiscal 2024.", "northern border"),
        ("Officers seized 21,100 pounds at the Mexican border in fiscal 2024.", "southwest border"),
        ("Officers seized 21,100 pounds at the Mexico border in fiscal 2024.", "southwest border"),
        ("Canada's border officers seized 25 kg of fentanyl in fiscal 2024.", None),
        ("Troopers seized 8 kg at the Texas-New Mexico border in fiscal 2024.", None),
        (
            "Officers seized 698 pounds on the coasts or interior in fiscal 2024.",
            "coastal/interior",
        ),
    ],
)
def test_borders_named_by_their_country(sentence: str, corridor: str | None) -> None:
    [claim] = extract_claims(sentence, DocumentMeta(published=date(2025, 3, 1)))
    assert claim.corridor == corridor


@pytest.mark.parametrize(
    "text",
    [
        "Counterfeit pills now make up 97 percent of the fentanyl seized at the southwest "
        "border in fiscal 2024, a think tank found.",
        "In fiscal 2024 roughly 96% of the fentanyl stopped at the Mexican border was powder, "
        "not pills.",
        "Of the fentanyl seized at the southwest border in fiscal 2024, about 96% was in pill "
        "form.",
        "At the southwest border, roughly 96% of the fentanyl seized in fiscal 2024 consisted "
        "of pressed pills.",
    ],
)
def test_a_share_by_form_is_not_the_borders_share(text: str, data: OfficialData) -> None:
    """Pills against powder: a share of a form, which CBP's series do not give; it only
    happens to lie near the southwest border's share of every seizure."""
    verdict = _verdict(text, "9", data, date(2025, 1, 15))
    assert verdict.verdict == "unverifiable", verdict.explanation


@pytest.mark.parametrize(
    "text",
    [
        "About 97% of the fentanyl seized in fiscal 2024 was caught at the southwest border.",
        "About 97% of the fentanyl seized in fiscal 2024, most of it pressed pills, was "
        "caught at the southwest border.",
        "Less than 1% of the fentanyl seized in fiscal 2024, powder or pills, was seized at "
        "the northern border.",
    ],
)
def test_a_share_a_verb_puts_at_the_border_is_the_borders_share(
    text: str, data: OfficialData
) -> None:
    """A form named beside the share describes the drug; the verb still places the share."""
    verdict = _verdict(text, "%", data, date(2025, 1, 15))
    assert verdict.verdict == "supported" and "FY2024" in verdict.explanation
