"""Theory evaluation: a theory written as a Boolean expression against a QCA solution — the four
intersections T·S, T·~S, ~T·S, ~T·~S, the cases in each (with the outcome in or out), and their
parameters of fit for the outcome.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..codebook.interface import word
from ..errors import DataError, Problem
from ..results import Result
from ..text import check_lang
from ._boolean import QCAWarning, cube_string, prime_implicants, r_order, solve_chart
from .evidence import case_evidence, expression_sets
from .fit import check_memberships, model_membership, parse_expression, sufficiency_fit
from .minimize import Solution

__all__ = ["INTERSECTIONS", "TheoryEvaluation", "theory_evaluation", "intersection_expression"]

#: The four intersections of a theory T and a solution S, in the order of the table (as
#: Schneider & Wagemann 2012, 11.3, list them: covered most likely, uncovered most likely,
#: covered least likely, uncovered least likely).
INTERSECTIONS = ("T*S", "T*~S", "~T*S", "~T*~S")

#: Above this many conditions the Boolean expression of an intersection is not simplified (the
#: exact minimisation enumerates the 2**k configurations).
MAX_SIMPLIFIED_CONDITIONS = 16


def _parse(expression: str, conditions: list[str], what: str):
    """Parse ``expression``; an unknown condition is a DataError naming it and the conditions."""
    try:
        return parse_expression(expression, conditions)
    except ValueError as err:
        raise DataError(Problem("<theory>", None, what, expression,
                                f"a Boolean expression such as 'A*~B + C' over the data's sets "
                                f"({', '.join(conditions)})", str(err)),
                        f"cannot read the {what}") from None


def intersection_expression(first: str, second: str, conditions) -> str:
    """A minimal sum of products equal to ``(first)·(second)``, as crisp Boolean functions.

    Parameters
    ----------
    first, second : str
        Expressions such as ``"A*~B + C"`` (:func:`coanalysis.qca.parse_expression`'s syntax;
        the negations of whole expressions are built by :func:`theory_evaluation`).
    conditions : sequence of str
        The conditions both may use, in the order literals are written.

    Returns
    -------
    str
        A prime-implicant cover of the intersection with the fewest terms (one of them when
        several tie), its terms in R QCA's order; ``"0"`` when the intersection is empty, ``"1"``
        when it is every configuration.

    Examples
    --------
    >>> intersection_expression("A*B", "A*~C + B*D", ["A", "B", "C", "D"])
    'A*B*~C + A*B*D'
    """
    return _intersection(parse_expression(first, list(conditions)), False,
                         parse_expression(second, list(conditions)), False, list(conditions))


def _intersection(t_cubes, t_neg: bool, s_cubes, s_neg: bool, conditions: list[str]) -> str:
    """Minimal sum of products of (±T)·(±S) over ``conditions`` (cubes of :func:`parse_expression`)."""
    k = len(conditions)
    if k > MAX_SIMPLIFIED_CONDITIONS:
        return ""
    configs = np.arange(1 << k, dtype=np.int64)
    bits = ((configs[:, None] >> np.arange(k - 1, -1, -1)) & 1).astype(float)
    t = model_membership(bits, t_cubes)
    s = model_membership(bits, s_cubes)
    f = np.minimum(1 - t if t_neg else t, 1 - s if s_neg else s) > 0.5
    on = configs[f]
    if len(on) == 0:
        return "0"
    if len(on) == len(configs):
        return "1"
    masks, values = prime_implicants(k, on, None)
    chart = (on[:, None] & masks[None, :]) == values[None, :]
    with warnings.catch_warnings():  # one minimal cover is wanted; ties are not listed
        warnings.simplefilter("ignore", QCAWarning)
        (cover, *_) = solve_chart(chart, max_models=1).models
    cubes = [(int(masks[i]), int(values[i])) for i in cover]
    order = r_order(np.array([c[0] for c in cubes]), np.array([c[1] for c in cubes]), k)
    return " + ".join(cube_string(*cubes[i], conditions) for i in order)


class TheoryEvaluation(Result):
    """The result of :func:`theory_evaluation`.

    Attributes
    ----------
    theory, model, outcome : str
        The theory T, the solution's model S (its terms joined by " + "), the outcome.
    memberships : DataFrame
        Cases × [S's terms…, ``S``, ``T``, the four intersections, the outcome]: each case's
        fuzzy membership (SetMethods' ``theory.data``).
    fit : DataFrame
        Indexed by the same sets but the outcome: ``consistency``, ``PRI``, ``coverage`` of each
        as sufficient for the outcome (SetMethods' ``fit``).
    intersections : DataFrame
        One row per intersection (:data:`INTERSECTIONS`): ``intersection``, ``expression`` (the
        intersection as a minimal Boolean expression over the conditions used), ``n_cases``
        (membership > 0.5), ``n_outcome`` and ``cases_outcome`` (of them, outcome > 0.5),
        ``n_not_outcome`` and ``cases_not_outcome`` (outcome < 0.5), then its fit.
    """

    def __init__(self, *, theory, model, outcome, conditions, memberships, fit, intersections,
                 lang):
        self.theory = theory
        self.model = model
        self.outcome = outcome
        self.conditions = conditions
        self.memberships = memberships
        self.fit = fit
        self.intersections = intersections
        self.lang = lang

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`intersections`."""
        return self.intersections

    @property
    def title(self) -> str:
        return word("theory_evaluation_title", self.lang).format(
            theory=self.theory, model=self.model, outcome=self.outcome)

    @property
    def notes(self) -> tuple[str, ...]:
        """What each intersection means for the theory, with the number of cases in it."""
        rows = self.intersections.set_index("intersection")
        keys = {"T*S": "theory_ts", "T*~S": "theory_tns", "~T*S": "theory_nts", "~T*~S": "theory_ntns"}
        return tuple(word(keys[i], self.lang).format(n_in=int(rows.loc[i, "n_outcome"]),
                                                     n_out=int(rows.loc[i, "n_not_outcome"]))
                     for i in INTERSECTIONS) + (word("theory_half_note", self.lang),)

    def cases(self, intersection: str, outcome: bool | None = None) -> list[str]:
        """The cases in an intersection (membership > 0.5); ``outcome=True``/``False``: of them,
        those with the outcome above / below 0.5.

        Examples
        --------
        >>> import pandas as pd
        >>> from coanalysis.qca import truth_table, minimize
        >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]},
        ...                   index=["a", "b", "c", "d"])
        >>> ev = theory_evaluation(df, "B", minimize(truth_table(df, outcome="Y", conditions=["A", "B"])))
        >>> ev.cases("T*S"), ev.cases("T*~S", outcome=False)
        (['a'], ['c'])
        """
        if intersection not in INTERSECTIONS:
            raise KeyError(f"{intersection!r} is not an intersection; expected one of {list(INTERSECTIONS)}")
        m = self.memberships
        keep = m[intersection] > 0.5
        if outcome is True:
            keep &= m[self.outcome] > 0.5
        elif outcome is False:
            keep &= m[self.outcome] < 0.5
        return [str(c) for c in m.index[keep]]

    def evidence(self, casebase, intersection: str | None = None) -> pd.DataFrame:
        """The coded values and their evidence behind each intersection's cases.

        Parameters
        ----------
        casebase : CaseBase
            The case base the QCA data came from (:func:`coanalysis.qca.from_casebase`).
        intersection : str, optional
            One of :data:`INTERSECTIONS` (default: all four).

        Returns
        -------
        DataFrame
            ``intersection``, ``outcome_in`` (the case's outcome > 0.5), then
            :func:`coanalysis.qca.evidence.case_evidence`'s columns, for the sets of the theory,
            of the model and the outcome.
        """
        chosen = INTERSECTIONS if intersection is None else (intersection,)
        sets = list(dict.fromkeys(expression_sets(self.theory, self.conditions)
                                  + expression_sets(self.model, self.conditions)
                                  + [self.outcome.lstrip("~")]))
        parts = []
        for name in chosen:
            cases = self.cases(name)
            if not cases:
                continue
            ev = case_evidence(casebase, cases, sets)
            ev.insert(0, "outcome_in", ev["case_id"].map(
                lambda c: bool(self.memberships.loc[c, self.outcome] > 0.5)))
            ev.insert(0, "intersection", name)
            parts.append(ev)
        if not parts:
            return pd.DataFrame(columns=["intersection", "outcome_in"] + list(case_evidence(
                casebase, [], []).columns))
        return pd.concat(parts, ignore_index=True)


def theory_evaluation(data: pd.DataFrame, theory: str, solution: Solution, outcome: str | None = None,
                      *, model: int | str = 0, lang: str | None = None) -> TheoryEvaluation:
    """Evaluate a theory (a Boolean expression) against a QCA solution.

    Parameters
    ----------
    data : DataFrame
        Cases × set memberships, indexed like the solution's truth-table data (the theory may use
        any of its columns, also conditions the solution does not hold).
    theory : str
        The theory T as a Boolean expression, e.g. ``"portage_politique*~transversalite + experimenter"``.
    solution : Solution
        From :func:`coanalysis.qca.minimize`.
    outcome : str, optional
        The outcome (``"~Y"`` for its negation); default and only allowed value: the solution's.
    model : int or str
        Which of the solution's tied models is S (index, ``"M1"``… or the model text; default the
        first, SetMethods' ``sol = 1``).
    lang : {"fr", "en"}, optional
        Language of the title and notes (default :func:`coanalysis.default_lang`).

    Returns
    -------
    TheoryEvaluation

    Raises
    ------
    DataError
        When the theory names a set that is not a column of ``data`` (the message names it and
        lists the columns), or data's cases differ from the solution's.

    Notes
    -----
    Each case's membership in T is that of the expression (AND = min, OR = max, NOT = 1 − x), in
    S the maximum over the model's terms; T·S = min(T, S), T·~S = min(T, 1 − S), ~T·S =
    min(1 − T, S), ~T·~S = min(1 − T, 1 − S). A case is in an intersection when its membership
    is above 0.5, and counted with the outcome when its outcome membership is above 0.5, without
    it when below (a case at exactly 0.5 is in neither column). Fit: consistency, PRI and
    coverage of each set as sufficient for the outcome (:func:`coanalysis.qca.sufficiency_fit`).
    The expression of an intersection is an exact minimal sum of products of the crisp
    function (one of them when several tie).

    Checked against SetMethods 4.1 ``theory.evaluation`` (with R QCA 3.23) on R QCA's datasets
    LF, CVF and LC: memberships, fit and the cases of seven of its eight cells; in the eighth,
    "T*S and Y < 0.5", SetMethods 4.1 reads a column that does not exist (``T*E``) and always
    prints no case: this function lists the cases the rule selects. Its Boolean expressions
    agree as functions with admisc's ``intersection`` wherever admisc prints a readable one.

    References
    ----------
    Ragin, C. C. (1987). *The Comparative Method*. University of California Press, ch. 8.
    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences*,
    ch. 11.3 (theory evaluation). Cambridge University Press.
    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). *Qualitative Comparative Analysis
    using R: A Beginner's Guide*, ch. 7. Cambridge University Press.

    Examples
    --------
    >>> import pandas as pd
    >>> from coanalysis.qca import truth_table, minimize
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]},
    ...                   index=["a", "b", "c", "d"])
    >>> sol = minimize(truth_table(df, outcome="Y", conditions=["A", "B"]))
    >>> ev = theory_evaluation(df, "B", sol, lang="en")
    >>> ev.table[["intersection", "expression", "n_outcome", "n_not_outcome"]].values.tolist()
    [['T*S', 'A*B', 1, 0], ['T*~S', '~A*B', 0, 1], ['~T*S', 'A*~B', 1, 0], ['~T*~S', '~A*~B', 0, 1]]
    """
    lang = check_lang(lang)
    if not isinstance(solution, Solution):
        raise TypeError(f"solution must be a Solution (from qca.minimize), got {type(solution).__name__}")
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame (cases × sets), got {type(data).__name__}")
    if outcome is not None and outcome != solution.outcome:
        raise ValueError(f"outcome={outcome!r} but the solution is for {solution.outcome!r}: "
                         "minimise the truth table of that outcome, or drop outcome=")
    if not solution.models:
        raise ValueError("the solution has no model to evaluate a theory against")
    if not isinstance(theory, str) or not theory.strip():
        raise ValueError(f"theory must be a Boolean expression such as 'A*~B + C', got {theory!r}")
    tt_data = solution.truth_table.data
    if list(map(str, data.index)) != list(map(str, tt_data.index)):
        missing = [str(c) for c in tt_data.index if c not in data.index]
        extra = [str(c) for c in data.index if c not in tt_data.index]
        raise DataError(Problem("<data>", None, "index", f"missing {missing[:5]}, extra {extra[:5]}",
                                "the cases of the solution's truth table, in its order",
                                "pass the data the truth table was built from"),
                        "data and solution hold different cases")
    out_name = solution.outcome.lstrip("~").strip()
    columns = [c for c in data.columns if c != out_name]
    conditions = list(solution.conditions) + [c for c in columns if c not in solution.conditions]
    t_cubes = _parse(theory, conditions, "theory")
    used_t = expression_sets(theory, conditions)
    check_memberships(data, used_t, what="membership")
    i = solution._model_index(model)
    model_text = solution.models[i]
    member = solution.case_membership(i)
    terms = solution.model_terms(i)
    x_all = np.column_stack([data[c].to_numpy(dtype=float) if c in used_t else np.zeros(len(data))
                             for c in conditions])
    t = model_membership(x_all, t_cubes)
    s = member[model_text].to_numpy(dtype=float)
    y = solution.truth_table.y
    memberships = pd.DataFrame({term: member[term].to_numpy(dtype=float) for term in terms},
                               index=data.index)
    memberships["S"] = s
    memberships["T"] = t
    memberships["T*S"] = np.minimum(t, s)
    memberships["T*~S"] = np.minimum(t, 1 - s)
    memberships["~T*S"] = np.minimum(1 - t, s)
    memberships["~T*~S"] = np.minimum(1 - t, 1 - s)
    memberships[solution.outcome] = y
    sets = [c for c in memberships.columns if c != solution.outcome]
    fit = pd.DataFrame({c: sufficiency_fit(memberships[c].to_numpy(), y) for c in sets}).T
    fit = fit[["consistency", "PRI", "coverage"]].astype(float)
    fit.index.name = "set"

    used = [c for c in conditions if c in set(used_t) | set(expression_sets(model_text, conditions))]
    t_used = parse_expression(theory, used)
    s_used = parse_expression(model_text, used)
    negs = {"T*S": (False, False), "T*~S": (False, True), "~T*S": (True, False), "~T*~S": (True, True)}
    rows = []
    for name in INTERSECTIONS:
        tn, sn = negs[name]
        inside = memberships[name] > 0.5
        with_y = inside & (y > 0.5)
        without_y = inside & (y < 0.5)
        rows.append({
            "intersection": name,
            "expression": _intersection(t_used, tn, s_used, sn, used),
            "n_cases": int(inside.sum()),
            "n_outcome": int(with_y.sum()),
            "cases_outcome": "; ".join(map(str, memberships.index[with_y])),
            "n_not_outcome": int(without_y.sum()),
            "cases_not_outcome": "; ".join(map(str, memberships.index[without_y])),
            **fit.loc[name].to_dict(),
        })
    return TheoryEvaluation(theory=theory, model=model_text, outcome=solution.outcome,
                            conditions=conditions, memberships=memberships, fit=fit,
                            intersections=pd.DataFrame(rows), lang=lang)
