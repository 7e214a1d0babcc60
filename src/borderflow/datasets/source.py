"""What a data source is: how its files are recognised and read, what series it offers with
which filters and periods, how it is labelled, and who cites it.

Each publisher module (`cbp.py`, `cdc.py`...) declares its sources as `Source` values and
`registry.py` lists them once. The importer, the series queries, the CLI's choices and help,
the web's series route and data page, the checks and the model all read that list, so a
new source is one module plus one line there (README, "Official statistics").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from borderflow.datasets.model import ParsedFile
from borderflow.datasets.validity import Validity

if TYPE_CHECKING:
    from borderflow.store import Store

TextParser = Callable[[str, str, int], ParsedFile]  # (text, file name, title lines) -> rows
WorkbookParser = Callable[[bytes, str], ParsedFile]  # (xlsx bytes, file name) -> rows


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """A text file recognised by its header row among the first few lines."""

    header: tuple[str, ...]
    parse: TextParser


@dataclass(frozen=True, slots=True)
class WorkbookLayout:
    """An xlsx workbook recognised by a sheet and the header row on it; `parse` raises
    ValueError for a workbook that does not have them."""

    sheet: str
    header: tuple[str, ...]
    parse: WorkbookParser


@dataclass(frozen=True, slots=True)
class Filter:
    """One way a series can be narrowed: a column of the observations (whose values in the
    store are the valid ones) or a yes/no flag."""

    name: str
    help: str
    column: str | None = None
    measure: str | None = None  # valid values are those of this measure only
    default: str | None = None
    flag: bool = False
    shown_as: str = ""  # a flag in a chart's title when it is on ("land only")


@dataclass(frozen=True, slots=True)
class SeriesQuery:
    """A checked request for a series: the period and each filter's value (a canonical
    value from the data, True/False for a flag, None when not given)."""

    by: str
    values: Mapping[str, str | bool | None] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)  # published beside the values

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def flag(self, name: str) -> bool:
        return self.values.get(name) is True


class Point(Protocol):
    """One period of any series, as the outputs need it."""

    @property
    def period(self) -> str: ...

    def as_record(self) -> dict[str, Any]: ...


SeriesBuilder = Callable[["Store", SeriesQuery], Sequence[Point]]


@dataclass(frozen=True, slots=True)
class Series:
    """The series a source offers: its filters, the periods it is published by (the first
    is the default), the columns shown and the one a chart plots."""

    build: SeriesBuilder
    filters: tuple[Filter, ...]
    periods: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    chart_field: str
    chart_title: str

    def filter(self, name: str) -> Filter | None:
        return next((f for f in self.filters if f.name == name), None)


@dataclass(frozen=True, slots=True)
class BundleRule:
    """Which rows of a source's file ship with the package as reference data."""

    kept: str  # in words, for PROVENANCE.yaml
    keep: Callable[[Mapping[str, str]], bool]


@dataclass(frozen=True, slots=True)
class Source:
    """One publisher's file layout and what borderflow does with it. `valid` is the one
    declaration of what its files may hold (numbers, periods, labels): its parser reads
    labels through it and the importer checks every figure against it."""

    name: str
    title: str
    description: str
    layout: CsvLayout | WorkbookLayout
    series: Series | None = None
    # The kinds of claim (extracted measures) whose checks read this source's data: new
    # data from it re-check only the documents with such claims. None: no check reads it.
    judges: frozenset[str] = frozenset()
    used_by_model: bool = False
    aliases: tuple[str, ...] = ()  # former names, still accepted (old API paths)
    bundle: BundleRule | None = None
    valid: Validity = field(default_factory=Validity)

    @property
    def cited_by_checks(self) -> bool:
        return bool(self.judges)

    @property
    def header(self) -> tuple[str, ...]:
        return self.layout.header
