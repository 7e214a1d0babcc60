"""the web at scale: a full-text index of documents, indexes for the claims' sorts and
keyset paging, and each version's number of claims

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 16:20:00

Document search used a substring scan of every text (46 s a query on PostgreSQL at 50,000
articles). It now reads a full-text index of each document's title and current text:

- SQLite: `document_search`, a contentless FTS5 table keyed by document id (the text is
  not stored twice). Triggers keep it in step with every write, whichever code makes it:
  a new current version is added, a version that stops being current and a document
  deleted are taken out (FTS5 needs the exact words to take out, which the triggers read
  from the rows themselves), a changed title is re-indexed. A SQLite built without FTS5
  gets no table, and search falls back to the substring scan (store.text_search).
- PostgreSQL: `document_search` (document id, tsvector of the title and the first
  `_PG_CHARS` characters of the text, 'simple' configuration) with a GIN index, kept in
  step by triggers the same way; a deleted document's row goes with it (foreign key).

Claims listings sort and page on the columns a reader sorts by; each gets an index ending
in the claim id (the tie-break), so a page is an index range, never a sort of every claim
(by verdict: the verdicts' (verdict, claim_id); one measure by value:
(measure, normalized_value, id)). Documents are listed newest first:
(published, id). The overview counts headline verdicts from (verdict, headline) alone.

`claim_count` on each version: a listing's claim counts and the number of current claims
are a sum over versions instead of a count over every claim. Claims of a version are
written once, with the version (store.documents.save).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# Columns a claims listing sorts by (store.listings.CLAIM_SORTS) that live in `claims`.
_SORTED = ("normalized_value", "measure", "substance", "agency", "corridor", "period_start",
           "speaker")  # fmt: skip
# PostgreSQL's tsvector holds at most 1 MB: longer texts are indexed up to here.
_PG_CHARS = 1_000_000

_SQLITE_TRIGGERS = (
    # A new current version: index its text under its document's title.
    """CREATE TRIGGER document_search_add AFTER INSERT ON document_versions
    WHEN NEW.is_current BEGIN
      INSERT INTO document_search(rowid, title, body)
      SELECT NEW.document_id, d.title, NEW.text FROM documents d WHERE d.id = NEW.document_id;
    END""",
    # A version no longer current: its words are taken out.
    """CREATE TRIGGER document_search_retire AFTER UPDATE OF is_current ON document_versions
    WHEN OLD.is_current AND NOT NEW.is_current BEGIN
      INSERT INTO document_search(document_search, rowid, title, body)
      SELECT 'delete', OLD.document_id, d.title, OLD.text FROM documents d
      WHERE d.id = OLD.document_id;
    END""",
    # A version made current again (not done by borderflow today, but kept consistent).
    """CREATE TRIGGER document_search_restore AFTER UPDATE OF is_current ON document_versions
    WHEN NEW.is_current AND NOT OLD.is_current BEGIN
      INSERT INTO document_search(rowid, title, body)
      SELECT NEW.document_id, d.title, NEW.text FROM documents d WHERE d.id = NEW.document_id;
    END""",
    """CREATE TRIGGER document_search_title AFTER UPDATE OF title ON documents
    WHEN OLD.title IS NOT NEW.title BEGIN
      INSERT INTO document_search(document_search, rowid, title, body)
      SELECT 'delete', OLD.id, OLD.title, v.text FROM document_versions v
      WHERE v.document_id = OLD.id AND v.is_current;
      INSERT INTO document_search(rowid, title, body)
      SELECT NEW.id, NEW.title, v.text FROM document_versions v
      WHERE v.document_id = NEW.id AND v.is_current;
    END""",
    # Before the delete: the versions (and their text) go with the document.
    """CREATE TRIGGER document_search_delete BEFORE DELETE ON documents BEGIN
      INSERT INTO document_search(document_search, rowid, title, body)
      SELECT 'delete', OLD.id, OLD.title, v.text FROM document_versions v
      WHERE v.document_id = OLD.id AND v.is_current;
    END""",
)
_SQLITE_TRIGGER_NAMES = ("document_search_add", "document_search_retire",
                         "document_search_restore", "document_search_title",
                         "document_search_delete")  # fmt: skip

_PG_TERMS = f"to_tsvector('simple', coalesce(d.title, '') || ' ' || left(v.text, {_PG_CHARS}))"
_PG_FUNCTION = f"""
CREATE FUNCTION document_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE doc integer;
BEGIN
  IF TG_TABLE_NAME = 'documents' THEN
    doc := NEW.id;
  ELSE
    doc := NEW.document_id;
  END IF;
  DELETE FROM document_search WHERE document_id = doc;
  INSERT INTO document_search (document_id, terms)
  SELECT d.id, {_PG_TERMS} FROM documents d
  JOIN document_versions v ON v.document_id = d.id AND v.is_current
  WHERE d.id = doc;
  RETURN NULL;
