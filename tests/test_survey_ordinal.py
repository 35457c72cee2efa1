"""Design-based ordinal regression (``ordinal_regression(design=...)``, ``Design.ordinal``):
checked against R ``survey::svyolr`` (survey 4.1.1, values from tests/reference/), against an
independent sandwich computed by statsmodels' numerical derivatives, and on its invariants."""


import numpy as np
import pandas as pd
import pytest
from statsmodels.miscmodels.ordinal_model import OrderedModel

from coanalysis.errors import ConvergenceError, DataError
from coanalysis.survey import Design, OrdinalResult, ordinal_regression
from survey_reference import REF_DIR

#: R's tight svyolr fits (make_survey_reference.R: BFGS reltol 1e-15, optimHess step 1e-5, values
#: stored with 17 digits) against the exact Newton solution here (step < 1e-10). BFGS stops when
#: one iteration lowers f = -pseudo-log-likelihood by less than reltol |f|; an excess of that size
#: moves parameter j by up to sqrt(2 reltol |f| (A^-1)_jj), at most 6e-7 on these fits (f ~ 57-90,
#: A the information with weights of mean 1). So coefficients and thresholds are compared to an
#: absolute 1e-6 (measured 1.2e-7, the raked fit). The SEs carry the FD Hessian's error
#: (step 1e-5: ~1e-9) and the effect of that coefficient error (~1e-6 relative at most):
#: rtol 1e-6 (measured 3.5e-8).
R_PARAM_ATOL = 1e-6
R_SE_RTOL = 1e-6


def _ordinal_on(design, outcome, predictors, **kw):
    """The ordinal regression of a design on its own data, as R ``svyolr(formula, design)``."""
    return ordinal_regression(design.data, outcome, predictors, design=design, **kw)


def _strclus() -> pd.DataFrame:
    d = pd.read_csv(REF_DIR / "survey_strclus.csv")
    d["sat"] = pd.Categorical(d["sat"], categories=[1, 2, 3, 4], ordered=True)
    return d


def _margins(ref) -> dict:
    return {"sex": {s: ref[f"strclus.rake.margin.sex.{s}"] for s in ("F", "H")},
            "age3": {a: ref[f"strclus.rake.margin.age3.{a}"] for a in ("18-34", "35-59", "60+")}}


@pytest.fixture(scope="module")
def des() -> Design:
    return Design(_strclus(), weights="w", strata="stratum", psu="psu", fpc="fpc")


def _case(name, des, ref) -> tuple[Design, list[str], str, list[str]]:
    """(design, predictors, link, R coefficient names) of each R reference fit."""
    if name == "svyolr.strclus":
        return des, ["y", "grp"], "logit", ["y", "grpusagers"]
    if name == "svyolr.strclus.probit":
        return des, ["y", "grp"], "probit", ["y", "grpusagers"]
    if name == "svyolr.strclus.rake":
        return des.rake(_margins(ref)), ["grp", "age3"], "logit", ["grpusagers", "age335-59", "age360+"]
    if name == "svyolr.strclus_complete.rake":
        d = _strclus()
        d = d[d["y"].notna()].reset_index(drop=True)
        cc = Design(d, weights="w", strata="stratum", psu="psu", fpc="fpc").rake(_margins(ref))
        return cc, ["y", "grp"], "logit", ["y", "grpusagers"]
    raise KeyError(name)


CASES = ["svyolr.strclus", "svyolr.strclus.probit", "svyolr.strclus.rake", "svyolr.strclus_complete.rake"]


def _r_values(ref, prefix, names):
    coef = [ref[f"{prefix}.coef.{t}"] for t in names]
    se = [ref[f"{prefix}.se.{t}"] for t in names]
    zeta = [ref[f"{prefix}.zeta.{i}"] for i in (1, 2, 3)]
    zeta_se = [ref[f"{prefix}.se.zeta.{i}"] for i in (1, 2, 3)]
    return coef, se, zeta, zeta_se


