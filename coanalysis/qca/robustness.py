"""Robustness of QCA solutions: rerun over a grid of calibration anchors and
truth-table cut-offs and report which terms survive."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd

from ..errors import DataError
from ._boolean import QCAWarning
from .calibrate import calibrate
from .minimize import minimize
from .truth_table import truth_table

__all__ = ["Robustness", "robustness"]


class Robustness:
    """Result of :func:`robustness`.

    Attributes
    ----------
    table : DataFrame
        One row per run: the settings (``anchors``, ``consistency_cutoff``,
        ``n_cutoff``, ``pri_cutoff``), ``n_positive`` rows, ``n_models``,
        ``models`` (joined with `` | ``; empty when nothing reaches the
        cut-offs), ``consistency`` and ``coverage`` of the first model.
    terms : DataFrame
        One row per term seen in any run: ``in_all_models`` (share of runs
        where every model holds it), ``in_some_model`` (share of runs where at
        least one does), ``runs`` (number of runs).

    ``survival()`` gives the tidy (run, term, share) frame drawn by
    :func:`coanalysis.figures.qca.survival_grid`.
    """

    def __init__(self, table: pd.DataFrame, solution: str):
        self.table = table
        self.solution = solution
        self.terms = self._terms()

    def _terms(self) -> pd.DataFrame:
        n = len(self.table)
        every, some = {}, {}
        for models in self.table["models"]:
            if not models:
                continue
            sets = [set(m.split(" + ")) for m in models.split(" | ")]
            for t in set.intersection(*sets):
                every[t] = every.get(t, 0) + 1
            for t in set.union(*sets):
                some[t] = some.get(t, 0) + 1
        terms = sorted(some, key=lambda t: (-some[t], -every.get(t, 0), t))
        return pd.DataFrame({
            "in_all_models": [every.get(t, 0) / n for t in terms],
            "in_some_model": [some[t] / n for t in terms],
            "runs": [some[t] for t in terms],
        }, index=pd.Index(terms, name="term"))

    def run_labels(self) -> list[str]:
        """A short label per run naming the settings that vary across the grid."""
        cols = [c for c in ("anchors", "consistency_cutoff", "n_cutoff", "pri_cutoff")
                if c in self.table and self.table[c].astype(str).nunique() > 1]
        short = {"anchors": "", "consistency_cutoff": "incl ", "n_cutoff": "n ", "pri_cutoff": "PRI "}
        if not cols:
            return [f"run {i + 1}" for i in range(len(self.table))]
        return [" · ".join(f"{short[c]}{row[c]}" for c in cols) for _, row in self.table.iterrows()]

    def survival(self) -> pd.DataFrame:
        """Tidy (run, term, share) frame: the share of each run's tied models holding each term.

        Runs without a solution get NA for every term. This is the input of
        :func:`coanalysis.figures.qca.survival_grid`.
        """
        labels = self.run_labels()
        terms = list(self.terms.index)
        rows = []
        for label, models in zip(labels, self.table["models"]):
            sets = [set(m.split(" + ")) for m in models.split(" | ")] if models else []
            for t in terms:
                share = (sum(t in m for m in sets) / len(sets)) if sets else np.nan
                rows.append((label, t, share))
        return pd.DataFrame(rows, columns=["run", "term", "share"])

    def __repr__(self) -> str:
        distinct = self.table["models"].nunique()
        return (f"Robustness({self.solution} solution, {len(self.table)} runs, "
                f"{distinct} distinct result(s), {len(self.terms)} term(s) seen)")

    def summary(self) -> str:
        with pd.option_context("display.width", 120, "display.max_colwidth", 80,
                               "display.precision", 3):
            return "\n".join([repr(self), "", self.terms.to_string(), "", self.table.to_string()])


def robustness(data: pd.DataFrame, *, outcome: str, conditions, consistency_cutoffs=(0.75, 0.8, 0.85, 0.9),
               n_cutoffs=(1,), pri_cutoffs=(None,), anchors: dict | None = None,
               solution: str = "parsimonious", directional: dict | None = None,
               max_models: int = 100, max_runs: int = 2000) -> Robustness:
    """Rerun the analysis over a grid of settings and report which terms survive.

    Parameters
    ----------
    data : DataFrame
        Cases × memberships (or, for the conditions named in ``anchors``, raw
        values to calibrate).
    outcome, conditions
        As in :func:`coanalysis.qca.truth_table`.
    consistency_cutoffs, n_cutoffs, pri_cutoffs : sequences
        Values of each truth-table cut-off to try.
    anchors : dict, optional
        ``{column: [(exclusion, crossover, inclusion), ...]}``: raw columns
        recalibrated with each anchor triple (direct method); every
        combination is tried.
    solution : {"complex", "parsimonious", "intermediate"}
        Which solution to compute (``directional`` is required for
        "intermediate").
    max_models, max_runs : int
        Caps on tied models per run and on the size of the grid.

    Returns
    -------
    Robustness
        ``.table`` (one row per run) and ``.terms`` (survival of each term).

    Notes
    -----
    A term that appears in every model of every run is robust to these
    choices; one that appears only at one threshold depends on it. This is
    the "robustness test" of Oana & Schneider (2021): vary calibration
    anchors, consistency and frequency thresholds within plausible ranges and
    compare the solutions.

    References
    ----------
    Oana, I.-E., & Schneider, C. Q. (2021). A robustness test protocol for
    applied QCA. *Sociological Methods & Research*, 53(1), 57-88.
    Skaaning, S.-E. (2011). Assessing the robustness of crisp-set and
    fuzzy-set QCA results. *Sociological Methods & Research*, 40(2), 391-408.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> robustness(df, outcome="Y", conditions=["A", "B"], consistency_cutoffs=[1]).terms.index.tolist()
    ['A']
    """
    if solution not in ("complex", "parsimonious", "intermediate"):
        raise ValueError(f"solution must be 'complex', 'parsimonious' or 'intermediate', got {solution!r}")
    if solution == "intermediate" and not directional:
        raise ValueError("solution='intermediate' needs directional={condition: 1 or 0}")
    anchors = anchors or {}
    for col, triples in anchors.items():
        if col not in data.columns:
            raise KeyError(f"anchors name column {col!r}, which is not in data")
        if not triples or any(len(t) != 3 for t in triples):
            raise ValueError(f"anchors[{col!r}] must be a non-empty list of (exclusion, crossover, inclusion)")
    anchor_cols = list(anchors)
    anchor_grid = list(itertools.product(*[anchors[c] for c in anchor_cols])) or [()]
    grid = list(itertools.product(anchor_grid, consistency_cutoffs, n_cutoffs, pri_cutoffs))
    if len(grid) > max_runs:
        raise ValueError(f"the grid has {len(grid)} runs, more than max_runs={max_runs}; narrow it")
    rows = []
    for anchor_choice, cc, nc, pc in grid:
        frame = data.copy()
        for col, (e, c, i) in zip(anchor_cols, anchor_choice):
            frame[col] = calibrate(frame[col], exclusion=e, crossover=c, inclusion=i)
        label = "; ".join(f"{col}={e}/{c}/{i}" for col, (e, c, i) in zip(anchor_cols, anchor_choice))
        row = {"anchors": label, "consistency_cutoff": cc, "n_cutoff": nc, "pri_cutoff": pc}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QCAWarning)
            tt = truth_table(frame, outcome=outcome, conditions=conditions, consistency_cutoff=cc,
                             n_cutoff=nc, pri_cutoff=pc)
            row["n_positive"] = len(tt.configurations("1"))
            try:
                sol = minimize(tt, remainders=(solution == "parsimonious"),
                               directional=directional if solution == "intermediate" else None,
                               max_models=max_models)
            except DataError:
                sol = None
        if sol is None:
            row.update(n_models=0, models="", consistency=np.nan, coverage=np.nan)
        else:
            row.update(n_models=len(sol.models), models=" | ".join(sol.models),
                       consistency=sol.fit.loc["M1", "consistency"], coverage=sol.fit.loc["M1", "coverage"])
        rows.append(row)
    table = pd.DataFrame(rows)
    if not anchor_cols:
        table = table.drop(columns="anchors")
    return Robustness(table, solution)
