"""Revision counters for tables whose rows change in place (the verdicts): a write that
changes rows bumps its table's counter in the same transaction, and cached answers are
keyed on the counters (Store.generation)."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Connection, Table, insert, select, update

from borderflow.store.schema import Revision

REVISIONS = cast(Table, Revision.__table__)


def bump(conn: Connection, name: str) -> None:
    """Add one to a revision counter, creating it at 1."""
    done = conn.execute(
        update(REVISIONS).where(REVISIONS.c.name == name).values(value=REVISIONS.c.value + 1)
    ).rowcount
    if not done:
        conn.execute(insert(REVISIONS).values(name=name, value=1))


def revision(conn: Connection, name: str) -> int:
    """A counter's value; 0 for one never bumped."""
    return int(conn.scalar(select(REVISIONS.c.value).where(REVISIONS.c.name == name)) or 0)


def set_revision(conn: Connection, name: str, value: int) -> None:
    """Set a counter (one that records a position, such as the newest release checked)."""
    done = conn.execute(
        update(REVISIONS).where(REVISIONS.c.name == name).values(value=value)
    ).rowcount
    if not done:
        conn.execute(insert(REVISIONS).values(name=name, value=value))
