"""Design-based estimates against R survey 4.1.1 (values in tests/reference/, made by
make_survey_reference.R), plus invariants of the design and of raking."""

from contextlib import contextmanager
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from coanalysis.errors import ConvergenceError, DataError
from coanalysis.survey import Design, _raking, proportion_interval
from survey_reference import REF_DIR, TOL



@pytest.fixture(scope="module")
def strclus() -> pd.DataFrame:
    d = pd.read_csv(REF_DIR / "survey_strclus.csv")
    for col in ("sat", "sat_na"):
        d[col] = pd.Categorical(d[col], categories=[1, 2, 3, 4], ordered=True)
    return d


@pytest.fixture(scope="module")
def des(strclus) -> Design:
    return Design(strclus, weights="w", strata="stratum", psu="psu", fpc="fpc")


@contextmanager
def row_route():
    """Force raking over the rows (the route bounded rakings and very many cells take)."""
    with patch.object(_raking, "use_cells", lambda *args: False):
        yield


@pytest.fixture(scope="module", params=["cells", "rows"])
def raked(des, ref, request) -> Design:
    """The R reference raking, done by both routes: every raked-design test runs on each."""
    margins = {"sex": {s: ref[f"strclus.rake.margin.sex.{s}"] for s in ("F", "H")},
               "age3": {a: ref[f"strclus.rake.margin.age3.{a}"] for a in ("18-34", "35-59", "60+")}}
    if request.param == "rows":
        with row_route():
            out = des.rake(margins)
        assert isinstance(out._calibration[-1], _raking.RowRakingStep)
        return out
    out = des.rake(margins)
    assert isinstance(out._calibration[-1], _raking.CellRakingStep)
    return out


def test_reference_file_names_r_version():
    head = (REF_DIR / "survey_reference_values.csv").read_text().splitlines()[:2]
    assert head[0].startswith("# R version 4.")
    assert "survey 4.1.1" in head[1]


def test_mean_se_and_ci_match_r(des, ref):
    m = des.mean("y")
    np.testing.assert_allclose([m.estimate, m.se, *m.ci],
                               [ref["strclus.mean_y.est"], ref["strclus.mean_y.se"],
                                ref["strclus.mean_y.ci_low"], ref["strclus.mean_y.ci_high"]], **TOL)
    assert m.n == 71  # three y values are missing


def test_fpc_lowers_the_se_as_in_r(strclus, ref):
    m = Design(strclus, weights="w", strata="stratum", psu="psu").mean("y")
    np.testing.assert_allclose(m.se, ref["strclus_nofpc.mean_y.se"], **TOL)
    assert m.se > ref["strclus.mean_y.se"]


def test_total_matches_r(des, ref):
    t = des.total("y")
    np.testing.assert_allclose([t.estimate, t.se], [ref["strclus.total_y.est"], ref["strclus.total_y.se"]], **TOL)


@pytest.mark.parametrize("col", ["sat", "sat_na"])
def test_shares_match_r_svymean_on_factor(des, ref, col):
    s = des.share(col)
    np.testing.assert_allclose(s["estimate"], [ref[f"strclus.share_{col}.{i}.est"] for i in range(1, 5)], **TOL)
    np.testing.assert_allclose(s["se"], [ref[f"strclus.share_{col}.{i}.se"] for i in range(1, 5)], **TOL)
    assert s["estimate"].sum() == pytest.approx(1.0)  # shares of one total: a few ulps


def test_degrees_of_freedom_match_r(des, ref):
    assert des.degrees_of_freedom() == ref["strclus.degf"] == 12 - 3


@pytest.mark.parametrize("method", ["logit", "beta"])
@pytest.mark.parametrize("var", ["top2", "rare"])
def test_proportion_intervals_match_r_svyciprop(des, ref, method, var):
    row = des.share(var, method=method).loc[1]
    key = f"strclus.ciprop_{var}.{method}"
    np.testing.assert_allclose([row.estimate, row.ci_low, row.ci_high],
                               [ref[f"{key}.est"], ref[f"{key}.ci_low"], ref[f"{key}.ci_high"]], **TOL)


