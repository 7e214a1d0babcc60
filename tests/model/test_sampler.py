"""How a fit's chains are shared out over worker processes."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from borderflow.model import seeds
from borderflow.model.data import load_model_data, model_inputs
from borderflow.model.sampler import ChainJob, sample, split_job
from borderflow.model.spec import default_spec_text, load_spec
from borderflow.store import Store

pytestmark = pytest.mark.long  # scheduled first (tests/conftest.py)


def _job(**changes: object) -> ChainJob:
    settings: dict[str, object] = {
        "spec_text": default_spec_text(), "spec_name": "network.yaml", "years": (2019, 2020),
        "inputs": ({},), "chains": 4, "warmup": 10, "draws": 10, "seed": 3,
        "target_accept": 0.9, "anchors": True,
    }  # fmt: skip
    settings.update(changes)
    return ChainJob(**settings)  # type: ignore[arg-type]


def _numbers(job: ChainJob) -> list[int]:
    return list(range(job.first_chain, job.first_chain + job.chains))


def test_every_chain_runs_once_with_its_own_key() -> None:
    for chains, workers in [(4, 2), (5, 2), (1, 2), (3, 8)]:
        jobs = split_job(_job(chains=chains), workers)
        assert sum(j.chains for j in jobs) == chains
        assert len(jobs) == min(chains, workers)
        # Chain numbers, hence keys, are shared out in order: none twice, none left out.
        assert [c for j in jobs for c in _numbers(j)] == list(range(chains))
        keys = {tuple(seeds.key_data(j.seed, "chain", 0, c)) for j in jobs for c in _numbers(j)}
        assert len(keys) == chains


def test_split_keeps_every_other_setting() -> None:
    # Recovery fits run without the consumption anchor; a split that dropped the flag
    # would quietly fit every simulated dataset with it. The seed survives too: chains
    # differ by their numbers, not by a seed changed per worker.
    job = _job(anchors=False, target_accept=0.95, warmup=7)
    for part in split_job(job, 2):
        for f in fields(ChainJob):
            if f.name not in ("chains", "first_chain"):
                assert getattr(part, f.name) == getattr(job, f.name), f.name


def test_only_the_first_worker_draws_the_prior() -> None:
    jobs = split_job(_job(chains=4, prior_draws=8), 2)
    assert [j.prior_draws for j in jobs] == [8, 0]


def test_same_draws_whatever_the_number_of_workers(
    store: Store, capfd: pytest.CaptureFixture[str]
) -> None:
    # Three short chains: one worker runs all three in turn; two workers run chains
    # 0-1 and chain 2 (alone, with a single key). The draws must not notice.
    spec = load_spec()
    data = load_model_data(store, spec, (2019, 2021))
    job = ChainJob(
        spec.text, spec.source_name, data.years, (model_inputs(data),), chains=3, warmup=30,
        draws=15, seed=0, target_accept=0.8, prior_draws=10, max_tree_depth=5,
    )  # fmt: skip
    [one] = sample(job, 1)
    [two] = sample(job, 2)
    # The workers run numpyro's loop that reports progress (sampler._mcmc); nothing of
    # it may reach the terminal of the command that started them.
    printed = capfd.readouterr().err
    assert "it/s" not in printed and "s/it" not in printed, printed[-500:]
    assert one["samples"].keys() == two["samples"].keys()
    for name, values in one["samples"].items():
        assert values.shape[:2] == (3, 15)
        np.testing.assert_array_equal(values, two["samples"][name], err_msg=name)
    for name, values in one["extra"].items():
        np.testing.assert_array_equal(values, two["extra"][name], err_msg=name)
    for name, values in one["prior"].items():
        np.testing.assert_array_equal(values, two["prior"][name], err_msg=name)
    # Three chains from three keys: no two chains are the same walk.
    flow = one["samples"]["flow"]
    assert not np.array_equal(flow[0], flow[1]) and not np.array_equal(flow[1], flow[2])
