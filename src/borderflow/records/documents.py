"""How a document is named and linked wherever it is shown: its display title, the
original article's address and the site it came from.

A file without a title of its own is stored under its file name, which for a downloaded
article is often a hash ("000_fcd93b7b0eac0798"). A reader cannot tell such documents
apart, so every face (pages, API, report) shows the first words of the text instead,
marked as derived. The rule lives here, once: a title equal to the stored source's file
name is no title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from borderflow.text_safety import printable

# About one line of a table: long enough to tell articles apart, short enough to scan.
TITLE_CHARS = 90
# How much of a text's head is read to make a title (the first line is rarely longer).
HEAD_CHARS = 400
_WEB = ("http", "https")
# A sentence ends at ! or ?, or at a dot after a word of four letters or more (so not
# after an initial or abbreviation: "U.S.", "Mr.", "Jan."), before a space.
_SENTENCE_END = re.compile(r"(?:(?<=[^\W\d_]{4})\.|[!?])[\"”’)]*(?=\s)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True, slots=True)
class DisplayTitle:
    """The words to show for a document, and whether they were made from its text
    (`derived`: the file has no title; its first words are shown)."""

    text: str
    derived: bool


def file_stem(source: str) -> str:
    """The name a file was stored under, without folders, URL path or suffix: what the
    reader falls back on as a title ("upload:brief.txt" and "/a/brief.txt" give
    "brief")."""
    tail = source.replace("\\", "/").rsplit("/", 1)[-1].removeprefix("upload:")
    return printable(PurePosixPath(tail).stem) if tail else ""


def _is_heading_line(line: str) -> bool:
    """A dateline or byline ("Posted on 07 Feb 2025", "By Jane Roe"): too few words, or
    a few words around a year, to tell one article from another."""
    words = line.split()
    return len(words) < 4 or (len(words) <= 6 and _YEAR.search(line) is not None)


def first_words(text: str, limit: int = TITLE_CHARS) -> str:
    """The first sentence of the first line that says something (datelines and
    bylines passed over), cut at a word to at most `limit` characters (an ellipsis
    marks the cut)."""
    lines = [" ".join(printable(ln.strip().lstrip("#")).split()) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    line = next((ln for ln in lines if not _is_heading_line(ln)), lines[0] if lines else "")
    ended = _SENTENCE_END.search(line)
    if ended is not None and ended.end() >= 12:
        line = line[: ended.end()]
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] if " " in line[: limit - 1] else line[: limit - 1]
    return cut.rstrip(",;:–— ") + "…"


def display_title(title: str | None, source: str, head: str) -> DisplayTitle:
    """The title to show: the stored one when it is a real title, else the first words
    of the text (`head`, the text's first few hundred characters), else the stored name
    when the text has no words at all."""
    stored = (title or "").strip()
    if stored and stored != file_stem(source):
        return DisplayTitle(stored, derived=False)
    words = first_words(head)
    if words:
        return DisplayTitle(words, derived=True)
    return DisplayTitle(stored or file_stem(source) or source, derived=True)


def web_address(value: Any) -> str | None:
    """`value` if it is an http(s) address with a host, else None (a file path, a
    `javascript:` link or garbage never becomes a link)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB or not parts.hostname or any(c.isspace() for c in text):
        return None
    return text


def original_url(source: str, metadata: dict[str, Any] | None) -> str | None:
    """The article's own address: the canonical URL its HTML declared, else the address
    it was ingested from; None for a local file or a paste."""
    return web_address((metadata or {}).get("url")) or web_address(source)


def site_of(url: str | None) -> str | None:
    """The site's domain, without a leading "www." ("https://www.cbc.ca/x" is "cbc.ca")."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").rstrip(".")
    return host.removeprefix("www.") or None
