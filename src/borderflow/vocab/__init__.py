"""Domain vocabularies, loaded from the YAML files beside this module.

Each file holds one concept (units, agencies, places...) and names its source. Loading checks
every entry and raises VocabularyError naming the file and key, so a typo fails at start-up
rather than silently changing what the extractor finds.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from borderflow.errors import VocabularyError

VOCAB_DIR = Path(__file__).parent


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    dimension: str
    words: tuple[str, ...]
    pint: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """A named thing (agency, substance, place, count noun, corridor) and the words for it."""

    name: str
    words: tuple[str, ...]
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    units: tuple[Unit, ...]
    normalized_units: dict[str, str]
    per_period: dict[str, tuple[float, tuple[str, ...]]]
    currency_prefixes: dict[str, str]
    currency_suffixes: dict[str, str]
    ones: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    groups: dict[str, int]
    fractions: dict[str, float]
    vague: dict[str, int]
    qualifiers: dict[str, str]
    count_nouns: tuple[Term, ...]
    measures: tuple[Term, ...]
    substances: tuple[Term, ...]
    agencies: tuple[Term, ...]
    places: tuple[Term, ...]
    corridors: tuple[Term, ...]
    bare_border_words: tuple[str, ...]
    bare_border_by_country: dict[str, str]
    fiscal_years: dict[str, int]
    fiscal_by_country: dict[str, str]
    ambiguous_year_agencies: dict[str, str]
    conventions: dict[str, dict[str, Any]]
    speaker_verbs: tuple[str, ...]
    not_speakers: frozenset[str]
    abbreviations: tuple[str, ...]

    def agency_country(self, agency: str | None) -> str | None:
        for term in self.agencies:
            if term.name == agency:
                country = term.attrs.get("country")
                return str(country) if country else None
        return None


def _read(name: str, directory: Path) -> dict[str, Any]:
    path = directory / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise VocabularyError(f"{path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: expected a mapping at the top level")
    return data


def _need(data: dict[str, Any], key: str, where: str, kind: type = dict) -> Any:
    if key not in data:
        raise VocabularyError(f"{where}: missing key '{key}'")
    value = data[key]
    if not isinstance(value, kind):
        raise VocabularyError(f"{where}: '{key}' should be a {kind.__name__}")
    return value


def _words(entry: Any, where: str) -> tuple[str, ...]:
    if not isinstance(entry, dict):
        raise VocabularyError(f"{where}: expected a mapping with 'words'")
    words = _need(entry, "words", where, list)
    if not words or not all(isinstance(w, str) and w for w in words):
        raise VocabularyError(f"{where}: 'words' must be a non-empty list of strings")
    return tuple(words)


def _terms(section: dict[str, Any], where: str) -> tuple[Term, ...]:
    terms = []
    for name, entry in section.items():
        words = _words(entry, f"{where}: {name}")
        attrs = {k: v for k, v in entry.items() if k != "words"}
        terms.append(Term(str(name), words, attrs))
    return tuple(terms)


def _sourced(data: dict[str, Any], path: Path) -> None:
    if not isinstance(data.get("source"), str) or not data["source"].strip():
        raise VocabularyError(f"{path}: missing key 'source' (every vocabulary names its source)")


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    """Load and check every vocabulary file in `directory` (the bundled ones by default)."""
    if directory is None:
        return _bundled()
    return _load(directory)


@functools.cache
def _bundled() -> Vocabulary:
    return _load(VOCAB_DIR)


def _load(d: Path) -> Vocabulary:
    files = {
        name: _read(name, d)
        for name in (
            "units.yaml",
            "currencies.yaml",
            "numbers.yaml",
            "qualifiers.yaml",
            "count_nouns.yaml",
            "measures.yaml",
            "substances.yaml",
            "agencies.yaml",
            "places.yaml",
            "speakers.yaml",
            "abbreviations.yaml",
        )
    }
    for name, data in files.items():
        _sourced(data, d / name)
    periods = _read("periods.yaml", d)
    conventions = _read("conventions.yaml", d)
    _sourced(periods, d / "periods.yaml")
    _sourced(conventions, d / "conventions.yaml")

    u = files["units.yaml"]
    units = []
    for name, entry in _need(u, "units", str(d / "units.yaml")).items():
        where = f"{d / 'units.yaml'}: units.{name}"
        dim = _need(entry, "dimension", where, str)
        units.append(Unit(str(name), dim, _words(entry, where), entry.get("pint")))
    per_period = {}
    for name, entry in _need(u, "per_period", str(d / "units.yaml")).items():
        where = f"{d / 'units.yaml'}: per_period.{name}"
        per_period[str(name)] = (
            float(_need(entry, "per_year", where, (int, float))),  # type: ignore[arg-type]
            _words(entry, where),
        )

    c = files["currencies.yaml"]
    n = files["numbers.yaml"]
    q = _need(files["qualifiers.yaml"], "qualifiers", str(d / "qualifiers.yaml"))
    qualifiers = {phrase.lower(): kind for kind, phrases in q.items() for phrase in phrases}

    places_file = files["places.yaml"]
    pl_where = str(d / "places.yaml")
    places = []
    for section, level in (
        ("countries", "country"),
        ("subdivisions", "subdivision"),
        ("cities", "city"),
    ):
        for term in _terms(_need(places_file, section, pl_where), f"{pl_where}: {section}"):
            places.append(Term(term.name, term.words, {**term.attrs, "level": level}))
    bare = _need(places_file, "bare_border", pl_where)

    for key, entry in _need(conventions, "conventions", str(d / "conventions.yaml")).items():
        if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
            raise VocabularyError(f"{d / 'conventions.yaml'}: {key}: needs 'value' and 'source'")
    fiscal = {}
    for basis, entry in _need(periods, "fiscal_years", str(d / "periods.yaml")).items():
        where = f"{d / 'periods.yaml'}: fiscal_years.{basis}"
        _need(entry, "source", where, str)
        fiscal[str(basis)] = int(_need(entry, "start_month", where, int))

    vocab = Vocabulary(
        units=tuple(units),
        normalized_units=dict(_need(u, "normalized", str(d / "units.yaml"))),
        per_period=per_period,
        currency_prefixes=dict(_need(c, "prefixes", str(d / "currencies.yaml"))),
        currency_suffixes=dict(_need(c, "suffixes", str(d / "currencies.yaml"))),
        ones=dict(_need(n, "ones", str(d / "numbers.yaml"))),
        tens=dict(_need(n, "tens", str(d / "numbers.yaml"))),
        scales=dict(_need(n, "scales", str(d / "numbers.yaml"))),
        groups=dict(_need(n, "groups", str(d / "numbers.yaml"))),
        fractions=dict(_need(n, "fractions", str(d / "numbers.yaml"))),
        vague=dict(_need(n, "vague", str(d / "numbers.yaml"))),
        qualifiers=qualifiers,
        count_nouns=_terms(
            _need(files["count_nouns.yaml"], "nouns", str(d / "count_nouns.yaml")),
            str(d / "count_nouns.yaml"),
        ),
        measures=_measure_terms(files["measures.yaml"], d / "measures.yaml"),
        substances=_terms(
            _need(files["substances.yaml"], "substances", str(d / "substances.yaml")),
            str(d / "substances.yaml"),
        ),
        agencies=_terms(
            _need(files["agencies.yaml"], "agencies", str(d / "agencies.yaml")),
            str(d / "agencies.yaml"),
        ),
        places=tuple(places),
        corridors=_terms(_need(places_file, "corridors", pl_where), f"{pl_where}: corridors"),
        bare_border_words=_words(bare, f"{pl_where}: bare_border"),
        bare_border_by_country=dict(_need(bare, "by_agency_country", f"{pl_where}: bare_border")),
        fiscal_years=fiscal,
        fiscal_by_country=dict(_need(periods, "fiscal_by_country", str(d / "periods.yaml"))),
        ambiguous_year_agencies=dict(
            _need(periods, "ambiguous_year_agencies", str(d / "periods.yaml"))
        ),
        conventions=dict(conventions["conventions"]),
        speaker_verbs=tuple(_need(files["speakers.yaml"], "verbs", str(d / "speakers.yaml"), list)),
        not_speakers=frozenset(
            _need(files["speakers.yaml"], "not_speakers", str(d / "speakers.yaml"), list)
        ),
        abbreviations=tuple(
            _need(files["abbreviations.yaml"], "abbreviations", str(d / "abbreviations.yaml"), list)
        ),
    )
    _cross_check(vocab, d)
    return vocab


def _measure_terms(data: dict[str, Any], path: Path) -> tuple[Term, ...]:
    terms = []
    for name, entry in _need(data, "measures", str(path)).items():
        where = f"{path}: measures.{name}"
        cues = _need(entry, "cues", where, list)
        terms.append(Term(str(name), tuple(cues), {"priority": int(entry.get("priority", 0))}))
    return tuple(terms)


def _cross_check(vocab: Vocabulary, d: Path) -> None:
    """References between files must resolve (a count noun's measure must exist, ...)."""
    measures = {t.name for t in vocab.measures} | {"other"}
    for noun in vocab.count_nouns:
        if noun.attrs.get("measure") not in measures:
            raise VocabularyError(
                f"{d / 'count_nouns.yaml'}: {noun.name}: unknown measure "
                f"'{noun.attrs.get('measure')}' (known: {', '.join(sorted(measures))})"
            )
    agencies = {t.name for t in vocab.agencies}
    for agency in vocab.ambiguous_year_agencies:
        if agency not in agencies:
            raise VocabularyError(
                f"{d / 'periods.yaml'}: ambiguous_year_agencies: unknown agency '{agency}'"
            )
    for basis in [*vocab.ambiguous_year_agencies.values(), *vocab.fiscal_by_country.values()]:
        if basis not in vocab.fiscal_years:
            raise VocabularyError(f"{d / 'periods.yaml'}: unknown fiscal basis '{basis}'")
    for unit in vocab.units:
        if unit.dimension in vocab.normalized_units and unit.pint is None:
            raise VocabularyError(f"{d / 'units.yaml'}: units.{unit.name}: needs 'pint' to convert")
