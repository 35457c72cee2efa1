"""Participation heatmaps (actor × stage) and case × condition membership matrices.

Each function follows seaborn's habit: it takes a tidy ``data`` frame plus column names, draws on
``ax`` (a new one when None) and returns the Axes. It computes nothing it does not draw; missing
values (NA) are drawn as NA — grey and hatched — and never as zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch

from ..codebook import ACTORS, CONDITIONS, FUZZY_SCORES, LEVELS, PRINCIPLES, STAGES
from ..codebook.interface import word
from ..errors import DataError, Problem
from ..text import Lang, check_lang, format_number
from ..validation import require_columns
from ._draw import (
    DATA_FILE,
    check_unique_cells,
    draw_grid,
    na_handle,
    new_axes,
    one_case,
    ordered_values,
    shared_docs,
    to_numbers,
    to_slugs,
)
from .style import SEQUENTIAL

__all__ = ["participation_heatmap", "membership_matrix"]


def _score_text(value: float, lang: str) -> str:
    """A fuzzy score as printed in a cell: ``0``, ``0,33``, ``0,67``, ``1``."""
    return format_number(value, 0 if value in (0.0, 1.0) else 2, lang)


@shared_docs
def participation_heatmap(data: pd.DataFrame, *, case_id, x: str = "stage", y: str = "actor",
                          value: str = "level", ax=None, lang: Lang | None = None,
                          legend: bool = True, annotate: bool = True):
    """Heatmap of one case's participation levels, actor × stage.

    Every actor and stage of the codebook gets a row or a column; a combination with no row in
    ``data`` (or a row with an empty level) is NA and is drawn grey and hatched, with the legend
    entry "NA : non documenté" — never as level 0, which means *documented* absence.

    Parameters
    ----------
    data : DataFrame
        Tidy participation table, one row per (case, actor, stage), with columns ``case_id``,
        ``actor``, ``stage``, ``level`` (e.g. ``CaseBase.participation``).
    case_id : str
        The case to draw.
    x, y, value : str
        Column names of the stage (columns of the grid), the actor (rows) and the participation
        level (the cell's value). Actors and stages are codebook slugs (or their labels); levels
        are 0-5 or NA.
    {ax}
    {lang}
    legend : bool, default True
        Draw the legend of levels and of NA.
    annotate : bool, default True
        Write the level in each documented cell.

    {returns}

    Raises
    ------
    DataError
        Missing column, unknown case, unknown actor or stage, a level outside 0-5, or two rows
        for one (actor, stage).

    Notes
    -----
    Levels follow the IAP2 spectrum of the codebook: 0 absent, 1 informer, 2 consulter,
    3 impliquer, 4 collaborer, 5 décider. Colours are six steps of the house's sequential map.

    References
    ----------
    International Association for Public Participation (IAP2), *Spectrum of Public
    Participation*, 2018.

    Examples
    --------
    >>> data = pd.DataFrame({"case_id": ["x", "x"], "actor": ["usagers", "agents"],
    ...                      "stage": ["diagnostic", "conception"], "level": [2, 4]})
    >>> ax = participation_heatmap(data, case_id="x")
    >>> len([p for p in ax.patches if p.get_gid() == "na-cell"])
    34
    """
    lang = check_lang(lang)
    require_columns(data, {"case_id": "case_id", "x": x, "y": y, "value": value}, table="data",
                    file=DATA_FILE)
    case = one_case(data, case_id)
    actors = to_slugs(case[y], ACTORS, y)
    stages = to_slugs(case[x], STAGES, x)
    levels = to_numbers(case[value], value, [float(s) for s in LEVELS.slugs],
                         "an integer level 0-5 or NA")
    keys = pd.DataFrame({y: actors, x: stages}, index=case.index)
    check_unique_cells(keys, [y, x])

    grid = np.full((len(ACTORS), len(STAGES)), np.nan)
    for a, s, v in zip(actors, stages, levels):
        grid[ACTORS.slugs.index(a), STAGES.slugs.index(s)] = v

    colours = plt.get_cmap(SEQUENTIAL)(np.linspace(0.05, 0.95, len(LEVELS)))
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(len(LEVELS) + 1) - 0.5, cmap.N)
    ax = new_axes(ax, (4.6, 2.8))
    draw_grid(ax, grid, cmap, norm, annotate=annotate, fmt=lambda v: format_number(v, 0, lang))
    ax.set_xticklabels(STAGES.labels(lang), rotation=30, ha="right", rotation_mode="anchor")
    ax.set_yticklabels(ACTORS.labels(lang))
    ax.set_xlabel(word("stage", lang))
    ax.set_ylabel(word("actor", lang))
    if legend:
        handles = [Patch(facecolor=colours[k], label=f"{t.slug} – {t.label(lang)}")
                   for k, t in enumerate(LEVELS)]
        handles.append(na_handle(lang))
        ax.legend(handles=handles, title=word("participation_level", lang), loc="upper left",
                  bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=7, title_fontsize=7.5)
    return ax


@shared_docs
def membership_matrix(data: pd.DataFrame, *, x: str = "condition", y: str = "case_id",
                      value: str = "score", order: Sequence | None = None, ax=None,
                      lang: Lang | None = None, legend: bool = True, annotate: bool = True):
    """Matrix of fuzzy membership scores, case × condition, the four key principles marked.

    Conditions are shown in codebook order (the study's recommendations, then its four key
    principles, which are set apart by a vertical rule, a bracket and bold tick labels). A
    (case, condition) pair with no row in ``data`` or an empty score is NA, drawn grey and hatched,
    never as 0.

    Parameters
    ----------
    data : DataFrame
        Tidy table with one row per (case, condition), e.g. ``CaseBase.conditions``.
    x, y, value : str
        Column names: the condition slug (columns of the grid), the row key (e.g. ``case_id`` or
        ``name``) and the fuzzy score (0, 0.33, 0.67, 1 or NA).
    order : sequence, optional
        Order of the rows (values of ``y``); default: the categories in use (categorical column)
        or first appearance.
    {ax}
    {lang}
    legend : bool, default True
    annotate : bool, default True
        Write each score in its cell (``0,67`` in French).

    {returns}

    Raises
    ------
    DataError
        Missing column, unknown condition, a score outside {0, 0.33, 0.67, 1}, or a duplicate
        (case, condition).

    Notes
    -----
    Scores follow the codebook's four-value fuzzy-set scheme; 0.5, the point of maximum
    ambiguity, is refused.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*. University of
    Chicago Press, ch. 5 (four-value fuzzy sets).

    Examples
    --------
    >>> data = pd.DataFrame({"case_id": ["a", "a", "b"],
    ...                      "condition": ["experimenter", "transversalite", "experimenter"],
    ...                      "score": [1.0, None, 0.33]})
    >>> ax = membership_matrix(data)
    >>> len([p for p in ax.patches if p.get_gid() == "na-cell"])
    2
    """
    lang = check_lang(lang)
    require_columns(data, {"x": x, "y": y, "value": value}, table="data", file=DATA_FILE)
    rows = ordered_values(data[y], order)
    if order is not None:
        unknown = [r for r in pd.unique(data[y].dropna().astype(object)) if r not in set(rows)]
        if unknown:
            raise DataError(Problem(DATA_FILE, None, y, unknown, "values listed in order",
                                    "add them to order or filter data first"))
    conditions = to_slugs(data[x], CONDITIONS, x)
    scores = to_numbers(data[value], value, FUZZY_SCORES, "a fuzzy score 0, 0.33, 0.67, 1 or NA")
    keys = pd.DataFrame({y: data[y].astype(object), x: conditions}, index=data.index)
    check_unique_cells(keys.dropna(subset=[y]), [y, x])

    present = set(conditions)
    columns = [c for c in CONDITIONS.slugs if c in present]
    grid = np.full((len(rows), len(columns)), np.nan)
    row_index = {r: i for i, r in enumerate(rows)}
    for r, c, v in zip(keys[y], conditions, scores):
        if r in row_index:
            grid[row_index[r], columns.index(c)] = v

    colours = plt.get_cmap(SEQUENTIAL)(np.linspace(0.05, 0.95, len(FUZZY_SCORES)))
    cmap = ListedColormap(colours)
    edges = [-0.165, 0.165, 0.5, 0.835, 1.165]
    norm = BoundaryNorm(edges, cmap.N)
    ax = new_axes(ax, (6.7, 0.6 + 0.28 * len(rows)))
    draw_grid(ax, grid, cmap, norm, annotate=annotate, fmt=lambda v: _score_text(v, lang))
    ax.set_xticklabels([CONDITIONS.label(c, lang) for c in columns], rotation=40, ha="right",
                       rotation_mode="anchor")
    ax.set_yticklabels([str(r) for r in rows])
    for tick, slug in zip(ax.get_xticklabels(), columns):
        if slug in PRINCIPLES:
            tick.set_fontweight("bold")

    first_principle = next((k for k, c in enumerate(columns) if c in PRINCIPLES), None)
    if first_principle is not None:
        if first_principle > 0:
            ax.axvline(first_principle, color="black", linewidth=1.4, gid="principles-rule")
        ax.annotate("", xy=(first_principle + 0.05, -0.25), xytext=(len(columns) - 0.05, -0.25),
                    xycoords="data", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": "black", "linewidth": 1.0},
                    gid="principles-bracket")
        ax.text((first_principle + len(columns)) / 2, -0.4, word("key_principles", lang),
                ha="center", va="bottom", fontsize=8, fontweight="bold", gid="principles-label",
                clip_on=False)
    if legend:
        handles = [Patch(facecolor=colours[k], label=format_number(s, 2, lang))
                   for k, s in enumerate(FUZZY_SCORES)]
        handles.append(na_handle(lang))
        ax.legend(handles=handles, title=word("membership_score", lang), loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7, title_fontsize=7.5)
    return ax
