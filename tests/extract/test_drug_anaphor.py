""" "The deadly drug" points back to the drug named before it; a described plural ("the
assorted drugs") is drugs in general. Written for these tests."""

from __future__ import annotations

from datetime import date

from borderflow.extract import DocumentMeta, extract_claims

META = DocumentMeta(published=date(2025, 7, 5))


def _substances(text: str) -> dict[str, str | None]:
    return {c.text: c.substance for c in extract_claims(text, META)}


def test_a_described_drug_points_back() -> None:
    text = (
        "Border officers found fentanyl in a truck at the Ambassador Bridge.\n\n"
        "It was the third such find: in all, 9 kilograms of the deadly drug were recovered."
    )
    assert _substances(text) == {"9 kilograms": "fentanyl"}


def test_described_drugs_in_the_plural_are_drugs_in_general() -> None:
    text = "Fentanyl is rarely seen there. Police seized 3 kg of the assorted drugs in a raid."
    assert _substances(text) == {"3 kg": "drugs"}
