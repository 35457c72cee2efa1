"""Seeded simulated crisp data sets for timing and illustrating the QCA engine
(every frame it returns is simulated: its cases are labelled ``simule_…``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..validation import check_number

__all__ = ["simulated_crisp_data", "CONDITION_NAMES"]

CONDITION_NAMES = tuple(chr(ord("A") + i) for i in range(26))


def simulated_crisp_data(k: int, *, dense: bool = False, noise_percent: int = 0) -> pd.DataFrame:
    """A simulated crisp data set with a known sufficient structure.

    Parameters
    ----------
    k : int
        Number of conditions, 7 ≤ k ≤ 26 (named A, B, C…).
    dense : bool
        False: 120 cases; True: 2**k / 4 cases.
    noise_percent : int
        Percentage of cases whose outcome is flipped.

    Returns
    -------
    DataFrame with columns A, B, … and ``Y`` (0/1), one case per drawn
    configuration, index ``simule_0``, ``simule_1``…

    Notes
    -----
    The research note's protocol (qca-peers, section 7): configurations drawn
    without replacement from the 2**k; Y = A·B + C·¬D + E·F·G; numpy's
    default generator seeded with 100000·k + 10·noise_percent + (1 if
    dense). With these seeds the tables are those on which R QCA 3.25 and
    CCubes were timed (their prime-implicant counts agree).

    Examples
    --------
    >>> simulated_crisp_data(8).shape
    (120, 9)
    """
    if not 7 <= k <= 26:
        raise ValueError(f"k must lie between 7 and 26 (the outcome uses A..G), got {k!r}")
    check_number(noise_percent, "noise_percent", min_val=0, max_val=100)
    seed = 100000 * k + 10 * noise_percent + (1 if dense else 0)
    rng = np.random.default_rng(seed)
    n = (1 << k) // 4 if dense else 120
    configs = rng.choice(1 << k, size=n, replace=False)
    bits = ((configs[:, None] >> (k - 1 - np.arange(k))[None, :]) & 1).astype(float)
    a, b, c, d, e, f, g = (bits[:, j] for j in range(7))
    y = ((a * b) + (c * (1 - d)) + (e * f * g) > 0).astype(float)
    if noise_percent:
        flip = rng.random(n) < noise_percent / 100
        y = np.where(flip, 1 - y, y)
    df = pd.DataFrame(bits, columns=list(CONDITION_NAMES[:k]))
    df["Y"] = y
    df.index = [f"simule_{i}" for i in range(n)]
    return df
