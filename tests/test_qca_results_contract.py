"""Every QCA results object keeps the package's one results contract
(:class:`coanalysis.results.Result`): ``table`` is a property returning a DataFrame, ``summary()``
returns text holding the title, ``repr`` is one line, ``_repr_html_`` holds the title and a table."""


import pandas as pd
import pytest

from coanalysis import qca


def _frame() -> pd.DataFrame:
    # Quine's textbook function: two tied minimal models (model ambiguity)
    rows = [(0, 0, 1, 1), (0, 1, 0, 1), (0, 1, 1, 1), (1, 0, 0, 1), (1, 0, 1, 1), (1, 1, 0, 1),
            (0, 0, 0, 0), (1, 1, 1, 0)]
    return pd.DataFrame(rows, columns=["P", "Q", "R", "OUT"], index=[f"c{i}" for i in range(8)],
                        dtype=float)


def _memberships():
    class CB:
        conditions = pd.DataFrame({"case_id": ["a", "a", "b", "b"],
                                   "condition": ["experimenter", "transversalite"] * 2,
                                   "score": [1, 0.67, None, 0]})
        outcomes = pd.DataFrame({"case_id": ["a", "b"], "outcome": ["perennisation"] * 2,
                                 "score": [0.67, 1]})
    return qca.from_casebase(CB(), outcome="perennisation",
                             conditions=["experimenter", "transversalite"], lang="en")


RESULTS = {
    "TruthTable": lambda: qca.truth_table(_frame(), outcome="OUT", conditions=["P", "Q", "R"]),
    "Solution": lambda: qca.minimize(qca.truth_table(_frame(), outcome="OUT",
                                                     conditions=["P", "Q", "R"])),
    "Robustness": lambda: qca.robustness(_frame(), outcome="OUT", conditions=["P", "Q", "R"],
                                         consistency_cutoffs=[0.8, 1.0]),
    "CaseMemberships": _memberships,
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_result_contract(name, check_result_contract):
    check_result_contract(RESULTS[name]())


def test_solution_fit_table_is_the_table_and_fit_is_gone():
    sol = RESULTS["Solution"]()
    assert sol.table is sol.fit_table and "M1" in sol.fit_table.index
    assert not hasattr(sol, "fit")
    assert "model ambiguity: 2 minimal models" in " ".join(sol.notes)


def test_case_memberships_notes_name_the_dropped_case():
    assert _memberships().notes == ("dropped b: NA or not coded: Experiment",)
