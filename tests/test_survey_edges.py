"""Edge cases of the survey estimators: unanimous domains, proportions of 0 or 1, empty domains,
the t-test's degrees of freedom, plain numbers in messages (review survey-peers §4).

R values come from tests/reference/ (make_survey_reference.R, survey 4.1.1)."""

from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from coanalysis.errors import DataError
from coanalysis.survey import _raking
from coanalysis.survey import (Design, cronbach_alpha, group_gap, item_statistics, likert_shares,
                               ordinal_regression,
                               proportion_interval, satisfaction_rate, who5_score)
from survey_reference import REF_DIR, TOL



@pytest.fixture(scope="module")
def clus1() -> Design:
    a = pd.read_csv(REF_DIR / "api_clus1.csv")
    return Design(a, weights="pw", psu="dnum", fpc="fpc")


def _ten_rows(seed: int) -> pd.DataFrame:
    """The review's example: domain 'b' answers 'oui' unanimously, weights drawn U(0.5, 3)."""
    w = np.random.default_rng(seed).uniform(0.5, 3.0, 10)
    likert = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    return pd.DataFrame({"g": ["a"] * 5 + ["b"] * 5,
                         "q": ["oui", "non", "oui", "non", "oui"] + ["oui"] * 5,
                         "s": pd.Series([1, 4, 2, 3, 4] + [4] * 5).astype(likert), "w": w})


def _assert_exact_unanimity(table: pd.DataFrame, unanimous, nobody) -> None:
    assert table.loc[unanimous, "estimate"] == 1.0 and table.loc[unanimous, "se"] == 0.0
    assert table.loc[nobody, "estimate"] == 0.0 and table.loc[nobody, "se"] == 0.0
    assert table["estimate"].between(0, 1).all()
    assert table[["ci_low", "ci_high"]].notna().all().all()
    assert ((table["ci_low"] <= table["estimate"]) & (table["estimate"] <= table["ci_high"])).all()
    assert table[["ci_low", "ci_high"]].stack().between(0, 1).all()


# ------------------------------------------------------------------ 1. unanimity is exact
def test_a_unanimous_domain_gives_share_exactly_one_with_se_zero_on_1000_weight_draws():
    # before: 54 of 1000 draws gave 1 + 2e-16, SE ~1e-16 and NaN bounds (the numerators and the
    # denominator were summed in different orders); likert_shares and the beta interval on every
    # fifth draw (they go through the same Design.share; the whole loop stays ~15 s)
    for seed in range(1000):
        df = _ten_rows(seed)
        d = Design(df, weights="w")
        _assert_exact_unanimity(d.by("g").share("q").loc["b"], "oui", "non")
        _assert_exact_unanimity(d.share("q", mask=(df["g"] == "b").to_numpy()), "oui", "non")
        if seed % 5 == 0:
            _assert_exact_unanimity(d.by("g").share("q", method="beta").loc["b"], "oui", "non")
            lk = likert_shares(d, "s", by="g").set_index(["g", "category"]).loc["b"]
            _assert_exact_unanimity(lk, 4, 1)


def test_unanimity_is_exact_on_a_clustered_and_a_raked_design_too():
    rng = np.random.default_rng(7)
    for _ in range(100):
        n = 60
        df = pd.DataFrame({"psu": np.repeat(np.arange(12), 5), "h": np.repeat(np.arange(3), 20),
                           "w": rng.uniform(0.5, 3.0, n), "sex": rng.choice(["F", "H"], n),
                           "g": rng.choice(["a", "b", "c"], n), "q": rng.choice(["x", "y", "z"], n)})
        df.loc[df["g"] == "c", "q"] = "z"
        d = Design(df, weights="w", strata="h", psu="psu")
        tot = df["w"].sum()
        raked = d.rake({"sex": {"F": 0.52 * tot, "H": 0.48 * tot}})
        for design in (d, raked):
            share = design.by("g").share("q").loc["c"]
            _assert_exact_unanimity(share, "z", "x")


