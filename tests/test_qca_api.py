"""QCA API: input checks, calibration schemes, cut-offs, model cap, case-base pivot,
robustness grid and the XY plot.

Tolerances: expected values are the same closed forms by hand (set memberships, sums of
minima, logistic calibration): a few ulps, so pytest.approx's and assert_allclose's defaults
(rel 1e-6, rtol 1e-7) only absorb decimal representation.
"""

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
from coanalysis.codebook import set_label
from coanalysis.figures.qca import xy_plot, xy_points


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
    with pytest.raises(DataError, match=r"lacks the column\(s\) \['X'\]"):
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


def test_truth_table_summary_and_complete_view():
    tt = qca.truth_table(_quine_frame(), outcome="OUT", conditions=["P", "Q", "R"], consistency_cutoff=1)
    assert "6 positive, 2 negative, 0 remainders of 8" in tt.summary()
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
        qca.minimize(tt, solution="intermediate", directional={"P": 2})
    with pytest.raises(ValueError, match="directional"):
        qca.minimize(tt, solution="intermediate", directional={"Z": 1})


@pytest.mark.parametrize("call", [qca.minimize, lambda tt, **kw: qca.robustness(
    _quine_frame(), outcome="OUT", conditions=["P", "Q", "R"], consistency_cutoffs=[1], **kw)],
    ids=["minimize", "robustness"])
def test_solution_is_chosen_by_one_rule_in_minimize_and_robustness(call):
    tt = qca.truth_table(_quine_frame(), outcome="OUT", conditions=["P", "Q", "R"], consistency_cutoff=1)
    with pytest.raises(ValueError, match="solution must be one of 'complex', 'parsimonious', "
                                         "'intermediate', got 'conservative'"):
        call(tt, solution="conservative")
    for empty in (None, {}):
        with pytest.raises(ValueError, match=r"solution='intermediate' needs directional"):
            call(tt, solution="intermediate", directional=empty)
    # expectations given to another solution would be silently unused: refused
    with pytest.raises(ValueError, match="used by solution='intermediate' only, got solution='complex'"):
        call(tt, solution="complex", directional={"P": 1})


def test_solution_names_the_remainders_used():
    # A*B positive, ~A*~B negative, A*~B and ~A*B without cases: the complex solution may not
    # use the two remainders (A*B), the parsimonious one may (A, or B: two tied models)
    df = pd.DataFrame({"A": [1, 0], "B": [1, 0], "Y": [1, 0]}, index=["a", "b"], dtype=float)
    tt = qca.truth_table(df, outcome="Y", conditions=["A", "B"], consistency_cutoff=1)
    assert qca.minimize(tt).models == qca.minimize(tt, solution="complex").models == ["A*B"]
    parsimonious = qca.minimize(tt, solution="parsimonious")
    assert parsimonious.kind == "parsimonious" and sorted(parsimonious.models) == ["A", "B"]


def test_solution_memberships_and_summary():
    tt = qca.truth_table(_quine_frame(), outcome="OUT", conditions=["P", "Q", "R"], consistency_cutoff=1)
    sol = qca.minimize(tt)
    cm = sol.case_membership("M2")
    assert list(cm.columns) == ["~P*R", "P*~Q", "Q*~R", sol.models[1], "OUT"]
    np.testing.assert_array_equal(cm[sol.models[1]], _quine_frame()["OUT"])
    assert "model ambiguity: 2 minimal models" in sol.summary()
    assert repr(sol) == "<Solution: complex solution of 'OUT', 2 model(s)>"
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
                           conditions=["experimenter", "transversalite"], lang="en")
    assert list(cm.data.index) == ["a", "b"]
    assert list(cm.data.columns) == ["experimenter", "transversalite", "perennisation"]
    assert cm.data.loc["b", "experimenter"] == pytest.approx(0.33)
    assert dict(zip(cm.dropped["case_id"], cm.dropped["missing"])) == {"c": "experimenter",
                                                                       "d": "transversalite"}
    reasons = dict(zip(cm.dropped["case_id"], cm.dropped["reason"]))
    assert reasons == {"c": "NA or not coded: Experiment", "d": "NA or not coded: Foster cross-cutting work"}
    assert cm.dependent.values.tolist() == [["b", "a"]]
    assert "kept 2, dropped 2" in repr(cm)
    assert "  not independent: b is part of a" in cm.summary().splitlines()
    tt = qca.truth_table(cm.data, outcome="perennisation", conditions=cm.conditions)
    assert tt.table["n"].sum() == 2


