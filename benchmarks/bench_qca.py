"""Time the QCA engine on seeded random truth tables (8-16 conditions).

Tables follow the research note's protocol (qca-peers, section 7): one case
per observed configuration, drawn without replacement from the 2**k
configurations; outcome = A*B + C*~D + E*F*G, with a share of outcomes
flipped ("noise"); "sparse" = 120 cases, "dense" = 2**k / 4 cases; numpy's
default generator seeded with 100000*k + 10*noise% + (1 if dense); crisp
truth table with consistency_cutoff 1. The tables are simulated, for timing
only. Each timing is the best (minimum) of ``--repeat`` runs (default 3), the
usual way to read a wall-clock time on a machine shared with other jobs.
Usage: ``python benchmarks/bench_qca.py [--quick] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings

import numpy as np
import pandas as pd

from coanalysis import qca
from coanalysis.qca._boolean import prime_implicants, solve_chart
from coanalysis.qca.simulate import CONDITION_NAMES, simulated_crisp_data

NAMES = list(CONDITION_NAMES)


def run(k: int, dense: bool, noise: int, solution: str, max_models: int) -> dict:
    df = simulated_crisp_data(k, dense=dense, noise_percent=noise)
    t0 = time.perf_counter()
    tt = qca.truth_table(df, outcome="Y", conditions=NAMES[:k], consistency_cutoff=1)
    t1 = time.perf_counter()
    on = tt.configurations("1")
    off = tt.configurations("0") if solution == "parsimonious" else None
    masks, values = prime_implicants(k, on, off)
    t2 = time.perf_counter()
    chart = (on[:, None] & masks[None, :]) == values[None, :]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", qca.QCAWarning)
        first = solve_chart(chart, max_models=1)
        t3 = time.perf_counter()
        every = solve_chart(chart, max_models=max_models)
        t4 = time.perf_counter()
        qca.minimize(tt, solution=solution, max_models=max_models)
        t5 = time.perf_counter()
    listed = len(every.models)
    return {
        "k": k, "table": ("dense" if dense else "sparse") + (f" {noise}% noise" if noise else ""),
        "cases": len(df), "solution": solution, "PIs": len(masks), "terms": first.size,
        "models": f"{listed}" if every.complete else f"{listed} (capped)",
        "truth_table_s": t1 - t0, "prime_implicants_s": t2 - t1, "minimum_cover_s": t3 - t2,
        "PI_plus_minimum_s": t3 - t1, "all_models_s": t4 - t3, "minimize_s": t5 - t4,
    }


TIMINGS = ("truth_table_s", "prime_implicants_s", "minimum_cover_s", "PI_plus_minimum_s", "all_models_s",
           "minimize_s")


def best_of(repeat: int, *args) -> dict:
    """Run :func:`run` ``repeat`` times; keep the first run's counts and the minimum of each timing."""
    runs = [run(*args) for _ in range(repeat)]
    best = dict(runs[0])
    for key in TIMINGS:
        best[key] = min(r[key] for r in runs)
    best["repeats"] = repeat
    return best


def _warm_up() -> None:
    """Import and run scipy's MILP once so that its start-up is not timed."""
    solve_chart(np.array([[True, False], [False, True]]))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small grid (< 60 s)")
    parser.add_argument("--max-models", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="runs per table; the best time is kept")
    args = parser.parse_args(argv)
    if args.quick:
        grid = [(8, False, 0, "parsimonious"), (10, False, 0, "parsimonious"),
                (12, False, 0, "parsimonious"), (8, True, 0, "parsimonious"),
                (10, True, 0, "parsimonious"), (8, False, 3, "parsimonious"),
                (8, False, 0, "complex"), (10, True, 0, "complex")]
    else:
        grid = [(k, False, 0, "parsimonious") for k in (8, 10, 12, 14, 16)]
        grid += [(k, True, 0, "parsimonious") for k in (8, 10, 12, 14)]
        grid += [(k, False, 3, "parsimonious") for k in (8, 10, 12, 14, 16)]
        grid += [(8, False, 0, "complex"), (10, True, 0, "complex"), (12, False, 0, "complex")]
    print(f"# QCA benchmark — {platform.platform()}, Python {sys.version.split()[0]}, "
          f"numpy {np.__version__}; simulated tables; best of {args.repeat} runs")
    _warm_up()
    rows = []
    for k, dense, noise, solution in grid:
        r = best_of(args.repeat, k, dense, noise, solution, args.max_models)
        rows.append(r)
        print(f"k={r['k']:2d} {r['table']:<16} n={r['cases']:5d} {r['solution']:<12} "
              f"PIs={r['PIs']:6d} terms={r['terms']:3d} models={r['models']:>12} "
              f"PI={r['prime_implicants_s']:.3f}s min={r['minimum_cover_s']:.3f}s "
              f"all={r['all_models_s']:.3f}s minimize()={r['minimize_s']:.3f}s", flush=True)
    print()
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
