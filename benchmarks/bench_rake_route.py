"""Where raking over the cells stops paying: the measurement behind _raking.CELLS_PER_ROW.

For margins with more and more categories (so more and more occupied cells of their
cross-classification per row), times `Design.rake` + the first mean with its raking-aware SE by
each route, forced (cell route / row route), and the plain-numpy IPF floor of bench_rake.py, in
one interleaved run (best of REPEATS). Prints, per case, the occupied cells per row, the route
the rule picks, both routes' time and ratio to the floor, and the weights' agreement; then, per
(rows, margins) series, the occupied cells per row where the cell route's time crosses the row
route's (log-linear interpolation between the two cases around it). `--quick`: 200,000 rows,
fewer cases, one repeat (a smoke run; its crossover is noisy).

Run: .venv/bin/python benchmarks/bench_rake_route.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_rake import measure_routes  # noqa: E402

from coanalysis.survey import _raking  # noqa: E402

REPEATS = 3

#: (rows, categories of each margin): 4 and 6 margins, from few to about one occupied cell per row.
CASES = {
    1_000_000: [(20,) * 4, (25,) * 4, (30,) * 4, (40,) * 4, (60,) * 4,
                (7,) * 6, (8,) * 6, (9,) * 6, (10,) * 6, (12,) * 6],
    200_000: [(12,) * 4, (16,) * 4, (20,) * 4, (30,) * 4,
              (5,) * 6, (6,) * 6, (7,) * 6, (9,) * 6],
}
QUICK = {200_000: [(12,) * 4, (20,) * 4, (30,) * 4]}


def crossover(series: list[dict]) -> float | None:
    """Occupied cells per row where cell time / row time crosses 1 (log-linear interpolation
    between the last case where cells win and the first where rows win)."""
    series = sorted(series, key=lambda r: r["per_row"])
    for a, b in zip(series, series[1:]):
        ra, rb = a["cells"] / a["rows_route"], b["cells"] / b["rows_route"]
        if ra <= 1 < rb:
            x = np.log(a["per_row"]) + (np.log(b["per_row"]) - np.log(a["per_row"])) * (
                np.log(ra) / (np.log(ra) - np.log(rb)))
            return float(np.exp(x))
    return None


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    cases, repeats = (QUICK, 1) if quick else (CASES, REPEATS)
    results = [measure_routes(n, sizes, repeats) for n, all_sizes in cases.items() for sizes in all_sizes]
    print(f"rule: cell route when occupied cells <= {_raking.CELLS_PER_ROW:g} x rows; "
          f"best of {repeats}, rake + first SE")
    print("| rows | margins | occupied cells | per row | sweeps | floor (s) | cell route (s, x floor) "
          "| row route (s, x floor) | cells / rows | rule picks | weights cells vs rows |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['rows']:,} | {r['sizes']} | {r['occupied']:,} | {r['per_row']:.3f} | {r['sweeps']} "
              f"| {r['floor']:.3f} | {r['cells']:.3f} ({r['cells'] / r['floor']:.2f}) "
              f"| {r['rows_route']:.3f} ({r['rows_route'] / r['floor']:.2f}) "
              f"| {r['cells'] / r['rows_route']:.2f} | {r['picks']} | {r['diff']:.1e} |")
    for (n, m) in sorted({(r["rows"], r["margins"]) for r in results}):
        x = crossover([r for r in results if (r["rows"], r["margins"]) == (n, m)])
        text = f"{x:.3f}" if x is not None else "not bracketed by these cases"
        print(f"crossover, {n:,} rows, {m} margins: {text} occupied cells per row")
    worst = max(max(r["diff"], r["diff_floor"]) for r in results)
    print(f"max relative weight difference (cells vs rows, rows vs floor): {worst:.1e}")


if __name__ == "__main__":
    main()
