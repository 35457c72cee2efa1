"""Property-based tests of the QCA minimisation (hypothesis), with a brute-force oracle.

Tolerances: the oracle recomputes the same sums of minima: 1e-12 absorbs their rounding
(~1e-16 for memberships in [0, 1]) on any example; cut-off comparisons allow 1e-8 so that a
consistency equal to the cut-off in real arithmetic is not split by rounding.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coanalysis import qca

NAMES = "ABCDEF"


@st.composite
def crisp_tables(draw, min_k=2, max_k=5):
    """A crisp truth table: each configuration ON (1), OFF (0) or unobserved (None)."""
    k = draw(st.integers(min_k, max_k))
    status = draw(st.lists(st.sampled_from([1, 0, None]), min_size=1 << k, max_size=1 << k))
    if 1 not in status:
        status[draw(st.integers(0, (1 << k) - 1))] = 1
    return k, status


def _frame(k, status):
    rows = []
    for cfg, s in enumerate(status):
        if s is None:
            continue
        bits = [(cfg >> (k - 1 - j)) & 1 for j in range(k)]
        rows.append(bits + [s])
    df = pd.DataFrame(rows, columns=list(NAMES[:k]) + ["Y"], dtype=float)
    df.index = [f"c{i}" for i in range(len(df))]
    return df


def _points(k, mask, value):
    return {p for p in range(1 << k) if p & mask == value}


def _brute_force(k, on, off):
    """All prime implicants and all minimum covers by exhaustive search (the oracle).

    ``off=None`` means every non-ON configuration is forbidden (complex solution).
    """
    forbidden = set(range(1 << k)) - on if off is None else off
    cubes = []
    for digits in itertools.product((0, 1, 2), repeat=k):  # 0 = absent, 1 = ~X, 2 = X
        mask = value = 0
        for j, d in enumerate(digits):
            bit = 1 << (k - 1 - j)
            if d:
                mask |= bit
                value |= bit if d == 2 else 0
        cubes.append((mask, value))

    def implicant(c):
        pts = _points(k, *c)
        return bool(pts & on) and not (pts & forbidden)

    primes = []
    for mask, value in cubes:
        if not implicant((mask, value)):
            continue
        parents = [(mask ^ (1 << b), value & ~(1 << b)) for b in range(k) if mask & (1 << b)]
        if not any(implicant(p) for p in parents):
            primes.append((mask, value))
    cover_sets = [(_points(k, *p) & on) for p in primes]
    for size in range(1, len(primes) + 1):
        found = [combo for combo in itertools.combinations(range(len(primes)), size)
                 if set().union(*(cover_sets[i] for i in combo)) >= on]
        if found:
            return primes, [frozenset(primes[i] for i in combo) for combo in found]
    raise AssertionError("no cover")  # pragma: no cover


def _cubes(model, k):
    return qca.parse_expression(model, list(NAMES[:k]))


def _covered(cubes, k):
    out = set()
    for c in cubes:
        out |= _points(k, *c)
    return out


SETTINGS = dict(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(**SETTINGS)
@given(crisp_tables(max_k=4), st.booleans())
def test_models_equal_brute_force_minimum_covers(table, remainders):
    k, status = table
    on = {c for c, s in enumerate(status) if s == 1}
    off = {c for c, s in enumerate(status) if s == 0}
    tt = qca.truth_table(_frame(k, status), outcome="Y", conditions=list(NAMES[:k]), consistency_cutoff=1)
    if remainders and not off:
        with pytest.warns(qca.QCAWarning, match="tautology"):
            sol = qca.minimize(tt, solution="parsimonious")
        assert sol.models == ["1"]
        return
    sol = qca.minimize(tt, solution="parsimonious" if remainders else "complex")
    _, covers = _brute_force(k, on, off if remainders else None)
    got = {frozenset(_cubes(m, k)) for m in sol.models}
    assert got == set(covers)
    assert len(sol.models) == len(covers)  # no duplicate


@settings(**SETTINGS)
@given(crisp_tables(), st.booleans())
def test_models_cover_positives_only_and_are_irredundant(table, remainders):
    k, status = table
    on = {c for c, s in enumerate(status) if s == 1}
    off = {c for c, s in enumerate(status) if s == 0}
    observed_or_not = set(range(1 << k)) - on
    tt = qca.truth_table(_frame(k, status), outcome="Y", conditions=list(NAMES[:k]), consistency_cutoff=1)
    if remainders and not off:
        return
    sol = qca.minimize(tt, solution="parsimonious" if remainders else "complex")
    forbidden = off if remainders else observed_or_not
    sizes = set()
    for model in sol.models:
        cubes = _cubes(model, k)
        sizes.add(len(cubes))
        covered = _covered(cubes, k)
        assert on <= covered, "a positive configuration is not covered"
        assert not (covered & forbidden), "a negative (or, for the complex solution, unobserved) row is covered"
        for i in range(len(cubes)):  # no redundant term
            rest = cubes[:i] + cubes[i + 1:]
            assert not on <= _covered(rest, k)
        for mask, value in cubes:  # no redundant literal: every term is prime
            for b in range(k):
                if mask & (1 << b):
                    parent = (mask ^ (1 << b), value & ~(1 << b))
                    assert _points(k, *parent) & forbidden
    assert len(sizes) == 1, "tied models differ in size"


@settings(**SETTINGS)
@given(crisp_tables(min_k=3, max_k=5), st.data())
def test_complex_within_intermediate_within_parsimonious(table, data):
    k, status = table
    off = {c for c, s in enumerate(status) if s == 0}
    if not off:
        return
    directional = data.draw(st.dictionaries(st.sampled_from(list(NAMES[:k])), st.sampled_from([0, 1]),
                                            min_size=1))
    tt = qca.truth_table(_frame(k, status), outcome="Y", conditions=list(NAMES[:k]), consistency_cutoff=1)
    c_sol = qca.minimize(tt)
    p_sol = qca.minimize(tt, solution="parsimonious")
    i_sol = qca.minimize(tt, solution="intermediate", directional=directional)
    for label, model in zip(i_sol.model_table["label"], i_sol.model_table["model"]):
        ci, pj = (int(x) for x in label.split("-")[0][1:].split("P"))
        c_cov = _covered(_cubes(c_sol.models[ci - 1], k), k)
        p_cov = _covered(_cubes(p_sol.models[pj - 1], k), k)
        i_cov = _covered(_cubes(model, k), k)
        assert c_cov <= i_cov <= p_cov


@settings(**SETTINGS)
@given(crisp_tables(min_k=2, max_k=4))
def test_intermediate_with_expectations_no_literal_contradicts_is_complex(table):
    # Ragin & Sonnett: a literal of a complex term is dropped only when it contradicts an
    # expectation; when each condition appears with one sign across the complex models and the
    # expectations are those signs, there is no easy counterfactual: every pair CiPj is minimised
    # on the positive rows alone, which is the complex problem
    k, status = table
    if 0 not in status:
        return
    tt = qca.truth_table(_frame(k, status), outcome="Y", conditions=list(NAMES[:k]), consistency_cutoff=1)
    complex_ = qca.minimize(tt)
    signs = {}
    for model in complex_.models:
        for mask, value in _cubes(model, k):
            for j in range(k):
                bit = 1 << (k - 1 - j)
                if mask & bit:
                    signs.setdefault(NAMES[j], set()).add(int(bool(value & bit)))
    if not signs or any(len(s) > 1 for s in signs.values()):
        return  # some condition appears with both signs: no expectation agrees with every literal
    directional = {c: s.pop() for c, s in signs.items()}
    assert set(qca.minimize(tt, solution="intermediate", directional=directional).models) \
        == set(complex_.models)


@st.composite
def fuzzy_frames(draw):
    k = draw(st.integers(2, 4))
    n = draw(st.integers(3, 25))
    scores = st.sampled_from([0.0, 0.1, 0.33, 0.4, 0.67, 0.8, 1.0])
    cols = {NAMES[j]: draw(st.lists(scores, min_size=n, max_size=n)) for j in range(k + 1)}
    df = pd.DataFrame(cols)
    df = df.rename(columns={NAMES[k]: "Y"})
    df.index = [f"c{i}" for i in range(n)]
    return k, df


@settings(**SETTINGS)
@given(fuzzy_frames(), st.sampled_from([0.6, 0.75, 0.9]))
def test_fuzzy_truth_table_invariants(frame, cutoff):
    k, df = frame
    conds = list(NAMES[:k])
    tt = qca.truth_table(df, outcome="Y", conditions=conds, consistency_cutoff=cutoff)
    table = tt.table
    # no case at 0.5 here: every case is in exactly one row
    assert table["n"].sum() == len(df)
    assert sorted(",".join(table["cases"]).split(",")) == sorted(df.index)
    # consistency of a row = sufficiency consistency of the corner expression
    for row, r in table.iterrows():
        expr = "*".join(c if r[c] == 1 else f"~{c}" for c in conds)
        x = qca.membership(df, expr, conditions=conds)
        fit = qca.sufficiency_fit(x, df["Y"])
        assert r["consistency"] == pytest.approx(fit["consistency"], abs=1e-12)
        assert (r["OUT"] == "1") == (fit["consistency"] >= cutoff - 1e-8)
        assert 0 <= r["PRI"] <= r["consistency"] + 1e-12 or np.isnan(r["PRI"])
    # negating the outcome twice is the identity
    neg = df.assign(Y=1 - df["Y"])
    tt2 = qca.truth_table(neg, outcome="~Y", conditions=conds, consistency_cutoff=cutoff)
    np.testing.assert_allclose(tt2.table["consistency"], table["consistency"], atol=1e-12)


@settings(**SETTINGS)
@given(fuzzy_frames())
def test_parsimonious_fuzzy_models_are_consistent_with_truth_table(frame):
    k, df = frame
    conds = list(NAMES[:k])
    tt = qca.truth_table(df, outcome="Y", conditions=conds, consistency_cutoff=0.75)
    if len(tt.configurations("1")) == 0 or len(tt.configurations("0")) == 0:
        return
    sol = qca.minimize(tt, solution="parsimonious")
    on = set(tt.configurations("1").tolist())
    off = set(tt.configurations("0").tolist())
    for model in sol.models:
        covered = _covered(_cubes(model, k), k) if model != "1" else set(range(1 << k))
        assert on <= covered and not covered & off
    # unique coverage never exceeds raw coverage
    terms = sol.fit_table.drop(index=[i for i in sol.fit_table.index if i.startswith("M") and i[1:].isdigit()])
    assert (terms["unique_coverage"] <= terms["coverage"] + 1e-12).all()
