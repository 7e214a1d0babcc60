"""NUTS chains run in worker processes.

Chains are split across processes (one per core by default) so a fit uses the whole
machine. Each worker is a fresh interpreter that configures XLA before importing JAX:
the classic CPU runtime evaluates this small model's gradient about three times faster
than the thunk runtime (benchmarks/RESULTS.md). Nothing here imports JAX in the caller.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

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


# Quantities whose prior spread is reported next to the posterior's (contraction).
PRIOR_SITES = (
    "canada_share", "canada_share_attempted", "consumption", "flow", "detection", "purity",
    "production", "expected_seized_kg",
)  # fmt: skip


def _configure() -> None:
    """Runs first in each worker, before JAX is imported there."""
    os.environ["XLA_FLAGS"] = XLA_FLAGS
    os.environ.setdefault("JAX_PLATFORMS", "cpu")


def run_chains(job: ChainJob) -> list[dict[str, Any]]:
    """Sample `job.chains` chains for each dataset; the compiled sampler is reused."""
    import functools

    import jax
    from numpyro.infer import MCMC, NUTS

    from borderflow.model.flows import flow_model
    from borderflow.model.structure import Structure

    spec = spec_from_text(job.spec_text, job.spec_name)
    for kind, factor in job.prior_scale:
        spec = spec.with_scaled_sd(kind, factor)
    structure = Structure.of(spec)
    model = functools.partial(flow_model, structure, job.years, anchors=job.anchors)
    kernel = NUTS(model, target_accept_prob=job.target_accept, dense_mass=True)
    mcmc = MCMC(
        kernel,
        num_warmup=job.warmup,
        num_samples=job.draws,
        num_chains=job.chains,
        chain_method="sequential",
        progress_bar=False,
        jit_model_args=True,
    )
    results = []
    for i, inputs in enumerate(job.inputs):
        started = time.perf_counter()
        mcmc.run(
            jax.random.PRNGKey(job.seed + 7919 * i),
            {k: jax.numpy.asarray(v) for k, v in inputs.items()},
            extra_fields=("diverging", "energy", "num_steps"),
        )
        samples = {k: np.asarray(v) for k, v in mcmc.get_samples(group_by_chain=True).items()}
        extra = {k: np.asarray(v) for k, v in mcmc.get_extra_fields(group_by_chain=True).items()}
        results.append(
            {"samples": samples, "extra": extra, "seconds": time.perf_counter() - started}
        )
    if job.prior_draws:
        from numpyro.infer import Predictive

        # The structural prior: numpyro.factor terms (the consumption anchor) do not
        # enter prior predictive draws.
        draws = Predictive(model, num_samples=job.prior_draws)(
            jax.random.PRNGKey(job.seed + 1),
            {k: jax.numpy.asarray(v) for k, v in job.inputs[0].items()},
        )
        results[0]["prior"] = {k: np.asarray(v) for k, v in draws.items() if k in PRIOR_SITES}
    return results


def split_job(job: ChainJob, workers: int) -> list[ChainJob]:
    """`job`'s chains shared out over at most `workers` jobs, each with its own seed and
    every other setting (the anchors among them) unchanged."""
    workers = max(1, min(workers, job.chains))
    split = [job.chains // workers + (1 if i < job.chains % workers else 0) for i in range(workers)]
    return [
        replace(
            job, chains=n, seed=job.seed * 1000 + i, prior_draws=job.prior_draws if i == 0 else 0
        )
        for i, n in enumerate(split)
    ]


def sample(job: ChainJob, workers: int) -> list[dict[str, Any]]:
    """Run `job` with its chains split over `workers` processes; chain results are
    concatenated in a fixed order so the same seed gives the same draws."""
    jobs = split_job(job, workers)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(jobs), mp_context=context, initializer=_configure) as pool:
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
