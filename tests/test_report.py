"""coanalysis.report: numbers, tables and sentences shown by the notebooks and data/README.md."""

import pandas as pd
import pytest

from coanalysis import report
from coanalysis.text import NNBSP


def test_points_are_signed_percentage_points_in_the_default_language(monkeypatch):
    monkeypatch.setenv("COANALYSIS_LANG", "fr")
    assert report.points(-0.092) == "\u22129,2"  # minus sign U+2212, decimal comma
    monkeypatch.setenv("COANALYSIS_LANG", "en")
    assert report.points(0.0125, 2) == "+1.25"


def test_p_value_writes_less_than_below_the_last_decimal():
    assert report.p_value(0.00099, lang="fr") == "< 0,001"
    assert report.p_value(0.001, lang="fr") == "0,001"  # the bound itself is printed
    assert report.p_value(0.0449, 2, lang="en") == "0.04"
    assert report.p_value(float("nan"), lang="en") == "NA"


def test_french_list():
    assert report.french_list(["a"]) == "a"
    assert report.french_list(["a", "b"]) == "a et b"
    assert report.french_list([], empty="aucun") == "aucun"


def test_table_formats_then_renames_and_keeps_the_index():
    data = pd.DataFrame({"estimate": [0.45, None], "gap": [-0.092, 0.0], "n": [10, 12]}, index=["x", "y"])
    shown = report.table(data, {"estimate": "part", "gap": "écart"},
                         {"estimate": "percent:1", "gap": "points:1"}, lang="fr", na="—")
    assert shown.index.tolist() == ["x", "y"]
    assert shown.columns.tolist() == ["part", "écart", "n"]
    assert shown["part"].tolist() == [f"45,0{NNBSP}%", "—"]
    assert shown["écart"].tolist() == ["\u22129,2", "0,0"]  # zero carries no sign
    assert shown["n"].tolist() == [10, 12]  # unformatted columns untouched
    assert data["estimate"].iloc[0] == 0.45  # the input is not modified


def test_table_int_format_and_callable():
    data = pd.DataFrame({"a": [1.23456], "b": [2]})
    shown = report.table(data, formats={"a": 3, "b": lambda v: f"<{v}>"}, lang="en")
    assert shown.iloc[0].tolist() == ["1.235", "<2>"]


@pytest.mark.parametrize("formats, match", [({"missing": 2}, "does not have"), ({"a": "euros"}, "expected")])
def test_table_rejects_bad_formats(formats, match):
    with pytest.raises(ValueError, match=match):
        report.table(pd.DataFrame({"a": [1.0]}), formats=formats)


def test_published_value_needs_exactly_one_title():
    published = {"Satisfied to work": {"value": 0.7}, "Satisfied overall": {"value": 0.8}}
    assert report.published_value(published, "Satisfied to") == 0.7
    with pytest.raises(ValueError, match="2 published figures"):
        report.published_value(published, "Satisfied")
    with pytest.raises(ValueError, match="0 published figures"):
        report.published_value(published, "Proud")


def test_three_solutions_collects_each_engine_warning_once():
    from coanalysis import qca

    # two conditions, one positive row observed: the parsimonious solution uses remainders
    data = pd.DataFrame({"A": [1, 1, 0], "B": [1, 1, 0], "Y": [1, 1, 0]},
                        index=["c1", "c2", "c3"]).astype(float)
    tt = qca.truth_table(data, outcome="Y", conditions=["A", "B"])
    seen = []
    found = report.three_solutions(tt, {"A": 1, "B": 1}, seen)
    assert set(found) == set(report.SOLUTION_KINDS)
    assert found["complex"].models == ["A*B"]
    assert len(seen) == len(set(seen))
    assert report.count_rows(tt, "1") == 1 and report.count_rows(tt, "0") == 1


def test_outcome_summary_without_positive_row():
    data = pd.DataFrame({"A": [1.0, 0.0], "Y": [0.0, 0.0]}, index=["c1", "c2"])
    row = report.outcome_summary(data, "Y", ["A"], consistency_cutoff=0.8, n_cutoff=1, pri_cutoff=0.75,
                                 directional={"A": 1}, lang="en")
    assert row["cas"] == 2 and row["cas hors du résultat"] == 2
    assert row["lignes +"] == 0 and row["lignes −"] == 2
    assert row["part de restes"] == "0%"
    assert row["solution intermédiaire"] == "— (aucune ligne positive)"


