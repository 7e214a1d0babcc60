"""How a fit's chains are shared out over worker processes."""

from __future__ import annotations

from dataclasses import fields

from borderflow.model.sampler import ChainJob, split_job
from borderflow.model.spec import default_spec_text


def _job(**changes: object) -> ChainJob:
    settings: dict[str, object] = {
        "spec_text": default_spec_text(), "spec_name": "network.yaml", "years": (2019, 2020),
        "inputs": ({},), "chains": 4, "warmup": 10, "draws": 10, "seed": 3,
        "target_accept": 0.9, "anchors": True,
    }  # fmt: skip
    settings.update(changes)
    return ChainJob(**settings)  # type: ignore[arg-type]


def test_every_chain_runs_once_with_its_own_seed() -> None:
    for chains, workers in [(4, 2), (5, 2), (1, 2), (3, 8)]:
        jobs = split_job(_job(chains=chains), workers)
        assert sum(j.chains for j in jobs) == chains
        assert len(jobs) == min(chains, workers)
        assert len({j.seed for j in jobs}) == len(jobs)


def test_split_keeps_every_other_setting() -> None:
    # Recovery fits run without the consumption anchor; a split that dropped the flag
    # would quietly fit every simulated dataset with it.
    job = _job(anchors=False, target_accept=0.95, warmup=7)
    for part in split_job(job, 2):
        for f in fields(ChainJob):
            if f.name not in ("chains", "seed"):
                assert getattr(part, f.name) == getattr(job, f.name), f.name