def test_from_casebase_drop_reasons_in_french_from_codebook_labels():
    from coanalysis.codebook import CONDITIONS, OUTCOMES

    class NoOutcome(_FixtureCaseBase):  # case d has neither transversalite nor an outcome score
        outcomes = _FixtureCaseBase.outcomes.iloc[:3]

    cm = qca.from_casebase(NoOutcome(), outcome="perennisation",
                           conditions=["experimenter", "transversalite"], lang="fr")
    reasons = dict(zip(cm.dropped["case_id"], cm.dropped["reason"]))
    # French typography: U+00A0 before ":" (never a plain space)
    assert reasons["c"] == "NA ou non codé\u00a0: Expérimenter"
    assert reasons["d"] == "NA ou non codé\u00a0: Favoriser la transversalité, Pérennisation"
    # the words come from the codebook, not from a copy
    assert CONDITIONS.label("transversalite", "fr") in reasons["d"]
    assert OUTCOMES.label("perennisation", "fr") in reasons["d"]
    assert cm.dropped.loc[cm.dropped["case_id"] == "d", "missing"].item() == "transversalite, perennisation"
    assert "  écarté c\u00a0: NA ou non codé\u00a0: Expérimenter" in cm.summary().splitlines()
    assert "  non indépendant\u00a0: b fait partie de a" in cm.summary().splitlines()
    assert " :" not in cm.summary()


@pytest.mark.parametrize("env, start", [("fr", "NA ou non codé"), ("en", "NA or not coded")])
def test_from_casebase_language_defaults_to_coanalysis_lang(monkeypatch, env, start):
    monkeypatch.setenv("COANALYSIS_LANG", env)
    cm = qca.from_casebase(_FixtureCaseBase(), outcome="perennisation",
                           conditions=["experimenter", "transversalite"])
    assert cm.dropped["reason"].str.startswith(start).all()
    with pytest.raises(ValueError, match="lang"):
        qca.from_casebase(_FixtureCaseBase(), outcome="perennisation", conditions=["experimenter"],
                          lang="de")


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
    surv = rob.survival(lang="en")
    assert surv["run"].tolist() == ["0.8", "0.9"]
    assert rob.survival(lang="fr")["run"].tolist() == ["0,8", "0,9"]
    assert surv["share"].iloc[0] == 1.0 and np.isnan(surv["share"].iloc[1])
    assert surv["n_models"].tolist() == [1, 0]
    with pytest.raises(ValueError, match="directional"):
        qca.robustness(df, outcome="Y", conditions=["A", "B"], solution="intermediate")
    with pytest.raises(ValueError, match="max_runs"):
        qca.robustness(df, outcome="Y", conditions=["A", "B"], consistency_cutoffs=[0.8, 0.9],
                       max_runs=1)


def _cyclic_frame():
    # the cyclic function Y = Σm(0, 1, 2, 5, 6, 7) of three variables, one crisp case per
    # configuration: its cover has two minimal forms, ~A*~B + A*C + B*~C and ~A*~C + A*B + ~B*C,
    # with no term in common (McCluskey 1956's cyclic example, solved by Petrick's method)
    import itertools

    on = {0, 1, 2, 5, 6, 7}
    rows = [(a, b, c, int(4 * a + 2 * b + c in on)) for a, b, c in itertools.product([0, 1], repeat=3)]
    return pd.DataFrame(rows, columns=["A", "B", "C", "Y"], index=[f"c{i}" for i in range(8)], dtype=float)


