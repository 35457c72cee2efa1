"""Boolean minimisation of a truth table: the complex (conservative),
parsimonious and intermediate solutions, every tied minimal model, and their fit.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from ..results import Result
from ..validation import check_choice, check_int
from ._boolean import (
    QCAWarning,
    cube_covers,
    cube_string,
    prime_implicants,
    r_order,
    solve_chart,
)
from .fit import FIT_ZERO, model_membership, sufficiency_fit, term_membership
from .truth_table import TruthTable

__all__ = ["SOLUTIONS", "Solution", "check_solution", "minimize"]

Cube = tuple[int, int]

#: The solutions :func:`minimize` (and :func:`coanalysis.qca.robustness`) compute, as R QCA names
#: them: no remainder used, any remainder used, the easy counterfactuals only.
SOLUTIONS = ("complex", "parsimonious", "intermediate")


def check_solution(solution: str, directional: dict | None) -> None:
    """Check a choice of solution against its directional expectations.

    The one rule of :func:`minimize` and :func:`coanalysis.qca.robustness`:
    ``solution`` is one of :data:`SOLUTIONS`; "intermediate" needs non-empty
    ``directional`` expectations, and the other two take none.

    Raises
    ------
    ValueError
        Naming the choice and what to pass instead.

    Examples
    --------
    >>> check_solution("intermediate", {"A": 1})
    >>> check_solution("intermediate", None)
    Traceback (most recent call last):
    ...
    ValueError: solution='intermediate' needs directional={condition: 1 or 0} (at least one expectation; without any, the intermediate solution is the complex one: ask for solution='complex')
    """
    check_choice(solution, "solution", SOLUTIONS)
    if solution == "intermediate" and not directional:
        raise ValueError("solution='intermediate' needs directional={condition: 1 or 0} (at least one "
                         "expectation; without any, the intermediate solution is the complex one: ask "
                         "for solution='complex')")
    if solution != "intermediate" and directional is not None:
        raise ValueError(f"directional expectations are used by solution='intermediate' only, got "
                         f"solution={solution!r} with directional={directional!r}: drop directional or "
                         "ask for solution='intermediate'")


@dataclass
class _Pair:
    """One (complex, parsimonious) pair of the intermediate solution and its counterfactuals."""

    label: str
    simplifying: np.ndarray  # remainders the parsimonious model uses (configurations)
    easy: np.ndarray  # the easy counterfactuals among them


def _solve(k: int, on: np.ndarray, off, *, chart_rows=None, max_models: int, max_nodes: int = 2_000_000):
    """Prime implicants and all minimum covers; returns (list of models as cube lists, complete, n_pi)."""
    masks, values = prime_implicants(k, on, off)
    rows = on if chart_rows is None else chart_rows
    chart = (rows[:, None] & masks[None, :]) == values[None, :]
    if chart_rows is not None:  # PIs made of easy counterfactuals only explain nothing
        useful = chart.any(axis=0)
        masks, values, chart = masks[useful], values[useful], chart[:, useful]
    sol = solve_chart(chart, max_models=max_models, max_nodes=max_nodes)
    models = [[(int(masks[i]), int(values[i])) for i in mod] for mod in sol.models]
    return models, sol.complete, len(masks), sol.total


def _covered(cubes, points: np.ndarray) -> np.ndarray:
    out = np.zeros(len(points), dtype=bool)
    for m, v in cubes:
        out |= cube_covers(m, v, points)
    return out


def _candidate_terms(c_model, p_model, directional: dict[int, int], k: int) -> list[Cube]:
    """Ragin & Sonnett's easy-counterfactual terms for one (complex, parsimonious) pair."""
    out = []
    for cm, cv in c_model:
        supersets = [(pm, pv) for pm, pv in p_model if (pm & cm) == pm and (cv & pm) == pv]
        if not supersets:
            out.append((cm, cv))
            continue
        for pm, _ in supersets:
            mask, value = pm, cv & pm
            for j in range(k):
                bit = 1 << (k - 1 - j)
                if not (cm & bit) or (pm & bit):
                    continue
                lit = 1 if cv & bit else 0
                if j in directional and directional[j] != lit:
                    continue  # the literal contradicts the expectation: dropped
                mask |= bit
                value |= cv & bit
            out.append((mask, value))
    return out


