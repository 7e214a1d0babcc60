"""A figure given twice in one file. An identical repeat (a row copied twice) is counted
once, with a note; two rows that give one figure different values contradict each other,
and both are refused, since neither can be told to be the agency's."""

from __future__ import annotations

from borderflow.datasets.model import ObservationRecord, ParsedFile
from borderflow.datasets.validity import Validity


def collapse_repeats(parsed: ParsedFile, file: str, valid: Validity) -> None:
    first: dict[tuple[str, str], ObservationRecord] = {}
    kept: list[ObservationRecord] = []
    repeats: dict[int, int] = {}  # line -> the line it repeats
    for record in parsed.records:
        earlier = first.setdefault((record.measure, record.key), record)
        if earlier is record:
            kept.append(record)
        elif (earlier.value, earlier.suppressed) == (record.value, record.suppressed):
            repeats.setdefault(record.line, earlier.line)
        else:
            column = valid.column_of(record.measure)
            valid_text = "each figure once per file, or repeated with the same value"
            parsed.refuse(
                file, record.line,
                f"{column}: {_shown(record)} contradicts {_shown(earlier)} on line "
                f"{earlier.line} for the same figure (valid: {valid_text})",
            )  # fmt: skip
            parsed.refuse(
                file, earlier.line,
                f"{column}: {_shown(earlier)} is contradicted by {_shown(record)} on line "
                f"{record.line} (valid: {valid_text})",
            )  # fmt: skip
    parsed.records = kept
    parsed.notes.extend(
        f"{file}:{line}: repeats line {earlier} exactly; counted once"
        for line, earlier in repeats.items()
    )


def _shown(record: ObservationRecord) -> str:
    return "suppressed" if record.value is None else f"{record.value:,g}"
