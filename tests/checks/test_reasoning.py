"""The checks reason as a fact-checker does: the right series or none, every reading tried,
arithmetic in the phrasings reporting uses, conflicts only between the same quantity.
Claims are built by hand here, so these tests hold whatever the extractor reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from borderflow.checks.changes import differences, percent_change, unequal_periods
from borderflow.checks.data import OfficialData
from borderflow.checks.doses import doses
from borderflow.checks.seizures import check_cbp
from borderflow.checks.shares import complement_of
from borderflow.checks.sources import across_sources
from borderflow.checks.totals import parts_and_total, restated_units
from borderflow.extract import DocumentMeta, extract_claims
from borderflow.records.claims import PeriodReading, StoredClaim

LB = 0.45359237
FY2024 = PeriodReading("us_fiscal", date(2023, 10, 1), date(2024, 9, 30))
CY2024 = PeriodReading("calendar", date(2024, 1, 1), date(2024, 12, 31))


def _data() -> OfficialData:
    """Every month of 2023-2024: northern 3 lb land + 1 lb other, southwest 1,800 lb land,
    coastal/interior 50 lb, each month; and 12 lb more on the northern land border in October
    2023, which is in FY2024 but not in calendar 2024."""
    data = OfficialData()
    months = [date(y, m, 1) for y in (2023, 2024) for m in range(1, 13)]
    data.cbp_months = set(months)
    data.cbp_kg[("Northern Border", "Land Only")] = dict.fromkeys(months, 3 * LB)
    data.cbp_kg[("Northern Border", "Land Only")][date(2023, 10, 1)] = 15 * LB
    data.cbp_kg[("Northern Border", "Other")] = dict.fromkeys(months, 1 * LB)
    data.cbp_kg[("Southwest Border", "Land Only")] = dict.fromkeys(months, 1800 * LB)
    data.cbp_kg[("Coastal/Interior", "Other")] = dict.fromkeys(months, 50 * LB)
    data.release_names = {"cbp": ["nationwide.csv"]}
    return data


_ids = iter(range(1, 10_000))


def _claim(text: str, sentence: str, value: float, unit: str = "lb", **fields: Any) -> StoredClaim:
    normalized = {"lb": (value * LB, "kg"), "kg": (value, "kg")}.get(unit, (value, unit))
    start = sentence.find(text)
    base: dict[str, Any] = {
        "start": start, "end": start + len(text), "text": text, "sentence": sentence,
        "value": value, "value_max": None, "qualifier": "exact", "unit": unit,
        "dimension": "mass" if unit in ("lb", "kg") else fields.pop("dimension", "count"),
        "normalized_value": normalized[0], "normalized_unit": normalized[1],
    }  # fmt: skip
    period: PeriodReading | None = fields.pop("period", None)
    if period is not None:
        fields.setdefault("period_candidates", [period])
        fields.update(period_start=period.start, period_end=period.end, period_basis=period.basis)
    doc = fields.pop("doc", 1)
    return StoredClaim(**base, **fields, id=next(_ids), document_id=doc, document="d")


def _seizure(value: float, corridor: str, period: PeriodReading | None = FY2024,
             **fields: Any) -> StoredClaim:  # fmt: skip
    text = f"{value:g} pounds"
    sentence = f"CBP seized {text} of fentanyl at the border."
    return _claim(text, sentence, value, measure="seizure", substance="fentanyl",
                  agency="CBP", corridor=corridor, period=period, **fields)  # fmt: skip


def test_all_borders_sums_every_region() -> None:
    verdict = check_cbp(_seizure(22_260, "all borders"), _data())  # (4 + 1800 + 50) x 12 + 12
    assert verdict is not None and verdict.verdict == "supported"
    assert "all U.S. borders" in verdict.explanation


def test_a_figure_of_another_rung_is_not_contradicted() -> None:
    # The southwest (land) total said of the northern border: the reading, not the count,
    # is wrong, and the explanation names the rung it does match.
    verdict = check_cbp(_seizure(21_600, "northern border"), _data())
    assert verdict is not None and verdict.verdict == "unverifiable"
    assert "southwest border" in verdict.explanation and "21,600.00 lb" in verdict.explanation


def test_far_off_every_reading_abstains() -> None:
    verdict = check_cbp(_seizure(40_000, "northern border"), _data())
    assert verdict is not None and verdict.verdict == "unverifiable"
    assert "times away" in verdict.explanation


def test_wrong_but_plausible_figure_is_contradicted_with_every_reading_given() -> None:
    verdict = check_cbp(_seizure(150, "northern border"), _data())  # 48 or 60 lb
    assert verdict is not None and verdict.verdict == "contradicted"
    assert "48.00 lb" in verdict.explanation and "60.00 lb" in verdict.explanation


def test_ambiguous_last_year_is_supported_under_the_fiscal_reading_with_a_caveat() -> None:
    claim = _seizure(60, "northern border", CY2024, period_candidates=[CY2024, FY2024])
    claim.period_basis = "unknown"
    verdict = check_cbp(claim, _data())  # FY2024 whole border: 60 lb; calendar 2024: 36 or 48
    assert verdict is not None and verdict.verdict == "supported-with-caveat"
    assert "FY2024" in verdict.explanation


def test_a_figure_true_under_every_reading_needs_no_caveat() -> None:
    claim = _seizure(21_600, "southwest border", CY2024, period_candidates=[CY2024, FY2024])
    claim.period_basis = "unknown"
    verdict = check_cbp(claim, _data())
    assert verdict is not None and verdict.verdict == "supported"


def test_only_reads_as_an_upper_bound() -> None:
    sentence = "Only 60 pounds of fentanyl were seized at the northern border in fiscal 2024."
    claim = _claim("60 pounds", sentence, 60, measure="seizure", substance="fentanyl",
                   corridor="northern border", period=FY2024)  # fmt: skip
    verdict = check_cbp(claim, _data())
    assert verdict is not None and verdict.verdict in ("supported", "supported-with-caveat")


def _change_sentence(sentence: str, figures: list[tuple[str, float]], change: str,
                     stated: float) -> list[StoredClaim]:  # fmt: skip
    claims = [_claim(t, sentence, v, "deaths", measure="deaths") for t, v in figures]
    claims.append(_claim(change, sentence, stated, "percent", dimension="percent",
                         measure="change"))  # fmt: skip
    return claims


def test_change_with_the_base_after_the_percentage() -> None:
    sentence = "Deaths reached 84,300, a 12.4 percent decline from 96,200 the year before."
    claims = _change_sentence(sentence, [("84,300", 84_300), ("96,200", 96_200)],
                              "12.4 percent", 12.4)  # fmt: skip
    [verdict] = percent_change(claims)
    assert verdict.verdict == "supported", verdict.explanation


def test_change_in_the_wrong_direction_is_contradicted() -> None:
    sentence = "Deaths rose 12.4 percent, from 96,200 to 84,300."
    claims = _change_sentence(sentence, [("96,200", 96_200), ("84,300", 84_300)],
                              "12.4 percent", 12.4)  # fmt: skip
    [verdict] = percent_change(claims)
    assert verdict.verdict == "contradicted" and "other direction" in verdict.explanation


def test_change_of_the_wrong_size_is_contradicted() -> None:
    sentence = "Deaths fell from 96,200 to 84,300, a drop of 30 percent."
    claims = _change_sentence(sentence, [("96,200", 96_200), ("84,300", 84_300)],
                              "30 percent", 30)  # fmt: skip
    [verdict] = percent_change(claims)
    assert verdict.verdict == "contradicted"


def test_stated_difference() -> None:
    sentence = "Last year 84,200 people died, 12,000 fewer than the 96,200 of the year before."
    claims = [_claim(t, sentence, v, "deaths", measure="deaths")
              for t, v in (("84,200", 84_200), ("12,000", 12_000), ("96,200", 96_200))]  # fmt: skip
    verdicts = {v.claim_id: v for v in differences(claims)}
    assert verdicts[claims[1].id].verdict == "supported"


def test_totals_over_unequal_periods_mislead() -> None:
    sentence = ("Seizures fell to 1,200 pounds in the first two months of 2025, compared with "
                "1,500 pounds in the last four months of 2024.")  # fmt: skip
    early = PeriodReading("calendar", date(2024, 9, 1), date(2024, 12, 31))
    late = PeriodReading("calendar", date(2025, 1, 1), date(2025, 2, 28))
    claims = [_claim("1,200 pounds", sentence, 1200, measure="seizure", period=late),
              _claim("1,500 pounds", sentence, 1500, measure="seizure", period=early)]  # fmt: skip
    [verdict] = unequal_periods(claims)
    assert verdict.verdict == "misleading" and "per month" in verdict.explanation.lower()


def _cbsa(value: float, doc: int, *readings: PeriodReading) -> StoredClaim:
    text = f"{value:g} kg"
    claim = _claim(text, f"The CBSA seized {text} of fentanyl.", value, "kg",
                   measure="seizure", substance="fentanyl", agency="CBSA", doc=doc,
                   period=readings[0], period_candidates=list(readings))  # fmt: skip
    claim.period_basis = "unknown" if len(readings) > 1 else readings[0].basis
    return claim


def test_equal_figures_never_conflict_across_readings() -> None:
    # Agreement is no evidence either (the documents may share one source): no verdict.
    claims = [_cbsa(4.9, 1, FY2024), _cbsa(4.9, 2, CY2024, FY2024), _cbsa(4.9, 3, FY2024)]
    assert across_sources(claims) == []


def test_different_figures_for_the_same_definite_period_conflict() -> None:
    verdicts = across_sources([_cbsa(4.9, 1, FY2024), _cbsa(7.5, 2, FY2024)])
    assert [v.verdict for v in verdicts] == ["conflict", "conflict"]


def test_different_figures_under_an_ambiguous_period_are_not_flagged() -> None:
    verdicts = across_sources([_cbsa(4.9, 1, FY2024), _cbsa(7.5, 2, CY2024, FY2024)])
    assert not [v for v in verdicts if v.verdict == "conflict"]


def test_a_total_against_the_items_listed_with_it() -> None:
    sentence = ("Police found 2,900 litres of chemicals: 2,000 litres of solvent, 600 litres "
                "of acid and 300 litres of a base.")  # fmt: skip
    claims = [_claim(t, sentence, v, "L", dimension="volume")
              for t, v in (("2,900 litres", 2900), ("2,000 litres", 2000),
                           ("600 litres", 600), ("300 litres", 300))]  # fmt: skip
    # Three items: the total is settled; each item is only consistent with it.
    [verdict] = parts_and_total(claims)
    assert verdict.claim_id == claims[0].id and verdict.verdict == "supported"


def test_a_total_in_words_is_approximate() -> None:
    sentence = "Nearly half a ton: 300 kg of one chemical, 100 kg of another and 50 kg more."
    total = _claim("half a ton", sentence, 0.5, "ton", dimension="mass")
    total.normalized_value, total.normalized_unit = 0.5 * 907.18474, "kg"
    items = [_claim(t, sentence, v, "kg") for t, v in (("300 kg", 300), ("100 kg", 100),
                                                         ("50 kg", 50))]  # fmt: skip
    assert total.id in {v.claim_id for v in parts_and_total([total, *items])}


def test_items_that_do_not_add_up_are_left_alone() -> None:
    sentence = "They seized 40 kg, including 10 kg of powder and 5 kg of pills."
    claims = [_claim(t, sentence, v, "kg") for t, v in (("40 kg", 40), ("10 kg", 10),
                                                        ("5 kg", 5))]  # fmt: skip
    assert parts_and_total(claims) == []


def test_one_amount_in_two_units() -> None:
    right = "Officers seized 43 pounds (19.5 kilograms) of fentanyl."
    wrong = "Officers seized 43 pounds (29.5 kilograms) of fentanyl."
    for sentence, expected in ((right, "supported"), (wrong, "contradicted")):
        kilos = sentence.split("(")[1].split(" ")[0]
        claims = [_claim("43 pounds", sentence, 43),
                  _claim(f"{kilos} kilograms", sentence, float(kilos), "kg")]  # fmt: skip
        [verdict] = restated_units(claims)
        assert verdict.verdict == expected


def test_a_share_of_a_list_of_origins_is_the_complement() -> None:
    assert complement_of("In all, 98.5% came from Mexico, the U.S. or unknown origins.") == (
        "Northern Border"
    )
    assert complement_of("Just 0.2% came from Canada, CBP said.") is None


def _dose_claims(kg: float, count: float, unit: str = "doses") -> list[StoredClaim]:
    sentence = f"Police seized {kg:g} kilograms of fentanyl, enough for {count:,.0f} {unit}."
    mass = _claim(f"{kg:g} kilograms", sentence, kg, "kg", substance="fentanyl")
    dose = _claim(f"{count:,.0f} {unit}", sentence, count, unit, measure="doses")
    return [mass, dose]


def test_dose_counts_are_graded_against_the_convention() -> None:
    def kind(kg: float, count: float, unit: str = "doses") -> str:
        return doses(_dose_claims(kg, count, unit), 2.0)[0].verdict

    assert kind(2, 1_000_000) == "supported"  # 2 mg a dose
    assert kind(54, 95_000_000) == "misleading"  # 0.57 mg
    assert kind(10, 1_000_000) == "supported-with-caveat"  # 10 mg: conservative
    assert kind(1, 500_000, "people") == "supported"  # "enough to kill 500,000 people"


def test_a_year_still_running_is_read_as_so_far() -> None:
    # "this fiscal year", written in mid-June 2024: October to May (8 x 1,800 lb on land).
    claim = _seizure(14_400, "southwest border")
    verdict = check_cbp(claim, _data(), published=date(2024, 6, 15))
    assert verdict is not None and verdict.verdict in ("supported", "supported-with-caveat")
    assert "2023-10-01..2024-05-31" in verdict.explanation


def test_a_recent_period_a_little_off_may_be_an_earlier_release() -> None:
    spring = PeriodReading("calendar", date(2024, 1, 1), date(2024, 4, 30))  # 7,200 lb on land
    claim = _seizure(6_000, "southwest border", spring)
    verdict = check_cbp(claim, _data(), published=date(2024, 6, 15))
    assert verdict is not None and verdict.verdict == "unverifiable"
    assert "late seizures" in verdict.explanation
    # Long after, or far off, it is judged.
    assert check_cbp(claim, _data(), published=date(2025, 6, 15)).verdict == "contradicted"  # type: ignore[union-attr]


def test_a_figure_for_one_port_is_not_a_border_total() -> None:
    claim = _seizure(2_850, "southwest border")
    claim.sentence = "Officers at the Port of Nogales have seized 2,850 pounds of fentanyl."
    verdict = check_cbp(claim, _data())
    assert verdict is not None and verdict.verdict == "unverifiable"


def _read(text: str) -> list[StoredClaim]:
    found = extract_claims(text, DocumentMeta(published=date(2025, 3, 6)))
    return [StoredClaim.of(c, id=i + 1, document_id=1) for i, c in enumerate(found)]


def _summed(text: str) -> dict[str, str]:
    claims = _read(text)
    texts = {c.id: c.text for c in claims}
    return {texts[v.claim_id]: v.verdict.value for v in parts_and_total(claims)}


def test_a_total_that_is_a_bound_is_settled_by_no_sum() -> None:
    """Any larger sum agrees with "more than 21,000 pounds": it proves nothing."""
    text = (
        "Of the more than 21,000 pounds seized in 2024, 20,960 pounds were caught in the "
        "south and 43 pounds in the north."
    )
    assert _summed(text) == {}


def test_a_figure_restated_in_another_unit_is_not_a_second_part() -> None:
    text = (
        "Agents seized 5,585 pounds in all: 5,412 pounds (2,455 kilograms) in the south and "
        "173 pounds (78 kilograms) elsewhere."
    )
    assert _summed(text) == {
        "5,585 pounds": "supported", "5,412 pounds": "supported", "173 pounds": "supported",
    }  # fmt: skip


def test_figures_of_other_drugs_are_not_parts_of_a_drugs_total() -> None:
    text = "Officers seized 50 kg of fentanyl, 30 kg of cocaine and 20 kg of heroin."
    assert _summed(text) == {}


def test_a_total_of_drugs_holds_each_drug_and_a_years_total_its_parts() -> None:
    assert _summed("Officers seized 50 kg of drugs: 30 kg of cocaine and 20 kg of fentanyl.") == {
        "50 kg": "supported", "30 kg": "supported", "20 kg": "supported",
    }  # fmt: skip
    halves = (
        "In fiscal 2024 agents seized 1,500 pounds: 1,000 pounds in the first half and 500 "
        "pounds in the second."
    )
    assert set(_summed(halves)) == {"1,500 pounds", "1,000 pounds", "500 pounds"}