def test_survival_is_the_share_of_tied_models_holding_each_term():
    rob = qca.robustness(_cyclic_frame(), outcome="Y", conditions=["A", "B", "C"], solution="complex",
                         consistency_cutoffs=[1], n_cutoffs=[1, 2])
    surv = rob.survival(lang="fr")
    assert list(surv.columns) == ["run", "consistency_cutoff", "n_cutoff", "pri_cutoff", "outcome",
                                  "solution", "term", "n_models", "share"]
    assert set(surv["outcome"]) == {"Y"} and set(surv["solution"]) == {"complex"}
    # 2 runs × 6 terms; at n ≥ 1 each term is in one of the two tied models; at n ≥ 2 no row
    # has two cases, so there is no solution and every share is NA
    assert len(surv) == 12
    assert sorted(surv["term"].unique()) == sorted(["~A*~B", "A*C", "B*~C", "~A*~C", "A*B", "~B*C"])
    first = surv[surv["n_cutoff"] == 1]
    assert first["run"].unique().tolist() == ["n ≥ 1"]
    assert (first["share"] == 0.5).all() and (first["n_models"] == 2).all()
    assert surv.loc[surv["n_cutoff"] == 2, "share"].isna().all()
    # the frame is what survival_grid needs: (run, term) unique, shares in [0, 1] or NA
    assert not surv.duplicated(["run", "term"]).any()
    # terms and survival agree: in_some_model counts runs where the share is > 0
    some = surv.groupby("term")["share"].apply(lambda s: (s > 0).sum() / s.size)
    assert some.to_dict() == pytest.approx(rob.terms["in_some_model"].to_dict())


def test_robustness_models_are_lists_not_parsed_strings():
    rob = qca.robustness(_cyclic_frame(), outcome="Y", conditions=["A", "B", "C"], solution="complex",
                         consistency_cutoffs=[1])
    models = rob.models(0)
    assert len(models) == 2 and all(len(m) == 3 for m in models)
    assert [" + ".join(m) for m in models] == rob.table["models"].iloc[0].split(" | ")
    # a Robustness rebuilt from the table alone finds the same terms
    again = qca.Robustness(rob.table, "complex")
    pd.testing.assert_frame_equal(again.terms, rob.terms)


def test_pri_cutoff_column_is_nullable_float_in_every_solution():
    df = _quine_frame()
    for kind in ("complex", "parsimonious", "intermediate"):
        rob = qca.robustness(df, outcome="OUT", conditions=["P", "Q", "R"], solution=kind,
                             consistency_cutoffs=[1], pri_cutoffs=(None, 0.5),
                             directional={"P": 1} if kind == "intermediate" else None)
        assert rob.table["pri_cutoff"].dtype == "Float64", kind
        assert rob.table["pri_cutoff"].isna().tolist() == [True, False], kind
        assert rob.table["pri_cutoff"].iloc[0] is pd.NA
        assert rob.run_labels("fr") == ["sans PRI", "PRI ≥ 0,5"]
        assert rob.run_labels("en") == ["no PRI", "PRI ≥ 0.5"]
        assert rob.survival()["pri_cutoff"].dtype == "Float64"


def test_run_labels_use_common_decimals_and_name_only_varying_settings():
    df = pd.DataFrame({"A": [1, 1, 0, 0], "Y": [1, 1, 0, 0]}, dtype=float)
    rob = qca.robustness(df, outcome="Y", conditions=["A"], consistency_cutoffs=[0.75, 0.8, 0.9])
    assert rob.run_labels("fr") == ["0,75", "0,80", "0,90"]
    assert rob.run_labels("en") == ["0.75", "0.80", "0.90"]
    single = qca.robustness(df, outcome="Y", conditions=["A"], consistency_cutoffs=[0.8])
    assert single.run_labels("en") == ["run 1"] and single.run_labels("fr") == ["réglage 1"]
    with pytest.raises(ValueError, match="lang"):
        rob.run_labels("de")


def _cyclic_frame():
    # cyclic function Σm(0, 1, 2, 5, 6, 7): exactly two tied minimal covers (McCluskey 1956)
    import itertools

    on = {0, 1, 2, 5, 6, 7}
    return pd.DataFrame([(a, b, c, int(4 * a + 2 * b + c in on))
                         for a, b, c in itertools.product([0, 1], repeat=3)],
                        columns=["A", "B", "C", "Y"], dtype=float)


