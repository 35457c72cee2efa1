"""Time `coanalysis reproduce` against its floor: starting one kernel per notebook and importing the stack.

Usage:  .venv/bin/python benchmarks/bench_reproduce.py [--quick]
Prints the floor (a fresh kernel that only imports pandas, matplotlib, seaborn, statsmodels and
coanalysis), then the wall time of the whole ``reproduce`` one kernel at a time (with each
notebook's time) and with the default number of kernels at once, each as a ratio to the floor
times the number of notebooks — the ratio the publication issue sets at 1.5 or less.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from coanalysis.reproduce import default_jobs, find_notebooks, reproduce, run_notebook

FLOOR_CELL = (
    "import pandas, numpy, matplotlib, seaborn, statsmodels.api, scipy\n"
    "import coanalysis, coanalysis.figures\n"
    "matplotlib.use('Agg')\n"
    "import matplotlib.pyplot as plt"
)


def floor_seconds(repeat: int) -> float:
    """Median time of a fresh kernel that imports the stack and does nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "00_floor.ipynb"
        nb = new_notebook(cells=[new_code_cell(FLOOR_CELL)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, path)
        times = [run_notebook(path)[1] for _ in range(repeat)]
    return statistics.median(times)


def time_reproduce(jobs: int) -> tuple[float, list[tuple[str, float]]]:
    """Wall time of ``reproduce(jobs=jobs)`` over the project's notebooks, figures written to a
    temporary folder (the project's figures/ are not touched), and each notebook's own time."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = reproduce(figures=Path(tmp), jobs=jobs, progress=False, echo=lambda s: None)
        wall = time.perf_counter() - start
    return wall, [(r.path.name, r.seconds) for r in report.runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="floor only, one repetition")
    args = parser.parse_args()
    print(f"# reproduce benchmark — Python {platform.python_version()}, {platform.machine()}, "
          f"{default_jobs()} cores; load average {os.getloadavg()[0]:.1f}")
    floor = floor_seconds(1 if args.quick else 3)
    print(f"floor: fresh kernel + imports = {floor:.2f} s per notebook")
    if args.quick:
        return
    n = len(find_notebooks())
    for jobs in sorted({1, default_jobs()}):
        wall, runs = time_reproduce(jobs)
        if jobs == 1:
            for name, seconds in runs:
                print(f"{name:<40} {seconds:6.1f} s   (work above the floor {seconds - floor:5.1f} s)")
        print(f"reproduce, {jobs} kernel(s) at once: {wall:6.1f} s = {wall / (floor * n):.2f} × "
              f"the floor ({n} notebooks × {floor:.2f} s = {floor * n:.1f} s)")


if __name__ == "__main__":
    sys.exit(main())