def test_unanimous_domains_of_r_apiclus1_match_svyby_exactly(clus1, ref):
    # every high and middle school of apiclus1 has yr.rnd "No": R gives 1 and SE 0 exactly
    s = clus1.by("stype").share("yr.rnd")
    for school in "EHM":
        for level in ("No", "Yes"):
            key = f"apiclus1.by_stype.share_yrrnd.{school}.{level}"
            if school == "E":
                np.testing.assert_allclose(s.loc[(school, level), ["estimate", "se"]].to_numpy(float),
                                           [ref[f"{key}.est"], ref[f"{key}.se"]], **TOL)
            else:  # exact values: 1, 0 and 0, 0
                assert (s.loc[(school, level), "estimate"], s.loc[(school, level), "se"]) == (
                    ref[f"{key}.est"], ref[f"{key}.se"])
    # R's Korn-Graubard bounds where they exist
    e = clus1.by("stype").share("yr.rnd", method="beta").loc[("E", "No")]
    np.testing.assert_allclose([e.ci_low, e.ci_high], [ref["apiclus1.by_stype.ciprop_yrrnd_no.beta.E.ci_l"],
                                                       ref["apiclus1.by_stype.ciprop_yrrnd_no.beta.E.ci_u"]], **TOL)


def test_a_category_nobody_has_matches_r_without_domains(clus1, ref):
    d = clus1.data.assign(hi=pd.Categorical(clus1.data["api00"] > 950, categories=[False, True]))
    s = Design(d, weights="pw", psu="dnum", fpc="fpc").share("hi")
    assert (s.loc[False, "estimate"], s.loc[False, "se"]) == (
        ref["apiclus1.share_api00_above950.FALSE.est"], ref["apiclus1.share_api00_above950.FALSE.se"]) == (1, 0)


# ------------------------------------------------------------------ 2. p = 0 or 1: Clopper-Pearson on n
@pytest.mark.parametrize("method", ["logit", "beta", "wald"])
def test_everyone_satisfied_gets_the_clopper_pearson_interval_on_the_n_respondents(method):
    # n = 9, all satisfied: published as 100 % with no interval before. Clopper-Pearson for x = n:
    # [(α/2)^(1/n), 1], closed form (Clopper & Pearson 1934), = Beta(α/2; n, 1); analytic vs
    # analytic, so 1e-12
    likert = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    df = pd.DataFrame({"q": pd.Series([3, 4, 4, 3, 4, 4, 4, 3, 4]).astype(likert),
                       "w": np.random.default_rng(2).uniform(0.5, 3.0, 9)})
    d = Design(df, weights="w")
    r = satisfaction_rate(d, "q", method=method).iloc[0]
    assert r.estimate == 1.0 and r.se == 0.0
    assert r.ci_low == pytest.approx(0.025 ** (1 / 9), rel=1e-12)
    assert r.ci_low == pytest.approx(stats.beta.ppf(0.025, 9, 1), rel=1e-12)
    assert round(r.ci_low, 4) == 0.6637 and r.ci_high == 1.0
    assert r.method == "clopper-pearson"
    # the unused categories (share 0) get [0, 1 - (α/2)^(1/n)]
    lk = likert_shares(d, "q", method=method).set_index("category")
    for c in (1, 2):
        assert lk.loc[c, "ci_low"] == 0.0
        assert lk.loc[c, "ci_high"] == pytest.approx(1 - 0.025 ** (1 / 9), rel=1e-12)
        assert lk.loc[c, "method"] == "clopper-pearson"
    assert (lk.loc[[3, 4], "method"] == method).all()


def test_r_gives_nan_where_the_boundary_interval_is_clopper_pearson(clus1, ref):
    # the deliberate difference from R: svyciprop(method = "beta") is NaN at p = 0
    assert np.isnan(ref["apiclus1.ciprop_api00_above950.beta.ci_low"])
    assert np.isnan(ref["apiclus1.by_stype.ciprop_yrrnd_no.beta.H.ci_l"])
    d = clus1.data.assign(hi=pd.Categorical(clus1.data["api00"] > 950, categories=[False, True]))
    row = Design(d, weights="pw", psu="dnum", fpc="fpc").share("hi", method="beta").loc[True]
    assert row.estimate == ref["apiclus1.ciprop_api00_above950.beta.est"] == 0
    assert (row.ci_low, row.method) == (0.0, "clopper-pearson")
    assert row.ci_high == pytest.approx(stats.beta.ppf(0.975, 1, 183), rel=1e-12)  # 183 schools
    h = clus1.by("stype").share("yr.rnd", method="beta").loc[("H", "No")]
    assert h.ci_low == pytest.approx(0.025 ** (1 / 14), rel=1e-12) and h.ci_high == 1.0


