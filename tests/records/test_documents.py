"""A document's display title, original address and site: what every face names it by."""

from __future__ import annotations

import pytest

from borderflow.records.documents import (
    DisplayTitle,
    display_title,
    file_stem,
    first_words,
    original_url,
    site_of,
)


@pytest.mark.parametrize(
    ("source", "stem"),
    [
        ("/data/seeds/000_fcd93b7b0eac0798.txt", "000_fcd93b7b0eac0798"),
        ("upload:border brief.md", "border brief"),
        ("https://www.example.test/news/story.html", "story"),
        ("C:\\articles\\note.txt", "note"),
    ],
)
def test_file_stem(source: str, stem: str) -> None:
    assert file_stem(source) == stem


def test_a_real_title_is_kept() -> None:
    shown = display_title("Ottawa stalls", "/seeds/002_7f0e.txt", "Ottawa stalls\nText.")
    assert shown == DisplayTitle("Ottawa stalls", derived=False)


def test_a_file_name_is_no_title() -> None:
    head = "Posted on 07 Feb 2025\nOn 1 February 2025, the U.S. President signed an order. More."
    shown = display_title("004_8e85c8ec96af8be2", "/seeds/004_8e85c8ec96af8be2.txt", head)
    # The dateline is passed over; "U.S." does not end the sentence; the dot does.
    assert shown == DisplayTitle("On 1 February 2025, the U.S. President signed an order.", True)
    assert display_title(None, "upload:x.txt", "Agents seized 7 kg.").derived


def test_first_words_cut_at_a_word() -> None:
    long = (
        "Canadian criminals are not dumping large amounts of illegally manufactured fentanyl " * 3
    )
    cut = first_words(long)
    assert len(cut) <= 90 and cut.endswith("…") and long.startswith(cut[:-1])
    assert not cut[:-1].endswith(" ")


def test_only_web_addresses_become_links() -> None:
    assert original_url("/a/b.txt", {"url": "https://www.cbc.ca/news/x"}) == (
        "https://www.cbc.ca/news/x"
    )
    assert original_url("https://globalnews.ca/a", {}) == "https://globalnews.ca/a"
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "https://", "not a url", 7):
        assert original_url("/a/b.txt", {"url": bad}) is None
    assert site_of("https://www.cbc.ca/news/x") == "cbc.ca" and site_of(None) is None
