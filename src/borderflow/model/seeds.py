"""Every random stream in the model, derived from a user's seed in one place.

Ad hoc arithmetic on seeds (seed + 1 here, seed * 1000 + i there) lets two jobs that
should be independent draw the same numbers: with seed 0 a second worker's chains started
from the key the prior draws used. Each use therefore gets a named stream, and its seed is
numpy's SeedSequence of (user seed, stream index, up to two indices such as dataset and
chain). A SeedSequence hashes all of these together, so no two streams or indices share
state, and the result depends on nothing but integers: the same seed gives the same draws
on any machine and in any process (Python's `hash()` of a name would not).

JAX is imported only when a JAX key is asked for, so the command line never loads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

# The position of a name in this tuple is part of every seed derived for it: append new
# streams at the end, never reorder or remove one, or every stored result changes draws.
STREAMS = (
    "chain",  # NUTS chains: indices (dataset, chain)
    "prior_draws",  # prior predictive draws beside a fit
    "recovery_truths",  # prior draws the recovery check takes as truths
    "recovery_noise",  # observation noise simulated around those truths
    "baseline",  # thinning of posterior draws and the scenario baseline's own priors
    "levers",  # a scenario file's random lever sizes (keyed by the file's seed)
    "forecasts",  # predictive draws scoring held-out years
    "predictions",  # predictive draws of every cell-year's seizures
    "sweep_design",  # Sobol or Latin-hypercube design rows
    "sweep_bootstrap",  # resamples behind the Sobol indices' confidence intervals
    "prior_reweighting",  # resampling prior draws by the published bounds
    "recovery_reweighting",  # resampling the recovery truths by the published bounds
    "anchor_predictions",  # predictive draws the anchors compare seizure figures with
    "route_share",  # route-choice parameters redrawn to apportion a scenario's spread
)
# Every spawn key has the same length, so (stream, i) never reads as (stream, i, 0).
INDICES = 2


def sequence(seed: int, stream: str, *indices: int) -> np.random.SeedSequence:
    """The SeedSequence of `stream` (with `indices`, e.g. dataset and chain) under `seed`."""
    if stream not in STREAMS:
        raise ValueError(f"unknown random stream {stream!r}; one of {', '.join(STREAMS)}")
    if len(indices) > INDICES:
        raise ValueError(f"at most {INDICES} indices per stream, got {len(indices)}")
    if seed < 0 or any(i < 0 for i in indices):
        raise ValueError("seeds and stream indices are non-negative integers")
    padded = (*indices, *(0,) * (INDICES - len(indices)))
    return np.random.SeedSequence(int(seed), spawn_key=(STREAMS.index(stream), *padded))


def generator(seed: int, stream: str, *indices: int) -> np.random.Generator:
    """A NumPy generator for `stream`; a fresh one per call, so callers that want the same
    draws twice (each scenario, each outcome's bootstrap) just ask again."""
    return np.random.default_rng(sequence(seed, stream, *indices))


def key_data(seed: int, stream: str, *indices: int) -> np.ndarray:
    """The two uint32 words of a JAX key for `stream`, as NumPy (no JAX needed)."""
    return sequence(seed, stream, *indices).generate_state(2, np.uint32)


def jax_key(seed: int, stream: str, *indices: int) -> Any:
    """A key shaped and typed like `jax.random.PRNGKey(n)` (uint32[2], threefry)."""
    import jax.numpy as jnp

    return jnp.asarray(key_data(seed, stream, *indices))


def chain_keys(seed: int, dataset: int, chains: Iterable[int]) -> Any:
    """Keys [len(chains), 2] for the given chain numbers of one dataset. A chain's key
    depends on its number alone, not on which worker runs it or beside which others, so
    the draws do not change with the number of worker processes."""
    import jax.numpy as jnp

    return jnp.asarray(np.stack([key_data(seed, "chain", dataset, c) for c in chains]))