def test_proportion_interval_at_the_boundary_and_a_known_margin():
    lo, hi = proportion_interval(0.0, 0.0, level=0.9, df=5, n=20, method="logit")
    assert lo == 0.0 and hi == pytest.approx(1 - 0.05 ** (1 / 20), rel=1e-12)
    lo, hi = proportion_interval(1.0, 0.0, level=0.9, df=5, n=20, method="beta", respondents=12)
    assert lo == pytest.approx(0.05 ** (1 / 12), rel=1e-12) and hi == 1.0
    # a share fixed by raking (SE 0 inside (0, 1)) keeps its degenerate interval: it is known
    assert proportion_interval(0.4, 0.0, level=0.95, df=5, n=20, method="beta") == (0.4, 0.4)
    with pytest.raises(ValueError, match="method"):
        proportion_interval(0.0, 0.0, level=0.95, df=5, n=20, method="exact")


# ------------------------------------------------------------------ 3. svyttest's degrees of freedom
def test_group_gap_is_r_svyttest_with_degf_minus_one(clus1, ref):
    g = group_gap(clus1, "enroll", by="comp.imp", first="Yes", second="No", statistic="mean").iloc[0]
    key = "apiclus1.ttest_enroll_compimp"
    np.testing.assert_allclose([g.gap, g.t, g.df, g.p_value, g.ci_low, g.ci_high],
                               [ref[f"{key}.{k}"] for k in ("diff", "t", "df", "p", "ci_low", "ci_high")],
                               **TOL)
    # R's printed values, to half a unit of their last printed digit
    assert g.gap == pytest.approx(-55.4560902256, abs=5e-11)
    assert g.t == pytest.approx(-0.731051147, abs=5e-10)
    assert g.p_value == pytest.approx(0.47772, abs=5e-6)
    assert g.df == 13 == clus1.degrees_of_freedom() - 1


def test_group_gap_df_counts_the_rows_used_as_r_after_subset_and_missing_values(clus1, ref):
    # where= is a domain of the whole design (as R's subset): stype != "H" is the R reference
    d = clus1.data.assign(notH=clus1.data["stype"] != "H")
    sub = Design(d, weights="pw", psu="dnum", fpc="fpc")
    g = group_gap(sub, "enroll", by="comp.imp", first="Yes", second="No", statistic="mean",
                  where={"notH": True}).iloc[0]
    key = "apiclus1.ttest_enroll_compimp.not_H"
    np.testing.assert_allclose([g.gap, g.t, g.df, g.p_value, g.ci_low, g.ci_high],
                               [ref[f"{key}.{k}"] for k in ("diff", "t", "df", "p", "ci_low", "ci_high")], **TOL)
    na = clus1.data.copy()
    na.loc[:19, "enroll"] = np.nan  # R: a_na$enroll[1:20] <- NA; three districts lose every school
    g = group_gap(Design(na, weights="pw", psu="dnum", fpc="fpc"), "enroll", "comp.imp", first="Yes",
                  second="No", statistic="mean").iloc[0]
    key = "apiclus1.ttest_enroll_compimp.na20"
    np.testing.assert_allclose([g.gap, g.t, g.df, g.p_value, g.ci_low, g.ci_high],
                               [ref[f"{key}.{k}"] for k in ("diff", "t", "df", "p", "ci_low", "ci_high")], **TOL)
    assert g.df == 10


def test_group_gap_keeps_a_df_given_by_the_caller(clus1):
    g = group_gap(clus1, "enroll", by="comp.imp", first="Yes", second="No", statistic="mean", df=14)
    assert g["df"].item() == 14 and g.attrs["df"] == 14
    assert g["p_value"].item() == pytest.approx(2 * stats.t.sf(abs(g["t"].item()), 14), rel=1e-12)


