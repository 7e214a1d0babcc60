"""A list item that places its figure somewhere no border names (airports, mail
facilities, inland) has no scope, and borrows none from the items beside it; an item with
no place of its own still shares the sentence's border. Written for these tests."""

from __future__ import annotations

from datetime import date

from borderflow.extract import DocumentMeta, extract_claims

META = DocumentMeta(published=date(2025, 11, 2))


def _scopes(text: str) -> dict[str, str | None]:
    return {c.text: c.corridor for c in extract_claims(text, META)}


def test_an_inland_item_takes_no_sibling_border() -> None:
    got = _scopes(
        "In fiscal 2025 officers took 9,800 pounds of fentanyl at the southwest border, "
        "64 pounds at the northern border and about 500 pounds at international mail "
        "facilities and airports."
    )
    assert got == {
        "9,800 pounds": "southwest border",
        "64 pounds": "northern border",
        "about 500 pounds": None,
    }


def test_an_item_without_a_place_shares_the_border() -> None:
    got = _scopes(
        "Agents seized 12 pounds of fentanyl and 40 pounds of meth at the northern border."
    )
    assert got == {"12 pounds": "northern border", "40 pounds": "northern border"}


def test_a_part_without_a_figure_keeps_its_border_too() -> None:
    got = _scopes(
        "Officers took about 19,400 pounds of fentanyl that year, including a record haul at "
        "the northern border."
    )
    assert got == {"about 19,400 pounds": None}


def test_a_border_named_for_one_part_is_not_the_totals() -> None:
    got = _scopes(
        "Officers took a total of 19,400 pounds of fentanyl that year, of which 18,950 "
        "pounds came across the southwest border."
    )
    assert got == {"19,400 pounds": None, "18,950 pounds": "southwest border"}
    got = _scopes(
        "The agency reported 2,300 pounds of narcotics in 2024, including 52 pounds of "
        "fentanyl at the northern border."
    )
    assert got == {"2,300 pounds": None, "52 pounds": "northern border"}


def test_a_total_that_names_its_own_scope_keeps_it() -> None:
    got = _scopes(
        "Nationwide, CBP took 19,400 pounds of fentanyl that year, of which 18,950 pounds "
        "at the southwest border."
    )
    assert got["19,400 pounds"] != "southwest border"
    got = _scopes(
        "At the southwest border agents seized 18,950 pounds of fentanyl, including 7,000 "
        "pounds at the ports of Nogales and San Ysidro."
    )
    assert got["18,950 pounds"] == "southwest border"


def test_words_like_a_part_without_a_figure_keep_the_border() -> None:
    got = _scopes(
        "Officers took about 3,200 pounds of fentanyl in October and November, the first "
        "two months of this fiscal year, at the southwest border."
    )
    assert got == {"about 3,200 pounds": "southwest border"}
    got = _scopes(
        "Agents took 3,200 pounds, including several record loads, at the southwest border."
    )
    assert got == {"3,200 pounds": "southwest border"}
