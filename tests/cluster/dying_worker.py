"""Preloaded by one test's Dask worker (`dask worker --preload dying_worker.py`): the
worker exits, as if killed, the moment it has finished its first ingest batch, that is
after the batch is stored and before the scheduler hears of it. The scheduler then runs
the batch again on another worker: the case a retry must survive without duplicates."""

from __future__ import annotations

import os
from typing import Any

from distributed import Worker
from distributed.diagnostics.plugin import WorkerPlugin


class DieAfterFirstBatch(WorkerPlugin):
    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        if finish == "memory" and str(key).startswith("ingest_batch"):
            os._exit(9)


async def dask_setup(worker: Worker) -> None:
    await worker.plugin_add(DieAfterFirstBatch(), name="die-after-first-batch")