END $$"""
_PG_TRIGGERS = (
    """CREATE TRIGGER document_search_version AFTER INSERT OR UPDATE OF is_current
    ON document_versions FOR EACH ROW EXECUTE FUNCTION document_search_sync()""",
    """CREATE TRIGGER document_search_title AFTER UPDATE OF title ON documents
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION document_search_sync()""",
)


def upgrade() -> None:
    for column in _SORTED:
        op.create_index(f"ix_claims_{column}_id", "claims", [column, "id"])
    op.create_index("ix_claims_measure_value_id", "claims", ["measure", "normalized_value", "id"])
    op.create_index("ix_documents_published_id", "documents", ["published", "id"])
    op.create_index("ix_checks_verdict_claim_id", "checks", ["verdict", "claim_id"])
    op.create_index("ix_checks_verdict_headline", "checks", ["verdict", "headline"])
    op.add_column(
        "document_versions",
        sa.Column("claim_count", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE document_versions SET claim_count = (SELECT count(*) FROM claims"
        " WHERE claims.version_id = document_versions.id)"
    )
    op.create_index(
        "ix_document_versions_current_claims", "document_versions", ["is_current", "claim_count"]
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_search()
    else:
        _sqlite_search()


def _sqlite_search() -> None:
    bind = op.get_bind()
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(
                "CREATE VIRTUAL TABLE document_search USING fts5(title, body, content='')"
            )
    except sa.exc.OperationalError as exc:
        log.warning(
            "SQLite here has no FTS5 (%s): document search scans the texts instead", exc.orig
        )
        return
    bind.exec_driver_sql(
        "INSERT INTO document_search(rowid, title, body) SELECT d.id, d.title, v.text"
        " FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.is_current"
    )
    for trigger in _SQLITE_TRIGGERS:
        bind.exec_driver_sql(trigger)


def _postgresql_search() -> None:
    op.create_table(
        "document_search",
        sa.Column(
            "document_id", sa.Integer(),
            sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
        ),
        sa.Column("terms", sa.dialects.postgresql.TSVECTOR(), nullable=False),
    )  # fmt: skip
    op.execute(
        f"INSERT INTO document_search (document_id, terms) SELECT d.id, {_PG_TERMS}"
        " FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.is_current"
    )
    op.create_index(
        "ix_document_search_terms", "document_search", ["terms"], postgresql_using="gin"
    )
    op.execute(_PG_FUNCTION)
    for trigger in _PG_TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS document_search_title ON documents")
        op.execute("DROP TRIGGER IF EXISTS document_search_version ON document_versions")
        op.execute("DROP FUNCTION IF EXISTS document_search_sync()")
        op.drop_table("document_search")
    else:
        for name in _SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS document_search")
    op.drop_index("ix_document_versions_current_claims", table_name="document_versions")
    # Not a batch (copy and drop) on SQLite: dropping the table would cascade to claims.
    op.execute("ALTER TABLE document_versions DROP COLUMN claim_count")
    op.drop_index("ix_documents_published_id", table_name="documents")
    op.drop_index("ix_claims_measure_value_id", table_name="claims")
    op.drop_index("ix_checks_verdict_claim_id", table_name="checks")
    op.drop_index("ix_checks_verdict_headline", table_name="checks")
    for column in _SORTED:
        op.drop_index(f"ix_claims_{column}_id", table_name="claims")
