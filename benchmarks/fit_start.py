"""What a fit spends before its chains sample: three fits of the bundled series in a row,
with one new compile cache. The first starts cold; the second uses another seed, as a
user's next fit would; the third repeats the first seed. Each fit's wall time is given
with the part spent in the slowest worker's run of its chains (numpyro's set-up, the
compiling of its loop and the sampling); the rest is starting the worker processes,
importing, the prior draws and saving the run.

Until 2026-12-01 numpyro's loop wrote each chain's starting state into the compiled
program, so every chain compiled its own, and a cache could not serve a new seed
(sampler._mcmc).

Run: `.venv/bin/python benchmarks/fit_start.py [--workers N] [--chains N] [--draws N]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import record, table
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.model.api import fit_model
from borderflow.model.fit import FitSettings
from borderflow.store import Store


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--draws", type=int, default=500, help="warm-up and draws per chain (default 500)"
    )
    parser.add_argument("--chains", type=int, default=4, help="chains (default 4)")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "compiled"
        store = Store.open(f"sqlite:///{tmp}/fit.db")
        _, errors = import_files(store, reference_files())
        assert not errors, errors
        for label, seed in (("cold cache", 1), ("warm cache, new seed", 2), ("same seed", 1)):
            settings = FitSettings(
                chains=args.chains, warmup=args.draws, draws=args.draws, seed=seed,
                workers=args.workers, compile_cache=str(cache),
            )  # fmt: skip
            started = time.perf_counter()
            _, posterior = fit_model(store, settings=settings)
            wall = time.perf_counter() - started
            chains = float(posterior.diagnostics["sampling_seconds"])
            rows.append([label, str(seed), f"{wall:.1f}", f"{chains:.1f}"])
            print(rows[-1], flush=True)
    body = table(["fit", "seed", "wall s", "the chains' run s"], rows)
    note = (
        f"\n\n{args.chains} chains over {args.workers} worker processes, {args.draws} warm-up"
        f" iterations and {args.draws} draws each, the bundled series, one new compile cache."
    )
    record("What a fit spends before sampling (benchmarks/fit_start.py)", body + note)


if __name__ == "__main__":
    main()
