"""What the stored verdicts were computed from, so that new data re-check only the claims
they can change.

Each document version records the data generation it was checked against
(`Store.data_generation`), and the store records the newest release the last check run
knew of. New releases then tell which sources changed; the documents none of whose claims
those sources judge are marked up to date without being checked again. Anything other than
releases added since (a release replaced or removed, another model fit, a run that stopped
part-way between two imports) is left for the full re-check of the stale documents.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from sqlalchemy import Table, exists, func, select
from sqlalchemy import update as sql_update

from borderflow.store import Store
from borderflow.store.revisions import revision, set_revision
from borderflow.store.schema import ClaimRow, DocumentVersion, Release

_CHECKED_RELEASE = "checked_release"
CLAIMS = cast(Table, ClaimRow.__table__)
VERSIONS = cast(Table, DocumentVersion.__table__)


def newest_release(store: Store) -> int:
    """The id of the newest release held (0 for none)."""
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.max(Release.id))) or 0)


def checked_release(store: Store) -> int:
    """The newest release the last check run knew of (0: never recorded)."""
    with store.engine.connect() as conn:
        return revision(conn, _CHECKED_RELEASE)


def record_checked_release(store: Store, release_id: int) -> None:
    with store.write() as conn:
        set_revision(conn, _CHECKED_RELEASE, release_id)


def sources_released_after(store: Store, release_id: int) -> set[str]:
    """The sources with a release newer than `release_id`."""
    with store.engine.connect() as conn:
        return set(conn.scalars(select(Release.source).where(Release.id > release_id).distinct()))


def stale_generations(store: Store, current: str) -> set[str]:
    """The data generations, other than `current`, that current documents were checked
    against."""
    query = (
        select(VERSIONS.c.checked_generation)
        .where(
            VERSIONS.c.is_current,
            VERSIONS.c.checked_generation.is_not(None),
            VERSIONS.c.checked_generation != current,
        )
        .distinct()
    )
    with store.engine.connect() as conn:
        return set(conn.scalars(query))


def settle_versions(store: Store, old: str, new: str, measures: Collection[str]) -> int:
    """Mark as checked against `new` the current versions checked against `old` that have
    no claim of `measures` (what the changed data can judge); returns how many."""
    judged = exists().where(
        CLAIMS.c.version_id == VERSIONS.c.id, CLAIMS.c.measure.in_(sorted(measures))
    )
    settled = sql_update(VERSIONS).where(
        VERSIONS.c.is_current, VERSIONS.c.checked_generation == old
    )
    if measures:
        settled = settled.where(~judged)
    with store.write() as conn:
        return int(conn.execute(settled.values(checked_generation=new)).rowcount or 0)
