"""The vocabulary files: every entry sourced, cross-references checked, errors that name the
file and the key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from borderflow.errors import VocabularyError
from borderflow.vocab import VOCAB_DIR, load_vocabulary


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "vocab"
    shutil.copytree(VOCAB_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def test_bundled_vocabulary_loads_and_is_sourced() -> None:
    vocab = load_vocabulary()
    assert {"CBP", "CBSA", "RCMP"} <= {a.name for a in vocab.agencies}
    assert {"northern border", "southwest border"} <= {c.name for c in vocab.corridors}
    assert vocab.conventions["lethal_dose_mg"]["value"] == 2
    for path in sorted(VOCAB_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sourced = "source" in data or all(
            isinstance(v, dict) and "source" in v
            for section in data.values()
            if isinstance(section, dict)
            for v in section.values()
        )
        assert sourced, f"{path.name} names no source"


def test_unknown_measure_in_count_nouns_names_file_and_key(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    path = d / "count_nouns.yaml"
    original = path.read_text(encoding="utf-8")
    edited = original.replace(
        "overdose deaths, lives], measure: deaths}", "overdose deaths, lives], measure: dying}"
    )
    assert edited != original
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"count_nouns\.yaml: deaths: unknown measure"):
        load_vocabulary(d)


def test_missing_words_names_file_and_entry(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    path = d / "agencies.yaml"
    text = re.sub(
        r"(?m)^(  DEA: +\{.*?), words: \[[^\]]*\]\}$", r"\1}", path.read_text(encoding="utf-8")
    )
    assert "  DEA:" in text and "Drug Enforcement Administration" not in text
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"agencies\.yaml: DEA: missing key 'words'"):
        load_vocabulary(d)


def test_missing_source_and_bad_yaml(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    path = d / "substances.yaml"
    path.write_text(
        "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith("source:")
        ),
        encoding="utf-8",
    )
    with pytest.raises(VocabularyError, match=r"substances\.yaml: missing key 'source'"):
        load_vocabulary(d)
    path.write_text("substances: [unclosed", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"substances\.yaml: not valid YAML"):
        load_vocabulary(d)


def test_an_edited_vocabulary_changes_extraction(tmp_path: Path) -> None:
    from borderflow.extract import extract_claims

    d = _copy(tmp_path)
    path = d / "agencies.yaml"
    niagara = "  Niagara Police:   {country: CA, words: [Niagara Regional Police]}\n"
    text = path.read_text(encoding="utf-8").replace("  UNODC:", niagara + "  UNODC:")
    path.write_text(text, encoding="utf-8")
    [claim] = extract_claims("Niagara Regional Police seized 3 kg.", vocab=load_vocabulary(d))
    assert claim.agency == "Niagara Police"