# ------------------------------------------------------------------ R survey::svyolr
@pytest.mark.parametrize("name", CASES)
def test_design_based_fit_matches_r_svyolr(des, ref, name):
    design, predictors, distr, r_names = _case(name, des, ref)
    r = ordinal_regression(design.data, "sat", predictors, distr=distr, design=design)
    coef, se, zeta, zeta_se = _r_values(ref, name, r_names)
    assert r.design_based and r.converged
    np.testing.assert_allclose(r.table["coef"], coef, rtol=0, atol=R_PARAM_ATOL)
    np.testing.assert_allclose(r.thresholds, zeta, rtol=0, atol=R_PARAM_ATOL)
    np.testing.assert_allclose(r.table["se"], se, rtol=R_SE_RTOL)
    np.testing.assert_allclose(r.threshold_se, zeta_se, rtol=R_SE_RTOL)
    # svyolr's deviance is -2 x the pseudo-log-likelihood with weights scaled to mean 1; R's
    # stopping rule leaves it within reltol (1e-15) of the maximum (measured 3e-14): rel 1e-9
    assert -2 * r.loglik == pytest.approx(ref[f"{name}.deviance"], rel=1e-9)
    assert list(r.thresholds.index) == ["1|2", "2|3", "3|4"]


def test_missing_predictor_rows_stay_in_the_design_with_zero_influence(des, ref):
    r = ordinal_regression(des.data, "sat", ["y", "grp"], design=des)
    assert (r.n, r.n_dropped) == (71, 3)
    dropped = des.data["y"].isna().to_numpy()
    assert r.fit.influence.shape == (des.n, 5)
    assert np.all(r.fit.influence[dropped] == 0) and np.all(r.fit.influence[~dropped].any(axis=1))
    # the variance is the design covariance of those influence values: whole-design n_h and fpc
    # (the same computation by another call: rounding only, 1e-12)
    np.testing.assert_allclose(r.vcov.to_numpy(), des.covariance(r.fit.influence), rtol=1e-12)


@pytest.mark.parametrize("name", ["svyolr.strclus", "svyolr.strclus.rake"])
def test_r_default_svyolr_differs_only_by_its_numerical_hessian(des, ref, name):
    # R's default call stops BFGS at reltol 1e-8 and takes the information from optim's
    # finite-difference Hessian of the gradient (step 1e-3, error ~h^2 = 1e-6 of the third
    # derivatives). A parameter error scales as the square root of the objective's, so the fit's
    # accuracy is ~sqrt(reltol) = 1e-4 relative (measured 4.7e-5, the raked fit; BFGS's
    # superlinear end keeps it well inside its worst case); the SEs carry the Hessian's error and
    # are evaluated at those coefficients: 1e-4 too (measured 9.3e-6)
    design, predictors, distr, r_names = _case(name, des, ref)
    r = ordinal_regression(design.data, "sat", predictors, distr=distr, design=design)
    coef, se, zeta, zeta_se = _r_values(ref, name.replace("svyolr.", "svyolr_default."), r_names)
    np.testing.assert_allclose(np.r_[r.table["coef"], r.thresholds], np.r_[coef, zeta], rtol=1e-4)
    np.testing.assert_allclose(np.r_[r.table["se"], r.threshold_se], np.r_[se, zeta_se], rtol=1e-4)


# ------------------------------------------------------------------ invariants
@pytest.fixture(scope="module")
def ordinal_data() -> pd.DataFrame:
    d = pd.read_csv(REF_DIR / "survey_ordinal.csv")
    d["y"] = pd.Categorical(d["y"], ordered=True)
    return d


def _statsmodels_hc0(d: pd.DataFrame, outcome: str, exog: list[str]):
    """Coefficients, thresholds and their HC0 sandwich covariance (polr parametrisation),
    from statsmodels' OrderedModel and its numerical per-respondent scores and Hessian."""
    model = OrderedModel(d[outcome], d[exog].astype(float), distr="logit")
    start = model.fit(method="bfgs", disp=False, maxiter=2000)
    fit = model.fit(method="newton", disp=False, maxiter=100, start_params=start.params, cov_type="HC0")
    params = fit.params.to_numpy()
    k = len(exog)
    cuts = model.transform_threshold_params(params)[1:-1]
    # delta method from (first threshold, log increments) to the thresholds
    jac = np.eye(len(params))
    inc = np.r_[1.0, np.exp(params[k + 1:])]
    jac[k:, k:] = np.tril(np.ones((len(cuts), len(cuts)))) * inc[None, :]
    return params[:k], cuts, jac @ np.asarray(fit.cov_params()) @ jac.T


