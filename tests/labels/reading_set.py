"""The "reading" labelled set: short passages written for borderflow, each with what a careful
fact-checker takes from every figure in it (tests/labels/reading/*.yaml).

This module loads and validates the files; `reading_score` scores the extractor and the
checks against them. A label states only what a reader sees: fields it leaves out are not
scored, and `null` means "none" (no agency, no stated period...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, get_args

import yaml

from borderflow.datasets import cbp
from borderflow.records.claims import Qualifier
from borderflow.records.verdicts import VERDICTS as VERDICT_KINDS
from borderflow.vocab import load_vocabulary

FOLDER = Path(__file__).resolve().parent / "reading"

_VOCAB = load_vocabulary()
# What a label may say, from the homes of each concept: the vocabulary, the claim record, the
# verdict table.
UNITS_FIXED = frozenset(u.name for u in _VOCAB.units)
QUALIFIERS = frozenset(get_args(Qualifier))
MEASURES = frozenset(t.name for t in _VOCAB.measures) | {"other"}
SCOPES = frozenset(t.name for t in _VOCAB.corridors) | frozenset(cbp.ALL_BORDER_SCOPES)
VERDICTS = frozenset(VERDICT_KINDS)
REQUIRED = ("quote", "value", "unit", "measure", "agency", "scope", "period", "speaker")
KNOWN = frozenset(
    {*REQUIRED, "occurrence", "value_max", "qualifier", "substance", "origin", "periods",
     "currency", "verdict", "why"}
)  # fmt: skip

Period = tuple[date, date]


@dataclass(frozen=True, slots=True)
class Meta:
    outlet: str | None = None
    published: date | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Label:
    """One figure as a careful reader takes it. `fields` holds the scored context fields
    the label states (measure, substance, agency, scope, origin, currency, speaker)."""

    quote: str
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    period: Period | None
    periods: tuple[Period, ...]
    fields: dict[str, str | None]
    verdict: str | None
    why: str | None


@dataclass(frozen=True, slots=True)
class Passage:
    id: str
    file: str
    pattern: str
    text: str
    meta: Meta
    story: str | None
    labels: tuple[Label, ...]
    not_quantities: tuple[tuple[int, int], ...] = field(default=())


class LabelError(ValueError):
    """A label file that does not follow the format; the message names file and passage."""


def _date(raw: Any, where: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise LabelError(f"{where}: {raw!r} is not an ISO date (YYYY-MM-DD)") from exc


def _period(raw: Any, where: str) -> Period | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) != 2:
        raise LabelError(f"{where}: a period is [start, end] or null, not {raw!r}")
    start, end = _date(raw[0], where), _date(raw[1], where)
    if end < start:
        raise LabelError(f"{where}: period ends before it starts: {raw!r}")
    return start, end


def _locate(text: str, quote: str, occurrence: int, where: str) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            raise LabelError(f"{where}: quote {quote!r} (occurrence {occurrence}) not in text")
    return start, start + len(quote)


def _label(text: str, raw: dict[str, Any], where: str) -> Label:
    missing = [k for k in REQUIRED if k not in raw]
    unknown = sorted(set(raw) - KNOWN)
    if missing or unknown:
        raise LabelError(f"{where}: missing {missing} unknown {unknown}")
    where = f"{where} {raw['quote']!r}"
    start, end = _locate(text, str(raw["quote"]), int(raw.get("occurrence", 1)), where)
    unit = str(raw["unit"])
    qualifier = str(raw.get("qualifier") or "exact")
    checks = [
        (qualifier in QUALIFIERS, f"qualifier {qualifier!r}"),
        (raw["measure"] in MEASURES, f"measure {raw['measure']!r}"),
        (raw["scope"] is None or raw["scope"] in SCOPES, f"scope {raw['scope']!r}"),
        (
            raw.get("verdict") is None or raw["verdict"] in VERDICTS,
            f"verdict {raw.get('verdict')!r}",
        ),
        (raw.get("verdict") is None or bool(raw.get("why")), "a verdict needs `why`"),
        (unit in UNITS_FIXED or unit.isupper() or unit.islower() or "/" in unit, f"unit {unit!r}"),
    ]
    bad = [what for ok, what in checks if not ok]
    if bad:
        raise LabelError(f"{where}: invalid " + ", ".join(bad))
    periods = tuple(p for p in (_period(r, where) for r in raw.get("periods") or []) if p)
    context = ("measure", "substance", "agency", "scope", "origin", "currency", "speaker")
    return Label(
        quote=str(raw["quote"]), start=start, end=end, value=float(raw["value"]),
        value_max=None if raw.get("value_max") is None else float(raw["value_max"]),
        unit=unit, qualifier=qualifier, period=_period(raw["period"], where), periods=periods,
        fields={k: (None if raw[k] is None else str(raw[k])) for k in context if k in raw},
        verdict=raw.get("verdict"), why=raw.get("why"),
    )  # fmt: skip


def load_file(path: Path) -> list[Passage]:
    """The passages of one label file, validated; LabelError names what is wrong."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not isinstance(raw.get("passages"), list):
        raise LabelError(f"{path.name}: expected a mapping with a `passages` list")
    out = []
    for entry in raw["passages"]:
        where = f"{path.name}: {entry.get('id', '?')}"
        text = str(entry["text"])
        meta_raw = entry.get("meta") or {}
        meta = Meta(
            outlet=meta_raw.get("outlet"),
            published=_date(meta_raw["published"], where) if meta_raw.get("published") else None,
            author=meta_raw.get("author"),
        )
        traps = tuple(
            _locate(text, str(t), 1, f"{where} not_quantities")
            for t in entry.get("not_quantities") or []
        )
        labels = tuple(_label(text, c, where) for c in entry.get("claims") or [])
        out.append(
            Passage(
                str(entry["id"]),
                path.name,
                str(entry.get("pattern", "")),
                text,
                meta,
                entry.get("story"),
                labels,
                traps,
            )
        )
    return out


def load_all(folder: Path = FOLDER) -> list[Passage]:
    passages = [p for path in sorted(folder.glob("*.yaml")) for p in load_file(path)]
    ids = [p.id for p in passages]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise LabelError(f"passage ids used twice: {repeated}")
    return passages
