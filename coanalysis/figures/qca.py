"""Figures of configurational comparison (QCA) that the engine does not draw itself.

The XY plot lives in :mod:`coanalysis.qca` (``xy_plot``); this module adds the
distribution of the codebook's fuzzy scores and the robustness grid. Like every plot function of the package, it takes a tidy
``data`` frame plus column names, draws on ``ax`` (a new one when None),
computes nothing it does not draw and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from matplotlib import colormaps

from ..codebook import FUZZY_SCORES, check_lang
from ..errors import DataError, Problem
from .formatting import format_number
from .style import NA_COLOR, PALETTE, SEQUENTIAL

__all__ = ["score_bars", "survival_grid", "SURVIVAL_GID", "SCORE_NA_GID"]

#: ``gid`` of the bar segments that count missing scores (NA).
SCORE_NA_GID = "score-na"

#: ``gid`` of the artists drawn for each cell kind, so that tests and readers can find them.
SURVIVAL_GID = {"full": "term-in-all-models", "partial": "term-in-some-models",
                "absent": "term-absent", "na": "run-without-solution"}

_HATCH = "///"
_DATA_FILE = "<data>"

_TEXT = {
    "fr": {"full": "Terme présent dans tous les modèles", "partial": "Présent dans une partie des modèles",
           "absent": "Absent de la solution", "na": "NA : aucune solution (aucune ligne positive)",
           "runs": "Réglage (seuils)", "terms": "Terme"},
    "en": {"full": "Term in every model", "partial": "In some of the tied models",
           "absent": "Not in the solution", "na": "NA: no solution (no positive row)",
           "runs": "Setting (cut-offs)", "terms": "Term"},
}
_TEXT["fr"]["n_cases"] = "Nombre de cas"
_TEXT["en"]["n_cases"] = "Number of cases"
_TEXT["fr"]["na_score"] = "NA : non documenté"
_TEXT["en"]["na_score"] = "NA: not documented"


def _check(data, columns: dict[str, str]) -> None:
    if not isinstance(data, pd.DataFrame):
        raise DataError(Problem(_DATA_FILE, None, None, type(data).__name__, "a pandas DataFrame",
                                "pass the tidy table of runs × terms"))
    missing = [name for name in columns.values() if name not in data.columns]
    if missing:
        raise DataError([Problem(_DATA_FILE, None, m, None, "a column of data",
                                 f"available columns: {', '.join(map(str, data.columns))}")
                         for m in missing])


def survival_grid(data: pd.DataFrame, *, run: str = "run", term: str = "term", value: str = "share",
                  run_order: Sequence | None = None, term_order: Sequence | None = None, ax=None,
                  lang: str = "fr", legend: bool = True):
    """Grid of the terms of a QCA solution (rows) across the runs of a robustness test (columns).

    Parameters
    ----------
    data : DataFrame
        Tidy: one row per (run, term) with ``value``, the share of the run's
        tied minimal models that hold the term (1 = every model, 0 = none);
        NA when the run has no solution (no truth-table row reached the
        cut-offs). A (run, term) pair absent from ``data`` is drawn as 0.
    run, term, value : str
        Column names.
    run_order, term_order : sequence, optional
        Order of the columns (runs) and rows (terms); default: order of
        first appearance.
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}
        Language of the legend and axis labels.
    legend : bool
        Draw the legend under the grid.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    DataError
        When a column is missing, a value lies outside [0, 1], or a
        (run, term) pair appears twice.

    Notes
    -----
    A cell is filled in full colour when share = 1, in a light tint when
    0 < share < 1 (model ambiguity: only some tied models hold the term),
    left white when share = 0, and grey hatched when NA. A term whose row
    is full across the grid survives every setting tried; a term present in
    a single column depends on that setting (Oana & Schneider's robustness
    protocol). The function draws the shares as given; it computes none.

    References
    ----------
    Oana, I.-E., & Schneider, C. Q. (2021). A robustness test protocol for
    applied QCA. *Sociological Methods & Research*, 53(1), 57-88.

    Examples
    --------
    >>> grid = pd.DataFrame({"run": ["0,8", "0,8", "0,9"], "term": ["A", "B", "A"],
    ...                      "share": [1.0, 0.5, 1.0]})
    >>> ax = survival_grid(grid)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['A', 'B']
    """
    lang = check_lang(lang)
    _check(data, {"run": run, "term": term, "value": value})
    values = pd.to_numeric(data[value], errors="coerce").astype(float)
    bad = data.index[(data[value].notna() & values.isna()) | (values < 0) | (values > 1)]
    if len(bad):
        raise DataError([Problem(_DATA_FILE, None, value, data.loc[i, value],
                                 "a share between 0 and 1, or NA (run without solution)",
                                 f"row with index {i!r}") for i in bad])
    dup = data.duplicated([run, term], keep=False)
    if dup.any():
        pairs = data.loc[dup, [run, term]].drop_duplicates().astype(str).agg(" / ".join, axis=1)
        raise DataError([Problem(_DATA_FILE, None, f"{run}, {term}", p, "one row per (run, term)",
                                 "aggregate the tied models into a share first") for p in pairs])
    runs = list(run_order) if run_order is not None else list(pd.unique(data[run].astype(object)))
    terms = list(term_order) if term_order is not None else list(pd.unique(data[term].astype(object)))
    unknown = [r for r in pd.unique(data[run].astype(object)) if r not in runs]
    unknown += [t for t in pd.unique(data[term].astype(object)) if t not in terms]
    if unknown:
        raise DataError([Problem(_DATA_FILE, None, None, u, "a value listed in run_order / term_order",
                                 "add it to the order or leave the order to its default")
                         for u in unknown])
    grid = np.zeros((len(terms), len(runs)))
    rpos = {r: j for j, r in enumerate(runs)}
    tpos = {t: i for i, t in enumerate(terms)}
    for r, t, v in zip(data[run].astype(object), data[term].astype(object), values):
        grid[tpos[t], rpos[r]] = v
    if ax is None:
        _fig, ax = plt.subplots(figsize=(1.5 + 0.45 * len(runs), 0.9 + 0.3 * len(terms)))
    for i in range(len(terms)):
        for j in range(len(runs)):
            v = grid[i, j]
            if np.isnan(v):
                kind, face, hatch = "na", NA_COLOR, _HATCH
            elif v >= 1:
                kind, face, hatch = "full", PALETTE[0], None
            elif v > 0:
                kind, face, hatch = "partial", PALETTE[4], None
            else:
                kind, face, hatch = "absent", "white", None
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=face, edgecolor="#BFBFBF", hatch=hatch,
                                   linewidth=0.6, gid=SURVIVAL_GID[kind]))
    ax.set_xlim(0, len(runs))
    ax.set_ylim(len(terms), 0)
    ax.set_xticks(np.arange(len(runs)) + 0.5)
    ax.set_xticklabels([str(r) for r in runs], rotation=90)
    ax.set_yticks(np.arange(len(terms)) + 0.5)
    ax.set_yticklabels([str(t) for t in terms])
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(_TEXT[lang]["runs"])
    ax.set_ylabel(_TEXT[lang]["terms"])
    if legend:
        handles = [Patch(facecolor=PALETTE[0], edgecolor="#BFBFBF", label=_TEXT[lang]["full"]),
                   Patch(facecolor=PALETTE[4], edgecolor="#BFBFBF", label=_TEXT[lang]["partial"]),
                   Patch(facecolor="white", edgecolor="#BFBFBF", label=_TEXT[lang]["absent"]),
                   Patch(facecolor=NA_COLOR, edgecolor="#7F7F7F", hatch=_HATCH, label=_TEXT[lang]["na"])]
        ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  fontsize=7)
    return ax


def score_bars(data: pd.DataFrame, *, variable: str = "variable", score: str = "score",
               count: str = "n_cases", order: Sequence | None = None, labels=None, ax=None,
               lang: str = "fr"):
    """Stacked bars of how many cases hold each fuzzy score (0, 0.33, 0.67, 1, NA) per set.

    Parameters
    ----------
    data : DataFrame
        Tidy counts: one row per (variable, score) with its count; ``score``
        is one of the codebook's four values, or NA for the cases with no
        evidence.
    variable, score, count : str
        Column names.
    order : sequence, optional
        Order of the bars, top to bottom (default: first appearance).
    labels : mapping, optional
        Label shown for each variable (e.g. the codebook's French labels).
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    DataError
        When a column is missing, a score is not one of the four values, a
        count is negative, or a (variable, score) pair appears twice.

    Notes
    -----
    The codebook's scores are already fuzzy-set memberships (Ragin 2000's
    four-value scheme: fully out, more out than in, more in than out, fully
    in); the bar of a set ends at the number of cases, NA included, so the
    share of missing evidence is read off the grey hatched segment. Scores
    take colours from the sequential palette, NA is grey and hatched, never
    a score.

    References
    ----------
    Ragin, C. C. (2000). *Fuzzy-Set Social Science*, ch. 6. University of
    Chicago Press.

    Examples
    --------
    >>> counts = pd.DataFrame({"variable": ["A", "A", "A"], "score": [1.0, 0.33, None],
    ...                        "n_cases": [3, 1, 2]})
    >>> ax = score_bars(counts)
    >>> [float(p.get_width()) for p in ax.patches]  # 0, 0.33, 0.67, 1, NA
    [0.0, 1.0, 0.0, 3.0, 2.0]
    """
    lang = check_lang(lang)
    _check(data, {"variable": variable, "score": score, "count": count})
    scores = pd.to_numeric(data[score], errors="coerce").astype(float)
    allowed = np.array(FUZZY_SCORES)
    bad = [i for i, raw, v in zip(data.index, data[score], scores)
           if (pd.notna(raw) and np.isnan(v)) or (not np.isnan(v) and not np.isclose(v, allowed).any())]
    if bad:
        raise DataError([Problem(_DATA_FILE, None, score, data.loc[i, score],
                                 "one of the codebook's scores 0, 0.33, 0.67, 1, or NA",
                                 f"row with index {i!r}") for i in bad])
    counts = pd.to_numeric(data[count], errors="coerce").astype(float)
    negative = data.index[counts.isna() | (counts < 0)]
    if len(negative):
        raise DataError([Problem(_DATA_FILE, None, count, data.loc[i, count], "a non-negative count",
                                 f"row with index {i!r}") for i in negative])
    keys = pd.DataFrame({"v": data[variable].astype(object), "s": scores.fillna(-1.0)})
    if keys.duplicated().any():
        pairs = keys[keys.duplicated(keep=False)].drop_duplicates().astype(str).agg(" / ".join, axis=1)
        raise DataError([Problem(_DATA_FILE, None, f"{variable}, {score}", p,
                                 "one row per (variable, score)", "sum the counts first")
                         for p in pairs])
    names = list(order) if order is not None else list(pd.unique(data[variable].astype(object)))
    missing = [v for v in pd.unique(data[variable].astype(object)) if v not in names]
    if missing:
        raise DataError([Problem(_DATA_FILE, None, variable, m, "a value listed in order",
                                 "add it to order") for m in missing])
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6.7, 0.8 + 0.28 * len(names)))
    pos = {v: i for i, v in enumerate(names)}
    cmap = colormaps[SEQUENTIAL]
    levels = [(v, cmap(0.1 + 0.8 * v), None, format_number(v, 0 if v in (0.0, 1.0) else 2, lang), None)
              for v in FUZZY_SCORES]
    levels.append((None, NA_COLOR, "///", _TEXT[lang]["na_score"], SCORE_NA_GID))
    left = np.zeros(len(names))
    for value, colour, hatch, label, gid in levels:
        mask = np.asarray(scores.isna() if value is None else np.isclose(scores, value))
        widths = np.zeros(len(names))
        for v, c in zip(data.loc[mask, variable].astype(object), counts[mask]):
            widths[pos[v]] += c
        bars = ax.barh(np.arange(len(names)), widths, left=left, height=0.7, color=colour, hatch=hatch,
                       edgecolor="#7F7F7F" if hatch else "white", linewidth=0.5, label=label)
        if gid:
            for bar in bars:
                bar.set_gid(gid)
        left += widths
    ax.set_yticks(np.arange(len(names)))
    ax.set_yticklabels([str(labels.get(v, v)) if labels else str(v) for v in names])
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlabel(_TEXT[lang]["n_cases"])
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=5, fontsize=7)
    return ax
