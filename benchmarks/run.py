"""Run every benchmark of benchmarks/ (bench_*.py) one after the other; pass --quick for a short run."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
quick = ["--quick"] if "--quick" in sys.argv[1:] else []
failed = []
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.name}", flush=True)
    if subprocess.run([sys.executable, str(script), *quick]).returncode != 0:
        failed.append(script.name)
if failed:
    sys.exit(f"benchmarks failed: {', '.join(failed)}")