def test_korn_graubard_with_missing_answers_matches_r(des, raked, ref):
    # review 3: R's svyciprop(method="beta") uses nrow(design) - 1, missing answers included;
    # n - 1 over the non-missing answers gave [0.38447, 0.65055] instead of [0.38430, 0.65071]
    from coanalysis.survey import satisfaction_rate
    row = satisfaction_rate(des, "sat_na", method="beta").iloc[0]
    key = "strclus.ciprop_top2_na.beta"
    np.testing.assert_allclose([row.estimate, row.ci_low, row.ci_high],
                               [ref[f"{key}.est"], ref[f"{key}.ci_low"], ref[f"{key}.ci_high"]], **TOL)
    assert row.n == 69 and des.rows() == 74
    for design, prefix in ((des, "strclus.by_grp"), (raked, "strclus.rake.by_grp")):
        t = satisfaction_rate(design, "sat_na", by="grp", method="beta").set_index("grp")
        for g in ("agents", "usagers"):
            key = f"{prefix}.ciprop_top2_na.beta.{g}"
            np.testing.assert_allclose(t.loc[g, ["estimate", "ci_low", "ci_high"]].to_numpy(float),
                                       [ref[f"{key}.top2_na"], ref[f"{key}.ci_l"], ref[f"{key}.ci_u"]], **TOL)
    # Design.share goes through the same row count
    top = des.share("sat_na", method="beta")
    lo, hi = proportion_interval(top.loc[4, "estimate"], top.loc[4, "se"], level=0.95,
                                 df=des.degrees_of_freedom(), n=74, method="beta")
    # the same closed form called directly: rounding only
    assert (top.loc[4, "ci_low"], top.loc[4, "ci_high"]) == pytest.approx((lo, hi), rel=1e-12)


def test_by_group_means_and_shares_match_r_svyby(des, ref):
    b = des.by("grp").mean("y")
    for g in ("agents", "usagers"):
        np.testing.assert_allclose([b.loc[g, "estimate"], b.loc[g, "se"]],
                                   [ref[f"strclus.by_grp.mean_y.{g}.est"], ref[f"strclus.by_grp.mean_y.{g}.se"]], **TOL)
    s = des.by("grp").share("sat")
    for g in ("agents", "usagers"):
        np.testing.assert_allclose(s.loc[g, "se"], [ref[f"strclus.by_grp.share_sat.{g}.{i}.se"] for i in range(1, 5)], **TOL)


def test_raked_weights_match_r(raked):
    r = pd.read_csv(REF_DIR / "survey_strclus_raked_weights.csv")
    # R's weights are stored with 15 digits and raked to epsilon 1e-12; these stop when a sweep
    # changes no factor by 1e-10 (the tol): 10x that (measured 5e-15)
    np.testing.assert_allclose(raked.weights.to_numpy(), r["raked_weight"].to_numpy(), rtol=1e-9)
    assert raked.rake_report.converged


def test_raked_estimates_and_ses_match_r(raked, ref):
    m, t = raked.mean("y"), raked.total("y")
    np.testing.assert_allclose([m.estimate, m.se, t.estimate, t.se],
                               [ref["strclus.rake.mean_y.est"], ref["strclus.rake.mean_y.se"],
                                ref["strclus.rake.total_y.est"], ref["strclus.rake.total_y.se"]], **TOL)
    s = raked.share("sat")
    np.testing.assert_allclose(s["se"], [ref[f"strclus.rake.share_sat.{i}.se"] for i in range(1, 5)], **TOL)
    row = raked.share("top2").loc[1]
    np.testing.assert_allclose([row.ci_low, row.ci_high], [ref["strclus.rake.ciprop_top2.logit.ci_low"],
                                                           ref["strclus.rake.ciprop_top2.logit.ci_high"]], **TOL)
    b = raked.by("grp").mean("y")
    for g in ("agents", "usagers"):
        np.testing.assert_allclose(b.loc[g, "se"], ref[f"strclus.rake.by_grp.mean_y.{g}.se"], **TOL)


def test_raked_margin_shares_are_exact_with_zero_se(raked, ref):
    s = raked.share("sex")
    np.testing.assert_allclose(s.loc["F", "estimate"], ref["strclus.rake.share_sex.F.est"], **TOL)
    assert s.loc["F", "se"] < 1e-9  # 0 in exact arithmetic; rounding leaves ~3e-14 (SEs here ~0.05)