#: Accuracy of the statsmodels sandwich, as a fraction of its largest variance. Its Hessian is
#: ``approx_hess3`` (central differences of the total log-likelihood L, step
#: h_i = eps**(1/4) max(|θ_i|, 0.1), down to 1.5e-5 here): rounding costs about eps |L| / (h_i h_j)
#: ≈ 2e-16 * 590 / 4.5e-10 ≈ 3e-4 on elements of size ~50-250 (measured: 6e-7 of the largest),
#: and inverting it spreads that error over the whole covariance: measured 1.6e-6 of max|diag|,
#: on every element alike. So the comparison is absolute, at a scale set by the matrix: a
#: relative test of a small off-diagonal element (5.6e-4 against a largest variance of 3.6e-2)
#: asks for 1e-5 of a number 65 times smaller than the error's scale and fails on round-off.
#: 1e-4 leaves 60x above that error and still fails on the n/(n-1) factor (2.5e-3 of max|diag|).
FD_SANDWICH_ATOL = 1e-4


def _assert_close_to_fd_sandwich(actual: np.ndarray, reference: np.ndarray) -> None:
    """Compare a covariance with one from finite-difference derivatives, to an absolute
    tolerance of :data:`FD_SANDWICH_ATOL` times the reference's largest variance."""
    scale = float(np.abs(np.diag(reference)).max())
    np.testing.assert_allclose(actual, reference, rtol=0, atol=FD_SANDWICH_ATOL * scale)


def test_unit_weights_own_psus_give_the_unweighted_fit_and_the_robust_sandwich(ordinal_data):
    d = ordinal_data
    n = len(d)
    design = Design(d)  # weights 1, one stratum, each respondent its own PSU, no fpc
    r = ordinal_regression(design.data, "y", ["x1", "x2"], design=design)
    u = ordinal_regression(d, "y", ["x1", "x2"])
    assert not u.design_based and r.design_based
    # u is statsmodels' Newton on finite-difference scores (centred, error ~1e-10), stopped at a
    # step below its tol 1e-8: 10x that (measured 5e-9); r is the analytic Newton (step < 1e-10)
    np.testing.assert_allclose(r.table["coef"], u.table["coef"], rtol=1e-7)
    np.testing.assert_allclose(r.thresholds, u.thresholds, rtol=1e-7)
    # -2 x pseudo-log-likelihood with unit weights is the ordinary -2 log-likelihood; at a
    # maximum it moves with the square of a 1e-8 parameter error (measured 2e-16)
    assert r.loglik == pytest.approx(u.loglik, rel=1e-10)
    # the design variance of Σ U_i with n one-respondent PSUs is n/(n-1) Σ U_i U_i' (Σ U_i = 0),
    # so the design-based covariance is n/(n-1) times the HC0 sandwich A⁻¹ (Σ U_i U_i') A⁻¹
    coef, cuts, hc0 = _statsmodels_hc0(d, "y", ["x1", "x2"])
    # the same statsmodels Newton as u (stopping step 1e-8): 1e-6 is loose, not tight
    np.testing.assert_allclose(r.table["coef"], coef, rtol=1e-6)
    np.testing.assert_allclose(r.thresholds, cuts, rtol=1e-6)
    _assert_close_to_fd_sandwich(r.vcov.to_numpy(), n / (n - 1) * hc0)
    # and it is not the model-based (inverse information) covariance: they differ by ~1 %
    # (13x rtol), while the finite-difference SEs of u are accurate to ~1e-6
    assert not np.allclose(r.table["se"], u.table["se"], rtol=1e-3)


def test_missing_rows_keep_their_psus_in_the_variance(ordinal_data):
    # with one-respondent PSUs the n/(n-1) factor counts every row of the design, answered or not
    d = ordinal_data.copy()
    d.loc[[3, 50, 77, 200, 311], "x1"] = np.nan
    n_all, n_used = len(d), len(d) - 5
    r = _ordinal_on(Design(d), "y", ["x1", "x2"])
    cc = d.dropna().reset_index(drop=True)
    r_cc = _ordinal_on(Design(cc), "y", ["x1", "x2"])
    assert r.n == n_used and r.n_dropped == 5
    # the same analytic Newton fit on the same rows, stopped at a step < 1e-10 (its tol): 1e-10
    np.testing.assert_allclose(r.table["coef"], r_cc.table["coef"], rtol=1e-10)
    ratio = np.sqrt(n_all / (n_all - 1) * (n_used - 1) / n_used)
    np.testing.assert_allclose(r.table["se"], r_cc.table["se"] * ratio, rtol=1e-10)
    _, _, hc0 = _statsmodels_hc0(cc, "y", ["x1", "x2"])
    _assert_close_to_fd_sandwich(r.vcov.to_numpy(), n_all / (n_all - 1) * hc0)