# ------------------------------------------------------------------ 4. empty domains
def test_an_empty_domain_has_nan_estimate_and_se_and_says_so(clus1, ref):
    m = clus1.mean("api00", mask=np.zeros(clus1.n, dtype=bool))
    # R (survey 4.1.1) returns 0 with SE 0 for svymean on an empty subset; 0/0 is not a mean
    assert (ref["apiclus1.empty_domain.mean_api00.est"], ref["apiclus1.empty_domain.mean_api00.se"]) == (0, 0)
    assert np.isnan(m.estimate) and np.isnan(m.se) and np.isnan(m.ci).all() and m.n == 0
    assert "no respondent" in m.note and "no respondent" in m.summary()
    # the domain total of nobody is 0 with SE 0 (as R)
    t = clus1.total("enroll", mask=np.zeros(clus1.n, dtype=bool))
    assert (t.estimate, t.se) == (0.0, 0.0)


def test_a_domain_whose_answers_are_all_missing_gives_nan_not_zero_se():
    likert = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    df = pd.DataFrame({"g": list("aaabbb"), "y": [1.0, 2, 3, np.nan, np.nan, np.nan],
                       "q": pd.Series([1, 3, 4, None, None, None]).astype(likert), "w": 1.0})
    d = Design(df, weights="w")
    m = d.by("g").mean("y")
    assert np.isnan(m.loc["b", ["estimate", "se", "ci_low", "ci_high"]].to_numpy(float)).all()
    assert m.loc["a", "se"] > 0
    s = d.by("g").share("q").loc["b"]
    assert s[["estimate", "se", "ci_low", "ci_high"]].isna().all().all() and (s["n"] == 0).all()
    r = satisfaction_rate(d, "q", by="g").set_index("g").loc["b"]
    assert np.isnan([r.estimate, r.se, r.ci_low, r.ci_high]).all()


# ------------------------------------------------------------------ 5. plain numbers in messages
def _message(call) -> str:
    with pytest.raises((DataError, ValueError)) as info:
        call()
    return str(info.value)


def test_messages_print_plain_numbers_never_numpy_reprs():
    idx = pd.Index(np.arange(10, 15))  # an int64 index: its labels are numpy integers
    base = pd.DataFrame({"y": [1.0, 2, 3, 4, 5], "h": [1, 1, 1, 2, 2], "a": [1, 1, 2, 2, 3],
                         "w": [1.0, 1, 1, 1, -1.5]}, index=idx)
    messages = [
        _message(lambda: Design(base, weights="w")),
        _message(lambda: Design(base.assign(f=[1, 1, 1, 1, -1.5]), fpc="f")),
        _message(lambda: Design(base.assign(f=[10, 10, 10, 20, 30]), strata="h", fpc="f")),
        _message(lambda: Design(base.assign(f=[10, 10, 10, 1.5, 1.5]), strata="h", fpc="f")),
        _message(lambda: Design(base.assign(h=[1, 1, 1, 1, 2]), strata="h")),
        _message(lambda: Design(base.assign(h=[1, 1, np.nan, 2, 2]), strata="h")),
    ]
    d = Design(base.assign(w=1.0), weights="w")
    messages += [
        _message(lambda: d.rake({"a": {1: 2, 2: 2}})),
        _message(lambda: d.rake({"a": {1: 2.0, 2: 2.0, 3: np.float64(-1.0)}})),
        _message(lambda: d.rake({"a": {1: np.float64(2), 2: 2, 3: 1},
                                 "h": {1: np.float64(3.0), 2: np.float64(3.0)}})),
        _message(lambda: Design(base.assign(w=[1.0, 1, 1, 1, 0]), weights="w").rake({"a": {1: 2, 2: 2, 3: 1}})),
        _message(lambda: group_gap(d, "y", "h", first=np.int64(1), second=3, statistic="mean")),
        _message(lambda: group_gap(d, "y", "h", first=1, second=2, statistic="mean",
                                   where={"a": np.int64(7)})),
    ]
    who5 = pd.DataFrame({f"who5_{i}": [3.0, 3.0] for i in range(1, 6)}, index=pd.Index(np.array([4, 5])))
    who5.loc[5, "who5_2"] = 7.0
    messages.append(_message(lambda: who5_score(who5)))
    y = pd.Categorical([1, 1, 2, 2, 3, 3, 1, 2], categories=[1, 2, 3, 4], ordered=True)
    od = pd.DataFrame({"y": y, "x": [0.1, 0.5, 0.2, 0.9, 1.4, 0.3, 0.0, 1.1], "w": 1.0})
    od["y"] = od["y"].cat.remove_unused_categories()
    od["w0"] = np.where(od["y"] == 3, 0.0, 1.0)
    messages.append(_message(lambda: ordinal_regression(od, "y", ["x"], design=Design(od, weights="w0"))))
    for text in messages:
        assert "np." not in text and "numpy" not in text, text
    assert "row 14" in messages[0] and "-1.5" in messages[0]
    assert "stratum 2" in messages[2] and "[20.0, 30.0]" in messages[2]


