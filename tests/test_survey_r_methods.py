"""The survey methods of issue #13 §1 against R survey 4.1.1 (values made once by
tests/reference/make_survey_reference.R on the tests' design and on R's api data; R is not
needed here): design effects, quantiles, ratios, the remaining svyciprop intervals, crosstabs
with Rao-Scott tests."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from coanalysis.survey import Design
from survey_reference import APICLUS1_MARGINS, REF_DIR, TOL, strclus_data, strclus_margins


@pytest.fixture(scope="module")
def strclus() -> pd.DataFrame:
    return strclus_data()


@pytest.fixture(scope="module")
def des(strclus) -> Design:
    return Design(strclus, weights="w", strata="stratum", psu="psu", fpc="fpc")


@pytest.fixture(scope="module")
def raked(des, ref) -> Design:
    return des.rake(strclus_margins(ref))


@pytest.fixture(scope="module")
def dstrat() -> Design:
    return Design(pd.read_csv(REF_DIR / "api_strat.csv"), weights="pw", strata="stype", fpc="fpc")


@pytest.fixture(scope="module")
def dclus1() -> Design:
    return Design(pd.read_csv(REF_DIR / "api_clus1.csv"), weights="pw", psu="dnum", fpc="fpc")


# ------------------------------------------------------------------ design effects
# deff is a ratio of two closed forms (the linearised variance and svyvar's weighted variance)
# that R computes with the same formulas: TOL (rtol 1e-6) as for the variances themselves.
KINDS = {"srswor": True, "replace": "replace"}


@pytest.mark.parametrize("kind", KINDS)
def test_deff_of_means_and_totals_is_r_svymean_deff(des, raked, dstrat, dclus1, ref, kind):
    opt = KINDS[kind]
    rc = dclus1.rake(APICLUS1_MARGINS)
    got = {"strclus.mean_y": des.mean("y", deff=opt), "strclus.total_y": des.total("y", deff=opt),
           "strclus.rake.mean_y": raked.mean("y", deff=opt),
           "strclus.rake.total_y": raked.total("y", deff=opt),
           "apistrat.mean_api00": dstrat.mean("api00", deff=opt),
           "apistrat.total_enroll": dstrat.total("enroll", deff=opt),
           "apiclus1.mean_api00": dclus1.mean("api00", deff=opt),
           "apiclus1.total_enroll": dclus1.total("enroll", deff=opt),
           "apiclus1.rake.mean_api00": rc.mean("api00", deff=opt)}
    for key, e in got.items():
        np.testing.assert_allclose(e.deff, ref[f"{key}.deff.{kind}"], **TOL, err_msg=key)
        assert e.deff_srs == ("without replacement" if kind == "srswor" else "with replacement")


def test_deff_of_shares_and_domain_means_is_r(des, ref):
    assert "deff" not in des.share("sat")  # a column only when asked, as R's DEff
    s = des.share("sat", deff=True)
    np.testing.assert_allclose(s["deff"], [ref[f"strclus.share_sat.{i}.deff.srswor"] for i in range(1, 5)], **TOL)
    b = des.by("grp").mean("y", deff=True)
    for g in ("agents", "usagers"):
        np.testing.assert_allclose(b.loc[g, "deff"], ref[f"strclus.by_grp.mean_y.{g}.deff.srswor"], **TOL)
    r = des.by("grp").mean("y", deff="replace")
    for g in ("agents", "usagers"):
        np.testing.assert_allclose(r.loc[g, "deff"], ref[f"strclus.by_grp.mean_y.{g}.deff.replace"], **TOL)
    np.testing.assert_allclose(des.share("sat", deff="replace")["deff"],
                               [ref[f"strclus.share_sat.{i}.deff.replace"] for i in range(1, 5)], **TOL)


def test_effective_n_and_margin_of_error(dclus1):
    m = dclus1.mean("api00")
    # Kish: n / deff; the margin is the half-width of the Wald interval
    assert m.effective_n == pytest.approx(m.n / m.deff, rel=1e-15)
    assert m.margin_of_error == pytest.approx((m.ci[1] - m.ci[0]) / 2, rel=1e-12)
    assert {"deff", "effective_n", "margin_of_error"} <= set(m.table.columns)
    assert "design effect" in m.summary()
    none = dclus1.mean("api00", deff=False)
    assert np.isnan(none.deff) and np.isnan(none.effective_n) and none.deff_srs == ""
    with pytest.raises(ValueError, match="deff must be one of"):
        dclus1.mean("api00", deff="with")


def test_deff_without_replacement_of_an_unweighted_design_is_infinite_as_r():
    # weights of 1: the "population" is the sample, whose SRS without replacement has variance 0
    d = Design(pd.DataFrame({"y": [1.0, 2, 4, 8]}))
    assert d.mean("y").deff == np.inf
    # with replacement: an SRS, deff = (n - 1)/n · n/(n - 1) = 1 exactly up to rounding
    assert d.mean("y", deff="replace").deff == pytest.approx(1.0, rel=1e-12)


# ------------------------------------------------------------------ quantiles
QS = [0.1, 0.25, 0.5, 0.75, 0.9]


class _QuantilesAt:
    """A quantile result seen at some probabilities only."""

    def __init__(self, result, qs):
        self.table = result.table.loc[qs]


def _check_quantiles(result, ref, prefix, qs=QS):
    # estimates and bounds are data values picked by the same rule from the same cumulative
    # weights (summed in extended precision, as R's cumsum): equal; se = width / (2 t), a closed
    # form: TOL. A NaN bound (its share's interval leaves [0, 1]) is NaN in both.
    for q in qs:
        key = f"{prefix}.q{q:g}"
        got = result.table.loc[q, ["estimate", "se", "ci_low", "ci_high"]].to_numpy(dtype=float)
        want = [ref[f"{key}.{k}"] for k in ("est", "se", "ci_low", "ci_high")]
        np.testing.assert_allclose(got, want, **TOL, err_msg=key)


def test_quantiles_are_r_svyquantile_on_r_api_data(dstrat, dclus1, ref):
    for name, d in (("apistrat", dstrat), ("apiclus1", dclus1)):
        for col in ("api00", "enroll"):
            _check_quantiles(d.quantile(col, QS), ref, f"{name}.quantile.{col}")
    _check_quantiles(dclus1.rake(APICLUS1_MARGINS).quantile("api00", QS), ref, "apiclus1.rake.quantile.api00")


def test_quantiles_are_r_svyquantile_on_the_test_design(des, raked, strclus, ref):
    _check_quantiles(des.quantile("y", QS), ref, "strclus.quantile.y")  # 3 missing values
    _check_quantiles(raked.quantile("y", QS), ref, "strclus.rake.quantile.y")
    agents = (strclus["grp"] == "agents").to_numpy()
    got = des.quantile("y", QS, mask=agents)
    _check_quantiles(_QuantilesAt(got, QS[1:]), ref, "strclus.agents.quantile.y", QS[1:])
    # q = 0.1 among agents: the share at or below the estimate has the interval [0.0014, 0.237],
    # whose lower end is below the smallest value's weight share (0.031). The inverse of the
    # distribution function there is the smallest value; R 4.1.1's qs() falls back to position 1
    # and returns the second smallest (see math_quantile). Everything else is R's.
    y = np.sort(strclus.loc[agents, "y"].dropna().to_numpy())
    key = "strclus.agents.quantile.y.q0.1"
    assert (got.table.loc[0.1, "ci_low"], ref[f"{key}.ci_low"]) == (y[0], y[1])
    np.testing.assert_allclose(got.table.loc[0.1, ["estimate", "ci_high"]].to_numpy(dtype=float),
                               [ref[f"{key}.est"], ref[f"{key}.ci_high"]], **TOL)
    t = stats.t.ppf(0.975, got.df)
    assert ref[f"{key}.se"] == pytest.approx((ref[f"{key}.ci_high"] - y[1]) / (2 * t), rel=1e-6)  # R's rule
    assert got.table.loc[0.1, "se"] == pytest.approx((ref[f"{key}.ci_high"] - y[0]) / (2 * t), rel=1e-6)


def test_quantile_result_contract_and_checks(dclus1, check_result_contract):
    r = dclus1.quantile("api00", 0.5)
    check_result_contract(r)
    assert list(r.table.index) == [0.5] and r.table.index.name == "q"
    assert "Woodruff" in r.notes[0]
    # the 0-quantile is the minimum, the 1-quantile the maximum (R 4.1.1 gives the second
    # smallest value for q = 0: see math_quantile)
    ends = dclus1.quantile("api00", [0, 1]).table["estimate"]
    assert ends.tolist() == [dclus1.data["api00"].min(), dclus1.data["api00"].max()]
    assert dclus1.quantile("api00", 0.5, lang="fr").title == "quantiles de api00"
    with pytest.raises(ValueError, match="q must be"):
        dclus1.quantile("api00", 1.5)
    with pytest.raises(ValueError, match="lang must be one of"):
        dclus1.quantile("api00", 0.5, lang="de")


# ------------------------------------------------------------------ ratios
def _check_ratio(e, ref, key):
    # the ratio of two totals and its linearised variance: the same closed forms as R, TOL
    np.testing.assert_allclose([e.estimate, e.se, *e.ci],
                               [ref[f"{key}.{k}"] for k in ("est", "se", "ci_low", "ci_high")], **TOL, err_msg=key)


def test_ratio_is_r_svyratio(dstrat, dclus1, des, raked, strclus, ref):
    _check_ratio(dstrat.ratio("api00", "api99"), ref, "apistrat.ratio_api00_api99")
    r = dclus1.ratio("api00", "api99")
    _check_ratio(r, ref, "apiclus1.ratio_api00_api99")
    assert (r.statistic, r.column, r.n) == ("ratio", "api00/api99", 183)
    np.testing.assert_allclose(r.deff, ref["apiclus1.ratio_api00_api99.deff.srswor"], **TOL)
    np.testing.assert_allclose(dclus1.ratio("api00", "api99", deff="replace").deff,
                               ref["apiclus1.ratio_api00_api99.deff.replace"], **TOL)
    _check_ratio(dclus1.rake(APICLUS1_MARGINS).ratio("api00", "api99"), ref, "apiclus1.rake.ratio_api00_api99")
    _check_ratio(des.ratio("y", "w"), ref, "strclus.ratio_y_w")  # 3 missing y
    _check_ratio(raked.ratio("y", "w"), ref, "strclus.rake.ratio_y_w")
    agents = (strclus["grp"] == "agents").to_numpy()
    _check_ratio(des.ratio("y", "w", mask=agents), ref, "strclus.agents.ratio_y_w")


def test_ratio_to_a_constant_is_the_mean(dclus1):
    # y / 1: the ratio estimator is the Hájek mean, with the same influence values
    d = Design(dclus1.data.assign(one=1.0), weights="pw", psu="dnum", fpc="fpc")
    r, m = d.ratio("api00", "one"), d.mean("api00")
    assert r.estimate == pytest.approx(m.estimate, rel=1e-13)  # two sums, rounding only
    assert r.se == pytest.approx(m.se, rel=1e-12)
    zero = d.ratio("api00", "one", mask=np.zeros(d.n, dtype=bool))
    assert np.isnan(zero.estimate) and "no ratio" in zero.note


# ------------------------------------------------------------------ the other svyciprop intervals
def _ciprop_cases(des, raked, dstrat, dclus1, strclus):
    agents = (strclus["grp"] == "agents").to_numpy()
    top2, rare = strclus["top2"].to_numpy(float), strclus["rare"].to_numpy(float)
    return [("strclus.ciprop_top2", des, top2, None), ("strclus.ciprop_rare", des, rare, None),
            ("strclus.rake.ciprop_top2", raked, top2, None),
            ("strclus.agents.ciprop_top2", des, top2, agents),
            ("strclus.rake.agents.ciprop_top2", raked, top2, agents),
            ("apistrat.ciprop_schwide_yes", dstrat, (dstrat.data["sch.wide"] == "Yes").to_numpy(float), None),
            ("apiclus1.ciprop_schwide_yes", dclus1, (dclus1.data["sch.wide"] == "Yes").to_numpy(float), None)]


@pytest.mark.parametrize("method,r_name", [("asin", "asin"), ("xlogit", "xlogit"), ("wald", "mean")])
def test_closed_form_ciprop_intervals_are_r(des, raked, dstrat, dclus1, strclus, ref, method, r_name):
    # delta-method intervals on a transformed scale: the same closed forms as R, TOL
    for key, d, values, mask in _ciprop_cases(des, raked, dstrat, dclus1, strclus):
        e = d.estimate(values, mask, statistic="proportion", method=method)
        np.testing.assert_allclose(e.ci, [ref[f"{key}.{r_name}.ci_low"], ref[f"{key}.{r_name}.ci_high"]],
                                   **TOL, err_msg=key)
        assert e.method == method


def test_likelihood_ciprop_is_r(des, raked, dstrat, dclus1, strclus, ref):
    for key, d, values, mask in _ciprop_cases(des, raked, dstrat, dclus1, strclus):
        e = d.estimate(values, mask, statistic="proportion", method="likelihood")
        # the exact roots of R's own equation (its deviance, dispersion and lambda, see
        # make_survey_reference.R): root-finding to ~1e-15 on both sides, TOL
        np.testing.assert_allclose(e.ci, [ref[f"{key}.likelihood_root.ci_low"],
                                          ref[f"{key}.likelihood_root.ci_high"]], **TOL, err_msg=key)
        # svyciprop itself: its bounds carry a spline interpolation through profile points a
        # fifth of zmax standard errors apart, and a lambda from glm's next-to-last IRLS weights
        # (glm's epsilon 1e-8 on the deviance leaves them ~1e-4 off): measured up to 1.8e-4 on
        # the rare (5%) proportion; rtol 1e-3
        np.testing.assert_allclose(e.ci, [ref[f"{key}.likelihood.ci_low"], ref[f"{key}.likelihood.ci_high"]],
                                   rtol=1e-3, err_msg=key)


def test_share_takes_every_ciprop_method_and_likelihood_needs_its_terms(des, strclus, ref):
    s = des.share("top2", method="likelihood")
    np.testing.assert_allclose(s.loc[1, ["ci_low", "ci_high"]].to_numpy(dtype=float),
                               [ref["strclus.ciprop_top2.likelihood_root.ci_low"],
                                ref["strclus.ciprop_top2.likelihood_root.ci_high"]], **TOL)
    np.testing.assert_allclose(des.share("top2", method="asin").loc[1, ["ci_low", "ci_high"]].to_numpy(dtype=float),
                               [ref["strclus.ciprop_top2.asin.ci_low"], ref["strclus.ciprop_top2.asin.ci_high"]], **TOL)
    # xlogit and logit are one closed form (R's logit fits it by IRLS)
    pd.testing.assert_frame_equal(des.share("sat", method="xlogit").drop(columns="method"),
                                  des.share("sat", method="logit").drop(columns="method"))
    from coanalysis.survey import proportion_interval
    with pytest.raises(ValueError, match="likelihood"):
        proportion_interval(0.3, 0.05, level=0.95, df=10, n=50, method="likelihood")


def test_asin_interval_stays_within_zero_and_one():
    # p = 0.02 with se 0.03: asin(sqrt(p)) - 1.96 se / (2 sqrt(p(1-p))) < 0, where R's sin^2
    # folds the bound back above 0; the bound here is 0
    from coanalysis.survey import proportion_interval
    low, high = proportion_interval(0.02, 0.03, level=0.95, df=np.inf, n=100, method="asin")
    assert low == 0.0 and 0.02 < high < 1
    low, high = proportion_interval(0.98, 0.03, level=0.95, df=np.inf, n=100, method="asin")
    assert high == 1.0 and 0 < low < 0.98


# ------------------------------------------------------------------ crosstabs
def _check_crosstab(xt, ref, prefix):
    # weighted counts are sums of weights; X², Δ and its traces are closed forms computed as R
    # does; p-values come from scipy's and R's F and chi-squared tails (both ~1e-14 relative):
    # TOL throughout
    for r in xt.counts.index:
        for c in xt.counts.columns:
            np.testing.assert_allclose(xt.counts.loc[r, c], ref[f"{prefix}.count.{r}.{c}"], **TOL)
    f = xt.test("F")
    np.testing.assert_allclose([f.statistic, *f.df, f.pvalue],
                               [ref[f"{prefix}.F.{k}"] for k in ("statistic", "ndf", "ddf", "p")], **TOL, err_msg=prefix)
    x = xt.test("Chisq")
    np.testing.assert_allclose([x.statistic, x.df, x.pvalue],
                               [ref[f"{prefix}.Chisq.{k}"] for k in ("statistic", "df", "p")], **TOL, err_msg=prefix)


def test_crosstab_is_r_svytable_and_svychisq(dstrat, dclus1, des, raked, ref):
    _check_crosstab(dstrat.crosstab("sch.wide", "stype"), ref, "apistrat.chisq_schwide_stype")
    _check_crosstab(dclus1.crosstab("sch.wide", "stype"), ref, "apiclus1.chisq_schwide_stype")
    _check_crosstab(dclus1.rake(APICLUS1_MARGINS).crosstab("comp.imp", "stype"), ref,
                    "apiclus1.rake.chisq_compimp_stype")
    _check_crosstab(des.crosstab("sat", "grp"), ref, "strclus.chisq_sat_grp")
    _check_crosstab(des.crosstab("age3", "sat"), ref, "strclus.chisq_age3_sat")
    _check_crosstab(raked.crosstab("sat", "grp"), ref, "strclus.rake.chisq_sat_grp")
    _check_crosstab(des.crosstab("sat_na", "grp"), ref, "strclus.chisq_satna_grp")  # 5 missing


def test_crosstab_results_and_checks(dstrat, check_result_contract):
    xt = dstrat.crosstab("sch.wide", "stype", lang="en")
    check_result_contract(xt)
    check_result_contract(xt.test("F"))
    assert xt.title == "weighted table of sch.wide by stype"
    assert dstrat.crosstab("sch.wide", "stype", lang="fr").test().title.startswith("test d'indépendance")
    assert list(xt.test("Chisq").table.columns) == ["method", "statistic", "df", "pvalue", "pearson_chisq"]
    # R reports Pearson's X² itself as the "Chisq" statistic; F divides it by tr(Δ)
    x, f = xt.test("Chisq"), xt.test("F")
    assert x.statistic == x.pearson == f.pearson
    with pytest.raises(ValueError, match="statistic must be one of"):
        xt.test("Wald")
    with pytest.raises(ValueError, match="at least 2 values"):
        Design(pd.DataFrame({"a": ["x", "x"], "b": ["u", "v"]})).crosstab("a", "b")
