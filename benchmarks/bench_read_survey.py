"""Loading a 200,000-row French survey export: coanalysis read_survey against pandas.read_csv.

The CSV is written (seeded) in a temporary folder the way a French observatory receives it:
`;` separator, UTF-8, columns id; poids (decimal comma, some weights above 1,000 written with a
U+202F thousands separator); age (integer); q_accueil (codes 1-4, blank cells, 8 and 9 for
"don't know" / "no answer"); q_proprete (French labels in mixed case, "NSP", "Sans réponse",
some codes); commune (text). The floor is `pandas.read_csv(sep=";", decimal=",")`, which parses
the numbers but checks nothing (it leaves the U+202F weights and the labels as text). read_survey
reads the same file with both scales declared, the id checked unique, poids and age numeric and
age within 16-99. Best of 5 interleaved runs; prints the rows, both times and the ratio, and
checks that the numbers read agree with pandas where pandas parsed them. The same export with
every field quoted (as LimeSurvey writes it) is timed too, on one line of its own. `--quick` uses 20,000
rows, `--rows N` any number.

Run: .venv/bin/python benchmarks/bench_read_survey.py [--quick | --rows N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from coanalysis.codebook import SATISFACTION_4
from coanalysis.loaders import read_survey

REPEATS = 5
TARGET = 10.0  # read_survey within 10x the pandas floor

LABELS = ["Pas du tout satisfait", "Plutôt pas satisfait", "Plutôt satisfait", "Très satisfait"]


def make_csv(path: Path, n: int, seed: int = 20261126) -> None:
    """Write ``n`` respondents of a seeded French barometer export to ``path``."""
    rng = np.random.default_rng(seed)
    ids = rng.permutation(np.arange(100_000, 100_000 + 3 * n))[:n].astype(str)
    w = np.round(rng.gamma(2.0, 400.0, n), 2)
    poids = pd.Series(w).map(lambda x: f"{x:.2f}".replace(".", ","))
    big = w >= 1000
    poids[big] = [f"{int(x) // 1000}\u202f{s[-6:]}" for x, s in zip(w[big], poids[big])]
    age = rng.integers(16, 100, n).astype(str)
    q1 = rng.choice(np.array(["1", "2", "3", "4", "", "8", "9"]), n,
                    p=[0.08, 0.17, 0.42, 0.28, 0.02, 0.02, 0.01])
    labels = [lab.upper() if k == 0 else lab.lower() if k == 1 else lab
              for lab in LABELS for k in range(3)]
    vocab = np.array(labels + ["NSP", "Sans réponse", "3", "4"])
    p = np.array([0.02] * 3 + [0.05] * 3 + [0.1] * 3 + [0.08] * 3 + [0.05, 0.03, 0.04, 0.03])
    q2 = rng.choice(vocab, n, p=p / p.sum())
    communes = np.array(["Voiron", "Coublevie", "Rives", "Saint-Étienne-de-Crossey", "Moirans",
                         "Voreppe", "Tullins", "La Buisse"])
    commune = rng.choice(communes, n)
    lines = ["id;poids;age;q_accueil;q_proprete;commune"]
    lines += [";".join(r) for r in zip(ids, poids, age, q1, q2, commune)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def quote_all(path: Path, quoted: Path) -> None:
    """The same export with every field between double quotes."""
    lines = path.read_text(encoding="utf-8").splitlines()
    quoted.write_text("\n".join(";".join(f'"{c}"' for c in line.split(";")) for line in lines)
                      + "\n", encoding="utf-8")


def load(path: Path):
    return read_survey(path, scales={"q_accueil": SATISFACTION_4, "q_proprete": SATISFACTION_4},
                       id_column="id", numeric=["poids", "age"], ranges={"age": (16, 99)})


def floor(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", decimal=",")


def main() -> None:
    args = sys.argv[1:]
    n = int(args[args.index("--rows") + 1]) if "--rows" in args else (
        20_000 if "--quick" in args else 200_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "barometre.csv"
        make_csv(path, n)
        quoted = Path(tmp) / "barometre_quoted.csv"
        quote_all(path, quoted)
        size = path.stat().st_size
        floor_t = ours_t = qfloor_t = qours_t = np.inf
        for _ in range(REPEATS):  # interleaved, so that all see the same machine load
            t0 = time.perf_counter()
            ref = floor(path)
            floor_t = min(floor_t, time.perf_counter() - t0)
            t0 = time.perf_counter()
            data, report = load(path)
            ours_t = min(ours_t, time.perf_counter() - t0)
            t0 = time.perf_counter()
            floor(quoted)
            qfloor_t = min(qfloor_t, time.perf_counter() - t0)
            t0 = time.perf_counter()
            qdata, _ = load(quoted)
            qours_t = min(qours_t, time.perf_counter() - t0)
    ratio = ours_t / floor_t
    # where pandas parsed a weight (no U+202F in it), both must read the same number
    parsed = pd.to_numeric(ref["poids"], errors="coerce").to_numpy()
    ok = ~np.isnan(parsed)
    same = (np.array_equal(parsed[ok], data["poids"].to_numpy()[ok])
            and np.array_equal(ref["age"].to_numpy(dtype=float), data["age"].to_numpy()))
    print(f"rows: {n:,} ({size / 1e6:.1f} MB); columns: id, poids (decimal comma, U+202F "
          "thousands), age, 2 Likert (codes / labels, NSP), commune")
    print(f"pandas.read_csv(sep=';', decimal=',') floor : {floor_t:.3f} s (best of {REPEATS})")
    print(f"coanalysis read_survey                      : {ours_t:.3f} s (best of {REPEATS}); "
          f"kept {report.rows_kept:,}, recoded to NA {len(report.recoded):,}")
    print(f"ratio to floor: {ratio:.2f}")
    print(f"target: within {TARGET:g}x the floor -> {'met' if ratio <= TARGET else 'NOT met'}")
    print(f"every field quoted: floor {qfloor_t:.3f} s, read_survey {qours_t:.3f} s, ratio "
          f"{qours_t / qfloor_t:.2f}; same frame as unquoted: {'yes' if qdata.equals(data) else 'NO'}")
    print(f"numbers agree with pandas where it parsed them: {'yes' if same else 'NO'}")
    if not same or not qdata.equals(data):
        sys.exit("read_survey disagrees with pandas on the numbers, or reads the quoted export "
                 "differently")


if __name__ == "__main__":
    main()
