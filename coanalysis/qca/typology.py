"""Case typology of a QCA solution (set-theoretic multi-method research): for each term the
typical cases and the cases deviant in consistency, for the solution the cases deviant in
coverage and the individually irrelevant cases — each traceable to the evidence behind its
coded values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook.interface import word
from ..errors import DataError, Problem
from ..results import Result
from ..text import check_lang
from .evidence import case_evidence, expression_sets
from .fit import parse_expression
from .minimize import Solution

__all__ = ["CASE_TYPES", "CaseTypology", "case_typology"]

#: The case types, in the order of the table: two per term, two for the solution as a whole.
CASE_TYPES = ("typical", "deviant_consistency", "deviant_coverage", "individually_irrelevant")

#: Types defined term by term; the other two are defined on the whole solution.
TERM_TYPES = ("typical", "deviant_consistency")

#: Two ranking scores closer than this are a tie ("most typical" may then be several cases):
#: the scores are sums of three memberships, so a difference below 1e-12 is rounding, not data.
TIE_TOLERANCE = 1e-12

_COLUMNS = ["type", "label", "term", "case", "term_membership", "solution_membership", "outcome",
            "best", "most", "unique", "row", "row_membership", "row_consistent"]


class CaseTypology(Result):
    """The result of :func:`case_typology`.

    Attributes
    ----------
    cases : DataFrame
        One row per (type, term, case), types in :data:`CASE_TYPES` order, terms in the
        model's order: ``type`` (a slug of :data:`CASE_TYPES`), ``label`` (the type in words, in
        ``lang``), ``term`` (the term; the whole model for the two solution-level types),
        ``case``, ``term_membership``, ``solution_membership``, ``outcome`` (memberships),
        ``best`` (SetMethods' ranking score, lower is more typical / more deviant; NA for the
        individually irrelevant), ``most`` (the best of its term, or of its truth-table row for
        deviant coverage), ``unique`` (typical only: typical for this term alone), ``row`` (the
        truth-table row number of the case's configuration, as
        :class:`coanalysis.qca.TruthTable` numbers them; NA when a condition is exactly 0.5),
        ``row_membership`` (the case's membership in that row), ``row_consistent`` (deviant
        coverage only: row membership ≤ outcome, the row is consistent for this case).
    memberships : DataFrame
        Every case × [the model's terms…, the model, the outcome] (SetMethods' ``pimdata``).
    model, outcome : str
    terms : list of str
        The model's terms, in its order.
    """

    def __init__(self, *, cases, memberships, model, terms, outcome, conditions, lang):
        self.cases = cases
        self.memberships = memberships
        self.model = model
        self.terms = terms
        self.outcome = outcome
        self.conditions = conditions
        self.lang = lang

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`cases`."""
        return self.cases

    @property
    def title(self) -> str:
        return word("case_typology_title", self.lang).format(model=self.model, outcome=self.outcome)

    @property
    def notes(self) -> tuple[str, ...]:
        """The number of cases of each type, then the rules."""
        counts = self.cases.groupby("type", sort=False)["case"].nunique()
        return tuple(word("case_type_count", self.lang).format(
            label=word(f"case_{t}", self.lang), n=int(counts.get(t, 0))) for t in CASE_TYPES) + (
            word("case_typology_rule", self.lang),)

    def of(self, type: str, term: str | None = None) -> list[str]:
        """The cases of one type (for one term), in the table's order.

        Examples
        --------
        >>> import pandas as pd
        >>> from coanalysis.qca import truth_table, minimize
        >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 1, 0]},
        ...                   index=["a", "b", "c", "d"])
        >>> ct = case_typology(minimize(truth_table(df, outcome="Y", conditions=["A", "B"])))
        >>> ct.of("typical", "A"), ct.of("individually_irrelevant")
        (['b', 'a'], ['d'])
        """
        if type not in CASE_TYPES:
            raise KeyError(f"{type!r} is not a case type; expected one of {list(CASE_TYPES)}")
        if term is not None and term not in self.terms and term != self.model:
            raise KeyError(f"{term!r} is not a term of {self.model!r}; terms: {self.terms}")
        rows = self.cases[self.cases["type"] == type]
        if term is not None:
            rows = rows[rows["term"] == term]
        return rows["case"].tolist()

    def evidence(self, casebase, type: str | None = None, term: str | None = None) -> pd.DataFrame:
        """The coded values, evidence and sources behind the cases of each type and term.

        Parameters
        ----------
        casebase : CaseBase
            The case base the QCA data came from (:func:`coanalysis.qca.from_casebase`).
        type, term : str, optional
            Keep one type (:data:`CASE_TYPES`) and / or one term.

        Returns
        -------
        DataFrame
            ``type``, ``term``, ``literal`` (how the term uses the set: ``slug`` or ``~slug``;
            the outcome as analysed), then :func:`coanalysis.qca.evidence.case_evidence`'s
            columns: for each case, its coded values in the term's conditions (the model's for
            the solution-level types) and in the outcome, with their evidence and source.
        """
        rows = self.cases
        if type is not None:
            if type not in CASE_TYPES:
                raise KeyError(f"{type!r} is not a case type; expected one of {list(CASE_TYPES)}")
            rows = rows[rows["type"] == type]
        if term is not None:
            rows = rows[rows["term"] == term]
        parts = []
        out_slug = self.outcome.lstrip("~")
        for (kind, t), group in rows.groupby(["type", "term"], sort=False):
            sets = expression_sets(t, self.conditions) + [out_slug]
            literal = {out_slug: self.outcome}
            if t in self.terms:
                ((mask, value),) = parse_expression(t, self.conditions)
                k = len(self.conditions)
                for j, c in enumerate(self.conditions):
                    bit = 1 << (k - 1 - j)
                    if mask & bit:
                        literal[c] = c if value & bit else f"~{c}"
            ev = case_evidence(casebase, group["case"].tolist(), sets)
            ev.insert(0, "literal", [literal.get(s, s) for s in ev["set"]])
            ev.insert(0, "term", t)
            ev.insert(0, "type", kind)
            parts.append(ev)
        if not parts:
            return pd.DataFrame(columns=["type", "term", "literal"]
                                + list(case_evidence(casebase, [], []).columns))
        return pd.concat(parts, ignore_index=True)