def test_robustness_records_capped_runs_and_warns_once():
    # max_models=1 < the two tied models: run 0 (n ≥ 1) is capped; run 1 (n ≥ 2) has no solution
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        rob = qca.robustness(_cyclic_frame(), outcome="Y", conditions=["A", "B", "C"], solution="complex",
                             consistency_cutoffs=[1], n_cutoffs=[1, 2], max_models=1)
    capped = [w for w in seen if issubclass(w.category, qca.QCAWarning)]
    assert len(capped) == 1  # one summary warning, not one per run
    assert "run 0 (n ≥ 1): 1 listed" in str(capped[0].message) and "run 1" not in str(capped[0].message)
    assert rob.table["complete"].tolist() == [False, True]
    assert rob.table["n_models"].tolist() == [1, 0]
    assert "capped in run(s) [0]" in rob.summary()
    # with room for both models, every run is complete and nothing is said
    with warnings.catch_warnings():
        warnings.simplefilter("error", qca.QCAWarning)
        full = qca.robustness(_cyclic_frame(), outcome="Y", conditions=["A", "B", "C"], solution="complex",
                              consistency_cutoffs=[1], n_cutoffs=[1, 2])
    assert full.table["complete"].tolist() == [True, True]
    assert full.table["n_models"].tolist() == [2, 0]


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
    ax = xy_plot(df, x="A", y="Y", label="case")
    assert ax.get_xlabel() == "Appartenance à A"
    assert len(ax.collections[0].get_offsets()) == 2
    assert sorted(t.get_text() for t in ax.texts) == ["x", "y"]
    ax2 = xy_plot(df, x="A", y="Y", lang="en")
    assert ax2.get_ylabel() == "Membership in Y"
    with pytest.raises(DataError, match=r"lacks the column\(s\) \['B'\]") as err:
        xy_plot(df, x="B", y="Y")
    assert err.value.problems[0].column == "B" and "parameter x=" in err.value.problems[0].expected
    plt.close("all")


def test_xy_plot_names_codebook_sets_mid_sentence():
    import matplotlib.pyplot as plt

    coded = pd.DataFrame({"experimenter": [0.33, 1.0], "perennisation": [0.67, 1.0],
                          "~portage_politique": [0.0, 0.33], "politique_rh": [0.67, 0.33]})
    ax = xy_plot(coded, x="experimenter", y="perennisation")
    # the capitalised codebook label "Pérennisation" is lower-cased inside the sentence
    assert ax.get_ylabel() == "Appartenance à « pérennisation »"
    assert ax.get_xlabel() == "Appartenance à « expérimenter »"
    ax_en = xy_plot(coded, x="experimenter", y="perennisation", lang="en")
    assert ax_en.get_ylabel() == "Membership in “lasting beyond the pilot”"
    ax_neg = xy_plot(coded, x="~portage_politique", y="perennisation")
    assert ax_neg.get_xlabel() == "Appartenance à « non portage politique fort »"
    assert set_label("~portage_politique", "en") == "not strong political sponsorship"
    assert set_label("politique_rh") == "politique RH adaptée"
    assert set_label("POL*ADM") is None
    from coanalysis.text import lower_first

    assert lower_first("RSA en Meurthe") == "RSA en Meurthe"  # an acronym keeps its capitals
    assert lower_first("Élus") == "élus"
    plt.close("all")


def _stacked():
    # five cases on three points: three at (1, 1), one at (0.67, 1), one at (0.33, 0)
    return pd.DataFrame({"X": [1.0, 0.67, 1.0, 0.33, 1.0], "Y": [1.0, 1.0, 1.0, 0.0, 1.0],
                         "case": ["a", "b", "c", "d", "e"]})


def test_xy_points_merges_cases_at_the_same_point():
    pts = xy_points(_stacked(), x="X", y="Y", label="case")
    assert pts[["X", "Y"]].values.tolist() == [[0.33, 0.0], [0.67, 1.0], [1.0, 1.0]]
    assert pts["n_cases"].tolist() == [1, 1, 3]
    assert pts["cases"].tolist() == ["d", "b", "a, c, e"]
    assert pts["n_cases"].sum() == len(_stacked())
    # floating-point noise (1 - 0.67 vs 0.33) does not split a point
    noisy = pd.DataFrame({"X": [1 - 0.67, 0.33], "Y": [1.0, 1.0]}, index=["p", "q"])
    assert xy_points(noisy, x="X", y="Y")["n_cases"].tolist() == [2]
    with pytest.raises(DataError, match="NA") as err:
        xy_points(pd.DataFrame({"X": [np.nan, 1.0], "Y": [1.0, np.nan]}, index=["p", "q"]), x="X", y="Y")
    assert [(p.column, "'p'" in p.hint or "'q'" in p.hint) for p in err.value.problems] == [("X", True),
                                                                                            ("Y", True)]
    with pytest.raises(DataError, match="label"):
        xy_points(_stacked(), x="X", y="Y", label="nom")