def test_scaling_the_weights_changes_neither_coefficients_nor_ses(des):
    base = ordinal_regression(des.data, "sat", ["y", "grp"], design=des)
    d = des.data.copy()
    d["w"] = d["w"] * 37.5
    scaled = _ordinal_on(Design(d, weights="w", strata="stratum", psu="psu", fpc="fpc"), "sat", ["y", "grp"])
    # scaling the weights changes only the rounding of the same Newton path (stopping step 1e-10)
    np.testing.assert_allclose(scaled.table[["coef", "se"]], base.table[["coef", "se"]], rtol=1e-10)
    np.testing.assert_allclose(scaled.thresholds, base.thresholds, rtol=1e-10)
    np.testing.assert_allclose(scaled.threshold_se, base.threshold_se, rtol=1e-10)
    assert scaled.loglik == pytest.approx(base.loglik, rel=1e-10)


def test_weights_change_the_estimate_and_the_design_changes_the_se(des):
    weighted = ordinal_regression(des.data, "sat", ["y", "grp"], design=des)
    srs = _ordinal_on(Design(des.data), "sat", ["y", "grp"])  # same rows, unit weights, no clusters
    # the weights move a coefficient by up to 150 % and the clusters an SE by up to 60 %: 1e-3 is
    # far from both and from the rounding-level agreement of the identical fits (same Newton
    # path, the design enters only the variance: 1e-12)
    assert not np.allclose(weighted.table["coef"], srs.table["coef"], rtol=1e-3)
    no_clusters = _ordinal_on(Design(des.data, weights="w"), "sat", ["y", "grp"])
    np.testing.assert_allclose(no_clusters.table["coef"], weighted.table["coef"], rtol=1e-12)
    assert not np.allclose(no_clusters.table["se"], weighted.table["se"], rtol=1e-3)


def test_design_method_repr_summary_and_predict(des):
    r = ordinal_regression(des.data, "sat", ["y", "grp"], level=0.9, design=des)
    same = ordinal_regression(des.data, "sat", ["y", "grp"], design=des, level=0.9)
    pd.testing.assert_frame_equal(r.table, same.table)
    assert isinstance(r, OrdinalResult)
    assert "design-based" in repr(r) and "pseudo-loglik" in repr(r)
    text = r.summary()
    assert text.startswith("Design-based ordinal logit regression of 'sat'")
    assert "sandwich" in text and "(SE " in text
    q = 1.6448536269514722
    # closed forms: ci_high - coef loses |coef| / (q se) ~ 10 ulps to cancellation; 1e-12
    np.testing.assert_allclose(r.table["ci_high"] - r.table["coef"], q * r.table["se"], rtol=1e-12)
    rows = des.data.dropna(subset=["y"]).head(4)
    probs = r.predict(rows)
    assert list(probs.columns) == [1, 2, 3, 4]
    eta = rows["y"].to_numpy() * r.table.loc["y", "coef"] + (rows["grp"] == "usagers").to_numpy() * \
        r.table.loc["grp[usagers]", "coef"]
    # the logistic by hand vs expit, then the same differences: a few ulps, 1e-12
    cum = 1 / (1 + np.exp(-(r.thresholds.to_numpy()[None, :] - eta[:, None])))
    np.testing.assert_allclose(probs.to_numpy(), np.diff(np.c_[np.zeros(4), cum, np.ones(4)], axis=1),
                               rtol=1e-12)
    unweighted = ordinal_regression(des.data, "sat", ["y", "grp"])
    assert "unweighted" in unweighted.summary() and "design-based" not in repr(unweighted)


def test_unweighted_threshold_ses_match_mass_polr(ordinal_data, ref):
    u = ordinal_regression(ordinal_data, "y", ["x1", "x2"])
    # both SEs come from finite-difference Hessians: polr's optimHess of the gradient (step 1e-3,
    # ~1e-5 relative, as svyolr's default above) at BFGS-stopped coefficients, statsmodels'
    # approx_hess3 (~2e-6, see FD_SANDWICH_ATOL): rtol 5e-5 (measured 1.8e-6)
    np.testing.assert_allclose(u.threshold_se, [ref[f"polr.se.zeta.{i}"] for i in range(1, 5)], rtol=5e-5)


