"""One scalar check: the options and integer/number bounds of the analysis functions (survey/,
qca/, metrics/) are checked by ``coanalysis.validation`` (check_choice, check_int, check_number),
so every message has the shape "<name> must be one of …, got …" or "<name> must be an integer in
[lo, hi], got …"."""

import pandas as pd
import pytest

from coanalysis import qca
from coanalysis.metrics import cluster_cases, distance_matrix, participation_breadth
from coanalysis.metrics.similarity import case_linkage
from coanalysis.survey import Design
from coanalysis.survey.design import proportion_interval
from coanalysis.survey.estimates import item_values

_QCA = pd.DataFrame({"A": [1.0, 1, 0, 0], "Y": [1.0, 1, 0, 0]})
_PROFILE = pd.DataFrame({"x": [0, 0.33, 1, 1]}, index=["a", "b", "c", "d"])
_PART = pd.DataFrame({"case_id": ["a"], "actor": ["usagers"], "stage": ["diagnostic"], "level": [3]})


def _likert_design() -> Design:
    q = pd.Categorical(["1", "2", "3", "4"], categories=["1", "2", "3", "4"], ordered=True)
    return Design(pd.DataFrame({"q": q, "g": ["a", "a", "b", "b"]}))


CHOICES = {
    "calibrate(method=)": lambda: qca.calibrate([0.2, 0.8], exclusion=0, crossover=0.5, inclusion=1,
                                                method="cubic"),
    "robustness(solution=)": lambda: qca.robustness(_QCA, outcome="Y", conditions=["A"],
                                                    solution="cubic"),
    "proportion_interval(method=)": lambda: proportion_interval(0.5, 0.1, level=0.95, df=10, n=20,
                                                                method="cubic"),
    "item_values(statistic=)": lambda: item_values(_likert_design(), "q", "cubic"),
    "distance_matrix(metric=)": lambda: distance_matrix(_PROFILE, "cubic"),
    "case_linkage(method=)": lambda: case_linkage(_PROFILE, "cubic"),
}

BOUNDS = {
    "truth_table(n_cutoff=)": (lambda: qca.truth_table(_QCA, outcome="Y", conditions=["A"], n_cutoff=0),
                               r"n_cutoff must be an integer in \[1, inf\], got 0"),
    "minimize(max_models=)": (lambda: qca.minimize(qca.truth_table(_QCA, outcome="Y", conditions=["A"]),
                                                   max_models=0),
                              r"max_models must be an integer in \[1, inf\], got 0"),
    "simulated_crisp_data(noise_percent=)": (lambda: qca.simulated_crisp_data(8, noise_percent=101),
                                             r"noise_percent must be a number in \[0, 100\], got 101"),
    "Design.rake(max_iter=)": (lambda: _likert_design().rake({"g": {"a": 2.0, "b": 2.0}}, max_iter=0),
                               r"max_iter must be an integer in \[1, inf\], got 0"),
    "distance_matrix(min_common=)": (lambda: distance_matrix(_PROFILE, min_common=0),
                                     r"min_common must be an integer in \[1, inf\], got 0"),
    "cluster_cases(k=)": (lambda: cluster_cases(_PROFILE, 0), r"k must be an integer in \[1, inf\], got 0"),
    "participation_breadth(threshold=)": (lambda: participation_breadth(_PART, threshold=6),
                                          r"threshold must be an integer in \[0, 5\], got 6"),
}


@pytest.mark.parametrize("name", list(CHOICES))
def test_an_unknown_option_lists_the_options(name):
    with pytest.raises(ValueError, match=r"must be one of '[^']+', .*, got 'cubic'$"):
        CHOICES[name]()


@pytest.mark.parametrize("name", list(BOUNDS))
def test_an_integer_or_number_out_of_bounds_names_the_bounds(name):
    call, message = BOUNDS[name]
    with pytest.raises(ValueError, match=message):
        call()


def test_a_non_integer_is_a_type_error():
    with pytest.raises(TypeError, match=r"k must be an integer, got 2.5 \(float\)"):
        cluster_cases(_PROFILE, 2.5)
