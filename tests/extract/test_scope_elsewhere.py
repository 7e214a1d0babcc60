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
