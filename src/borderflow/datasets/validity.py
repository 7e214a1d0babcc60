"""What a valid figure, period and label is in an agency's file, declared once per source.

Each `Source` carries a `Validity`: the columns' numbers (finite, their sign, a plausible
range, whole or not), the years the source can have published (none after the year in
progress, fiscal or calendar as the source counts them) and the labels it publishes from a
fixed vocabulary (CBP's regions, PHAC's units). Parsers read numbers and labels through
it; the importer checks every parsed figure and period against it, so a NaN, a negative
weight or a fiscal year that has not begun never reaches the store. A refusal reads
`COLUMN: what was wrong (valid: what is)`; the importer puts `FILE:LINE:` in front.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from borderflow.calendars import fiscal_year_of
from borderflow.records.observations import ObservationRecord

CALENDAR = "calendar"
# An ASCII decimal number, with thousands separators only where they group by three:
# "26,693", "0.5", "1.2E+05". Python's float() also takes "1_000", "nan", "inf" and
# other scripts' digits, which no agency publishes.
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?"
    r"|[+-]?\.[0-9]+(?:[eE][+-]?[0-9]+)?"
)
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_YEAR = re.compile("[0-9]{4}")
_SPACES = str.maketrans("", "", " \u00a0\u202f")  # thousands separated by spaces
NUMBER_WORDS = "a decimal number such as 1,234.5"


class CellError(ValueError):
    """One cell that is not what its column holds."""

    def __init__(self, column: str, wrong: str, valid: str) -> None:
        super().__init__(f"{column}: {wrong} (valid: {valid})")
        self.column = column


def number(raw: str, column: str) -> float | None:
    """'26,693' -> 26693.0; '' -> None (suppressed or absent); anything that is not a
    finite decimal number is refused."""
    cleaned = raw.strip().translate(_SPACES)
    if cleaned == "":
        return None
    if _NOT_FINITE.fullmatch(cleaned):
        raise CellError(column, f"{raw.strip()!r} is not a finite number", NUMBER_WORDS)
    if not _NUMBER.fullmatch(cleaned):
        raise CellError(column, f"{_short(raw)} is not a number", NUMBER_WORDS)
    value = float(cleaned.replace(",", ""))
    if not math.isfinite(value):
        raise CellError(column, f"{_short(raw)} is too large to be a number", "a finite number")
    return value


def cell_number(cell: object, column: str) -> float | None:
    """A workbook cell as a number: numbers as stored, text as `number` reads it."""
    if cell is None or isinstance(cell, str):
        return number(cell or "", column)
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        raise CellError(column, f"{_short(str(cell))} is not a number", NUMBER_WORDS)
    try:
        value = float(cell)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise CellError(column, f"{_short(str(cell))} is not a finite number", NUMBER_WORDS)
    return value


def _amount(value: float) -> str:
    """10000000.0 -> "10,000,000"; 0.25 -> "0.25"."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,g}"


def _short(raw: str, limit: int = 40) -> str:
    text = raw.strip()
    return repr(text if len(text) <= limit else text[:limit] + "…")


@dataclass(frozen=True, slots=True)
class Quantity:
    """What the figures of some measures can be: `what` names them for the reader."""

    measures: tuple[str, ...]
    column: str
    what: str
    maximum: float
    minimum: float = 0.0
    whole: bool = False
    # Whether the publisher leaves cells empty on purpose (small counts withheld); where it
    # never does, an empty cell is an error, not a suppressed figure.
    suppressible: bool = True

    @property
    def valid(self) -> str:
        whole = "whole " if self.whole else ""
        return f"{whole}{self.what} from {_amount(self.minimum)} to {_amount(self.maximum)}"

    def problem(self, value: float, column: str | None = None) -> str | None:
        """What is wrong with `value` (read from `column`, by default this rule's)."""
        column = column or self.column
        wrong = None
        if not math.isfinite(value):
            wrong = f"{value} is not a finite number"
        elif value < self.minimum:
            wrong = f"{value:,g} is " + ("negative" if self.minimum == 0 else "too small")
        elif value > self.maximum:
            wrong = f"{value:,g} is implausibly large"
        elif self.whole and value != int(value):
            wrong = f"{value:,g} is not a whole number"
        return None if wrong is None else str(CellError(column, wrong, self.valid))


