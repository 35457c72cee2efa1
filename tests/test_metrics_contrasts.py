"""condition_contrasts, channel_counts, nearest_neighbours and cluster_summary on small
hand-computed examples with NA.

Tolerances: hand computations of the same closed forms on exact codebook scores agree to a few
ulps; pytest.approx's default (rel 1e-6) only absorbs decimal representation.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from coanalysis import codebook
from coanalysis.metrics import (
    channel_counts,
    cluster_summary,
    condition_contrasts,
    nearest_neighbours,
)

NA = None


# ------------------------------------------------------------------------ condition_contrasts
@pytest.fixture
def profile():
    return pd.DataFrame({
        "p": [1, 0.67, 1],          # all documented, all >= 0.67: shared
        "q": [1, NA, 0.67],         # high where documented, but one NA: not shared
        "r": [0.33, 1, 0.33],       # 1 - 0.33 = 0.67 (a float edge): divergent; two lows: weak
        "s": [0, NA, NA],           # one documented case: no spread
        "t": [NA, NA, NA],          # nothing documented
    }, index=["a", "b", "c"], dtype="Float64")


def test_condition_contrasts_hand_computed(profile):
    got = condition_contrasts(profile)
    assert list(got.index) == ["p", "q", "r", "s", "t"]
    assert got["n_documented"].tolist() == [3, 2, 3, 1, 0]
    assert got["n_high"].tolist() == [3, 2, 1, 0, 0]
    assert got["n_low"].tolist() == [0, 0, 2, 1, 0]
    assert got["shared"].tolist() == [True, False, False, False, False]
    assert got["weak"].tolist() == [False, False, True, False, False]
    assert got["divergent"].tolist() == [False, False, True, False, False]
    assert got.loc["p", "spread"] == pytest.approx(0.33)
    assert got.loc["r", "spread"] == pytest.approx(0.67)
    assert pd.isna(got.loc["s", "spread"]) and pd.isna(got.loc["t", "min"])
    assert (got["n_cases"] == 3).all()


def test_condition_contrasts_thresholds(profile):
    got = condition_contrasts(profile, min_low=1, spread=0.3, min_documented=1)
    assert got["weak"].tolist() == [False, False, True, True, False]
    assert got["divergent"].tolist() == [True, True, True, False, False]  # s: spread 0
    assert got.loc["s", "spread"] == 0
    assert not condition_contrasts(profile, high=1)["shared"].any()
    with pytest.raises(TypeError):
        condition_contrasts([[1, 0]])
    with pytest.raises(ValueError, match="numeric"):
        condition_contrasts(pd.DataFrame({"x": ["high", "low"]}))


# ----------------------------------------------------------------------------- channel_counts
def test_channel_counts_hand_computed():
    flows = pd.DataFrame({
        "case_id": ["a", "a", "a", "d"],
        "from_actor": ["usagers", "usagers", "agents", "agents"],
        "to_actor": ["elus", "agents", "encadrement", "elus"],
        "direct": pd.array([True, NA, False, True], dtype="boolean"),
    })
    got = channel_counts(flows, cases=["b", "a"])
    assert got["case_id"].tolist() == ["b", "a"]
    assert got["n_channels"].tolist() == [0, 3]
    assert got["n_direct"].tolist() == [0, 1]          # NA direct is not counted as direct
    assert pd.isna(got["share_direct"].iloc[0])
    assert got["share_direct"].iloc[1] == pytest.approx(1 / 3)
    assert channel_counts(flows)["case_id"].tolist() == ["a", "d"]
    with pytest.raises(ValueError, match="direct"):
        channel_counts(flows.drop(columns="direct"))


# ------------------------------------------------------------------------- nearest_neighbours
def test_nearest_neighbours_hand_computed():
    prof = pd.DataFrame({"x": [0, 1, 0, NA, 1], "y": [0, 1, 1, NA, NA]},
                        index=["a", "b", "c", "d", "e"], dtype="Float64")
    # complete pairs: a-b sqrt(2), a-c 1, b-c 1; with e (x only, scaled by 2/1):
    # e-a sqrt(2), e-b 0, e-c sqrt(2); d shares no variable with anyone
    got = nearest_neighbours(prof).set_index("case_id")
    assert got.loc["a", "neighbour"] == "c" and got.loc["a", "distance"] == pytest.approx(1)
    assert got.loc["b", "neighbour"] == "e" and got.loc["b", "distance"] == 0
    assert got.loc["b", "n_common"] == 1
    assert got.loc["c", "neighbour"] == "a"            # tie with b: earlier in the profile
    assert got.loc["c", "n_common"] == 2
    assert pd.isna(got.loc["d", "neighbour"]) and pd.isna(got.loc["d", "distance"])
    assert got.loc["e", "neighbour"] == "b"
    only = nearest_neighbours(prof, cases=["e", "a"], metric="manhattan")
    assert only["case_id"].tolist() == ["e", "a"]
    assert only["distance"].iloc[1] == pytest.approx(1)  # a-c manhattan: 0 + 1
    with pytest.raises(ValueError, match="zz"):
        nearest_neighbours(prof, cases=["zz"])


# ---------------------------------------------------------------------------- cluster_summary
def test_cluster_summary_hand_computed():
    prof = pd.DataFrame({"x": [0, 0.67, 1, NA, 0.5], "y": [NA, NA, 0.33, 0.67, 1]},
                        index=["a", "b", "c", "d", "e"], dtype="Float64")
    groups = pd.DataFrame({"case_id": ["a", "b", "c", "d", "e"],
                           "cluster": pd.array([1, 1, 2, 2, NA], dtype="Int64")})
    domain = pd.Series(pd.Categorical(
        ["democratie_locale", "budget_participatif", "qualite_service", "democratie_locale",
         "emploi_insertion"], dtype=codebook.DOMAINS.dtype()), index=list("abcde"))
    got = cluster_summary(groups, prof, highlight=["d", "a", "zz"], category=domain)
    assert list(got.index) == [1, 2]                    # e (cluster NA) is left out
    assert got["n_cases"].tolist() == [2, 2]
    assert got["highlighted"].tolist() == ["a", "d"]
    assert got["n_highlighted"].tolist() == [1, 1]
    # ties go to codebook order: budget_participatif before democratie_locale, and
    # democratie_locale before qualite_service
    assert got["top_category"].tolist() == ["budget_participatif", "democratie_locale"]
    assert got.loc[1, "x"] == pytest.approx((0 + 0.67) / 2)
    assert pd.isna(got.loc[1, "y"])                     # no member documents y
    assert got.loc[2, "x"] == 1.0 and got.loc[2, "y"] == pytest.approx(0.5)
    plain = cluster_summary(groups, prof, category=pd.Series(list("qpqpq"), index=list("abcde")))
    assert plain["top_category"].tolist() == ["q", "q"]  # ties: first value met
    assert "top_category" not in cluster_summary(groups, prof).columns
    assert cluster_summary(groups, prof)["highlighted"].isna().all()


def test_cluster_summary_bad_input():
    prof = pd.DataFrame({"x": [0.0, 1.0]}, index=["a", "b"])
    with pytest.raises(ValueError, match="case_id"):
        cluster_summary(pd.DataFrame({"case": ["a"]}), prof)
    with pytest.raises(ValueError, match="zz"):
        cluster_summary(pd.DataFrame({"case_id": ["a", "zz"], "cluster": [1, 2]}), prof)
    assert math.isclose(cluster_summary(pd.DataFrame({"case_id": ["a", "b"], "cluster": [1, 1]}),
                                        prof).loc[1, "x"], 0.5)
