"""`check --scheduler`: the batches of a check run on a Dask cluster's workers.

The client plans the run (agreement between sources needs every seizure claim at once, so
it is judged here) and tidies up after it; each batch of documents is checked by a worker
that reads what it needs from the store and writes the verdicts that changed. A batch run
twice (its worker died after writing) writes nothing the second time.
"""

from __future__ import annotations

from collections import deque

from distributed import Client, Future

from borderflow.checks.runner import (
    BATCH_DOCUMENTS,
    CheckPlan,
    CheckRun,
    check_range,
    finish_check,
    plan_check,
)
from borderflow.cluster.client import connected, finished, outcome
from borderflow.errors import BorderflowError
from borderflow.store import Store

# A batch that failed for other reasons than a dead worker is tried this many times more.
RETRIES = 2


def check_batch(
    database_url: str, busy_seconds: float, first: int, last: int, plan: CheckPlan
) -> CheckRun:
    """Runs on a worker: check documents `first` to `last` as the plan says, with the
    store opened for this batch alone (the official data are read again by each batch:
    nothing is kept for the next task)."""
    with Store.open(database_url, busy_seconds=busy_seconds) as store:
        return check_range(store, first, last, plan)


def check_on_cluster(
    store: Store,
    scheduler: str,
    database_url: str,
    *,
    everything: bool = False,
    batch_documents: int = BATCH_DOCUMENTS,
) -> CheckRun:
    """`run_and_store` with its batches on the Dask cluster at `scheduler`; `store` is
    the PostgreSQL store at `database_url`, which every worker must reach. A batch that
    fails even when tried again stops the run with an error: the batches done are stored,
    and the next check does the rest."""
    with connected(scheduler, database_url) as client:
        plan = plan_check(store, everything=everything, batch_documents=batch_documents)

        def submit(client: Client, batch: tuple[int, int]) -> Future[CheckRun]:
            first, last = batch
            return client.submit(
                check_batch, database_url, store.busy_seconds, first, last, plan,
                retries=RETRIES, pure=False,
            )  # fmt: skip

        parts: list[CheckRun] = []
        for (first, last), future in finished(client, submit, deque(plan.ranges)):
            got = outcome(future)
            if isinstance(got, BaseException):
                raise BorderflowError(
                    f"the cluster could not check documents {first} to {last} "
                    f"({type(got).__name__}: {got}); the batches checked are stored, and "
                    "`borderflow check` run again does the rest"
                )
            parts.append(got)
    return finish_check(store, plan, parts)
