"""NUTS chains run in worker processes.

Chains are split across processes (one per core by default) so a fit uses the whole
machine. Each worker is a fresh interpreter that configures XLA before importing JAX:
the classic CPU runtime evaluates this small model's gradient about three times faster
than the thunk runtime (benchmarks/RESULTS.md). Nothing here imports JAX in the caller.

Every chain has its own key, derived from the fit's seed, the dataset and the chain's
number (seeds.py); a worker runs its chains one after another from those keys. So the
same seed gives the same draws whether the chains run in one process or in several.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from borderflow.model import seeds
from borderflow.model.spec import spec_from_text

XLA_FLAGS = "--xla_cpu_use_thunk_runtime=false --xla_force_host_platform_device_count=1"


@dataclass(frozen=True, slots=True)
class ChainJob:
    spec_text: str
    spec_name: str
    years: tuple[int, ...]
    inputs: tuple[dict[str, np.ndarray], ...]  # one per dataset (recovery runs several)
    chains: int
    warmup: int
    draws: int
    seed: int
    target_accept: float
    anchors: bool = True
    # (kind, factor): prior sds scaled before fitting (the sensitivity check).
    prior_scale: tuple[tuple[str, float], ...] = ()
    prior_draws: int = 0  # also draw this many times from the prior (the first worker)
    first_chain: int = 0  # this job's chains are numbers first_chain, first_chain + 1, ...
    compile_cache: str = ""  # folder for XLA's compiled programs ("" keeps none)
    max_tree_depth: int = 10


# Quantities whose prior spread is reported next to the posterior's (contraction).
PRIOR_SITES = (
    "canada_share", "canada_share_attempted", "consumption", "flow", "detection", "purity",
    "production", "expected_seized_kg",
)  # fmt: skip


def _configure(compile_cache: str = "") -> None:
    """Runs first in each worker, before JAX is imported there. With a compile cache
    folder, XLA keeps every compiled program there, down to the hundreds of small ones
    the sampler's set-up runs op by op, so a later fit of the same model in a new worker
    starts in half the time (benchmarks/RESULTS.md)."""
    os.environ["XLA_FLAGS"] = XLA_FLAGS
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    if compile_cache:
        os.environ["JAX_COMPILATION_CACHE_DIR"] = compile_cache
    # The sampler's loop runs one compiled step per iteration (see `_mcmc`); numpyro
    # reports those steps through tqdm, which a worker must keep off the caller's terminal.
    os.environ["TQDM_DISABLE"] = "1"
    if os.environ.get("JAX_COMPILATION_CACHE_DIR"):
        os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
        os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")


def _mcmc(job: ChainJob) -> tuple[Any, Any]:
    """(MCMC, model) for `job`'s spec, scaled priors and anchors. Sequential chains in
    one process: the worker is the unit of parallelism, and a chain run alone or after
    another is the same computation from the same key.

    One compiled step, run once per iteration, serves every chain. numpyro's loop
    without a progress bar (0.18-0.21; 0.22 needs a newer jax than ours) compiles the
    whole run with the chain's starting state written into the program as constants, so
    each chain compiled its own copy (10 s each on this 2-core machine), and the compile
    cache could never serve another chain, seed or fit. The per-iteration path takes the
    state as an argument; its bar is kept silent in the worker (`_configure`). A call per
    iteration costs nothing measurable here: 900 compiled iterations took 5.7-6.7 s this
    way, 7.8-10.8 s the fused way (benchmarks/RESULTS.md)."""
    import functools

    from numpyro.infer import MCMC, NUTS, init_to_median

    from borderflow.model.flows import flow_model
    from borderflow.model.structure import Structure

    spec = spec_from_text(job.spec_text, job.spec_name)
    for kind, factor in job.prior_scale:
        spec = spec.with_scaled_sd(kind, factor)
    structure = Structure.of(spec)
    model = functools.partial(flow_model, structure, job.years, anchors=job.anchors)
    # Chains start near the prior median (of 15 prior draws, a different 15 for each chain's
    # key), not anywhere in (-2, 2) on the sampled scale: from log flow 0 (1 kg where the
    # prior says 1,000) one chain in 32 never found the posterior within its warm-up.
    kernel = NUTS(
        model,
        target_accept_prob=job.target_accept,
        dense_mass=True,
        max_tree_depth=job.max_tree_depth,
        init_strategy=init_to_median(num_samples=15),
    )
    mcmc = MCMC(
        kernel,
        num_warmup=job.warmup,
        num_samples=job.draws,
        num_chains=job.chains,
        chain_method="sequential",
        progress_bar=True,
        jit_model_args=True,
    )
    return mcmc, model


def run_chains(job: ChainJob) -> list[dict[str, Any]]:
    """Sample `job.chains` chains for each dataset; one compiled step serves them all
    (the data is an argument of the step, not a constant in it)."""
    import jax

    mcmc, model = _mcmc(job)
    numbers = range(job.first_chain, job.first_chain + job.chains)
    results = []
    for i, inputs in enumerate(job.inputs):
        started = time.perf_counter()
        keys = seeds.chain_keys(job.seed, i, numbers)
        # numpyro takes a batch of keys, one per chain, only when there are several.
        mcmc.run(
            keys if job.chains > 1 else keys[0],
            {k: jax.numpy.asarray(v) for k, v in inputs.items()},
            extra_fields=("diverging", "energy", "num_steps"),
        )
        samples = {k: np.asarray(v) for k, v in mcmc.get_samples(group_by_chain=True).items()}
        extra = {k: np.asarray(v) for k, v in mcmc.get_extra_fields(group_by_chain=True).items()}
        results.append(
            {"samples": samples, "extra": extra, "seconds": time.perf_counter() - started}
        )
    if job.prior_draws:
        results[0]["prior"] = _prior_draws(job, model)
    return results


def _prior_draws(job: ChainJob, model: Any) -> dict[str, np.ndarray]:
    """The structural prior of the quantities in PRIOR_SITES, for contraction: the
    numpyro.factor terms (the published consumption bound) do not enter prior predictive draws."""
    import jax
    from numpyro.infer import Predictive

    draws = Predictive(model, num_samples=job.prior_draws)(
        seeds.jax_key(job.seed, "prior_draws"),
        {k: jax.numpy.asarray(v) for k, v in job.inputs[0].items()},
    )
    return {k: np.asarray(v) for k, v in draws.items() if k in PRIOR_SITES}


def split_job(job: ChainJob, workers: int) -> list[ChainJob]:
    """`job`'s chains shared out over at most `workers` jobs as consecutive runs of chain
    numbers, each job with the same seed and every other setting (the anchors among
    them) unchanged; the prior is drawn once, by the first."""
    workers = max(1, min(workers, job.chains))
    split = [job.chains // workers + (1 if i < job.chains % workers else 0) for i in range(workers)]
    starts = [job.first_chain + sum(split[:i]) for i in range(workers)]
    return [
        replace(job, chains=n, first_chain=start, prior_draws=job.prior_draws if i == 0 else 0)
        for i, (n, start) in enumerate(zip(split, starts, strict=True))
    ]


def sample(job: ChainJob, workers: int) -> list[dict[str, Any]]:
    """Run `job` with its chains split over `workers` processes; chain results are
    concatenated in chain-number order, so the same seed gives the same draws whatever
    the number of workers."""
    jobs = split_job(job, workers)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        len(jobs), mp_context=context, initializer=_configure, initargs=(job.compile_cache,)
    ) as pool:
        parts = list(pool.map(run_chains, jobs))
    merged = []
    for d in range(len(job.inputs)):
        pieces = [part[d] for part in parts]
        merged.append(
            {
                "samples": {
                    k: np.concatenate([p["samples"][k] for p in pieces])
                    for k in pieces[0]["samples"]
                },
                "extra": {
                    k: np.concatenate([p["extra"][k] for p in pieces]) for k in pieces[0]["extra"]
                },
                "seconds": max(p["seconds"] for p in pieces),
                "prior": pieces[0].get("prior", {}),
            }
        )
    return merged
