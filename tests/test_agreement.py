"""Krippendorff's alpha and exact agreement, checked against published worked examples.

Tolerances: published values are compared to half a unit of their last printed digit (0.743:
abs=5e-4); hand computations of the same closed form agree to a few ulps (pytest.approx's
default rel 1e-6, or rel 1e-9/1e-10 where stated); the krippendorff package computes the same
sums in another order (rel 1e-10, measured 1e-15).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from coanalysis import codebook
from coanalysis.agreement import (
    _bootstrap_alphas,
    alpha_interval,
    coder_agreement,
    exact_agreement,
    krippendorff_alpha,
    participation_agreement,
    reliability_matrix,
)
from coanalysis.errors import DataError
from coanalysis.loaders import CaseBase

NA = np.nan


def _coding(values, name="unit"):
    return pd.DataFrame({"case_id": [f"u{i:02d}" for i in range(1, len(values) + 1)],
                         "score": pd.array(values, dtype="Float64")})


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# four observers, 12 units, missing values; published alphas:
# nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
K2011_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
]


@pytest.mark.parametrize("measurement, published", [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797),
])
def test_krippendorff_2011_four_coders(measurement, published):
    codings = [_coding(row) for row in K2011_C]
    alpha = krippendorff_alpha(*codings, measurement=measurement)
    assert alpha == pytest.approx(published, abs=5e-4)


def test_krippendorff_2011_binary_two_coders():
    # Section A of Krippendorff (2011): binary data, two observers, alpha = 0.095.
    # With two values the interval difference equals the nominal one.
    ben = _coding([0, 1, 0, 0, 0, 0, 0, 0, 1, 0])
    gerry = _coding([1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    assert krippendorff_alpha(ben, gerry, measurement="interval") == pytest.approx(0.095, abs=5e-4)
    assert krippendorff_alpha(ben, gerry, measurement="nominal") == pytest.approx(0.095, abs=5e-4)


def test_hand_computed_interval_two_coders_with_na():
    # units: (0, 0), (1, 1), (0.33, 0.67), (0.67, NA) -> the last is not pairable.
    # pairable values: 0,0,1,1,0.33,0.67 (n = 6)
    # D_o: each unit contributes 2*(c-k)^2/(m-1) / n -> only unit 3: 2*0.34^2 / 6
    # D_e: sum over all ordered pairs of values of (c-k)^2 / (n(n-1))
    a = _coding([0, 1, 0.33, 0.67])
    b = _coding([0, 1, 0.67, NA])
    vals = np.array([0, 0, 1, 1, 0.33, 0.67])
    d_o = 2 * 0.34 ** 2 / 6
    d_e = np.sum((vals[:, None] - vals[None, :]) ** 2) / (6 * 5)
    assert krippendorff_alpha(a, b) == pytest.approx(1 - d_o / d_e, rel=1e-9)


def test_alpha_invariants():
    a = _coding([0, 0.33, 0.67, 1, 1, 0])
    assert krippendorff_alpha(a, a.copy()) == pytest.approx(1.0)
    b = _coding([1, 0.67, 0.33, 0, 0, 1])
    assert krippendorff_alpha(a, b) < 0  # systematic disagreement
    # order of rows and of coders does not matter
    shuffled = b.sample(frac=1, random_state=1)
    assert krippendorff_alpha(a, shuffled) == pytest.approx(krippendorff_alpha(b, a))


def test_alpha_undefined_is_nan():
    a = _coding([1, 1, 1])
    assert math.isnan(krippendorff_alpha(a, a.copy()))
    assert math.isnan(krippendorff_alpha(_coding([1, NA]), _coding([NA, 0])))


def test_bad_inputs():
    a = _coding([0, 1])
    with pytest.raises(ValueError, match="measurement must be one of 'nominal', 'ordinal', "
                                         "'interval', 'ratio', got 'fuzzy'"):
        krippendorff_alpha(a, a, measurement="fuzzy")
    with pytest.raises(ValueError, match="two codings"):
        krippendorff_alpha(a)
    with pytest.raises(ValueError, match="lacks"):
        krippendorff_alpha(a, a.rename(columns={"score": "value"}))
    dup = pd.concat([a, a.iloc[[0]]])
    with pytest.raises(DataError, match="duplicated"):
        krippendorff_alpha(a, dup)


def test_reliability_matrix_aligns_units():
    a = pd.DataFrame({"case_id": ["x", "y"], "condition": ["c1", "c1"], "score": [0.0, 1.0]})
    b = pd.DataFrame({"case_id": ["y", "z"], "condition": ["c1", "c1"], "score": [0.67, 0.33]})
    m = reliability_matrix(a, b)
    assert m.shape == (2, 3)
    assert m.loc[0, ("y", "c1")] == 1.0 and m.loc[1, ("y", "c1")] == 0.67
    assert np.isnan(m.loc[1, ("x", "c1")]) and np.isnan(m.loc[0, ("z", "c1")])


def test_exact_agreement_counts():
    a = _coding([0, 1, 0.33, NA, NA, 0.67])
    b = _coding([0, 0.67, 0.33, NA, 1, 0.67])
    s = exact_agreement(a, b)
    assert s["n_units"] == 6
    assert s["n_pairable"] == 4
    assert s["n_na_all"] == 1
    assert s["n_na_some"] == 1
    assert s["n_exact"] == 3
    assert s["exact"] == pytest.approx(0.75)


def _casebase_with_codings(a_cond, b_cond, a_out, b_out):
    def frame(values, item, vocab):
        rows = [(case, term, v) for case, scores in values.items()
                for term, v in zip(vocab.slugs, scores)]
        df = pd.DataFrame(rows, columns=["case_id", item, "score"])
        df[item] = pd.Categorical(df[item], dtype=vocab.dtype())
        df["score"] = df["score"].astype("Float64")
        return df
    codings = {
        "coder_a_conditions": frame(a_cond, "condition", codebook.CONDITIONS),
        "coder_b_conditions": frame(b_cond, "condition", codebook.CONDITIONS),
        "coder_a_outcomes": frame(a_out, "outcome", codebook.OUTCOMES),
        "coder_b_outcomes": frame(b_out, "outcome", codebook.OUTCOMES),
    }
    empty = pd.DataFrame()
    return CaseBase(cases=empty, participation=empty, conditions=empty, outcomes=empty,
                    flows=empty, sources=empty, codings=codings, path=None)


def test_coder_agreement_table():
    base = [0, 0.33, 0.67, 1, 0, 0.33, 0.67, 1, 0, 0.33, 0.67, 1, NA]
    a_cond = {"c1": base, "c2": base[::-1]}
    b_cond = {"c1": base[:-1] + [0.33], "c2": base[::-1]}  # one NA-vs-coded on c1/transversalite
    a_out = {"c1": [1, 0, 1, 0, NA], "c2": [0, 1, 0, 1, NA]}
    b_out = {"c1": [1, 0, 1, 0, NA], "c2": [1, 0, 1, 0, NA]}  # c2 all flipped
    cb = _casebase_with_codings(a_cond, b_cond, a_out, b_out)
    table = coder_agreement(cb)
    assert list(table.columns) == ["table", "variable", "n_units", "n_pairable", "n_na_all",
                                   "n_na_some", "n_exact", "exact", "alpha", "alpha_low",
                                   "alpha_high"]
    assert len(table) == 13 + 1 + 5 + 1 + 1
    assert str(table["alpha_low"].dtype) == str(table["alpha_high"].dtype) == "Float64"
    per_variable = table["variable"] != "(all)"
    assert table.loc[per_variable, ["alpha_low", "alpha_high"]].isna().all().all()
    rows = table.set_index(["table", "variable"])
    # conditions agree everywhere: every replicate has alpha 1
    assert (rows.loc[("conditions", "(all)"), "alpha_low"],
            rows.loc[("conditions", "(all)"), "alpha_high"]) == (pytest.approx(1.0), pytest.approx(1.0))
    for key in (("outcomes", "(all)"), ("(all)", "(all)")):
        assert rows.loc[key, "alpha_low"] <= rows.loc[key, "alpha"] <= rows.loc[key, "alpha_high"], key
    cond_all = rows.loc[("conditions", "(all)")]
    assert cond_all["n_units"] == 26
    assert cond_all["n_na_some"] == 1 and cond_all["n_na_all"] == 1
    assert cond_all["n_pairable"] == 24 and cond_all["exact"] == 1.0
    assert cond_all["alpha"] == pytest.approx(1.0)
    out_all = rows.loc[("outcomes", "(all)")]
    assert out_all["n_pairable"] == 8 and out_all["n_exact"] == 4
    # per variable: adaptation_service has c1 equal (1,1) and c2 different (0 vs 1)
    adapt = rows.loc[("outcomes", "adaptation_service")]
    assert adapt["n_pairable"] == 2 and adapt["exact"] == 0.5
    overall = rows.loc[("(all)", "(all)")]
    assert overall["n_units"] == 36 and overall["n_exact"] == 28
    # independent check of the overall alpha on the stacked codings
    stack_a = np.array(base[:12] + base[::-1][1:] + [1, 0, 1, 0, 0, 1, 0, 1])
    stack_b = np.array(base[:12] + base[::-1][1:] + [1, 0, 1, 0, 1, 0, 1, 0])
    vals = np.concatenate([stack_a, stack_b])
    n = vals.size
    d_o = np.sum(2 * (stack_a - stack_b) ** 2) / n
    d_e = np.sum((vals[:, None] - vals[None, :]) ** 2) / (n * (n - 1))
    assert overall["alpha"] == pytest.approx(1 - d_o / d_e, rel=1e-9)


def test_coder_agreement_needs_two_codings():
    cb = _casebase_with_codings({"c": [0] * 13}, {"c": [0] * 13}, {"c": [0] * 5}, {"c": [0] * 5})
    del cb.codings["coder_b_outcomes"]
    with pytest.raises(ValueError, match="two codings of the outcomes"):
        coder_agreement(cb)
    with pytest.raises(TypeError):
        coder_agreement(object())


# ------------------------------------------------- the ordinal difference documented in the Notes
def _alpha_from_coincidences(matrix, delta2):
    """Alpha computed from scratch: coincidence matrix o_ck, margins n_c, D_o / D_e."""
    values = sorted({v for row in matrix for v in row if not math.isnan(v)})
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in zip(*matrix):
        coded = [v for v in unit if not math.isnan(v)]
        m = len(coded)
        if m < 2:
            continue
        for i, c in enumerate(coded):
            for j, k in enumerate(coded):
                if i != j:
                    o[index[c], index[k]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d = np.array([[delta2(c, k, values, n_c) for k in range(len(values))]
                  for c in range(len(values))])
    return 1 - (n - 1) * (o * d).sum() / (np.outer(n_c, n_c) * d).sum()


def _ordinal_delta2(c, k, values, n_c):
    # Krippendorff (2011): (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2 over the ranked values
    lo, hi = min(c, k), max(c, k)
    return (n_c[lo:hi + 1].sum() - (n_c[lo] + n_c[hi]) / 2) ** 2


def _rank_delta2(c, k, values, n_c):
    # the former (wrong) wording of the Notes: squared rank distance over the observed values
    return float((c - k) ** 2)


def test_ordinal_alpha_uses_the_documented_frequency_metric():
    alpha = _alpha_from_coincidences(K2011_C, _ordinal_delta2)
    assert alpha == pytest.approx(0.815, abs=5e-4)  # published value
    codings = [_coding(row) for row in K2011_C]
    assert krippendorff_alpha(*codings, measurement="ordinal") == pytest.approx(alpha, abs=1e-9)  # same sums
    # the squared rank distance is a different metric and does not give the published value
    assert _alpha_from_coincidences(K2011_C, _rank_delta2) != pytest.approx(0.815, abs=5e-3)  # 0.034 off
    notes = krippendorff_alpha.__doc__
    assert "\\sum_{g=c}^{k} n_g - \\frac{n_c + n_k}{2}" in notes
    assert "squared rank distance" not in notes


# -------------------------------------------------------- numpy-style docstrings of the public API
def test_public_functions_document_parameters_returns_and_examples():
    import inspect

    import coanalysis.agreement as agreement
    import coanalysis.metrics as metrics

    for module in (agreement, metrics):
        for name in module.__all__:
            doc = inspect.getdoc(getattr(module, name)) or ""
            for section in ("Parameters", "Returns", "Examples"):
                assert f"{section}\n----" in doc, f"{module.__name__}.{name} lacks {section}"
    exact = inspect.getdoc(exact_agreement)
    for section in ("Notes", "References"):
        assert f"{section}\n----" in exact
    assert "\\frac{" in exact  # the formula of the share
    notes = inspect.getdoc(coder_agreement).split("Notes\n-----")[1]
    assert "n_{\\text{exact}} / n_{\\text{pairable}}" in notes


def _participation_codings(a_levels, b_levels):
    """Two codings of the same five units (levels None = NA)."""
    units = [("c1", "usagers", "diagnostic"), ("c1", "usagers", "conception"),
             ("c1", "agents", "conception"), ("c2", "usagers", "conception"),
             ("c2", "elus", "decision")]

    def frame(levels):
        df = pd.DataFrame([(*u, lv) for u, lv in zip(units, levels)],
                          columns=["case_id", "actor", "stage", "level"])
        df["actor"] = pd.Categorical(df["actor"], dtype=codebook.ACTORS.dtype())
        df["stage"] = pd.Categorical(df["stage"], dtype=codebook.STAGES.dtype())
        df["level"] = pd.array(levels, dtype="Int64")
        return df

    empty = pd.DataFrame()
    codings = {"coder_a_participation": frame(a_levels), "coder_b_participation": frame(b_levels),
               "reconciliation_participation": frame([None] * 5)}  # must not be taken for a coder
    return CaseBase(cases=empty, participation=empty, conditions=empty, outcomes=empty,
                    flows=empty, sources=empty, codings=codings, path=None)


def test_participation_agreement_counts_and_ordinal_alpha():
    cb = _participation_codings([2, 4, 3, 4, 5], [3, 4, 3, 1, None])
    table = participation_agreement(cb)
    assert list(table["by"].unique()) == ["actor", "stage", "(all)"]
    overall = table.set_index("by").loc["(all)"]
    # pairable: 4 units (the last is NA for B); exact: 2 (4/4, 3/3); within one step: 3 (2/3 too)
    assert (overall["n_units"], overall["n_pairable"], overall["n_na_some"], overall["n_exact"]) == (5, 4, 1, 2)
    assert overall["exact"] == pytest.approx(0.5) and overall["within_one"] == pytest.approx(0.75)
    # ordinal alpha by hand (Krippendorff 2011): values 2,3 | 4,4 | 3,3 | 4,1 -> n_1=1, n_2=1,
    # n_3=3, n_4=3; n = 8; delta²(c,k) = (sum_{g=c..k} n_g - (n_c + n_k)/2)²
    n = {1: 1, 2: 1, 3: 3, 4: 3}

    def d2(c, k):
        c, k = min(c, k), max(c, k)
        return (sum(n[g] for g in range(c, k + 1)) - (n[c] + n[k]) / 2) ** 2
    pairs = [(2, 3), (4, 4), (3, 3), (4, 1)]
    observed = sum(2 * d2(a, b) for a, b in pairs)  # each unit of 2 values: o_ck from both orders, /(m-1)=1
    values = [v for pair in pairs for v in pair]
    expected = sum(d2(a, b) for i, a in enumerate(values) for j, b in enumerate(values) if i != j) / (8 - 1)
    assert overall["alpha"] == pytest.approx(1 - observed / expected, rel=1e-9)
    usagers = table[(table["by"] == "actor") & (table["variable"] == "usagers")].iloc[0]
    assert usagers["n_units"] == 3 and usagers["n_exact"] == 1
    assert list(table.columns[-3:]) == ["alpha", "alpha_low", "alpha_high"]
    assert table.loc[table["by"] != "(all)", ["alpha_low", "alpha_high"]].isna().all().all()
    assert overall["alpha_low"] <= overall["alpha"] <= overall["alpha_high"]


def test_participation_agreement_needs_two_codings():
    cb = _participation_codings([1] * 5, [1] * 5)
    del cb.codings["coder_b_participation"]
    with pytest.raises(ValueError, match="two codings"):
        participation_agreement(cb)


# ------------------------------------------------------------- bootstrap interval of alpha
TOY_A = [0, 0.33, 0.67, 1, 0, 0.33, 0.67, 1, 0.33, 0.67, 1, 0, NA, 1, 0.67, 0.33]
TOY_B = [0, 0.33, 0.33, 1, 0.33, 0.33, 0.67, 0.67, 0.33, 0.67, 1, 0, 0.33, NA, 0.67, 0]


def _toy(copies: int = 1):
    a = pd.concat([_coding(TOY_A)] * copies, ignore_index=True)
    b = pd.concat([_coding(TOY_B)] * copies, ignore_index=True)
    ids = [f"k{i:04d}" for i in range(len(a))]
    return a.assign(case_id=ids), b.assign(case_id=ids)


def test_alpha_interval_contains_alpha_on_a_toy_case():
    a, b = _toy()
    low, high = alpha_interval(a, b)
    alpha = krippendorff_alpha(a, b)
    assert 0.5 < alpha < 1
    assert low <= alpha <= high <= 1
    assert high - low > 0.05  # 14 pairable units: a wide interval
    for measurement in ("ordinal", "nominal", "ratio"):
        low, high = alpha_interval(a, b, measurement=measurement)
        assert low <= krippendorff_alpha(a, b, measurement=measurement) <= high, measurement


def test_alpha_interval_contains_alpha_on_the_shipped_data():
    from coanalysis.loaders import load_casebase

    cb = load_casebase()
    scores = coder_agreement(cb)
    participation = participation_agreement(cb)
    totals = pd.concat([scores[scores["variable"] == "(all)"], participation[participation["by"] == "(all)"]])
    assert len(totals) == 4
    for _, r in totals.iterrows():
        assert r["alpha_low"] < r["alpha"] < r["alpha_high"] <= 1, (r["table"], r["variable"])
        assert r["alpha_high"] - r["alpha_low"] < 0.25


def test_alpha_interval_is_deterministic_and_narrows_with_more_units():
    a, b = _toy()
    assert alpha_interval(a, b) == alpha_interval(a, b)
    assert alpha_interval(a, b, seed=1) == alpha_interval(a, b, seed=1)
    assert alpha_interval(a, b, seed=1) != alpha_interval(a, b, seed=2)
    big_a, big_b = _toy(copies=4)
    # four copies change alpha only through D_e's 1/(n(n-1)): by (1 - alpha) 3 / (4 (n - 1)) = 3.7e-3
    assert krippendorff_alpha(big_a, big_b) == pytest.approx(krippendorff_alpha(a, b), abs=0.02)
    low, high = alpha_interval(a, b)
    big_low, big_high = alpha_interval(big_a, big_b)
    assert big_high - big_low < 0.75 * (high - low)  # about half: width ~ 1/sqrt(N)
    assert big_low <= krippendorff_alpha(big_a, big_b) <= big_high
    low90, high90 = alpha_interval(a, b, level=0.90)
    assert low <= low90 <= high90 <= high


def test_alpha_interval_is_nan_when_alpha_is_undefined():
    one_value = _coding([0.67] * 6)
    assert all(math.isnan(x) for x in alpha_interval(one_value, one_value.copy()))
    one_unit = (_coding([0, NA, NA]), _coding([1, 0.33, NA]))  # a single pairable unit
    assert all(math.isnan(x) for x in alpha_interval(*one_unit))
    nothing = _coding([NA, NA])
    assert all(math.isnan(x) for x in alpha_interval(nothing, nothing.copy()))


def test_alpha_interval_checks_its_arguments():
    a, b = _toy()
    for kwargs, error in (({"level": 1.0}, ValueError), ({"level": 0}, ValueError),
                          ({"level": 95}, ValueError), ({"n_boot": 0}, ValueError),
                          ({"n_boot": 2.5}, TypeError), ({"measurement": "cardinal"}, ValueError)):
        name = next(iter(kwargs))
        with pytest.raises(error, match=f"^{name} must be"):
            alpha_interval(a, b, **kwargs)


@pytest.mark.parametrize("measurement", ["interval", "ordinal", "nominal", "ratio"])
def test_bootstrap_replicate_is_krippendorff_alpha_of_the_resampled_matrix(measurement):
    """Independent check: each replicate = krippendorff.alpha on the resampled columns."""
    import krippendorff

    rng = np.random.default_rng(7)
    values = np.array([0, 0.33, 0.67, 1]) if measurement != "ordinal" else np.arange(6.0)
    a = rng.choice(values, 60)
    b = np.where(rng.random(60) < 0.7, a, rng.choice(values, 60))
    c = np.where(rng.random(60) < 0.5, np.nan, rng.choice(values, 60))  # a third, partial coder
    b[:5] = np.nan
    for data in (np.vstack([a, b]), np.vstack([a, b, c])):
        data = data[:, np.sum(~np.isnan(data), axis=0) >= 2]
        resamples = rng.integers(0, data.shape[1], size=(20, data.shape[1]))
        got = _bootstrap_alphas(data, resamples, measurement)
        expected = [krippendorff.alpha(reliability_data=data[:, idx], level_of_measurement=measurement)
                    for idx in resamples]
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
        whole = _bootstrap_alphas(data, np.arange(data.shape[1])[None, :], measurement)[0]
        assert whole == pytest.approx(krippendorff.alpha(reliability_data=data,
                                                         level_of_measurement=measurement), rel=1e-10)


def test_alpha_interval_is_the_percentile_of_krippendorff_on_seeded_resamples():
    """The whole procedure redone by hand: same draws, krippendorff.alpha, percentiles."""
    import krippendorff

    a, b = _toy()
    data = reliability_matrix(a, b).to_numpy(dtype=float)
    data = data[:, np.sum(~np.isnan(data), axis=0) >= 2]
    draws = np.random.default_rng(123).integers(0, data.shape[1], size=(200, data.shape[1]))
    alphas = []
    for idx in draws:
        sample = data[:, idx]
        if np.unique(sample[~np.isnan(sample)]).size > 1:
            alphas.append(krippendorff.alpha(reliability_data=sample, level_of_measurement="interval"))
    expected = np.quantile(alphas, [0.05, 0.95])
    got = alpha_interval(a, b, level=0.90, n_boot=200, seed=123)
    assert got == pytest.approx(tuple(expected), rel=1e-10)


