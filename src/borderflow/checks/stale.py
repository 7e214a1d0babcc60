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
    settle_versions,
    sources_released_after,
    stale_generations,
)


def settle_new_data(store: Store, generation: str) -> int:
    """Mark up to date the stale documents that the data added since the last run cannot
    change; returns how many documents were marked. The caller records the newest release
    of this run afterwards (`record_checked_release`)."""
    earlier = stale_generations(store, generation)
    mark = checked_release(store)
    if len(earlier) != 1 or not mark:
        return 0
    [old] = earlier
    if store.data_generation(upto_release=mark) != old:
        return 0
    measures: set[str] = set()
    for name in sources_released_after(store, mark):
        try:
            measures |= registry.source(name).judges
        except QueryError:  # a source this version does not know: settle nothing
            return 0
    return settle_versions(store, old, generation, measures)
