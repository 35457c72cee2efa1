"""Horizontal bars of the comparable cases: the share of NA values per category and counts per
category, optionally stacked by a hue.

Each function takes a tidy ``data`` frame plus column names (seaborn's ``x``, ``y``, ``hue``),
draws on ``ax`` (a new one when None) and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..codebook import PRINCIPLES, VOCABULARIES, Vocabulary
from ..codebook.interface import word
from ..errors import DataError, Problem
from ..text import Lang, check_lang, format_percent
from ..validation import require_columns
from ._draw import DATA_FILE, vocabulary_label, new_axes, shared_docs, to_slugs
from .formatting import percent_axis
from .style import PALETTE

__all__ = ["na_rate_bars", "count_bars"]


@shared_docs
def na_rate_bars(data: pd.DataFrame, *, x: str = "na_rate", y: str = "condition",
                 vocabulary: str | Vocabulary | None = "condition", ax=None,
                 lang: Lang | None = None, annotate: bool = True):
    """Horizontal bars of the share of NA values per category (e.g. per condition).

    Parameters
    ----------
    data : DataFrame
        One row per category with its NA share (a proportion in [0, 1]).
    x, y : str
        Column names of the NA share (bar length) and of the category (one bar each).
    vocabulary : str, Vocabulary or None, default "condition"
        Codebook vocabulary giving the labels and order of categories (name in
        ``coanalysis.codebook.VOCABULARIES``); None keeps the values and their order.
    {ax}
    {lang}
    annotate : bool, default True
        Write each share at the end of its bar (``45 %``).

    {returns}

    Notes
    -----
    The share drawn is :math:`n_{NA} / n` per category, computed by the caller; key principles
    (when the vocabulary is the conditions') have bold labels.

    Examples
    --------
    >>> rates = pd.DataFrame({"condition": ["politique_rh", "experimenter"], "na_rate": [0.6, 0.1]})
    >>> ax = na_rate_bars(rates)
    >>> len(ax.patches)
    2
    """
    lang = check_lang(lang)
    require_columns(data, {"x": x, "y": y}, table="data", file=DATA_FILE)
    vocab = VOCABULARIES.get(vocabulary) if isinstance(vocabulary, str) else vocabulary
    values = pd.to_numeric(data[x], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        raise DataError([Problem(DATA_FILE, None, x, v, "a proportion in [0, 1]",
                                 f"row with index {i!r}")
                         for i, v, b in zip(data.index, data[x], bad) if b],
                        f"invalid value(s) in column {x!r}")
    keys = data[y].astype(object).tolist()
    if vocab is not None:
        slugs = to_slugs(data[y], vocab, y).tolist()
        order = sorted(range(len(slugs)), key=lambda i: vocab.slugs.index(slugs[i]))
    else:
        slugs, order = keys, list(range(len(keys)))
    ax = new_axes(ax, (6.7, 0.6 + 0.25 * len(keys)))
    positions = np.arange(len(order))
    ax.barh(positions, values[order], color=PALETTE[0], height=0.7)
    ax.set_yticks(positions)
    ax.set_yticklabels([vocabulary_label(vocab, slugs[i], lang) for i in order])
    if vocab is not None and vocab.name == "condition":
        for tick, i in zip(ax.get_yticklabels(), order):
            if slugs[i] in PRINCIPLES:
                tick.set_fontweight("bold")
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    percent_axis(ax, axis="x", lang=lang)
    ax.set_xlabel(word("na_rate", lang))
    ax.set_ylabel("")
    if annotate:
        for p, i in zip(positions, order):
            ax.text(values[i] + 0.01, p, format_percent(values[i], 0, lang), va="center", fontsize=7)
    ax.grid(axis="y", visible=False)
    return ax


@shared_docs
def count_bars(data: pd.DataFrame, *, y: str, x: str = "n_cases", hue: str | None = None,
               hue_order: Sequence | None = None, labels: Mapping[str, str] | None = None,
               hue_labels: Mapping[str, str] | None = None, ax=None, lang: Lang | None = None):
    """Horizontal bars of counts per category, optionally split (stacked) by ``hue``.

    Parameters
    ----------
    data : DataFrame
        Tidy counts: one row per category (and hue level) with its count.
    y, x : str
        Column names of the category (one bar each, in the order of ``data``) and of the count
        (bar length).
    hue : str, optional
        Column splitting each bar into stacked segments (e.g. the corpus).
    hue_order : sequence, optional
        Order (and colours) of the hue levels; default the categories of a categorical column, the
        codebook vocabulary of the same name, or the order of appearance. A level keeps its colour
        when other levels are missing, so that several panels share one legend.
    labels, hue_labels : mapping, optional
        Labels shown for the values of ``y`` and ``hue`` (default: a codebook vocabulary of the same
        name as the column when there is one, else the values).
    {ax}
    {lang}

    {returns}

    Notes
    -----
    The counts are drawn as given (e.g. ``cases.groupby([y, hue]).size()``); the bar of a
    category ends at :math:`\\sum_h n_{c,h}`, the total over its hue levels.

    Examples
    --------
    >>> counts = pd.DataFrame({"type": ["commune", "region"], "n_cases": [3, 1]})
    >>> ax = count_bars(counts, y="type")
    >>> [float(p.get_width()) for p in ax.patches]
    [3.0, 1.0]
    """
    lang = check_lang(lang)
    columns = {"x": x, "y": y}
    if hue is not None:
        columns["hue"] = hue
    require_columns(data, columns, table="data", file=DATA_FILE)
    values = pd.to_numeric(data[x], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise DataError([Problem(DATA_FILE, None, x, v, "a non-negative count",
                                 f"row with index {i!r}")
                         for i, v in data.loc[values.isna() | (values < 0), x].items()])

    def labeller(column, mapping):
        vocab = VOCABULARIES.get(column)
        return lambda v: (mapping[v] if mapping and v in mapping else vocabulary_label(vocab, v, lang))

    cat_label = labeller(y, labels)
    cats = list(pd.unique(data[y].astype(object)))
    ax = new_axes(ax, (6.7, 0.6 + 0.3 * len(cats)))
    positions = {c: i for i, c in enumerate(cats)}
    if hue is None:
        ax.barh([positions[c] for c in data[y].astype(object)], values, color=PALETTE[0],
                height=0.7)
    else:
        hue_label = labeller(hue, hue_labels)
        left = np.zeros(len(cats))
        # a level keeps its colour whatever the other levels present (same colours across panels)
        if hue_order is not None:
            levels = list(hue_order)
        elif isinstance(data[hue].dtype, pd.CategoricalDtype):
            levels = list(data[hue].cat.categories)
        elif hue in VOCABULARIES:
            levels = list(VOCABULARIES[hue].slugs)
        else:
            levels = list(pd.unique(data[hue].astype(object)))
        present = set(data[hue].astype(object))
        for k, level in enumerate(levels):
            if level not in present:
                continue
            part = data.loc[data[hue].astype(object) == level]
            widths = np.zeros(len(cats))
            for c, v in zip(part[y].astype(object), values[part.index]):
                widths[positions[c]] += v
            ax.barh(np.arange(len(cats)), widths, left=left, height=0.7,
                    color=PALETTE[k % len(PALETTE)], label=hue_label(level))
            left += widths
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    ax.set_yticks(np.arange(len(cats)))
    ax.set_yticklabels([cat_label(c) for c in cats])
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xlabel(word("n_cases", lang))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    return ax
