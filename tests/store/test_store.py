"""The store on SQLite and PostgreSQL: migrations, idempotent saves, versions, atomicity."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from borderflow.errors import NotFoundError, StoreError
from borderflow.extract import CLAIM_FIELDS, Claim, extract_claims
from borderflow.store import NewDocument, Store
from borderflow.store.database import alembic_config, newest_revision

TEXT = "The CBSA intercepted 4.9 kg of fentanyl from January to October 2024."


def _save(
    store: Store,
    *,
    key: str = "/docs/a.txt",
    content_hash: str = "h1",
    text_: str = TEXT,
    claims: list[Claim] | None = None,
) -> Any:
    found = claims if claims is not None else extract_claims(text_)
    return store.save_document(
        NewDocument(
            source="a.txt",
            source_key=key,
            content_hash=content_hash,
            fmt="text",
            size=len(text_),
            text=text_,
            title="A",
            outlet="Outlet",
            author=None,
            published=date(2024, 12, 1),
            metadata={"date_source": "option"},
            repairs=[],
            extractor_version="test",
            claims=found,
        )
    )


def test_schema_is_created_by_migrations(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "documents",
        "document_versions",
        "claims",
        "releases",
        "observations",
        "observation_values",
        "alembic_version",
    } <= tables
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    # Opening a store compares it with the newest migration file's name, not Alembic's
    # reading of every migration: the two must agree.
    assert newest_revision() == head


def test_reopening_an_existing_store_keeps_data(store_url: str) -> None:
    with Store.open(store_url) as first:
        _save(first)
    with Store.open(store_url) as second:
        assert second.counts()["documents"] == 1


def test_save_and_read_back_every_claim_field(store: Store) -> None:
    result = _save(store)
    assert (result.status, result.version, result.claims) == ("added", 1, 1)
    [claim] = store.claims()
    record = claim.as_record()
    assert tuple(record) == CLAIM_FIELDS
    assert record["document"] == "a.txt" and record["title"] == "A"
    assert record["value"] == 4.9 and record["normalized_unit"] == "kg"
    assert record["period_start"] == "2024-01-01" and record["period_end"] == "2024-10-31"
    assert TEXT[record["start"] : record["end"]] == record["text"]
    stored = store.document(result.document_id)
    assert stored.text == TEXT and stored.summary.published == date(2024, 12, 1)


def test_same_content_again_is_not_a_new_document(store: Store) -> None:
    _save(store)
    again = _save(store)
    assert again.status == "unchanged"
    elsewhere = _save(store, key="/other/a.txt")
    assert elsewhere.status == "duplicate"
    assert store.counts() == {"documents": 1, "versions": 1, "claims": 1}


def test_changed_content_becomes_a_new_version(store: Store) -> None:
    _save(store)
    changed = _save(store, content_hash="h2", text_=TEXT + " It also seized 2 kg in 2023.")
    assert (changed.status, changed.version) == ("new-version", 2)
    assert [d.version for d in store.documents()] == [2]
    assert len(store.claims()) == 2  # only the current version's claims
    assert store.counts()["versions"] == 2


def test_a_failing_save_leaves_nothing_behind(store: Store) -> None:
    bad = extract_claims(TEXT)
    bad.append(dataclasses.replace(bad[0], period_start="not a date"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a date"):
        _save(store, claims=bad)
    assert store.counts() == {"documents": 0, "versions": 0, "claims": 0}


def test_filters_and_lookup(store: Store) -> None:
    result = _save(store)
    assert store.claims(measure="seizure", substance="fentanyl")
    assert store.claims(measure="deaths") == []
    assert store.document("a.txt").summary.id == result.document_id
    with pytest.raises(NotFoundError, match="no document 'nope'"):
        store.document("nope")


def test_bad_url_is_a_store_error(tmp_path: Any) -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store.open("not a url")
