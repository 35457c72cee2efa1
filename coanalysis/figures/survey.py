"""Survey figures in the house style: a dumbbell chart (two estimates per item) and diverging
stacked bars of Likert answers.

Both take tidy data plus column names, draw on an Axes and return it; they compute nothing but
where to draw (stacking offsets).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.ticker import FuncFormatter

from ..errors import DataError, Problem
from ..text import Lang, check_lang, format_number, format_percent
from ..validation import require_columns
from ._draw import new_axes, shared_docs
from .style import DIVERGING, PALETTE, SEQUENTIAL

__all__ = ["dumbbell_chart", "diverging_likert", "stacked_bars"]


def _share_axes(data: pd.DataFrame, *, ax=None, **columns) -> tuple[pd.DataFrame, list[str], Any]:
    """:func:`_share_table` of ``data`` and the axes to draw on (a new figure when ``ax`` is None)."""
    table, labels = _share_table(data, **columns)
    ax = new_axes(ax)
    return table, labels, ax


def _share_table(data: pd.DataFrame, *, x: str, y: str, hue: str, hue_order: Sequence,
                 labels: Sequence[str] | None) -> tuple[pd.DataFrame, list[str]]:
    """Check a long (group ``y``, category ``hue``, share ``x``) table and pivot it to groups x
    ``hue_order``.

    Every category found in ``data`` must be declared in ``hue_order`` (an undeclared one
    raises :class:`~coanalysis.errors.DataError` rather than being dropped, so that bars
    always show all the answers); declared categories absent from a group count 0.
    Returns the wide table (groups in order of first appearance) and the legend labels.
    """
    require_columns(data, {"x": x, "y": y, "hue": hue})
    category, share, categories = hue, x, list(hue_order)
    labels = [str(c) for c in categories] if labels is None else list(labels)
    if len(labels) != len(categories):
        raise ValueError("labels must have one entry per category of hue_order")
    found = data[category].dropna().unique().tolist()
    unknown = [c for c in found if c not in categories]
    if unknown:
        raise DataError([Problem("<data>", None, category, c, f"one of the declared categories {categories}",
                                 "add it to hue_order= (with a label) or recode it before plotting")
                         for c in unknown],
                        f"categories not declared in hue_order=: {sorted(map(str, unknown))}")
    groups = list(dict.fromkeys(data[y]))
    table = (data.pivot_table(index=y, columns=category, values=share, aggfunc="sum", observed=True)
             .reindex(index=groups, columns=categories).fillna(0.0))
    return table, labels


@shared_docs
def dumbbell_chart(data: pd.DataFrame, *, y: str, x_start: str, x_end: str,
                   start_label: str, end_label: str,
                   start_ci: tuple[str, str] | None = None, end_ci: tuple[str, str] | None = None,
                   percent: bool = True, decimals: int = 0, lang: Lang | None = None, ax=None):
    """Two estimates per row joined by a segment (e.g. users' vs agents' satisfaction).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per item, drawn top to bottom in the frame's order.
    y : str
        Column of item labels.
    x_start, x_end : str
        Columns of the two estimates (drawn with the first and second palette colours).
    start_label, end_label : str
        Legend entries.
    start_ci, end_ci : (str, str), optional
        Columns of the lower and upper interval bounds, drawn as thin bars.
    percent : bool, default True
        Values are proportions shown as percentages.
    decimals : int, default 0
    {lang}
    {ax}

    {returns}

    Notes
    -----
    A marker with an interval is drawn 0.12 above (start) or below (end) its row so the two
    intervals do not overlap; the grey segment joins the two markers where they are drawn.

    Raises
    ------
    coanalysis.errors.DataError
        When a named column is missing.
    """
    lang = check_lang(lang)
    needed = {"y": y, "x_start": x_start, "x_end": x_end}
    for name, ci in (("start_ci", start_ci), ("end_ci", end_ci)):
        if ci is not None:
            needed.update({f"{name}[0]": ci[0], f"{name}[1]": ci[1]})
    require_columns(data, needed)
    ax = new_axes(ax)
    pos = np.arange(len(data))[::-1]
    a, b = data[x_start].to_numpy(float), data[x_end].to_numpy(float)
    # each marker is raised (start) or lowered (end) when it carries an interval bar, so the
    # joining segment runs from one shifted marker to the other
    ya = pos + (0.12 if start_ci is not None else 0.0)
    yb = pos - (0.12 if end_ci is not None else 0.0)
    ax.add_collection(LineCollection([[(a[i], ya[i]), (b[i], yb[i])] for i in range(len(pos))],
                                     colors="#9A9A9A", linewidths=2, zorder=1))
    for vals, ypos, ci, color, label in ((a, ya, start_ci, PALETTE[0], start_label),
                                         (b, yb, end_ci, PALETTE[1], end_label)):
        if ci is not None:
            ax.hlines(ypos, data[ci[0]].to_numpy(float), data[ci[1]].to_numpy(float),
                      color=color, linewidth=1, alpha=0.8, zorder=2)
        ax.scatter(vals, ypos, s=36, color=color, label=label, zorder=3,
                   edgecolor="white", linewidth=0.6)
    ax.set_yticks(pos, data[y].astype(str).tolist())
    ax.grid(axis="y", visible=False)
    fmt = ((lambda v, _: format_percent(v, decimals, lang)) if percent
           else (lambda v, _: format_number(v, decimals, lang)))
    ax.xaxis.set_major_formatter(FuncFormatter(fmt))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return ax


@shared_docs
def diverging_likert(data: pd.DataFrame, *, x: str, y: str, hue: str, hue_order: Sequence,
                     labels: Sequence[str] | None = None, lang: Lang | None = None, ax=None,
                     decimals: int = 0):
    """Diverging stacked bars: disagreeing answers to the left of 0, agreeing ones to the right.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format: one row per (item, answer category) with its share (proportion of
        answers, missing answers excluded).
    x : str
        Column of proportions (each item's shares sum to 1).
    y : str
        Column of item labels (bars drawn top to bottom in order of first appearance).
    hue : str
        Column of answer categories.
    hue_order : sequence
        The answer categories from the most negative to the most positive. With an odd number,
        the middle one is split half left, half right.
    labels : sequence of str, optional
        Legend labels of ``hue_order`` (default: the categories).
    {lang}
    {ax}
    decimals : int, default 0

    {returns}

    Raises
    ------
    coanalysis.errors.DataError
        When a column is missing or ``data`` holds a category not listed in ``hue_order``
        (never dropped silently: the bars would no longer sum to 100 %).
    """
    lang = check_lang(lang)
    table, labels, ax = _share_axes(data, x=x, y=y, hue=hue, hue_order=hue_order, labels=labels,
                                    ax=ax)
    items = list(table.index)
    k = len(labels)
    cmap = colormaps[DIVERGING]
    colors = [cmap(0.1 + 0.8 * i / (k - 1)) for i in range(k)][::-1]  # PuOr: orange = negative
    half = k // 2
    pos = np.arange(len(items))[::-1]
    vals = table.to_numpy(float)
    neutral = vals[:, half] if k % 2 else np.zeros(len(items))
    left_start = -(vals[:, :half].sum(axis=1) + neutral / 2)
    cursor = left_start.copy()
    for j in range(k):
        ax.barh(pos, vals[:, j], left=cursor, color=colors[j], edgecolor="white", linewidth=0.5,
                height=0.7, label=labels[j])
        cursor = cursor + vals[:, j]
    ax.axvline(0, color="#404040", linewidth=0.8)
    ax.set_yticks(pos, [str(i) for i in items])
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_percent(abs(v), decimals, lang)))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return ax


@shared_docs
def stacked_bars(data: pd.DataFrame, *, x: str, y: str, hue: str, hue_order: Sequence,
                 labels: Sequence[str] | None = None, colors: Sequence | None = None,
                 lang: Lang | None = None, ax=None, decimals: int = 0):
    """Horizontal 100 % stacked bars: the distribution of an ordered variable in each group.

    Parameters
    ----------
    data : pandas.DataFrame
        Long format: one row per (group, category) with its share.
    x : str
        Column of proportions.
    y : str
        Column of group labels (bars top to bottom in order of first appearance).
    hue : str
        Column of categories.
    hue_order : sequence
        Categories in drawing order (left to right).
    labels : sequence of str, optional
        Legend labels of ``hue_order``.
    colors : sequence, optional
        One colour per category; default: the house sequential colormap (ordered, colour-blind
        safe).
    {lang}
    {ax}
    decimals : int, default 0

    {returns}

    Raises
    ------
    coanalysis.errors.DataError
        When a column is missing or ``data`` holds a category not listed in ``hue_order``
        (never dropped silently: the bars would no longer sum to 100 %).
    """
    lang = check_lang(lang)
    table, labels, ax = _share_axes(data, x=x, y=y, hue=hue, hue_order=hue_order, labels=labels,
                                    ax=ax)
    groups = list(table.index)
    k = len(labels)
    if colors is None:
        cmap = colormaps[SEQUENTIAL]
        colors = [cmap(0.15 + 0.7 * i / max(k - 1, 1)) for i in range(k)]
    pos = np.arange(len(groups))[::-1]
    cursor = np.zeros(len(groups))
    for j in range(k):
        vals = table.iloc[:, j].to_numpy(float)
        ax.barh(pos, vals, left=cursor, color=colors[j], edgecolor="white", linewidth=0.5,
                height=0.7, label=labels[j])
        cursor = cursor + vals
    ax.set_yticks(pos, [str(g) for g in groups])
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_percent(v, decimals, lang)))
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return ax
