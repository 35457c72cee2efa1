"""Set-theoretic parameters of fit and case memberships in QCA expressions
(terms such as ``A*~B`` and models such as ``A*~B + C``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from ..validation import require_columns

__all__ = [
    "parse_expression",
    "membership",
    "sufficiency_fit",
    "necessity_fit",
    "check_memberships",
    "negate",
    "term_membership",
    "model_membership",
    "outcome_values",
]

#: R QCA (``pof.R``) reports any parameter of fit below this as 0 (floating-point residue).
FIT_ZERO = 1e-5


def _zero(v: float) -> float:
    return 0.0 if (np.isfinite(v) and abs(v) < FIT_ZERO) else float(v)


def parse_expression(expression: str, conditions) -> list[tuple[int, int]]:
    """Parse ``"A*~B + C"`` into cubes ``(mask, value)`` over ``conditions``.

    Parameters
    ----------
    expression : str
        Terms joined by ``+``; literals joined by ``*``; ``~`` negates. ``"1"``
        is the tautology.
    conditions : sequence of str
        The conditions, in truth-table order (the first is the high bit).

    Returns
    -------
    list of (mask, value)

    Examples
    --------
    >>> parse_expression("A*~B + C", ["A", "B", "C"])
    [(6, 4), (1, 1)]
    """
    conditions = list(conditions)
    k = len(conditions)
    pos = {c: j for j, c in enumerate(conditions)}
    if not isinstance(expression, str) or not expression.strip():
        raise ValueError(f"expression must be a non-empty string such as 'A*~B + C', got {expression!r}")
    cubes = []
    for raw_term in expression.split("+"):
        term = raw_term.strip()
        if term == "1":
            cubes.append((0, 0))
            continue
        mask = value = 0
        for raw_lit in term.split("*"):
            lit = raw_lit.strip()
            neg = lit.startswith("~")
            name = lit[1:].strip() if neg else lit
            if name not in pos:
                raise ValueError(f"unknown condition {name!r} in {expression!r}; expected one of {conditions}")
            bit = 1 << (k - 1 - pos[name])
            if mask & bit and bool(value & bit) == neg:
                raise ValueError(f"term {term!r} holds both {name} and ~{name}")
            mask |= bit
            if not neg:
                value |= bit
        cubes.append((mask, value))
    return cubes


def term_membership(x: np.ndarray, mask: int, value: int) -> np.ndarray:
    """Each case's membership in one term (a cube ``(mask, value)``): the minimum of its literals.

    Parameters
    ----------
    x : ndarray, shape (n_cases, k)
        Memberships in the ``k`` conditions, in truth-table order (the first is the high bit).
    mask, value : int
        The conditions the term holds (bits of ``mask``) and which of them are present (bits of
        ``value``), as :func:`parse_expression` returns them; ``(0, 0)`` is the tautology "1".

    Returns
    -------
    ndarray, shape (n_cases,)

    Examples
    --------
    >>> import numpy as np
    >>> (cube,) = parse_expression("A*~B", ["A", "B"])
    >>> term_membership(np.array([[0.8, 0.3], [0.2, 0.9]]), *cube)
    array([0.7, 0.1])
    """
    k = x.shape[1]
    out = np.ones(x.shape[0])
    for j in range(k):
        bit = 1 << (k - 1 - j)
        if mask & bit:
            col = x[:, j] if value & bit else 1.0 - x[:, j]
            out = np.minimum(out, col)
    return out


def model_membership(x: np.ndarray, cubes) -> np.ndarray:
    """Each case's membership in a model (terms joined by "+"): the maximum of its terms'.

    ``cubes`` is a list of ``(mask, value)`` (see :func:`term_membership`); an empty list gives 0.

    Examples
    --------
    >>> import numpy as np
    >>> model_membership(np.array([[0.8, 0.3], [0.2, 0.9]]), parse_expression("A + B", ["A", "B"]))
    array([0.8, 0.9])
    """
    out = np.zeros(x.shape[0])
    for mask, value in cubes:
        out = np.maximum(out, term_membership(x, mask, value))
    return out


def check_memberships(data: pd.DataFrame, columns, *, what: str = "membership") -> None:
    """Raise DataError listing every NA or value outside [0, 1] in ``columns`` of ``data``."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame (cases × sets), got {type(data).__name__}")
    require_columns(data, list(columns), table=f"{what} data")
    problems = []
    for c in columns:
        col = pd.to_numeric(data[c], errors="coerce")
        for case, raw, v in zip(data.index, data[c], col):
            if pd.isna(v) or not (0.0 <= v <= 1.0):
                problems.append(Problem("<data>", None, c, raw, f"a {what} score in [0, 1]",
                                        f"case {case!r}: calibrate first; drop or recode NA "
                                        "(qca.from_casebase reports NA drops)"))
    if problems:
        raise DataError(problems, f"{len(problems)} invalid {what} score(s)")


def negate(data: pd.DataFrame, column: str) -> pd.Series:
    """Membership in the negated set: 1 − x (the fuzzy NOT), named ``~column``.

    Examples
    --------
    >>> import pandas as pd
    >>> negate(pd.DataFrame({"Y": [0.25, 1.0]}), "Y").tolist()
    [0.75, 0.0]
    """
    check_memberships(data, [column])
    return (1.0 - data[column].astype(float)).rename(f"~{column}")


