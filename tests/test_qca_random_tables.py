"""The engine on the research note's seeded random tables (simulated data), against the
prime-implicant counts certified by the standalone CCubes program (``-c``) and the cover
sizes found by CCubes, R QCA 3.25 and setqca (qca-peers, section 7)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from coanalysis import qca
from coanalysis.qca._boolean import cube_covers, prime_implicants, solve_chart
from coanalysis.qca.simulate import CONDITION_NAMES, simulated_crisp_data

# (k, dense, noise %, solution, certified PI count, minimum number of terms)
CERTIFIED = [
    (8, False, 0, "parsimonious", 43, 3),
    (8, True, 0, "parsimonious", 91, 3),
    (10, False, 0, "parsimonious", 344, 3),
    (10, True, 0, "parsimonious", 349, 3),
    (12, False, 0, "parsimonious", 1410, 3),
    (8, False, 3, "parsimonious", 60, 7),
    (10, False, 3, "parsimonious", 460, 7),
    (8, False, 0, "complex", 48, 27),
    (10, True, 0, "complex", 106, 70),
]


@pytest.mark.parametrize("k,dense,noise,solution,n_pi,n_terms", CERTIFIED)
def test_prime_implicants_and_cover_size_match_ccubes(k, dense, noise, solution, n_pi, n_terms):
    df = simulated_crisp_data(k, dense=dense, noise_percent=noise)
    tt = qca.truth_table(df, outcome="Y", conditions=list(CONDITION_NAMES[:k]), consistency_cutoff=1)
    on = tt.configurations("1")
    off = tt.configurations("0") if solution == "parsimonious" else None
    masks, values = prime_implicants(k, on, off)
    assert len(masks) == n_pi
    chart = np.column_stack([cube_covers(m, v, on) for m, v in zip(masks, values)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", qca.QCAWarning)
        sol = solve_chart(chart, max_models=1)
    assert sol.size == n_terms


@pytest.mark.parametrize("k", [8, 10, 12])
def test_noise_free_tables_recover_the_true_structure(k):
    df = simulated_crisp_data(k)
    tt = qca.truth_table(df, outcome="Y", conditions=list(CONDITION_NAMES[:k]), consistency_cutoff=1)
    sol = qca.minimize(tt, solution="parsimonious")
    assert sol.models == ["A*B + C*~D + E*F*G"]
    assert sol.n_models_total == 1


def test_simulated_data_is_flagged_and_checked():
    df = simulated_crisp_data(8, dense=True)
    assert len(df) == 64 and df.index[0].startswith("simule_")
    with pytest.raises(ValueError):
        simulated_crisp_data(5)