class Solution(Result):
    """A minimisation result: every tied minimal model and the parameters of fit.

    Attributes
    ----------
    kind : str
        "complex", "parsimonious" or "intermediate".
    models : list of str
        Every distinct minimal model, e.g. ``["A*~B + C"]``, in R QCA's order.
    model_table : DataFrame
        One row per model as R labels them (``M1``… or ``C1P1``… for the
        intermediate solution): ``label``, ``model``, ``name`` (M1…, the
        key of the model's row in ``fit_table``).
    fit_table : DataFrame
        Indexed by term (every term of any model, in R's order) then by model
        (``M1``…): ``consistency``, ``PRI``, ``coverage``, ``unique_coverage``
        (against all the listed terms), ``cases`` (the positive cases a term
        covers, row by row), and with several models ``unique_coverage_M1``…
        (within each model).
    pairs : list
        Intermediate solution only: for each (complex, parsimonious) pair its
        ``label``, ``simplifying`` assumptions and ``easy`` counterfactuals
        (configurations as integers; R's row number minus 1).
    complete : bool
        False when ``max_models`` or ``max_nodes`` stopped the listing of tied models.
    n_models_total : int or None
        Number of minimal models when known (complex and parsimonious
        solutions whose search ran to its end).
    """

    def __init__(self, *, kind, tt: TruthTable, model_cubes, labels, complete, n_prime_implicants,
                 directional=None, pairs=None, n_models_total=None):
        self.kind = kind
        self.truth_table = tt
        self.conditions = tt.conditions
        self.outcome = tt.outcome
        self.complete = complete
        self.n_models_total = n_models_total
        self.n_prime_implicants = n_prime_implicants
        self.directional = directional
        self.pairs = pairs or []
        k = len(self.conditions)
        self._model_cubes = []
        self.models: list[str] = []
        label_rows = []
        for label, cubes in zip(labels, model_cubes):
            cubes = [cubes[i] for i in r_order(np.array([c[0] for c in cubes], dtype=np.int64),
                                                np.array([c[1] for c in cubes], dtype=np.int64), k)]
            text = " + ".join(cube_string(m, v, self.conditions) for m, v in cubes)
            if text not in self.models:
                self.models.append(text)
                self._model_cubes.append(cubes)
            label_rows.append((label, text, f"M{self.models.index(text) + 1}"))
        self.model_table = pd.DataFrame(label_rows, columns=["label", "model", "name"])
        self.fit_table = self._fit_table()

    # ------------------------------------------------------------------ fit
    def _terms(self) -> list[Cube]:
        seen = []
        for cubes in self._model_cubes:
            for c in cubes:
                if c not in seen:
                    seen.append(c)
        if not seen:
            return []
        order = r_order(np.array([c[0] for c in seen], dtype=np.int64),
                        np.array([c[1] for c in seen], dtype=np.int64), len(self.conditions))
        return [seen[i] for i in order]

    def _fit_table(self) -> pd.DataFrame:
        tt = self.truth_table
        x, y = tt.x, tt.y
        terms = self._terms()
        sy = y.sum()
        on = tt.configurations("1")
        member = {c: term_membership(x, *c) for c in terms}
        rows = {}

        def unique_cov(term, others) -> float:
            if sy <= 0:
                return np.nan
            with_all = np.maximum.reduce([member[t] for t in others + [term]])
            without = (np.maximum.reduce([member[t] for t in others]) if others
                       else np.zeros(len(y)))
            v = (np.minimum(with_all, y).sum() - np.minimum(without, y).sum()) / sy
            return 0.0 if abs(v) < FIT_ZERO else float(v)

        cases_of = dict(zip(on.tolist(), tt.rows_of(on)["cases"]))  # positive rows: observed
        for term in terms:
            name = cube_string(*term, self.conditions)
            fit = sufficiency_fit(member[term], y)
            others = [t for t in terms if t != term]
            fit["unique_coverage"] = unique_cov(term, others)
            covered = on[cube_covers(*term, on)]
            fit["cases"] = "; ".join(cases_of[int(c)] for c in np.sort(covered))
            if len(self._model_cubes) > 1:
                for i, cubes in enumerate(self._model_cubes, start=1):
                    fit[f"unique_coverage_M{i}"] = (
                        unique_cov(term, [t for t in cubes if t != term]) if term in cubes else np.nan)
            rows[name] = fit
        for i, cubes in enumerate(self._model_cubes, start=1):
            fit = sufficiency_fit(model_membership(x, cubes), y)
            fit["unique_coverage"] = np.nan
            fit["cases"] = ""
            rows[f"M{i}"] = fit
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "term"
        return table

    def model_fit(self, model: int | str = 0) -> pd.DataFrame:
        """Fit table of one model (its terms, with unique coverage within that model, and its row)."""
        i = self._model_index(model)
        cubes = self._model_cubes[i]
        names = [cube_string(*c, self.conditions) for c in cubes]
        table = self.fit_table.loc[names + [f"M{i + 1}"], ["consistency", "PRI", "coverage", "cases"]].copy()
        col = f"unique_coverage_M{i + 1}" if f"unique_coverage_M{i + 1}" in self.fit_table else "unique_coverage"
        table.insert(3, "unique_coverage", self.fit_table.loc[names + [f"M{i + 1}"], col])
        return table

    def _model_index(self, model) -> int:
        if isinstance(model, (int, np.integer)):
            if not 0 <= model < len(self.models):
                raise IndexError(f"model index {model} out of range: {len(self.models)} model(s)")
            return int(model)
        if model in self.models:
            return self.models.index(model)
        if isinstance(model, str) and model.startswith("M") and model[1:].isdigit():
            return self._model_index(int(model[1:]) - 1)
        raise KeyError(f"{model!r} is neither a model index, a label M1… nor one of {self.models}")

    # ------------------------------------------------------------ memberships
    def model_terms(self, model: int | str = 0) -> list[str]:
        """The terms of one model (index, label ``M1``… or model string), in the model's order.

        Examples
        --------
        >>> import pandas as pd
        >>> from coanalysis.qca import truth_table
        >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 1, 0]})
        >>> minimize(truth_table(df, outcome="Y", conditions=["A", "B"])).model_terms()
        ['A', 'B']
        """
        i = self._model_index(model)
        return [cube_string(m, v, self.conditions) for m, v in self._model_cubes[i]]

    def case_membership(self, model: int | str = 0) -> pd.DataFrame:
        """Each case's membership in every term of a model, in the model, and in the outcome."""
        i = self._model_index(model)
        cubes = self._model_cubes[i]
        x = self.truth_table.x
        out = {cube_string(*c, self.conditions): term_membership(x, *c) for c in cubes}
        out[self.models[i]] = model_membership(x, cubes)
        out[self.outcome] = self.truth_table.y
        return pd.DataFrame(out, index=self.truth_table.data.index)

    def covered_configurations(self, model: int | str = 0) -> np.ndarray:
        """Configurations (integers) inside the model's terms: what the model claims."""
        cubes = self._model_cubes[self._model_index(model)]
        allc = np.arange(1 << len(self.conditions), dtype=np.int64)
        return allc[_covered(cubes, allc)]

    # --------------------------------------------------------------- display
    @property
    def table(self) -> pd.DataFrame:
        """Alias of :attr:`fit_table` (the package's results-object convention)."""
        return self.fit_table

    @property
    def title(self) -> str:
        """``"<kind> solution of '<outcome>'"``."""
        return f"{self.kind} solution of {self.outcome!r}"

    @property
    def notes(self) -> tuple[str, ...]:
        """The models, then the ambiguity and the capped listing when they apply."""
        notes = [f"M{i}: {m}" for i, m in enumerate(self.models, start=1)]
        if len(self.models) > 1:
            notes.append(f"model ambiguity: {len(self.models)} minimal models fit the data equally; "
                         "report them all")
        if not self.complete:
            notes.append("the listing of tied models was capped (max_models): more exist")
        return tuple(notes)

    def __repr__(self) -> str:
        return (f"<Solution: {self.title}, {len(self.models)} model(s)"
                + ("" if self.complete else ", listing capped")
                + (f": {self.models[0]}" if len(self.models) == 1 else "") + ">")

    def summary(self) -> str:
        """The title and models, the settings, the ambiguity, then :attr:`fit_table`, as text."""
        tt = self.truth_table
        lines = [self.title] + [f"  M{i}: {m}" for i, m in enumerate(self.models, start=1)] + [""]
        lines.append(f"outcome: {self.outcome}; conditions: {', '.join(self.conditions)}")
        lines.append(f"truth table: consistency_cutoff={tt.consistency_cutoff}, n_cutoff={tt.n_cutoff}, "
                     f"pri_cutoff={tt.pri_cutoff}; remainders {tt.n_remainders} of "
                     f"{1 << len(self.conditions)}")
        lines.append(f"prime implicants: {self.n_prime_implicants}")
        if self.kind == "intermediate":
            lines.append(f"directional expectations: {self.directional}")
            for p in self.pairs:
                lines.append(f"  {p.label}: {len(p.simplifying)} simplifying assumption(s), "
                             f"{len(p.easy)} easy counterfactual(s)")
        lines += self.notes[len(self.models):]  # the ambiguity and the capped listing
        with pd.option_context("display.width", 120, "display.max_columns", 30,
                               "display.max_colwidth", 50, "display.precision", 3):
            lines += ["", self.fit_table.to_string()]
        return "\n".join(lines)


