"""Score extraction and checks against the reading labels (tests/labels/reading_set.py).

Value and unit are scored over every label (a figure not found is wrong); the context
fields over the labels whose figure was found, so a missed figure is counted once. Verdicts
are scored on headline verdicts; `unverifiable` and "no verdict" are one class, abstain,
because both mean "not judged". Passages sharing a `story` are checked together (that is
how conflicts between documents arise); every other passage is checked alone.
"""

from __future__ import annotations

import itertools
import math
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from borderflow.checks.data import OfficialData, load_official
from borderflow.checks.runner import check_claims, headline
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.extract import Claim, DocumentMeta, extract_claims
from borderflow.records.claims import StoredClaim
from borderflow.records.verdicts import Verdict
from borderflow.store import Store
from borderflow.vocab import load_vocabulary
from tests.labels.reading_set import Label, Passage

ABSTAIN = "abstain"
CONTEXT_FIELDS = ("measure", "substance", "agency", "scope", "period", "currency", "speaker")
ALL_FIELDS = ("value", "unit", "qualifier", *CONTEXT_FIELDS, "origin")
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


@dataclass(slots=True)
class Row:
    """One label with the claim found for it and that claim's headline verdict."""

    passage: Passage
    label: Label
    claim: Claim | None
    verdict: Verdict | None = None


