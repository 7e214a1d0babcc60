"""Tables of the store. Changes go through an Alembic migration in migrations/versions/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


# The claim columns a listing filters by from a menu (store.facets). Each verdict keeps a
# copy of its claim's (claims never change once stored), so that a filter with a verdict
# kind is one range of one index on the verdicts (migration 0014).
FACETED = ("measure", "substance", "agency", "corridor")


class Document(Base):
    """A source as given to `ingest` (a file path or URL); its text lives in versions."""

    __tablename__ = "documents"
    # Listings show the newest first (store.listings).
    __table_args__ = (Index("ix_documents_published_id", "published", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    source_key: Mapped[str] = mapped_column(String(1024), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(300))
    author: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.version", cascade="all, delete-orphan"
    )


class DocumentVersion(Base):
    """One content of a document: the repaired text claims point into, and how it was made."""

    __tablename__ = "document_versions"
    __table_args__ = (
        UniqueConstraint("document_id", "version"),
        Index("ix_document_versions_current_claims", "is_current", "claim_count"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # Unique: the same bytes are stored once, whoever sends them and however many at once.
    content_hash: Mapped[str] = mapped_column(String(64), index=True, unique=True)
    format: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    repairs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    extractor_version: Mapped[str] = mapped_column(String(32))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The data generation (Store.data_generation) its claims were last checked against;
    # None until checked, or when their agreement with other sources must be judged again.
    checked_generation: Mapped[str | None] = mapped_column(String(64))
    # How many claims it has, written with them: counts of claims are a sum over versions
    # rather than a count over every claim (a version's claims never change).
    claim_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    document: Mapped[Document] = relationship(back_populates="versions")


class ClaimRow(Base):
    """A claim as extracted from one document version (see extract.model.Claim)."""

    __tablename__ = "claims"
    # The columns listings sort by, each ending in the id that breaks ties, so a page of a
    # sorted listing is a range of an index (store.listings; migration 0009).
    __table_args__ = (
        Index("ix_claims_measure_substance", "measure", "substance"),
        Index("ix_claims_measure_value_id", "measure", "normalized_value", "id"),
        *(
            Index(f"ix_claims_{column}_id", column, "id")
            for column in ("normalized_value", "measure", "substance", "agency", "corridor",
                           "period_start", "speaker")
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column("start_offset", Integer)
    end: Mapped[int] = mapped_column("end_offset", Integer)
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str | None] = mapped_column(Text)
    dimension: Mapped[str] = mapped_column(String(16))
    normalized_value: Mapped[float | None] = mapped_column(Float)
    normalized_unit: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(String(32))
    substance: Mapped[str | None] = mapped_column(Text)
    agency: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    corridor: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    destination: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    period_basis: Mapped[str | None] = mapped_column(String(16))
    period_text: Mapped[str | None] = mapped_column(Text)
    period_candidates: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    speaker: Mapped[str | None] = mapped_column(Text)


class Release(Base):
    """One imported statistics file: what it is, what it covers, when it came in."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32), index=True)
    file_name: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rows: Mapped[int] = mapped_column(Integer)
    observations: Mapped[int] = mapped_column(Integer)
    skipped_rows: Mapped[int] = mapped_column(Integer, default=0)
    coverage_start: Mapped[date | None] = mapped_column(Date)
    coverage_end: Mapped[date | None] = mapped_column(Date)
    # Which release wins where two cover the same observation: the one whose data reach
    # later, then the file name, then the hash; never the order of import.
    rank: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Observation(Base):
    """One published figure, as the newest release covering it states it."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("source", "measure", "key"),
        Index("ix_observations_query", "source", "measure", "substance", "region"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(Text)
    substance: Mapped[str | None] = mapped_column(Text)
    substance_label: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    region: Mapped[str | None] = mapped_column(Text)
    land_filter: Mapped[str | None] = mapped_column(String(32))
    component: Mapped[str | None] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    period_basis: Mapped[str] = mapped_column(String(16))
    fiscal_year: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    value_kg: Mapped[float | None] = mapped_column(Float)
    suppressed: Mapped[bool] = mapped_column(Boolean, default=False)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    rank: Mapped[str] = mapped_column(Text)


class ObservationValue(Base):
    """What each release said about an observation: the revision history."""

    __tablename__ = "observation_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True
    )
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    value: Mapped[float | None] = mapped_column(Float)
    suppressed: Mapped[bool] = mapped_column(Boolean, default=False)
    line: Mapped[int] = mapped_column(Integer)


def _claim_type(name: str) -> Any:
    """The type of one of the claims' columns (a verdict's copy of it is the same)."""
    return ClaimRow.__table__.c[name].type


class CheckRow(Base):
    """A verdict on a claim, with the evidence and the data releases it used."""

    __tablename__ = "checks"
    # Claims listed by verdict read the first a page at a time (store.listings); the
    # overview counts headline verdicts from the second's prefix alone, and `check` lists
    # a kind's most confident, newest verdicts from it read backwards. Not (headline,
    # verdict): PostgreSQL would AND that index with the claim id's for every claim it
    # joins.
    # A claim filter with a verdict kind (`/claims?measure=seizure&verdict=conflict`)
    # reads one range of (filter value, verdict) in claim order: read from either side
    # alone, a pair that seldom meets meant reading a whole side (13 s at 200,000
    # articles). The headline flag ends each so the headline listings test it there.
    __table_args__ = (
        Index("ix_checks_verdict_claim_id", "verdict", "claim_id"),
        Index("ix_checks_by_attention", "verdict", "headline", "confidence", "claim_id", "id"),
        *(
            Index(f"ix_checks_claim_{name}", f"claim_{name}", "verdict", "claim_id", "id",
                  "headline")
            for name in FACETED
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    check: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(24), index=True)
    headline: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    caveat: Mapped[str | None] = mapped_column(Text)
    expected: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(32))
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    releases: Mapped[list[str]] = mapped_column(JSON, default=list)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The official data and model fit the verdict was computed from (Store.data_generation);
    # a verdict whose generation is not the store's current one is stale and is redone.
    data_generation: Mapped[str | None] = mapped_column(String(64))
    # The claim's own values of the FACETED columns, copied when the verdict is stored,
    # each of the claim column's own type.
    claim_measure: Mapped[str | None] = mapped_column(_claim_type("measure"))
    claim_substance: Mapped[str | None] = mapped_column(_claim_type("substance"))
    claim_agency: Mapped[str | None] = mapped_column(_claim_type("agency"))
    claim_corridor: Mapped[str | None] = mapped_column(_claim_type("corridor"))


class ModelRun(Base):
    """One calibration of the flow model: the spec, data releases and settings it used,
    its diagnostics and headline summary, and the posterior draws (compressed NumPy)."""

    __tablename__ = "model_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    spec_name: Mapped[str] = mapped_column(Text)
    spec_sha256: Mapped[str] = mapped_column(String(64))
    spec_text: Mapped[str] = mapped_column(Text)
    years: Mapped[list[int]] = mapped_column(JSON)
    fit_years: Mapped[list[int]] = mapped_column(JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    releases: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    diagnostics: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    observed: Mapped[dict[str, Any]] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(Float)
    # Whether the diagnostics pass the bar (records.convergence); only converged runs are
    # used, the others are kept for the record.
    converged: Mapped[bool] = mapped_column(Boolean, default=False)
    posterior: Mapped[bytes] = mapped_column(LargeBinary)


class SourceGroupState(Base):
    """What the comparison between sources kept of one group of seizure claims when it
    last judged it (`checks.source_state.GroupState`), under the group's revision name."""

    __tablename__ = "source_group_states"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[bytes] = mapped_column(LargeBinary)


class VerdictCount(Base):
    """How many headline verdicts of each kind the verdicts held at `revision` of the
    `checks` counter: the overview's counts, kept so that a request after a change that
    left the verdicts alone (a new article) does not count millions of rows again."""

    __tablename__ = "verdict_counts"

    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    verdict: Mapped[str] = mapped_column(String(24), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class StoreTotals(Base):
    """How many documents the store holds and how many claims their current versions
    hold, kept up to date by every write that changes either (store.totals): the
    overview and every unfiltered listing show them, and counting them took 55 ms at
    200,000 articles on PostgreSQL, on every first request after a new article. One row."""

    __tablename__ = "store_totals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    documents: Mapped[int] = mapped_column(BigInteger)
    claims: Mapped[int] = mapped_column(BigInteger)


class Revision(Base):
    """A counter per table whose rows are updated in place (`checks`), bumped by every
    write that changes them: what cached answers are keyed on (Store.generation)."""

    __tablename__ = "revisions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