def minimize(tt: TruthTable, *, solution: str = "complex", directional: dict | None = None,
             max_models: int = 500, max_nodes: int = 2_000_000) -> Solution:
    """Minimise a truth table into the complex, parsimonious or intermediate solution.

    Parameters
    ----------
    tt : TruthTable
        From :func:`coanalysis.qca.truth_table`.
    solution : {"complex", "parsimonious", "intermediate"}
        Which remainders the minimisation may use: none (the complex, or
        conservative, solution; R QCA's default), any (parsimonious), or the
        easy counterfactuals only (intermediate; needs ``directional``). The
        same choice as :func:`coanalysis.qca.robustness`'s, checked by
        :func:`check_solution`.
    directional : dict, optional
        ``{condition: 1 | 0}``: expected presence (1) or absence (0) of each
        condition with the outcome. Required by, and only taken by,
        ``solution="intermediate"``.
    max_models : int
        Cap on the number of tied minimal models listed (a warning says when hit).
    max_nodes : int
        Cap on the nodes of the cover search (a warning says when hit: the
        listing may then be incomplete). Deterministic, unlike a time limit.

    Returns
    -------
    Solution

    Notes
    -----
    ON = rows with OUT "1"; OFF = rows "0" and "C"; remainders "?".
    Complex: prime implicants (PIs) of ON with every other configuration OFF.
    Parsimonious: PIs covering ≥ 1 ON row and no OFF row, remainders free.
    In both, the PI chart (ON rows × PIs) is solved exactly: the minimum
    number of PIs, then **every** cover of that size (R QCA's M1, M2…).
    Intermediate (Ragin & Sonnett 2005, as in R QCA): for each pair of a
    complex model Ci and a parsimonious model Pj, the simplifying
    assumptions SA are the remainders Pj covers; for each term c of Ci and
    each term p of Pj contained in it, the literals of c not in p are dropped
    when they contradict the expectation; the easy counterfactuals EC are the
    SA rows inside these terms (or inside c when no p fits); CiPj is then
    minimised with ON ∪ EC as the only allowed configurations. Fit of terms
    and models: see :func:`coanalysis.qca.sufficiency_fit`; unique coverage
    of term j = [Σmin(S, Y) − Σmin(S − j, Y)]/ΣY.
    Checked against R QCA 3.25 ``minimize()`` on Lipset (crisp, fuzzy) and
    Cebotari & Vink, and against Quine's cyclic function.

    References
    ----------
    Ragin, C. C., & Sonnett, J. (2005). Between complexity and parsimony:
    limited diversity, counterfactual cases, and comparative analysis. In
    *Vergleichen in der Politikwissenschaft*, 180-197. VS Verlag.
    McCluskey, E. J. (1956). Minimization of Boolean functions. *Bell System
    Technical Journal*, 35(6), 1417-1444.
    Dușa, A. (2018). Consistency cubes. *The R Journal*, 10(2), 357-370.

    Examples
    --------
    >>> import pandas as pd
    >>> from coanalysis.qca import truth_table
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    >>> tt = truth_table(df, outcome="Y", conditions=["A", "B"], consistency_cutoff=1)
    >>> minimize(tt).models
    ['A']
    """
    if not isinstance(tt, TruthTable):
        raise TypeError(f"minimize expects a TruthTable (from qca.truth_table), got {type(tt).__name__}")
    check_solution(solution, directional)
    check_int(max_models, "max_models", min_val=1)
    k = tt.k
    on = tt.configurations("1")
    if len(on) == 0:
        raise DataError(Problem("<truth table>", None, "OUT", 0, "at least one positive row (OUT = 1)",
                                f"no configuration reaches consistency_cutoff={tt.consistency_cutoff} "
                                f"with n ≥ {tt.n_cutoff}: lower a cut-off or check the outcome"),
                        "nothing to minimise")
    off = np.concatenate([tt.configurations("0"), tt.configurations("C")])

    if solution == "parsimonious" and len(off) == 0:
        warnings.warn("no negative configuration: with remainders every configuration may be "
                      "used, so the parsimonious solution is the tautology '1' (R QCA stops here)",
                      QCAWarning, stacklevel=2)
    if solution != "intermediate":
        models, complete, n_pi, total = _solve(k, on, off if solution == "parsimonious" else None,
                                               max_models=max_models, max_nodes=max_nodes)
        labels = [f"M{i}" for i in range(1, len(models) + 1)]
        return Solution(kind=solution, tt=tt, model_cubes=models, labels=labels, complete=complete,
                        n_prime_implicants=n_pi, n_models_total=total)

    if not isinstance(directional, dict):
        raise ValueError(f"directional must be a dict {{condition: 1 or 0}}, got {directional!r}")
    bad = {c: v for c, v in directional.items() if c not in tt.conditions or v not in (0, 1)}
    if bad:
        raise ValueError(f"directional expectations must map conditions {tt.conditions} to 1 "
                         f"(present) or 0 (absent); invalid: {bad}")
    dirs = {tt.conditions.index(c): int(v) for c, v in directional.items()}
    c_models, c_complete, _, _ = _solve(k, on, None, max_models=max_models, max_nodes=max_nodes)
    p_models, p_complete, _, _ = _solve(k, on, off, max_models=max_models, max_nodes=max_nodes)
    remainder_set = tt.configurations("?")
    models, labels, pairs = [], [], []
    complete = c_complete and p_complete
    n_pi_total = 0
    for i, cm in enumerate(c_models, start=1):
        for j, pm in enumerate(p_models, start=1):
            sa = remainder_set[_covered(pm, remainder_set)]
            cands = _candidate_terms(cm, pm, dirs, k)
            ec = sa[_covered(cands, sa)]
            pair_models, pair_complete, n_pi, _ = _solve(
                k, np.concatenate([on, ec]), None, chart_rows=on, max_models=max_models,
                max_nodes=max_nodes)
            complete &= pair_complete
            n_pi_total = max(n_pi_total, n_pi)
            label = f"C{i}P{j}"
            pairs.append(_Pair(label, np.sort(sa), np.sort(ec)))
            for m_i, mod in enumerate(pair_models, start=1):
                models.append(mod)
                labels.append(label if len(pair_models) == 1 else f"{label}-M{m_i}")
    return Solution(kind="intermediate", tt=tt, model_cubes=models, labels=labels, complete=complete,
                    n_prime_implicants=n_pi_total, directional=dict(directional), pairs=pairs)
