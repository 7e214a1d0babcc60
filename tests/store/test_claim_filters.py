"""Filter values resolved against the values the claims hold, and the terms of a word
search: small tables of cases, with the valid values given here rather than read from
the code under test."""

from __future__ import annotations

import pytest

from borderflow.errors import QueryError
from borderflow.store.claim_filters import resolve_filters, resolve_value
from borderflow.store.text_search import MAX_TERMS, escape_like, search_terms

AGENCIES = ("CBP", "CBSA", "RCMP", "U.S. Border Patrol")
VERDICTS = ("supported", "supported-with-caveat", "conflict", "unchecked")


@pytest.mark.parametrize(
    ("name", "typed", "valid", "meant"),
    [
        ("agency", "CBP", AGENCIES, "CBP"),
        ("agency", "cbp", AGENCIES, "CBP"),
        ("agency", "  rcmp ", AGENCIES, "RCMP"),
        ("agency", "US Border Patrol", AGENCIES, "U.S. Border Patrol"),
        ("agency", "Customs and Border Protection", AGENCIES, "CBP"),
        ("agency", "Royal Canadian Mounted Police", AGENCIES, "RCMP"),
        ("verdict", "Supported", VERDICTS, "supported"),
        ("verdict", "SUPPORTED_WITH_CAVEAT", VERDICTS, "supported-with-caveat"),
        ("verdict", "supported, with a caveat", VERDICTS, "supported-with-caveat"),
        ("verdict", "conflicting sources", VERDICTS, "conflict"),
        ("corridor", "Northern Border", ("northern border", "nationwide"), "northern border"),
        ("corridor", "U.S.-Canada border", ("northern border",), "northern border"),
        (
            "substance",
            "Fentanyl Precursors",
            ("fentanyl", "fentanyl precursors"),
            "fentanyl precursors",
        ),
        ("measure", "DEATHS", ("deaths", "seizure"), "deaths"),
    ],
)
def test_a_value_resolves_to_the_claims_spelling(
    name: str, typed: str, valid: tuple[str, ...], meant: str
) -> None:
    assert resolve_value(name, typed, valid) == meant


@pytest.mark.parametrize(
    ("name", "typed", "valid"),
    [
        ("verdict", "bogus", VERDICTS),
        ("agency", "FBI", AGENCIES),  # a known agency, but no claim has it
        ("agency", "!!!", AGENCIES),
        ("measure", "deaths", ()),
        ("corridor", "northern", ("northern border",)),  # no prefix matching
    ],
)
def test_an_unknown_value_names_the_parameter_and_the_valid_ones(
    name: str, typed: str, valid: tuple[str, ...]
) -> None:
    with pytest.raises(QueryError) as raised:
        resolve_value(name, typed, valid)
    assert raised.value.parameter == name
    assert raised.value.valid == valid
    assert repr(typed) in str(raised.value)
    assert all(value in str(raised.value) for value in valid)


def test_a_long_list_of_valid_values_is_cut_in_the_message_only() -> None:
    valid = tuple(f"speaker {n:03}" for n in range(100))
    with pytest.raises(QueryError) as raised:
        resolve_value("speaker", "nobody", valid)
    assert raised.value.valid == valid
    assert "speaker 000" in str(raised.value) and "speaker 099" not in str(raised.value)
    assert "and 60 more" in str(raised.value)


def test_filters_drop_empty_values_and_pass_free_ones() -> None:
    given = {"agency": "cbp", "measure": "", "verdict": None, "q": "Trump Canada", "document_id": 4}
    assert resolve_filters(given, {"agency": AGENCIES, "measure": ("deaths",)}) == {
        "agency": "CBP", "q": "Trump Canada", "document_id": 4
    }  # fmt: skip


@pytest.mark.parametrize(
    ("q", "terms"),
    [
        ("Trump Canada", ["Trump", "Canada"]),
        ("  canada   TRUMP canada ", ["canada", "TRUMP"]),
        ('"northern  border" fentanyl', ["northern border", "fentanyl"]),
        ('""  ', []),
        (None, []),
        (" ".join(f"w{n}" for n in range(20)), [f"w{n}" for n in range(MAX_TERMS)]),
    ],
)
def test_search_terms(q: str | None, terms: list[str]) -> None:
    assert search_terms(q) == terms


def test_like_wildcards_are_escaped() -> None:
    assert escape_like("100%_\\") == "100\\%\\_\\\\"