def test_raking_changes_the_se_compared_with_fixed_weights(des, raked):
    """R's residual linearisation differs from treating raked weights as fixed."""
    fixed = Design(raked.data.assign(_w=raked.weights.to_numpy()), weights="_w", strata="stratum",
                   psu="psu", fpc="fpc")
    assert fixed.mean("y").estimate == pytest.approx(raked.mean("y").estimate)  # same weights: ulps
    assert abs(fixed.mean("y").se - raked.mean("y").se) > 1e-4  # they differ by 0.031 (of 0.33)


def test_api_published_values(ref):
    """R's api data: the numbers printed in the survey package's documentation and re-run."""
    strat = pd.read_csv(REF_DIR / "api_strat.csv")
    d = Design(strat, weights="pw", strata="stype", fpc="fpc")
    # printed to 5 decimals: half a unit (5e-6) is below rtol x value for values above 5
    np.testing.assert_allclose([d.mean("api00").estimate, d.mean("api00").se], [662.28736, 9.40894], rtol=1e-6)
    np.testing.assert_allclose(d.share("sch.wide").loc["Yes", "se"], ref["apistrat.share_schwide.Yes.se"], **TOL)
    np.testing.assert_allclose(d.total("enroll").se, ref["apistrat.total_enroll.se"], **TOL)
    clus = pd.read_csv(REF_DIR / "api_clus1.csv")
    c = Design(clus, weights="pw", psu="dnum", fpc="fpc")
    np.testing.assert_allclose(c.mean("api00").se, 23.54224, rtol=1e-6)  # 5 decimals, as above
    rc = c.rake({"stype": {"E": 4421, "H": 755, "M": 1018}, "sch.wide": {"No": 1072, "Yes": 5122}})
    np.testing.assert_allclose([rc.mean("api00").estimate, rc.mean("api00").se],
                               [ref["apiclus1.rake.mean_api00.est"], ref["apiclus1.rake.mean_api00.se"]], **TOL)
    np.testing.assert_allclose(rc.total("enroll").se, ref["apiclus1.rake.total_enroll.se"], **TOL)


# ------------------------------------------------------------------ invariants and errors
def test_rake_report_and_margins(raked, ref):
    rep = raked.rake_report
    # raking stops when a sweep changes no factor by more than tol = 1e-10, so the margins are
    # within ~tol; here IPF converges at 0.022 per sweep: the stopping sweep (change 3.7e-12; the
    # one before changed 1.6e-10, far enough from tol that rounding cannot add or drop a sweep)
    # leaves 8e-14, below the 1e-12 rounding floor of the summary
    assert rep.max_relative_error < 1e-9
    after = rep.margins.set_index(["margin", "category"])["after"]
    assert after[("sex", "F")] == pytest.approx(ref["strclus.rake.margin.sex.F"], rel=1e-9)  # 10x tol
    assert "converged" in repr(rep)
    # rounding noise is not printed digit by digit (it differs between machines)
    assert rep.max_relative_error < 1e-12 and "margin error < 1e-12" in rep.summary()


def test_rake_bounds_are_respected(des, ref):
    margins = {"sex": {"F": 2214, "H": 1964}, "age3": {"18-34": 1044, "35-59": 1671, "60+": 1463}}
    free = des.rake(margins)
    assert (free.weights / des.weights).max() > 1.55  # so the upper bound below binds
    r = des.rake(margins, bounds=(0.5, 1.5))
    ratio = r.weights / des.weights
    # the ratio is recomputed as (g w0) / w0 from the clipped g: a few ulps off the bound
    assert ratio.min() >= 0.5 - 1e-12 and ratio.max() <= 1.5 + 1e-12
    assert r.rake_report.max_relative_error < 1e-9  # 10x the stopping tol


def test_rake_not_converging_raises(des):
    # a real margin error is printed as a number, with the fix
    with pytest.raises(ConvergenceError, match=r"margin error \d\.\d+(e-\d+)? .*raise max_iter"):
        des.rake({"sex": {"F": 2214, "H": 1964}, "age3": {"18-34": 1044, "35-59": 1671, "60+": 1463}},
                 max_iter=1)


def test_rake_rejects_unknown_category_and_unequal_totals(des):
    with pytest.raises(DataError, match="H"):
        des.rake({"sex": {"F": 4000}})
    with pytest.raises(DataError, match="same population size"):
        des.rake({"sex": {"F": 2000, "H": 2000}, "age3": {"18-34": 1000, "35-59": 1000, "60+": 1000}})