# ------------------------------------------------------------------ bad input
def test_design_rows_must_align_with_data(des):
    d = des.data
    with pytest.raises(ValueError, match="not aligned"):
        ordinal_regression(d.head(50), "sat", ["y"], design=des)
    with pytest.raises(ValueError, match="not aligned"):
        ordinal_regression(d.iloc[::-1], "sat", ["y"], design=des)
    with pytest.raises(ValueError, match="not aligned"):
        ordinal_regression(d.set_index(d.index + 1), "sat", ["y"], design=des)
    with pytest.raises(TypeError, match="Design"):
        ordinal_regression(d, "sat", ["y"], design=d)
    # a copy with the same rows and index is accepted
    r = ordinal_regression(d.copy(), "sat", ["y"], design=des)
    assert r.design_based


def test_outcome_must_be_ordered(des):
    d = des.data.copy()
    d["sat_unordered"] = d["sat"].cat.as_unordered()
    d["sat_text"] = d["sat"].astype(str).map({"1": "pas du tout", "2": "peu", "3": "assez", "4": "très"})
    design = Design(d, weights="w", strata="stratum", psu="psu", fpc="fpc")
    for col in ("sat_unordered", "sat_text"):
        with pytest.raises(TypeError, match="ordered categorical"):
            ordinal_regression(design.data, col, ["y"], design=design)
        with pytest.raises(TypeError, match="ordered categorical"):
            ordinal_regression(d, col, ["y"])
    with pytest.raises(ValueError, match="distr"):
        ordinal_regression(design.data, "sat", ["y"], distr="cloglog", design=design)
    with pytest.raises(DataError, match=r"lacks the column\(s\) \['nope'\]"):
        ordinal_regression(design.data, "sat", ["nope"], design=design)


def test_collinear_predictors_and_zero_weight_categories_are_refused(des):
    d = des.data.copy()
    d["y2"] = 2 * d["y"]
    design = Design(d, weights="w", strata="stratum", psu="psu", fpc="fpc")
    with pytest.raises(ValueError, match="collinear"):
        ordinal_regression(design.data, "sat", ["y", "y2"], design=design)
    d["w0"] = np.where(d["sat"] == 1, 0.0, d["w"])
    with pytest.raises(ValueError, match="zero total weight"):
        _ordinal_on(Design(d, weights="w0", strata="stratum", psu="psu"), "sat", ["y"])


# ------------------------------------------------------------------ no finite maximum, bad predictors
@pytest.mark.parametrize("distr", ["logit", "probit"])
@pytest.mark.parametrize("weighted", [True, False])
def test_a_separating_predictor_raises_instead_of_a_finite_estimate(des, distr, weighted):
    # sep = 1 exactly when sat >= 3: the likelihood rises for ever with sep's coefficient (R's
    # svyolr stops with "system is computationally singular")
    d = _strclus()
    d["sep"] = (d["sat"].astype(int) >= 3).astype(float)
    design = Design(d, weights="w", strata="stratum", psu="psu", fpc="fpc") if weighted else None
    with pytest.raises(ConvergenceError, match="separate"):
        ordinal_regression(d, "sat", ["y", "sep"], distr=distr, design=design)


def test_predictor_problems_are_named():
    d = _strclus()
    d["g_unused_ref"] = pd.Categorical(d["grp"], categories=["nobody", *sorted(d["grp"].unique())])
    d["y_inf"] = d["y"].fillna(0.0)
    d.loc[0, "y_inf"] = np.inf
    design = Design(d, weights="w", strata="stratum", psu="psu", fpc="fpc")
    with pytest.raises(ValueError, match="reference category"):
        ordinal_regression(design.data, "sat", ["g_unused_ref"], design=design)
    with pytest.raises(ValueError, match=r"\['y_inf'\] hold infinite"):
        ordinal_regression(design.data, "sat", ["y_inf"], design=design)
    # a category used only by rows that do not enter the fit
    d["g_extra"] = pd.Categorical(d["grp"], categories=[*sorted(d["grp"].unique()), "vide"])
    with pytest.raises(ValueError, match=r"g_extra\[vide\]"):
        ordinal_regression(d, "sat", ["g_extra"])
    # a predictor that varies only on zero-weight respondents is constant in the fit: collinear,
    # said in words (not a raw LinAlgError)
    d["w0"] = d["w"]
    d["x_zero"] = 1.0
    d.loc[:4, "w0"] = 0.0
    d.loc[:4, "x_zero"] = [2.0, 3.0, 4.0, 5.0, 6.0]
    zero = Design(d, weights="w0", strata="stratum", psu="psu", fpc="fpc")
    with pytest.raises(ValueError, match="collinear"):
        ordinal_regression(zero.data, "sat", ["x_zero"], design=zero)
