"""QCA API: input checks, calibration schemes, cut-offs, model cap, case-base pivot,
robustness grid and the XY plot."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from coanalysis import qca
from coanalysis.errors import DataError


REF = Path(__file__).parent / "reference"


def _quine_frame():
    rows = [(0, 0, 1, 1), (0, 1, 0, 1), (0, 1, 1, 1), (1, 0, 0, 1), (1, 0, 1, 1), (1, 1, 0, 1),
            (0, 0, 0, 0), (1, 1, 1, 0)]
    return pd.DataFrame(rows, columns=["P", "Q", "R", "OUT"], index=[f"c{i}" for i in range(8)],
                        dtype=float)


# ----------------------------------------------------------------- calibration
def test_calibrate_keeps_series_index_and_na():
    s = pd.Series([400.0, np.nan, 900.0], index=["a", "b", "c"], name="DEV")
    out = qca.calibrate(s, exclusion=400, crossover=550, inclusion=900)
    assert list(out.index) == ["a", "b", "c"] and out.name == "DEV"
    assert np.isnan(out["b"])
    assert out["a"] == pytest.approx(0.05)


def test_calibrate_rejects_unordered_anchors():
    with pytest.raises(ValueError, match="strictly ordered"):
        qca.calibrate([1, 2], exclusion=5, crossover=1, inclusion=9)
    with pytest.raises(ValueError, match="finite"):
        qca.calibrate([1, 2], exclusion=np.nan, crossover=1, inclusion=9)


def test_calibrate_rejects_text():
    with pytest.raises(DataError):
        qca.calibrate(["a", "b"], exclusion=0, crossover=1, inclusion=2)


def test_calibrate_linear_formula():
    # piecewise linear: 0 at e, 0.5 at c, 1 at i; 0.25 and 0.75 halfway
    out = qca.calibrate([-1, 0, 5, 10, 15, 20, 30], exclusion=0, crossover=10, inclusion=20,
                        method="linear")
    np.testing.assert_allclose(out, [0, 0, 0.25, 0.5, 0.75, 1, 1])


def test_calibrate_is_monotone_and_snaps_extremes():
    x = np.linspace(0, 2000, 401)
    out = qca.calibrate(x, exclusion=400, crossover=550, inclusion=900)
    assert np.all(np.diff(out) >= 0)
    assert out[0] == 0.0 and out[-1] == 1.0  # beyond 1e-4 of the bounds, as R QCA


def test_calibrate_crisp_threshold_goes_up():
    assert qca.calibrate_crisp([1, 5, 9, np.nan], thresholds=5)[:3].tolist() == [0, 1, 1]
    assert qca.calibrate_crisp([1, 5, 9], thresholds=[3, 9]).tolist() == [0, 1, 2]


def test_calibrate_codebook_lists_every_bad_value():
    assert qca.calibrate_codebook(pd.Series([0, 0.33, np.nan, 1])).iloc[1] == 0.33
    with pytest.raises(DataError) as err:
        qca.calibrate_codebook(pd.Series([0.5, 0.67, 2.0], index=["x", "y", "z"]))
    assert len(err.value.problems) == 2
    assert "0.5 is excluded" in str(err.value)


# ----------------------------------------------------------------- truth table
def test_truth_table_reports_every_invalid_score():
    df = pd.DataFrame({"A": [0.2, np.nan, 1.4], "Y": [1, 0, 1]}, index=["a", "b", "c"])
    with pytest.raises(DataError) as err:
        qca.truth_table(df, outcome="Y", conditions=["A"])
    assert len(err.value.problems) == 2
    assert "case 'b'" in str(err.value) and "case 'c'" in str(err.value)


def test_truth_table_argument_checks():
    df = _quine_frame()
    with pytest.raises(KeyError):
        qca.truth_table(df, outcome="OUT", conditions=["P", "X"])
    with pytest.raises(ValueError, match="outcome"):
        qca.truth_table(df, outcome="OUT", conditions=["P", "OUT"])
    with pytest.raises(ValueError, match="n_cutoff"):
        qca.truth_table(df, outcome="OUT", conditions=["P"], n_cutoff=0)
    with pytest.raises(ValueError, match="consistency_cutoff"):
        qca.truth_table(df, outcome="OUT", conditions=["P"], consistency_cutoff=1.5)


def test_case_at_crossover_warns_and_is_in_no_row():
    df = pd.DataFrame({"A": [0.5, 0.8, 0.2], "Y": [1, 1, 0]}, index=["amb", "in", "out"])
    with pytest.warns(qca.QCAWarning, match="amb"):
        tt = qca.truth_table(df, outcome="Y", conditions=["A"])
    assert tt.table["n"].sum() == 2
    assert "amb" not in ",".join(tt.table["cases"])


def test_n_cutoff_pri_cutoff_and_contradictions():
    df = pd.DataFrame({"A": [1, 1, 0, 0, 0], "B": [1, 1, 0, 1, 1], "Y": [1, 1, 0, 1, 0]},
                      index=list("abcde"), dtype=float)
    tt = qca.truth_table(df, outcome="Y", conditions=["A", "B"], consistency_cutoff=1, n_cutoff=2)
    out = tt.table["OUT"]
    assert out.loc[4] == "1" and out.loc[1] == "?" and out.loc[2] == "0"  # row 00 has 1 case
    tt = qca.truth_table(df, outcome="Y", conditions=["A", "B"], consistency_cutoff=(1, 0.5))
    assert tt.table["OUT"].loc[2] == "C"  # row 01: consistency 0.5
    fuzzy = pd.DataFrame({"A": [0.9, 0.8], "Y": [0.7, 0.4]}, index=["a", "b"])
    # row A: consistency (0.7+0.4)/1.7 = 0.647; PRI = (1.1-0.7)/(1.7-0.7) = 0.4
    tt = qca.truth_table(fuzzy, outcome="Y", conditions=["A"], consistency_cutoff=0.6, pri_cutoff=0.5)
    assert tt.table["consistency"].iloc[-1] == pytest.approx(1.1 / 1.7)
    assert tt.table["PRI"].iloc[-1] == pytest.approx(0.4)
    assert tt.table["OUT"].iloc[-1] == "0"


def test_truth_table_repr_and_complete_view():
    tt = qca.truth_table(_quine_frame(), outcome="OUT", conditions=["P", "Q", "R"], consistency_cutoff=1)
    assert "6 positive, 2 negative, 0 remainders of 8" in repr(tt)
    full = qca.truth_table(_quine_frame().iloc[:6], outcome="OUT", conditions=["P", "Q", "R"],
                           complete=True)
    assert len(full.table) == 8 and (full.table["OUT"] == "?").sum() == 2
    assert full.remainder_share == pytest.approx(0.25)


# -------------------------------------------------------------------- minimize
def test_nothing_to_minimise_raises_data_error():
    df = pd.DataFrame({"A": [1, 0], "Y": [0, 0]}, index=["a", "b"], dtype=float)
    with pytest.raises(DataError, match="positive row"):
        qca.minimize(qca.truth_table(df, outcome="Y", conditions=["A"]))


def test_max_models_cap_warns_and_lists_fewer():
    tt = qca.truth_table(_quine_frame(), outcome="OUT", conditions=["P", "Q", "R"], consistency_cutoff=1)
    with pytest.warns(qca.QCAWarning, match="max_models=1"):
        sol = qca.minimize(tt, max_models=1)
    assert len(sol.models) == 1 and not sol.complete
    assert "capped" in sol.summary()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert qca.minimize(tt, max_models=2).complete  # exactly two exist: no warning


def test_directional_checks():
    tt = qca.truth_table(_quine_frame(), outcome="OUT", conditions=["P", "Q", "R"], consistency_cutoff=1)
    with pytest.raises(ValueError, match="directional"):
        qca.minimize(tt, directional={"P": 2})
    with pytest.raises(ValueError, match="directional"):
        qca.minimize(tt, directional={"Z": 1})


def test_solution_memberships_and_summary():
    tt = qca.truth_table(_quine_frame(), outcome="OUT", conditions=["P", "Q", "R"], consistency_cutoff=1)
    sol = qca.minimize(tt)
    cm = sol.case_membership("M2")
    assert list(cm.columns) == ["~P*R", "P*~Q", "Q*~R", sol.models[1], "OUT"]
    np.testing.assert_array_equal(cm[sol.models[1]], _quine_frame()["OUT"])
    assert "model ambiguity: 2 minimal models" in sol.summary()
    assert repr(sol).startswith("Solution(complex")
    assert sorted(sol.covered_configurations(0).tolist()) == [1, 2, 3, 4, 5, 6]
    with pytest.raises(KeyError):
        sol.case_membership("nope")


def test_membership_and_parse_errors():
    df = pd.DataFrame({"A": [0.8, 0.2], "B": [0.3, 0.9]}, index=["x", "y"])
    np.testing.assert_allclose(qca.membership(df, "A*~B + B"), [0.7, 0.9])
    with pytest.raises(ValueError, match="unknown condition"):
        qca.membership(df, "A*C")
    with pytest.raises(ValueError, match="both"):
        qca.parse_expression("A*~A", ["A"])
    assert qca.negate(df, "A").tolist() == pytest.approx([0.2, 0.8])


# ------------------------------------------------------------------- case base
class _FixtureCaseBase:
    """A small tidy case base as load_casebase() returns it."""

    cases = pd.DataFrame({"case_id": ["a", "b", "c", "d"], "parent_case": [None, "a", None, None]})
    conditions = pd.DataFrame({
        "case_id": ["a", "a", "b", "b", "c", "c", "d"],
        "condition": ["experimenter", "transversalite"] * 3 + ["experimenter"],
        "score": pd.array([1, 0.67, 0.33, 1, None, 0, 1], dtype="Float64"),
    })
    outcomes = pd.DataFrame({"case_id": ["a", "b", "c", "d"], "outcome": ["perennisation"] * 4,
                             "score": pd.array([0.67, 1, 0, 0.33], dtype="Float64")})


def test_from_casebase_pivots_and_reports_drops():
    cm = qca.from_casebase(_FixtureCaseBase(), outcome="perennisation",
                           conditions=["experimenter", "transversalite"])
    assert list(cm.data.index) == ["a", "b"]
    assert list(cm.data.columns) == ["experimenter", "transversalite", "perennisation"]
    assert cm.data.loc["b", "experimenter"] == pytest.approx(0.33)
    reasons = dict(zip(cm.dropped["case_id"], cm.dropped["reason"]))
    assert reasons == {"c": "NA or not coded: experimenter", "d": "NA or not coded: transversalite"}
    assert cm.dependent.values.tolist() == [["b", "a"]]
    assert "kept 2, dropped 2" in repr(cm)
    tt = qca.truth_table(cm.data, outcome="perennisation", conditions=cm.conditions)
    assert tt.table["n"].sum() == 2


def test_from_casebase_checks():
    with pytest.raises(ValueError, match="unknown condition"):
        qca.from_casebase(_FixtureCaseBase(), outcome="perennisation", conditions=["nope"])
    with pytest.raises(ValueError, match="unknown outcome"):
        qca.from_casebase(_FixtureCaseBase(), outcome="nope", conditions=["experimenter"])

    class Bad(_FixtureCaseBase):
        outcomes = pd.DataFrame({"case_id": ["a"], "outcome": ["perennisation"], "score": [0.5]})

    with pytest.raises(DataError, match="four-value"):
        qca.from_casebase(Bad(), outcome="perennisation", conditions=["experimenter"])


# ------------------------------------------------------------------ robustness
def test_robustness_reports_threshold_dependence():
    # row A*B has consistency 0.8: in the solution at cut-off 0.8, not at 0.9
    df = pd.DataFrame({"A": [1, 1, 1, 1, 1, 0, 0], "B": [1, 1, 1, 1, 1, 0, 1],
                       "Y": [1, 1, 1, 1, 0, 0, 0]}, index=list("abcdefg"), dtype=float)
    rob = qca.robustness(df, outcome="Y", conditions=["A", "B"], consistency_cutoffs=[0.8, 0.9])
    assert rob.table["models"].tolist() == ["A", ""]
    assert rob.terms.loc["A", "in_all_models"] == pytest.approx(0.5)
    assert "2 runs" in repr(rob)
    surv = rob.survival()
    assert surv["run"].tolist() == ["incl 0.8", "incl 0.9"]
    assert surv["share"].iloc[0] == 1.0 and np.isnan(surv["share"].iloc[1])
    with pytest.raises(ValueError, match="directional"):
        qca.robustness(df, outcome="Y", conditions=["A", "B"], solution="intermediate")
    with pytest.raises(ValueError, match="max_runs"):
        qca.robustness(df, outcome="Y", conditions=["A", "B"], consistency_cutoffs=[0.8, 0.9],
                       max_runs=1)


def test_robustness_recalibrates_raw_anchors():
    raw = pd.DataFrame({"X": [10.0, 20, 30, 40], "Y": [0, 0, 1, 1]}, index=list("abcd"))
    rob = qca.robustness(raw, outcome="Y", conditions=["X"], consistency_cutoffs=[0.8],
                         anchors={"X": [(5, 25, 45), (5, 35, 45)]})
    assert rob.table["anchors"].tolist() == ["X=5/25/45", "X=5/35/45"]
    # by hand (direct method, L = ln 19): with 5/25/45 the row X has consistency
    # (0.676 + 0.901) / (0.099 + 0.324 + 0.676 + 0.901) = 0.789 < 0.8; with 5/35/45 it is
    # (0.380 + 0.813) / (0.079 + 0.187 + 0.380 + 0.813) = 0.818 >= 0.8
    assert rob.table["n_positive"].tolist() == [0, 1]


# ------------------------------------------------------------------------ plot
def test_xy_plot_draws_and_labels():
    import matplotlib.pyplot as plt

    df = pd.DataFrame({"A": [0.2, 0.9], "Y": [0.4, 1.0], "case": ["x", "y"]})
    ax = qca.xy_plot(df, x="A", y="Y", label="case")
    assert ax.get_xlabel() == "Appartenance à A"
    assert len(ax.collections[0].get_offsets()) == 2
    ax2 = qca.xy_plot(df, x="A", y="Y", lang="en")
    assert ax2.get_ylabel() == "Membership in Y"
    with pytest.raises(KeyError):
        qca.xy_plot(df, x="B", y="Y")
    coded = pd.DataFrame({"experimenter": [0.33, 1.0], "perennisation": [0.67, 1.0]})
    ax3 = qca.xy_plot(coded, x="experimenter", y="perennisation")
    assert ax3.get_xlabel() == "Appartenance à Expérimenter"
    assert ax3.get_ylabel() == "Appartenance à Pérennisation"
    ax4 = qca.xy_plot(coded, x="experimenter", y="perennisation", lang="en")
    assert ax4.get_ylabel() == "Membership in Lasting beyond the pilot"
    plt.close("all")


# -------------------------------------------------------------------- doctests
@pytest.mark.parametrize("module", ["_boolean", "calibrate", "fit", "truth_table", "minimize",
                                    "necessity", "robustness", "casebase", "simulate", "plots"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    mod = importlib.import_module(f"coanalysis.qca.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_contradictions_are_not_explained():
    # row A*~B (consistency 0.5) is a contradiction with cut-offs (1, 0.5): it stays OFF
    df = pd.DataFrame({"A": [1, 1, 1, 0], "B": [1, 0, 0, 0], "Y": [1, 1, 0, 0]},
                      index=list("abcd"), dtype=float)
    tt = qca.truth_table(df, outcome="Y", conditions=["A", "B"], consistency_cutoff=(1, 0.5))
    assert tt.table["OUT"].tolist() == ["0", "C", "1"]
    sol = qca.minimize(tt, remainders=True)
    assert sol.models == ["B"]  # A alone would cover the contradictory row A*~B


def test_fit_rows_equal_the_fit_of_case_memberships():
    df = pd.read_csv(REF / "qca_cebotari_vink_fuzzy.csv").set_index("case")
    conds = ["DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE"]
    tt = qca.truth_table(df, outcome="PROTEST", conditions=conds, consistency_cutoff=0.85)
    sol = qca.minimize(tt, remainders=True)
    for i, model in enumerate(sol.models):
        cm = sol.case_membership(i)
        np.testing.assert_allclose(cm[model], qca.membership(df, model, conditions=conds))
        fit = qca.sufficiency_fit(cm[model], df["PROTEST"])
        assert fit["consistency"] == pytest.approx(sol.fit.loc[f"M{i + 1}", "consistency"])
        assert fit["coverage"] == pytest.approx(sol.fit.loc[f"M{i + 1}", "coverage"])


def test_robustness_of_an_intermediate_solution():
    df = pd.read_csv(REF / "qca_lipset_fuzzy.csv").set_index("case")
    conds = ["DEV", "URB", "LIT", "IND", "STB"]
    rob = qca.robustness(df, outcome="SURV", conditions=conds, consistency_cutoffs=[0.8, 0.9],
                         solution="intermediate", directional={c: 1 for c in conds})
    # R QCA 3.25: at 0.8 the intermediate model is DEV*URB*LIT*STB + DEV*LIT*~IND*STB
    assert rob.table["models"].iloc[0] == "DEV*URB*LIT*STB + DEV*LIT*~IND*STB"
    assert rob.terms.loc["DEV*URB*LIT*STB", "runs"] >= 1
