"""Satisfaction statistics, users-agents gap, scales and ordinal regression: checked against
R (survey 4.1.1, MASS 7.3 — tests/reference/), published values, and hand computations."""


import numpy as np
import pandas as pd
import pytest

from coanalysis.errors import DataError
from coanalysis.survey import (Design, cronbach_alpha, item_statistics, mean_score,
                               net_satisfaction, ordinal_regression, satisfaction_rate,
                               users_agents_gap, wave_change, who5_score)
from survey_reference import REF_DIR, TOL



@pytest.fixture(scope="module")
def des() -> Design:
    d = pd.read_csv(REF_DIR / "survey_strclus.csv")
    d["sat"] = pd.Categorical(d["sat"], categories=[1, 2, 3, 4], ordered=True)
    return Design(d, weights="w", strata="stratum", psu="psu", fpc="fpc")


def test_satisfaction_rate_is_top2_share_as_r(des, ref):
    r = satisfaction_rate(des, "sat").iloc[0]
    np.testing.assert_allclose([r.estimate, r.ci_low, r.ci_high],
                               [ref["strclus.ciprop_top2.logit.est"], ref["strclus.ciprop_top2.logit.ci_low"],
                                ref["strclus.ciprop_top2.logit.ci_high"]], **TOL)


def test_net_and_mean_relate_to_shares(des):
    shares = des.share("sat")["estimate"].to_numpy()
    net = net_satisfaction(des, "sat").iloc[0]
    # identities between closed forms of the same shares: a few ulps (approx's default rel 1e-6)
    assert net.estimate == pytest.approx(shares[2] + shares[3] - shares[0] - shares[1])
    mean = mean_score(des, "sat").iloc[0]
    assert mean.estimate == pytest.approx((shares * [1, 2, 3, 4]).sum())
    # on a 4-point scale net = 2 * top2 - 1, so its SE is twice the rate's
    rate = satisfaction_rate(des, "sat").iloc[0]
    assert net.se == pytest.approx(2 * rate.se)


def test_item_statistics_by_group_layout(des):
    t = item_statistics(des, ["sat"], "satisfaction", by="grp")
    assert list(t.columns) == ["item", "grp", "statistic", "estimate", "se", "ci_low", "ci_high", "n",
                               "method"]
    assert set(t["grp"]) == {"agents", "usagers"}


def test_item_statistics_rejects_unordered_or_bad_top(des):
    with pytest.raises(TypeError, match="ordered categorical"):
        satisfaction_rate(des, "y")
    with pytest.raises(ValueError, match="top must be"):
        satisfaction_rate(des, "sat", top=3)


def test_users_agents_gap_matches_r_svycontrast(des, ref):
    g = users_agents_gap(des, "y", by="grp", statistic="mean").iloc[0]
    np.testing.assert_allclose([g.gap, g.se], [ref["strclus.gap_y.usagers_minus_agents.est"],
                                               ref["strclus.gap_y.usagers_minus_agents.se"]], **TOL)
    g = users_agents_gap(des, "sat", by="grp").iloc[0]
    np.testing.assert_allclose([g.gap, g.se], [ref["strclus.gap_top2.usagers_minus_agents.est"],
                                               ref["strclus.gap_top2.usagers_minus_agents.se"]], **TOL)
    assert g.gap == pytest.approx(g.users - g.agents)  # same numbers, one subtraction: ulps
    assert g.ci_low < g.gap < g.ci_high and 0 <= g.p_value <= 1


def test_gap_after_raking_matches_r_svyglm(des, ref):
    margins = {"sex": {s: ref[f"strclus.rake.margin.sex.{s}"] for s in ("F", "H")},
               "age3": {a: ref[f"strclus.rake.margin.age3.{a}"] for a in ("18-34", "35-59", "60+")}}
    g = users_agents_gap(des.rake(margins), "y", by="grp", statistic="mean").iloc[0]
    np.testing.assert_allclose([g.gap, g.se], [ref["strclus.rake.gap_y.usagers_minus_agents.est"],
                                               ref["strclus.rake.gap_y.usagers_minus_agents.se"]], **TOL)


