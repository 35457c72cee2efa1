"""The truth table: one row per configuration of the conditions, with the
number of cases, consistency, PRI and the outcome code used by minimisation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..results import Result
from ..validation import check_int
from ._boolean import QCAWarning
from .fit import check_memberships, outcome_values

__all__ = ["TruthTable", "check_conditions", "truth_table"]

#: Tolerance when comparing a consistency or PRI with its cut-off: sqrt(machine epsilon),
#: as R QCA (admisc's ``agteb``) does, so that 0.8 computed as 0.79999999 still passes.
CUTOFF_TOLERANCE = float(np.sqrt(np.finfo(float).eps))


def check_conditions(conditions, outcome: str) -> list[str]:
    """The conditions as a list: non-empty, distinct, not the outcome, at most 24 (else ValueError)."""
    if isinstance(conditions, str) or not conditions:
        raise ValueError(f"conditions must be a non-empty list of column names, got {conditions!r}")
    conditions = list(conditions)
    if len(set(conditions)) != len(conditions):
        raise ValueError(f"conditions must be distinct, got {conditions}")
    if outcome.lstrip("~").strip() in conditions:
        raise ValueError(f"the outcome {outcome!r} cannot also be a condition")
    if len(conditions) > 24:
        raise ValueError(f"at most 24 conditions are supported, got {len(conditions)}")
    return conditions


class TruthTable(Result):
    """A truth table built by :func:`truth_table` (see there for the definitions).

    Attributes
    ----------
    table : DataFrame
        One row per observed configuration (``complete=True``: every
        configuration), indexed by R QCA's row number (configuration + 1):
        a 0/1 column per condition, ``OUT`` ("1", "0", "C" or "?"), ``n``,
        ``consistency``, ``PRI``, ``cases``.
    conditions, outcome, consistency_cutoff, n_cutoff, pri_cutoff
        The settings.
    data : DataFrame
        The memberships used (cases × conditions, plus the outcome column).
    """

    def __init__(self, *, data, conditions, outcome, x, y, configs, n, consistency, pri, out,
                 cases, consistency_cutoff, n_cutoff, pri_cutoff, complete, ambiguous_cases):
        self.data = data
        self.conditions = list(conditions)
        self.outcome = outcome
        self.x = x
        self.y = y
        self._configs = configs
        self._n = n
        self._consistency = consistency
        self._pri = pri
        self._out = out
        self._cases = cases
        self.consistency_cutoff = consistency_cutoff
        self.n_cutoff = n_cutoff
        self.pri_cutoff = pri_cutoff
        self.complete = complete
        self.ambiguous_cases = ambiguous_cases

    @property
    def k(self) -> int:
        return len(self.conditions)

    def rows_of(self, configs) -> pd.DataFrame:
        """The rows of the table for the configurations ``configs`` (integers), in their order.

        Unobserved configurations get ``OUT`` "?", ``n`` 0, NaN consistency and PRI and no cases,
        as in the table with ``complete=True``.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 1, 0]}, index=["a", "b", "c"], dtype=float)
        >>> truth_table(df, outcome="Y", conditions=["A"]).rows_of([1])[["OUT", "n", "cases"]]
             OUT  n cases
        row
        2      1  2   a,b
        """
        configs = np.asarray(configs, dtype=np.int64)
        k = self.k
        cols = {c: ((configs >> (k - 1 - j)) & 1).astype(int) for j, c in enumerate(self.conditions)}
        idx = {int(c): i for i, c in enumerate(self._configs)}
        pos = np.array([idx.get(int(c), -1) for c in configs], dtype=int)
        obs = pos >= 0
        out = np.where(obs, self._out[np.where(obs, pos, 0)], "?")
        frame = pd.DataFrame(cols)
        frame["OUT"] = out
        frame["n"] = np.where(obs, self._n[np.where(obs, pos, 0)], 0).astype(int)
        frame["consistency"] = np.where(obs, self._consistency[np.where(obs, pos, 0)], np.nan)
        frame["PRI"] = np.where(obs, self._pri[np.where(obs, pos, 0)], np.nan)
        frame["cases"] = [",".join(self._cases[p]) if p >= 0 else "" for p in pos]
        frame.index = pd.Index(configs + 1, name="row")
        return frame

    @property
    def table(self) -> pd.DataFrame:
        if self.complete:
            return self.rows_of(np.arange(1 << self.k, dtype=np.int64))
        return self.rows_of(self._configs)

    def configurations(self, code: str) -> np.ndarray:
        """Configurations (integers) whose OUT is ``code`` ("1", "0", "C" or "?")."""
        if code == "?":
            observed = np.zeros(1 << self.k, dtype=bool)
            observed[self._configs[self._out != "?"]] = True
            return np.flatnonzero(~observed).astype(np.int64)
        return self._configs[self._out == code]

    @property
    def n_remainders(self) -> int:
        return (1 << self.k) - int((self._out != "?").sum())

    @property
    def remainder_share(self) -> float:
        """Share of the 2**k configurations without (enough) cases: limited diversity."""
        return self.n_remainders / (1 << self.k)

    @property
    def title(self) -> str:
        """``"Truth table of '<outcome>' on <k> conditions"``."""
        return f"Truth table of {self.outcome!r} on {self.k} conditions"

    @property
    def notes(self) -> tuple[str, ...]:
        """The rows by outcome code, the remainders and the cut-offs."""
        n_pos = int((self._out == "1").sum())
        n_neg = int((self._out == "0").sum())
        n_con = int((self._out == "C").sum())
        return (f"{len(self.y)} cases: {n_pos} positive, {n_neg} negative"
                + (f", {n_con} contradictory" if n_con else "")
                + f", {self.n_remainders} remainders of {1 << self.k}",
                (f"consistency_cutoff={self.consistency_cutoff}, n_cutoff={self.n_cutoff}, "
                 f"pri_cutoff={self.pri_cutoff}"))

    def summary(self) -> str:
        """The title, the counts and cut-offs, then the observed rows (indexed by R's row number)."""
        with pd.option_context("display.width", 120, "display.max_columns", 30,
                               "display.max_colwidth", 40, "display.precision", 3):
            return "\n".join([self._title(), *self._notes(), self.rows_of(self._configs).to_string()])


def truth_table(data: pd.DataFrame, *, outcome: str, conditions, consistency_cutoff=0.8,
                n_cutoff: int = 1, pri_cutoff: float | None = None,
                complete: bool = False) -> TruthTable:
    """Build the truth table of an outcome over conditions.

    Parameters
    ----------
    data : DataFrame
        Cases × memberships in [0, 1] (crisp 0/1 or fuzzy); the index labels
        the cases. No NA (see :func:`coanalysis.qca.from_casebase`).
    outcome : str
        Outcome column; ``"~Y"`` analyses the negated outcome (1 − Y).
    conditions : list of str
        Condition columns, in the order of the table (first = high bit).
    consistency_cutoff : float or (float, float)
        A row is positive (OUT = "1") when its consistency ≥ the cut-off.
        With two values ``(c1, c0)``, rows with c0 ≤ consistency < c1 are
        contradictions ("C").
    n_cutoff : int
        Observed rows with fewer cases become remainders ("?").
    pri_cutoff : float, optional
        A row passing the consistency cut-off but with PRI below this is "0".
    complete : bool
        Show every configuration (remainders too) in ``.table``.

    Returns
    -------
    TruthTable

    Notes
    -----
    For a row (corner) r, a case's membership is R_i = min_j(x_ij or 1 − x_ij)
    as r has condition j present or absent. n(r) = #{i : R_i > 0.5} (the
    case's configuration is its x > 0.5 pattern; a case with a condition at
    exactly 0.5 belongs to no row and is reported with a warning).
    consistency(r) = Σmin(R, Y)/ΣR and PRI(r) = (Σmin(R, Y) − Σmin(R, Y, 1−Y)) /
    (ΣR − Σmin(R, Y, 1−Y)), summed over all cases. Cut-offs are compared with
    a tolerance of √ε ≈ 1.5e−8. Checked against R QCA 3.25 ``truthTable()`` on
    the Lipset (crisp and fuzzy) and Cebotari & Vink data.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry*, ch. 7.
    Dușa, A. (2019). *QCA with R*, ch. 7. Springer.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0], "B": [1, 0, 0], "Y": [1, 1, 0]})
    >>> truth_table(df, outcome="Y", conditions=["A", "B"], consistency_cutoff=1).table["OUT"].tolist()
    ['0', '1', '1']
    """
    if not isinstance(outcome, str):
        raise ValueError(f"outcome must be a column name, got {outcome!r}")
    conditions = check_conditions(conditions, outcome)
    check_memberships(data, conditions)
    y = outcome_values(data, outcome)
    if isinstance(consistency_cutoff, (tuple, list)):
        if len(consistency_cutoff) != 2:
            raise ValueError(f"consistency_cutoff must be a number or a pair, got {consistency_cutoff!r}")
        ic1, ic0 = (float(v) for v in consistency_cutoff)
    else:
        ic1 = ic0 = float(consistency_cutoff)
    if not (0 <= ic0 <= ic1 <= 1):
        raise ValueError(f"consistency_cutoff must lie in [0, 1] (and c0 ≤ c1), got {consistency_cutoff!r}")
    check_int(n_cutoff, "n_cutoff", min_val=1)
    if pri_cutoff is not None and not (0 <= pri_cutoff <= 1):
        raise ValueError(f"pri_cutoff must lie in [0, 1] or be None, got {pri_cutoff!r}")

    k = len(conditions)
    x = data[conditions].to_numpy(dtype=float)
    labels = [str(i) for i in data.index]
    ambiguous = np.any(x == 0.5, axis=1)
    if ambiguous.any():
        warnings.warn(
            f"{int(ambiguous.sum())} case(s) have a condition at exactly 0.5 and belong to no "
            f"truth-table row: {[labels[i] for i in np.flatnonzero(ambiguous)]}",
            QCAWarning, stacklevel=2)
    weights = 1 << np.arange(k - 1, -1, -1, dtype=np.int64)
    case_config = ((x > 0.5).astype(np.int64) * weights).sum(axis=1)
    keep = ~ambiguous
    configs = np.unique(case_config[keep]).astype(np.int64)
    n = np.bincount(np.searchsorted(configs, case_config[keep]), minlength=len(configs))
    order = np.argsort(case_config, kind="stable")
    cases = [[] for _ in configs]
    pos = {int(c): r for r, c in enumerate(configs)}
    for i in order:
        if keep[i]:
            cases[pos[int(case_config[i])]].append(labels[i])
    incl = np.full(len(configs), np.nan)
    pri = np.full(len(configs), np.nan)
    bits_all = ((configs[:, None] >> (k - 1 - np.arange(k))[None, :]) & 1).astype(bool)
    step = max(1, 2_000_000 // max(1, x.shape[0] * k))
    for start in range(0, len(configs), step):
        bits = bits_all[start:start + step]
        # corner memberships of every case in these rows: min over conditions
        corner = np.min(np.where(bits[:, None, :], x[None, :, :], 1.0 - x[None, :, :]), axis=2)
        xy = np.minimum(corner, y[None, :]).sum(axis=1)
        xyn = np.minimum(np.minimum(corner, y[None, :]), 1.0 - y[None, :]).sum(axis=1)
        s_r = corner.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            incl[start:start + step] = np.where(s_r > 0, xy / s_r, np.nan)
            pri[start:start + step] = np.where(s_r - xyn > 0, (xy - xyn) / (s_r - xyn), np.nan)
    tol = CUTOFF_TOLERANCE
    passes = incl + tol >= ic1
    if pri_cutoff is not None:
        pri_ok = np.nan_to_num(pri, nan=0.0) + tol >= pri_cutoff
    else:
        pri_ok = np.ones(len(configs), dtype=bool)
    out = np.where(passes & pri_ok, "1",
                   np.where(~passes & (incl + tol >= ic0) & (ic0 < ic1), "C", "0")).astype(object)
    out[n < n_cutoff] = "?"
    out = out.astype(str)
    cutoff = consistency_cutoff if isinstance(consistency_cutoff, (tuple, list)) else ic1
    return TruthTable(data=data, conditions=conditions, outcome=outcome, x=x, y=y,
                      configs=configs, n=n, consistency=incl, pri=pri, out=out, cases=cases,
                      consistency_cutoff=cutoff, n_cutoff=int(n_cutoff), pri_cutoff=pri_cutoff,
                      complete=complete, ambiguous_cases=[labels[i] for i in np.flatnonzero(ambiguous)])
