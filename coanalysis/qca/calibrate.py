"""Calibration of raw values into set memberships: Ragin's direct method, crisp
thresholds and the codebook's four-value fuzzy scheme.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..codebook import FUZZY_SCORES
from ..errors import DataError, Problem
from ..validation import check_choice

__all__ = ["calibrate", "calibrate_crisp", "calibrate_codebook"]

#: Membership at the inclusion anchor (R QCA's ``idm``); the exclusion anchor gets 1 − it.
#: The logistic function's log-odds there, ln(0.95 / 0.05) ≈ 2.944, follow from it.
_INCLUSION_MEMBERSHIP = 0.95
#: R QCA snaps memberships closer than this to 0 or 1 (``calibrate.R``).
_SNAP = 1e-4


def _as_float_array(x, name: str) -> tuple[np.ndarray, pd.Index | None]:
    index = x.index if isinstance(x, pd.Series) else None
    try:
        arr = np.asarray(pd.to_numeric(pd.Series(np.asarray(x, dtype=object).ravel()),
                                       errors="raise"), dtype=float)
    except (TypeError, ValueError) as exc:
        raise DataError(Problem("<data>", None, name, str(exc), "numbers (or NA)",
                                "convert the raw values to numbers first")) from None
    return arr, index


def _wrap(values: np.ndarray, x, index):
    if isinstance(x, pd.Series):
        return pd.Series(values, index=index, name=x.name)
    if np.ndim(x) == 0:
        return float(values[0])
    return values


def calibrate(x, *, exclusion: float, crossover: float, inclusion: float,
              method: str = "logistic"):
    """Calibrate raw values into fuzzy-set membership with three anchors.

    Parameters
    ----------
    x : scalar, array-like or pandas Series
        Raw values; NA stays NA.
    exclusion, crossover, inclusion : float
        Anchors of full non-membership, maximal ambiguity and full membership.
        ``exclusion < crossover < inclusion`` gives an increasing set; the
        reverse order (``exclusion > crossover > inclusion``) a decreasing one.
    method : {"logistic", "linear"}
        Ragin's direct method (default) or R QCA's piecewise-linear variant.

    Returns
    -------
    Same shape as ``x`` (a Series keeps its index and name), values in [0, 1].

    Notes
    -----
    Direct method (increasing set), with L = ln(0.95 / 0.05) ≈ 2.944::

        log-odds = L·(x − c)/(i − c)   if x ≥ c
        log-odds = L·(x − c)/(c − e)   if x < c
        membership = 1 / (1 + exp(−log-odds))

    so membership is 0.05 at e, 0.5 at c and 0.95 at i, with a different
    slope on each side. A decreasing set is 1 minus the increasing set with e
    and i swapped. As in R QCA, memberships below 1e−4 become 0 and above
    0.9999 become 1. The linear method gives 0 below e, ½·(x − e)/(c − e) up
    to c, 1 − ½·(i − x)/(i − c) up to i and 1 above.
    Checked against R QCA 3.25 ``calibrate()`` on the Lipset raw data.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*,
    ch. 5. University of Chicago Press.
    Dușa, A. (2019). *QCA with R*, ch. 4. Springer.

    Examples
    --------
    >>> round(calibrate(900, exclusion=400, crossover=550, inclusion=900), 2)
    0.95
    >>> calibrate(550, exclusion=400, crossover=550, inclusion=900)
    0.5
    """
    for name, v in (("exclusion", exclusion), ("crossover", crossover), ("inclusion", inclusion)):
        if not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
            raise ValueError(f"{name} must be a finite number, got {v!r}")
    check_choice(method, "method", ("logistic", "linear"))
    increasing = exclusion < crossover < inclusion
    decreasing = exclusion > crossover > inclusion
    if not (increasing or decreasing):
        raise ValueError(
            "anchors must be strictly ordered: exclusion < crossover < inclusion (increasing set) "
            f"or exclusion > crossover > inclusion (decreasing set); got {exclusion}, {crossover}, "
            f"{inclusion}")
    arr, index = _as_float_array(np.atleast_1d(x) if np.ndim(x) == 0 else x, "x")
    e, c, i = (float(exclusion), float(crossover), float(inclusion))
    if decreasing:
        e, i = i, e
    if method == "logistic":
        anchor_logodds = math.log(_INCLUSION_MEMBERSHIP / (1 - _INCLUSION_MEMBERSHIP))
        with np.errstate(over="ignore", invalid="ignore"):
            logodds = np.where(arr >= c, anchor_logodds * (arr - c) / (i - c),
                               anchor_logodds * (arr - c) / (c - e))
            out = 1.0 / (1.0 + np.exp(-logodds))
    else:
        out = np.where(arr <= e, 0.0,
                       np.where(arr <= c, 0.5 * (arr - e) / (c - e),
                                np.where(arr <= i, 1 - 0.5 * (i - arr) / (i - c), 1.0)))
    if decreasing:
        out = 1.0 - out
    out = np.where(out < _SNAP, 0.0, np.where(out > 1 - _SNAP, 1.0, out))
    out = np.where(np.isnan(arr), np.nan, out)
    return _wrap(out, x, index)


def calibrate_crisp(x, *, thresholds):
    """Crisp (or multi-value) calibration: the number of thresholds at or below x.

    Parameters
    ----------
    x : scalar, array-like or Series
        Raw values; NA stays NA.
    thresholds : float or sequence of float
        One threshold gives a crisp set (0 below, 1 at or above); several give
        the levels 0, 1, 2…

    Returns
    -------
    Same shape as ``x``, with float values (NA kept).

    Notes
    -----
    category(x) = #{t in thresholds : t ≤ x}, as R QCA's ``calibrate(type =
    "crisp")``: a value equal to a threshold goes up.

    References
    ----------
    Rihoux, B., & De Meur, G. (2009). Crisp-set qualitative comparative
    analysis (csQCA). In Rihoux & Ragin (eds), *Configurational Comparative
    Methods*, 33-68 (dichotomisation thresholds).

    Examples
    --------
    >>> calibrate_crisp([1, 5, 9], thresholds=5).tolist()
    [0.0, 1.0, 1.0]
    """
    ts = np.sort(np.atleast_1d(np.asarray(thresholds, dtype=float)))
    if ts.size == 0 or not np.isfinite(ts).all():
        raise ValueError(f"thresholds must be one or more finite numbers, got {thresholds!r}")
    arr, index = _as_float_array(np.atleast_1d(x) if np.ndim(x) == 0 else x, "x")
    out = (arr[:, None] >= ts[None, :]).sum(axis=1).astype(float)
    out = np.where(np.isnan(arr), np.nan, out)
    return _wrap(out, x, index)


def calibrate_codebook(x, *, column: str = "score", file: str = "<data>"):
    """Check scores coded with the codebook's four-value scheme and return them as floats.

    Parameters
    ----------
    x : array-like or Series
        Scores already coded 0, 0.33, 0.67 or 1 (NA allowed: no evidence).
    column, file : str
        Named in the error when a value is not admissible.

    Returns
    -------
    Same shape as ``x``, as floats; NA kept.

    Raises
    ------
    DataError
        Listing every value outside {0, 0.33, 0.67, 1} — in particular 0.5,
        which the codebook excludes (no case sits at maximal ambiguity).

    Notes
    -----
    The four values are the codebook's anchors (fully out, more out than in,
    more in than out, fully in); no transformation is applied, so a case is
    "in" a set (membership > 0.5) exactly when coded 0.67 or 1.

    References
    ----------
    Ragin, C. C. (2000). *Fuzzy-Set Social Science*, ch. 6 (four-value fuzzy sets).

    Examples
    --------
    >>> calibrate_codebook([0, 0.33, 0.67, 1]).tolist()
    [0.0, 0.33, 0.67, 1.0]
    """
    arr, index = _as_float_array(x, column)
    allowed = np.array(FUZZY_SCORES)
    problems = []
    labels = list(index) if index is not None else list(range(len(arr)))
    for label, v in zip(labels, arr):
        if np.isnan(v):
            continue
        if not np.isclose(v, allowed, atol=1e-9).any():
            problems.append(Problem(file, None, column, v, "one of 0, 0.33, 0.67, 1 or NA",
                                    f"case {label!r}: recode with the codebook's four values"
                                    + (" (0.5 is excluded on purpose)" if v == 0.5 else "")))
    if problems:
        raise DataError(problems, "scores outside the codebook's four-value scheme")
    return _wrap(arr, x, index)
