"""Metrics on a small hand-computed case base, NA included.

Tolerances: the expected values are hand computations of the same closed forms on exact
codebook scores (0, 0.33, 0.67, 1): they agree to a few ulps, so pytest.approx's default
(rel 1e-6) and np.allclose's (rtol 1e-5) only absorb decimal representation; published values
(the adjusted Rand index examples, printed to 2 decimals) are compared to half a unit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import pdist, squareform

from coanalysis import codebook
from coanalysis.loaders import CaseBase
from coanalysis.metrics import (
    case_linkage,
    case_similarity,
    cluster_cases,
    coconstruction_index,
    condition_profile,
    distance_matrix,
    flow_graph,
    outcome_profile,
    participation_breadth,
    participation_depth,
    principle_profile,
    shortest_path,
    voice_distance,
)

NA = None


@pytest.fixture
def cb(make_casebase) -> CaseBase:
    return make_casebase(
        ["a", "b", "c"],
        conditions=[
            ("a", "experimenter", 1), ("a", "formaliser_evaluer", 0.67), ("a", "dialogue_former", 1),
            ("a", "transversalite", 0.33), ("a", "portage_politique", 0.67),
            ("b", "experimenter", 0.33), ("b", "formaliser_evaluer", NA), ("b", "dialogue_former", 0.67),
            # b has no row at all for transversalite; c has no row at all
        ],
        outcomes=[("a", "perennisation", 1.0)],
        participation=[
            ("a", "usagers", "diagnostic", 4), ("a", "usagers", "decision", 2),
            ("a", "usagers", "evaluation", NA), ("a", "agents", "conception", 0),
            ("b", "elus", "decision", 5), ("b", "usagers", "diagnostic", 3),
            ("b", "usagers", "conception", 3),
        ],
        flows=[
            ("a", "usagers", "agents", "atelier"), ("a", "usagers", "agents", "permanence"),
            ("a", "agents", "encadrement", "remontee_hierarchique"),
            ("a", "encadrement", "elus", "comite_pilotage"),
            ("b", "usagers", "agents", "atelier"), ("b", "usagers", "elus", "vote"),
            ("b", "elus", "encadrement", "restitution"),
            ("d", "agents", "elus", "restitution"),
        ],
    )


def _na(x) -> bool:
    return x is pd.NA or (isinstance(x, float) and math.isnan(x))


# -- profiles ----------------------------------------------------------------------------------

def test_principle_profile(cb):
    prof = principle_profile(cb)
    assert list(prof.index) == ["a", "b", "c"]
    assert list(prof.columns) == list(codebook.PRINCIPLES.slugs)
    assert prof.columns.name == "principle" and prof.index.name == "case_id"
    assert all(str(t) == "Float64" for t in prof.dtypes)
    assert prof.loc["a"].tolist() == [1.0, 0.67, 1.0, 0.33]
    assert prof.loc["b", "experimenter"] == 0.33
    assert _na(prof.loc["b", "formaliser_evaluer"])  # empty score
    assert _na(prof.loc["b", "transversalite"])      # no row
    assert prof.loc["c"].isna().all()                # case without any coding


def test_condition_profile_all_and_subset(cb):
    prof = condition_profile(cb)
    assert list(prof.columns) == list(codebook.CONDITIONS.slugs)
    assert prof.loc["a", "portage_politique"] == 0.67
    assert int(prof.notna().sum().sum()) == 7
    sub = condition_profile(cb, ["transversalite", "portage_politique"])
    assert list(sub.columns) == ["transversalite", "portage_politique"]
    with pytest.raises(ValueError, match="not in the codebook"):
        condition_profile(cb, ["courage"])
    # a bare table gives the cases it mentions
    assert list(condition_profile(cb.conditions).index) == ["a", "b"]


def test_profile_rejects_duplicates(cb):
    doubled = pd.concat([cb.conditions, cb.conditions.iloc[[0]]])
    with pytest.raises(ValueError, match="several rows"):
        condition_profile(doubled)


def test_outcome_profile(cb):
    prof = outcome_profile(cb)
    assert prof.loc["a", "perennisation"] == 1.0
    assert prof.loc[["b", "c"]].isna().all().all()


def test_participation_depth(cb):
    depth = participation_depth(cb)
    assert list(depth.columns) == list(codebook.ACTORS.slugs)
    assert all(str(t) == "Int64" for t in depth.dtypes)
    assert depth.loc["a", "usagers"] == 4      # max(4, 2), NA stage ignored
    assert depth.loc["a", "agents"] == 0       # coded absent is 0, not NA
    assert depth.loc["b", "elus"] == 5
    assert depth.loc["b", "usagers"] == 3
    assert _na(depth.loc["a", "elus"])
    assert depth.loc["c"].isna().all()
    assert int(depth.notna().sum().sum()) == 4


def test_participation_breadth(cb):
    breadth = participation_breadth(cb)
    assert breadth.loc["a", "usagers"] == 1    # 4 counts, 2 not, NA not
    assert breadth.loc["a", "agents"] == 0
    assert breadth.loc["b", "usagers"] == 2
    assert breadth.loc["b", "elus"] == 1
    assert _na(breadth.loc["a", "elus"]) and breadth.loc["c"].isna().all()
    top = participation_breadth(cb, threshold=5)
    assert top.loc["b", "elus"] == 1 and top.loc["b", "usagers"] == 0
    with pytest.raises(ValueError, match="threshold"):
        participation_breadth(cb, threshold=6)


def test_breadth_never_exceeds_coded_stages_and_zero_iff_depth_below(cb):
    depth, breadth = participation_depth(cb), participation_breadth(cb)
    assert (depth.isna() == breadth.isna()).all().all()
    known = depth.notna()
    assert ((breadth[known] == 0) == (depth[known] < 3)).fillna(True).all().all()


# -- co-construction index -----------------------------------------------------------------------

def test_index_min_propagate(cb):
    idx = coconstruction_index(cb, "min")
    assert list(idx.columns) == ["coconstruction_index", "n_principles"]
    assert idx.loc["a", "coconstruction_index"] == 0.33
    assert _na(idx.loc["b", "coconstruction_index"]) and _na(idx.loc["c", "coconstruction_index"])
    assert idx["n_principles"].tolist() == [4, 2, 0]


def test_index_skip_and_mean(cb):
    mins = coconstruction_index(cb, "min", na="skip")
    assert mins.loc["a", "coconstruction_index"] == 0.33
    assert mins.loc["b", "coconstruction_index"] == 0.33      # min(0.33, 0.67)
    assert _na(mins.loc["c", "coconstruction_index"])
    means = coconstruction_index(cb, "mean", na="skip")
    assert means.loc["a", "coconstruction_index"] == pytest.approx((1 + 0.67 + 1 + 0.33) / 4)
    assert means.loc["b", "coconstruction_index"] == pytest.approx((0.33 + 0.67) / 2)
    strict = coconstruction_index(cb, "mean", na="skip", min_principles=3)
    assert _na(strict.loc["b", "coconstruction_index"])
    prop = coconstruction_index(cb, "mean")
    assert prop.loc["a", "coconstruction_index"] == pytest.approx(0.75)
    assert _na(prop.loc["b", "coconstruction_index"])


def test_index_min_never_above_mean(cb):
    prof = pd.DataFrame(np.random.default_rng(3).choice(codebook.FUZZY_SCORES, size=(20, 4)),
                        columns=list(codebook.PRINCIPLES.slugs))
    lo = coconstruction_index(prof, "min")["coconstruction_index"]
    hi = coconstruction_index(prof, "mean")["coconstruction_index"]
    assert (lo <= hi + 1e-12).all()  # min <= mean in real arithmetic; 1e-12 absorbs the mean's rounding


def test_index_bad_arguments(cb):
    with pytest.raises(ValueError, match="method"):
        coconstruction_index(cb, "max")
    with pytest.raises(ValueError, match="na"):
        coconstruction_index(cb, na="zero")
    with pytest.raises(ValueError, match="min_principles"):
        coconstruction_index(cb, na="skip", min_principles=5)
    with pytest.raises(TypeError):
        coconstruction_index(42)


# -- circuits ------------------------------------------------------------------------------------

def test_flow_graph_and_bfs(cb):
    graph = flow_graph(cb.flows, "b")
    assert graph == {"usagers": ["agents", "elus"], "elus": ["encadrement"]}
    assert shortest_path(graph, "usagers", "encadrement") == ["usagers", "elus", "encadrement"]
    assert shortest_path(graph, "elus", "usagers") is None
    assert shortest_path(graph, "usagers", "usagers") == ["usagers"]


def test_voice_distance(cb):
    vd = voice_distance(cb.flows, cases=["a", "b", "c", "d"])
    assert list(vd.columns) == ["case_id", "target", "hops", "classic_hops", "hops_saved", "path"]
    assert len(vd) == 8
    t = vd.set_index(["case_id", "target"])
    # a follows the classic chain
    assert t.loc[("a", "elus"), "hops"] == 3 and t.loc[("a", "elus"), "hops_saved"] == 0
    assert t.loc[("a", "encadrement"), "hops"] == 2
    assert t.loc[("a", "elus"), "path"] == "usagers → agents → encadrement → elus"
    # b: users vote, so they reach the elected officials in one hop
    assert t.loc[("b", "elus"), "hops"] == 1 and t.loc[("b", "elus"), "hops_saved"] == 2
    assert t.loc[("b", "encadrement"), "hops"] == 2
    assert t.loc[("b", "encadrement"), "path"] == "usagers → elus → encadrement"
    # c has no flows, d has flows but none from users
    for case in ("c", "d"):
        for target in ("elus", "encadrement"):
            assert _na(t.loc[(case, target), "hops"]) and _na(t.loc[(case, target), "hops_saved"])
            assert _na(t.loc[(case, target), "path"])
    assert (vd["classic_hops"] == vd["target"].map({"elus": 3, "encadrement": 2}).astype(int)).all()


def test_voice_distance_defaults_and_errors(cb):
    vd = voice_distance(cb.flows)
    assert list(pd.unique(vd["case_id"])) == ["a", "b", "d"]
    with pytest.raises(ValueError, match="not an actor"):
        voice_distance(cb.flows, targets=("maire",))
    with pytest.raises(ValueError, match="lacks"):
        voice_distance(cb.flows.drop(columns="to_actor"))
    with pytest.raises(TypeError):
        voice_distance([1, 2])


# -- similarity and clusters -------------------------------------------------------------------

@pytest.fixture
def profile() -> pd.DataFrame:
    return pd.DataFrame({"x": [0, 1, NA, NA], "y": [1, 1, NA, NA], "z": [NA, 0, 1, NA]},
                        index=pd.Index(list("abcd"), name="case_id"), dtype="Float64")


def test_distance_pairwise_complete_scaled(profile):
    m = distance_matrix(profile)
    assert m.loc["a", "b"] == pytest.approx(math.sqrt(1 * 3 / 2))
    assert m.loc["b", "c"] == pytest.approx(math.sqrt(1 * 3 / 1))
    assert _na(m.loc["a", "c"]) and _na(m.loc["d", "d"])
    assert m.loc["a", "a"] == 0
    man = distance_matrix(profile, "manhattan")
    assert man.loc["a", "b"] == pytest.approx(1.5) and man.loc["b", "c"] == pytest.approx(3.0)
    strict = distance_matrix(profile, min_common=2)
    assert _na(strict.loc["b", "c"]) and strict.loc["a", "b"] == pytest.approx(math.sqrt(1.5))


def test_distance_matches_scipy_on_complete_data():
    rng = np.random.default_rng(7)
    data = pd.DataFrame(rng.choice(codebook.FUZZY_SCORES, size=(6, 4)))
    for ours, theirs in (("euclidean", "euclidean"), ("manhattan", "cityblock")):
        got = distance_matrix(data, ours).to_numpy(dtype=float)
        assert np.allclose(got, squareform(pdist(data.to_numpy(), theirs)))  # same sums: ulps


def test_case_similarity_table(profile):
    sim = case_similarity(profile)
    assert list(sim.columns) == ["case_a", "case_b", "distance", "n_common"]
    assert len(sim) == 6
    assert sim[["case_a", "case_b"]].values.tolist()[:2] == [["a", "b"], ["b", "c"]]
    assert sim["n_common"].tolist() == [2, 1, 0, 0, 0, 0]
    assert sim["distance"].isna().tolist() == [False, False, True, True, True, True]
    with pytest.raises(ValueError, match="metric"):
        case_similarity(profile, "cosine")
    with pytest.raises(ValueError, match="min_common"):
        case_similarity(profile, min_common=0)


def test_linkage_heights_hand_computed():
    prof = pd.DataFrame({"x": [0, 0.1, 0.9, 1.0, NA]}, index=list("abcde"), dtype="Float64")
    z, labels = case_linkage(prof, "average")
    assert labels == ["a", "b", "c", "d"]
    # a-b and c-d merge at 0.1; the two pairs at the mean of 0.9, 1.0, 0.8, 0.9 = 0.9
    assert np.allclose(sorted(z[:, 2]), [0.1, 0.1, 0.9])


@pytest.mark.parametrize("method", ["ward", "average"])
def test_cluster_cases(method):
    prof = pd.DataFrame({"x": [0, 0.1, 0.9, 1.0, NA], "y": [0, 0, 1, 1, NA]},
                        index=list("abcde"), dtype="Float64")
    out = cluster_cases(prof, 2, method=method)
    assert out["case_id"].tolist() == list("abcde")
    assert out["cluster"].tolist()[:4] == [1, 1, 2, 2] and _na(out["cluster"].iloc[4])
    reversed_ = cluster_cases(prof.iloc[::-1], 2, method=method)
    assert reversed_.set_index("case_id").loc[["d", "c", "b", "a"], "cluster"].tolist() == [1, 1, 2, 2]
    assert cluster_cases(prof, 1, method=method)["cluster"].tolist()[:4] == [1, 1, 1, 1]
    assert cluster_cases(prof, 4, method=method)["cluster"].tolist()[:4] == [1, 2, 3, 4]


def test_cluster_errors():
    disjoint = pd.DataFrame({"x": [0, NA, 1], "y": [NA, 1, 1]}, index=list("abc"), dtype="Float64")
    with pytest.raises(ValueError, match="'a' and 'b'"):
        cluster_cases(disjoint, 2)
    prof = pd.DataFrame({"x": [0, 1]}, index=list("ab"))
    with pytest.raises(ValueError, match="more than"):
        cluster_cases(prof, 3)
    with pytest.raises(ValueError, match="method"):
        cluster_cases(prof, 2, method="centroid")
    with pytest.raises(ValueError, match="k must"):
        cluster_cases(prof, 0)


# ----------------------------------------------------------- review fixes: targets, unknown values
def test_voice_distance_accepts_one_target_as_a_string(cb):
    one = voice_distance(cb.flows, targets="elus")
    assert one["target"].astype(str).unique().tolist() == ["elus"]
    both = voice_distance(cb.flows, targets=("elus",))
    pd.testing.assert_frame_equal(one, both)
    assert one.set_index("case_id").loc["b", "hops"] == 1  # usagers -> elus by vote
    with pytest.raises(ValueError, match="'citoyens' is not an actor"):
        voice_distance(cb.flows, targets="citoyens")


def test_classic_hops_is_the_reference_of_voice_distance(cb):
    from coanalysis.codebook import classic_hops

    # positions on usagers -> agents -> encadrement -> elus
    assert [classic_hops(t) for t in ("usagers", "agents", "encadrement", "elus")] == [0, 1, 2, 3]
    assert classic_hops("elus", source="agents") == 2
    assert classic_hops("partenaires") is None and classic_hops("usagers", source="elus") is None
    with pytest.raises(ValueError, match="not an actor"):
        classic_hops("maire")
    got = voice_distance(cb.flows, targets=("elus", "encadrement", "agents"))
    for target, classic in zip(got["target"].astype(str), got["classic_hops"]):
        assert classic == classic_hops(target)


def test_figures_have_no_second_copy_of_the_classic_distance():
    from coanalysis.figures import circuits as figures_circuits

    assert not hasattr(figures_circuits, "CLASSIC_DISTANCE")
    assert figures_circuits.classic_hops is __import__("coanalysis.codebook",
                                                       fromlist=["classic_hops"]).classic_hops


def test_profiles_name_the_unknown_conditions_and_cases(make_casebase):
    base = make_casebase(["a"], conditions=[("a", "experimenter", 1.0)])
    # a condition outside the codebook (plain strings, as a hand-made table would hold)
    bad_term = base.conditions.astype({"condition": "string"})
    bad_term.loc[len(bad_term), ["case_id", "condition", "score"]] = ["a", "experimentation", 0.67]
    with pytest.raises(ValueError, match="experimentation"):
        condition_profile(bad_term)
    with pytest.raises(ValueError, match="experimentation"):
        principle_profile(bad_term)
    # a case that is not in cases.csv
    orphan = make_casebase(["a"], conditions=[("a", "experimenter", 1.0), ("zz", "experimenter", 0)])
    with pytest.raises(ValueError, match="zz"):
        condition_profile(orphan)
    from coanalysis.metrics import na_rates
    with pytest.raises(ValueError, match="zz"):
        na_rates(orphan)


def test_outcome_profile_names_unknown_outcomes(make_casebase):
    table = make_casebase(["a"], outcomes=[("a", "perennisation", 1.0)]).outcomes
    table = table.astype({"outcome": "string"})
    table.loc[len(table), ["case_id", "outcome", "score"]] = ["a", "bonheur", 1.0]
    with pytest.raises(ValueError, match="bonheur"):
        outcome_profile(table)


def test_participation_names_unknown_actors_and_cases(make_casebase):
    good = make_casebase(["a"], participation=[("a", "usagers", "diagnostic", 3)])
    part = good.participation.astype({"actor": "string"})
    part.loc[len(part), ["case_id", "actor", "stage", "level"]] = ["a", "citoyens", "diagnostic", 4]
    with pytest.raises(ValueError, match="citoyens"):
        participation_depth(part)
    with pytest.raises(ValueError, match="citoyens"):
        participation_breadth(part)
    orphan = make_casebase(["a"], participation=[("a", "usagers", "diagnostic", 3),
                                                 ("zz", "elus", "decision", 5)])
    with pytest.raises(ValueError, match="zz"):
        participation_depth(orphan)


def test_profile_and_na_grid_agree_cell_by_cell(cb):
    # one grid: the profile's NA cells are exactly the grid's NA cells, and its values the grid's
    from coanalysis.metrics import na_rates

    profile = condition_profile(cb)
    rates = na_rates(cb, by="case_id").set_index(["case_id", "condition"])
    for case in profile.index:
        for condition in profile.columns:
            assert bool(pd.isna(profile.loc[case, condition])) == bool(
                rates.loc[(case, condition), "n_na"] == 1), (case, condition)
    assert profile.loc["a", "experimenter"] == 1 and profile.loc["b", "dialogue_former"] == 0.67


# ------------------------------------------------------------- review fixes: one column check
def test_missing_columns_raise_dataerror_naming_them(cb):
    from coanalysis.errors import DataError
    from coanalysis.metrics import channel_counts, na_rates

    with pytest.raises(DataError, match=r"lacks the column\(s\) \['score'\]"):
        condition_profile(cb.conditions.drop(columns="score"))
    with pytest.raises(DataError, match="'level'"):
        participation_depth(cb.participation.drop(columns="level"))
    with pytest.raises(DataError, match="'to_actor'"):
        voice_distance(cb.flows.drop(columns="to_actor"))
    with pytest.raises(DataError, match="'direct'"):
        channel_counts(cb.flows.drop(columns="direct"))
    broken = CaseBase(cases=cb.cases, participation=cb.participation,
                      conditions=cb.conditions.drop(columns="score"), outcomes=cb.outcomes,
                      flows=cb.flows, sources=cb.sources, codings={}, path=None)
    with pytest.raises(DataError) as info:
        na_rates(broken)
    assert [p.column for p in info.value.problems] == ["score"]


def test_require_columns_and_is_missing():
    from coanalysis.errors import DataError, is_missing
    from coanalysis.validation import require_columns

    frame = pd.DataFrame({"case_id": ["a"], "x": [1]})
    require_columns(frame, ["case_id", "x"])  # nothing missing: no error
    with pytest.raises(DataError) as info:
        require_columns(frame, {"row": "case_id", "value": "score", "column": "stage"}, table="t")
    assert isinstance(info.value, ValueError)
    assert [(p.column, p.expected) for p in info.value.problems] == [
        ("score", "a column 'score' (parameter value=)"),
        ("stage", "a column 'stage' (parameter column=)")]
    with pytest.raises(TypeError, match="DataFrame"):
        require_columns([1, 2], ["case_id"])
    assert [is_missing(v) for v in (None, np.nan, pd.NA, pd.NaT, float("nan"))] == [True] * 5
    # values, and containers whatever they hold, are not missing
    assert [is_missing(v) for v in (0, "", "NA", [None], (np.nan,), np.array([np.nan]))] == [False] * 6


# ---------------------------------------------------- review fixes: families, linkage, stability
def test_case_families_follow_parent_case():
    from coanalysis.metrics import case_families

    cases = pd.DataFrame({"case_id": ["p", "s1", "s2", "s1a", "q"],
                          "parent_case": [None, "p", "p", "s1", pd.NA]})
    assert case_families(cases).to_dict() == {"p": "p", "s1": "p", "s2": "p", "s1a": "p", "q": "q"}
    with pytest.raises(ValueError, match="'zz'"):
        case_families(pd.DataFrame({"case_id": ["a"], "parent_case": ["zz"]}))
    with pytest.raises(ValueError, match="cycle"):
        case_families(pd.DataFrame({"case_id": ["a", "b"], "parent_case": ["b", "a"]}))


def test_nearest_neighbour_is_never_in_the_same_family():
    from coanalysis.metrics import case_families, nearest_neighbours

    # "p" is a programme, "p_site" its site (almost the same profile), "q" another case
    prof = pd.DataFrame({"x": [1, 1, 0.67, 0], "y": [1, 0.67, 0.33, 0]},
                        index=["p", "p_site", "q", "r"], dtype="Float64")
    families = case_families(pd.DataFrame({"case_id": ["p", "p_site", "q", "r"],
                                           "parent_case": [None, "p", None, None]}))
    plain = nearest_neighbours(prof).set_index("case_id")
    assert plain.loc["p", "neighbour"] == "p_site"          # the case finds itself
    got = nearest_neighbours(prof, families=families).set_index("case_id")
    # p-q: sqrt(0.33^2 + 0.67^2); p_site-q: sqrt(0.33^2 + 0.34^2)
    assert got.loc["p", "neighbour"] == "q"
    assert got.loc["p", "distance"] == pytest.approx(math.hypot(0.33, 0.67))
    assert got.loc["p_site", "neighbour"] == "q"
    assert got.loc["q", "neighbour"] == "p_site"           # unrelated cases are unaffected
    assert got.loc["r", "neighbour"] == plain.loc["r", "neighbour"]


def test_cluster_summary_counts_the_relatives_of_highlighted_cases():
    from coanalysis.metrics import cluster_summary

    prof = pd.DataFrame({"x": [1, 1, 0.67, 0, 0.33]}, index=["p", "p_site", "q", "r", "s"])
    groups = pd.DataFrame({"case_id": ["p", "p_site", "q", "r", "s"], "cluster": [1, 1, 1, 2, 2]})
    families = pd.Series({"p_site": "p"})
    got = cluster_summary(groups, prof, highlight=["p", "s"], families=families)
    assert got["n_related"].tolist() == [1, 0]
    assert got["n_highlighted"].tolist() == [1, 1]
    assert "n_related" not in cluster_summary(groups, prof, highlight=["p"]).columns


def test_linkage_defaults_to_average():
    prof = pd.DataFrame({"x": [0, 0.1, 0.9, 1.0], "y": [0, NA, 1, 0.8]}, index=list("abcd"),
                        dtype="Float64")
    z_default, _ = case_linkage(prof)
    z_average, _ = case_linkage(prof, "average")
    np.testing.assert_allclose(z_default, z_average)
    pd.testing.assert_frame_equal(cluster_cases(prof, 2), cluster_cases(prof, 2, method="average"))


# Published examples of the adjusted Rand index (scikit-learn's adjusted_rand_score documentation).
@pytest.mark.parametrize("a, b, expected", [
    ([0, 0, 1, 1], [0, 0, 1, 1], 1.0),
    ([0, 0, 1, 1], [1, 1, 0, 0], 1.0),
    ([0, 0, 1, 2], [0, 0, 1, 1], 0.57),
    ([0, 0, 1, 1], [0, 0, 1, 2], 0.57),
    ([0, 0, 0, 0], [0, 1, 2, 3], 0.0),
    ([0, 0, 1, 1], [0, 1, 0, 1], -0.5),
])
def test_adjusted_rand_index_published_examples(a, b, expected):
    from coanalysis.metrics import adjusted_rand_index

    assert adjusted_rand_index(a, b) == pytest.approx(expected, abs=5e-3)  # printed to 2 decimals
    assert adjusted_rand_index(b, a) == pytest.approx(adjusted_rand_index(a, b))


def test_adjusted_rand_index_bad_input():
    from coanalysis.metrics import adjusted_rand_index

    with pytest.raises(ValueError, match="items"):
        adjusted_rand_index([1, 2], [1])
    with pytest.raises(ValueError, match="NA"):
        adjusted_rand_index([1, None], [1, 2])


def test_cluster_stability_hand_computed():
    from coanalysis.metrics import cluster_stability

    prof = pd.DataFrame({"x": [0, 0.1, 0.45, 0.9, 1]}, index=list("abcde"))
    got = cluster_stability(prof, (2, 3), highlight=["a", "e"])
    # k = 2: {a, b, c} {d, e} (c is at a mean 0.40 from a-b, 0.50 from d-e);
    # k = 3: {a, b} {c} {d, e}. ARI: sum C(n_ij,2) = 2, sums of the margins 4 and 2,
    # E = 4 * 2 / 10, max = 3 -> (2 - 0.8) / (3 - 0.8) = 6/11
    assert got["sizes"].tolist() == ["3 / 2", "2 / 2 / 1"]
    assert got["n_clusters_highlighted"].tolist() == [2, 2]
    assert pd.isna(got["ari_previous"].iloc[0])
    assert got["ari_previous"].iloc[1] == pytest.approx(6 / 11)
    assert got["ari_compare"].notna().all()


def test_choose_k_keeps_the_largest_stable_refinement():
    from coanalysis.metrics import choose_k

    stability = pd.DataFrame({"k": [2, 3, 4, 5, 6],
                              "ari_previous": pd.array([None, 0.91, 0.95, 0.5, 0.99], dtype="Float64")})
    # 3 and 4 extend their predecessor (>= 0.9), 5 does not, 6 is outside the candidates 3..5
    assert choose_k(stability) == 4
    # the bound is inclusive: an ARI exactly at min_ari passes
    assert choose_k(stability, min_ari=0.95) == 4
    # nothing stable: the smallest candidate; NA (the first cut) never passes
    assert choose_k(stability, min_ari=0.999) == 3
    assert choose_k(stability, ks=[2], min_ari=0.0) == 2
    assert choose_k(stability, ks=range(3, 7)) == 6


def test_choose_k_rejects_candidates_absent_from_the_table():
    from coanalysis.metrics import choose_k

    stability = pd.DataFrame({"k": [2, 3], "ari_previous": [None, 1.0]})
    with pytest.raises(ValueError, match="none of the candidate K"):
        choose_k(stability, ks=[7, 8])
    with pytest.raises(ValueError, match="at least one"):
        choose_k(stability, ks=[])