# ------------------------------------------------------------------ 6. the raking route
def _many_category_data(n: int, m: int, k: int, seed: int, spread: int) -> tuple[pd.DataFrame, dict]:
    """``m`` margins of ``k`` categories; each margin is a shared code moved by up to ``spread``
    categories (spread 0: one occupied cell per shared code; large: nearly independent)."""
    rng = np.random.default_rng(seed)
    shared = rng.integers(0, k, n)
    df = pd.DataFrame({"w": rng.uniform(0.5, 2.0, n), "y": rng.normal(size=n)})
    # targets: the margins of the weights times random factors, so that the margins can be met
    # (sparse tables have structural zeros) and are not met by the starting weights
    reweighted = df["w"].to_numpy() * rng.uniform(0.7, 1.4, n)
    margins = {}
    for j in range(m):
        codes = (shared + rng.integers(-spread, spread + 1, n)) % k if spread else shared.copy()
        codes[:k] = np.arange(k)  # every category present
        df[f"m{j}"] = pd.Categorical(codes, categories=range(k))
        margins[f"m{j}"] = dict(zip(range(k), np.bincount(codes, weights=reweighted, minlength=k)))
    return df, margins


def _assert_same_weights_by_both_routes(design, margins, tol):
    by_rule = design.rake(margins, tol=tol, max_iter=500)  # sparse tables: IPF is slow
    with patch.object(_raking, "use_cells", lambda *args: not isinstance(
            by_rule._calibration[-1], _raking.CellRakingStep)):
        by_other = design.rake(margins, tol=tol, max_iter=500)
    assert type(by_rule._calibration[-1]) is not type(by_other._calibration[-1])
    # Both routes do the same multiplications up to rounding; if rounding makes one of them stop a
    # sweep later, that sweep moved no weight by more than tol per margin step (the stopping
    # rule), i.e. by less than about len(margins) * tol relative in all. Rounding itself is far
    # below (about 1e-14 measured).
    np.testing.assert_allclose(by_rule.weights, by_other.weights, rtol=len(margins) * tol, atol=0)
    assert abs(by_rule.rake_report.iterations - by_other.rake_report.iterations) <= 1
    assert by_rule.mean("y").se == pytest.approx(by_other.mean("y").se, rel=1e-9)
    return by_rule


@pytest.mark.parametrize("tol", [1e-6, 1e-10])
def test_fewer_cells_than_rows_but_most_occupied_takes_the_row_route(tol):
    # 7^4 = 2,401 cells for 3,000 rows: the former rule (cells <= max(rows, 4096)) took the cell
    # route; about 0.57 occupied cells per row is above the measured crossover
    df, margins = _many_category_data(3000, 4, 7, seed=1, spread=3)
    d = Design(df, weights="w")
    occupied = _raking.Layout.build([df[c].cat.codes.to_numpy() for c in margins], [7] * 4).size
    assert 7 ** 4 <= 3000 and occupied > _raking.CELLS_PER_ROW * 3000
    r = _assert_same_weights_by_both_routes(d, margins, tol)
    assert isinstance(r._calibration[-1], _raking.RowRakingStep)


@pytest.mark.parametrize("tol", [1e-6, 1e-10])
def test_many_cells_of_which_few_occupied_take_the_cell_route(tol):
    # 5 margins of 12 categories: 248,832 cells for 20,000 rows (the former rule took the row
    # route), but strongly associated margins occupy about 2,500 of them
    df, margins = _many_category_data(20_000, 5, 12, seed=2, spread=1)
    r = _assert_same_weights_by_both_routes(Design(df, weights="w"), margins, tol)
    assert isinstance(r._calibration[-1], _raking.CellRakingStep)
    assert r._calibration[-1].cats[0].size <= _raking.CELLS_PER_ROW * 20_000 < 12 ** 5
    # after the last sweep each margin is off by at most what the later steps moved: < 5 tol
    for c, target in margins.items():
        np.testing.assert_allclose(r.weights.groupby(df[c], observed=True).sum(),
                                   list(target.values()), rtol=len(margins) * tol)