def _is_min(values: np.ndarray) -> np.ndarray:
    return values <= values.min() + TIE_TOLERANCE if len(values) else np.zeros(0, bool)


def case_typology(solution: Solution, data: pd.DataFrame | None = None, outcome: str | None = None,
                  *, model: int | str = 0, lang: str | None = None) -> CaseTypology:
    """Typical, deviant and individually irrelevant cases of a sufficient solution.

    Parameters
    ----------
    solution : Solution
        From :func:`coanalysis.qca.minimize`.
    data : DataFrame, optional
        The cases × sets data the truth table was built from (default: the solution's own); when
        given it must hold the same cases.
    outcome : str, optional
        Default and only allowed value: the solution's outcome (``"~Y"`` for a negated one).
    model : int or str
        Which tied model (index, ``"M1"``… or the model text; default the first).
    lang : {"fr", "en"}, optional
        Language of the labels, title and notes.

    Returns
    -------
    CaseTypology

    Notes
    -----
    With X a term's membership, S the solution's (the maximum over its terms), Y the outcome's:

    - **typical** (for each term): X > 0.5, Y > 0.5 and X ≤ Y; ranked by
      best = 2(Y − X) + (1 − X); ``unique`` when the case is typical for no other term;
    - **deviant in consistency** (for each term): X > 0.5 and Y < 0.5; best = 1 − (X − Y) + (1 − X);
    - **deviant in coverage** (the solution): S < 0.5 and Y > 0.5, listed with the truth-table
      row the case belongs to (its membership R in it: min over conditions of max(x, 1 − x));
      best = 1 − R, ``most`` within each row; ``row_consistent`` when R ≤ Y;
    - **individually irrelevant** (the solution): S < 0.5 and Y < 0.5.

    Rows are ordered as SetMethods orders them: typical cases of a term uniquely typical first,
    then by ``best`` and membership; deviant in consistency by ``best``; deviant in coverage by
    truth-table row, consistent rows first, then ``best``; individually irrelevant by row.
    ``most`` marks the lowest ``best`` of a term (of a row for deviant coverage); ties within
    :data:`TIE_TOLERANCE` are all marked. These are SetMethods' definitions (``smmr``, cases 1,
    3, 4, 5) of Schneider & Rohlfing's (2013) types; checked against SetMethods 4.1 (with R QCA
    3.23) on R QCA's datasets LF, CVF and LC. Where SetMethods stops (``cases.suf.dcv`` with no
    deviant-coverage case), the table has no row of that type.

    References
    ----------
    Schneider, C. Q., & Rohlfing, I. (2013). Combining QCA and process tracing in set-theoretic
    multi-method research. *Sociological Methods & Research*, 42(4), 559-597.
    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the Social Sciences*,
    ch. 11.4. Cambridge University Press.
    Oana, I.-E., Schneider, C. Q., & Thomann, E. (2021). *Qualitative Comparative Analysis
    using R: A Beginner's Guide*, ch. 8. Cambridge University Press.

    Examples
    --------
    >>> import pandas as pd
    >>> from coanalysis.qca import truth_table, minimize
    >>> df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 1, 0]},
    ...                   index=["a", "b", "c", "d"])
    >>> ct = case_typology(minimize(truth_table(df, outcome="Y", conditions=["A", "B"])), lang="en")
    >>> ct.table[["type", "term", "case", "unique"]].values.tolist()
    [['typical', 'A', 'b', True], ['typical', 'A', 'a', False], ['typical', 'B', 'c', True], ['typical', 'B', 'a', False], ['individually_irrelevant', 'A + B', 'd', <NA>]]
    """
    lang = check_lang(lang)
    if not isinstance(solution, Solution):
        raise TypeError(f"solution must be a Solution (from qca.minimize), got {type(solution).__name__}")
    if outcome is not None and outcome != solution.outcome:
        raise ValueError(f"outcome={outcome!r} but the solution is for {solution.outcome!r}: "
                         "minimise the truth table of that outcome, or drop outcome=")
    if not solution.models:
        raise ValueError("the solution has no model whose cases could be typed")
    tt = solution.truth_table
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise TypeError(f"data must be a pandas DataFrame (cases × sets), got {type(data).__name__}")
        if list(map(str, data.index)) != list(map(str, tt.data.index)):
            raise DataError(Problem("<data>", None, "index", list(map(str, data.index))[:5],
                                    "the cases of the solution's truth table, in its order",
                                    "pass the data the truth table was built from"),
                            "data and solution hold different cases")
    i = solution._model_index(model)
    model_text = solution.models[i]
    terms = solution.model_terms(i)
    member = solution.case_membership(i)
    s = member[model_text].to_numpy(dtype=float)
    y = tt.y
    cases = np.array([str(c) for c in tt.data.index], dtype=object)
    x = tt.x
    k = x.shape[1]
    row_membership = np.maximum(x, 1 - x).min(axis=1)
    ambiguous = (x == 0.5).any(axis=1)
    configuration = ((x > 0.5).astype(np.int64) << np.arange(k - 1, -1, -1)).sum(axis=1)
    row = pd.array(np.where(ambiguous, 0, configuration + 1), dtype="Int64")
    row[ambiguous] = pd.NA

    def frame(kind, term, idx, xm, best, most, unique=None, consistent=None):
        n = len(idx)
        return pd.DataFrame({
            "type": kind, "label": word(f"case_{kind}", lang), "term": term, "case": cases[idx],
            "term_membership": xm[idx], "solution_membership": s[idx], "outcome": y[idx],
            "best": best, "most": most,
            "unique": pd.array([pd.NA] * n if unique is None else unique, dtype="boolean"),
            "row": row[idx], "row_membership": row_membership[idx],
            "row_consistent": pd.array([pd.NA] * n if consistent is None else consistent,
                                       dtype="boolean")})

    parts = {t: [] for t in CASE_TYPES}
    typical_terms: dict[str, int] = {}
    for term in terms:
        xt = member[term].to_numpy(dtype=float)
        idx = np.flatnonzero((xt > 0.5) & (y > 0.5) & (xt <= y))
        best = 2 * (y[idx] - xt[idx]) + (1 - xt[idx])
        parts["typical"].append((term, idx, xt, best))
        for c in cases[idx]:
            typical_terms[c] = typical_terms.get(c, 0) + 1
        idx = np.flatnonzero((xt > 0.5) & (y < 0.5))
        best = 1 - (xt[idx] - y[idx]) + (1 - xt[idx])
        parts["deviant_consistency"].append((term, idx, xt, best))
    frames = []
    for term, idx, xt, best in parts["typical"]:
        unique = np.array([typical_terms[c] == 1 for c in cases[idx]], dtype=bool)
        f = frame("typical", term, idx, xt, best, _is_min(best), unique=unique)
        frames.append(f.assign(_u=~f["unique"].astype(bool)).sort_values(
            ["_u", "best", "term_membership"], kind="stable").drop(columns="_u"))
    for term, idx, xt, best in parts["deviant_consistency"]:
        f = frame("deviant_consistency", term, idx, xt, best, _is_min(best))
        frames.append(f.sort_values(["best", "term_membership"], kind="stable"))
    idx = np.flatnonzero((s < 0.5) & (y > 0.5))
    best = 1 - row_membership[idx]
    most = np.zeros(len(idx), dtype=bool)
    for r in np.unique(configuration[idx]):
        inside = configuration[idx] == r
        most[inside] = _is_min(best[inside])
    f = frame("deviant_coverage", model_text, idx, s, best, most,
              consistent=row_membership[idx] <= y[idx])
    f = f.assign(_r=configuration[idx], _c=~f["row_consistent"].astype(bool))
    frames.append(f.sort_values(["_r", "_c", "best"], kind="stable").drop(columns=["_r", "_c"]))
    idx = np.flatnonzero((s < 0.5) & (y < 0.5))
    f = frame("individually_irrelevant", model_text, idx, s, np.full(len(idx), np.nan),
              np.zeros(len(idx), dtype=bool))
    f = f.assign(_r=configuration[idx])
    frames.append(f.sort_values("_r", kind="stable").drop(columns="_r"))
    table = pd.concat([f for f in frames if len(f)] or [frame("typical", "", np.zeros(0, int), s,
                                                               np.zeros(0), np.zeros(0, bool))],
                      ignore_index=True)[_COLUMNS]
    table["most"] = table["most"].astype(bool)
    return CaseTypology(cases=table, memberships=member, model=model_text, terms=terms, outcome=solution.outcome,
                        conditions=list(solution.conditions), lang=lang)