def outcome_values(data: pd.DataFrame, outcome: str) -> np.ndarray:
    """Outcome memberships, negated when ``outcome`` starts with ``~``, checked in [0, 1].

    Examples
    --------
    >>> import pandas as pd
    >>> outcome_values(pd.DataFrame({"Y": [0.25, 1.0]}), "~Y").tolist()
    [0.75, 0.0]
    """
    if not isinstance(outcome, str) or not outcome.strip("~ "):
        raise ValueError(f"outcome must be a column name (optionally prefixed by '~'), got {outcome!r}")
    neg = outcome.startswith("~")
    name = outcome[1:].strip() if neg else outcome
    check_memberships(data, [name])
    y = data[name].to_numpy(dtype=float)
    return 1.0 - y if neg else y


def membership(data: pd.DataFrame, expression: str, *, conditions=None) -> pd.Series:
    """Each case's membership in a term or model (fuzzy AND = min, OR = max, NOT = 1 − x).

    Parameters
    ----------
    data : DataFrame
        Cases × set memberships (index = case labels).
    expression : str
        E.g. ``"A*~B"`` or ``"A*~B + C"``.
    conditions : sequence of str, optional
        Conditions the expression may use (default: every column of data).

    Returns
    -------
    Series indexed like ``data``, named by the expression.

    Notes
    -----
    X(A*~B) = min(x_A, 1 − x_B); X(T1 + T2) = max(X(T1), X(T2)).

    References
    ----------
    Zadeh, L. A. (1965). Fuzzy sets. *Information and Control*, 8, 338-353.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A": [0.8, 0.2], "B": [0.3, 0.9]}, index=["x", "y"])
    >>> membership(df, "A*~B").round(2).tolist()
    [0.7, 0.1]
    """
    conditions = list(data.columns if conditions is None else conditions)
    cubes = parse_expression(expression, conditions)
    used = [c for j, c in enumerate(conditions)
            if any(m & (1 << (len(conditions) - 1 - j)) for m, _ in cubes)]
    check_memberships(data, used)
    x = np.column_stack([data[c].to_numpy(dtype=float) if c in used else np.zeros(len(data))
                         for c in conditions]) if conditions else np.zeros((len(data), 0))
    return pd.Series(model_membership(x, cubes), index=data.index, name=expression)


def sufficiency_fit(x, y) -> dict[str, float]:
    """Consistency, PRI and coverage of ``x`` as sufficient for ``y``.

    Parameters
    ----------
    x, y : array-like of memberships in [0, 1]
        Membership of each case in the expression and in the outcome.

    Returns
    -------
    dict with ``consistency``, ``PRI``, ``coverage``.

    Notes
    -----
    consistency = Σmin(X, Y)/ΣX; coverage = Σmin(X, Y)/ΣY;
    PRI = (Σmin(X, Y) − Σmin(X, Y, 1 − Y)) / (ΣX − Σmin(X, Y, 1 − Y)).
    NaN when a denominator is 0; values below 1e−5 are reported as 0, as R QCA
    (``pof``) does.

    References
    ----------
    Ragin, C. C. (2006). Set relations in social research: evaluating their
    consistency and coverage. *Political Analysis*, 14(3), 291-310.
    Schneider, C. Q., & Wagemann, C. (2012). *Set-Theoretic Methods for the
    Social Sciences*, ch. 5 and 9 (PRI). Cambridge University Press.

    Examples
    --------
    >>> sufficiency_fit([1, 1, 0], [1, 0, 0])["consistency"]
    0.5
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.minimum(x, y).sum()
    xyn = np.minimum(np.minimum(x, y), 1.0 - y).sum()
    sx, sy = x.sum(), y.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = xy / sx if sx > 0 else np.nan
        cov = xy / sy if sy > 0 else np.nan
        den = sx - xyn
        pri = (xy - xyn) / den if den > 0 else np.nan
    return {"consistency": _zero(incl), "PRI": _zero(pri), "coverage": _zero(cov)}


def necessity_fit(x, y) -> dict[str, float]:
    """Consistency, coverage and relevance of ``x`` as necessary for ``y``.

    Parameters
    ----------
    x, y : array-like of memberships in [0, 1]
        Membership of each case in the expression and in the outcome.

    Returns
    -------
    dict with ``consistency``, ``coverage``, ``RoN``.

    Notes
    -----
    consistency = Σmin(X, Y)/ΣY; coverage = Σmin(X, Y)/ΣX;
    RoN = Σ(1 − X)/Σ(1 − min(X, Y)).

    References
    ----------
    Schneider, C. Q., & Wagemann, C. (2012), ch. 9.2 (relevance of necessity).

    Examples
    --------
    >>> necessity_fit([1, 1, 0], [1, 0, 0])["consistency"]
    1.0
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.minimum(x, y)
    sx, sy = x.sum(), y.sum()
    den = (1.0 - xy).sum()
    return {
        "consistency": _zero(xy.sum() / sy) if sy > 0 else np.nan,
        "coverage": _zero(xy.sum() / sx) if sx > 0 else np.nan,
        "RoN": _zero((1.0 - x).sum() / den) if den > 0 else np.nan,
    }