@dataclass(frozen=True, slots=True)
class Periods:
    """The years a source publishes, named in `column`: from `first` to the year in
    progress today (U.S. fiscal years for `basis` us_fiscal), and no period that has not
    begun yet."""

    column: str
    first: int
    basis: str = CALENDAR

    def year(self, day: date) -> int:
        return day.year if self.basis == CALENDAR else fiscal_year_of(day, self.basis)

    def name(self, year: int) -> str:
        return str(year) if self.basis == CALENDAR else f"FY{year}"

    def problem(self, start: date, end: date, today: date) -> str | None:
        year, latest = self.year(end), self.year(today)
        if self.first <= year <= latest and start <= today:
            return None
        kind = "year" if self.basis == CALENDAR else "fiscal year"
        valid = f"{kind}s {self.name(self.first)} to {self.name(latest)}"
        if year < self.first:
            return str(CellError(self.column, f"{self.name(year)} is before the data begin", valid))
        if year > latest:
            wrong = f"{self.name(year)} is after the {kind} in progress ({self.name(latest)})"
            return str(CellError(self.column, wrong, valid))
        if start > today:
            wrong = f"the period {start.isoformat()} to {end.isoformat()} has not begun"
            return str(CellError(self.column, wrong, f"periods begun by today, {today}"))
        return None


@dataclass(frozen=True, slots=True)
class Labels:
    """A column whose values come from a fixed vocabulary (`known`) or, where the
    vocabulary is open, have a fixed shape (`pattern`, described by `shape`); `what` names
    one value ("region", "state code")."""

    column: str
    what: str
    known: tuple[str, ...] = ()
    pattern: str | None = None
    shape: str = ""
    _known: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_known", frozenset(self.known))

    def check(self, raw: str) -> str:
        value = raw.strip()
        if value in self._known or (self.pattern and re.fullmatch(self.pattern, value)):
            return value
        valid = ", ".join(self.known) if self.known else self.shape
        wrong = f"{_short(value)} is not a known {self.what}" if value else "is empty"
        raise CellError(self.column, wrong, valid)


@dataclass(frozen=True, slots=True)
class Validity:
    """Everything a source declares valid; a source that declares nothing still has
    every number checked finite."""

    quantities: tuple[Quantity, ...] = ()
    periods: Periods | None = None
    labels: tuple[Labels, ...] = ()
    # The rules by column and by measure, for the parsers' per-cell lookups.
    _by_column: dict[str, Labels] = field(init=False, repr=False, compare=False)
    _by_measure: dict[str, Quantity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_column", {r.column: r for r in self.labels})
        by_measure = {m: q for q in reversed(self.quantities) for m in q.measures}
        object.__setattr__(self, "_by_measure", by_measure)

    def label(self, column: str, raw: str) -> str:
        """The cell of a vocabulary column, refused when it is not a known value."""
        rule = self._by_column.get(column)
        return raw.strip() if rule is None else rule.check(raw)

    def year(self, raw: object, column: str | None = None) -> int:
        """A year cell (text, or a number in a workbook) as a year the source can have
        published; whether it has begun is checked on the figure (`problems`)."""
        periods = self.periods or Periods("year", first=1000)
        column = column or periods.column
        text = "" if isinstance(raw, bool) or raw is None else str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if not _YEAR.fullmatch(text):
            raise CellError(column, f"{_short(text)} is not a year", "a year such as 2024")
        year = int(text)
        if year < periods.first:
            valid = f"{periods.name(periods.first)} or later"
            raise CellError(column, f"{periods.name(year)} is before the data begin", valid)
        return year

    def figure(self, measure: str, cell: object, column: str) -> float | None:
        """A cell holding a figure of `measure`: a finite number within what the source
        declares for it, or None for an empty (suppressed) cell."""
        value = cell_number(cell, column)
        rule = self.quantity(measure)
        if value is None and rule is not None and not rule.suppressible:
            raise CellError(column, "is empty", f"{rule.valid}; this source withholds none")
        problem = None if value is None or rule is None else rule.problem(value, column)
        if problem:
            raise ValueError(problem)
        return value

    def quantity(self, measure: str) -> Quantity | None:
        return self._by_measure.get(measure)

    def problems(self, record: ObservationRecord, today: date) -> list[str]:
        """What is wrong with one parsed figure (its value, its period)."""
        found = []
        rule = self.quantity(record.measure)
        if record.value is not None:
            if rule is not None:
                found.append(rule.problem(record.value))
            elif not math.isfinite(record.value):
                found.append(str(CellError("value", f"{record.value} is not finite", NUMBER_WORDS)))
        if self.periods is not None:
            found.append(self.periods.problem(record.period_start, record.period_end, today))
        return [p for p in found if p]

    def column_of(self, measure: str) -> str:
        rule = self.quantity(measure)
        return rule.column if rule else "value"
