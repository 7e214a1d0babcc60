"""A message written for the command line, shown on a page: the library's messages name
commands and options in `backticks` (as the terminal shows them), and a page shows those
as code, so the web app and the report can print the very words the CLI prints."""

from __future__ import annotations

from markupsafe import Markup, escape


def prose(text: str) -> Markup:
    """`text` as a sentence on a page: first letter capital, `backticked` parts as code,
    everything else escaped (messages may quote document text)."""
    sentence = text[:1].upper() + text[1:]
    parts = str(escape(sentence)).split("`")
    if len(parts) % 2 == 0:  # an unmatched backtick stays a backtick
        parts[-2:] = ["`".join(parts[-2:])]
    shown = (f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
    return Markup("".join(shown))
