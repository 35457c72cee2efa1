"""Ordinal (proportional-odds) regression of a Likert outcome, through statsmodels' OrderedModel.

A thin wrapper: tidy input (data + column names), categorical predictors expanded with their
first category as reference, and a results object with a coefficient table and thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel

__all__ = ["OrdinalResult", "ordinal_regression"]


@dataclass
class OrdinalResult:
    """A fitted proportional-odds model.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per predictor term: ``coef``, ``se``, ``z``, ``p_value``, ``ci_low``, ``ci_high``,
        ``odds_ratio`` (for the logit link).
    thresholds : pandas.Series
        Cut-points ``τ_j`` between successive categories (labelled ``"a|b"``).
    loglik : float
    n : int
        Respondents used; ``n_dropped`` were left out for a missing value.
    fit : statsmodels results
    """

    table: pd.DataFrame
    thresholds: pd.Series
    loglik: float
    n: int
    n_dropped: int
    distr: str
    outcome: str
    converged: bool
    fit: Any = field(repr=False)

    def summary(self) -> str:
        lines = [f"Ordinal {self.distr} regression of {self.outcome!r}: n = {self.n} "
                 f"({self.n_dropped} dropped for missing values), log-likelihood {self.loglik:.4f}"]
        lines.append(self.table.to_string(float_format=lambda v: f"{v:.4f}"))
        lines.append("thresholds: " + ", ".join(f"{k} {v:.4f}" for k, v in self.thresholds.items()))
        return "\n".join(lines)

    def __repr__(self) -> str:
        terms = ", ".join(f"{t} {c:+.3f}" for t, c in self.table["coef"].items())
        return f"OrdinalResult({self.outcome!r} ~ {terms}; n={self.n}, loglik={self.loglik:.3f})"

    def predict(self, data: pd.DataFrame) -> pd.DataFrame:
        """Predicted probability of each outcome category for new rows (same predictors)."""
        exog = _design_matrix(data, self._predictors, self._levels)[0]
        probs = self.fit.model.predict(self.fit.params, exog=exog.to_numpy(dtype=float))
        return pd.DataFrame(probs, index=data.index, columns=self._categories)


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


def ordinal_regression(data: pd.DataFrame, outcome: str, predictors: Sequence[str], *,
                       distr: str = "logit", level: float = 0.95) -> OrdinalResult:
    """Fit ``P(Y <= j | x) = F(τ_j - x'β)`` (proportional odds for ``distr="logit"``).

    Parameters
    ----------
    data : pandas.DataFrame
    outcome : str
        Ordered categorical (or integer) column.
    predictors : list of str
        Numeric columns enter as they are; categorical or text columns as indicators, the first
        category being the reference.
    distr : {"logit", "probit"}, default "logit"
    level : float, default 0.95

    Returns
    -------
    OrdinalResult

    Notes
    -----
    Same parametrisation and sign as R ``MASS::polr``: a positive coefficient moves answers
    towards the higher categories; ``exp(β)`` is the cumulative odds ratio. Maximum likelihood
    by BFGS then Newton polishing. Unweighted: survey weights are not used (statsmodels'
    OrderedModel takes none), so read the coefficients as associations in the sample.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *JRSS B* 42, 109-142.
    Agresti, A. (2010). *Analysis of Ordinal Categorical Data*, 2nd ed. Wiley, ch. 3.
    """
    if distr not in ("logit", "probit"):
        raise ValueError(f"distr must be 'logit' or 'probit', got {distr!r}")
    predictors = list(predictors)
    missing = [c for c in [outcome, *predictors] if c not in data.columns]
    if missing:
        raise KeyError(f"columns not in data: {missing}")
    used = data[[outcome, *predictors]]
    keep = used.notna().all(axis=1)
    d = data.loc[keep]
    y = d[outcome]
    if not isinstance(y.dtype, pd.CategoricalDtype):
        y = pd.Series(pd.Categorical(y, ordered=True), index=d.index)
    elif not y.cat.ordered:
        raise TypeError(f"outcome {outcome!r} must be an ordered categorical")
    y = y.cat.remove_unused_categories()
    if len(y.cat.categories) < 3:
        raise ValueError(f"outcome {outcome!r} needs at least 3 observed categories")
    exog, levels = _design_matrix(d, predictors)
    model = OrderedModel(y, exog, distr=distr)
    start = model.fit(method="bfgs", disp=False, maxiter=2000)
    fit = model.fit(method="newton", disp=False, maxiter=100, start_params=start.params)
    k = exog.shape[1]
    coef, se = fit.params.iloc[:k], fit.bse.iloc[:k]
    q = stats.norm.ppf(1 - (1 - level) / 2)
    table = pd.DataFrame({"coef": coef, "se": se, "z": coef / se,
                          "p_value": 2 * stats.norm.sf(np.abs(coef / se)),
                          "ci_low": coef - q * se, "ci_high": coef + q * se})
    if distr == "logit":
        table["odds_ratio"] = np.exp(coef)
    table.index.name = "term"
    cats = list(y.cat.categories)
    cuts = model.transform_threshold_params(fit.params.to_numpy())[1:-1]
    thresholds = pd.Series(cuts, index=[f"{a}|{b}" for a, b in zip(cats[:-1], cats[1:])],
                           name="threshold")
    res = OrdinalResult(table, thresholds, float(fit.llf), int(keep.sum()), int((~keep).sum()),
                        distr, outcome, bool(fit.mle_retvals.get("converged", True)), fit)
    res._predictors, res._levels, res._categories = predictors, levels, cats
    return res
