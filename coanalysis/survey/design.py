"""Survey designs (weights, strata, PSUs, finite-population corrections) and their estimates.

Design-based means, totals and shares with linearised (Taylor) standard errors, computed
the way R's ``survey`` package computes them (ultimate-cluster variance, post-raking
residuals), plus raking to population margins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ConvergenceError, DataError, Problem, plain_scalar
from ..results import Result
from ..validation import check_choice, check_int, check_level, check_number, require_columns
from . import _raking
from .crosstab import Crosstab
from .quantiles import Quantiles, SortedSample, math_quantile
from ._raking import group_sum as _group_sum

__all__ = ["Design", "Estimate", "RakeReport", "DomainEstimates", "proportion_interval",
           "clopper_pearson", "critical_value", "design_effect", "BOUNDARY_METHOD", "DEFF_OPTIONS"]

_DATA = "<data>"
#: Relative margin errors below this are rounding noise; summaries print "< 1e-12".
_ROUNDING_FLOOR = 1e-12
#: The note of an estimate over a domain without respondents (see :meth:`Design.mean`).
_EMPTY_DOMAIN = ("no respondent (with a positive weight and an answer) in the domain: no estimate, "
                 "no standard error")


# --------------------------------------------------------------------------- results
@dataclass(frozen=True, repr=False)
class Estimate(Result):
    """One design-based estimate with its standard error and confidence interval.

    Attributes
    ----------
    statistic : str
        ``"mean"``, ``"total"``, ``"proportion"`` or a derived statistic name.
    column : str
        The variable estimated (or a description of the contrast).
    estimate, se : float
        Point estimate and linearised standard error.
    ci : tuple of float
        Confidence interval ``(low, high)`` at ``level``.
    level : float
        Confidence level (e.g. 0.95).
    n : int
        Number of respondents used (non-missing, in the domain).
    df : float
        Degrees of freedom of the quantile used for the interval (``inf`` = normal).
    method : str
        How the interval was built (``"wald"``, ``"logit"``, ``"beta"``, ``"clopper-pearson"``).
    note : str
        Why the estimate or its interval is not the usual one (e.g. an empty domain), or ``""``;
        :meth:`summary` prints it.
    deff : float
        Design effect: the design's variance over the variance of the same estimator under
        simple random sampling of the same number of respondents (NaN when not computed, see
        :attr:`deff_srs`), as R ``svymean(..., deff = TRUE)``: see :func:`design_effect`.
    deff_srs : str
        The simple random sampling :attr:`deff` compares with: ``"without replacement"`` (R's
        default), ``"with replacement"`` (R's ``deff = "replace"``) or ``""`` (not computed).
    """

    statistic: str
    column: str
    estimate: float
    se: float
    ci: tuple[float, float]
    level: float
    n: int
    df: float
    method: str
    note: str = ""
    deff: float = np.nan
    deff_srs: str = ""

    @property
    def effective_n(self) -> float:
        """Kish's effective sample size ``n / deff``: the number of respondents of a simple
        random sample that would give the same variance (NaN without :attr:`deff`).

        References
        ----------
        Kish, L. (1965). *Survey Sampling*. Wiley, §8.2.
        """
        return float(self.n / self.deff) if self.deff > 0 else np.nan

    @property
    def margin_of_error(self) -> float:
        """Half-width of the Wald interval, ``q · se`` with ``q`` the normal (or Student, with
        :attr:`df`) quantile of :attr:`level`: the "± x points" of a published table. For an
        asymmetric interval (logit, beta) the bounds in :attr:`ci` are the ones to print."""
        return critical_value(self.level, self.df) * self.se

    @property
    def table(self) -> pd.DataFrame:
        """The estimate as a one-row DataFrame."""
        return pd.DataFrame(
            [{
                "statistic": self.statistic, "column": self.column, "estimate": self.estimate,
                "se": self.se, "ci_low": self.ci[0], "ci_high": self.ci[1], "level": self.level,
                "n": self.n, "df": self.df, "method": self.method, "note": self.note,
                "deff": self.deff, "effective_n": self.effective_n,
                "margin_of_error": self.margin_of_error,
            }]
        )

    @property
    def title(self) -> str:
        """``"<statistic> of <column>"``."""
        return f"{self.statistic} of {self.column}"

    @property
    def notes(self) -> tuple[str, ...]:
        """The interval's method and quantile, then :attr:`note` when there is one."""
        df = "normal" if np.isinf(self.df) else f"t, {self.df:g} df"
        deff = ((f"design effect against simple random sampling {self.deff_srs}",)
                if self.deff_srs else ())
        return ((f"{self.level:.0%} interval: {self.method} ({df})",)
                + ((self.note,) if self.note else ()) + deff)

    def summary(self) -> str:
        """A readable one-paragraph account of the estimate."""
        pct = f"{self.level:.0%}"
        df = "normal" if np.isinf(self.df) else f"t, {self.df:g} df"
        text = (
            f"{self.title}: {self.estimate:.6g} (SE {self.se:.6g})\n"
            f"  {pct} CI [{self.ci[0]:.6g}, {self.ci[1]:.6g}] ({self.method}, {df}); n = {self.n}"
        )
        if self.deff_srs:
            text += (f"\n  design effect {self.deff:.4g} (against simple random sampling "
                     f"{self.deff_srs}); effective n = {self.effective_n:.4g}")
        return text + (f"\n  note: {self.note}" if self.note else "")

    def __repr__(self) -> str:
        return (
            f"<Estimate: {self.title} = {self.estimate:.6g} (SE {self.se:.6g}, "
            f"{self.level:.0%} CI [{self.ci[0]:.6g}, {self.ci[1]:.6g}], n={self.n})>"
        )


@dataclass(frozen=True, repr=False)
class RakeReport(Result):
    """How a raking converged.

    Attributes
    ----------
    converged : bool
    iterations : int
        Full sweeps over the margins.
    max_relative_error : float
        Largest ``|weighted total / population total - 1|`` over every margin cell, after raking.
    tolerance : float
    margins : pandas.DataFrame
        One row per (margin, category): population total, weighted sample total before and after.
    weight_ratio : tuple of float
        Smallest and largest ratio of raked to starting weight.
    """

    converged: bool
    iterations: int
    max_relative_error: float
    tolerance: float
    margins: pd.DataFrame
    weight_ratio: tuple[float, float]

    #: The report's name; :meth:`summary` starts with it.
    title = "raking"

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`margins`: one row per (margin, category)."""
        return self.margins

    @property
    def notes(self) -> tuple[str, ...]:
        """The convergence line of :meth:`summary`."""
        return (self.summary(),)

    def summary(self) -> str:
        """One line: converged or not, sweeps, largest margin error, range of weight ratios."""
        state = "converged" if self.converged else "did NOT converge"
        # below 1e-12 the error is floating-point rounding, which differs from machine to machine
        # in its last digits: say so instead of printing noise (the exact value stays in the field)
        err = self.max_relative_error
        error = f"< {_ROUNDING_FLOOR:g}" if err < _ROUNDING_FLOOR else f"{err:.3g}"
        return (
            f"{self.title} {state} after {self.iterations} sweep(s); max relative margin error "
            f"{error} (tolerance {self.tolerance:g}); weight ratios in "
            f"[{self.weight_ratio[0]:.4g}, {self.weight_ratio[1]:.4g}]"
        )

    def __repr__(self) -> str:
        return f"<RakeReport: {self.summary()}>"


# --------------------------------------------------------------------------- helpers
def _problem(column: str | None, found: Any, expected: str, hint: str = "") -> Problem:
    return Problem(_DATA, None, column, plain_scalar(found), expected, hint)


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.intp, copy=False), pd.Index(uniques)


def _margin_codes(values: pd.Series, categories: list) -> np.ndarray:
    """Position of each value in ``categories`` (-1 when absent or missing), as a signed integer
    array (a categorical's own codes, not copied, when its categories are the margin's)."""
    index = pd.Index(categories)
    if isinstance(values.dtype, pd.CategoricalDtype):
        positions = index.get_indexer(values.cat.categories)
        codes = values.cat.codes.to_numpy()
        if np.array_equal(positions, np.arange(len(index))) and codes.min(initial=0) >= 0:
            return codes
        return np.append(positions, -1)[codes].astype(np.intp, copy=False)
    return index.get_indexer(values.to_numpy()).astype(np.intp, copy=False)


def critical_value(level: float, df: float) -> float:
    """The two-sided critical value of a ``level`` interval: the normal quantile
    ``z_{1-α/2}`` when ``df`` is infinite, else Student's ``t_{1-α/2, df}``.

    Examples
    --------
    >>> round(critical_value(0.95, float("inf")), 4), round(critical_value(0.95, 10), 4)
    (1.96, 2.2281)
    """
    upper = 1 - (1 - level) / 2
    return float(stats.norm.ppf(upper) if np.isinf(df) else stats.t.ppf(upper, df))


#: The ``deff=`` options of the estimators: the simple random sampling the design is compared
#: with (R's ``svymean(deff = TRUE)`` / ``deff = "replace"``), or no design effect.
DEFF_OPTIONS = {True: "without replacement", "replace": "with replacement", False: ""}


def design_effect(variance: float, values: np.ndarray, weights: np.ndarray, *,
                  statistic: str = "mean", replace: bool = False) -> float:
    """Design effect of a weighted mean or total: its design variance over the variance the
    same estimator would have under simple random sampling of as many respondents.

    Parameters
    ----------
    variance : float
        The design-based (linearised) variance of the estimate.
    values : numpy.ndarray
        The variable, NaN for respondents left out (missing answer, outside the domain).
    weights : numpy.ndarray
        The design's weights; respondents of weight 0 are left out.
    statistic : {"mean", "total"}, default "mean"
    replace : bool, default False
        Compare with simple random sampling with replacement instead of without.

    Returns
    -------
    float
        ``variance / V_srs``; NaN with fewer than 2 respondents, or without replacement when the
        sum of weights is below the number of respondents (weights not scaled to a population,
        where R returns NA with a warning); infinite when the weights add up to exactly the
        number of respondents (an unweighted design: R's census with no sampling variance).

    Notes
    -----
    With ``m`` respondents of positive weight, ``N̂ = Σ w_i``, ``ȳ = Σ w_i y_i / N̂`` and the
    weighted population variance ``S² = m/(m-1) · Σ w_i (y_i - ȳ)² / N̂`` (R ``svyvar``):

    - mean: ``V_srs = S² (N̂ - m) / (N̂ m)`` without replacement, ``S² / m`` with;
    - total: ``V_srs = N̂² S² (N̂ - m) / (N̂ m)`` without replacement, ``N̂² S² / m`` with.

    These are the closed forms of R ``survey`` 4.1.1's ``svymean.survey.design2`` and
    ``svytotal.survey.design2`` with ``deff = TRUE`` or ``deff = "replace"`` (checked against
    them in the tests).

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley, §8.2.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.2.

    Examples
    --------
    >>> import numpy as np
    >>> y, w = np.array([1.0, 2, 3, 4]), np.full(4, 2.0)
    >>> s2 = np.var(y, ddof=1)
    >>> round(design_effect(s2 / 4 * (8 - 4) / 8, y, w), 12)  # the SRS variance itself
    1.0
    """
    check_choice(statistic, "statistic", ("mean", "total"))
    keep = ~np.isnan(values) & (weights > 0)
    m = int(np.count_nonzero(keep))
    if m < 2:
        return np.nan
    w, y = weights[keep], values[keep]
    psum = float(np.add.reduce(w))
    ybar = float(np.add.reduce(w * y)) / psum
    s2 = float(np.add.reduce(w * (y - ybar) ** 2)) / psum * m / (m - 1)
    scale = psum ** 2 if statistic == "total" else 1.0
    if replace:
        v_srs = scale * s2 / m
    elif psum < m:
        return np.nan
    else:
        v_srs = scale * s2 * (psum - m) / (psum * m)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(variance) / v_srs)


#: The interval of a proportion of exactly 0 or 1, whatever the method asked (see
#: :func:`proportion_interval`); tables and estimates name it in their ``method``.
BOUNDARY_METHOD = "clopper-pearson"
_METHODS = ("logit", "beta", "wald", "xlogit", "asin", "likelihood")


def interval_method(p: float, method: str) -> str:
    """The interval :func:`proportion_interval` builds for ``p``: ``method``, or
    :data:`BOUNDARY_METHOD` when ``p`` is exactly 0 or 1."""
    return BOUNDARY_METHOD if p in (0.0, 1.0) else method


def clopper_pearson(successes: int, n: int, level: float) -> tuple[float, float]:
    """Clopper-Pearson (exact binomial) interval for ``successes`` out of ``n``.

    ``(Beta_{α/2}(x, n - x + 1), Beta_{1-α/2}(x + 1, n - x))``, with 0 as the lower bound when
    ``x = 0`` and 1 as the upper bound when ``x = n``; so ``[0, 1 - (α/2)^(1/n)]`` for ``x = 0``
    and ``[(α/2)^(1/n), 1]`` for ``x = n``. NaN for ``n < 1``.

    References
    ----------
    Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated in
    the case of the binomial. *Biometrika* 26, 404-413.
    """
    if n < 1:
        return (np.nan, np.nan)
    alpha = 1 - level
    low = 0.0 if successes <= 0 else float(stats.beta.ppf(alpha / 2, successes, n - successes + 1))
    high = 1.0 if successes >= n else float(stats.beta.ppf(1 - alpha / 2, successes + 1, n - successes))
    return (low, high)


def likelihood_interval(p: float, *, level: float, df: float, weight_sum: float,
                        variance: float, dispersion: float) -> tuple[float, float]:
    """The profile-likelihood interval of a proportion, rescaled for the design, as R
    ``svyciprop(method = "likelihood")``.

    Parameters
    ----------
    p : float
        The proportion, strictly between 0 and 1.
    level, df : float
        Confidence level and the design's degrees of freedom.
    weight_sum : float
        ``U``, the sum of the fit's weights (the design weights scaled to mean 1 over the
        design's rows, as ``svyglm`` scales them) over the respondents used.
    variance : float
        The design-based variance of ``p`` (its squared linearised standard error).
    dispersion : float
        ``φ``, the design-based variance of the Pearson residuals (R ``summary.svyglm``).

    Returns
    -------
    tuple of float

    Notes
    -----
    The binomial deviance of the intercept-only model at ``μ`` exceeds its minimum by
    ``ΔD(μ) = 2U [p log(p/μ) + (1-p) log((1-p)/(1-μ))]``. R profiles it (``MASS``'s
    ``profile.glm`` scaled by ``φ``) and reads the bounds where ``ΔD/φ = λ t²``, with
    ``t = t_{df, 1-α/2}`` and ``λ = V U / (p(1-p))`` the ratio of the design variance of the
    logit to its model-based variance (R's ``confint.svyglm(method = "likelihood")``). Here the
    bounds are the exact roots of ``ΔD(μ) = φ λ t²`` on each side of ``p``; R interpolates them
    with a spline through the profile computed at a few steps of the standard error, so the
    two agree to that interpolation's accuracy (about 1e-4 relative), not to rounding.

    References
    ----------
    Lumley, T. (2010). *Complex Surveys*. Wiley, §2.3.1. Rao, J. N. K. & Scott, A. J. (1984).
    On chi-squared tests for multiway contingency tables with cell proportions estimated from
    survey data. *Ann. Statist.* 12, 46-60 (the design-effect rescaling). Checked against R
    survey 4.1.1 ``svyciprop(method = "likelihood")``.
    """
    from scipy.optimize import brentq

    t = critical_value(level, df)
    lam = variance * weight_sum / (p * (1 - p))
    target = dispersion * lam * t ** 2

    def excess(mu: float) -> float:
        return (2 * weight_sum * (p * np.log(p / mu) + (1 - p) * np.log((1 - p) / (1 - mu)))
                - target)

    tiny = np.finfo(float).tiny
    low = brentq(excess, tiny, p, xtol=1e-15, rtol=4 * np.finfo(float).eps) if excess(tiny) > 0 else 0.0
    top = 1 - np.finfo(float).epsneg
    high = brentq(excess, p, top, xtol=1e-15, rtol=4 * np.finfo(float).eps) if excess(top) > 0 else 1.0
    return (float(low), float(high))


def proportion_interval(p: float, se: float, *, level: float, df: float, n: int,
                        method: str, respondents: int | None = None,
                        likelihood: Mapping[str, float] | None = None) -> tuple[float, float]:
    """Confidence interval for a design-based proportion.

    Parameters
    ----------
    p, se : float
        Estimated proportion and its linearised standard error.
    level : float
        Confidence level.
    df : float
        Design degrees of freedom (PSUs minus strata).
    n : int
        Number of rows of the (domain) design, missing answers included, as R's
        ``nrow(design)`` in ``svyciprop(method="beta")``: see :meth:`Design.rows`. It
        only enters the Korn-Graubard effective sample size.
    method : {"logit", "beta", "wald", "xlogit", "asin", "likelihood"}
        ``"logit"``: Wald interval on the logit scale, back-transformed (R ``svyciprop``
        default). ``"beta"``: Korn-Graubard (Clopper-Pearson on the design-effective sample
        size). ``"wald"``: ``p ± t·se`` (R's ``"mean"``). ``"xlogit"``: the logit interval as R's
        ``"xlogit"`` writes it (the delta method on ``log(p/(1-p))``: the same closed form as
        ``"logit"``, which R reaches by fitting a ``svyglm``). ``"asin"``: Wald on the
        arcsine-square-root scale. ``"likelihood"``: the design-rescaled profile likelihood
        (:func:`likelihood_interval`; needs ``likelihood``).
    respondents : int, optional
        Respondents behind ``p`` (answers in the domain): the sample size of the interval at
        ``p = 0`` or ``1`` (see Notes). Default ``n``.
    likelihood : dict, optional
        ``{"weight_sum": U, "dispersion": φ}`` for ``method="likelihood"`` (see
        :func:`likelihood_interval`; :meth:`Design.estimate` computes them).

    Returns
    -------
    tuple of float

    Notes
    -----
    logit and xlogit: ``expit(logit(p) ± t_{df} · se / (p (1 - p)))``.
    asin: ``sin²(asin(√p) ± t_{df} · se / (2 √(p (1 - p))))``, the transformed bounds kept within
    ``[0, π/2]`` (R does not: a lower bound below 0 there comes back as a positive ``sin²``).
    beta: ``n* = p(1-p)/se² · (t_{n-1} / t_{df})²``; bounds ``Beta_{α/2}(n*p, n*(1-p)+1)`` and
    ``Beta_{1-α/2}(n*p+1, n*(1-p))``.

    **p = 0 or 1** (nobody, or everybody, in the domain gave the answer): the linearised variance
    is 0 and no design effect can be estimated, so, following Korn & Graubard's rule with the
    nominal sample size in place of the effective one, the interval is Clopper-Pearson's for 0 or
    ``respondents`` successes out of ``respondents`` (:func:`clopper_pearson`):
    ``[0, 1 - (α/2)^(1/m)]`` or ``[(α/2)^(1/m), 1]``, whatever ``method``; the tables call it
    ``"clopper-pearson"`` in their ``method`` column. This is a deliberate difference from R:
    ``svyciprop`` returns NaN there (``method = "beta"``, ``"asin"``, ``"xlogit"``), an interval
    about 1e-12 wide (``"logit"``) or ``(p, p)`` (``"mean"``), which would publish "100 %" with no
    uncertainty for 9 respondents out of 9.

    A proportion strictly between 0 and 1 with ``se = 0`` is known exactly (a share raked to a
    population margin): its interval is ``(p, p)``.

    References
    ----------
    Korn, E. L. & Graubard, B. I. (1998). Confidence intervals for proportions with small
    expected number of positive counts estimated from survey data. *Survey Methodology* 24, 193-201.
    Clopper, C. J. & Pearson, E. S. (1934). *Biometrika* 26, 404-413.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2.
    """
    check_choice(method, "method", _METHODS)
    alpha = 1 - level
    if not np.isfinite(p):
        return (np.nan, np.nan)
    p = min(max(float(p), 0.0), 1.0)  # last guard: the estimators give p in [0, 1] exactly
    if interval_method(p, method) == BOUNDARY_METHOD:
        m = int(n if respondents is None else respondents)
        return clopper_pearson(round(p * m), m, level)
    if se == 0:
        return (p, p)
    if method == "likelihood":
        if likelihood is None:
            raise ValueError('method="likelihood" needs likelihood={"weight_sum": ..., '
                             '"dispersion": ...}: use Design.estimate or Design.share')
        return likelihood_interval(p, level=level, df=df, variance=se ** 2, **likelihood)
    if method == "asin":
        centre = np.arcsin(np.sqrt(p))
        half = critical_value(level, df) * se / (2 * np.sqrt(p * (1 - p)))
        return (float(np.sin(max(centre - half, 0.0)) ** 2),
                float(np.sin(min(centre + half, np.pi / 2)) ** 2))
    if method in ("logit", "xlogit"):
        centre = np.log(p / (1 - p))
        half = critical_value(level, df) * se / (p * (1 - p))
        return (float(1 / (1 + np.exp(-(centre - half)))), float(1 / (1 + np.exp(-(centre + half)))))
    if method == "beta":
        n_eff = p * (1 - p) / se**2
        n_eff *= (stats.t.ppf(alpha / 2, n - 1) / stats.t.ppf(alpha / 2, df)) ** 2
        low = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
        high = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
        return (float(low), float(high))
    half = critical_value(level, df) * se
    return (p - half, p + half)


# --------------------------------------------------------------------------- the design
class Design:
    """A survey design: data plus weights, strata, primary sampling units and fpc.

    The Python counterpart of R's ``svydesign(ids=~psu, strata=~strata, weights=~w,
    fpc=~fpc, data=...)`` for single-stage (or ultimate-cluster) designs.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent. It is kept by reference, not copied.
    weights : str, optional
        Column of sampling weights (positive). Default: ``N_h / n_h`` when ``fpc`` gives
        population sizes, else 1 for everyone.
    strata : str, optional
        Column of strata. Default: one stratum.
    psu : str, optional
        Column of primary sampling units (clusters). PSU labels are read within strata (the
        same label in two strata means two PSUs, as R's ``nest=TRUE``). Default: each
        respondent is its own PSU.
    fpc : str, optional
        Column giving, per stratum, the population number of PSUs ``N_h`` (values > 1) or the
        sampling fraction ``n_h / N_h`` (values <= 1), as R's ``fpc=``. Default: none
        (with-replacement approximation).

    Notes
    -----
    The variance of an estimator with influence values ``z_i`` is
    ``V = Σ_h (1 - f_h) n_h/(n_h - 1) Σ_k (Z_hk - Z̄_h)²`` where ``Z_hk`` is the sum of ``z_i`` over
    PSU ``k`` of stratum ``h``, ``n_h`` the number of PSUs sampled in the stratum and
    ``f_h = n_h / N_h``. Domains (subpopulations, ``by=``) keep the whole design: respondents
    outside the domain contribute zero, so ``n_h`` is the design's, as in R.
    A stratum with a single PSU is refused (R's default ``survey.lonely.psu = "fail"``).

    References
    ----------
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer, ch. 6.
    Lumley, T. (2004). Analysis of complex survey samples. *Journal of Statistical Software* 9(8).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1.0, 1, 2, 2], "h": ["a", "a", "b", "b"]})
    >>> d = Design(df, weights="w", strata="h")
    >>> round(d.mean("y").estimate, 4)
    2.8333
    """

    def __init__(self, data: pd.DataFrame, weights: str | None = None, strata: str | None = None,
                 psu: str | None = None, fpc: str | None = None):
        if not isinstance(data, pd.DataFrame):
            raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        if len(data) == 0:
            raise DataError(_problem(None, "0 rows", "at least one respondent"))
        for name, col in (("weights", weights), ("strata", strata), ("psu", psu), ("fpc", fpc)):
            if col is not None and col not in data.columns:
                raise DataError(_problem(col, col, f"a column of data for {name}=",
                                         f"available columns: {list(data.columns)}"))
        self.data = data
        self.spec = {"weights": weights, "strata": strata, "psu": psu, "fpc": fpc}
        n = len(data)
        problems: list[Problem] = []

        for col in (strata, psu):
            if col is not None and data[col].isna().any():
                rows = plain_scalar(list(data.index[data[col].isna()][:10]))
                problems.append(_problem(col, "NA", "no missing value in a design column",
                                         f"rows {rows} have none"))
        if problems:
            raise DataError(problems, "invalid survey design")

        if strata is None:
            self._strata, self._strata_labels = np.zeros(n, dtype=np.intp), pd.Index(["all"])
        else:
            self._strata, self._strata_labels = _codes(data[strata])
        n_strata = len(self._strata_labels)
        if psu is None:
            self._psu = np.arange(n, dtype=np.intp)
            psu_stratum = self._strata
        else:
            pair = pd.MultiIndex.from_arrays([self._strata, data[psu].to_numpy()])
            self._psu, uniques = pd.factorize(pair, sort=True)
            self._psu = self._psu.astype(np.intp, copy=False)
            psu_stratum = np.asarray(uniques.get_level_values(0), dtype=np.intp)
        self._psu_stratum = np.asarray(psu_stratum, dtype=np.intp)
        self._n_psu = int(self._psu_stratum.size)
        self._n_psu_h = np.bincount(self._psu_stratum, minlength=n_strata).astype(float)

        lonely = [self._strata_labels[h] for h in np.flatnonzero(self._n_psu_h == 1)]
        if lonely:
            raise DataError(
                [_problem(strata, s, "at least 2 PSUs in every stratum",
                          "merge this stratum with a similar one (R: survey.lonely.psu='fail')")
                 for s in lonely], "a stratum has a single PSU")

        # finite-population correction, per stratum
        self._f_h = np.zeros(n_strata)
        if fpc is not None:
            values = pd.to_numeric(data[fpc], errors="coerce").to_numpy(dtype=float)
            bad = ~np.isfinite(values) | (values <= 0)
            if bad.any():
                raise DataError([_problem(fpc, data[fpc].iloc[i], "a positive number",
                                          f"row {plain_scalar(data.index[i])!r}") for i in np.flatnonzero(bad)[:20]],
                                "invalid fpc")
            for h in range(n_strata):
                vals = np.unique(values[self._strata == h])
                if vals.size > 1:
                    problems.append(_problem(fpc, list(vals), "one fpc value per stratum",
                                             f"stratum {plain_scalar(self._strata_labels[h])!r}"))
                    continue
                v = vals[0]
                if v <= 1:
                    self._f_h[h] = v
                else:
                    if v < self._n_psu_h[h]:
                        problems.append(_problem(fpc, v, f"a population size >= the {int(self._n_psu_h[h])} "
                                                 "PSUs sampled", f"stratum {plain_scalar(self._strata_labels[h])!r}"))
                        continue
                    self._f_h[h] = self._n_psu_h[h] / v
            if problems:
                raise DataError(problems, "invalid fpc")

        if weights is None:
            if fpc is not None and psu is None:
                w = 1.0 / self._f_h[self._strata]
            elif fpc is not None:
                raise DataError(_problem("weights", None, "weights= for a clustered design",
                                         "give the sampling weights column"))
            else:
                w = np.ones(n)
        else:
            w = pd.to_numeric(data[weights], errors="coerce").to_numpy(dtype=float)
            bad = ~np.isfinite(w) | (w < 0)
            if bad.any():
                raise DataError([_problem(weights, data[weights].iloc[i], "a finite weight >= 0",
                                          f"row {plain_scalar(data.index[i])!r}") for i in np.flatnonzero(bad)[:20]],
                                "invalid weights")
        self._w = np.ascontiguousarray(w, dtype=float)
        # raking steps: each a list of (codes, n_categories, factors applied after it)
        self._calibration: list[_raking.RakingStep] = []
        self.rake_report: RakeReport | None = None

    # ------------------------------------------------------------------ basics
    @property
    def weights(self) -> pd.Series:
        """Current weights, aligned with ``data``."""
        return pd.Series(self._w, index=self.data.index, name="weight")

    @property
    def n(self) -> int:
        return len(self.data)

    def rows(self, mask: np.ndarray | None = None) -> int:
        """Rows of the design (or of the domain ``mask``) as R's ``nrow(design)``.

        Missing answers to the variable being estimated are counted: R's ``svyciprop``
        drops them inside ``svymean`` but takes ``nrow(design) - 1`` degrees of freedom
        for the Korn-Graubard interval from the design it was given. A domain of an
        unraked design has its own rows (R's ``subset`` drops the others); a domain of a
        raked design keeps all the rows (R's ``subset`` of a calibrated design sets the
        others' weights to zero instead of dropping them).
        """
        if mask is None or self._calibration:
            return self.n
        return int(np.count_nonzero(mask))

    def degrees_of_freedom(self, mask: np.ndarray | None = None) -> float:
        """Number of PSUs minus number of strata among respondents with positive weight
        (in ``mask`` if given), as R's ``degf``."""
        inset = self._w != 0 if mask is None else (self._w != 0) & mask
        psus = np.unique(self._psu[inset])
        return float(psus.size - np.unique(self._psu_stratum[psus]).size)

    def __repr__(self) -> str:
        parts = [f"{self.n} respondents", f"{len(self._strata_labels)} strata",
                 f"{self._n_psu} PSUs"]
        if self.spec["fpc"]:
            parts.append("fpc")
        if self._calibration:
            parts.append(f"raked on {', '.join(self._calibration[-1].columns)}")
        return f"Design({'; '.join(parts)}; sum of weights {self._w.sum():.6g})"

    # ------------------------------------------------------------------ variance
    def _residualise(self, z: np.ndarray) -> np.ndarray:
        """Replace influence values by their residuals on the raking margins (R ``svyrecvar``).

        Notes
        -----
        R back-fits: for each margin ``m`` in turn (10 cycles), ``z ← z - p_m ∘ ū_m[c_m]``
        where ``p_m`` are the weights after margin ``m``'s step, ``c_m`` the categories and
        ``ū_m`` the unweighted category means of ``z / p_m``. Each raking step does it on what
        it factorises over: the cells of the margins' cross-classification (``p_l / p_m`` is
        constant within a cell) or, with more than ``CELLS_PER_ROW`` occupied cells per row,
        per-margin cross-tables; either way
        the cycles run on small arrays and ``z`` is read and written once. Same result as the
        row-level back-fitting, in exact arithmetic (see :mod:`coanalysis.survey._raking`).
        Zero-weight respondents are left out (``z / p_m`` is 0 for them and they are not counted in
        the means) where R would propagate NaN.
        """
        if self._calibration:
            z = z.copy()  # updated in place below; the caller's array is left alone
        for step in self._calibration:
            step.residualise(z)
        return z

    def covariance(self, z: np.ndarray) -> np.ndarray:
        """Linearised covariance matrix of estimators with influence values ``z`` (n x k).

        Parameters
        ----------
        z : numpy.ndarray
            Influence values, one column per estimator, 0 outside a domain.

        Returns
        -------
        numpy.ndarray
            k x k covariance matrix.

        Notes
        -----
        ``V = Σ_h (1 - f_h) n_h/(n_h - 1) Σ_k (Z_hk - Z̄_h)(Z_hk - Z̄_h)'`` over PSU totals ``Z_hk``,
        after raking residuals (backfitting over margins, 10 cycles, as R's ``survey``).
        """
        z = np.asarray(z, dtype=float)
        if z.ndim == 1:
            z = z[:, None]
        z = self._residualise(z)
        if self.spec["psu"] is None:
            # every respondent is its own PSU (codes 0..n-1 in row order): the PSU totals are z
            totals = z
        else:
            totals = _group_sum(self._psu, z, self._n_psu)
        h = self._psu_stratum
        scale = (1 - self._f_h) * self._n_psu_h / (self._n_psu_h - 1)
        if len(self._n_psu_h) == 1:
            # one stratum: its mean and scale broadcast, no grouping or n-row indexing
            dev = totals - totals.mean(axis=0)
            return (dev * scale[0]).T @ dev
        means = _group_sum(h, totals, len(self._n_psu_h)) / self._n_psu_h[:, None]
        dev = totals - means[h]
        return (dev * scale[h][:, None]).T @ dev

    # ------------------------------------------------------------------ influence values
    def values(self, column: str) -> np.ndarray:
        """A numeric column as floats, NaN where missing (the values :meth:`mean` and
        :meth:`total` estimate from).

        An ordered categorical with numeric categories gives its categories' values, a boolean
        column 0/1; a column of text (or a categorical of text) is refused with a ``TypeError``:
        estimate its shares with :meth:`share`, or score it first.

        Examples
        --------
        >>> import pandas as pd
        >>> Design(pd.DataFrame({"y": [1, None, 3]})).values("y").tolist()
        [1.0, nan, 3.0]
        """
        require_columns(self.data, [column], table="design data")
        s = self.data[column]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = s.cat.categories
            if not pd.api.types.is_numeric_dtype(cats):
                raise TypeError(f"{column!r} is categorical with non-numeric categories; "
                                "use share() or a numeric score")
            codes = s.cat.codes.to_numpy()
            vals = np.asarray(cats, dtype=float)[codes]
            vals[codes < 0] = np.nan
            return vals
        if pd.api.types.is_bool_dtype(s.dtype):
            return s.to_numpy(dtype=float)
        if not pd.api.types.is_numeric_dtype(s.dtype):
            raise TypeError(f"{column!r} is not numeric (dtype {s.dtype}); use share() for categories")
        return s.to_numpy(dtype=float, na_value=np.nan)

    def where(self, where: Mapping[str, Any] | None) -> np.ndarray | None:
        """Boolean mask of the respondents matching every ``{column: value}`` of ``where``
        (``None`` when ``where`` is empty: everybody).

        Raises :class:`~coanalysis.errors.DataError` for an unknown column, and ``ValueError``
        naming, for each column, the values present (and a type mismatch such as ``2025`` vs
        ``"2025"``) when the selection is empty.

        Examples
        --------
        >>> import pandas as pd
        >>> Design(pd.DataFrame({"g": ["a", "b", "a"]})).where({"g": "a"}).tolist()
        [True, False, True]
        """
        if not where:
            return None
        require_columns(self.data, {f"where[{col!r}]": col for col in where}, table="design data")
        mask = np.ones(self.n, dtype=bool)
        for col, value in where.items():
            mask &= (self.data[col] == value).to_numpy(dtype=bool, na_value=False)
        if not mask.any():
            hints = "; ".join(self.value_hint(col, value) for col, value in where.items())
            raise ValueError(f"where={plain_scalar(where)!r} selects no respondent: {hints}")
        return mask

    def value_hint(self, column: str, value: Any) -> str:
        """The values present in ``column`` and, when ``value`` matches one only as text, the fix
        (for the message of a selection that matches nobody)."""
        s = self.data[column]
        present = plain_scalar(list(pd.unique(s.dropna())))
        text = f"column {s.name!r} (dtype {s.dtype}) holds {present[:10]}"
        as_text = [v for v in present if str(v) == str(value)]
        if as_text and not (s == value).any():
            text += (f"; {plain_scalar(value)!r} ({type(plain_scalar(value)).__name__}) matches "
                     f"{as_text[0]!r} ({type(as_text[0]).__name__}) only as text: pass {as_text[0]!r}")
        return text

    def mean_influence(self, values: np.ndarray, mask: np.ndarray | None = None
                       ) -> tuple[np.ndarray, np.ndarray, int]:
        """Hájek means of the columns of ``values`` in a domain, with their influence values.

        Parameters
        ----------
        values : numpy.ndarray
            n x k values (NaN = missing: the respondent is left out of that estimate's domain;
            rows with any NaN are left out of all columns, so the columns share one domain).
        mask : numpy.ndarray of bool, optional
            Domain membership.

        Returns
        -------
        estimates : numpy.ndarray (k,)
        z : numpy.ndarray (n, k)
            ``z_i = w_i (y_i - ȳ) / Σ w`` inside the domain, 0 outside; NaN everywhere when the
            domain has no respondent with a positive weight (its mean is NaN, and so are the
            standard errors built on it).
        n : int
            Respondents used.

        Notes
        -----
        Every numerator ``Σ w_i y_i`` and the denominator ``Σ w_i`` are summed by the same
        (pairwise) reduction over the same positions, so a column equal to 1 for every respondent
        sums to exactly ``Σ w_i``: a share of everyone is exactly 1 and a share of nobody exactly
        0, never ``1 + 2e-16``, and a 0/1 column's mean never exceeds 1 (each partial sum of a
        subset of the weights is at most the same partial sum of all of them). A column that is
        constant among the respondents with a positive weight has that constant as its mean, and
        influence values exactly 0 (standard error 0, as R).
        """
        values = np.asarray(values, dtype=float)
        if values.ndim == 1:
            values = values[:, None]
        keep = ~np.isnan(values).any(axis=1)
        if mask is not None:
            keep &= mask
        used = int(np.count_nonzero(keep))
        if used == len(keep):
            w, y = self._w, values  # nobody left out: no masked copies
        else:
            w = np.where(keep, self._w, 0.0)
            y = np.where(keep[:, None], values, 0.0)
        k = values.shape[1]
        # np.add.reduce on contiguous 1-d arrays: pairwise sums, the same on every machine (no BLAS
        # dot), and the same additions for w and for every w * y_j (see Notes)
        wsum = float(np.add.reduce(w))
        if not wsum > 0:
            return np.full(k, np.nan), np.full(values.shape, np.nan), used
        est = np.array([np.add.reduce(w * y[:, j]) for j in range(k)]) / wsum
        inside = y[w > 0]  # not empty: wsum > 0
        constant = inside.min(axis=0) == inside.max(axis=0)
        est[constant] = inside[0, constant]
        z = y - est
        z *= (w / wsum)[:, None]
        return est, z, used

    # ------------------------------------------------------------------ estimates
    def domain(self, where: Mapping[str, Any] | np.ndarray | pd.Series | None) -> np.ndarray | None:
        """The domain ``where`` as a boolean array over the rows (``None``: everybody).

        ``where`` is ``{column: value}`` (see :meth:`where`), a boolean array of one value per
        row, or a boolean Series aligned with :attr:`data`.
        """
        if where is None:
            return None
        if isinstance(where, Mapping):
            return self.where(where)
        if isinstance(where, pd.Series):
            where = where.reindex(self.data.index)
        mask = np.asarray(where)
        if mask.dtype != bool or mask.shape != (self.n,):
            raise ValueError(f"where must be a {{column: value}} dict or {self.n} booleans (one per "
                             f"row of the design), got an array of dtype {mask.dtype} and shape "
                             f"{mask.shape}")
        return mask

    def _likelihood_terms(self, values: np.ndarray, mask: np.ndarray | None, p: float) -> dict:
        """``U`` and ``φ`` of :func:`likelihood_interval` for 0/1 ``values`` with mean ``p``.

        ``U``: the weights scaled to mean 1 over the rows of the (domain) design, as ``svyglm``
        scales them, summed over the respondents used. ``φ``: the design-weighted variance
        ``m/(m-1) Σ w_i (r_i - r̄)² / Σ w_i`` of the Pearson residuals
        ``r_i = (y_i - p) / √(p(1-p))`` over the ``m`` rows of positive weight of the domain
        (R ``summary.svyglm``'s dispersion, from ``residuals.svyglm``: a respondent without a
        value has residual 0 there, and so here)."""
        w = self._w
        inside = np.ones(self.n, dtype=bool) if mask is None else mask
        mean_w = float(np.add.reduce(np.where(inside, w, 0.0))) / self.rows(mask)
        used = inside & ~np.isnan(values) & (w > 0)
        rows = inside & (w > 0)
        r = np.where(used, (np.nan_to_num(values) - p) / np.sqrt(p * (1 - p)), 0.0)[rows]
        wr = w[rows]
        m = r.size
        rbar = float(np.add.reduce(wr * r)) / float(np.add.reduce(wr))
        phi = m / (m - 1) * float(np.add.reduce(wr * (r - rbar) ** 2)) / float(np.add.reduce(wr))
        return {"weight_sum": float(np.add.reduce(w[used])) / mean_w, "dispersion": phi}

    def estimate(self, values: np.ndarray, where: Mapping[str, Any] | np.ndarray | None = None, *,
                 statistic: str = "mean", column: str = "values", level: float = 0.95,
                 method: str = "logit", df: float | None = None,
                 deff: bool | str = True) -> Estimate:
        """Weighted (Hájek) mean of per-respondent ``values`` in a domain, with its interval.

        The estimator behind :meth:`mean` and the item statistics
        (:func:`~coanalysis.survey.estimates.item_statistics`): any derived variable (a recoded
        item, a score) gets the design's standard error, interval and design effect.

        Parameters
        ----------
        values : numpy.ndarray
            One value per row of the design, NaN where missing (left out).
        where : dict or array of bool, optional
            The domain: see :meth:`domain`. Default: the whole design.
        statistic : {"mean", "proportion"}, default "mean"
            ``"proportion"`` for 0/1 values: the interval is then ``method``'s on the design's
            degrees of freedom, as R ``svyciprop``; a mean's is Wald's.
        column : str, default "values"
            The name the estimate carries.
        level : float, default 0.95
        method : {"logit", "beta", "wald", "xlogit", "asin", "likelihood"}, default "logit"
            Interval of a proportion (see :func:`proportion_interval`); ignored for a mean.
        df : float, optional
            Degrees of freedom of a mean's t interval; default normal (as R ``confint``).
        deff : {True, "replace", False}, default True
            Design effect against simple random sampling without replacement (R's
            ``deff = TRUE``), with replacement (``"replace"``), or none (see
            :func:`design_effect`).

        Returns
        -------
        Estimate

        Notes
        -----
        ``ȳ = Σ w_i y_i / Σ w_i``, influence ``z_i = w_i (y_i - ȳ) / Σ w_i`` in the domain (0
        outside), variance from :meth:`covariance`. Equals R ``svymean(~y, design, na.rm =
        TRUE, deff = deff)`` and, for a proportion, ``svyciprop(~y, design, method)``.

        References
        ----------
        Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2-3.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> d = Design(pd.DataFrame({"g": ["a", "a", "b", "b"]}))
        >>> d.estimate(np.array([1.0, 3, 5, 7]), where={"g": "b"}).estimate
        6.0
        """
        level = check_level(level)
        check_choice(statistic, "statistic", ("mean", "proportion"))
        check_choice(deff, "deff", tuple(DEFF_OPTIONS))
        values = np.asarray(values, dtype=float)
        if values.shape != (self.n,):
            raise ValueError(f"values must hold one number per row of the design ({self.n}), "
                             f"got shape {values.shape}")
        mask = self.domain(where)
        est, z, n = self.mean_influence(values, mask)
        p = float(est[0])
        se = float(np.sqrt(self.covariance(z)[0, 0]))
        if statistic == "proportion":
            p = min(max(p, 0.0), 1.0) if np.isfinite(p) else p  # last guard: a 0/1 mean is in [0, 1]
            d = self.degrees_of_freedom(mask) if df is None else float(df)
            terms = (self._likelihood_terms(values, mask, p)
                     if method == "likelihood" and 0 < p < 1 and se > 0 else None)
            ci = proportion_interval(p, se, level=level, df=d, n=self.rows(mask), method=method,
                                     respondents=n, likelihood=terms)
            used = interval_method(p, method)
        else:
            d = np.inf if df is None else float(df)
            q = critical_value(level, d)
            ci, used = (p - q * se, p + q * se), "wald"
        effect = np.nan
        if deff is not False:
            inside = values if mask is None else np.where(mask, values, np.nan)
            effect = design_effect(se ** 2, inside, self._w, replace=deff == "replace")
        return Estimate(statistic, column, p, se, ci, level, n, d, used,
                        _EMPTY_DOMAIN if np.isnan(p) else "", effect, DEFF_OPTIONS[deff])

    def mean(self, column: str, *, level: float = 0.95, df: float | None = None,
             mask: np.ndarray | None = None, deff: bool | str = True) -> Estimate:
        """Weighted (Hájek) mean of a numeric column, missing values left out.

        Parameters
        ----------
        column : str
        level : float, default 0.95
        df : float, optional
            Degrees of freedom of the interval's t quantile; default normal (as R ``confint``).
        mask : numpy.ndarray of bool, optional
            Domain (subpopulation) membership.
        deff : {True, "replace", False}, default True
            Design effect against simple random sampling without replacement (R's
            ``deff = TRUE``), with replacement (``"replace"``), or none: see
            :func:`design_effect`.

        Returns
        -------
        Estimate
            With :attr:`~Estimate.deff`, :attr:`~Estimate.effective_n` and
            :attr:`~Estimate.margin_of_error`.

        Notes
        -----
        ``ȳ = Σ w_i y_i / Σ w_i``; influence ``z_i = w_i (y_i - ȳ)/Σ w_i``; variance from
        :meth:`covariance`. Equals R ``svymean(~y, design, na.rm = TRUE, deff = TRUE)``.

        A domain with no respondent (or only weights 0) has no mean: estimate, standard error and
        interval are NaN and ``note`` says so (R's ``svymean`` on an empty subset returns 0 with
        standard error 0 in survey 4.1.1).

        References
        ----------
        Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2-3.
        Lumley, T. survey: analysis of complex survey samples. R package, version 4.1.1.
        Kish, L. (1965). *Survey Sampling*. Wiley, §8.2 (design effect).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"y": [2.0, 4, 6, 8], "h": ["a", "a", "b", "b"], "N": [10, 10, 20, 20]})
        >>> m = Design(df, strata="h", fpc="N").mean("y")
        >>> round(m.estimate, 4), round(m.se, 4)
        (5.6667, 0.6992)
        """
        return self.estimate(self.values(column), mask, column=column, level=level, df=df,
                             deff=deff)

    def total(self, column: str, *, level: float = 0.95, mask: np.ndarray | None = None,
              deff: bool | str = True) -> Estimate:
        """Weighted (Horvitz-Thompson) total of a numeric column, missing values left out.

        Parameters
        ----------
        column : str
            Numeric column (or ordered categorical with numeric categories).
        level : float, default 0.95
            Confidence level of the interval.
        mask : numpy.ndarray of bool, optional
            Domain (subpopulation) membership: rows outside count 0.
        deff : {True, "replace", False}, default True
            Design effect of the total (see :func:`design_effect`), as R
            ``svytotal(deff = TRUE)`` or ``deff = "replace"``.

        Returns
        -------
        Estimate
            ``estimate``, ``se``, interval ``estimate ± z_{1-α/2} · se`` with the normal
            quantile (``df`` = inf, as R ``confint(svytotal(...))``), ``n`` = values used.

        Notes
        -----
        ``T̂ = Σ_i w_i y_i`` over rows with a value (and in the domain); its influence values
        are ``z_i = w_i y_i`` and its variance comes from :meth:`covariance`. Equals R
        ``svytotal(~y, design, na.rm = TRUE)``; a domain without respondents has total 0 with
        standard error 0, as in R (a total, unlike a mean, is defined there).

        References
        ----------
        Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2-3.
        Lumley, T. survey: analysis of complex survey samples. R package, version 4.1.1.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"y": [1.0, 2, None, 4], "w": [10.0, 10, 20, 20]})
        >>> Design(df, weights="w").total("y").estimate
        110.0
        """
        level = check_level(level)
        check_choice(deff, "deff", tuple(DEFF_OPTIONS))
        y = self.values(column)
        keep = ~np.isnan(y)
        if mask is not None:
            keep &= mask
        z = np.where(keep, self._w * np.nan_to_num(y), 0.0)
        est = float(z.sum())
        se = float(np.sqrt(self.covariance(z)[0, 0]))
        q = critical_value(level, np.inf)
        effect = (np.nan if deff is False else
                  design_effect(se ** 2, np.where(keep, y, np.nan), self._w, statistic="total",
                                replace=deff == "replace"))
        return Estimate("total", column, est, se, (est - q * se, est + q * se), level,
                        int(keep.sum()), np.inf, "wald", "", effect, DEFF_OPTIONS[deff])

    def ratio(self, numerator: str, denominator: str, *, level: float = 0.95,
              mask: np.ndarray | None = None, deff: bool | str = True) -> Estimate:
        """Ratio of two population totals, ``R = Y / X``, as R ``svyratio(~y, ~x, design,
        na.rm = TRUE)``.

        Parameters
        ----------
        numerator, denominator : str
            Numeric columns; respondents missing either are left out of both totals.
        level : float, default 0.95
            Confidence level of the normal interval (R ``confint(svyratio(...))``).
        mask : numpy.ndarray of bool, optional
            Domain membership.
        deff : {True, "replace", False}, default True
            Design effect, as R ``svyratio(deff = TRUE)``: that of the total of the ratio's
            linearised variable (see :func:`design_effect`).

        Returns
        -------
        Estimate
            ``statistic == "ratio"``, ``column == "<numerator>/<denominator>"``.

        Notes
        -----
        ``R̂ = Σ w_i y_i / Σ w_i x_i`` over the respondents with both values; influence values
        ``z_i = w_i (y_i - R̂ x_i) / Σ w_i x_i``, variance from :meth:`covariance` (Taylor
        linearisation of the ratio); interval ``R̂ ± z_{1-α/2} · se``. A mean is the ratio with
        ``x = 1``.

        References
        ----------
        Cochran, W. G. (1977). *Sampling Techniques*, 3rd ed. Wiley, ch. 6.
        Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.4.1.
        Checked against R survey 4.1.1 ``svyratio``.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4], "x": [2.0, 2, 4, 4], "w": [1.0, 1, 2, 2]})
        >>> Design(df, weights="w").ratio("y", "x").estimate
        0.85
        """
        level = check_level(level)
        check_choice(deff, "deff", tuple(DEFF_OPTIONS))
        y, x = self.values(numerator), self.values(denominator)
        keep = ~np.isnan(y) & ~np.isnan(x)
        if mask is not None:
            keep &= mask
        y0, x0 = np.where(keep, y, 0.0), np.where(keep, x, 0.0)
        wx = float(np.add.reduce(self._w * x0))
        ratio = float(np.add.reduce(self._w * y0)) / wx if wx != 0 else np.nan
        linear = np.where(keep, (y0 - ratio * x0) / wx, np.nan) if wx != 0 else np.full(self.n, np.nan)
        z = np.nan_to_num(self._w * linear)
        se = float(np.sqrt(self.covariance(z)[0, 0])) if wx != 0 else np.nan
        q = critical_value(level, np.inf)
        effect = (np.nan if deff is False or wx == 0 else
                  design_effect(se ** 2, linear, self._w, statistic="total", replace=deff == "replace"))
        note = ("" if wx != 0 else f"the weighted total of {denominator!r} is 0 in the domain: "
                "no ratio")
        return Estimate("ratio", f"{numerator}/{denominator}", ratio, se,
                        (ratio - q * se, ratio + q * se), level, int(keep.sum()), np.inf, "wald",
                        note, effect, DEFF_OPTIONS[deff])

    def quantile(self, column: str, q: float | Sequence[float], *, level: float = 0.95,
                 mask: np.ndarray | None = None, lang: str | None = None) -> Quantiles:
        """Weighted quantiles of a numeric column with Woodruff confidence intervals, as R
        ``svyquantile(~y, design, q, ci = TRUE, na.rm = TRUE)`` with survey 4.x's defaults.

        Parameters
        ----------
        column : str
            Numeric column; missing values are left out.
        q : float or list of float
            Probabilities in [0, 1] (0.5: the median).
        level : float, default 0.95
        mask : numpy.ndarray of bool, optional
            Domain membership.
        lang : {"fr", "en"}, optional
            Language of the result's title (default :func:`coanalysis.default_lang`).

        Returns
        -------
        Quantiles
            ``.table`` indexed by ``q``: ``estimate``, ``se``, ``ci_low``, ``ci_high``.

        Notes
        -----
        The quantile is ``min{x : F̂(x) >= q}`` with ``F̂`` the weighted distribution function
        (R's ``qrule = "math"``: :func:`~coanalysis.survey.quantiles.math_quantile`). Woodruff's
        interval (R's ``interval.type = "mean"``): the share ``p̂ = F̂(x̂_q)`` of respondents at or
        below the estimate is a design-based mean with standard error ``s`` (:meth:`estimate`);
        its interval ``p̂ ± t_{df} s``, with ``df`` the design's degrees of freedom among the
        respondents with a value, is mapped back through the same quantile rule (a bound below 0
        or above 1 gives NaN, as R). The standard error is the interval's width over
        ``2 t_{df}``, as R reports it.

        References
        ----------
        Woodruff, R. S. (1952). Confidence intervals for medians and other position measures.
        *JASA* 47, 635-646.
        Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.4.2.
        Checked against R survey 4.1.1 ``svyquantile``.

        Examples
        --------
        >>> import pandas as pd
        >>> d = Design(pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6, 7, 8], "w": [1.0, 1, 1, 1, 2, 2, 2, 2]}),
        ...            weights="w")
        >>> d.quantile("y", [0.25, 0.5]).table["estimate"].tolist()
        [3.0, 5.0]
        """
        level = check_level(level)
        check_choice(lang, "lang", ("fr", "en", None))
        probs = [q] if np.ndim(q) == 0 else list(q)
        if not probs:
            raise ValueError("q must name at least one probability")
        probs = [check_number(p, "q", min_val=0, max_val=1) for p in probs]
        x = self.values(column)
        keep = ~np.isnan(x) if mask is None else ~np.isnan(x) & mask
        sample = SortedSample.of(np.where(keep, x, np.nan), self._w)
        df = self.degrees_of_freedom(keep)
        t = critical_value(level, df)
        rows = []
        for p in probs:
            qhat = math_quantile(sample, p)
            if np.isnan(qhat):
                rows.append((np.nan, np.nan, np.nan, np.nan))
                continue
            below = np.where(keep, (x <= qhat).astype(float), np.nan)
            share = self.estimate(below, keep, level=level, df=df, deff=False)
            low_p, high_p = share.estimate - t * share.se, share.estimate + t * share.se
            low = math_quantile(sample, low_p) if low_p >= 0 else np.nan
            high = math_quantile(sample, high_p) if high_p <= 1 else np.nan
            rows.append((qhat, (high - low) / (2 * t), low, high))
        table = pd.DataFrame(rows, columns=["estimate", "se", "ci_low", "ci_high"],
                             index=pd.Index(probs, name="q"))
        return Quantiles(column, table, level, df, int(sample.x.size), lang)

    def crosstab(self, row: str, column: str, *, lang: str | None = None) -> Crosstab:
        """Weighted two-way table of ``row`` by ``column``, with Rao-Scott tests of independence.

        Parameters
        ----------
        row, column : str
            Categorical (or any discrete) columns; respondents missing either are left out.
            The table has the values present (a categorical's unused categories are dropped).
        lang : {"fr", "en"}, optional
            Language of the result's titles (default :func:`coanalysis.default_lang`).

        Returns
        -------
        Crosstab
            ``.counts`` (weighted counts, as R ``svytable(~row + column, design)``) and
            ``.test("F" | "Chisq")`` (as R ``svychisq``).

        Notes
        -----
        The cell proportions are the design-based means of the cells' indicators (one domain:
        the respondents with both values), with their linearised covariance
        (:meth:`covariance`); the tests use them as R ``svychisq`` does (see
        :meth:`Crosstab.test`), with the design's ``n`` rows and degrees of freedom.

        References
        ----------
        Rao, J. N. K. & Scott, A. J. (1984). *Ann. Statist.* 12, 46-60.
        Lumley, T. (2010). *Complex Surveys*. Wiley, §6.1. Checked against R survey 4.1.1
        ``svytable`` and ``svychisq``.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"a": list("xxyyxy"), "b": list("uvuvvv"), "w": [1.0, 1, 2, 2, 1, 1]})
        >>> Design(df, weights="w").crosstab("a", "b", lang="en").counts
        b    u    v
        a
        x  1.0  2.0
        y  2.0  3.0
        """
        require_columns(self.data, {"row": row, "column": column}, table="design data")
        check_choice(lang, "lang", ("fr", "en", None))
        r_codes, r_levels = self._observed_codes(row)
        c_codes, c_levels = self._observed_codes(column)
        nr, nc = len(r_levels), len(c_levels)
        if nr < 2 or nc < 2:
            raise ValueError(f"a crosstab needs at least 2 values in each variable: {row!r} has "
                             f"{nr}, {column!r} has {nc}")
        complete = (r_codes >= 0) & (c_codes >= 0)
        cell = np.where(complete, r_codes + nr * c_codes, -1)
        x = (cell[:, None] == np.arange(nr * nc)[None, :]).astype(float)
        x[~complete] = np.nan
        est, z, _ = self.mean_influence(x)
        counts = np.bincount(cell[complete], weights=self._w[complete], minlength=nr * nc)
        table = pd.DataFrame(counts.reshape(nc, nr).T, index=pd.Index(r_levels, name=row),
                             columns=pd.Index(c_levels, name=column))
        return Crosstab(row, column, table, est, self.covariance(z), self.n,
                        self.degrees_of_freedom(), lang)

    def _observed_codes(self, column: str) -> tuple[np.ndarray, list]:
        """Codes 0..k-1 of the values present in ``column`` (sorted; a categorical's in its
        order), -1 where missing."""
        s = self.data[column]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.cat.remove_unused_categories()
            return s.cat.codes.to_numpy().astype(np.intp), list(s.cat.categories)
        codes, uniques = _codes(s)
        return codes, list(uniques)

    def indicators(self, column: str) -> tuple[np.ndarray, pd.Index]:
        """0/1 indicator matrix of the categories of a column (NaN rows where missing)."""
        require_columns(self.data, [column], table="design data")
        s = self.data[column]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes, cats = s.cat.codes.to_numpy(), s.cat.categories
        else:
            codes, cats = _codes(s)
        x = (codes[:, None] == np.arange(len(cats))[None, :]).astype(float)
        x[codes < 0] = np.nan
        return x, pd.Index(cats, name=column)

    def share(self, column: str, *, level: float = 0.95, method: str = "logit",
              mask: np.ndarray | None = None, deff: bool | str = False) -> pd.DataFrame:
        """Weighted share of each category of a column, with intervals.

        Parameters
        ----------
        column : str
            Categorical (or any discrete) column; missing values are left out.
        level : float, default 0.95
        method : {"logit", "beta", "wald", "xlogit", "asin", "likelihood"}
            Interval, see :func:`proportion_interval`; ``"beta"`` is Korn-Graubard, better
            for proportions near 0 or 1.
        mask : numpy.ndarray of bool, optional
            Domain membership.
        deff : {False, True, "replace"}, default False
            Add a ``deff`` column: each share's design effect against simple random sampling
            without (``True``) or with (``"replace"``) replacement, as R ``svymean(~factor,
            deff = TRUE)`` (see :func:`design_effect`).

        Returns
        -------
        pandas.DataFrame
            Indexed by category: ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n``, ``method``
            (the interval built: ``method``, or ``"clopper-pearson"`` for a share of exactly 0
            or 1), and ``deff`` when asked.

        Notes
        -----
        Each share is the mean of the category's indicator (R ``svymean(~factor)``); intervals
        as R ``svyciprop(method=)`` with ``df`` = PSUs - strata of the domain. When every
        respondent of the domain gave the same answer, its share is exactly 1 with standard error
        exactly 0 and the other categories' exactly 0 (as R); their interval is then the exact
        binomial one on the domain's respondents, where R gives NaN: see
        :func:`proportion_interval`. A domain without answers has NaN shares and intervals.

        References
        ----------
        Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 2-3.
        Lumley, T. survey: analysis of complex survey samples. R package, version 4.1.1.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"q": ["oui", "non", "oui", "oui"], "w": [1.0, 1, 2, 4]})
        >>> Design(df, weights="w").share("q")["estimate"].round(3).tolist()
        [0.125, 0.875]
        """
        level = check_level(level)
        check_choice(deff, "deff", tuple(DEFF_OPTIONS))
        x, cats = self.indicators(column)
        est, z, n = self.mean_influence(x, mask)
        est = np.clip(est, 0.0, 1.0)  # a last guard only: mean_influence keeps 0/1 means in [0, 1]
        se = np.sqrt(np.clip(np.diag(self.covariance(z)), 0, None))
        df = self.degrees_of_freedom(mask)
        rows = self.rows(mask)
        cis = [proportion_interval(
                   p, s, level=level, df=df, n=rows, method=method, respondents=n,
                   likelihood=(self._likelihood_terms(x[:, j], mask, p)
                               if method == "likelihood" and 0 < p < 1 and s > 0 else None))
               for j, (p, s) in enumerate(zip(est, se))]
        out = pd.DataFrame({"estimate": est, "se": se, "ci_low": [c[0] for c in cis],
                            "ci_high": [c[1] for c in cis], "n": n,
                            "method": [interval_method(p, method) for p in est]}, index=cats)
        if deff is not False:
            inside = x if mask is None else np.where(mask[:, None], x, np.nan)
            out["deff"] = [design_effect(v ** 2, inside[:, j], self._w, replace=deff == "replace")
                           for j, v in enumerate(se)]
        return out

    def by(self, by: str) -> "DomainEstimates":
        """Estimates within each category of ``by`` (domains of the whole design), as R ``svyby``.

        Parameters
        ----------
        by : str
            Grouping column (R ``svyby``'s ``by``); missing values belong to no domain.

        Returns
        -------
        DomainEstimates
            With ``.mean(column)`` and ``.share(column)`` per domain.

        Notes
        -----
        Each domain ``d`` is estimated with the whole design: influence values are 0 outside
        ``d``, so strata and PSUs keep their full size (no conditioning on the domain's sample
        size), ``Var(θ̂_d) = Σ_h (1 - f_h) n_h/(n_h - 1) Σ_k (Z_hk - Z̄_h)²``.

        References
        ----------
        Lumley, T. (2010). *Complex Surveys*, Wiley, §2.4 (domain estimation).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"g": ["a", "a", "b", "b"], "y": [1.0, 3, 5, 7]})
        >>> Design(df).by("g").mean("y")["estimate"].tolist()
        [2.0, 6.0]
        """
        require_columns(self.data, {"by": by}, table="design data")
        return DomainEstimates(self, by)

    # ------------------------------------------------------------------ raking
    def rake(self, margins: Mapping[str, Mapping[Any, float] | pd.Series], *, tol: float = 1e-10,
             max_iter: int = 100, bounds: tuple[float, float] | None = None) -> "Design":
        """Rake the weights to population margins (iterative proportional fitting).

        Parameters
        ----------
        margins : dict
            ``{column: {category: population total}}``; every category present in the data
            must have a total, and every margin must add up to the same population size.
        tol : float, default 1e-10
            Stop when a whole sweep changes no weight by a relative amount above ``tol``.
        max_iter : int, default 100
            Maximum number of sweeps; :class:`~coanalysis.errors.ConvergenceError` if reached.
        bounds : (float, float), optional
            Lower and upper limits of the ratio raked / starting weight (clipped after each
            step). When the starting weights already add up to about the population size the
            limits straddle 1 (e.g. ``(0.5, 2)``); when they add up to the sample size, scale
            them by population / sample (all ratios are then large). The variance then back-fits on the clipped weights of the last sweep, as
            without bounds; R's ``rake`` has no bounds, so this part is not checked against R.

        Returns
        -------
        Design
            A new design (same data, strata, PSUs, fpc) whose weights match the margins, with
            ``rake_report``. Its standard errors account for the raking.

        Notes
        -----
        Each step multiplies the weights of category ``c`` of margin ``m`` by
        ``T_mc / Σ_{i in c} w_i``. Variance: influence values are replaced by residuals from
        per-margin cell means, cycled 10 times over the margins (Deville & Särndal's raking
        ratio estimator linearised as in R's ``survey::rake``).

        Both the fitting and the variance run on the occupied cells of the margins'
        cross-classification (every respondent of a cell shares its ratio raked / starting
        weight), so the rows are read a fixed number of times whatever the number of sweeps;
        with more than ``_raking.CELLS_PER_ROW`` (0.3) occupied cells per row, where a pass over
        the cells costs about as much as one over the rows, they run over the rows instead (the
        constant is measured by ``benchmarks/bench_rake_route.py``). The two routes do the same
        arithmetic up to rounding (about 1e-14 relative on weights, measured); should rounding
        make one stop a sweep later, the weights still differ by less than about
        ``len(margins) * tol`` relative (the stopping rule).

        References
        ----------
        Deming, W. E. & Stephan, F. F. (1940). On a least squares adjustment of a sampled
        frequency table when the expected marginal totals are known. *Ann. Math. Stat.* 11, 427-444.
        Deville, J.-C., Särndal, C.-E. & Sautory, O. (1993). Generalized raking procedures in
        survey sampling. *JASA* 88, 1013-1020.
        """
        if not margins:
            raise ValueError("margins must name at least one column")
        check_int(max_iter, "max_iter", min_val=1)
        if not (tol > 0):
            raise ValueError(f"tol must be positive, got {plain_scalar(tol)!r}")
        if bounds is not None:
            lo, hi = bounds
            if not (np.isfinite(lo) and np.isfinite(hi) and 0 <= lo < hi):
                raise ValueError(f"bounds must be two finite numbers with 0 <= low < high, got "
                                 f"{plain_scalar(bounds)!r} (they limit the ratio raked / starting weight)")
        problems: list[Problem] = []
        parsed: list[tuple[str, np.ndarray, np.ndarray, list]] = []
        require_columns(self.data, {f"margins[{col!r}]": col for col in margins}, table="design data")
        for col, margin in margins.items():
            margin = dict(margin.items())
            cats = list(margin.keys())
            target = np.array([float(margin[c]) for c in cats])
            if (~np.isfinite(target) | (target <= 0)).any():
                problems.append(_problem(col, margin, "positive population totals"))
                continue
            s = self.data[col]
            codes = _margin_codes(s, cats)
            missing = codes < 0
            if missing.any():
                counts = pd.Series(s[missing]).value_counts(dropna=False)
                for v, cnt in counts[counts > 0].items():  # not a categorical's unused categories
                    problems.append(_problem(col, v, f"one of the margin's categories {plain_scalar(cats)}",
                                             f"{int(cnt)} respondent(s); add a population total "
                                             "for it or recode"))
                continue
            parsed.append((col, codes, target, cats))
        grand = [target.sum() for _, _, target, _ in parsed]
        if grand and max(grand) - min(grand) > 1e-9 * max(grand):
            problems.append(_problem(None, {c: g for (c, *_), g in zip(parsed, grand)},
                                     "margins that add up to the same population size"))
        if problems:
            raise DataError(problems, "cannot rake to these margins")

        w0 = self._w
        columns = [p[0] for p in parsed]
        codes_list = [p[1] for p in parsed]
        targets = [p[2] for p in parsed]
        sizes = [t.size for t in targets]
        layout = _raking.Layout.build(codes_list, sizes)
        cells = (_raking.Cells.build(layout, sizes, w0) if _raking.use_cells(layout.size, self.n)
                 else None)
        before = _raking.margin_totals(codes_list, sizes, w0, cells)
        for (col, _, _, cats), present in zip(parsed, before):
            for c, t in zip(cats, present):
                if t <= 0:
                    problems.append(_problem(col, c, "at least one respondent with positive weight "
                                             "in every margin category", "merge categories"))
        if problems:
            raise DataError(problems, "cannot rake to these margins")

        if cells is not None:
            fit = _raking.ipf_cells(columns, codes_list, targets, w0, cells, tol, max_iter, bounds)
        else:
            fit = _raking.ipf_rows(columns, codes_list, targets, w0, before, tol, max_iter, bounds)
        err = max(float(np.max(np.abs(a / t - 1))) for a, t in zip(fit.after, targets))
        rows = []
        for (col, _, target, cats), bb_, aa_ in zip(parsed, fit.before, fit.after):
            for c, t, bb, aa in zip(cats, target, bb_, aa_):
                rows.append({"margin": col, "category": c, "population": t,
                             "before": bb, "after": aa})
        report = RakeReport(fit.converged, fit.iterations, err, tol, pd.DataFrame(rows),
                            fit.ratio_range)
        if not fit.converged:
            raise ConvergenceError(f"{report.summary()}; raise max_iter, loosen bounds, or merge "
                                   "sparse categories")

        new = object.__new__(Design)
        new.__dict__.update(self.__dict__)
        new._w = fit.weights
        new._calibration = self._calibration + [fit.step]
        new.rake_report = report
        return new

    # ------------------------------------------------------------------ models


class DomainEstimates(Result):
    """Estimates in each category of a grouping column (returned by :meth:`Design.by`).

    Its :attr:`table` lists the domains (respondents and sum of weights in each); the
    estimates come from :meth:`mean` and :meth:`share`.
    """

    def __init__(self, design: Design, by: str):
        self.design = design
        self.by = by
        s = design.data[by]
        if isinstance(s.dtype, pd.CategoricalDtype):
            self._levels = [c for c in s.cat.categories if (s == c).any()]
        else:
            self._levels = list(pd.unique(s.dropna()))
            try:
                self._levels = sorted(self._levels)
            except TypeError:
                pass
        self._values = s.to_numpy()

    @property
    def title(self) -> str:
        """``"domains of <by>"``."""
        return f"domains of {self.by}"

    @property
    def notes(self) -> tuple[str, ...]:
        """How many rows belong to no domain (a missing group), when some do."""
        outside = int(pd.isna(self.design.data[self.by]).sum())
        return ((f"{outside} row(s) with a missing {self.by} belong to no domain",)
                if outside else ())

    @property
    def table(self) -> pd.DataFrame:
        """One row per domain: ``n`` (rows of the design in it) and ``weight`` (their sum)."""
        w = self.design._w
        rows = [{self.by: g, "n": int(np.count_nonzero(m)), "weight": float(w[m].sum())}
                for g, m in self.masks()]
        return pd.DataFrame(rows, columns=[self.by, "n", "weight"])

    def masks(self):
        for level in self._levels:
            yield level, (self._values == level)

    def mean(self, column: str, *, level: float = 0.95, deff: bool | str = False) -> pd.DataFrame:
        """Weighted mean of ``column`` in each domain, as R ``svyby(~y, ~g, design, svymean)``.

        Parameters
        ----------
        column : str
            Numeric column; missing values are left out.
        level : float, default 0.95
            Confidence level (normal quantile).
        deff : {False, True, "replace"}, default False
            Add a ``deff`` column, each domain's design effect (see :meth:`Design.mean`), as R
            ``svyby(~y, ~g, design, svymean, deff = TRUE)``.

        Returns
        -------
        pandas.DataFrame
            Indexed by domain: ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n``, and
            ``deff`` when asked.

        Notes
        -----
        ``ȳ_d = Σ_{i∈d} w_i y_i / Σ_{i∈d} w_i``, variance of the influence values
        ``z_i = 1{i∈d} w_i (y_i - ȳ_d) / Σ_{i∈d} w_i`` over the whole design
        (:meth:`Design.covariance`); interval ``ȳ_d ± z_{1-α/2} · se``.

        References
        ----------
        Lumley, T. (2010). *Complex Surveys*, Wiley, §2.4.
        """
        check_choice(deff, "deff", tuple(DEFF_OPTIONS))
        rows = []
        for g, m in self.masks():
            e = self.design.mean(column, level=level, mask=m, deff=deff)
            rows.append({self.by: g, "estimate": e.estimate, "se": e.se,
                         "ci_low": e.ci[0], "ci_high": e.ci[1], "n": e.n}
                        | ({"deff": e.deff} if deff is not False else {}))
        return pd.DataFrame(rows).set_index(self.by)

    def share(self, column: str, *, level: float = 0.95, method: str = "logit",
              deff: bool | str = False) -> pd.DataFrame:
        """Weighted share of each category of ``column`` in each domain.

        Parameters
        ----------
        column : str
            Categorical column; missing values are left out of each domain's base.
        level : float, default 0.95
        method : {"logit", "beta", "wald"}, default "logit"
            Interval, see :func:`proportion_interval`.
        deff : {False, True, "replace"}, default False
            Add a ``deff`` column (see :meth:`Design.share`).

        Returns
        -------
        pandas.DataFrame
            Indexed by (domain, category): ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n``,
            ``method`` (as :meth:`Design.share`).

        Notes
        -----
        ``p̂_dc = Σ_{i∈d} w_i 1{y_i = c} / Σ_{i∈d} w_i`` (the domain mean of the category's
        indicator, R ``svyby(~factor, ~g, design, svymean)``); intervals as
        :meth:`Design.share` with the domain's degrees of freedom.

        References
        ----------
        Lumley, T. (2010). *Complex Surveys*, Wiley, §2.4 and §2.3.1 (proportions).
        """
        parts = {g: self.design.share(column, level=level, method=method, mask=m, deff=deff)
                 for g, m in self.masks()}
        return pd.concat(parts, names=[self.by, column])