def test_single_psu_stratum_is_refused():
    df = pd.DataFrame({"y": [1.0, 2, 3], "h": ["a", "a", "b"], "p": [1, 2, 3]})
    with pytest.raises(DataError, match="single PSU"):
        Design(df, strata="h", psu="p")


def test_bad_weights_and_fpc_raise_data_error():
    df = pd.DataFrame({"y": [1.0, 2, 3, 4], "w": [1, -1, 1, np.nan], "f": [2, 2, 3, 3]})
    with pytest.raises(DataError) as e:
        Design(df, weights="w")
    assert len(e.value.problems) == 2
    with pytest.raises(DataError, match="one fpc value per stratum"):
        Design(df.assign(w=1.0), weights="w", fpc="f")
    with pytest.raises(DataError, match="a column of data"):
        Design(df, weights="poids")


def test_srs_mean_equals_textbook_formula():
    """Unweighted SRS with fpc: SE = sqrt((1 - n/N) s²/n), independent of the linearisation code."""
    rng = np.random.default_rng(1)
    y = rng.normal(10, 2, 50)
    df = pd.DataFrame({"y": y, "N": 400})
    m = Design(df, fpc="N").mean("y")
    # the same closed forms written two ways: rounding only
    assert m.estimate == pytest.approx(y.mean())
    assert m.se == pytest.approx(np.sqrt((1 - 50 / 400) * y.var(ddof=1) / 50), rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.1, 10), min_size=6, max_size=30), st.floats(0.5, 20))
def test_scaling_weights_changes_nothing_in_a_mean(w, c):
    n = len(w)
    df = pd.DataFrame({"y": np.arange(n, dtype=float) % 5, "w": w, "w2": np.asarray(w) * c,
                       "h": np.arange(n) % 2})
    a = Design(df, weights="w", strata="h").mean("y")
    b = Design(df, weights="w2", strata="h").mean("y")
    # closed forms of ratios: the scale changes only the rounding (~1e-15); 1e-9 for any example
    assert a.estimate == pytest.approx(b.estimate, rel=1e-9)
    assert a.se == pytest.approx(b.se, rel=1e-9, abs=1e-12)


def test_proportion_interval_contains_estimate_and_rejects_bad_method():
    lo, hi = proportion_interval(0.03, 0.01, level=0.95, df=30, n=200, method="beta")
    assert 0 <= lo < 0.03 < hi <= 1
    with pytest.raises(ValueError):
        proportion_interval(0.5, 0.1, level=0.95, df=10, n=20, method="exact")


def test_estimate_object_reads_well(des):
    m = des.mean("y")
    assert "mean" in m.summary() and "CI" in repr(m)
    assert list(m.table.columns[:4]) == ["statistic", "column", "estimate", "se"]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(30, 200))
def test_raking_meets_random_margins_and_keeps_weight_order_within_cells(seed, n):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.choice(["x", "y", "z"], n), "b": rng.choice(["u", "v"], n),
                       "w": rng.uniform(0.5, 3, n), "y": rng.normal(size=n)})
    # Every (a, b) cell must hold someone: with a structural zero, some margins cannot be met at all
    # and raking rightly fails to converge (IPF converges for any positive margins when all cells are
    # non-empty; Deming & Stephan 1940, Ireland & Kullback 1968).
    df.loc[:5, "a"] = ["x", "x", "y", "y", "z", "z"]
    df.loc[:5, "b"] = ["u", "v", "u", "v", "u", "v"]
    total = 1000.0
    pa = rng.dirichlet([2, 2, 2]) * total
    pb = rng.dirichlet([2, 2]) * total
    d = Design(df, weights="w")
    r = d.rake({"a": dict(zip("xyz", pa)), "b": dict(zip("uv", pb))})
    wa = r.weights.groupby(df["a"]).sum()
    wb = r.weights.groupby(df["b"]).sum()
    # after the stopping sweep the last margin is met to rounding, the first to within the last
    # factor change, below tol = 1e-10: 100x that (measured 4e-12)
    np.testing.assert_allclose(wa[list("xyz")], pa, rtol=1e-8)
    np.testing.assert_allclose(wb[list("uv")], pb, rtol=1e-8)
    # raking multiplies every weight of an (a, b) cell by the same factor
    ratio = (r.weights / d.weights).groupby([df["a"], df["b"]]).agg(["min", "max"])
    # the same factors multiply every weight of a cell: rounding of ~2 products a sweep, 1e-9
    np.testing.assert_allclose(ratio["min"], ratio["max"], rtol=1e-9)
    assert r.mean("y").se > 0


