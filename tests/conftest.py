"""Shared test settings: a non-interactive matplotlib backend and hypothesis profiles.

Under CI (``CI`` set), hypothesis runs derandomized so that a submission is judged on the same
examples every time; locally it explores new examples on each run.
"""

import os
from pathlib import Path

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# --------------------------------------------------------------------- small hand-made case bases
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from coanalysis import codebook  # noqa: E402

#: Columns of the tables built by ``make_casebase`` and the vocabulary of each coded column.
_TABLE_COLUMNS = {
    "conditions": (("case_id", None), ("condition", codebook.CONDITIONS), ("score", "Float64")),
    "outcomes": (("case_id", None), ("outcome", codebook.OUTCOMES), ("score", "Float64")),
    "participation": (("case_id", None), ("actor", codebook.ACTORS), ("stage", codebook.STAGES),
                      ("level", "Int64")),
    "flows": (("case_id", None), ("from_actor", codebook.ACTORS), ("to_actor", codebook.ACTORS),
              ("channel", None)),
}
_CASE_VOCABULARIES = {"corpus": codebook.CORPORA, "collectivity_type": codebook.COLLECTIVITY_TYPES,
                      "domain": codebook.DOMAINS}


def _typed_table(name, rows):
    spec = _TABLE_COLUMNS[name]
    table = pd.DataFrame(list(rows), columns=[column for column, _ in spec])
    for column, kind in spec:
        if kind is None:
            table[column] = table[column].astype("string")
        elif isinstance(kind, codebook.Vocabulary):
            table[column] = pd.Categorical(table[column], dtype=kind.dtype())
        else:
            table[column] = pd.array(table[column].tolist(), dtype=kind)
    return table


@pytest.fixture
def make_casebase():
    """Build a CaseBase typed as ``load_casebase()`` types it, from plain rows (None = NA).

    ``make_casebase(["a", "b"], conditions=[("a", "experimenter", 1.0)], ...,
    corpus=[...], population=[...])``: keyword columns of ``cases`` named after a
    codebook vocabulary become ordered categoricals, ``population`` ``Int64``.
    """
    from coanalysis.loaders import CaseBase

    def build(case_ids, *, conditions=(), outcomes=(), participation=(), flows=(), **case_columns):
        cases = pd.DataFrame({"case_id": pd.array(list(case_ids), dtype="string")})
        for column, values in case_columns.items():
            if column in _CASE_VOCABULARIES:
                cases[column] = pd.Categorical(values, dtype=_CASE_VOCABULARIES[column].dtype())
            elif column == "population":
                cases[column] = pd.array(values, dtype="Int64")
            else:
                cases[column] = pd.array(values, dtype="string")
        return CaseBase(cases=cases,
                        conditions=_typed_table("conditions", conditions),
                        outcomes=_typed_table("outcomes", outcomes),
                        participation=_typed_table("participation", participation),
                        flows=_typed_table("flows", flows),
                        sources=pd.DataFrame(), codings={}, path=None)

    return build


@pytest.fixture(scope="session")
def ref() -> pd.Series:
    """R survey reference values (tests/reference/survey_reference_values.csv, made once by
    make_survey_reference.R), indexed by name."""
    path = Path(__file__).parent / "reference" / "survey_reference_values.csv"
    return pd.read_csv(path, comment="#").set_index("name")["value"]


@pytest.fixture
def check_result_contract():
    """The check every results object must pass (coanalysis.results.Result): a DataFrame
    ``table`` property, a non-empty ``title`` found in ``summary()`` text, a one-line repr, an
    HTML display holding the title and a table, notes as texts."""
    import html

    from coanalysis.results import Result

    def check(result):
        assert isinstance(result, Result)
        assert isinstance(type(result).table, property)
        assert isinstance(result.table, pd.DataFrame)
        title = result.title
        assert isinstance(title, str) and title
        text = result.summary()
        assert isinstance(text, str) and title in text
        assert "\n" not in repr(result) and repr(result).startswith(f"<{type(result).__name__}")
        page = result._repr_html_()
        assert html.escape(title) in page and "<table" in page
        assert all(isinstance(n, str) for n in result.notes)

    return check
