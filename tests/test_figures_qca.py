"""Tests of the QCA robustness grid: one cell per (run, term), kinds drawn as given, errors on bad input.

Positions read back from the artists are rounded to the integer rows they are drawn on.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from coanalysis.errors import DataError  # noqa: E402
from coanalysis.figures.qca import SURVIVAL_GID, survival_grid  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def grid():
    # 3 runs × 3 terms written by hand: run "c" has no solution (NA), term C appears only in run "b"
    # (half of the tied models), the pair (a, C) is absent from the table and must be drawn as 0.
    return pd.DataFrame({
        "run": ["a", "a", "b", "b", "b", "c"],
        "term": ["A", "B", "A", "B", "C", "A"],
        "share": [1.0, 0.0, 1.0, 1.0, 0.5, np.nan],
    })


def _cells(ax, kind):
    return [p for p in ax.patches if p.get_gid() == SURVIVAL_GID[kind]]


def test_one_cell_per_run_and_term(grid):
    ax = survival_grid(grid)
    assert len(ax.patches) == 3 * 3


def test_cell_kinds_follow_the_shares(grid):
    ax = survival_grid(grid)
    # full: (a, A), (b, A), (b, B); partial: (b, C); NA: run c holds the NA row for A,
    # and B, C are not listed for c, so they are drawn as absent (0), like (a, B) and (a, C).
    assert len(_cells(ax, "full")) == 3
    assert len(_cells(ax, "partial")) == 1
    assert len(_cells(ax, "na")) == 1
    assert len(_cells(ax, "absent")) == 4
    (partial,) = _cells(ax, "partial")
    assert partial.get_xy() == (1, 2)  # column b, row C
    (na,) = _cells(ax, "na")
    assert na.get_xy() == (2, 0) and na.get_hatch()


def test_orders_are_respected(grid):
    ax = survival_grid(grid, x_order=["c", "b", "a"], order=["C", "B", "A"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["c", "b", "a"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["C", "B", "A"]
    (partial,) = _cells(ax, "partial")
    assert partial.get_xy() == (1, 0)


@pytest.mark.parametrize("lang, word", [("fr", "Absent de la solution"), ("en", "Not in the solution")])
def test_legend_in_both_languages(grid, lang, word):
    ax = survival_grid(grid, lang=lang)
    assert word in [t.get_text() for t in ax.get_legend().get_texts()]


def test_draws_on_the_given_axes(grid):
    fig, (ax1, ax2) = plt.subplots(1, 2)
    out = survival_grid(grid, ax=ax2, legend=False)
    assert out is ax2 and not ax1.patches and ax2.get_legend() is None


def test_share_outside_unit_interval_is_rejected(grid):
    bad = grid.assign(share=[1.0, 0.0, 1.2, 1.0, 0.5, np.nan])
    with pytest.raises(DataError, match="between 0 and 1"):
        survival_grid(bad)


def test_missing_column_and_duplicates_are_rejected(grid):
    # the package's column check (errors.require_columns): one problem naming the parameter
    with pytest.raises(DataError, match=r"lacks the column\(s\) \['share'\]") as err:
        survival_grid(grid.drop(columns="share"))
    assert [(p.column, "parameter value=" in p.expected) for p in err.value.problems] == [("share", True)]
    with pytest.raises(TypeError, match="DataFrame"):
        survival_grid(grid.to_dict())
    with pytest.raises(DataError, match="one row per"):
        survival_grid(pd.concat([grid, grid.iloc[[0]]], ignore_index=True))


def test_order_missing_a_value_is_rejected(grid):
    with pytest.raises(DataError, match="x_order"):
        survival_grid(grid, x_order=["a", "b"])


def test_robustness_survival_feeds_the_grid_directly():
    import itertools

    from coanalysis import qca

    # cyclic function Σm(0, 1, 2, 5, 6, 7): two tied complex models with no common term
    # (McCluskey 1956); at n ≥ 2 no configuration has two cases, so that run has no solution
    on = {0, 1, 2, 5, 6, 7}
    df = pd.DataFrame([(a, b, c, int(4 * a + 2 * b + c in on))
                       for a, b, c in itertools.product([0, 1], repeat=3)],
                      columns=["A", "B", "C", "Y"], dtype=float)
    rob = qca.robustness(df, outcome="Y", conditions=["A", "B", "C"], solution="complex",
                         consistency_cutoffs=[1], n_cutoffs=[1, 2])
    ax = survival_grid(rob.survival(lang="en"), lang="en")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["n ≥ 1", "n ≥ 2"]
    assert len(_cells(ax, "partial")) == 6  # each term in one of the two tied models
    assert len(_cells(ax, "na")) == 6
    assert not _cells(ax, "full") and not _cells(ax, "absent")


def test_bad_language_is_rejected(grid):
    with pytest.raises(ValueError, match="lang"):
        survival_grid(grid, lang="de")


# --------------------------------------------------------------------------- score_bars
from coanalysis.figures.qca import SCORE_NA_GID, score_bars  # noqa: E402


@pytest.fixture
def scores():
    # Two sets counted by hand: P has 2 cases at 1, 1 at 0.67 and 3 NA; Q has 4 at 0 and 1 at 0.33.
    return pd.DataFrame({
        "variable": ["P", "P", "P", "Q", "Q"],
        "score": [1.0, 0.67, np.nan, 0.0, 0.33],
        "n_cases": [2, 1, 3, 4, 1],
    })


def test_score_bars_end_at_the_number_of_cases(scores):
    ax = score_bars(scores)
    ends = {}
    for p in ax.patches:
        row = round(p.get_y() + p.get_height() / 2)
        ends[row] = max(ends.get(row, 0), p.get_x() + p.get_width())
    assert ends == {0: 6, 1: 5}


def test_score_bars_na_is_a_hatched_segment_after_the_scores(scores):
    ax = score_bars(scores)
    na = [p for p in ax.patches if p.get_gid() == SCORE_NA_GID]
    assert len(na) == 2  # one per bar
    p_na = [p for p in na if round(p.get_y() + p.get_height() / 2) == 0][0]
    assert p_na.get_x() == 3 and p_na.get_width() == 3 and p_na.get_hatch()


@pytest.mark.parametrize("lang, texts", [("fr", ["0", "0,33", "0,67", "1", "NA\u00a0: non documenté"]),
                                         ("en", ["0", "0.33", "0.67", "1", "NA: not documented"])])
def test_score_bars_legend_in_both_languages(scores, lang, texts):
    ax = score_bars(scores, lang=lang)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == texts


def test_score_bars_labels_and_order(scores):
    ax = score_bars(scores, order=["Q", "P"], labels={"P": "Portage", "Q": "Q"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Q", "Portage"]


def test_score_bars_reject_half_and_negative_counts(scores):
    with pytest.raises(DataError, match="0.33, 0.67"):
        score_bars(scores.assign(score=[1.0, 0.5, np.nan, 0.0, 0.33]))
    with pytest.raises(DataError, match="non-negative"):
        score_bars(scores.assign(n_cases=[2, -1, 3, 4, 1]))
    with pytest.raises(DataError, match="one row per"):
        score_bars(pd.concat([scores, scores.iloc[[2]]], ignore_index=True))


def test_score_bars_missing_column_names_the_parameter(scores):
    with pytest.raises(DataError, match=r"lacks the column\(s\) \['n'\]") as err:
        score_bars(scores, x="n")
    assert "parameter x=" in err.value.problems[0].expected


@pytest.mark.parametrize("draw", ["grid", "bars"])
def test_french_labels_put_a_no_break_space_before_colon_and_semicolon(grid, scores, draw):
    ax = survival_grid(grid, lang="fr") if draw == "grid" else score_bars(scores, lang="fr")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    texts += [ax.get_xlabel(), ax.get_ylabel()]
    assert any("\u00a0:" in t for t in texts)
    for t in texts:
        assert " :" not in t and " ;" not in t, t
