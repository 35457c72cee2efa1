"""qca.robustness_fit (Oana & Schneider's RF_cov, RF_cons, RF_SC) against SetMethods 4.1's
rob.fit (R QCA 3.23) on LF and CVF, plus invariants and bad input. Reference:
tests/reference/qca_README.md (qca_setmethods_reference.json, key robustness_fit)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coanalysis import qca
from coanalysis.errors import DataError
from coanalysis.qca.robustness import ANCHORS

REF = Path(__file__).parent / "reference"
SM = json.loads((REF / "qca_setmethods_reference.json").read_text(encoding="utf-8"))
SPECS = {s["id"]: s for s in SM["robustness_fit"]}
MEASURES = ("RF_cov", "RF_cons", "RF_SC_minTS", "RF_SC_maxTS")
#: Ratios of sums of minima over ≤ 29 cases, the same closed form in R (QCA::pof on the same
#: memberships): agreement ~1e-15; 1e-9 relative is far above that.
FIT_RTOL = 1e-9


def _model_key(model: str) -> frozenset:
    return frozenset(frozenset(lit.strip() for lit in t.split("*")) for t in model.split("+"))


def _run(spec, setting):
    data = pd.read_csv(REF / spec["csv"]).set_index("case")
    tt = qca.truth_table(data, outcome=spec["outcome"], conditions=spec["conditions"],
                         consistency_cutoff=setting["incl_cut"], n_cutoff=setting["n_cut"])
    return qca.minimize(tt, solution=spec["solution"])


def _pair(sol, r_model):
    keys = [_model_key(m) for m in sol.models]
    return sol, keys.index(_model_key(r_model))


def _fit(spec_id):
    spec = SPECS[spec_id]
    initial = _pair(_run(spec, spec["initial"]), spec["initial_model"])
    tests = [_pair(_run(spec, st), m) for st, m in zip(spec["tests"], spec["test_models"])]
    return spec, qca.robustness_fit(initial, tests)


def _setmethods_rounding(num: float, den: float) -> float:
    """rob.fit's arithmetic: QCAfit's format(x, digits = 3) on each fit, the ratio, round(., 3)."""
    return round(float(f"{num:.3g}") / float(f"{den:.3g}"), 3)


@pytest.mark.parametrize("spec_id", list(SPECS))
def test_memberships_equal_setmethods_pimdata(spec_id):
    spec, rf = _fit(spec_id)
    m = spec["memberships"]
    cases = list(m["initial"])
    # min / max of the same two-decimal inputs: exact; the JSON keeps 15 significant digits
    np.testing.assert_allclose(rf.memberships.loc[cases, "IS"], list(m["initial"].values()), atol=1e-12, rtol=0)
    for j, ts in enumerate(m["tests"], start=1):
        np.testing.assert_allclose(rf.memberships.loc[cases, f"TS{j}"], list(ts.values()), atol=1e-12, rtol=0)


@pytest.mark.parametrize("spec_id", list(SPECS))
def test_measures_equal_r_unrounded(spec_id):
    spec, rf = _fit(spec_id)
    got = rf.table.iloc[0]
    for name, value in spec["unrounded"].items():
        assert got[name] == pytest.approx(value, rel=FIT_RTOL), name


@pytest.mark.parametrize("spec_id", [s for s in SPECS if len(SPECS[s]["tests"]) <= 2])
def test_measures_equal_setmethods_rob_fit(spec_id):
    spec, rf = _fit(spec_id)
    got, sm = rf.table.iloc[0], spec["rob_fit_setmethods"]
    # RF_cov and RF_cons: SetMethods divides 3-significant-digit fits, then rounds to 3 decimals;
    # the same rounding of the unrounded numbers gives its value exactly
    assert _setmethods_rounding(got["core_coverage"], got["IS_coverage"]) == pytest.approx(sm["RF_cov"], abs=1e-12)
    assert _setmethods_rounding(got["IS_consistency"], got["core_consistency"]) == pytest.approx(sm["RF_cons"], abs=1e-12)
    for name in ("RF_SC_minTS", "RF_SC_maxTS"):  # unrounded sums, then round(., 3)
        assert abs(got[name] - sm[name]) <= 5e-4 + 1e-12, name


def test_three_tests_setmethods_uses_the_first_and_last_only():
    spec, rf = _fit("CVF_PROTEST_parsimonious_three_tests")
    m = rf.memberships
    first_last_min = np.minimum(m["TS1"], m["TS3"])
    first_last_max = np.maximum(m["TS1"], m["TS3"])

    def sc(t):
        return np.minimum(m["IS"], t).sum() / np.maximum(m["IS"], t).sum()

    sm = spec["rob_fit_setmethods"]
    assert abs(sc(first_last_min) - sm["RF_SC_minTS"]) <= 5e-4 + 1e-12
    assert abs(sc(first_last_max) - sm["RF_SC_maxTS"]) <= 5e-4 + 1e-12
    # ours takes all three, and here that differs from SetMethods' by more than its rounding
    assert abs(rf.table.loc[0, "RF_SC_maxTS"] - sm["RF_SC_maxTS"]) > 0.1
    # the core (rob.corefit loops over every solution) agrees
    assert _setmethods_rounding(rf.table.loc[0, "core_coverage"], rf.table.loc[0, "IS_coverage"]) == sm["RF_cov"]


def test_invariants():
    spec, rf = _fit("CVF_PROTEST_parsimonious_three_tests")
    m = rf.memberships
    assert (m["core"] <= m["IS"]).all() and (m["minTS"] <= m["maxTS"]).all()
    t = rf.table.iloc[0]
    assert 0 <= t["RF_cov"] <= 1 and 0 <= t["RF_SC_minTS"] <= 1 and 0 <= t["RF_SC_maxTS"] <= 1
    same = qca.robustness_fit(rf_initial := _run(spec, spec["initial"]), [rf_initial])
    np.testing.assert_allclose(same.table[list(MEASURES)].to_numpy(), 1.0, rtol=1e-15)


def test_result_contract(check_result_contract):
    _, rf = _fit("LF_SURV_parsimonious_cutoffs")
    check_result_contract(rf)


def test_bad_input_is_refused():
    spec = SPECS["LF_SURV_parsimonious_cutoffs"]
    initial = _run(spec, spec["initial"])
    with pytest.raises(ValueError, match="non-empty list"):
        qca.robustness_fit(initial, [])
    with pytest.raises(ValueError, match="non-empty list"):
        qca.robustness_fit(initial, initial)
    with pytest.raises(TypeError, match="Solution"):
        qca.robustness_fit(initial, [initial.truth_table])
    data = pd.read_csv(REF / spec["csv"]).set_index("case").iloc[1:]
    fewer = qca.minimize(qca.truth_table(data, outcome="SURV", conditions=spec["conditions"]),
                         solution="parsimonious")
    with pytest.raises(DataError, match="different cases"):
        qca.robustness_fit(initial, [fewer])
    negated = qca.minimize(qca.truth_table(pd.read_csv(REF / spec["csv"]).set_index("case"),
                                           outcome="~SURV", conditions=spec["conditions"]),
                           solution="parsimonious")
    with pytest.raises(ValueError, match="~SURV"):
        qca.robustness_fit(initial, [negated])


# ---------------------------------------------------------------------------- cut-off ranges
RANGES = {s["id"]: s for s in SM["robustness_ranges"]}
PARAMETER = {"consistency": "consistency_cutoff", "n": "n_cutoff"}


def _range(spec):
    data = pd.read_csv(REF / spec["csv"]).set_index("case")
    return qca.cutoff_range(data, outcome=spec["outcome"], conditions=spec["conditions"],
                            parameter=PARAMETER[spec["parameter"]], step=spec["step"],
                            max_runs=spec["max_runs"], consistency_cutoff=spec["consistency_cutoff"],
                            n_cutoff=spec["n_cutoff"], solution=spec["solution"])


@pytest.mark.parametrize("spec_id", list(RANGES))
def test_cutoff_range_equals_setmethods(spec_id):
    spec = RANGES[spec_id]
    got = _range(spec)
    # R accumulates its steps (0.8 - 0.01 - 0.01 …): its bounds carry ~1e-16 of drift; ours are
    # rounded grid values, so 1e-9 absolute separates a drift from a different grid point
    assert got.lower == pytest.approx(spec["lower"], abs=1e-9)
    assert got.upper == pytest.approx(spec["upper"], abs=1e-9)
    # the references stay clear of SetMethods' quirks: both bounds inside the admissible range,
    # reached in fewer than max_runs steps (else SetMethods would say NA or skip 1)
    if spec["parameter"] == "consistency":
        assert 0 < spec["lower"] and spec["upper"] + spec["step"] < 1
    assert (got.runs.groupby("direction").size() < spec["max_runs"]).all()


def test_cutoff_range_runs_and_invariants():
    got = _range(RANGES["LF_SURV_parsimonious_incl"])
    runs = got.runs
    assert runs["holds"].sum() == len(runs) - 2  # each direction ends on its first change
    held = runs.loc[runs["holds"], "value"]
    assert held.between(got.lower, got.upper).all()
    assert got.lower <= got.initial <= got.upper
    assert not runs.groupby("direction")["holds"].last().any()


def test_cutoff_range_open_bound_and_bad_input():
    df = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]})
    r = qca.cutoff_range(df, outcome="Y", conditions=["A", "B"], parameter="consistency_cutoff",
                         step=0.01, max_runs=3, consistency_cutoff=0.5)
    assert r.lower is None and r.upper is None  # three steps each way all keep "A"
    assert any("not reached" in n for n in r.notes)
    with pytest.raises(ValueError, match="parameter"):
        qca.cutoff_range(df, outcome="Y", conditions=["A"], parameter="pri")
    with pytest.raises(ValueError, match="integer"):
        qca.cutoff_range(df, outcome="Y", conditions=["A"], parameter="n_cutoff", step=0.5)
    with pytest.raises(DataError, match="no initial solution"):
        qca.cutoff_range(df, outcome="Y", conditions=["A"], parameter="n_cutoff", n_cutoff=5)


def test_cutoff_range_result_contract(check_result_contract):
    check_result_contract(_range(RANGES["CVF_PROTEST_parsimonious_ncut"]))


# ---------------------------------------------------------------------------- robustness case types
R_CASE_KEYS = {"robust_typical": "S1S2Y", "robust_deviant": "S1S2y", "shaky_typical": "S1s2Y",
               "shaky_deviant": "S1s2y", "possible_typical": "s1S2Y", "possible_deviant": "s1S2y",
               "extreme_deviant_coverage": "s1s2Y", "irrelevant": "s1s2y"}


@pytest.mark.parametrize("spec_id", [s for s in SPECS if len(SPECS[s]["tests"]) <= 2])
def test_robust_case_types_equal_setmethods_rob_cases(spec_id):
    spec, rf = _fit(spec_id)
    ref = spec["rob_cases"]
    types = rf.case_types.set_index("type")
    for kind, key in R_CASE_KEYS.items():
        got = types.loc[kind, "cases"]
        assert (got.split("; ") if got else []) == ref["cases"][key], kind
    t, p = rf.table.iloc[0], ref["parameters"]
    for name in ("RCR_typ", "RCR_dev"):  # SetMethods rounds the ratio to 3 decimals
        if p[name] is None:
            assert np.isnan(t[name])
        else:
            assert abs(t[name] - p[name]) <= 5e-4 + 1e-12, name
    assert t["RCC_rank"] == p["RCC_Rank"]


def test_robust_case_types_partition_the_cases():
    _, rf = _fit("CVF_PROTEST_parsimonious_three_tests")
    m = rf.memberships
    ct = rf.case_types
    y_clear = (m["PROTEST"] != 0.5).sum()
    assert ct["n"].sum() <= len(m)
    # with IS, minTS, maxTS never at 0.5 each case falls in one intersection of IS*minTS,
    # IS*~minTS (IS > 0.5) or ~IS*maxTS, ~IS*~maxTS (IS < 0.5)
    clear = ((m["IS"] != 0.5) & (m["minTS"] != 0.5) & (m["maxTS"] != 0.5) & (m["PROTEST"] != 0.5)).sum()
    assert ct["n"].sum() == clear <= y_clear


# ---------------------------------------------------------------------------- calibration ranges
CALIB = {s["id"]: s for s in SM["calibration_ranges"]}


def _anchor_range(spec):
    raw = pd.read_csv(REF / spec["raw_csv"]).set_index("case")
    data = pd.read_csv(REF / spec["csv"]).set_index("case")
    return qca.anchor_range(raw, data, column=spec["column"], anchors=spec["anchors"],
                            step=spec["step"], max_runs=spec["max_runs"], outcome=spec["outcome"],
                            conditions=spec["conditions"],
                            consistency_cutoff=spec["consistency_cutoff"], solution=spec["solution"])


@pytest.mark.parametrize("spec_id", list(CALIB))
def test_anchor_range_equals_setmethods_rob_calibrange(spec_id):
    spec = CALIB[spec_id]
    got = _anchor_range(spec).table.set_index("anchor")
    compared = 0
    for j, name in enumerate(ANCHORS):
        others = [a for m, a in enumerate(spec["anchors"]) if m != j]
        for side in ("lower", "upper"):
            r = spec[name][side]
            end = got.loc[name, f"{side}_end"]
            if end == "anchors unordered":
                # SetMethods goes on with equal or crossed anchors (R's calibrate gives NaN or a
                # non-monotone set); it stops at most one step further, so its bound is ours or
                # the colliding anchor itself
                assert r is not None and (abs(r - got.loc[name, side]) < 1e-9
                                          or min(abs(r - o) for o in others) < 1e-9), (name, side, r)
                continue
            if r is None:  # SetMethods' NA: max.runs steps taken
                assert np.isnan(got.loc[name, side]) and end == "max_runs", (name, side)
            else:  # R accumulates its steps (drift ~1e-13); ours are rounded grid values
                assert got.loc[name, side] == pytest.approx(r, abs=1e-9), (name, side)
            compared += 1
    assert compared >= 3


def test_anchor_range_invariants_and_bad_input(check_result_contract):
    spec = CALIB["LF_SURV_parsimonious_DEV"]
    r = _anchor_range(spec)
    check_result_contract(r)
    t = r.table
    ok = t["lower"].notna() & t["upper"].notna()
    assert (t.loc[ok, "lower"] <= t.loc[ok, "initial"]).all() and (t.loc[ok, "initial"] <= t.loc[ok, "upper"]).all()
    held = r.runs[r.runs["holds"]]
    assert set(held["model"]) == {r.model}
    raw = pd.read_csv(REF / spec["raw_csv"]).set_index("case")
    data = pd.read_csv(REF / spec["csv"]).set_index("case")
    with pytest.raises(ValueError, match="strictly ordered"):
        qca.anchor_range(raw, data, column="DEV", anchors=(400, 950, 900), step=10,
                         outcome="SURV", conditions=spec["conditions"])
    with pytest.raises(DataError, match="different cases"):
        qca.anchor_range(raw.iloc[::-1], data, column="DEV", anchors=(400, 550, 900), step=10,
                         outcome="SURV", conditions=spec["conditions"])
    with pytest.raises(DataError, match="WEALTH"):
        qca.anchor_range(raw, data, column="DEV", raw_column="WEALTH", anchors=(400, 550, 900),
                         step=10, outcome="SURV", conditions=spec["conditions"])
