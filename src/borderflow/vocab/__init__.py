"""Domain vocabularies, loaded from the YAML files beside this module.

Each file holds one concept (units, agencies, places...) and names its source. Loading checks
every entry and raises VocabularyError naming the file and key, so a typo fails at start-up
rather than silently changing what the extractor finds.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from borderflow import yamltext
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
    dataset_substances: dict[str, str]
    # Scopes wider than one border ("all borders", "nationwide"), from places.yaml.
    scopes: tuple[Term, ...] = ()
    # News outlets by name and web domain, each with its home `country` (outlets.yaml).
    outlets: tuple[Term, ...] = ()
    # Head words of organisations' names, and nouns that describe a source (speakers.yaml).
    organization_words: frozenset[str] = frozenset()
    described_sources: frozenset[str] = frozenset()
    # Postal codes of U.S. states and Canadian provinces, by code ("ON": "Ontario"), for
    # series filters given as a code (jurisdiction_codes.yaml).
    jurisdiction_codes: Mapping[str, str] = field(default_factory=dict)

    def agency_country(self, agency: str | None) -> str | None:
        for term in self.agencies:
            if term.name == agency:
                country = term.attrs.get("country")
                return str(country) if country else None
        return None


def _read(name: str, directory: Path) -> dict[str, Any]:
    path = directory / name
    try:
        data = yamltext.load(path.read_text(encoding="utf-8"))
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


_FILES = (
    "units.yaml", "currencies.yaml", "numbers.yaml", "qualifiers.yaml", "count_nouns.yaml",
    "measures.yaml", "substances.yaml", "agencies.yaml", "places.yaml", "speakers.yaml",
    "abbreviations.yaml", "dataset_labels.yaml", "periods.yaml", "conventions.yaml",
    "outlets.yaml", "jurisdiction_codes.yaml",
)  # fmt: skip


def _load(d: Path) -> Vocabulary:
    files = {name: _read(name, d) for name in _FILES}
    for name, data in files.items():
        _sourced(data, d / name)

    def section(name: str, key: str, kind: type = dict) -> Any:
        return _need(files[name], key, str(d / name), kind)

    def terms(name: str, key: str) -> tuple[Term, ...]:
        return _terms(section(name, key), str(d / name))

    n = files["numbers.yaml"]
    q = section("qualifiers.yaml", "qualifiers")
    units, per_period = _units(files["units.yaml"], d / "units.yaml")
    places, bare_words, bare_by_country = _places(files["places.yaml"], str(d / "places.yaml"))
    vocab = Vocabulary(
        units=units,
        normalized_units=dict(section("units.yaml", "normalized")),
        per_period=per_period,
        currency_prefixes=dict(section("currencies.yaml", "prefixes")),
        currency_suffixes=dict(section("currencies.yaml", "suffixes")),
        **{k: dict(_need(n, k, str(d / "numbers.yaml"))) for k in _NUMBER_WORDS},
        qualifiers={phrase.lower(): kind for kind, phrases in q.items() for phrase in phrases},
        count_nouns=terms("count_nouns.yaml", "nouns"),
        measures=_measure_terms(files["measures.yaml"], d / "measures.yaml"),
        substances=terms("substances.yaml", "substances"),
        agencies=terms("agencies.yaml", "agencies"),
        places=places,
        corridors=_terms(section("places.yaml", "corridors"), f"{d / 'places.yaml'}: corridors"),
        bare_border_words=bare_words,
        bare_border_by_country=bare_by_country,
        fiscal_years=_fiscal_years(files["periods.yaml"], d / "periods.yaml"),
        fiscal_by_country=dict(section("periods.yaml", "fiscal_by_country")),
        ambiguous_year_agencies=dict(section("periods.yaml", "ambiguous_year_agencies")),
        conventions=_conventions(files["conventions.yaml"], d / "conventions.yaml"),
        speaker_verbs=tuple(section("speakers.yaml", "verbs", list)),
        not_speakers=frozenset(section("speakers.yaml", "not_speakers", list)),
        abbreviations=tuple(section("abbreviations.yaml", "abbreviations", list)),
        dataset_substances={
            str(k): str(v) for k, v in section("dataset_labels.yaml", "substances").items()
        },
        scopes=_terms(section("places.yaml", "scopes"), f"{d / 'places.yaml'}: scopes"),
        outlets=_outlets(section("outlets.yaml", "outlets"), d / "outlets.yaml"),
        organization_words=frozenset(section("speakers.yaml", "organization_words", list)),
        described_sources=frozenset(section("speakers.yaml", "described_sources", list)),
        jurisdiction_codes={
            str(k).upper(): str(v) for k, v in section("jurisdiction_codes.yaml", "codes").items()
        },
    )
    _cross_check(vocab, d)
    _check_sites(vocab.agencies, str(d / "agencies.yaml"))
    return vocab


def _check_sites(agencies: tuple[Term, ...], where: str) -> None:
    """Each `sites` entry is a list of lower-case hosts or host/paths, with no scheme."""
    for term in agencies:
        sites = term.attrs.get("sites", [])
        if not isinstance(sites, list) or not all(isinstance(s, str) for s in sites):
            raise VocabularyError(f"{where}: {term.name}: 'sites' must be a list of hosts")
        for site in sites:
            if "://" in site or site != site.lower() or "." not in site.split("/")[0]:
                raise VocabularyError(
                    f"{where}: {term.name}: site {site!r} must be a lower-case host or "
                    "host/path without a scheme (cbp.gov, canada.ca/en/health-canada)"
                )


_NUMBER_WORDS = ("ones", "tens", "scales", "groups", "fractions", "vague")


def _units(
    data: dict[str, Any], path: Path
) -> tuple[tuple[Unit, ...], dict[str, tuple[float, tuple[str, ...]]]]:
    """Units with their dimension and words, and the rates' periods with their length."""
    units = []
    for name, entry in _need(data, "units", str(path)).items():
        where = f"{path}: units.{name}"
        dim = _need(entry, "dimension", where, str)
        units.append(Unit(str(name), dim, _words(entry, where), entry.get("pint")))
    per_period = {}
    for name, entry in _need(data, "per_period", str(path)).items():
        where = f"{path}: per_period.{name}"
        per_period[str(name)] = (
            float(_need(entry, "per_year", where, (int, float))),  # type: ignore[arg-type]
            _words(entry, where),
        )
    return tuple(units), per_period


