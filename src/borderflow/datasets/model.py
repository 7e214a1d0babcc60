"""What a parser makes of one file. The observation record itself lives in
`borderflow.records.observations`, because the store persists it."""

from __future__ import annotations

from dataclasses import dataclass, field

from borderflow.records.observations import ObservationRecord
from borderflow.text_safety import printable

__all__ = ["ObservationRecord", "ParsedFile"]


@dataclass(slots=True)
class ParsedFile:
    """What a parser made of one file: its records, the problems it found per row (each
    `file:line: column: what was wrong (valid: ...)`, with the line beside it in
    `skipped_lines`) and notes that refuse nothing (identical rows counted once)."""

    source: str
    rows: int = 0
    records: list[ObservationRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def refuse(self, file: str, line: int, problem: object) -> None:
        """Record a bad row: reported as `file:line: problem` (text from the file escaped,
        so a cell cannot forge another line or reach the terminal as a control code), its
        line skipped."""
        self.problems.append(f"{file}:{line}: {printable(str(problem))}")
        self.skipped_lines.append(line)

    @property
    def skipped_rows(self) -> int:
        """Rows left out (a row with several problems counts once)."""
        return len(set(self.skipped_lines))

    def drop_bad_lines(self) -> None:
        """Keep only the records of rows with no problem, problems in file order: a row
        is refused whole, even when only one of its figures is wrong."""
        bad = set(self.skipped_lines)
        if bad:
            self.records = [r for r in self.records if r.line not in bad]
        order = sorted(range(len(self.problems)), key=lambda i: self.skipped_lines[i])
        self.problems = [self.problems[i] for i in order]
        self.skipped_lines = [self.skipped_lines[i] for i in order]