def test_xy_plot_count_grows_marker_area_and_labels_n():
    import matplotlib.pyplot as plt
    from coanalysis.figures.qca import BASE_AREA

    ax = xy_plot(_stacked(), x="X", y="Y", label="case")
    offsets = ax.collections[0].get_offsets()
    assert len(offsets) == 3
    sizes = ax.collections[0].get_sizes()
    # marker area proportional to the number of cases at the point
    assert sizes.tolist() == pytest.approx([BASE_AREA, BASE_AREA, 3 * BASE_AREA])
    texts = {t.get_text(): t.xy for t in ax.texts}
    assert set(texts) == {"n = 3", "b", "d"}  # single cases keep their own label
    assert tuple(texts["n = 3"]) == (1.0, 1.0)
    # without case labels, only merged points are annotated
    ax2 = xy_plot(_stacked(), x="X", y="Y")
    assert [t.get_text() for t in ax2.texts] == ["n = 3"]
    # count=False: one point (and one label) per case, as before
    ax3 = xy_plot(_stacked(), x="X", y="Y", label="case", count=False)
    assert len(ax3.collections[0].get_offsets()) == 5
    assert sorted(t.get_text() for t in ax3.texts) == ["a", "b", "c", "d", "e"]
    plt.close("all")


def test_xy_functions_live_in_figures_only():
    # the engine exposes no drawing function: that would bring plotting back under `import qca`
    import coanalysis.figures.qca as figures_qca

    assert not hasattr(qca, "xy_plot") and not hasattr(qca, "xy_points")
    assert "xy_plot" in figures_qca.__all__ and "xy_points" in figures_qca.__all__


def test_contradictions_are_not_explained():
    # row A*~B (consistency 0.5) is a contradiction with cut-offs (1, 0.5): it stays OFF
    df = pd.DataFrame({"A": [1, 1, 1, 0], "B": [1, 0, 0, 0], "Y": [1, 1, 0, 0]},
                      index=list("abcd"), dtype=float)
    tt = qca.truth_table(df, outcome="Y", conditions=["A", "B"], consistency_cutoff=(1, 0.5))
    assert tt.table["OUT"].tolist() == ["0", "C", "1"]
    sol = qca.minimize(tt, solution="parsimonious")
    assert sol.models == ["B"]  # A alone would cover the contradictory row A*~B


def test_fit_rows_equal_the_fit_of_case_memberships():
    df = pd.read_csv(REF / "qca_cebotari_vink_fuzzy.csv").set_index("case")
    conds = ["DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE"]
    tt = qca.truth_table(df, outcome="PROTEST", conditions=conds, consistency_cutoff=0.85)
    sol = qca.minimize(tt, solution="parsimonious")
    for i, model in enumerate(sol.models):
        cm = sol.case_membership(i)
        np.testing.assert_allclose(cm[model], qca.membership(df, model, conditions=conds))
        fit = qca.sufficiency_fit(cm[model], df["PROTEST"])
        assert fit["consistency"] == pytest.approx(sol.fit_table.loc[f"M{i + 1}", "consistency"])
        assert fit["coverage"] == pytest.approx(sol.fit_table.loc[f"M{i + 1}", "coverage"])


def test_robustness_of_an_intermediate_solution():
    df = pd.read_csv(REF / "qca_lipset_fuzzy.csv").set_index("case")
    conds = ["DEV", "URB", "LIT", "IND", "STB"]
    rob = qca.robustness(df, outcome="SURV", conditions=conds, consistency_cutoffs=[0.8, 0.9],
                         solution="intermediate", directional={c: 1 for c in conds})
    # R QCA 3.25: at 0.8 the intermediate model is DEV*URB*LIT*STB + DEV*LIT*~IND*STB
    assert rob.table["models"].iloc[0] == "DEV*URB*LIT*STB + DEV*LIT*~IND*STB"
    assert rob.terms.loc["DEV*URB*LIT*STB", "runs"] >= 1
