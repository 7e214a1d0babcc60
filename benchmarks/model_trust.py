"""How far to trust the flow model (issue 15): fit time and convergence over eight seeds,
the published anchors, the headlines' prior sensitivity, contraction against the full
prior, one-step-ahead forecasts against persistence, and recovery of the model as
shipped (published bounds included). About 25 minutes on two cores.

Targets: the default fit under 60 s; every seed passes (R-hat <= 1.01, bulk and tail
ESS >= 400, no divergences); recovery covers the truth in >= 85% of 90% intervals.
`--quick` runs the seeds only; `--scenarios` one fit and the route-choice shares of the
bundled scenarios; `--steps` how fit time grows with the number of yearly steps (what
monthly or quarterly steps would cost).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import record, table
from borderflow.datasets.bundle import reference_files
from borderflow.datasets.importer import import_files
from borderflow.model.anchors import check
from borderflow.model.data import load_model_data
from borderflow.model.fit import FitSettings, Posterior, fit, passes, summary_rows
from borderflow.model.prior_sense import prior_sense
from borderflow.model.recovery import HEADLINES, recover
from borderflow.model.spec import load_spec
from borderflow.model.validation import validate
from borderflow.store import Store

SEEDS = range(1, 9)


def _seeds(spec: object, data: object, cache: str, rows: list[list[str]]) -> Posterior:
    """Eight default fits; the first compiles into an empty cache, the rest reuse it."""
    first: Posterior | None = None
    times, passed = [], 0
    for seed in SEEDS:
        started = time.perf_counter()
        post = fit(spec, data, FitSettings(seed=seed, compile_cache=cache))  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        times.append(seconds)
        d = post.diagnostics
        rows.append([f"default fit, seed {seed}", f"{seconds:.1f} s",
                     f"R-hat {d['max_rhat']:.3f}, ESS bulk {d['min_ess_bulk']:.0f}, "
                     f"tail {d['min_ess_tail']:.0f}, divergences {d['divergences']}, "
                     f"{'pass' if passes(d) else 'FAIL'}"
                     + (" (compile cache empty)" if seed == SEEDS[0] else "")])  # fmt: skip
        first = first or post
    passed = sum(
        1
        for r in rows
        if r[0].startswith("default fit") and r[2].split(", ")[-1].startswith("pass")
    )
    rows.append(["seeds passing", f"{passed} of {len(SEEDS)}",
                 f"median fit {np.median(times[1:]):.1f} s with the compile cache warm; "
                 "4 chains x (1000 + 1000), target_accept 0.95"])  # fmt: skip
    assert first is not None
    return first


def _anchors(post: Posterior, rows: list[list[str]]) -> None:
    for c in check(post):
        a = c.anchor
        span = f"{'' if a.low is None else f'{a.low:g}'}..{'' if a.high is None else f'{a.high:g}'}"
        result = {True: "pass", False: "FAIL", None: "not checked"}[c.passed]
        rows.append([f"anchor {a.id} (FY{a.year}, {a.kind})", result,
                     f"range {span}; model median {c.median:.3g} "
                     f"(90% {c.low:.3g}-{c.high:.3g}); {c.rule}"])  # fmt: skip


def _sensitivity(post: Posterior, rows: list[list[str]]) -> None:
    for s in prior_sense(post):
        moved = (
            f"{s.median_down:.3g} / {s.median_up:.3g} with the prior centres -0.5 / +0.5"
            if s.median_down is not None and s.median_up is not None
            else f"Pareto k {s.khat:.2f}: needs a refit"
        )
        rows.append([f"prior sense: {s.group} -> {s.quantity} {s.item[:2]} FY{s.fy}",
                     f"{s.power:.3f}{' (sensitive)' if s.sensitive else ''}",
                     f"median {s.median:.3g}; {moved}"])  # fmt: skip


def _contraction(post: Posterior, rows: list[list[str]]) -> None:
    year = max(post.fit_years)
    for e in summary_rows(post):
        if (
            e.fy == year
            and e.quantity in ("canada_share", "consumption")
            and e.item[:2] in ("CA", "US")
        ):
            rows.append([f"contraction {e.quantity} {e.item[:2]} FY{year}",
                         f"{e.contraction:.2f}",
                         f"posterior {e.median:.3g} ({e.low:.3g}-{e.high:.3g}) against "
                         f"the full prior {e.prior_low:.3g}-{e.prior_high:.3g}, "
                         "bound included"])  # fmt: skip


def _steps(store: Store, spec: object, cache: str, rows: list[list[str]]) -> None:
    """Default fits over 4 and 7 fiscal years, each timed on its second run (compile cache
    warm): the cost of one more step of every walk."""
    times = {}
    for years in ((2019, 2022), (2019, 2025)):
        data = load_model_data(store, spec, years)  # type: ignore[arg-type]
        for _ in range(2):
            started = time.perf_counter()
            fit(spec, data, FitSettings(seed=1, compile_cache=cache))  # type: ignore[arg-type]
            times[years] = time.perf_counter() - started
        rows.append([f"default fit, FY{years[0]}-{years[1]} ({years[1] - years[0] + 1} steps)",
                     f"{times[years]:.1f} s", "second run, compile cache warm"])  # fmt: skip
    per_step = (times[(2019, 2025)] - times[(2019, 2022)]) / 3
    quarterly = times[(2019, 2025)] + 21 * per_step
    rows.append(["quarterly steps (28), if the cost stayed linear", f"about {quarterly:.0f} s",
                 f"{per_step:.1f} s per step; target for the default fit < 60 s"])  # fmt: skip


def _route_shares(post: Posterior, rows: list[list[str]]) -> None:
    """How much of each bundled scenario's effect on U.S. deaths and Canada's share is
    route-choice judgement rather than fit (the "from route choice" column)."""
    from borderflow.model import scenario as sc

    base = sc.baseline_from(post, draws=1000)
    scenarios = [sc.load_scenario(p, post.spec) for p in sc.bundled_scenarios()]
    started = time.perf_counter()
    outcomes = sc.summarise(sc.run_scenarios(base, [s for s in scenarios if s.changes]), post.spec)
    seconds = time.perf_counter() - started
    wanted = {("deaths", "US"): "U.S. deaths", ("canada_share", "CA of US supply"): "CA share"}
    for o in outcomes:
        label = wanted.get((o.quantity, o.item))
        if o.scenario == "baseline" or label is None or o.change_median is None:
            continue
        share = "none (no change)" if o.route_share is None else f"{o.route_share:.0%}"
        rows.append([f"route-choice share: {o.scenario}, {label}", share,
                     f"change {o.change_median:.3g} ({o.change_low:.3g} to "
                     f"{o.change_high:.3g})"])  # fmt: skip
    rows.append([f"scenarios with route-choice shares ({len(scenarios)} files, 1000 draws)",
                 f"{seconds:.1f} s", "two passes: own and redrawn route choice"])  # fmt: skip


def _forecasts(spec: object, data: object, cache: str, rows: list[list[str]]) -> None:
    started = time.perf_counter()
    checked = validate(spec, data, FitSettings(seed=1, compile_cache=cache),  # type: ignore[arg-type]
                       steps_ahead=(2022, 2023, 2024))  # fmt: skip
    total_model = total_persistence = 0.0
    for year in (2022, 2023, 2024, 2025):
        found = [
            f for f in checked.forecasts
            if f.fy == year and np.isfinite(f.persistence_log_density)
        ]  # fmt: skip
        model = sum(f.log_density for f in found)
        persistence = sum(f.persistence_log_density for f in found)
        total_model += model
        total_persistence += persistence
        rows.append([f"one step ahead: FY{year} from FY2019-{year - 1}",
                     f"LPD model {model:.1f} vs persistence {persistence:.1f}",
                     f"{sum(f.inside for f in found)} of {len(found)} inside the 90% interval; "
                     "CBP cells and, for the last year, both death series"])  # fmt: skip
    diverged = sum(d["divergences"] for _, d in checked.fits)
    rows.append(["one step ahead, FY2022-2025 together",
                 f"LPD model {total_model:.1f} vs persistence {total_persistence:.1f}",
                 f"{len(checked.fits)} fits, {diverged} divergences, "
                 f"{time.perf_counter() - started:.0f} s"])  # fmt: skip


def _recovery(spec: object, data: object, cache: str, rows: list[list[str]]) -> None:
    started = time.perf_counter()
    replicates = 20
    settings = FitSettings(chains=4, warmup=500, draws=500, seed=2, compile_cache=cache)
    result = recover(spec, data, replicates, settings)  # type: ignore[arg-type]
    covered = ", ".join(f"{k} {v:.2f}" for k, v in result.coverage.items())
    headline = float(np.mean([result.coverage[k] for k in HEADLINES]))
    converged = sum(1 for d in result.diagnostics if passes(d))
    rows.append([f"recovery of the shipped model, {replicates} prior draws, 4 x (500 + 500)",
                 f"headline 90% coverage {headline:.2f} (target >= 0.85)",
                 f"{covered}; {converged} of {replicates} refits converged; "
                 f"{time.perf_counter() - started:.0f} s"])  # fmt: skip
    ranks = ", ".join(f"{k} p={result.rank_test(k)[1]:.2f}" for k in result.ranks)
    rows.append(["recovery rank uniformity (chi-square)", ranks,
                 "p below 0.05 would flag a miscalibrated posterior"])  # fmt: skip


def main() -> None:
    quick = "--quick" in sys.argv
    only_scenarios = "--scenarios" in sys.argv
    only_steps = "--steps" in sys.argv
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        import_files(store, reference_files())
        cache = str(Path(tmp) / "jax-cache")
        spec = load_spec()
        data = load_model_data(store, spec, (spec.first_year, spec.last_year))
        if only_steps:
            _steps(store, spec, cache, rows)
            record("Flow model trust: fit time by number of steps "
                   "(benchmarks/model_trust.py --steps)",
                   table(["benchmark", "result", "notes"], rows))  # fmt: skip
            return
        if only_scenarios:
            post = fit(spec, data, FitSettings(seed=1, compile_cache=cache))  # type: ignore[arg-type]
            _route_shares(post, rows)
        else:
            post = _seeds(spec, data, cache, rows)
        if not quick and not only_scenarios:
            _route_shares(post, rows)
            _anchors(post, rows)
            _contraction(post, rows)
            _sensitivity(post, rows)
            _forecasts(spec, data, cache, rows)
            _recovery(spec, data, cache, rows)
    title = "Flow model trust (benchmarks/model_trust.py)"
    if only_scenarios:
        title = ("Flow model trust: route-choice shares beside scenario results "
                 "(benchmarks/model_trust.py --scenarios)")  # fmt: skip
    record(title, table(["benchmark", "result", "notes"], rows))


if __name__ == "__main__":
    main()
