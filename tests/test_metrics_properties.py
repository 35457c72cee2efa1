"""Property tests of the metrics: invariants that must hold on any input.

Tolerances: the invariants hold exactly in real arithmetic; 1e-12 (and np.allclose's default)
absorb the rounding of distances and means of values in [0, 1] (~1e-16), whatever the example.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from coanalysis import codebook
from coanalysis.metrics import (
    cluster_cases,
    coconstruction_index,
    distance_matrix,
    voice_distance,
)

ACTORS = list(codebook.ACTORS.slugs)
score = st.one_of(st.none(), st.sampled_from(codebook.FUZZY_SCORES))


def _profile(rows):
    return pd.DataFrame(rows, index=[f"c{i}" for i in range(len(rows))],
                        columns=[f"v{j}" for j in range(len(rows[0]))], dtype="Float64")


profiles = st.integers(2, 7).flatmap(
    lambda n: st.lists(st.lists(score, min_size=n, max_size=n), min_size=2, max_size=8))


@settings(max_examples=60, deadline=None)
@given(rows=profiles)
def test_distances_symmetric_nonnegative_and_l1_above_l2(rows):
    prof = _profile(rows)
    e = distance_matrix(prof).to_numpy(dtype=float, na_value=np.nan)
    m = distance_matrix(prof, "manhattan").to_numpy(dtype=float, na_value=np.nan)
    assert np.array_equal(np.isnan(e), np.isnan(e.T))
    assert np.allclose(np.nan_to_num(e), np.nan_to_num(e.T))
    assert (np.nan_to_num(e) >= 0).all()
    coded = prof.notna().any(axis=1).to_numpy()
    assert np.allclose(np.diag(e)[coded], 0) and np.isnan(np.diag(e)[~coded]).all()
    # scaled L1 >= scaled L2 since the scale p/n >= 1
    both = ~np.isnan(e)
    assert (m[both] >= e[both] - 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(st.sampled_from(codebook.FUZZY_SCORES), min_size=4, max_size=4),
                     min_size=3, max_size=10), k=st.integers(1, 3))
def test_clusters_are_numbered_by_first_appearance(rows, k):
    prof = _profile(rows)
    out = cluster_cases(prof, k, method="average")
    labels = out["cluster"].tolist()
    seen = list(dict.fromkeys(labels))
    assert seen == list(range(1, len(seen) + 1))
    assert len(seen) <= k
    # identical profiles always share a cluster
    for i, j in itertools.combinations(range(len(rows)), 2):
        if rows[i] == rows[j]:
            assert labels[i] == labels[j]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(score, min_size=4, max_size=4), min_size=1, max_size=10))
def test_index_min_below_mean_and_skip_extends_propagate(rows):
    prof = pd.DataFrame(rows, columns=list(codebook.PRINCIPLES.slugs), dtype="Float64")
    for method in ("min", "mean"):
        prop = coconstruction_index(prof, method)["coconstruction_index"]
        skip = coconstruction_index(prof, method, na="skip")["coconstruction_index"]
        known = prop.notna()
        assert (prop[known] == skip[known]).all()
        assert skip.isna().equals(prof.isna().all(axis=1))
    lo = coconstruction_index(prof, "min", na="skip")["coconstruction_index"]
    hi = coconstruction_index(prof, "mean", na="skip")["coconstruction_index"]
    assert (lo.dropna() <= hi.dropna() + 1e-12).all()


edges = st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTORS)), max_size=15)


def _floyd_warshall(pairs):
    n = len(ACTORS)
    d = np.full((n, n), np.inf)
    np.fill_diagonal(d, 0)
    for a, b in pairs:
        if a != b:
            d[ACTORS.index(a), ACTORS.index(b)] = 1
    for k in range(n):
        d = np.minimum(d, d[:, [k]] + d[[k], :])
    return d


@settings(max_examples=100, deadline=None)
@given(pairs=edges, extra=edges)
def test_voice_distance_is_the_shortest_path_and_monotone(pairs, extra):
    def hops(pair_list):
        flows = pd.DataFrame(pair_list or [("tiers", "tiers")],
                             columns=["from_actor", "to_actor"]).assign(case_id="x")
        vd = voice_distance(flows).set_index("target")["hops"]
        return {t: (np.inf if pd.isna(vd[t]) else int(vd[t])) for t in ("elus", "encadrement")}
    d = _floyd_warshall(pairs)
    got = hops(pairs)
    for t in ("elus", "encadrement"):
        assert got[t] == d[ACTORS.index("usagers"), ACTORS.index(t)]
    more = hops(pairs + extra)
    assert all(more[t] <= got[t] for t in got)  # adding channels never lengthens the path
