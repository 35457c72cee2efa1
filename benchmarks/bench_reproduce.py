"""Time `coanalysis reproduce` against its floor: starting one kernel per notebook and importing the stack.

Usage:  .venv/bin/python benchmarks/bench_reproduce.py [--quick]
Prints, per notebook, the time to execute it, and the floor (a fresh kernel that only imports
pandas, matplotlib, seaborn, statsmodels and coanalysis) times the number of notebooks.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from coanalysis.reproduce import find_notebooks, run_notebook

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="floor only, one repetition")
    args = parser.parse_args()
    print(f"# reproduce benchmark — Python {platform.python_version()}, {platform.machine()}")
    floor = floor_seconds(1 if args.quick else 3)
    print(f"floor: fresh kernel + imports = {floor:.2f} s per notebook")
    if args.quick:
        return
    total = 0.0
    notebooks = find_notebooks()
    for path in notebooks:
        _, seconds = run_notebook(path)
        total += seconds
        print(f"{path.name:<40} {seconds:6.1f} s   (floor {floor:.1f} s, work {seconds - floor:5.1f} s)")
    print(f"{'total':<40} {total:6.1f} s   (floor × {len(notebooks)} = {floor * len(notebooks):.1f} s)")


if __name__ == "__main__":
    sys.exit(main())
