"""Undo mojibake: text whose bytes were decoded with the wrong codec and saved again.

ftfy repairs the common Western kind (UTF-8 read as cp1252 or latin-1: "â€œ" for "“").
It cannot repair UTF-8 read as GBK/GB18030, which turns punctuation into Chinese characters
("鈥渕icro" for "“micro", "聽" for a no-break space), so that is done here: a run of CJK
characters is re-encoded as GB18030 and read as UTF-8. Genuine Chinese text almost never
survives that round trip as valid UTF-8, and the repair is applied only when the document
shows the signature of this mojibake at least twice (UTF-8 punctuation such as curly quotes
appearing as CJK), so real Chinese text is left alone.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import ftfy

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Characters UTF-8 text in a Latin script is made of: ASCII, Latin-1, Latin Extended,
# general punctuation, currency and letterlike symbols.
_LATIN_SAFE = re.compile(
    r"^[\u0009\u000a\u000d\u0020-\u024f\u2000-\u206f\u20a0-\u20bf\u2100-\u214f]*$"
)
_PUNCTUATION = re.compile(r"[\u00a0\u2010-\u2027\u2030-\u205e]")
# Traditional/simplified confusions seen after GBK mojibake was passed through a Chinese
# text converter: 聽 (C2 A0, a no-break space) became its simplified form 听.
_VARIANTS = {"听": "聽"}
_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # keep “ ” ‘ ’: they are the text, not damage
    fix_character_width=False,  # keep full-width forms: genuine CJK text uses them
    fix_latin_ligatures=False,
    explain=True,
)
_MIN_SIGNATURES = 2
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
# What ftfy's fixes start from: a UTF-8 lead byte read as Latin-1/cp1252 followed by a
# continuation byte read the same way ("Ã©", "â€™"), C1 or other control characters,
# carriage returns, surrogates, replacement characters, HTML entities. Legitimate accented
# letters ("Québec", "naïve") and no-break spaces do not match.
_CP1252_CONTINUATION = (
    "\x80-\xbf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
    "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e"
    "\u0178"
)
_FTFY_TRIGGERS = re.compile(
    rf"[\xc2-\xf4][{_CP1252_CONTINUATION}]"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r\ud800-\udfff\ufffd]|&#?\w+;"
)


@dataclass(slots=True)
class RepairReport:
    """What was changed in a text, for the document's record."""

    repairs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.repairs)


def _needs_ftfy(text: str) -> bool:
    """Whether ftfy could change anything: its fixes all start from Latin-1/C1 characters,
    control characters, carriage returns, HTML entities, surrogates or non-NFC text. Most
    clean text has none of these, and ftfy's own check costs more than this one."""
    return _FTFY_TRIGGERS.search(text) is not None or not unicodedata.is_normalized("NFC", text)


def repair_text(text: str) -> tuple[str, RepairReport]:
    """The text with mojibake undone, and a report of each kind of repair made."""
    report = RepairReport()
    text = _repair_gbk(text, report)
    if not _needs_ftfy(text):
        return text, report
    fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY_CONFIG)
    if fixed != text:
        steps = [f"{step.action}:{step.parameter}" for step in (explanation or [])]
        report.repairs.append(
            {"kind": "ftfy", "steps": steps, "examples": _diff_examples(text, fixed)}
        )
    return fixed, report


def _decode_run(run: str) -> tuple[str, bytes] | None:
    """Decode a CJK run as GB18030 bytes read as UTF-8: (text, leftover incomplete bytes)."""
    try:
        raw = "".join(_VARIANTS.get(ch, ch) for ch in run).encode("gb18030")
    except UnicodeEncodeError:
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoded = decoder.decode(raw, final=False)
    except UnicodeDecodeError:
        return None
    leftover = decoder.getstate()[0]
    if not _LATIN_SAFE.match(decoded):
        return None
    return decoded, leftover


def _repair_gbk(text: str, report: RepairReport) -> str:
    runs = [(m, _decode_run(m.group())) for m in _CJK_RUN.finditer(text)]
    decodable = [(m, d) for m, d in runs if d is not None and (d[0] or d[1])]
    signatures = sum(1 for _m, (decoded, _l) in decodable if _PUNCTUATION.search(decoded))
    if signatures < _MIN_SIGNATURES:
        return text
    pieces: list[str] = []
    cursor = 0
    examples: list[list[str]] = []
    inferred = 0
    for m, (decoded, leftover) in decodable:
        replacement = decoded
        if leftover:
            # The last byte of a three-byte character was lost with the GBK decode
            # (e.g. E2 80 9D before a space): infer the punctuation from its context.
            if leftover != b"\xe2\x80":
                continue
            replacement += _infer_lost_punctuation(text, m.start(), m.end(), pieces, cursor)
            inferred += 1
        pieces.append(text[cursor : m.start()])
        pieces.append(replacement)
        cursor = m.end()
        if len(examples) < 5:
            examples.append([m.group(), replacement])
    pieces.append(text[cursor:])
    repaired = "".join(pieces)
    report.repairs.append(
        {
            "kind": "gbk-mojibake",
            "count": len(decodable),
            "inferred_punctuation": inferred,
            "examples": examples,
        }
    )
    return repaired


def _infer_lost_punctuation(text: str, start: int, end: int, pieces: list[str], cursor: int) -> str:
    """A closing double quote if one is open in the paragraph so far, an em dash between
    spaces, otherwise an apostrophe."""
    before = "".join(pieces[-40:]) + text[cursor:start]
    paragraph = before[before.rfind("\n") + 1 :]
    if paragraph.count("“") > paragraph.count("”"):
        return "”"
    prev = text[start - 1] if start else " "
    nxt = text[end] if end < len(text) else " "
    if prev.isspace() and nxt.isspace():
        return "—"
    return "’"


def _diff_examples(old: str, new: str, limit: int = 5) -> list[list[str]]:
    import difflib

    out: list[list[str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out.append([old[i1:i2], new[j1:j2]])
            if len(out) >= limit:
                break
    return out


# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of `data` names, if there is one."""
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean it is not text. Text
    in UTF-16 or UTF-32 is full of NUL bytes, so with a byte-order mark the characters
    are judged, not the bytes."""
    encoding = bom_encoding(data)
    if encoding is not None and encoding != "utf-8-sig":
        head = data[:8192].decode(encoding, errors="replace").encode("utf-8", "replace")
        return looks_binary(head)
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > 0.05


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Bytes to text: by the byte-order mark when there is one (UTF-8, UTF-16, UTF-32),
    else UTF-8, else the best guess of charset-normalizer; raises UnicodeDecodeError
    when nothing fits."""
    encoding = bom_encoding(data)
    if encoding is not None:
        return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no text encoding fits")
    text = str(best)
    if sum(1 for ch in text if unicodedata.category(ch) == "Co") > 0:
        raise UnicodeDecodeError(best.encoding, data[:1], 0, 1, "private-use characters")
    return text, best.encoding
