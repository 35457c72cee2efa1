"""Necessity analysis: is a condition (or its absence) a superset of the outcome?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .fit import check_memberships, necessity_fit, outcome_values
from .truth_table import check_conditions

__all__ = ["necessity"]


def necessity(data: pd.DataFrame, *, outcome: str, conditions) -> pd.DataFrame:
    """Consistency, coverage and relevance of each literal as necessary for the outcome.

    Parameters
    ----------
    data : DataFrame
        Cases × memberships in [0, 1], no NA.
    outcome : str
        Outcome column; ``"~Y"`` for the negated outcome.
    conditions : list of str
        Condition columns.

    Returns
    -------
    DataFrame indexed by literal (``A``, ``~A``, ``B``, ``~B``…) with columns
    ``consistency``, ``coverage``, ``RoN``.

    Notes
    -----
    For a literal X (x or 1 − x) and outcome Y::

        consistency = Σmin(X, Y) / ΣY
        coverage    = Σmin(X, Y) / ΣX
        RoN         = Σ(1 − X) / Σ(1 − min(X, Y))

    A high consistency with a low RoN flags a trivial necessary condition
    (X close to a constant 1). Values below 1e−5 are reported as 0, as R QCA
    does. Checked against R QCA 3.25 ``pof(..., relation = "necessity")`` on
    the Lipset and Cebotari & Vink data.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: evaluating their
    consistency and coverage. *Political Analysis*, 14(3), 291-310.
    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the
    Social Sciences*, section 9.2 (relevance of necessity). Cambridge UP.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 0, 0]})
    >>> necessity(df, outcome="Y", conditions=["A"]).loc["A", "consistency"]
    np.float64(1.0)
    """
    conditions = check_conditions(conditions, outcome)
    check_memberships(data, conditions)
    y = outcome_values(data, outcome)
    rows = {}
    for c in conditions:
        x = data[c].to_numpy(dtype=float)
        rows[c] = necessity_fit(x, y)
        rows[f"~{c}"] = necessity_fit(1.0 - x, y)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["consistency", "coverage", "RoN"])
    table.index.name = "literal"
    return table.astype(np.float64)