@dataclass(slots=True)
class Report:
    rows: list[Row]
    spurious: list[tuple[Passage, Claim, Verdict | None]]
    traps_hit: list[tuple[Passage, Claim]]
    fields: dict[str, tuple[int, int]] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, got)
    calibration: list[tuple[str, int, float, float]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        right, total = self.fields[name]
        return right / total if total else math.nan

    def precision(self, kind: str) -> tuple[float, int]:
        got = sum(n for (_e, g), n in self.confusion.items() if g == kind)
        right = self.confusion[(kind, kind)]
        return (right / got if got else math.nan), got

    def recall(self, kind: str) -> tuple[float, int]:
        expected = sum(n for (e, _g), n in self.confusion.items() if e == kind)
        right = self.confusion[(kind, kind)]
        return (right / expected if expected else math.nan), expected


# -- normalisation -------------------------------------------------------------------------
def _alias_table() -> dict[str, str]:
    vocab = load_vocabulary()
    table: dict[str, str] = {}
    for term in vocab.agencies:
        table[term.name.lower()] = term.name
        for word in term.words:
            table[word.lower()] = term.name
    return table


def _noun_table() -> dict[str, str]:
    vocab = load_vocabulary()
    table: dict[str, str] = {}
    for term in vocab.count_nouns:
        canonical = str(term.attrs.get("canonical", term.name))
        for word in (term.name, *term.words):
            table[word.lower()] = canonical
    return table


def _name(value: str | None, aliases: dict[str, str]) -> str | None:
    if value is None:
        return None
    cleaned = re.sub(r"^(?:the)\s+", "", value.strip(), flags=re.IGNORECASE).rstrip(".")
    return aliases.get(cleaned.lower(), cleaned).lower()


def _same_speaker(expected: str | None, got: str | None, aliases: dict[str, str]) -> bool:
    a, b = _name(expected, aliases), _name(got, aliases)
    if a is None or b is None:
        return a is b
    return a == b or a.split()[-1] == b.split()[-1] or a in b or b in a


def _unit(unit: str | None, nouns: dict[str, str]) -> str | None:
    if unit is None:
        return None
    parts = unit.split("/")
    head = parts[0].lower()
    parts[0] = nouns.get(head, nouns.get(head.split()[-1], head.split()[-1]) if head else head)
    if unit.split("/")[0] in ("mL", "L") or unit.split("/")[0].isupper():
        parts[0] = unit.split("/")[0]
    return "/".join(parts)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


# -- matching ------------------------------------------------------------------------------
def _overlaps(claim: Claim, start: int, end: int) -> bool:
    return claim.start < end and start < claim.end


def _match(label: Label, claims: list[Claim]) -> Claim | None:
    """The claim that reads this label's figure: overlapping its quote, the one with the
    label's value first (a quote can hold two numbers)."""
    found = [c for c in claims if _overlaps(c, label.start, label.end)]
    return next((c for c in found if _close(c.value, label.value)), found[0] if found else None)


def _period_ok(label: Label, claim: Claim) -> bool:
    primary = (claim.period_start, claim.period_end) if claim.period_start else None
    if not label.periods:
        return primary == label.period
    offered = {(p.start, p.end) for p in claim.period_candidates} | (
        {primary} if primary else set()
    )
    return primary in label.periods and set(label.periods) <= offered


def _got(name: str, claim: Claim) -> object:
    if name == "scope":
        return claim.corridor
    if name == "currency":
        return claim.unit if claim.dimension == "currency" else None
    return getattr(claim, name)


def _field_ok(
    name: str, label: Label, claim: Claim | None, aliases: dict[str, str], nouns: dict[str, str]
) -> bool | None:
    """Whether `claim` reads field `name` as the label does; None when not scored."""
    if name in ("value", "unit"):
        if claim is None:
            return False
        if name == "value":
            return _close(claim.value, label.value) and _close(claim.value_max, label.value_max)
        return _unit(claim.unit, nouns) == _unit(label.unit, nouns)
    if claim is None:
        return None
    if name == "qualifier":
        return claim.qualifier == label.qualifier
    if name == "period":
        return _period_ok(label, claim)
    if name not in label.fields:
        return None
    expected = label.fields[name]
    if name == "speaker":
        return _same_speaker(expected, claim.speaker, aliases)
    if name == "agency":
        return _name(expected, aliases) == _name(claim.agency, aliases)
    return _got(name, claim) == expected


# -- running -------------------------------------------------------------------------------
def official_data() -> OfficialData:
    """The official series bundled with the package, as a fresh store holds them: what the
    labels' verdicts were written against."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{folder}/reference.db")
        _, errors = import_files(store, reference_files())
        if errors:
            raise RuntimeError(f"reference data did not import: {errors}")
        data = load_official(store)
        store.close()
    return data


def extract(passages: Iterable[Passage]) -> dict[str, list[Claim]]:
    return {
        p.id: extract_claims(
            p.text,
            DocumentMeta(published=p.meta.published, outlet=p.meta.outlet, author=p.meta.author),
        )
        for p in passages
    }


def _verdicts(
    passages: list[Passage], claims: dict[str, list[Claim]], data: OfficialData
) -> dict[tuple[str, int], Verdict]:
    """Headline verdicts by (passage id, claim index), each story checked as one corpus."""
    groups: dict[str, list[tuple[int, Passage]]] = defaultdict(list)
    for number, passage in enumerate(passages):
        groups[passage.story or f"\0{passage.id}"].append((number, passage))
    out: dict[tuple[str, int], Verdict] = {}
    next_id = 1
    for members in groups.values():
        stored, where, published = [], {}, {}
        for number, passage in members:
            published[number] = passage.meta.published
            for index, claim in enumerate(claims[passage.id]):
                stored.append(StoredClaim.of(claim, id=next_id, document_id=number,
                                             document=passage.id))  # fmt: skip
                where[next_id] = (passage.id, index)
                next_id += 1
        for claim_id, verdict in headline(check_claims(stored, published, data)).items():
            out[where[claim_id]] = verdict
    return out


def _class(verdict: str | None) -> str:
    return ABSTAIN if verdict in (None, "unverifiable") else verdict


def score(passages: list[Passage], data: OfficialData | None) -> Report:
    """Extraction (and, given official data, the checks) against every label."""
    claims = extract(passages)
    verdicts = _verdicts(passages, claims, data) if data is not None else {}
    aliases, nouns = _alias_table(), _noun_table()
    rows, spurious, traps = [], [], []
    for passage in passages:
        found = claims[passage.id]
        used: set[int] = set()
        for label in passage.labels:
            claim = _match(label, found)
            index = next((i for i, c in enumerate(found) if c is claim), None)
            if index is not None:
                used.add(index)
            verdict = None if index is None else verdicts.get((passage.id, index))
            rows.append(Row(passage, label, claim, verdict))
        for index, claim in enumerate(found):
            if index in used or any(_overlaps(claim, lb.start, lb.end) for lb in passage.labels):
                continue
            if any(_overlaps(claim, s, e) for s, e in passage.not_quantities):
                traps.append((passage, claim))
            spurious.append((passage, claim, verdicts.get((passage.id, index))))
    report = Report(rows, spurious, traps)
    _score_fields(report, aliases, nouns)
    if data is not None:
        _score_verdicts(report)
    return report


def _score_fields(report: Report, aliases: dict[str, str], nouns: dict[str, str]) -> None:
    tallies: dict[str, list[int]] = {name: [0, 0] for name in ALL_FIELDS}
    for row in report.rows:
        for name in ALL_FIELDS:
            ok = _field_ok(name, row.label, row.claim, aliases, nouns)
            if ok is None:
                continue
            tallies[name][1] += 1
            if ok:
                tallies[name][0] += 1
            else:
                got = "not found" if row.claim is None else _describe(name, row.claim)
                expected = _expected(name, row.label)
                report.misses[name].append(
                    f"{row.passage.id} {row.label.quote!r}: expected {expected}, got {got}"
                )
    report.fields = {name: (right, total) for name, (right, total) in tallies.items()}


def _describe(name: str, claim: Claim) -> str:
    if name == "value":
        return f"{claim.value:g}" + (f"-{claim.value_max:g}" if claim.value_max else "")
    if name == "period":
        return f"{claim.period_start}..{claim.period_end} ({claim.period_text!r})"
    return repr(_got(name, claim))


def _expected(name: str, label: Label) -> str:
    if name == "value":
        return f"{label.value:g}" + (f"-{label.value_max:g}" if label.value_max else "")
    if name == "unit":
        return repr(label.unit)
    if name == "qualifier":
        return repr(label.qualifier)
    if name == "period":
        return f"{label.period}" + (f" of {label.periods}" if label.periods else "")
    return repr(label.fields.get(name))


def _score_verdicts(report: Report) -> None:
    judged: list[tuple[str, str, float]] = []  # expected, got, confidence
    for row in report.rows:
        got = _class(row.verdict.verdict if row.verdict else None)
        expected = _class(row.label.verdict)
        report.confusion[(expected, got)] += 1
        if row.verdict is not None:
            judged.append((expected, got, row.verdict.confidence))
            if expected != got:
                report.misses["verdict"].append(
                    f"{row.passage.id} {row.label.quote!r}: expected {row.label.verdict or 'none'}"
                    f" ({row.label.why}), got {row.verdict.verdict} {row.verdict.confidence}: "
                    f"{row.verdict.explanation}"
                )
        elif expected != ABSTAIN:
            report.misses["verdict"].append(
                f"{row.passage.id} {row.label.quote!r}: expected {row.label.verdict}, got none"
            )
    for passage, claim, verdict in report.spurious:
        if verdict is not None and _class(verdict.verdict) != ABSTAIN:
            report.confusion[(ABSTAIN, verdict.verdict)] += 1
            judged.append((ABSTAIN, verdict.verdict, verdict.confidence))
            report.misses["verdict"].append(
                f"{passage.id} unlabelled {claim.text!r}: got {verdict.verdict}"
            )
    for low, high in itertools.pairwise(BINS):
        inside = [(e, g) for e, g, c in judged if low <= c < high]
        if inside:
            right = sum(1 for e, g in inside if e == g)
            label = f"{low:.1f}-{min(high, 1.0):.1f}"
            report.calibration.append((label, len(inside), (low + min(high, 1.0)) / 2,
                                       right / len(inside)))  # fmt: skip