def _backfit_rowwise(design, z):
    """R's row-level back-fitting (svyrecvar), written out independently of the design's own
    residuals; respondents of weight 0 are left out of it (R would give NaN)."""
    z = np.asarray(z, float)[:, None]
    for step in design._calibration:
        for _ in range(10):
            for (codes, size), psw in zip(step.margins, step.psw()):
                inside = psw > 0
                counts = np.bincount(codes[inside], minlength=size)
                ratio = np.zeros(len(psw))
                ratio[inside] = z[inside, 0] / psw[inside]
                means = np.bincount(codes, weights=ratio, minlength=size) / counts
                z = z - psw[:, None] * means[codes][:, None]
    return z[:, 0]


def _assert_covariance_is_of_rowwise_residuals(design, unraked, z):
    """The raked design's covariance of ``z`` (and of random probes beside it, so that the whole
    Gram matrix of the residuals is compared, not one variance) equals the unraked design's
    covariance of the row-wise back-fitted residuals: the same strata, PSUs and fpc, so the only
    difference is the raking residuals."""
    probes = np.random.default_rng(0).normal(size=(design.n, 3)) * np.abs(z).max()
    zz = np.column_stack([z, probes])
    got = design.covariance(zz)
    want = unraked.covariance(np.column_stack([_backfit_rowwise(design, c) for c in zz.T]))
    # the same 10 linear back-fitting cycles summed in another order: rounding, ~1e-16 of max|z|
    # a cycle, squared in the covariance: rtol 1e-9, and atol 1e-15 of the largest variance for
    # covariances near 0
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-15 * np.abs(want).max())


@pytest.mark.parametrize("bounds", [None, (0.5, 2.5)])
def test_factorised_raking_residuals_equal_row_level_backfitting(bounds):
    # review 35: the variance path now runs the 10 back-fitting cycles on category cross-tables;
    # it must give R's row-level back-fitting, including after two raking steps and with bounds
    rng = np.random.default_rng(3)
    n = 400
    df = pd.DataFrame({"a": rng.choice(list("xyz"), n), "b": rng.choice(list("pq"), n, p=[0.3, 0.7]),
                       "c": rng.choice(list("klmn"), n), "w": rng.uniform(0.5, 2.0, n),
                       "y": rng.normal(size=n)})
    d = Design(df, weights="w")
    tot = df["w"].sum() * 1.2
    first = {"a": {"x": tot * 0.2, "y": tot * 0.3, "z": tot * 0.5}, "b": {"p": tot * 0.4, "q": tot * 0.6}}
    r1 = d.rake(first, bounds=bounds)
    r2 = r1.rake({"c": {k: tot / 4 for k in "klmn"}, "b": {"p": tot * 0.45, "q": tot * 0.55}})
    for design in (r1, r2):
        z = design.mean_influence(df["y"].to_numpy())[1][:, 0]
        _assert_covariance_is_of_rowwise_residuals(design, d, z)


@pytest.mark.parametrize("strata", [None, "h"])
def test_one_respondent_per_psu_shortcut_equals_explicit_psu_column(strata):
    # the covariance takes the influence values as PSU totals when psu= is not given; an explicit
    # PSU column with one respondent per PSU goes through the grouped sums and must agree
    rng = np.random.default_rng(11)
    n = 300
    df = pd.DataFrame({"h": rng.choice(list("ab"), n), "w": rng.uniform(0.5, 2.0, n),
                       "y": rng.normal(size=n), "a": rng.choice(list("xyz"), n)})
    df["id"] = np.arange(n)[::-1]
    tot = df["w"].sum()
    margins = {"a": {"x": tot * 0.3, "y": tot * 0.3, "z": tot * 0.4}}
    implicit = Design(df, weights="w", strata=strata).rake(margins)
    explicit = Design(df, weights="w", strata=strata, psu="id").rake(margins)
    z = implicit.mean_influence(df["y"].to_numpy())[1]
    # one-row group sums are the values themselves: rounding only (measured 2e-16)
    np.testing.assert_allclose(implicit.covariance(z), explicit.covariance(z), rtol=1e-12)
    # the caller's influence values are not modified by the raking residuals
    np.testing.assert_array_equal(z, implicit.mean_influence(df["y"].to_numpy())[1])
    # a second variance (cached weights and cross-tables) equals the first
    assert implicit.mean("y").se == implicit.mean("y").se


