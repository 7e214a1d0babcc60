"""Text from outside (file names, titles, library messages) made safe to show on one line.

A file may be named with a newline, an escape sequence or bytes that are not UTF-8. Shown
as is, such a name forges extra `error:` lines or sends control codes to the terminal, and
a name with undecodable bytes cannot even be stored. `printable` is the one place that
turns such text into something a terminal, a log line, a web page and the store all take.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# os.fsdecode maps each byte that is not UTF-8 to a lone surrogate U+DC80..U+DCFF.
_UNDECODABLE = range(0xDC80, 0xDD00)


def printable(text: str) -> str:
    """`text` with every character that is not shown as itself escaped: control
    characters (`\\n`, `\\x1b`), bytes that were not UTF-8 (`\\xe9`, as a surrogate from
    os.fsdecode), and invisible format characters such as bidirectional overrides
    (`\\u202e`). Spaces of every kind and all printable characters are kept, so ordinary
    names come back unchanged."""
    if text.isprintable():
        return text
    return "".join(_escaped(ch) for ch in text)


def _escaped(ch: str) -> str:
    if ch.isprintable() or unicodedata.category(ch) == "Zs":
        return ch
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code in _UNDECODABLE:
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
