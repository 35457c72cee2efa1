"""Every survey results object keeps the package's one results contract
(:class:`coanalysis.results.Result`): ``table`` is a property returning a DataFrame, ``summary()``
returns text holding the title, ``repr`` is one line, ``_repr_html_`` holds the title and a table."""


import numpy as np
import pandas as pd
import pytest

from coanalysis.survey import Design, cronbach_alpha, ordinal_regression


def _data() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 60
    return pd.DataFrame({
        "y": rng.normal(3, 1, n), "w": rng.uniform(0.5, 2, n),
        "h": np.repeat(["a", "b"], n // 2), "g": rng.choice(["u", "v"], n),
        "a": rng.integers(1, 6, n), "b": rng.integers(1, 6, n),
        "sat": pd.Categorical(rng.integers(1, 5, n), categories=[1, 2, 3, 4], ordered=True),
    })


def _design() -> Design:
    return Design(_data(), weights="w", strata="h")


RESULTS = {
    "Estimate": lambda: _design().mean("y"),
    "DomainEstimates": lambda: _design().by("g"),
    "RakeReport": lambda: _design().rake({"g": {"u": 40.0, "v": 50.0}}).rake_report,
    "ReliabilityResult": lambda: cronbach_alpha(_data(), ["a", "b"]),
    "OrdinalResult": lambda: ordinal_regression(_data(), "sat", ["y"]),
    "OrdinalResult (design)": lambda: ordinal_regression(_data(), "sat", ["y"], design=_design()),
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_result_contract(name, check_result_contract):
    check_result_contract(RESULTS[name]())


def test_estimate_notes_name_the_interval_and_the_empty_domain():
    d = _design()
    e = d.mean("y", mask=np.zeros(d.n, dtype=bool))
    assert e.notes[0] == "95% interval: wald (normal)"
    assert "no respondent" in e.notes[1]


def test_ordinal_coefficients_are_the_table():
    r = ordinal_regression(_data(), "sat", ["y"])
    assert r.table is r.coefficients and list(r.table.index) == ["y"]