def _places(
    data: dict[str, Any], where: str
) -> tuple[tuple[Term, ...], tuple[str, ...], dict[str, str]]:
    """Countries, subdivisions and cities (each marked with its level), and what a bare
    "the border" means."""
    places = []
    for section, level in (("countries", "country"), ("subdivisions", "subdivision"),
                           ("cities", "city")):  # fmt: skip
        for term in _terms(_need(data, section, where), f"{where}: {section}"):
            places.append(Term(term.name, term.words, {**term.attrs, "level": level}))
    bare = _need(data, "bare_border", where)
    bare_by_country = dict(_need(bare, "by_agency_country", f"{where}: bare_border"))
    return tuple(places), _words(bare, f"{where}: bare_border"), bare_by_country


def _outlets(section: dict[str, Any], path: Path) -> tuple[Term, ...]:
    """News outlets; each entry names its own site as `source` and its `country`."""
    terms = _terms(section, str(path))
    for term in terms:
        where = f"{path}: outlets.{term.name}"
        if not isinstance(term.attrs.get("source"), str):
            raise VocabularyError(f"{where}: needs 'source' (the outlet's own site)")
        if "country" not in term.attrs:
            raise VocabularyError(f"{where}: needs 'country' (null for international outlets)")
    return terms


def _fiscal_years(data: dict[str, Any], path: Path) -> dict[str, int]:
    """The month each fiscal year starts in, each with its legal source."""
    fiscal = {}
    for basis, entry in _need(data, "fiscal_years", str(path)).items():
        where = f"{path}: fiscal_years.{basis}"
        _need(entry, "source", where, str)
        fiscal[str(basis)] = int(_need(entry, "start_month", where, int))
    return fiscal


def _conventions(data: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    entries = _need(data, "conventions", str(path))
    for key, entry in entries.items():
        if not isinstance(entry, dict) or "value" not in entry or "source" not in entry:
            raise VocabularyError(f"{path}: {key}: needs 'value' and 'source'")
    return dict(entries)


def _measure_terms(data: dict[str, Any], path: Path) -> tuple[Term, ...]:
    terms = []
    for name, entry in _need(data, "measures", str(path)).items():
        where = f"{path}: measures.{name}"
        cues = _need(entry, "cues", where, list)
        context = tuple(entry.get("context", ()))
        attrs = {"priority": int(entry.get("priority", 0)), "context": context}
        terms.append(Term(str(name), tuple(cues), attrs))
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
