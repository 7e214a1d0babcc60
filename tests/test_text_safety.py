"""`printable`: names that could forge output lines or reach the terminal are escaped; all
other text comes back unchanged."""

from __future__ import annotations

import os
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderflow.errors import IngestError
from borderflow.text_safety import printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("report.txt", "report.txt"),
        ("Québec 2024 — “draft”.txt", "Québec 2024 — “draft”.txt"),
        ("no\u00a0break and\u3000wide space", "no\u00a0break and\u3000wide space"),
        ("two\nlines.txt", "two\\nlines.txt"),
        ("red\x1b[31m.txt", "red\\x1b[31m.txt"),
        ("tab\there\r.txt", "tab\\there\\r.txt"),
        ("c1\x9bcontrol", "c1\\x9bcontrol"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        (os.fsdecode(b"caf\xe9.txt"), "caf\\xe9.txt"),
    ],
)
def test_printable(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@given(st.text())
def test_printable_text_is_one_line_without_control_characters(text: str) -> None:
    shown = printable(text)
    assert all(ch.isprintable() or unicodedata.category(ch) == "Zs" for ch in shown)
    shown.encode("utf-8")  # storable: no lone surrogates left
    assert printable(shown) == shown


def test_ingest_errors_show_names_escaped() -> None:
    error = IngestError("bad\nerror: forged.txt", "file is empty")
    assert str(error) == "bad\\nerror: forged.txt: file is empty"
    assert error.source == "bad\nerror: forged.txt"
