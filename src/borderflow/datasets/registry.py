"""Every official data source borderflow reads, listed once.

To add a source, write its module (see `cbp.py` for one with a series, `nflis.py` for one
without) and add one line below; `tests/datasets/test_registry.py` checks that every
registered source has every part the importer, the series, the CLI, the web, the checks
and the model need.
"""

from __future__ import annotations

from borderflow.datasets import cbp, cdc, cdc_annual, nflis, phac, unodc, wonder
from borderflow.datasets.source import Series, Source
from borderflow.errors import QueryError

SOURCES: tuple[Source, ...] = (
    cbp.CBP,
    cbp.CBP_AMO,
    cdc.VSRR,
    cdc_annual.ANNUAL,
    wonder.FINAL,
    wonder.PROVISIONAL,
    phac.HARMS,
    nflis.DQS,
    nflis.TABLE,
    unodc.ANNEX,
)


def names() -> tuple[str, ...]:
    return tuple(s.name for s in SOURCES)


def source(name: str) -> Source:
    """The source called `name` (or one of its former names)."""
    found = next((s for s in SOURCES if name in (s.name, *s.aliases)), None)
    if found is None:
        raise QueryError(
            f"unknown source {name!r} (known: {', '.join(names())})",
            parameter="source",
            valid=names(),
            reason=f"unknown source {name!r}",
        )
    return found


def with_series() -> tuple[Source, ...]:
    """Sources that offer a series (`data series`, the web's data page and API)."""
    return tuple(s for s in SOURCES if s.series is not None)


def default_series() -> str:
    """The source a series request names when it names none (the first with a series)."""
    return with_series()[0].name


def series_of(name: str) -> tuple[Source, Series]:
    """A source and its series; an error naming the sources that have one otherwise."""
    offered = tuple(s.name for s in with_series())
    if not any(name in (s.name, *s.aliases) for s in SOURCES):
        raise QueryError(
            f"unknown series {name!r} (known: {', '.join(offered)})",
            parameter="source",
            valid=offered,
            reason=f"unknown series {name!r}",
        )
    found = source(name)
    if found.series is None:
        raise QueryError(
            f"{found.name} has no series (sources with one: {', '.join(offered)})",
            parameter="source",
            valid=offered,
            reason=f"{found.name} has no series",
        )
    return found, found.series


def cited_by_checks() -> tuple[str, ...]:
    """Sources the claim checks compare figures with (their releases go in each verdict)."""
    return tuple(s.name for s in SOURCES if s.cited_by_checks)


def used_by_model() -> tuple[str, ...]:
    """Sources the flow model is fitted to (their releases are recorded with each fit)."""
    return tuple(s.name for s in SOURCES if s.used_by_model)


def filters() -> dict[str, str]:
    """Every filter name a series takes, with what it means for each source that takes
    it (sources sharing a meaning named together): the help the faces show."""
    meanings: dict[str, dict[str, list[str]]] = {}
    for found in with_series():
        for spec in found.series.filters if found.series else ():
            meanings.setdefault(spec.name, {}).setdefault(spec.help, []).append(found.name)
    return {
        name: "; ".join(f"{', '.join(names)}: {text}" for text, names in by_help.items())
        for name, by_help in meanings.items()
    }


def flags() -> frozenset[str]:
    """Filter names that are yes/no flags rather than values."""
    return frozenset(
        spec.name
        for s in with_series()
        for spec in (s.series.filters if s.series else ())
        if spec.flag
    )
