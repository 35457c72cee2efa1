"""QCA engine against R QCA 3.25's recorded outputs (Lipset crisp/fuzzy, Cebotari & Vink)
and against textbook results. Reference values: tests/reference/qca_README.md."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coanalysis import qca

REF = Path(__file__).parent / "reference"
R = json.loads((REF / "qca_r325_reference.json").read_text(encoding="utf-8"))
SETS = {s["name"]: s for s in R["sets"]}
#: R QCA's values are stored with 15 significant digits; consistencies, PRI and coverages are
#: closed-form ratios of sums of minima over at most 29 cases, computed here the same way:
#: measured agreement <= 1.3e-15. 1e-9 absolute stays far above that and far below the 1e-3
#: of R's printed tables.
TOL = 1e-9


def _data(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / SETS[name]["data_file"]).set_index("case")


def _tt(name: str):
    s = SETS[name]
    return qca.truth_table(_data(name), outcome=s["outcome"], conditions=s["conditions"],
                           consistency_cutoff=s["incl_cut"])


def _solution(name: str, kind: str):
    return qca.minimize(_tt(name), solution=kind,
                        directional=SETS[name]["directional"] if kind == "intermediate" else None)


# ----------------------------------------------------------------- calibration
@pytest.mark.parametrize("entry", R["calibration"], ids=lambda e: e["var"])
def test_calibration_matches_r(entry):
    got = qca.calibrate(np.array(entry["x"], dtype=float), exclusion=entry["e"],
                        crossover=entry["c"], inclusion=entry["i"])
    # the same logistic formula; R's 15 digits leave 5e-16 (measured 4.4e-16)
    np.testing.assert_allclose(got, entry["y"], rtol=0, atol=1e-12)


def test_calibration_anchor_values_textbook():
    # Ragin (2008): 0.05 at exclusion, 0.5 at crossover, 0.95 at inclusion, both directions
    got = qca.calibrate([400, 550, 900], exclusion=400, crossover=550, inclusion=900)  # ulps
    np.testing.assert_allclose(got, [0.05, 0.5, 0.95], atol=1e-12)
    got = qca.calibrate([10, 7.5, 5], exclusion=10, crossover=7.5, inclusion=5)
    np.testing.assert_allclose(got, [0.05, 0.5, 0.95], atol=1e-12)


# ----------------------------------------------------------------- truth table
@pytest.mark.parametrize("name", list(SETS))
def test_truth_table_matches_r(name):
    s = SETS[name]
    tt = _tt(name)
    full = tt.rows_of(np.arange(1 << len(s["conditions"]), dtype=np.int64))
    assert len(full) == len(s["truth_table"])
    for (_, got), ref in zip(full.iterrows(), s["truth_table"]):
        for c in s["conditions"]:
            assert got[c] == ref[c]
        assert got["OUT"] == ref["OUT"]
        assert got["n"] == ref["n"]
        if ref["incl"] == "-":
            assert np.isnan(got["consistency"])
        else:
            assert got["consistency"] == pytest.approx(float(ref["incl"]), abs=TOL)
            assert got["PRI"] == pytest.approx(float(ref["PRI"]), abs=TOL)


def test_truth_table_cases_lipset_crisp():
    # R's show.cases for LC (Rihoux & De Meur 2009, table 3.3)
    tt = _tt("LC")
    cases = tt.table["cases"]
    assert cases.loc[32] == "BE,CZ,NL,UK"
    assert cases.loc[22] == "FI,IE"
    assert cases.loc[1] == "GR,PT,ES"
    assert tt.n_remainders == 23


# ------------------------------------------------------------------- solutions
CASES = [(n, k) for n in SETS for k in ("complex", "parsimonious", "intermediate")]


@pytest.mark.parametrize("name,kind", CASES)
def test_models_match_r_exactly(name, kind):
    ref = SETS[name]["solutions"][kind]["models"]
    sol = _solution(name, kind)
    if kind == "intermediate":
        expected = list(dict.fromkeys(ref.values()))  # one per (Ci, Pj) pair, deduplicated
        assert sorted(sol.model_table["label"]) == sorted(ref)
        for label, model in ref.items():
            assert sol.model_table.set_index("label").loc[label, "model"] == model
    else:
        expected = ref
    assert sol.models == expected


@pytest.mark.parametrize("name,kind", [c for c in CASES if c[1] != "intermediate"])
def test_fit_tables_match_r(name, kind):
    ref = SETS[name]["solutions"][kind]
    sol = _solution(name, kind)
    for m, fit in enumerate(ref["fit"]):
        table = sol.model_fit(m)
        for row in fit["table"]:
            got = table.loc[row["_row"]]
            assert got["consistency"] == pytest.approx(row["inclS"], abs=TOL)
            assert got["PRI"] == pytest.approx(row["PRI"], abs=TOL)
            assert got["coverage"] == pytest.approx(row["covS"], abs=TOL)
            if row["covU"] is not None:
                assert got["unique_coverage"] == pytest.approx(row["covU"], abs=TOL)
            if "cases" in row:
                assert got["cases"] == row["cases"]
        model_row = table.iloc[-1]
        assert model_row["consistency"] == pytest.approx(fit["model"][0]["inclS"], abs=TOL)
        assert model_row["PRI"] == pytest.approx(fit["model"][0]["PRI"], abs=TOL)
        assert model_row["coverage"] == pytest.approx(fit["model"][0]["covS"], abs=TOL)


def test_published_lipset_solutions():
    # Rihoux & De Meur (2009, p. 57): crisp Lipset, complex and parsimonious
    assert _solution("LC", "complex").models == ["DEV*~URB*LIT*STB + DEV*LIT*IND*STB"]
    assert _solution("LC", "parsimonious").models == ["DEV*STB"]
    # Ragin (2009, p. 112): fuzzy Lipset parsimonious
    assert _solution("LF", "parsimonious").models == ["DEV*~IND + URB*STB"]


def test_negated_outcome_lipset_crisp():
    # R QCA 3.25 on ~SURV (research note, section 5): parsimonious ~DEV + ~STB,
    # covS .800/.700, covU .300/.200
    tt = qca.truth_table(_data("LC"), outcome="~SURV", conditions=SETS["LC"]["conditions"],
                         consistency_cutoff=1)
    sol = qca.minimize(tt, solution="parsimonious")
    assert sol.models == ["~DEV + ~STB"]
    # crisp data: ratios of case counts (8/10 ...), one rounding each; approx's default suffices
    assert sol.fit_table.loc["~DEV", "coverage"] == pytest.approx(0.8)
    assert sol.fit_table.loc["~STB", "coverage"] == pytest.approx(0.7)
    assert sol.fit_table.loc["~DEV", "unique_coverage"] == pytest.approx(0.3)
    assert sol.fit_table.loc["~STB", "unique_coverage"] == pytest.approx(0.2)
    complex_ = qca.minimize(tt)
    assert set(complex_.models[0].split(" + ")) == {"~DEV*~URB*~IND", "DEV*LIT*IND*~STB"}


def test_quine_cyclic_function_two_models():
    # Quine (1952): ON = all but 000 and 111 has two minimal sums of three terms
    rows = [(0, 0, 1), (0, 1, 0), (0, 1, 1), (1, 0, 0), (1, 0, 1), (1, 1, 0)]
    df = pd.DataFrame(rows, columns=["P", "Q", "R"])
    df["OUT"] = 1
    df = pd.concat([df, pd.DataFrame([(0, 0, 0, 0), (1, 1, 1, 0)], columns=df.columns)])
    df.index = [f"c{i}" for i in range(len(df))]
    sol = qca.minimize(qca.truth_table(df, outcome="OUT", conditions=["P", "Q", "R"],
                                       consistency_cutoff=1))
    assert sol.models == ["~P*Q + P*~R + ~Q*R", "~P*R + P*~Q + Q*~R"]
    assert len(sol.fit_table.filter(like="unique_coverage_M").columns) == 2


# ------------------------------------------------------------------- necessity
@pytest.mark.parametrize("name", list(SETS))
def test_necessity_matches_r(name):
    s = SETS[name]
    got = qca.necessity(_data(name), outcome=s["outcome"], conditions=s["conditions"])
    assert list(got.index) == [lit for c in s["conditions"] for lit in (c, f"~{c}")]
    for ref in s["necessity"]:
        for lit, side in ((ref["condition"], "pos"), (f"~{ref['condition']}", "neg")):
            assert got.loc[lit, "consistency"] == pytest.approx(ref[side]["inclN"], abs=TOL)
            assert got.loc[lit, "coverage"] == pytest.approx(ref[side]["covN"], abs=TOL)
            assert got.loc[lit, "RoN"] == pytest.approx(ref[side]["RoN"], abs=TOL)


# ------------------------------------------- second R source (setqca's R fixture)
R2 = json.loads((REF / "qca_r325_second_source.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", R2["calibration"], ids=lambda e: e["id"])
def test_calibration_matches_second_r_source(entry):
    e, c, i = entry["thresholds"]
    got = qca.calibrate(entry["values"], exclusion=e, crossover=c, inclusion=i, method=entry["method"])
    np.testing.assert_allclose(got, entry["expected"], rtol=0, atol=1e-12)  # 15-17 digits, same formula


@pytest.mark.parametrize("entry", R2["pof"], ids=lambda e: f"{e['relation']}-{e['expression']}")
def test_parameters_of_fit_match_second_r_source(entry):
    lf = _data("LF")
    x = qca.membership(lf, entry["expression"], conditions=SETS["LF"]["conditions"])
    if entry["relation"] == "sufficiency":
        got = qca.sufficiency_fit(x, lf["SURV"])
        keys = ("consistency", "coverage", "PRI")
    else:
        got = qca.necessity_fit(x, lf["SURV"])
        keys = ("consistency", "coverage", "RoN")
    for key in keys:
        assert got[key] == pytest.approx(entry[key], abs=1e-12)  # 15-17 digits, one ratio: measured 3e-16


@pytest.mark.parametrize("entry", R2["analyses"], ids=lambda e: e["id"])
def test_lipset_fuzzy_variants_match_second_r_source(entry):
    tt = qca.truth_table(_data("LF"), outcome="SURV", conditions=entry["conditions"],
                         consistency_cutoff=entry["incl_cut"])
    if "truth_table" in entry:
        table = tt.table
        assert list(table.index - 1) == [row[0] for row in entry["truth_table"]]
        for (_, got), (_, n, incl, pri, out) in zip(table.iterrows(), entry["truth_table"]):
            assert (got["n"], got["OUT"]) == (n, out)
            assert got["consistency"] == pytest.approx(incl, abs=TOL)
            assert got["PRI"] == pytest.approx(pri, abs=TOL)
    else:
        assert tt.configurations("1").tolist() == entry["positive_minterms"]
    assert qca.minimize(tt).models == entry["complex"]
    assert qca.minimize(tt, solution="parsimonious").models == entry["parsimonious"]


@pytest.mark.parametrize("entry", R2["intermediate"], ids=lambda e: e["id"])
def test_intermediate_counterfactuals_match_second_r_source(entry):
    tt = qca.truth_table(_data("LF"), outcome="SURV", conditions=entry["conditions"],
                         consistency_cutoff=entry["incl_cut"])
    sol = qca.minimize(tt, solution="intermediate", directional=entry["directional"])
    assert sol.models == entry["models"]
    (pair,) = sol.pairs
    assert pair.simplifying.tolist() == entry["simplifying_assumptions"]
    assert pair.easy.tolist() == entry["easy"]