def test_a_cross_classification_beyond_64_bits_is_built_margin_by_margin():
    # 16 margins of 16 categories: 2^64 cells, more than an integer code holds
    df, margins = _many_category_data(400, 16, 16, seed=3, spread=0)
    codes = [df[c].cat.codes.to_numpy() for c in margins]
    layout = _raking.Layout.build(codes, [16] * 16)
    # each row's cell holds its categories, and the cells are those of the rows, each once, in
    # lexicographic order (the full cross-classification's)
    for j, c in enumerate(codes):
        np.testing.assert_array_equal(layout.cats[j][layout.joint], c)
    cells = np.column_stack(layout.cats)
    assert len({tuple(x) for x in cells}) == layout.size == len({tuple(x) for x in np.column_stack(codes)})
    assert [tuple(x) for x in cells] == sorted(tuple(x) for x in cells)
    r = _assert_same_weights_by_both_routes(Design(df, weights="w"), margins, 1e-10)
    assert isinstance(r._calibration[-1], _raking.CellRakingStep)


def test_the_margin_by_margin_layout_equals_the_direct_one():
    df, margins = _many_category_data(5000, 4, 9, seed=4, spread=2)
    codes = [df[c].cat.codes.to_numpy() for c in margins]
    direct = _raking.Layout.build(codes, [9] * 4)
    with patch.object(_raking, "JOINT_LIMIT", 10):
        stepwise = _raking.Layout.build(codes, [9] * 4)
    np.testing.assert_array_equal(direct.joint, stepwise.joint)
    for a, b in zip(direct.cats, stepwise.cats):
        np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ the same class elsewhere
def test_cronbach_alpha_of_unanimous_answers_says_it_is_undefined():
    # before: alpha = 0 / 0 -> NaN with a RuntimeWarning and a NaN "interval"
    df = pd.DataFrame({"a": [3, 3, 3, 3], "b": [3, 3, 3, 3], "c": [3, 3, 3, 3]})
    with pytest.raises(ValueError, match="no variance"):
        cronbach_alpha(df, ["a", "b", "c"])


def test_a_constant_mean_and_net_score_are_exact_with_se_zero():
    # the same class as the unanimous share: every respondent of domain b answers 3 (mean score 3,
    # net +1, satisfied) or has y = 0.3; before, the weighted mean of a constant could miss it by an
    # ulp (SE ~1e-16, interval not the point)
    likert = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    for seed in range(300):
        w = np.random.default_rng(seed).uniform(0.5, 3.0, 10)
        df = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 5, "w": w, "y": 0.1 * np.arange(10),
                           "q": pd.Series([1, 2, 3, 4, 4] + [3] * 5).astype(likert)})
        df.loc[df["g"] == "b", "y"] = 0.3
        d = Design(df, weights="w")
        b = d.by("g").mean("y").loc["b"]
        assert (b.estimate, b.se, b.ci_low, b.ci_high) == (0.3, 0.0, 0.3, 0.3)
        for stat, value in (("mean", 3.0), ("net", 1.0), ("satisfaction", 1.0)):
            r = item_statistics(d, "q", stat, by="g").set_index("g").loc["b"]
            assert (r.estimate, r.se) == (value, 0.0), (seed, stat)


def test_a_gap_between_two_unanimous_groups_has_no_t_statistic():
    likert = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    df = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "w": [1.0, 2, 1.5, 0.7, 1.1, 0.9, 2.2, 1.3],
                       "q": pd.Series([4, 3, 4, 3, 1, 2, 1, 1]).astype(likert)})
    g = group_gap(Design(df, weights="w"), "q", "g", first="a", second="b").iloc[0]
    assert (g.first, g.second, g.gap, g.se) == (1.0, 0.0, 1.0, 0.0)
    # R's svyttest divides by its rounding residue here (t = -1.6e16, p = 5e-96): no test instead
    assert np.isnan(g.t) and np.isnan(g.p_value)
