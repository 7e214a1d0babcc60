"""Named random streams: distinct for every use, the same for the same seed everywhere."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from borderflow.model import seeds

SEEDS = (0, 1, 2, 3, 5, 14, 1000, 1001, 7919, 2**32, 2**63 + 1)


def _every_key() -> dict[tuple[object, ...], tuple[int, ...]]:
    """The JAX key words of every stream for several seeds: chains of several datasets,
    and the per-scenario and per-dataset indices a caller might add."""
    keys: dict[tuple[object, ...], tuple[int, ...]] = {}
    for seed in SEEDS:
        for stream in seeds.STREAMS:
            if stream == "chain":
                index_sets: list[tuple[int, ...]] = [(d, c) for d in range(3) for c in range(8)]
            else:
                index_sets = [(), (1,), (2, 3)]
            for indices in index_sets:
                keys[seed, stream, *indices] = tuple(
                    int(w) for w in seeds.key_data(seed, stream, *indices)
                )
    return keys


def test_streams_never_collide() -> None:
    keys = _every_key()
    assert len(set(keys.values())) == len(keys)
    # The old arithmetic gave, for seed 0, worker 1's chains PRNGKey(0 * 1000 + 1) and the
    # prior draws PRNGKey(0 + 1): the same key. Now they are different streams.
    chains = {keys[0, "chain", d, c] for d in range(3) for c in range(8)}
    assert keys[0, "prior_draws"] not in chains
    # Seed 0 everywhere (the default) must still give unrelated NumPy streams.
    firsts = {s: seeds.generator(0, s).random(4).tobytes() for s in seeds.STREAMS}
    assert len(set(firsts.values())) == len(seeds.STREAMS)
    # A scenario seed equal to the baseline seed no longer repeats the baseline's draws.
    assert not np.array_equal(
        seeds.generator(14, "baseline").random(8), seeds.generator(14, "levers").random(8)
    )


def test_same_seed_same_draws() -> None:
    for stream in seeds.STREAMS:
        first = seeds.generator(7, stream, 1).standard_normal(16)
        np.testing.assert_array_equal(first, seeds.generator(7, stream, 1).standard_normal(16))
    key = seeds.key_data(3, "chain", 0, 2)
    np.testing.assert_array_equal(key, seeds.key_data(3, "chain", 0, 2))


def test_keys_are_stable_across_runs_and_machines() -> None:
    # Pinned words: a reordered STREAMS tuple, or a derivation that used Python's
    # hash(), would change them (and every stored fit's draws).
    script = (
        "import sys; from borderflow.model import seeds; "
        "print(*seeds.key_data(0, 'chain', 0, 1), *seeds.key_data(5, 'prior_draws')); "
        "print('jax' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": "random"},
    ).stdout.split("\n")  # fmt: skip
    words = [int(w) for w in out[0].split()]
    here = [*seeds.key_data(0, "chain", 0, 1), *seeds.key_data(5, "prior_draws")]
    assert words == [int(w) for w in here]
    assert words == PINNED
    assert out[1] == "False", "asking for NumPy streams or key words must not import JAX"


PINNED = [1745761672, 3562034224, 3060604704, 1975673727]


def test_jax_keys_work_like_prngkey() -> None:
    import jax

    key = seeds.jax_key(3, "prior_draws")
    reference = jax.random.PRNGKey(3)
    assert key.shape == reference.shape and key.dtype == reference.dtype
    np.testing.assert_array_equal(np.asarray(key), seeds.key_data(3, "prior_draws"))
    assert np.isfinite(float(jax.random.normal(key)))
    batch = seeds.chain_keys(3, 0, range(2, 5))
    assert batch.shape == (3, 2)
    np.testing.assert_array_equal(np.asarray(batch[1]), seeds.key_data(3, "chain", 0, 3))


def test_bad_streams_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown random stream"):
        seeds.generator(0, "chains")
    with pytest.raises(ValueError, match="non-negative"):
        seeds.generator(-1, "baseline")
    with pytest.raises(ValueError, match="at most 2 indices"):
        seeds.key_data(0, "chain", 1, 2, 3)
