"""Coverage metrics (NA rates, full participation grid, counts, sizes, mean scores) on a small
hand-computed case base with NA, plus invariants on the shipped case base.

Tolerances: rates and means are ratios of small counts or of exact codebook scores, computed by
hand the same way: a few ulps; pytest.approx's default (rel 1e-6) only absorbs representation.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from coanalysis import codebook
from coanalysis.loaders import CaseBase, load_casebase
from coanalysis.metrics import (
    case_counts,
    condition_profile,
    mean_scores,
    na_rates,
    participation_grid,
    population_summary,
)

NA = None


@pytest.fixture
def cb(make_casebase) -> CaseBase:
    # five cases, in a non-alphabetical order; e has no row in any coded table
    return make_casebase(
        ["b", "a", "c", "d", "e"],
        corpus=["ost2019", "ost2019", "comparables", "comparables", "comparables"],
        collectivity_type=["commune", "commune", "region", "commune", "epci"],
        domain=["budget_participatif", "qualite_service", "budget_participatif",
                "budget_participatif", "democratie_locale"],
        population=[NA, 1000, 3000, 6000, NA],
        conditions=[
            ("a", "experimenter", 1.0), ("a", "transversalite", 0.33), ("a", "portage_politique", NA),
            ("b", "experimenter", 0.67), ("b", "transversalite", NA),
            ("c", "experimenter", NA),
            # d and e: no row at all
        ],
        outcomes=[("a", "perennisation", 1.0)],
        participation=[("a", "usagers", "diagnostic", 4), ("a", "agents", "conception", 0),
                       ("a", "elus", "decision", NA), ("b", "elus", "decision", 5)],
    )


def _row(df, **keys):
    mask = pd.Series(True, index=df.index)
    for k, v in keys.items():
        mask &= df[k].astype(str) == v
    assert mask.sum() == 1, keys
    return df.loc[mask].iloc[0]


# ------------------------------------------------------------------------------- na_rates
def test_na_rates_per_condition_hand_computed(cb):
    rates = na_rates(cb)
    assert list(rates.columns) == ["condition", "n", "n_documented", "n_na", "na_rate"]
    assert list(rates["condition"].astype(str)) == list(codebook.CONDITIONS.slugs)
    assert rates["condition"].dtype == codebook.CONDITIONS.dtype()
    exp = _row(rates, condition="experimenter")       # a, b documented; c empty; d, e absent
    assert (exp["n"], exp["n_documented"], exp["n_na"]) == (5, 2, 3)
    assert exp["na_rate"] == pytest.approx(3 / 5)
    assert _row(rates, condition="transversalite")["na_rate"] == pytest.approx(4 / 5)
    # an empty score and a missing row are both NA
    assert _row(rates, condition="portage_politique")["na_rate"] == 1.0
    assert (rates["n"] == 5).all()


def test_na_rates_by_corpus_and_pooled(cb):
    rates = na_rates(cb, by="corpus")
    assert list(rates.columns[:2]) == ["corpus", "condition"]
    assert list(rates["corpus"].astype(str).unique()) == ["ost2019", "comparables"]
    assert _row(rates, corpus="ost2019", condition="experimenter")["na_rate"] == 0.0
    assert _row(rates, corpus="comparables", condition="experimenter")["na_rate"] == 1.0
    assert _row(rates, corpus="ost2019", condition="transversalite")["na_rate"] == pytest.approx(0.5)
    pooled = na_rates(cb, by="corpus", pooled=True)
    assert list(pooled.columns) == ["corpus", "n", "n_documented", "n_na", "na_rate"]
    assert pooled["n"].tolist() == [2 * 13, 3 * 13]
    assert pooled["n_documented"].tolist() == [3, 0]
    assert pooled["na_rate"].tolist() == pytest.approx([23 / 26, 1.0])
    overall = na_rates(cb, pooled=True)
    assert len(overall) == 1
    assert (overall["n"].iloc[0], overall["n_na"].iloc[0]) == (65, 62)


def test_na_rates_per_case_keeps_case_order(cb):
    per_case = na_rates(cb, by="case_id", pooled=True)
    assert per_case["case_id"].tolist() == ["b", "a", "c", "d", "e"]
    assert per_case["n_documented"].tolist() == [1, 2, 0, 0, 0]
    assert per_case["case_id"].dtype == "string"


def test_na_rates_participation_and_outcomes(cb):
    part = na_rates(cb, "participation", pooled=True)
    # 5 cases x 36 cells; 3 levels documented (a's elus/decision row has no level)
    assert (part["n"].iloc[0], part["n_documented"].iloc[0]) == (180, 3)
    cells = na_rates(cb, "participation", by="corpus")
    assert list(cells.columns[:3]) == ["corpus", "actor", "stage"]
    assert len(cells) == 2 * 36
    assert _row(cells, corpus="ost2019", actor="usagers", stage="diagnostic")["na_rate"] == 0.5
    assert _row(cells, corpus="ost2019", actor="elus", stage="decision")["na_rate"] == 0.5
    out = na_rates(cb, "outcomes")
    assert _row(out, outcome="perennisation")["n_na"] == 4
    assert out["na_rate"].sum() == pytest.approx(4 / 5 + 4 * 1.0)


def test_na_rates_bad_input(cb):
    with pytest.raises(ValueError, match="table"):
        na_rates(cb, "flows")
    with pytest.raises(ValueError, match="nope"):
        na_rates(cb, by="nope")
    with pytest.raises(TypeError, match="CaseBase"):
        na_rates(cb.conditions)


# ------------------------------------------------------------------------ participation_grid
def test_participation_grid_is_complete_with_na(cb):
    grid = participation_grid(cb, ["b", "a"])
    assert len(grid) == 2 * 36
    assert list(grid.columns) == ["case_id", "actor", "stage", "level"]
    assert grid["case_id"].tolist()[:36] == ["b"] * 36  # the order asked for
    assert grid["level"].dtype == "Int64"
    assert grid["actor"].dtype == codebook.ACTORS.dtype()
    a = grid[grid["case_id"] == "a"].set_index(["actor", "stage"])["level"]
    assert a[("usagers", "diagnostic")] == 4
    assert a[("agents", "conception")] == 0          # known absent stays 0
    assert pd.isna(a[("elus", "decision")])           # row without level: NA
    assert pd.isna(a[("tiers", "evaluation")])        # no row: NA, not 0
    assert int(a.notna().sum()) == 2
    first = grid.iloc[:6]
    assert first["actor"].astype(str).tolist() == ["usagers"] * 6
    assert first["stage"].astype(str).tolist() == list(codebook.STAGES.slugs)


def test_participation_grid_one_case_all_cases_and_unknown(cb):
    assert len(participation_grid(cb, "e")) == 36
    assert participation_grid(cb, "e")["level"].isna().all()
    assert participation_grid(cb)["case_id"].unique().tolist() == ["b", "a", "c", "d", "e"]
    with pytest.raises(ValueError, match="zz"):
        participation_grid(cb, ["a", "zz"])


# -------------------------------------------------------------------------------- case_counts
def test_case_counts_hand_computed(cb):
    counts = case_counts(cb)
    got = [(str(t), str(c), n) for t, c, n in counts.itertuples(index=False)]
    assert got == [("commune", "ost2019", 2), ("commune", "comparables", 1),
                   ("epci", "comparables", 1), ("region", "comparables", 1)]
    by_domain = case_counts(cb, "domain")
    assert by_domain["domain"].astype(str).tolist() == ["budget_participatif", "democratie_locale",
                                                        "qualite_service"]  # codebook order
    assert by_domain["n_cases"].tolist() == [3, 1, 1]
    full = case_counts(cb, ["collectivity_type", "corpus"], observed=False)
    assert len(full) == len(codebook.COLLECTIVITY_TYPES) * len(codebook.CORPORA)
    assert full["n_cases"].sum() == len(cb.cases)
    with pytest.raises(ValueError):
        case_counts(cb, [])


# -------------------------------------------------------------------------- population_summary
def test_population_summary_hand_computed(cb):
    summary = population_summary(cb)
    commune = _row(summary, collectivity_type="commune")   # b NA, a 1000, d 6000
    assert (commune["n_cases"], commune["n_known"]) == (3, 2)
    assert (commune["min"], commune["median"], commune["max"]) == (1000, 3500, 6000)
    epci = _row(summary, collectivity_type="epci")          # no known population
    assert epci["n_known"] == 0 and pd.isna(epci["min"]) and pd.isna(epci["median"])
    overall = population_summary(cb, by=None).iloc[0]
    assert (overall["n_cases"], overall["n_known"], overall["median"]) == (5, 3, 3000)
    assert "n_at_least" not in population_summary(cb).columns


def test_population_summary_counts_large_collectivities(cb):
    # populations: b NA, a 1000, c 3000, d 6000, e NA; an unknown size never counts as large
    large = population_summary(cb, at_least=3000)
    assert _row(large, collectivity_type="commune")["n_at_least"] == 1    # d
    assert _row(large, collectivity_type="region")["n_at_least"] == 1     # c, at the bound
    assert _row(large, collectivity_type="epci")["n_at_least"] == 0
    assert population_summary(cb, by=None, at_least=1000)["n_at_least"].tolist() == [3]
    with pytest.raises(TypeError, match=r"at_least must be a number, got 'big' \(str\)"):
        population_summary(cb, at_least="big")


# -------------------------------------------------------------------------------- mean_scores
def test_mean_scores_skip_na_hand_computed(cb):
    means = mean_scores(cb, by="corpus")
    exp = _row(means, corpus="ost2019", condition="experimenter")
    assert (exp["n"], exp["n_documented"]) == (2, 2)
    assert exp["mean"] == pytest.approx((1 + 0.67) / 2)
    none = _row(means, corpus="comparables", condition="experimenter")
    assert none["n_documented"] == 0 and pd.isna(none["mean"])   # NA, never 0
    assert _row(means, corpus="ost2019", condition="transversalite")["mean"] == pytest.approx(0.33)
    everyone = mean_scores(cb, by=None)
    assert list(everyone.columns) == ["condition", "n", "n_documented", "mean"]
    assert _row(everyone, condition="experimenter")["n"] == 5
    assert _row(mean_scores(cb, "outcomes", by=None), outcome="perennisation")["mean"] == 1.0
    with pytest.raises(ValueError, match="table"):
        mean_scores(cb, "participation")


# --------------------------------------------------------------- invariants on the shipped data
@pytest.fixture(scope="module")
def shipped():
    return load_casebase()


def test_shipped_rates_agree_with_profile_and_pooling(shipped):
    rates = na_rates(shipped).set_index("condition")["na_rate"]
    profile = condition_profile(shipped)
    for slug in codebook.CONDITIONS.slugs:
        assert rates[slug] == pytest.approx(profile[slug].isna().mean())
    per_var = na_rates(shipped, "participation")
    pooled = na_rates(shipped, "participation", pooled=True).iloc[0]
    assert per_var["n_na"].sum() == pooled["n_na"]
    assert pooled["n"] == 36 * len(shipped.cases)
    assert pooled["n_documented"] == shipped.participation["level"].notna().sum()


def test_shipped_grid_round_trips_the_participation_table(shipped):
    grid = participation_grid(shipped).dropna(subset=["level"])
    coded = shipped.participation.dropna(subset=["level"])
    key = lambda df: sorted(zip(df["case_id"].astype(str), df["actor"].astype(str),  # noqa: E731
                                df["stage"].astype(str), df["level"].astype(int)))
    assert key(grid) == key(coded)
    assert case_counts(shipped, "corpus")["n_cases"].tolist() == [5, len(shipped.cases) - 5]
    means = mean_scores(shipped, by=None).set_index("condition")["mean"]
    assert all(math.isnan(float(v)) or 0 <= v <= 1 for v in means.astype(float))
