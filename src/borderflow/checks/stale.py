"""New data re-check only the claims they can change.

When releases were only added since the last run (no release replaced or removed, the
same model fit), the documents checked against the data before them need checking again
only if they hold a claim of a kind the new releases' sources judge (`Source.judges`: a
new CBP release re-checks seizure and share figures, not death counts). The others are
marked as checked against the new data as they stand. Anything else, and documents
checked against two different earlier generations (a run stopped between two imports),
falls back to checking every stale document.
"""

from __future__ import annotations

from borderflow.datasets import registry
from borderflow.errors import QueryError
from borderflow.store import Store
from borderflow.store.data_state import (
    checked_release,
    newest_release,
    record_checked_release,
    settle_versions,
    sources_released_after,
    stale_generations,
)


def settle_new_data(store: Store, generation: str) -> int:
    """Mark up to date the stale documents that the data added since the last run cannot
    change, and record the newest release this run knows of; returns how many documents
    were marked. Reads the newest release after `generation` was read, so a release
    stored in between makes the next run fall back to the full re-check, never skip one."""
    newest = newest_release(store)
    settled = 0
    earlier = stale_generations(store, generation)
    mark = checked_release(store)
    if len(earlier) == 1 and mark:
        [old] = earlier
        if store.data_generation(upto_release=mark) == old:
            changed = sources_released_after(store, mark)
            measures = {m for name in changed for m in _judged_by(name)}
            settled = settle_versions(store, old, generation, measures)
    record_checked_release(store, newest)
    return settled


def _judged_by(name: str) -> frozenset[str]:
    """What the source called `name` judges; a source no longer registered is assumed to
    judge everything its release could have been read for."""
    try:
        return registry.source(name).judges
    except QueryError:  # an unknown name must never skip a re-check
        return frozenset({"seizure", "share", "deaths"})
