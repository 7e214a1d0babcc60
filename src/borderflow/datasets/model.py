"""What a parser makes of one file. The observation record itself lives in
`borderflow.records.observations`, because the store persists it."""

from __future__ import annotations

from dataclasses import dataclass, field

from borderflow.records.observations import ObservationRecord

__all__ = ["ObservationRecord", "ParsedFile"]


@dataclass(slots=True)
class ParsedFile:
    """What a parser made of one file: its records and the problems it found per row."""

    source: str
    rows: int = 0
    records: list[ObservationRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)

    def refuse(self, file: str, line: int, problem: object) -> None:
        """Record a bad row: reported as `file:line: problem`, its line skipped."""
        self.problems.append(f"{file}:{line}: {problem}")
        self.skipped_lines.append(line)
