"""The benchmarks stay runnable: each script's --quick run exits cleanly and prints its ratios.

No timing is asserted here (speed targets live in benchmarks/RESULTS.md); this only keeps a
change in the library from breaking `make bench` unnoticed.
"""

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize("script,expected", [
    ("bench_rake.py", ["ratio to floor, rake + first SE", "max relative weight difference vs floor",
                       "rule takes the cells route", "rule takes the rows route"]),
    ("bench_rake_route.py", ["crossover, 200,000 rows, 4 margins", "max relative weight difference"]),
    ("bench_qca.py", ["parsimonious"]),
    ("bench_read_survey.py", ["ratio to floor", "numbers agree with pandas where it parsed them: yes"]),
])
def test_benchmark_quick_run(script, expected):
    done = subprocess.run([sys.executable, str(BENCH / script), "--quick"], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    for text in expected:
        assert text in done.stdout
