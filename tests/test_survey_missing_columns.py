"""A missing column is one error everywhere in survey/ and qca/: ``validation.require_columns``'s
:class:`DataError` naming the table, the missing column(s) and the columns present (no bare
``KeyError`` with its own wording)."""

import pandas as pd
import pytest

from coanalysis import qca
from coanalysis.errors import DataError
from coanalysis.survey import (
    Design,
    cronbach_alpha,
    item_statistics,
    likert_shares,
    ordinal_regression,
)
from coanalysis.survey.compare import group_gap


def _design() -> Design:
    d = pd.DataFrame({"y": [1.0, 2, 3, 4], "g": ["a", "a", "b", "b"],
                      "q": pd.Categorical(["1", "2", "1", "2"], categories=["1", "2"], ordered=True)})
    return Design(d)


CALLS = {
    "Design.mean": lambda d: d.mean("nope"),
    "Design.total": lambda d: d.total("nope"),
    "Design.share": lambda d: d.share("nope"),
    "Design.by": lambda d: d.by("nope"),
    "Design.rake": lambda d: d.rake({"nope": {"x": 4.0}}),
    "item_statistics": lambda d: item_statistics(d, ["nope"]),
    "item_statistics(where=)": lambda d: item_statistics(d, ["q"], where={"nope": 1}),
    "likert_shares": lambda d: likert_shares(d, ["nope"]),
    "group_gap": lambda d: group_gap(d, ["q"], "nope", first="a", second="b"),
    "cronbach_alpha": lambda d: cronbach_alpha(d.data, ["y", "nope"]),
    "ordinal_regression": lambda d: ordinal_regression(d.data, "nope", ["y"]),
    "qca.truth_table": lambda d: qca.truth_table(pd.DataFrame({"A": [1.0], "Y": [1.0]}),
                                                 outcome="Y", conditions=["A", "nope"]),
    "qca.robustness(anchors=)": lambda d: qca.robustness(
        pd.DataFrame({"A": [1.0, 0], "Y": [1.0, 0]}), outcome="Y", conditions=["A"],
        anchors={"nope": [(0, 0.5, 1)]}),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_missing_column_is_one_data_error(name):
    with pytest.raises(DataError, match=r"lacks the column\(s\) \['nope'\]; it has \[") as err:
        CALLS[name](_design())
    assert err.value.problems[0].column == "nope"


def test_from_casebase_names_the_table_without_its_column():
    class CB:
        conditions = pd.DataFrame({"case_id": ["a"], "condition": ["experimenter"]})
        outcomes = pd.DataFrame({"case_id": ["a"], "outcome": ["perennisation"], "score": [1.0]})
    with pytest.raises(DataError, match=r"the conditions table lacks the column\(s\) \['score'\]"):
        qca.from_casebase(CB(), outcome="perennisation", conditions=["experimenter"])


def test_estimates_and_compare_use_only_the_public_design():
    """Design.values / where / value_hint and critical_value are public: the survey statistics
    import no private name from another module and read no private attribute of a design."""
    import ast
    from pathlib import Path

    import coanalysis.survey as survey

    for name in ("estimates.py", "compare.py"):
        tree = ast.parse((Path(survey.__file__).parent / name).read_text(encoding="utf-8"))
        private = [a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                   for a in node.names if a.name.startswith("_")]
        attributes = [node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                      and isinstance(node.value, ast.Name) and node.value.id == "design"
                      and node.attr.startswith("_")]
        assert (private, attributes) == ([], []), name


def test_design_where_and_values_are_public():
    d = Design(pd.DataFrame({"y": [1.0, None, 3], "year": ["2025", "2025", "2026"]}))
    assert d.values("y")[[0, 2]].tolist() == [1.0, 3.0]
    assert d.where(None) is None and d.where({"year": "2026"}).tolist() == [False, False, True]
    with pytest.raises(ValueError, match=r"2025 \(int\) matches '2025' \(str\) only as text"):
        d.where({"year": 2025})