def test_alpha_with_interval_cases():
    row = {"alpha": 0.9149, "alpha_low": 0.875, "alpha_high": 0.9449}
    assert report.alpha_with_interval(row, "fr") == f"0,91, IC à 95{NNBSP}% 0,88–0,94"
    assert report.alpha_with_interval({**row, "alpha_low": None}, "en") == "0.91"
    assert report.alpha_with_interval({**row, "alpha": float("nan")}, "en") == "—"


def test_notebooks_define_no_function():
    # issue #10: the notebooks load, call, show and export; their helpers are tested functions of
    # coanalysis.report (or of the module they belong to), not copies defined in a cell
    import ast
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "notebooks"
    found = []
    for path in sorted(root.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for k, cell in enumerate(cells):
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse("".join(cell["source"]))
            found += [f"{path.name} cell {k}: {node.name}" for node in ast.walk(tree)
                      if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    assert found == []


def test_fit_text_writes_the_models_consistency_and_coverage():
    from coanalysis import qca

    data = pd.DataFrame({"A": [0.8, 0.7, 0.2, 0.1], "B": [0.9, 0.3, 0.8, 0.2], "Y": [0.9, 0.6, 0.3, 0.2]},
                        index=list("abcd"))
    solution = qca.minimize(qca.truth_table(data, outcome="Y", conditions=["A", "B"], consistency_cutoff=0.8))
    assert solution.models == ["A"]  # the two rows with A present are positive, the two others not
    # by hand: sum min(A, Y) = 0.8 + 0.6 + 0.2 + 0.1 = 1.7; consistency 1.7 / sum A (1.8) = 0.944,
    # coverage 1.7 / sum Y (2.0) = 0.85
    assert report.fit_text(solution, lang="en") == "consistency 0.94, coverage 0.85"
    assert report.fit_text(solution, decimals=3, lang="fr") == "consistance 0,944, couverture 0,850"


def test_outcome_summary_view_translates_only_in_english():
    rows = pd.DataFrame([{"variante": "tous les cas", "cas": 12, "lignes +": 3,
                          "solution complexe": "A*B", "solution parcimonieuse": report.NO_SOLUTION}])
    assert report.outcome_summary_view(rows, lang="fr").equals(rows)  # French keys are the headers
    shown = report.outcome_summary_view(rows, {"variante": "variant"}, {"tous les cas": "all cases"}, lang="en")
    assert shown.columns.tolist() == ["variant", "cases", "rows +", "complex solution", "parsimonious solution"]
    assert shown.iloc[0].tolist() == ["all cases", 12, 3, "A*B", "— (no positive row)"]
    assert rows.columns[0] == "variante" and rows.iloc[0, -1] == report.NO_SOLUTION  # input untouched


def test_dropped_reasons_one_column_per_analysis_in_case_order():
    from types import SimpleNamespace

    def memberships(*dropped):
        return SimpleNamespace(dropped=pd.DataFrame(dropped, columns=["case_id", "missing", "reason"]))

    reasons = report.dropped_reasons(
        {"y1": memberships(("c", "x", "no x"), ("a", "x, z", "no x, z")), "y2": memberships(("b", "z", "no z"))},
        order=["a", "b", "c", "d"])
    assert reasons.index.tolist() == ["a", "b", "c"]  # every case dropped once at least, in the given order
    assert reasons.columns.tolist() == ["y1", "y2"]
    assert reasons.loc["a", "y1"] == "no x, z" and reasons.loc["b", "y2"] == "no z"
    assert reasons[["y1", "y2"]].isna().to_numpy().tolist() == [[False, True], [True, False], [False, True]]
    empty = report.dropped_reasons({"y1": memberships()})
    assert empty.empty and empty.columns.tolist() == ["y1"]


def test_ci_headers_name_the_level_in_the_language():
    assert report.ci_headers(lang="fr") == {"ci_low": f"IC 95{NNBSP}% bas", "ci_high": f"IC 95{NNBSP}% haut"}
    assert report.ci_headers(0.9, lang="en") == {"ci_low": "90% CI low", "ci_high": "90% CI high"}
    assert report.ci_headers(0.975, lang="fr")["ci_low"] == f"IC 97,5{NNBSP}% bas"  # not rounded to 98 %
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        report.ci_headers(95)
