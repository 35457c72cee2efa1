"""Ordinal (proportional-odds) regression of a Likert outcome, unweighted or design-based.

Without a design: a thin wrapper over statsmodels' ``OrderedModel`` (maximum likelihood, equal
to R ``MASS::polr``). With a :class:`~coanalysis.survey.Design`: weighted pseudo-maximum
likelihood and a linearised (sandwich) covariance over the design, equal to R
``survey::svyolr``. Both take tidy input (data + column names), expand categorical predictors
with their first category as reference and return an :class:`OrdinalResult` with a coefficient
table and thresholds in the ``polr``/``svyolr`` parametrisation.
"""

from __future__ import annotations

import warnings

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from ..errors import ConvergenceError, plain_scalar
from ..results import Result
from ..validation import check_choice, check_level, require_columns
from .design import Design

__all__ = ["OrdinalResult", "ordinal_regression"]


@dataclass(repr=False)
class OrdinalResult(Result):
    """A fitted proportional-odds model.

    Attributes
    ----------
    coefficients : pandas.DataFrame
        One row per predictor term: ``coef``, ``se``, ``z``, ``p_value``, ``ci_low``, ``ci_high``,
        ``odds_ratio`` (for the logit link).
    thresholds : pandas.Series
        Cut-points ``τ_j`` between successive categories (labelled ``"a|b"``).
    loglik : float
        Log-likelihood; for a design-based fit the weighted pseudo-log-likelihood
        ``Σ (w_i / w̄) log p_i`` with the weights scaled to mean 1 over the respondents used
        (R ``svyolr``'s ``-deviance / 2``), which does not depend on the scale of the weights.
    n : int
        Respondents used; ``n_dropped`` were left out for a missing value.
    distr : str
    outcome : str
    converged : bool
    fit : statsmodels results (unweighted) or :class:`WeightedOrdinalFit` (design-based)
    design_based : bool
        True when fitted with survey weights and design-based (linearised) standard errors.
    vcov : pandas.DataFrame
        Covariance of the coefficients and thresholds (terms then ``"a|b"`` labels): the
        inverse information for an unweighted fit, the design-based sandwich otherwise.
    """

    coefficients: pd.DataFrame
    thresholds: pd.Series
    loglik: float
    n: int
    n_dropped: int
    distr: str
    outcome: str
    converged: bool
    fit: Any = field(repr=False)
    design_based: bool = False
    vcov: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def threshold_se(self) -> pd.Series:
        """Standard errors of the thresholds (same labels as :attr:`thresholds`)."""
        return pd.Series(np.sqrt(np.diag(self.vcov.loc[self.thresholds.index, self.thresholds.index])),
                         index=self.thresholds.index, name="se")

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`coefficients`: one row per predictor term."""
        return self.coefficients

    @property
    def title(self) -> str:
        """``"[Design-based o|O]rdinal <distr> regression of '<outcome>'"``."""
        kind = "Design-based ordinal" if self.design_based else "Ordinal"
        return f"{kind} {self.distr} regression of {self.outcome!r}"

    @property
    def notes(self) -> tuple[str, ...]:
        """The likelihood and standard errors used, and the respondents dropped."""
        if self.design_based:
            return ("weighted pseudo-likelihood, linearised sandwich standard errors",
                    f"{self.n_dropped} respondent(s) dropped for missing values, kept in the design")
        return ("unweighted maximum likelihood",
                f"{self.n_dropped} respondent(s) dropped for missing values")

    def summary(self) -> str:
        """The model, its coefficients table and its thresholds, as text."""
        if self.design_based:
            head = (f"Design-based ordinal {self.distr} regression of {self.outcome!r} (weighted "
                    f"pseudo-likelihood, linearised sandwich SEs): n = {self.n} ({self.n_dropped} "
                    f"dropped for missing values, kept in the design), "
                    f"pseudo-log-likelihood {self.loglik:.4f}")
        else:
            head = (f"Ordinal {self.distr} regression of {self.outcome!r} (unweighted): n = {self.n} "
                    f"({self.n_dropped} dropped for missing values), log-likelihood {self.loglik:.4f}")
        lines = [head, self.table.to_string(float_format=lambda v: f"{v:.4f}")]
        se = self.threshold_se if self.vcov is not None else None
        lines.append("thresholds: " + ", ".join(
            f"{k} {v:.4f}" + ("" if se is None else f" (SE {se[k]:.4f})")
            for k, v in self.thresholds.items()))
        return "\n".join(lines)

    def __repr__(self) -> str:
        terms = ", ".join(f"{t} {c:+.3f}" for t, c in self.table["coef"].items())
        kind = "design-based, " if self.design_based else ""
        ll = "pseudo-loglik" if self.design_based else "loglik"
        return f"<OrdinalResult: {kind}{self.outcome!r} ~ {terms}; n={self.n}, {ll}={self.loglik:.3f}>"

    def predict(self, data: pd.DataFrame) -> pd.DataFrame:
        """Predicted probability of each outcome category for new rows (same predictors)."""
        exog = _design_matrix(data, self._predictors, self._levels)[0]
        if not self.design_based:
            probs = self.fit.model.predict(self.fit.params, exog=exog.to_numpy(dtype=float))
        else:
            eta = exog.to_numpy(dtype=float) @ self.table["coef"].to_numpy()
            cdf = _LINKS[self.distr][0]
            cum = cdf(self.thresholds.to_numpy()[None, :] - eta[:, None])
            probs = np.diff(np.column_stack([np.zeros(len(eta)), cum, np.ones(len(eta))]), axis=1)
        return pd.DataFrame(probs, index=data.index, columns=self._categories)


@dataclass(frozen=True)
class WeightedOrdinalFit:
    """Details of a weighted (pseudo-likelihood) fit, kept in :attr:`OrdinalResult.fit`.

    Attributes
    ----------
    params : pandas.Series
        Coefficients then thresholds (``polr`` parametrisation).
    information : numpy.ndarray
        ``A = -∂²/∂θ² Σ w_i log p_i`` at the estimate (weights as given by the design).
    influence : numpy.ndarray
        n x m influence values ``U_i A⁻¹`` (one row per row of the design, 0 for rows left out).
    iterations : int
        Newton steps taken.
    max_abs_score : float
        Largest absolute component of the total weighted score at the estimate, with the
        weights scaled to mean 1 (0 at an exact solution).
    """

    params: pd.Series
    information: np.ndarray = field(repr=False)
    influence: np.ndarray = field(repr=False)
    iterations: int
    max_abs_score: float


def _design_matrix(data: pd.DataFrame, predictors: Sequence[str], levels: dict | None = None):
    cols = {}
    seen_levels = {} if levels is None else levels
    for p in predictors:
        s = data[p]
        if pd.api.types.is_bool_dtype(s.dtype):
            cols[p] = s.astype(float)
        elif pd.api.types.is_numeric_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
            cols[p] = s.astype(float)
        else:
            cats = seen_levels.get(p)
            if cats is None:
                cats = (list(s.cat.categories) if isinstance(s.dtype, pd.CategoricalDtype)
                        else sorted(pd.unique(s.dropna())))
                seen_levels[p] = cats
            for c in cats[1:]:
                cols[f"{p}[{c}]"] = (s == c).astype(float).where(s.notna())
    return pd.DataFrame(cols, index=data.index), seen_levels


# --------------------------------------------------------------------------- weighted fit
def _logistic_pdf(x: np.ndarray) -> np.ndarray:
    return special.expit(x) * special.expit(-x)


def _logistic_dpdf(x: np.ndarray) -> np.ndarray:
    return _logistic_pdf(x) * -np.tanh(x / 2)  # f(x)(1 - 2F(x)), without cancellation


def _normal_dpdf(x: np.ndarray) -> np.ndarray:
    finite = np.isfinite(x)
    return np.where(finite, -np.where(finite, x, 0.0) * stats.norm.pdf(x), 0.0)


#: cdf, density and derivative of the density of each link (all symmetric about 0)
_LINKS = {
    "logit": (special.expit, _logistic_pdf, _logistic_dpdf),
    "probit": (special.ndtr, stats.norm.pdf, _normal_dpdf),
}


def _interval_probability(upper: np.ndarray, lower: np.ndarray, cdf) -> np.ndarray:
    """``F(upper) - F(lower)``, from the upper tail when both sit above 0 (no cancellation)."""
    with np.errstate(invalid="ignore"):
        right = (upper + lower) > 0
    return np.where(right, cdf(-lower) - cdf(-upper), cdf(upper) - cdf(lower))


class _WeightedCumulativeLink:
    """Weighted log-likelihood ``Σ w_i log(F(ζ_{y_i} - x_i'β) - F(ζ_{y_i - 1} - x_i'β))``,
    with its analytic score and Hessian in the ``(β, ζ)`` parametrisation."""

    def __init__(self, x: np.ndarray, y: np.ndarray, w: np.ndarray, n_cuts: int, distr: str):
        self.x, self.y, self.w, self.q = x, y, w, n_cuts
        self.k = x.shape[1]
        self.cdf, self.pdf, self.dpdf = _LINKS[distr]
        n = len(y)
        rows = np.arange(n)
        # ∂a/∂(β, ζ) and ∂b/∂(β, ζ) for a = ζ_y - x'β (upper bound), b = ζ_{y-1} - x'β
        self.ea = np.zeros((n, self.k + n_cuts))
        self.eb = np.zeros((n, self.k + n_cuts))
        self.ea[:, :self.k] = -x
        self.eb[:, :self.k] = -x
        top, bottom = y < n_cuts, y > 0
        self.ea[rows[top], self.k + y[top]] = 1.0
        self.eb[rows[bottom], self.k + y[bottom] - 1] = 1.0

    def _bounds(self, params: np.ndarray):
        beta, zeta = params[:self.k], params[self.k:]
        eta = self.x @ beta
        cuts = np.concatenate(([-np.inf], zeta, [np.inf]))
        return cuts[self.y + 1] - eta, cuts[self.y] - eta

    def loglik(self, params: np.ndarray) -> float:
        zeta = params[self.k:]
        if np.any(np.diff(zeta) <= 0) or not np.all(np.isfinite(params)):
            return -np.inf
        upper, lower = self._bounds(params)
        p = _interval_probability(upper, lower, self.cdf)
        if np.any(p <= 0):
            return -np.inf
        return float(np.sum(self.w * np.log(p)))

    def derivatives(self, params: np.ndarray):
        """Per-respondent unweighted scores ``s_i`` (n x m) and the weighted Hessian (m x m)."""
        upper, lower = self._bounds(params)
        p = _interval_probability(upper, lower, self.cdf)
        fa, fb = self.pdf(upper), self.pdf(lower)       # 0 at ±inf
        da, db = self.dpdf(upper), self.dpdf(lower)     # 0 at ±inf
        s = (fa[:, None] * self.ea - fb[:, None] * self.eb) / p[:, None]
        hess = ((self.ea * (self.w * da / p)[:, None]).T @ self.ea
                - (self.eb * (self.w * db / p)[:, None]).T @ self.eb
                - (s * self.w[:, None]).T @ s)
        return s, hess


def _fit_weighted(model: _WeightedCumulativeLink, start: np.ndarray, max_iter: int = 200,
                  tol: float = 1e-10) -> tuple[np.ndarray, int, bool]:
    """Newton-Raphson with step halving on the (concave) weighted log-likelihood.

    The log-likelihood of a cumulative link model with a log-concave ``F`` (logistic, normal) is
    concave in ``(β, ζ)`` (Pratt 1981), so the Newton direction rises and step halving inside the
    ordered-thresholds region converges to the unique maximum when it exists.
    """
    params = start.copy()
    value = model.loglik(params)
    if not np.isfinite(value):
        raise ValueError("starting values give a zero probability; check the outcome categories")
    for it in range(1, max_iter + 1):
        s, hess = model.derivatives(params)
        grad = (s * model.w[:, None]).sum(axis=0)
        info = -hess
        try:
            np.linalg.cholesky(info)
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            # not (numerically) concave here: a ridge keeps the step an ascent direction
            ridge = 1e-8 * max(1.0, float(np.abs(np.diag(info)).max()))
            step = np.linalg.lstsq(info + ridge * np.eye(len(grad)), grad, rcond=None)[0]
        t = 1.0
        while t > 1e-12:
            trial = params + t * step
            new = model.loglik(trial)
            if np.isfinite(new) and new >= value - 1e-12 * abs(value):
                break
            t /= 2
        else:
            return params, it, False
        params, value = trial, new
        if np.max(np.abs(t * step)) <= tol * (1.0 + np.max(np.abs(params))):
            return params, it, True
    return params, max_iter, False


#: Largest acceptable condition number of the information matrix scaled to unit diagonal.
_MAX_CONDITION = 1e10


def _scaled_condition(information: np.ndarray) -> float:
    """Condition number of ``D^-1/2 A D^-1/2`` (``D`` the diagonal of ``A``): invariant to the units
    of the predictors, large only when the information is (nearly) singular."""
    d = np.sqrt(np.abs(np.diag(information)))
    if not (d > 0).all():
        return float("inf")
    return float(np.linalg.cond(information / d[:, None] / d[None, :]))


def _check_predictor_matrix(exog: pd.DataFrame, used: np.ndarray) -> None:
    """Refuse what makes the model unidentified, naming the predictor: non-finite values, a
    category with nobody among the rows used (``used``: the rows that enter the fit with a
    positive weight), and collinearity among those rows."""
    x = exog.to_numpy(dtype=float)
    bad = [c for c, ok in zip(exog.columns, np.isfinite(x).all(axis=0)) if not ok]
    if bad:
        raise ValueError(f"predictor column(s) {bad} hold infinite values: recode or drop them")
    x = x[used]
    if x.shape[1] and not used.any():
        raise ValueError("no respondent with a positive weight enters the fit")
    empty = [c for c, col in zip(exog.columns, x.T) if "[" in c and not col.any()]
    if empty:
        raise ValueError(f"categories {empty} have no respondent (with positive weight) among those "
                         "fitted: drop the category (Series.cat.remove_unused_categories()) or merge it")
    if x.shape[1] and np.linalg.matrix_rank(np.column_stack([np.ones(len(x)), x])) < x.shape[1] + 1:
        raise ValueError(f"the predictors {list(exog.columns)} are collinear (with each other or the "
                         "thresholds) among the respondents used: drop or merge some; a categorical "
                         "predictor whose reference category (the first) has nobody is collinear too")


def _start_values(y: np.ndarray, w: np.ndarray, k: int, q: int, distr: str) -> np.ndarray:
    """β = 0 and the thresholds of the weighted marginal distribution of the outcome."""
    share = np.bincount(y, weights=w, minlength=q + 1) / w.sum()
    cum = np.cumsum(share)[:-1]
    ppf = stats.logistic.ppf if distr == "logit" else stats.norm.ppf
    return np.concatenate((np.zeros(k), ppf(cum)))


# --------------------------------------------------------------------------- entry point
def _check_design(design: Any, data: pd.DataFrame) -> None:
    if not isinstance(design, Design):
        raise TypeError(f"design must be a coanalysis.survey.Design, got {type(design).__name__}")
    if design.data is data:
        return
    if len(design.data) != len(data) or not design.data.index.equals(data.index):
        raise ValueError(
            f"the design's rows are not aligned with data ({len(design.data)} design rows, "
            f"{len(data)} data rows, or a different index): pass the design's own data "
            "(design.data, or use design.ordinal(...)), with every row of the design in the same order")


def ordinal_regression(data: pd.DataFrame, outcome: str, predictors: Sequence[str], *,
                       distr: str = "logit", level: float = 0.95,
                       design: Design | None = None) -> OrdinalResult:
    """Fit ``P(Y <= j | x) = F(τ_j - x'β)`` (proportional odds for ``distr="logit"``).

    Parameters
    ----------
    data : pandas.DataFrame
    outcome : str
        Ordered categorical (or numeric) column. A text column or an unordered categorical is
        refused: its category order would be a guess.
    predictors : list of str
        Numeric columns enter as they are; categorical or text columns as indicators, the first
        category being the reference.
    distr : {"logit", "probit"}, default "logit"
    level : float, default 0.95
    design : Design, optional
        A survey design whose rows are the rows of ``data`` (same length and index, in the same
        order; usually ``design.data`` itself, ``ordinal_regression(plan.data, …, design=plan)`` as R ``svyolr(…, design=)``). When given, the
        model is fitted by weighted pseudo-maximum likelihood and its standard errors are
        design-based (strata, PSUs, fpc and raking taken into account), as R
        ``survey::svyolr``. Without it, the fit is unweighted maximum likelihood (R
        ``MASS::polr``).

    Returns
    -------
    OrdinalResult

    Notes
    -----
    Same parametrisation and sign as R ``MASS::polr`` and ``survey::svyolr``: a positive
    coefficient moves answers towards the higher categories; ``exp(β)`` is the cumulative odds
    ratio. Rows with a missing outcome or predictor are left out of the fit. Outcome categories
    that nobody chose among the rows fitted are dropped, so a threshold may join two
    non-adjacent categories (``"3|5"``). To fit the model in a domain (a subpopulation) with a
    design, set the outcome to NA outside the domain: the other rows keep their place in the
    design (the design's rows cannot be subset). A predictor or category that separates the
    outcome perfectly has no finite estimate: :class:`~coanalysis.errors.ConvergenceError`.

    *Unweighted* (no ``design``): maximum likelihood by BFGS then Newton polishing (statsmodels'
    ``OrderedModel``); coefficients are associations in the sample.

    *Design-based*: ``θ̂ = (β̂, τ̂)`` solves the weighted score equations
    ``Σ_i w_i ∂ log p_i(θ)/∂θ = 0`` (Newton-Raphson on the weighted log-likelihood, analytic
    score and Hessian). With ``U_i = w_i ∂ log p_i/∂θ`` and the weighted information
    ``A = -Σ_i w_i ∂² log p_i/∂θ∂θ'``, the covariance is the sandwich of estimating equations
    ``V = A⁻¹ · V_design(Σ_i U_i) · A⁻¹`` (Binder 1983): the middle term is
    :meth:`Design.covariance` of the influence values ``z_i = U_i A⁻¹`` (which is how
    ``svyolr`` calls ``svyrecvar``), so strata, PSUs, fpc and raking residuals all enter.
    Respondents left out for a missing value keep their place in the design with influence 0
    (domain estimation), as R's ``na.omit`` on a survey design does: strata and PSU counts are
    those of the whole design. Coefficients and standard errors do not change when all the
    weights are multiplied by a constant. Intervals use the normal quantile. R's ``svyolr``
    takes ``A`` from ``optim``'s finite-difference Hessian (step 1e-3), so its default standard
    errors differ from the analytic ones here by about 1e-5 relative; with a smaller step
    (``control = list(ndeps = ...)``) they agree to 1e-9.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *JRSS B* 42, 109-142.
    Agresti, A. (2010). *Analysis of Ordinal Categorical Data*, 2nd ed. Wiley, ch. 3.
    Binder, D. A. (1983). On the variances of asymptotically normal estimators from complex
    surveys. *International Statistical Review* 51, 279-292.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 6.
    Lumley, T. survey: analysis of complex survey samples, ``svyolr``. R package, version 4.1.1.
    Pratt, J. W. (1981). Concavity of the log likelihood. *JASA* 76, 103-106.
    """
    check_choice(distr, "distr", ("logit", "probit"))
    level = check_level(level)
    predictors = list(predictors)
    require_columns(data, {"outcome": outcome, **{f"predictors[{i}]": c for i, c in enumerate(predictors)}},
                    table="model data")
    if design is not None:
        _check_design(design, data)
    raw = data[outcome]
    if isinstance(raw.dtype, pd.CategoricalDtype):
        if not raw.cat.ordered:
            raise TypeError(f"outcome {outcome!r} must be an ordered categorical "
                            "(pd.Categorical(..., categories=[low, ..., high], ordered=True))")
    elif not (pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype)):
        raise TypeError(f"outcome {outcome!r} has dtype {raw.dtype}, whose order is unknown: make it an "
                        "ordered categorical (pd.Categorical(..., categories=[low, ..., high], ordered=True))")
    used = data[[outcome, *predictors]]
    keep = used.notna().all(axis=1)
    d = data.loc[keep]
    y = d[outcome]
    if not isinstance(y.dtype, pd.CategoricalDtype):
        y = pd.Series(pd.Categorical(y, ordered=True), index=d.index)
    y = y.cat.remove_unused_categories()
    if len(y.cat.categories) < 3:
        raise ValueError(f"outcome {outcome!r} needs at least 3 observed categories")
    exog, levels = _design_matrix(d, predictors)
    cats = list(y.cat.categories)
    labels = [f"{a}|{b}" for a, b in zip(cats[:-1], cats[1:])]
    q_norm = stats.norm.ppf(1 - (1 - level) / 2)
    k = exog.shape[1]
    if design is None:
        # statsmodels is imported here, not at the top: `import coanalysis.survey` stays cheap
        # (about 1 s of statsmodels import on this machine kind) for the analyses that never fit
        # an unweighted ordinal model
        from statsmodels.miscmodels.ordinal_model import OrderedModel
        from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

        _check_predictor_matrix(exog, np.ones(len(exog), dtype=bool))
        model = OrderedModel(y, exog, distr=distr)
        with warnings.catch_warnings():
            # statsmodels warns when the maximum is not finite; the check below says it in words
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", HessianInversionWarning)
            start = model.fit(method="bfgs", disp=False, maxiter=2000)
            fit = model.fit(method="newton", disp=False, maxiter=100, start_params=start.params)
        coef, se = fit.params.iloc[:k], fit.bse.iloc[:k]
        cuts = model.transform_threshold_params(fit.params.to_numpy())[1:-1]
        # delta method from statsmodels' (first threshold, log increments) to the thresholds
        jac = np.eye(len(fit.params))
        inc = np.exp(fit.params.to_numpy()[k:])
        inc[0] = 1.0
        jac[k:, k:] = np.tril(np.ones((len(cuts), len(cuts)))) * inc[None, :]
        vcov = jac @ np.asarray(fit.cov_params()) @ jac.T
        loglik, converged = float(fit.llf), bool(fit.mle_retvals.get("converged", True))
        condition = _scaled_condition(-np.asarray(model.hessian(fit.params.to_numpy())))
        if not converged or condition > _MAX_CONDITION or not np.isfinite(fit.params).all():
            big = [name for name, b in zip(exog.columns, coef) if abs(b) > 10]
            raise ConvergenceError(
                f"the ordinal model has no finite maximum (Newton converged: {converged}; scaled "
                f"condition number of the information {condition:.3g}): a predictor or category "
                "may separate the outcome perfectly"
                + (f" (coefficients running away: {big})" if big else "")
                + "; drop that predictor, merge categories of the outcome or of the predictor")
    else:
        fit, cuts, vcov, loglik = _design_fit(design, exog, y, keep.to_numpy(), distr)
        coef = pd.Series(fit.params.to_numpy()[:k], index=exog.columns)
        se = pd.Series(np.sqrt(np.diag(vcov)[:k]), index=exog.columns)
        converged = True
    table = pd.DataFrame({"coef": coef, "se": se, "z": coef / se,
                          "p_value": 2 * stats.norm.sf(np.abs(coef / se)),
                          "ci_low": coef - q_norm * se, "ci_high": coef + q_norm * se})
    if distr == "logit":
        table["odds_ratio"] = np.exp(coef)
    table.index.name = "term"
    thresholds = pd.Series(np.asarray(cuts, dtype=float), index=labels, name="threshold")
    names = [*exog.columns, *labels]
    res = OrdinalResult(table, thresholds, loglik, int(keep.sum()), int((~keep).sum()),
                        distr, outcome, converged, fit, design is not None,
                        pd.DataFrame(vcov, index=names, columns=names))
    res._predictors, res._levels, res._categories = predictors, levels, cats
    return res


def _design_fit(design: "Design", exog: pd.DataFrame, y: pd.Series, keep: np.ndarray, distr: str):
    """Weighted pseudo-ML and the design-based sandwich (see :func:`ordinal_regression`)."""
    x = exog.to_numpy(dtype=float)
    k = x.shape[1]
    codes = y.cat.codes.to_numpy().astype(np.intp)
    q = len(y.cat.categories) - 1
    w = design.weights.to_numpy(dtype=float)[keep]
    if w.sum() <= 0:
        raise ValueError("the respondents with an answer all have weight 0")
    empty = [c for c, t in zip(y.cat.categories, np.bincount(codes, weights=w, minlength=q + 1))
             if t <= 0]
    if empty:
        raise ValueError(f"outcome categories {plain_scalar(empty)} have zero total weight: merge or drop them")
    _check_predictor_matrix(exog, w > 0)
    scale = w.mean()  # fit on weights of mean 1 (same estimate, better-scaled tolerances)
    model = _WeightedCumulativeLink(x, codes, w / scale, q, distr)
    params, iterations, converged = _fit_weighted(model, _start_values(codes, w, k, q, distr))
    s, hess = model.derivatives(params)
    max_score = float(np.max(np.abs((s * model.w[:, None]).sum(axis=0))))
    if not converged or not np.isfinite(params).all():
        raise ConvergenceError(
            f"the weighted ordinal model did not converge after {iterations} Newton steps "
            f"(largest score {max_score:.3g}); a category or predictor may separate the outcome "
            "perfectly: merge sparse categories or drop the predictor")
    condition = _scaled_condition(-hess)
    if condition > _MAX_CONDITION:
        # Newton stops when its steps shrink, which also happens on the flat ridge of a likelihood
        # with no maximum: a (quasi-)separated outcome drives some coefficients towards infinity
        # and the information matrix towards singularity (R's svyolr then fails with "system is
        # computationally singular"); reporting a finite estimate and SE would be wrong.
        big = [name for name, b in zip(exog.columns, params[:k]) if abs(b) > 10]
        raise ConvergenceError(
            f"the weighted ordinal model has no finite maximum: its information matrix is singular "
            f"(scaled condition number {condition:.3g}), which happens when a predictor or category "
            "separates the outcome perfectly"
            + (f" (coefficients running away: {big})" if big else "")
            + "; drop that predictor, merge categories of the outcome or of the predictor")
    information = -hess * scale                      # A for the design's own weights
    scores = s * w[:, None]                          # U_i = w_i ∂ log p_i / ∂θ
    influence = np.zeros((design.n, k + q))
    influence[keep] = np.linalg.solve(information, scores.T).T   # U_i A⁻¹ (A symmetric)
    vcov = design.covariance(influence)
    vcov = (vcov + vcov.T) / 2
    loglik = model.loglik(params)
    names = [*exog.columns, *[f"{a}|{b}" for a, b in zip(y.cat.categories[:-1], y.cat.categories[1:])]]
    fit = WeightedOrdinalFit(pd.Series(params, index=names), information, influence, iterations,
                             max_score)
    return fit, params[k:], vcov, loglik
