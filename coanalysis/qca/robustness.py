"""Robustness of QCA solutions: rerun over a grid of calibration anchors and
truth-table cut-offs and report which terms survive."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd

from ..codebook.interface import word
from ..text import check_lang, format_number
from ..errors import DataError, Problem
from ..results import Result
from ..validation import require_columns
from ._boolean import QCAWarning
from .calibrate import calibrate
from .fit import sufficiency_fit
from .minimize import Solution, check_solution, minimize
from .truth_table import truth_table

__all__ = ["Robustness", "robustness", "RobustnessFit", "robustness_fit", "CutoffRange", "cutoff_range",
           "CUTOFF_PARAMETERS", "ROBUST_CASE_TYPES", "AnchorRange", "anchor_range", "ANCHORS"]

#: The three anchors of the direct method, in the order of :func:`anchor_range`'s ``anchors``.
ANCHORS = ("exclusion", "crossover", "inclusion")

#: The truth-table cut-offs :func:`cutoff_range` can move, with their admissible values.
CUTOFF_PARAMETERS = {"consistency_cutoff": "in (0, 1]", "n_cutoff": "an integer ≥ 1"}


class Robustness(Result):
    """Result of :func:`robustness`.

    Attributes
    ----------
    table : DataFrame
        One row per run: the settings (``anchors`` when anchors vary,
        ``consistency_cutoff``, ``n_cutoff``, ``pri_cutoff``), ``n_positive``
        rows, ``n_models``, ``models`` (joined with `` | ``; empty when
        nothing reaches the cut-offs), ``complete`` (False when ``max_models``
        or ``max_nodes`` stopped the listing of the run's tied models, so that
        ``n_models`` and ``models`` are a part of them; True when every tied
        model is listed, or when the run has no solution), ``consistency``
        and ``coverage`` of the first model. ``pri_cutoff`` has the nullable dtype ``Float64``: ``<NA>``
        (``pd.NA``) means "no PRI cut-off", whatever the solution.
    terms : DataFrame
        One row per term seen in any run: ``in_all_models`` (share of runs
        where every model holds it), ``in_some_model`` (share of runs where at
        least one does), ``runs`` (number of runs).
    solution : str
        "complex", "parsimonious" or "intermediate".
    outcome : str or None
        The outcome analysed.

    ``survival()`` gives the tidy (run, term, share) frame drawn by
    :func:`coanalysis.figures.qca.survival_grid`.
    """

    def __init__(self, table: pd.DataFrame, solution: str, outcome: str | None = None,
                 models: list[list[list[str]]] | None = None):
        self._table = table
        self.solution = solution
        self.outcome = outcome
        if models is None:  # rebuilt from the joined strings of a table made elsewhere
            models = [[m.split(" + ") for m in text.split(" | ")] if text else []
                      for text in table["models"]]
        if len(models) != len(table):
            raise ValueError(f"models has {len(models)} runs but table has {len(table)} rows")
        self._models = [[list(m) for m in run] for run in models]
        self.terms = self._terms()

    def _terms(self) -> pd.DataFrame:
        n = len(self.table)
        every, some = {}, {}
        for run in self._models:
            if not run:
                continue
            sets = [set(m) for m in run]
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

    def models(self, run: int) -> list[list[str]]:
        """The tied minimal models of run ``run`` (0-based row of ``table``), each a list of terms."""
        return [list(m) for m in self._models[run]]

    def run_labels(self, lang: str | None = None) -> list[str]:
        """A short label per run naming the settings that vary across the grid.

        Parameters
        ----------
        lang : {"fr", "en"}, optional
            Number format (decimal comma in French); default
            :func:`coanalysis.default_lang`.

        Returns
        -------
        list of str
            One label per row of ``table``, the varying settings joined with
            " / ": anchors as given, the consistency cut-off as a number
            (all with the same decimals), ``n ≥ k``, ``PRI ≥ p`` (``sans PRI``
            / ``no PRI`` when there is none); ``run 1``, ``run 2``… when
            nothing varies.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "Y": [1, 1, 0, 0]})
        >>> robustness(df, outcome="Y", conditions=["A"], consistency_cutoffs=[0.75, 0.8],
        ...            n_cutoffs=[1, 2]).run_labels("fr")
        ['0,75 / n ≥ 1', '0,75 / n ≥ 2', '0,80 / n ≥ 1', '0,80 / n ≥ 2']
        """

        lang = check_lang(lang)
        cols = [c for c in ("anchors", "consistency_cutoff", "n_cutoff", "pri_cutoff")
                if c in self.table and self.table[c].astype(object).map(repr).nunique() > 1]
        if not cols:
            return [word("run_number", lang).format(i + 1) for i in range(len(self.table))]

        def number(v, d):
            if isinstance(v, (tuple, list)):
                return "(" + (" ; " if lang == "fr" else ", ").join(number(x, d) for x in v) + ")"
            return format_number(float(v), d, lang)

        decimals = {c: _decimals(self.table[c]) for c in ("consistency_cutoff", "pri_cutoff") if c in cols}
        parts = []
        for _, row in self.table.iterrows():
            bits = []
            for c in cols:
                v = row[c]
                if c == "anchors":
                    bits.append(str(v))
                elif c == "consistency_cutoff":
                    bits.append(number(v, decimals[c]))
                elif c == "n_cutoff":
                    bits.append(f"n ≥ {int(v)}")
                else:
                    bits.append(word("no_pri", lang) if pd.isna(v)
                                else f"PRI ≥ {number(v, decimals[c])}")
            parts.append(" / ".join(bits))
        return parts

    def survival(self, lang: str | None = None) -> pd.DataFrame:
        """Tidy frame of every (run, term): the share of the run's tied models that hold the term.

        Parameters
        ----------
        lang : {"fr", "en"}, optional
            Language of the ``run`` labels (see :meth:`run_labels`).

        Returns
        -------
        DataFrame
            One row per run × term seen in any run, runs in the order of
            ``table``, terms in the order of ``terms``. Columns: ``run``
            (label), the settings of the run (``anchors`` if they vary,
            ``consistency_cutoff``, ``n_cutoff``, ``pri_cutoff``),
            ``outcome`` (when known), ``solution``, ``term``, ``n_models``
            (tied models in the run) and ``share``.

        Notes
        -----
        share = (number of the run's models holding the term) / n_models;
        1 = the term is in every tied model, 0 = in none. A run without a
        solution (no truth-table row reaches the cut-offs) has share NaN
        for every term. This is the input of
        :func:`coanalysis.figures.qca.survival_grid` (``run``, ``term``,
        ``share``); frames of several outcomes or solutions can be
        concatenated and filtered on ``outcome`` / ``solution``. Sort on the
        settings columns to order the runs differently.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
        >>> rob = robustness(df, outcome="Y", conditions=["A", "B"], consistency_cutoffs=[0.8, 1])
        >>> rob.survival("en")[["run", "term", "share"]].values.tolist()
        [['0.8', 'A', 1.0], ['1.0', 'A', 1.0]]
        """
        labels = self.run_labels(lang)
        terms = list(self.terms.index)
        settings = [c for c in ("anchors", "consistency_cutoff", "n_cutoff", "pri_cutoff") if c in self.table]
        rows = []
        for i, (label, run) in enumerate(zip(labels, self._models)):
            sets = [set(m) for m in run]
            base = {"run": label, **{c: self.table[c].iloc[i] for c in settings}}
            if self.outcome is not None:
                base["outcome"] = self.outcome
            base["solution"] = self.solution
            for t in terms:
                share = (sum(t in m for m in sets) / len(sets)) if sets else np.nan
                rows.append({**base, "term": t, "n_models": len(sets), "share": share})
        columns = ["run", *settings, *(["outcome"] if self.outcome is not None else []), "solution",
                   "term", "n_models", "share"]
        out = pd.DataFrame(rows, columns=columns)
        if "pri_cutoff" in out:
            out["pri_cutoff"] = out["pri_cutoff"].astype("Float64")
        out["share"] = out["share"].astype(float)
        return out

    @property
    def table(self) -> pd.DataFrame:
        """One row per run (see the class docstring)."""
        return self._table

    @property
    def title(self) -> str:
        """``"Robustness of the <solution> solution of '<outcome>'"``."""
        return (f"Robustness of the {self.solution} solution"
                + (f" of {self.outcome!r}" if self.outcome else ""))

    @property
    def notes(self) -> tuple[str, ...]:
        """Runs, distinct results and terms seen; the runs whose listing was capped."""
        notes = [(f"{len(self.table)} runs, {self.table['models'].nunique()} distinct result(s), "
                  f"{len(self.terms)} term(s) seen")]
        if "complete" in self.table and not self.table["complete"].all():
            capped = [i for i, done in enumerate(self.table["complete"]) if not done]
            notes.append(f"listing of tied models capped in run(s) {capped}: more models exist")
        return tuple(notes)

    def __repr__(self) -> str:
        about = f"{self.solution} solution" + (f" of {self.outcome!r}" if self.outcome else "")
        return f"<Robustness: {about}, {self._notes()[0]}>"

    def summary(self) -> str:
        """The title and notes, the terms' survival, then the runs, as text."""
        with pd.option_context("display.width", 120, "display.max_colwidth", 80,
                               "display.precision", 3):
            return "\n".join([self.title, *self._notes(), "", self.terms.to_string(), "",
                              self.table.to_string()])


def _decimals(values: pd.Series) -> int:
    """Fewest decimals (0 to 4) that write every number of ``values`` exactly (NA and tuples looked into)."""
    flat = []
    for v in values:
        if isinstance(v, (tuple, list)):
            flat.extend(v)
        elif not pd.isna(v):
            flat.append(v)
    for d in range(5):
        if all(abs(round(float(v), d) - float(v)) < 1e-9 for v in flat):
            return d
    return 4


def robustness(data: pd.DataFrame, *, outcome: str, conditions, consistency_cutoffs=(0.75, 0.8, 0.85, 0.9),
               n_cutoffs=(1,), pri_cutoffs=(None,), anchors: dict | None = None,
               solution: str = "parsimonious", directional: dict | None = None,
               max_models: int = 100, max_nodes: int = 2_000_000, max_runs: int = 2000) -> Robustness:
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
    directional : dict, optional
        Which solution each run computes, and its directional expectations
        (required by, and only taken by, "intermediate"), as in
        :func:`coanalysis.qca.minimize`.
    max_models, max_nodes, max_runs : int
        Caps on tied models listed per run, on the nodes of each run's cover
        search (as in :func:`coanalysis.qca.minimize`) and on the size of the
        grid.

    Returns
    -------
    Robustness
        ``.table`` (one row per run) and ``.terms`` (survival of each term).

    Warns
    -----
    QCAWarning
        Once, naming every run whose listing of tied models was capped
        (``complete`` is False): the shares of models holding a term are
        then computed on the listed models only. The engine's per-run
        warnings are not repeated.

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
    check_solution(solution, directional)
    anchors = anchors or {}
    for col, triples in anchors.items():
        require_columns(data, {f"anchors[{col!r}]": col}, table="data")
        if not triples or any(len(t) != 3 for t in triples):
            raise ValueError(f"anchors[{col!r}] must be a non-empty list of (exclusion, crossover, inclusion)")
    anchor_cols = list(anchors)
    anchor_grid = list(itertools.product(*[anchors[c] for c in anchor_cols])) or [()]
    grid = list(itertools.product(anchor_grid, consistency_cutoffs, n_cutoffs, pri_cutoffs))
    if len(grid) > max_runs:
        raise ValueError(f"the grid has {len(grid)} runs, more than max_runs={max_runs}; narrow it")
    rows, model_lists = [], []
    for anchor_choice, cc, nc, pc in grid:
        frame = data.copy()
        for col, (e, c, i) in zip(anchor_cols, anchor_choice):
            frame[col] = calibrate(frame[col], exclusion=e, crossover=c, inclusion=i)
        label = "; ".join(f"{col}={e}/{c}/{i}" for col, (e, c, i) in zip(anchor_cols, anchor_choice))
        row = {"anchors": label, "consistency_cutoff": cc, "n_cutoff": nc,
               "pri_cutoff": pd.NA if pc is None else float(pc)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QCAWarning)
            tt = truth_table(frame, outcome=outcome, conditions=conditions, consistency_cutoff=cc,
                             n_cutoff=nc, pri_cutoff=pc)
            row["n_positive"] = len(tt.configurations("1"))
            try:
                sol = minimize(tt, solution=solution, directional=directional,
                               max_models=max_models, max_nodes=max_nodes)
            except DataError:
                sol = None
        if sol is None:
            row.update(n_models=0, models="", complete=True, consistency=np.nan, coverage=np.nan)
            model_lists.append([])
        else:
            model_lists.append([sol.model_terms(i) for i in range(len(sol.models))])
            row.update(n_models=len(sol.models), models=" | ".join(sol.models), complete=bool(sol.complete),
                       consistency=sol.fit_table.loc["M1", "consistency"], coverage=sol.fit_table.loc["M1", "coverage"])
        rows.append(row)
    table = pd.DataFrame(rows)
    table["pri_cutoff"] = pd.array(table["pri_cutoff"].tolist(), dtype="Float64")
    table["complete"] = table["complete"].astype(bool)
    if not anchor_cols:
        table = table.drop(columns="anchors")
    result = Robustness(table, solution, outcome=outcome, models=model_lists)
    incomplete = [i for i, done in enumerate(table["complete"]) if not done]
    if incomplete:
        labels = result.run_labels("en")
        named = "; ".join(f"run {i} ({labels[i]}): {table['n_models'].iloc[i]} listed" for i in incomplete)
        warnings.warn(
            f"model ambiguity: the listing of tied models was capped (max_models={max_models}, "
            f"max_nodes={max_nodes}) in {len(incomplete)} of {len(table)} runs — {named}. Term shares "
            "in these runs count the listed models only; raise max_models or max_nodes to list them all.",
            QCAWarning, stacklevel=2)
    return result


class RobustnessFit(Result):
    """Result of :func:`robustness_fit`.

    Attributes
    ----------
    measures : DataFrame
        One row: ``RF_cov``, ``RF_cons``, ``RF_SC_minTS``, ``RF_SC_maxTS``, then the consistency
        and coverage of the initial solution (``IS_``) and of the robust core (``core_``), then
        the case-oriented ``RCR_typ``, ``RCR_dev`` and ``RCC_rank`` (see :func:`robustness_fit`).
    case_types : DataFrame
        One row per robustness case type (:data:`ROBUST_CASE_TYPES`): ``type``,
        ``intersection``, ``outcome_in`` (outcome > 0.5, or < 0.5), ``n``, ``cases``.
    memberships : DataFrame
        Cases × ``IS``, ``TS1``…, ``minTS``, ``maxTS``, ``core`` (= min(IS, minTS)), the outcome.
    initial_model : str
    test_models : list of str
    """

    def __init__(self, *, measures, memberships, case_types, initial_model, test_models, outcome):
        self.measures = measures
        self.memberships = memberships
        self.case_types = case_types
        self.initial_model = initial_model
        self.test_models = test_models
        self.outcome = outcome

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`measures`."""
        return self.measures

    @property
    def title(self) -> str:
        return f"robustness fit of {self.initial_model!r} ({self.outcome}) against {len(self.test_models)} test solution(s)"

    @property
    def notes(self) -> tuple[str, ...]:
        """The test models, then what the measures mean."""
        meaning = ("RF_cov = coverage(core)/coverage(IS), RF_cons = consistency(IS)/consistency(core), "
                   "RF_SC = Σmin(IS, TS)/Σmax(IS, TS) for the minimum and maximum of the test "
                   "solutions; 1 = the initial solution is robust to the tests")
        return (*(f"TS{i}: {m}" for i, m in enumerate(self.test_models, start=1)), meaning)


#: Oana & Schneider's (2021) case types of a robustness test: (type, intersection, outcome in).
ROBUST_CASE_TYPES = (
    ("robust_typical", "IS*minTS", True), ("robust_deviant", "IS*minTS", False),
    ("shaky_typical", "IS*~minTS", True), ("shaky_deviant", "IS*~minTS", False),
    ("possible_typical", "~IS*maxTS", True), ("possible_deviant", "~IS*maxTS", False),
    ("extreme_deviant_coverage", "~IS*~maxTS", True), ("irrelevant", "~IS*~maxTS", False),
)


def _robust_case_types(is_m, tmin, tmax, y, index):
    """The eight case types of a robustness test and the case ratios RCR_typ, RCR_dev, RCC_rank."""
    inter = {"IS*minTS": np.minimum(is_m, tmin), "IS*~minTS": np.minimum(is_m, 1 - tmin),
             "~IS*maxTS": np.minimum(1 - is_m, tmax), "~IS*~maxTS": np.minimum(1 - is_m, 1 - tmax)}
    rows, n = [], {}
    for kind, name, with_y in ROBUST_CASE_TYPES:
        keep = (inter[name] > 0.5) & ((y > 0.5) if with_y else (y < 0.5))
        n[kind] = int(keep.sum())
        rows.append({"type": kind, "intersection": name, "outcome_in": with_y, "n": n[kind],
                     "cases": "; ".join(map(str, index[keep]))})

    def ratio(robust, shaky, possible):
        den = n[robust] + n[shaky] + n[possible]
        return n[robust] / den if den else np.nan

    shaky = int((inter["IS*~minTS"] > 0.5).sum())
    possible = int((inter["~IS*maxTS"] > 0.5).sum())
    rank = 1 + (possible > 0) + 2 * (shaky > 0)
    return pd.DataFrame(rows), {
        "RCR_typ": ratio("robust_typical", "shaky_typical", "possible_typical"),
        "RCR_dev": ratio("robust_deviant", "shaky_deviant", "possible_deviant"),
        "RCC_rank": rank}


def _one_model(item, what: str):
    """(Solution, model index) from a Solution or a (Solution, model) pair."""
    sol, model = (item if isinstance(item, tuple) else (item, 0))
    if not isinstance(sol, Solution):
        raise TypeError(f"{what} must be a Solution from qca.minimize (or a (Solution, model) pair), "
                        f"got {type(sol).__name__}")
    if not sol.models:
        raise ValueError(f"{what} has no model")
    i = sol._model_index(model)
    return sol, i


def robustness_fit(initial, tests) -> RobustnessFit:
    """Oana & Schneider's fit-oriented robustness measures of a solution against test solutions.

    Parameters
    ----------
    initial : Solution or (Solution, model)
        The initial solution IS (its first model, or the model given: index, ``"M1"``… or text).
    tests : sequence of Solution or (Solution, model)
        Test solutions TS, made with other calibration anchors, cut-offs or cases kept (e.g. the
        runs of :func:`robustness`), on the same cases as IS.

    Returns
    -------
    RobustnessFit

    Notes
    -----
    With IS, TS_i the memberships in the models and Y in the outcome: minTS = min_i TS_i,
    maxTS = max_i TS_i, robust core RC = min(IS, minTS);
    RF_cov = coverage(RC)/coverage(IS); RF_cons = consistency(IS)/consistency(RC);
    RF_SC_minTS = Σmin(IS, minTS)/Σmax(IS, minTS) and RF_SC_maxTS the same with maxTS (consistency
    and coverage as in :func:`coanalysis.qca.sufficiency_fit`). Values of 1 mean that the tests
    leave the initial solution unchanged.

    Case types (a case is in an intersection above 0.5; with the outcome above 0.5 or below):
    robust typical / deviant in IS·minTS, shaky in IS·~minTS, possible in ~IS·maxTS, extreme
    deviant coverage / irrelevant in ~IS·~maxTS. RCR_typ = robust typical / (robust + shaky +
    possible typical), RCR_dev the same for deviant cases (NaN when no such case);
    RCC_rank = 1 when no case is shaky nor possible, 2 possible cases only, 3 shaky only, 4 both.

    Checked against SetMethods 4.1 ``rob.fit`` and ``rob.cases`` (R QCA 3.23) on LF and CVF with one or two test
    solutions. Two differences: SetMethods divides fit values already rounded to 3 significant
    digits and rounds the result to 3 decimals (here nothing is rounded); with three test
    solutions or more it builds minTS and maxTS from the first and the last test solution only
    (``for (i in length(test_sol))``), where this function takes them all.

    References
    ----------
    Oana, I.-E., & Schneider, C. Q. (2021). A robustness test protocol for applied QCA: theory and
    R software application. *Sociological Methods & Research*, 53(1), 57-88.
    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). *Qualitative Comparative Analysis using
    R: A Beginner's Guide*, ch. 5. Cambridge University Press.

    Examples
    --------
    >>> import pandas as pd
    >>> from coanalysis.qca import truth_table, minimize
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> base = minimize(truth_table(df, outcome="Y", conditions=["A", "B"]))
    >>> robustness_fit(base, [base]).table[["RF_cov", "RF_cons", "RF_SC_minTS"]].values.tolist()
    [[1.0, 1.0, 1.0]]
    """
    sol, i = _one_model(initial, "initial")
    if isinstance(tests, (Solution, tuple)) or not len(tests):
        raise ValueError("tests must be a non-empty list of test solutions (Solution or (Solution, model))")
    test_pairs = [_one_model(t, f"tests[{j}]") for j, t in enumerate(tests)]
    index = list(map(str, sol.truth_table.data.index))
    for j, (t, _) in enumerate(test_pairs):
        if list(map(str, t.truth_table.data.index)) != index:
            raise DataError(Problem("<tests>", None, f"tests[{j}]", "other cases",
                                    "the initial solution's cases, in its order",
                                    "a test solution with dropped cases is compared on the cases "
                                    "they share: subset the initial data first"),
                            "test and initial solutions hold different cases")
        if t.outcome != sol.outcome:
            raise ValueError(f"tests[{j}] is a solution for {t.outcome!r}, the initial one for "
                             f"{sol.outcome!r}")
    y = sol.truth_table.y
    is_m = sol.case_membership(i)[sol.models[i]].to_numpy(dtype=float)
    ts = [t.case_membership(k)[t.models[k]].to_numpy(dtype=float) for t, k in test_pairs]
    tmin, tmax = np.minimum.reduce(ts), np.maximum.reduce(ts)
    core = np.minimum(is_m, tmin)
    fit_is, fit_core = sufficiency_fit(is_m, y), sufficiency_fit(core, y)
    with np.errstate(invalid="ignore", divide="ignore"):
        measures = {
            "RF_cov": fit_core["coverage"] / fit_is["coverage"],
            "RF_cons": fit_is["consistency"] / fit_core["consistency"],
            "RF_SC_minTS": np.minimum(is_m, tmin).sum() / np.maximum(is_m, tmin).sum(),
            "RF_SC_maxTS": np.minimum(is_m, tmax).sum() / np.maximum(is_m, tmax).sum(),
            "IS_consistency": fit_is["consistency"], "IS_coverage": fit_is["coverage"],
            "core_consistency": fit_core["consistency"], "core_coverage": fit_core["coverage"],
        }
    case_types, ratios = _robust_case_types(is_m, tmin, tmax, y, sol.truth_table.data.index)
    measures.update(ratios)
    memberships = pd.DataFrame({"IS": is_m}, index=sol.truth_table.data.index)
    for j, v in enumerate(ts, start=1):
        memberships[f"TS{j}"] = v
    memberships["minTS"], memberships["maxTS"], memberships["core"] = tmin, tmax, core
    memberships[sol.outcome] = y
    return RobustnessFit(measures=pd.DataFrame([{k: float(v) for k, v in measures.items()}]),
                         memberships=memberships, case_types=case_types, initial_model=sol.models[i],
                         test_models=[t.models[k] for t, k in test_pairs], outcome=sol.outcome)


class CutoffRange(Result):
    """Result of :func:`cutoff_range`.

    Attributes
    ----------
    lower, upper : float or None
        The lowest and highest values of the cut-off, on the grid initial ± k·step, at which the
        first model keeps the initial model's terms; None when ``max_runs`` steps all kept it
        (the range goes on beyond).
    runs : DataFrame
        Every value tried: ``value``, ``direction`` ("down" / "up"), ``holds``, ``model`` (the
        first model of that run, empty when no configuration reaches the cut-offs).
    parameter, initial, step, model
        What was moved, from where, by how much, and the initial first model.
    """

    def __init__(self, *, parameter, initial, step, model, lower, upper, runs, max_runs):
        self.parameter = parameter
        self.initial = initial
        self.step = step
        self.model = model
        self.lower = lower
        self.upper = upper
        self.runs = runs
        self.max_runs = max_runs

    @property
    def table(self) -> pd.DataFrame:
        """One row: ``parameter``, ``initial``, ``lower``, ``upper``, ``step``, ``model``."""
        return pd.DataFrame([{"parameter": self.parameter, "initial": self.initial,
                              "lower": self.lower, "upper": self.upper, "step": self.step,
                              "model": self.model}])

    @property
    def title(self) -> str:
        return f"range of {self.parameter} within which {self.model!r} holds"

    @property
    def notes(self) -> tuple[str, ...]:
        """The bounds in words, and when a bound is open (None)."""
        notes = [(f"{self.parameter} from {self.lower} to {self.upper} (initial {self.initial}, "
                  f"step {self.step}); {len(self.runs)} other value(s) tried")]
        for side, bound in (("lower", self.lower), ("upper", self.upper)):
            if bound is None:
                notes.append(f"{side} bound not reached within max_runs={self.max_runs} steps")
        return tuple(notes)


def cutoff_range(data: pd.DataFrame, *, outcome: str, conditions, parameter: str,
                 step: float | None = None, max_runs: int = 20, consistency_cutoff: float = 0.8,
                 n_cutoff: int = 1, pri_cutoff: float | None = None, solution: str = "parsimonious",
                 directional: dict | None = None, max_models: int = 100,
                 max_nodes: int = 2_000_000) -> CutoffRange:
    """The range of a truth-table cut-off within which the solution keeps the same terms.

    Parameters
    ----------
    data, outcome, conditions
        As in :func:`coanalysis.qca.truth_table`.
    parameter : {"consistency_cutoff", "n_cutoff"}
        The cut-off moved (:data:`CUTOFF_PARAMETERS`); the other keeps its given value.
    step : float, optional
        Grid step (default 0.01 for the consistency cut-off, 1 for the frequency cut-off).
    max_runs : int
        At most this many steps each way.
    consistency_cutoff, n_cutoff, pri_cutoff
        The initial cut-offs.
    solution, directional, max_models, max_nodes
        As in :func:`coanalysis.qca.minimize`.

    Returns
    -------
    CutoffRange

    Notes
    -----
    From the initial value, the cut-off is moved by ``step`` down, then up (values
    initial ± k·step, rounded to 10 decimals so that steps do not drift), until the first model
    no longer has the initial first model's terms (compared as sets), no configuration reaches
    the cut-offs, or the admissible range ends (consistency in (0, 1], frequency ≥ 1). Each bound
    is the last value at which the terms held. This is the range test of Oana & Schneider's
    (2021) protocol (SetMethods' ``rob.inclrange`` and ``rob.ncutrange``), checked against
    SetMethods 4.1 on LF and CVF. Two differences: SetMethods never tries the consistency
    cut-off 1 (it stops as soon as the next value reaches 1; here 1 is tried), and it gives NA as
    soon as ``max.runs`` steps are taken, even when the last step changed the solution (here None
    only when every step kept it).

    References
    ----------
    Oana, I.-E., & Schneider, C. Q. (2021). A robustness test protocol for applied QCA: theory and
    R software application. *Sociological Methods & Research*, 53(1), 57-88.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> r = cutoff_range(df, outcome="Y", conditions=["A", "B"], parameter="consistency_cutoff",
    ...                  step=0.25, consistency_cutoff=1)
    >>> r.lower, r.upper
    (0.25, 1.0)
    """
    if parameter not in CUTOFF_PARAMETERS:
        raise ValueError(f"parameter must be one of {list(CUTOFF_PARAMETERS)}, got {parameter!r}")
    check_solution(solution, directional)
    if step is None:
        step = 0.01 if parameter == "consistency_cutoff" else 1
    if not (isinstance(step, (int, float)) and step > 0):
        raise ValueError(f"step must be a positive number, got {step!r}")
    if parameter == "n_cutoff" and float(step) != int(step):
        raise ValueError(f"the frequency cut-off moves by whole cases: step must be an integer, got {step!r}")
    if not isinstance(max_runs, int) or max_runs < 1:
        raise ValueError(f"max_runs must be a positive integer, got {max_runs!r}")

    def first_model(value):
        settings = {"consistency_cutoff": consistency_cutoff, "n_cutoff": n_cutoff, parameter: value}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QCAWarning)
            tt = truth_table(data, outcome=outcome, conditions=conditions, pri_cutoff=pri_cutoff,
                             **settings)
            try:
                sol = minimize(tt, solution=solution, directional=directional,
                               max_models=max_models, max_nodes=max_nodes)
            except DataError:
                return None, ""
        return (set(sol.model_terms(0)), sol.models[0]) if sol.models else (None, "")

    def admissible(value) -> bool:
        return 0 < value <= 1 + 1e-12 if parameter == "consistency_cutoff" else value >= 1

    initial = consistency_cutoff if parameter == "consistency_cutoff" else n_cutoff
    terms, model = first_model(initial)
    if terms is None:
        raise DataError(Problem("<truth table>", None, parameter, initial,
                                "initial cut-offs that give a solution",
                                "no configuration reaches them: lower a cut-off"),
                        "no initial solution whose range could be measured")
    runs, bounds = [], {}
    for direction, sign in (("down", -1), ("up", 1)):
        bound = initial
        for k in range(1, max_runs + 1):
            value = round(initial + sign * k * step, 10)
            if parameter == "n_cutoff":
                value = int(value)
            if not admissible(value):
                break
            got, text = first_model(value)
            holds = got == terms
            runs.append({"value": value, "direction": direction, "holds": holds, "model": text})
            if not holds:
                break
            bound = value
        else:
            bound = None  # every step kept the solution: the range goes on
        bounds[direction] = bound
    cast = float if parameter == "consistency_cutoff" else int
    return CutoffRange(parameter=parameter, initial=initial, step=step, model=model,
                       lower=None if bounds["down"] is None else cast(bounds["down"]),
                       upper=None if bounds["up"] is None else cast(bounds["up"]),
                       runs=pd.DataFrame(runs, columns=["value", "direction", "holds", "model"]),
                       max_runs=max_runs)


class AnchorRange(Result):
    """Result of :func:`anchor_range`.

    Attributes
    ----------
    bounds : DataFrame
        One row per anchor (:data:`ANCHORS`): ``anchor``, ``initial``, ``lower``, ``upper`` (the
        furthest values, on the grid initial ± k·step, at which the first model keeps its terms;
        NaN when ``max_runs`` steps all kept them), ``lower_end`` and ``upper_end`` (why the
        search stopped: "solution changed", "no solution", "anchors unordered", "data range",
        "max_runs").
    runs : DataFrame
        Every setting tried: ``anchor``, ``value``, ``direction``, ``holds``, ``model``.
    column, anchors, step, model
    """

    def __init__(self, *, column, anchors, step, model, bounds, runs):
        self.column = column
        self.anchors = anchors
        self.step = step
        self.model = model
        self.bounds = bounds
        self.runs = runs

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`bounds`."""
        return self.bounds

    @property
    def title(self) -> str:
        return f"calibration anchors of {self.column!r} within which {self.model!r} holds"

    @property
    def notes(self) -> tuple[str, ...]:
        """The initial anchors and the step."""
        text = (f"initial anchors {tuple(self.anchors)}, step {self.step}; {len(self.runs)} "
                "calibration(s) tried")
        return (text,)


def anchor_range(raw: pd.DataFrame, data: pd.DataFrame, *, column: str, anchors, step: float,
                 outcome: str, conditions, raw_column: str | None = None, max_runs: int = 20,
                 consistency_cutoff: float = 0.8, n_cutoff: int = 1, pri_cutoff: float | None = None,
                 solution: str = "parsimonious", directional: dict | None = None,
                 max_models: int = 100, max_nodes: int = 2_000_000) -> AnchorRange:
    """The range of each calibration anchor of one condition within which the solution holds.

    Parameters
    ----------
    raw : DataFrame
        The raw values, indexed like ``data``.
    data : DataFrame
        Cases × memberships; ``column`` is replaced by the calibration of ``raw[raw_column]``.
    column : str
        The condition recalibrated; ``raw_column`` its raw column (default the same name).
    anchors : (exclusion, crossover, inclusion)
        The initial anchors of the direct method (:func:`coanalysis.qca.calibrate`; decreasing
        anchors give a decreasing set).
    step : float
        Grid step, in the raw variable's unit.
    outcome, conditions, max_runs, consistency_cutoff, n_cutoff, pri_cutoff, solution,
    directional, max_models, max_nodes
        As in :func:`cutoff_range`.

    Returns
    -------
    AnchorRange

    Notes
    -----
    Each anchor in turn is moved down, then up, by k·step (k = 1…``max_runs``; the other two
    fixed), the condition is recalibrated and the solution recomputed, until its first model no
    longer has the initial first model's terms (as sets), there is no solution, the anchors stop
    being strictly ordered, or — for the crossover — the value reaches the raw data's range.
    This is the calibration range test of Oana & Schneider's (2021) protocol (SetMethods'
    ``rob.calibrange``), checked against SetMethods 4.1 on the Lipset raw data (LR). Differences:
    SetMethods goes on when a move makes two anchors equal or crossed (R QCA's ``calibrate``
    then gives NaN or a non-monotone set; here such anchors end the range, "anchors unordered"),
    and it gives NA once ``max.runs`` steps are taken even when the last one changed the
    solution (here NaN only when every step kept it).

    References
    ----------
    Oana, I.-E., & Schneider, C. Q. (2021). A robustness test protocol for applied QCA: theory and
    R software application. *Sociological Methods & Research*, 53(1), 57-88.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"A": [10.0, 8.0, 2.0, 1.0]})
    >>> df = pd.DataFrame({"A": [1.0, 1.0, 0.0, 0.0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> r = anchor_range(raw, df, column="A", anchors=(3, 5, 7), step=1, outcome="Y",
    ...                  conditions=["A", "B"], max_runs=3, consistency_cutoff=0.8)
    >>> crossover = r.table.set_index("anchor").loc["crossover"]
    >>> crossover[["lower", "upper"]].astype(float).tolist(), crossover["upper_end"]
    ([4.0, 6.0], 'anchors unordered')
    """
    check_solution(solution, directional)
    raw_column = column if raw_column is None else raw_column
    require_columns(raw, {"raw_column": raw_column}, table="raw data")
    require_columns(data, {"column": column}, table="data")
    if list(map(str, raw.index)) != list(map(str, data.index)):
        raise DataError(Problem("<raw data>", None, "index", list(map(str, raw.index))[:5],
                                "the cases of data, in its order", "align raw and data first"),
                        "raw data and data hold different cases")
    anchors = tuple(float(a) for a in anchors)
    if len(anchors) != 3:
        raise ValueError(f"anchors must be (exclusion, crossover, inclusion), got {anchors!r}")
    if not (isinstance(step, (int, float)) and step > 0):
        raise ValueError(f"step must be a positive number, got {step!r}")
    if not isinstance(max_runs, int) or max_runs < 1:
        raise ValueError(f"max_runs must be a positive integer, got {max_runs!r}")
    x_raw = raw[raw_column]
    lo, hi = float(np.nanmin(x_raw)), float(np.nanmax(x_raw))
    increasing = anchors[0] < anchors[1] < anchors[2]
    if not (increasing or anchors[0] > anchors[1] > anchors[2]):
        raise ValueError(f"anchors must be strictly ordered (increasing or decreasing), got {anchors}")

    def ordered(a) -> bool:
        return (a[0] < a[1] < a[2]) if increasing else (a[0] > a[1] > a[2])

    def first_model(a):
        frame = data.copy()
        frame[column] = calibrate(x_raw, exclusion=a[0], crossover=a[1], inclusion=a[2]).to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", QCAWarning)
            tt = truth_table(frame, outcome=outcome, conditions=conditions,
                             consistency_cutoff=consistency_cutoff, n_cutoff=n_cutoff,
                             pri_cutoff=pri_cutoff)
            try:
                sol = minimize(tt, solution=solution, directional=directional,
                               max_models=max_models, max_nodes=max_nodes)
            except DataError:
                return None, ""
        return (set(sol.model_terms(0)), sol.models[0]) if sol.models else (None, "")

    terms, model = first_model(anchors)
    if terms is None:
        raise DataError(Problem("<truth table>", None, column, anchors,
                                "initial anchors and cut-offs that give a solution",
                                "no configuration reaches the cut-offs: lower one"),
                        "no initial solution whose range could be measured")
    rows, runs = [], []
    for j, name in enumerate(ANCHORS):
        row = {"anchor": name, "initial": anchors[j]}
        for direction, sign in (("lower", -1), ("upper", 1)):
            bound, end = anchors[j], "max_runs"
            for k in range(1, max_runs + 1):
                value = round(anchors[j] + sign * k * step, 10)
                trial = tuple(value if m == j else anchors[m] for m in range(3))
                if not ordered(trial):
                    end = "anchors unordered"
                    break
                if name == "crossover" and not lo < value < hi:
                    end = "data range"
                    break
                got, text = first_model(trial)
                runs.append({"anchor": name, "value": value, "direction": direction,
                             "holds": got == terms, "model": text})
                if got != terms:
                    end = "no solution" if got is None else "solution changed"
                    break
                bound = value
            else:
                bound = np.nan
            row[direction], row[f"{direction}_end"] = float(bound), end
        rows.append(row)
    bounds = pd.DataFrame(rows, columns=["anchor", "initial", "lower", "upper", "lower_end", "upper_end"])
    return AnchorRange(column=column, anchors=anchors, step=step, model=model, bounds=bounds,
                       runs=pd.DataFrame(runs, columns=["anchor", "value", "direction", "holds", "model"]))