def _route_data(seed: int, n: int) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.choice(list("xyz"), n), "b": rng.choice(list("pq"), n, p=[0.3, 0.7]),
                       "c": rng.choice(list("klmn"), n), "w": rng.uniform(0.5, 2.0, n),
                       "y": rng.normal(size=n), "h": rng.choice(list("AB"), n)})
    tot = df["w"].sum() * 1.3
    margins = {"a": {"x": tot * 0.25, "y": tot * 0.35, "z": tot * 0.4},
               "b": {"p": tot * 0.45, "q": tot * 0.55}, "c": {k: tot * s for k, s in zip("klmn", [.1, .2, .3, .4])}}
    return df, margins


@pytest.mark.parametrize("seed,bounds", [(0, None), (1, None), (2, None), (0, (0.32, 2.8)), (1, (0.3, 3.0))])
def test_cell_and_row_routes_give_the_same_raking_and_variance(seed, bounds):
    df, margins = _route_data(seed, 500)
    d = Design(df, weights="w", strata="h")
    by_cells = d.rake(margins, bounds=bounds)
    with row_route():
        by_rows = d.rake(margins, bounds=bounds)
    if bounds is not None:  # the bounds bind, so the clipping is exercised
        free = d.rake(margins).rake_report.weight_ratio
        assert free[0] < bounds[0] or free[1] > bounds[1]
        assert bounds[0] - 1e-12 <= by_cells.rake_report.weight_ratio[0]  # ulps, as above
        assert by_cells.rake_report.weight_ratio[1] <= bounds[1] + 1e-12
    # the same sweeps with sums grouped by cell or by row: rounding, ~1e-15 (measured 3e-15)
    np.testing.assert_allclose(by_cells.weights, by_rows.weights, rtol=1e-12)
    assert by_cells.rake_report.iterations == by_rows.rake_report.iterations
    np.testing.assert_allclose(by_cells.rake_report.margins[["before", "after"]],
                               by_rows.rake_report.margins[["before", "after"]], rtol=1e-12)
    np.testing.assert_allclose(by_cells.rake_report.weight_ratio, by_rows.rake_report.weight_ratio,
                               rtol=1e-12)
    z = by_cells.mean_influence(df[["y"]].assign(y2=df["y"] ** 2).to_numpy())[1]
    np.testing.assert_allclose(by_cells.covariance(z), by_rows.covariance(z), rtol=1e-10)  # 5e-16 measured
    # a second raking on top of the first, again by both routes
    second = {"h": {"A": by_cells.weights.sum() * 0.6, "B": by_cells.weights.sum() * 0.4}}
    twice_cells = by_cells.rake(second)
    with row_route():
        twice_rows = by_rows.rake(second)
    assert twice_cells.mean("y").se == pytest.approx(twice_rows.mean("y").se, rel=1e-10)  # both routes: rounding


def test_many_margin_cells_take_the_row_route_and_still_meet_the_margins():
    # 5 margins of 7 categories: 16,807 cells for 300 respondents, more cells than rows
    rng = np.random.default_rng(5)
    n = 300
    df = pd.DataFrame({f"m{j}": pd.Categorical(np.r_[np.arange(7), rng.integers(0, 7, n - 7)])
                       for j in range(5)})
    df["w"] = rng.uniform(0.5, 2.0, n)
    df["y"] = rng.normal(size=n)
    margins = {f"m{j}": {k: 1000.0 / 7 for k in range(7)} for j in range(5)}
    r = Design(df, weights="w").rake(margins)
    assert isinstance(r._calibration[-1], _raking.RowRakingStep)
    for j in range(5):
        # every margin within the stopping tol 1e-10 of its target: 100x that
        np.testing.assert_allclose(r.weights.groupby(df[f"m{j}"], observed=True).sum(), 1000.0 / 7, rtol=1e-8)
    assert np.isfinite(r.mean("y").se)


