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


#: Columns of the rows given to ``make_casebase``, per table.
_ROW_COLUMNS = {
    "conditions": ("case_id", "condition", "score"),
    "outcomes": ("case_id", "outcome", "score"),
    "participation": ("case_id", "actor", "stage", "level"),
    "flows": ("case_id", "from_actor", "to_actor", "channel"),
}


@pytest.fixture
def make_casebase():
    """Build a CaseBase from plain rows (None = NA), typed by ``CaseBase.from_frames`` exactly as
    ``load_casebase()`` types the files (undeclared columns all NA).

    ``make_casebase(["a", "b"], conditions=[("a", "experimenter", 1.0)], ...,
    corpus=[...], population=[...])``: rows of each table in the order of ``_ROW_COLUMNS``;
    keyword arguments are columns of ``cases``.
    """
    from coanalysis.loaders import CaseBase

    def build(case_ids, *, conditions=(), outcomes=(), participation=(), flows=(), **case_columns):
        cases = pd.DataFrame({"case_id": list(case_ids), **case_columns})
        tables = {name: pd.DataFrame(list(rows), columns=list(_ROW_COLUMNS[name]))
                  for name, rows in (("conditions", conditions), ("outcomes", outcomes),
                                     ("participation", participation), ("flows", flows))}
        return CaseBase.from_frames(cases, **tables)

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
