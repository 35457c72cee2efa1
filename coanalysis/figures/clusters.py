"""Figures of the clustering of comparable cases: the heatmap of pairwise distances between
their profiles and the dendrogram of their hierarchical clustering.

Each function draws on ``ax`` (a new one when None) and returns the Axes; missing distances (NA)
are drawn grey and hatched, never as zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..codebook.interface import word
from ..errors import DataError, Problem
from ..text import Lang, check_lang, format_number
from ..validation import require_columns
from ._draw import DATA_FILE, NA_GID, draw_grid, na_handle, new_axes, shared_docs
from .formatting import number_axis
from .style import PALETTE, SEQUENTIAL

__all__ = ["distance_heatmap", "cluster_dendrogram"]


@shared_docs
def distance_heatmap(data: pd.DataFrame, *, x: str = "case_b", y: str = "case_a",
                     value: str = "distance", order: Sequence | None = None, ax=None,
                     lang: Lang | None = None, highlight: Sequence | None = None,
                     annotate: bool = False, decimals: int = 1, square: bool = True):
    """Symmetric heatmap of pairwise distances between cases, from a long table of pairs.

    Each row of ``data`` fills the cells (a, b) and (b, a). Pairs whose distance is NA (too few
    commonly coded conditions) are drawn grey and hatched; the diagonal (a case with itself) and
    pairs absent from ``data`` are left blank.

    Parameters
    ----------
    data : DataFrame
        One row per unordered pair, e.g. :func:`coanalysis.metrics.case_similarity`.
    x, y, value : str
        Column names of the two cases of a pair and of their distance (>= 0, NA allowed); the
        grid is symmetric, so which case is ``x`` does not matter.
    order : sequence, optional
        Order of the cases on both axes (e.g. the leaves of a clustering); default: order of
        first appearance in ``y`` then ``x``.
    {ax}
    {lang}
    highlight : sequence, optional
        Cases whose tick labels are set in bold (e.g. the five cases of the study).
    annotate : bool, default False
        Write each distance in its cell.
    decimals : int, default 1
        Decimals of the colour-bar ticks and annotations.
    square : bool, default True
        Square cells; False lets the cells fill the Axes (e.g. to line rows up with a dendrogram).

    {returns}

    Notes
    -----
    The colour scale runs from 0 (identical profiles, dark) to the largest distance drawn.

    Examples
    --------
    >>> pairs = pd.DataFrame({"case_a": ["a", "a", "b"], "case_b": ["b", "c", "c"],
    ...                       "distance": [0.5, None, 1.2]})
    >>> ax = distance_heatmap(pairs)
    >>> ax.collections[0].get_array().shape
    (3, 3)
    """
    lang = check_lang(lang)
    require_columns(data, {"x": x, "y": y, "value": value}, table="data", file=DATA_FILE)
    if order is None:
        both = pd.concat([data[y].astype(object), data[x].astype(object)])
        cases = list(pd.unique(both.dropna()))
    else:
        cases = list(order)
    values = pd.to_numeric(data[value].astype(object), errors="coerce").to_numpy(dtype=float)
    bad = (data[value].notna().to_numpy() & np.isnan(values)) | (values < 0)
    if bad.any():
        raise DataError([Problem(DATA_FILE, None, value, v, "a distance >= 0 or NA",
                                 f"row with index {i!r}")
                         for i, v, b in zip(data.index, data[value], bad) if b],
                        f"invalid value(s) in column {value!r}")
    index = {c: i for i, c in enumerate(cases)}
    grid = np.full((len(cases), len(cases)), np.nan)
    drawn = np.zeros(grid.shape, dtype=bool)
    for a, b, v in zip(data[y].astype(object), data[x].astype(object), values):
        if a in index and b in index:
            for i, j in ((index[a], index[b]), (index[b], index[a])):
                grid[i, j] = v
                drawn[i, j] = True
    cmap = plt.get_cmap(SEQUENTIAL)
    top = float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0
    norm = plt.Normalize(0, top if top > 0 else 1.0)
    size = min(6.7, 1.4 + 0.17 * len(cases))
    ax = new_axes(ax, (size + 0.9, size))
    # only the pairs present in data with an NA distance are hatched; blanks stay blank
    draw_grid(ax, np.where(drawn, grid, np.nan), cmap, norm, annotate=annotate,
               fmt=lambda v: format_number(v, decimals, lang))
    for patch in [p for p in ax.patches if p.get_gid() == NA_GID]:
        i, j = int(patch.get_y()), int(patch.get_x())
        if not drawn[i, j]:
            patch.remove()
    ax.set_xticklabels([str(c) for c in cases], rotation=90, fontsize=6)
    ax.set_yticklabels([str(c) for c in cases], fontsize=6)
    if highlight is not None:
        marked = set(highlight)
        for tick, c in zip(list(ax.get_xticklabels()) + list(ax.get_yticklabels()), cases + cases):
            if c in marked:
                tick.set_fontweight("bold")
    if square:
        ax.set_aspect("equal")
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    colorbar = ax.figure.colorbar(mappable, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label(word("profile_distance", lang))
    colorbar.ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    colorbar.ax.yaxis.set_major_formatter(
        plt.FuncFormatter(lambda x, _pos: format_number(x, decimals, lang)))
    if (drawn & np.isnan(grid)).any():
        ax.legend(handles=[na_handle(lang)], loc="upper left", bbox_to_anchor=(1.2, 1.0),
                  frameon=False, fontsize=7)
    return ax


@shared_docs
def cluster_dendrogram(linkage_matrix, labels: Sequence[str], *, ax=None, lang: Lang | None = None,
                       highlight: Sequence | None = None, k: int | None = None):
    """Dendrogram of a hierarchical clustering of the cases (leaves on the left).

    Parameters
    ----------
    linkage_matrix : ndarray
        The scipy linkage matrix, e.g. the first item of
        :func:`coanalysis.metrics.case_linkage`.
    labels : sequence of str
        The case ids of the leaves, in the order the linkage was built with.
    {ax}
    {lang}
    highlight : sequence, optional
        Leaves set in bold (e.g. the study's five cases).
    k : int, optional
        Colour the ``k`` clusters of the cut (as :func:`coanalysis.metrics.cluster_cases`);
        default one colour.

    {returns}

    Notes
    -----
    Drawn by :func:`scipy.cluster.hierarchy.dendrogram`; with ``k``, the colour threshold lies
    between the merge heights :math:`h_{n-k}` and :math:`h_{n-k+1}` of the tree.

    Examples
    --------
    >>> from scipy.cluster.hierarchy import linkage
    >>> z = linkage([[0.0], [0.33], [1.0], [1.0]], method="ward")
    >>> ax = cluster_dendrogram(z, ["a", "b", "c", "d"], k=2)
    >>> sorted(t.get_text() for t in ax.get_yticklabels())
    ['a', 'b', 'c', 'd']
    """
    from scipy.cluster.hierarchy import dendrogram, set_link_color_palette

    lang = check_lang(lang)
    z = np.asarray(linkage_matrix, dtype=float)
    labels = [str(c) for c in labels]
    if z.ndim != 2 or z.shape[1] != 4 or z.shape[0] != len(labels) - 1:
        raise ValueError(f"linkage_matrix must be a scipy linkage of {len(labels)} leaves "
                         f"(shape ({len(labels) - 1}, 4)), got shape {z.shape}")
    ax = new_axes(ax, (4.6, 0.8 + 0.16 * len(labels)))
    heights = np.sort(z[:, 2])
    if k is not None:
        if not 1 <= k <= len(labels):
            raise ValueError(f"k must be between 1 and {len(labels)}, got {k!r}")
        threshold = (heights[-k] + heights[-k + 1]) / 2 if 1 < k < len(labels) else (
            heights[-1] + 1 if k == 1 else 0)
    else:
        threshold = 0
    set_link_color_palette([c for c in PALETTE if c != "#F0E442"])
    try:
        dendrogram(z, labels=labels, orientation="left", ax=ax, color_threshold=threshold,
                   above_threshold_color="#7F7F7F", leaf_font_size=6)
    finally:
        set_link_color_palette(None)
    if highlight is not None:
        marked = set(highlight)
        for tick in ax.get_yticklabels():
            if tick.get_text() in marked:
                tick.set_fontweight("bold")
    ax.set_xlabel(word("merge_height", lang))
    ax.grid(axis="y", visible=False)
    number_axis(ax, axis="x", decimals=1, lang=lang)
    return ax