@pytest.mark.parametrize("n_zero", [1, 20, 80])
def test_zero_base_weights_are_left_out_of_the_raking_variance_by_both_routes(n_zero):
    # R divides by the zero weights and turns every SE into NaN; here a respondent with weight 0
    # keeps weight 0 and is left out of the back-fitting, the same way by both routes
    df, margins = _route_data(4, 200)
    df.loc[: n_zero - 1, "w"] = 0.0
    d = Design(df, weights="w")
    by_cells = d.rake(margins)
    with row_route():
        by_rows = d.rake(margins)
    assert (by_cells.weights[:n_zero] == 0).all()
    second = {"h": {"A": by_cells.weights.sum() * 0.6, "B": by_cells.weights.sum() * 0.4}}
    for design in (by_cells, by_rows, by_cells.rake(second)):
        z = design.mean_influence(df["y"].to_numpy())[1][:, 0]
        _assert_covariance_is_of_rowwise_residuals(design, d, z)
    assert by_cells.mean("y").se == pytest.approx(by_rows.mean("y").se, rel=1e-10)  # both routes: rounding
    assert np.isfinite(by_cells.mean("y").se) and by_cells.mean("y").se > 0


def test_rake_bounds_are_checked_and_need_not_straddle_one():
    # starting weights that add up to a tenth of the population: every ratio is about 13, and
    # bounds ten times larger must give exactly the raking of the full-scale weights
    df, margins = _route_data(0, 500)
    full = Design(df, weights="w").rake(margins, bounds=(0.32, 2.8))
    small = Design(df.assign(w=df["w"] / 10), weights="w").rake(margins, bounds=(3.2, 28.0))
    assert small.rake_report.weight_ratio[0] > 1
    # the same factors from sums a tenth as large: rounding only; 1e-9 is 10x the stopping tol
    np.testing.assert_allclose(small.weights, full.weights, rtol=1e-9)
    assert small.mean("y").se == pytest.approx(full.mean("y").se, rel=1e-9)
    for bad in [(2.0, 1.0), (float("nan"), 2.0), (-0.1, 2.0), (0.5, float("inf"))]:
        with pytest.raises(ValueError, match="bounds"):
            full.rake(margins, bounds=bad)


def test_rake_names_only_the_values_found_outside_the_margin():
    # NA in a categorical margin column: the problem names NA (and its count), not every unused
    # category of the categorical
    df, margins = _route_data(5, 100)
    df["a"] = pd.Categorical(df["a"], categories=["x", "y", "z", "unused"])
    df.loc[3, "a"] = np.nan
    with pytest.raises(DataError) as info:
        Design(df, weights="w").rake(margins)
    found = [p.found for p in info.value.problems]
    assert len(found) == 1 and pd.isna(found[0])
    assert "1 respondent(s)" in info.value.problems[0].hint


def test_estimate_is_the_public_mean_of_any_values_in_a_domain(des, strclus, ref):
    # review 7: Design.estimate(values, where=) is what item statistics build on
    top2 = strclus["top2"].to_numpy(dtype=float)
    p = des.estimate(top2, statistic="proportion", column="top2")
    np.testing.assert_allclose([p.estimate, *p.ci], [ref["strclus.ciprop_top2.logit.est"],
                               ref["strclus.ciprop_top2.logit.ci_low"],
                               ref["strclus.ciprop_top2.logit.ci_high"]], **TOL)
    for g in ("agents", "usagers"):
        by_dict = des.estimate(des.values("y"), where={"grp": g})
        by_mask = des.estimate(des.values("y"), where=(strclus["grp"] == g))
        np.testing.assert_allclose([by_dict.estimate, by_dict.se],
                                   [ref[f"strclus.by_grp.mean_y.{g}.est"], ref[f"strclus.by_grp.mean_y.{g}.se"]], **TOL)
        assert (by_mask.estimate, by_mask.se) == (by_dict.estimate, by_dict.se)
    assert des.by(by="grp").by == "grp"
    with pytest.raises(ValueError, match="one number per row"):
        des.estimate(top2[:-1])
    with pytest.raises(ValueError, match="booleans"):
        des.estimate(top2, where=np.ones(3, dtype=bool))
