"""Import time of each subpackage, in a fresh interpreter, against the floor of its own
dependencies.

For each subpackage, times ``python -c "import coanalysis.<sub>"`` (best of REPEATS, interleaved
with the floors so that both see the same machine load) and prints it beside two floors:
``python -c pass`` (the interpreter alone) and the imports the subpackage cannot avoid
(numpy, pandas, scipy; matplotlib and seaborn for figures). Also
prints whether matplotlib or seaborn was loaded: computing subpackages must load neither.
Target (issue #10): at most 1 s per subpackage on this machine kind. `--quick`: one repeat.

Run: .venv/bin/python benchmarks/bench_import.py
"""

from __future__ import annotations

import subprocess
import sys
import time

REPEATS = 1 if "--quick" in sys.argv[1:] else 5
SCIENTIFIC = "import numpy, pandas, scipy.stats"
SUBPACKAGES = {
    "coanalysis.codebook": "import pandas",
    "coanalysis.loaders": SCIENTIFIC,
    "coanalysis.metrics": SCIENTIFIC,
    "coanalysis.qca": SCIENTIFIC,
    "coanalysis.survey": SCIENTIFIC,  # statsmodels is imported by ordinal_regression only
    "coanalysis.figures": SCIENTIFIC + ", matplotlib.pyplot, seaborn",
}
PROBE = "; import sys; print(int('matplotlib' in sys.modules), int('seaborn' in sys.modules))"


def run(code: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout.strip()


def main() -> None:
    codes = {"(interpreter)": "pass"} | {f"floor {s}": floor for s, floor in SUBPACKAGES.items()}
    codes |= {s: f"import {s}" + PROBE for s in SUBPACKAGES}
    best = {k: float("inf") for k in codes}
    probes = {}
    for _ in range(REPEATS):
        for key, code in codes.items():
            t, out = run(code)
            best[key] = min(best[key], t)
            probes[key] = out
    print(f"best of {REPEATS}; interpreter alone {best['(interpreter)']:.2f} s")
    print(f"{'subpackage':<22}{'import':>9}{'floor':>9}{'ratio':>8}  plotting loaded")
    for sub in SUBPACKAGES:
        mpl, sns = probes[sub].split()
        loaded = ", ".join(n for n, f in (("matplotlib", mpl), ("seaborn", sns)) if f == "1") or "none"
        t, floor = best[sub], best[f"floor {sub}"]
        flag = "" if t <= 1.0 else "  (> 1 s target)"
        print(f"{sub:<22}{t:>8.2f}s{floor:>8.2f}s{t / floor:>8.2f}  {loaded}{flag}")


if __name__ == "__main__":
    main()