def test_wave_change_is_after_minus_before_and_antisymmetric(des):
    a = wave_change(des, "sat", wave="grp", before="agents", after="usagers").iloc[0]
    b = wave_change(des, "sat", wave="grp", before="usagers", after="agents").iloc[0]
    assert a.change == pytest.approx(-b.change) and a.se == pytest.approx(b.se)  # ulps
    with pytest.raises(ValueError, match="does not occur"):
        wave_change(des, "sat", wave="grp", before="agents", after="elus")


# ------------------------------------------------------------------ Cronbach's alpha
#: pingouin's "cronbach_alpha" example data (15 respondents x 10 items); pingouin and R psych both
#: report alpha = 0.5917188 with 95 % Feldt CI [0.195, 0.84].
PINGOUIN_ITEMS = {
    "Q1": [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4], "Q2": [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
    "Q3": [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5], "Q4": [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
    "Q5": [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3], "Q6": [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
    "Q7": [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3], "Q8": [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
    "Q9": [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3], "Q10": [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
}


def test_cronbach_alpha_published_example():
    df = pd.DataFrame(PINGOUIN_ITEMS)
    r = cronbach_alpha(df, list(df.columns))
    # published to 7, 3 and 2 decimals: half a unit of the last digit (alpha is exactly
    # 12190/20601 = 0.59171885, 1.4e-9 inside its half unit: 1e7 times the closed form's rounding)
    assert r.alpha == pytest.approx(0.5917188, abs=5e-8)
    assert r.ci[0] == pytest.approx(0.195, abs=5e-4) and r.ci[1] == pytest.approx(0.84, abs=5e-3)


def test_cronbach_alpha_matches_r(ref):
    items = pd.read_csv(REF_DIR / "survey_items.csv")
    r = cronbach_alpha(items, ["i1", "i2", "i3"])
    np.testing.assert_allclose([r.alpha, *r.ci], [ref["alpha.est"], ref["alpha.feldt.ci_low"],
                                                  ref["alpha.feldt.ci_high"]], **TOL)


def test_cronbach_alpha_listwise_vs_pairwise_and_errors():
    df = pd.DataFrame(PINGOUIN_ITEMS).astype(float)
    df.iloc[0, 0] = np.nan
    assert cronbach_alpha(df, list(df.columns), nan_policy="listwise").n == 14
    assert cronbach_alpha(df, list(df.columns)).n == 15
    with pytest.raises(ValueError):
        cronbach_alpha(df, ["Q1"])
    with pytest.raises(ValueError):
        cronbach_alpha(df, ["Q1", "Q2"], nan_policy="mean")


# ------------------------------------------------------------------ WHO-5
def test_who5_scoring_and_published_thresholds():
    df = pd.DataFrame({f"who5_{i}": v for i, v in enumerate(zip(*[
        (5, 5, 5, 5, 5),   # raw 25 -> 100
        (3, 2, 3, 2, 3),   # raw 13 -> 52: above 50
        (2, 3, 2, 3, 2),   # raw 12 -> 48: poor well-being
        (2, 2, 1, 1, 1),   # raw 7 -> 28: likely depression
        (0, 0, 0, 0, 0),
    ]), start=1)})
    s = who5_score(df)
    assert s["who5_raw"].tolist() == [25, 13, 12, 7, 0]
    assert s["who5_percent"].tolist() == [100, 52, 48, 28, 0]
    assert s["who5_level"].tolist() == ["bien_etre_correct", "bien_etre_correct", "bien_etre_faible",
                                        "depression_probable", "depression_probable"]


def test_who5_missing_item_gives_na_and_bad_code_raises():
    df = pd.DataFrame({f"who5_{i}": [3, 3] for i in range(1, 6)}).astype(float)
    df.loc[1, "who5_2"] = np.nan
    s = who5_score(df)
    assert s["who5_raw"].iloc[0] == 15 and pd.isna(s["who5_raw"].iloc[1]) and pd.isna(s["who5_level"].iloc[1])
    df.loc[0, "who5_3"] = 6
    with pytest.raises(DataError, match="0 to 5"):
        who5_score(df)


# ------------------------------------------------------------------ ordinal regression
def test_ordinal_regression_matches_mass_polr(ref):
    d = pd.read_csv(REF_DIR / "survey_ordinal.csv")
    d["y"] = pd.Categorical(d["y"], ordered=True)
    r = ordinal_regression(d, "y", ["x1", "x2"])
    # polr's BFGS stops at reltol 1e-8 on the likelihood: a parameter error scales as its square
    # root, ~1e-4 (measured 8e-6); the SEs are finite-difference ones on both sides (polr's
    # optimHess step 1e-3 ~1e-5 relative, statsmodels' approx_hess3 ~2e-6): rtol 5e-5 (measured
    # 5e-7); the log-likelihood is within reltol |L| = 6e-6 of the maximum (measured 2.4e-9)
    np.testing.assert_allclose(r.table["coef"], [ref["polr.coef.x1"], ref["polr.coef.x2"]], atol=1e-4)
    np.testing.assert_allclose(r.table["se"], [ref["polr.se.x1"], ref["polr.se.x2"]], rtol=5e-5)
    np.testing.assert_allclose(r.thresholds, [ref[f"polr.zeta.{i}"] for i in range(1, 5)], atol=1e-4)
    assert r.loglik == pytest.approx(ref["polr.loglik"], abs=1e-5)
    probs = r.predict(d.head(3))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)  # telescoping differences of cdfs: ulps


def test_ordinal_regression_categorical_predictor_and_missing():
    rng = np.random.default_rng(3)
    n = 300
    cat = rng.choice(["A", "B", "C"], n)
    lat = np.where(cat == "C", 1.0, 0.0) + rng.logistic(size=n)
    d = pd.DataFrame({"cat": cat, "y": pd.Categorical(np.digitize(lat, [-1, 0.5, 2]), ordered=True)})
    d.loc[0, "cat"] = None
    r = ordinal_regression(d, "y", ["cat"])
    assert list(r.table.index) == ["cat[B]", "cat[C]"] and r.n_dropped == 1
    assert r.table.loc["cat[C]", "coef"] > 0.5
    with pytest.raises(DataError, match=r"lacks the column\(s\) \['nope'\]"):
        ordinal_regression(d, "y", ["nope"])


def test_who5_level_labels_write_ranges_with_an_en_dash():
    # review 30: "(29-50)" used a hyphen-minus; typographic ranges take an en dash "29–50"
    import re

    from coanalysis.codebook import WHO5_LEVELS
    for lang in ("fr", "en"):
        labels = WHO5_LEVELS.labels(lang)
        assert not any(re.search(r"\d-\d", lab) for lab in labels), labels
        assert any("29–50" in lab for lab in labels)


def test_group_gap_where_that_selects_nobody_says_so_with_the_values_present():
    # review 5: where={"vague": 2025} (int) on a text column used to blame first="usagers"
    from coanalysis.survey import group_gap
    cat = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    df = pd.DataFrame({"population": ["usagers", "agents"] * 4,
                       "vague": ["2024"] * 4 + ["2025"] * 4,
                       "q": pd.Series([1, 2, 3, 4, 3, 4, 4, 4]).astype(cat)})
    d = Design(df)
    with pytest.raises(ValueError, match="selects no respondent") as err:
        group_gap(d, "q", "population", first="usagers", second="agents", where={"vague": 2025})
    msg = str(err.value)
    assert "usagers" not in msg.split("selects")[1] and "'2025'" in msg and "pass '2025'" in msg
    with pytest.raises(ValueError, match="selects no respondent"):
        satisfaction_rate(d, "q", where={"vague": 2025})
    with pytest.raises(ValueError, match=r"first='users' does not occur.*'usagers'"):
        group_gap(d, "q", "population", first="users", second="agents")
    ok = group_gap(d, "q", "population", first="usagers", second="agents", where={"vague": "2025"})
    assert ok["n_first"].item() == 2 and ok["n_second"].item() == 2
