"""Figures of configurational comparison (QCA).

The XY plot of a term or model against the outcome (``xy_plot``, with the
merged points it draws, ``xy_points``), the distribution of the codebook's
fuzzy scores (``score_bars``) and the robustness grid (``survival_grid``).
All four are importable from :mod:`coanalysis.figures`. Like every plot function of the package, each takes a tidy ``data`` frame plus
column names, draws on ``ax`` (a new one when None), computes nothing it does
not draw and returns the Axes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.patches import Patch, Rectangle

from ..codebook import FUZZY_SCORES, set_label
from ..codebook.interface import word
from ..errors import DataError, Problem
from ..text import Lang, check_lang, format_number
from ..validation import require_columns
from ._draw import DATA_FILE, NA_HATCH, new_axes, shared_docs
from .style import NA_COLOR, PALETTE, SEQUENTIAL

__all__ = ["xy_plot", "xy_points", "score_bars", "survival_grid", "SURVIVAL_GID", "SCORE_NA_GID", "BASE_AREA"]

#: ``gid`` of the bar segments that count missing scores (NA).
SCORE_NA_GID = "score-na"

#: ``gid`` of the artists drawn for each cell kind, so that tests and readers can find them.
SURVIVAL_GID = {"full": "term-in-all-models", "partial": "term-in-some-models",
                "absent": "term-absent", "na": "run-without-solution"}

#: The interface word of each cell kind's legend entry.
_LEGEND_WORD = {"full": "term_in_all_models", "partial": "term_in_some_models",
                "absent": "term_absent", "na": "run_without_solution"}

#: Marker area (points²) of a point holding one case; a point holding n cases gets n times this area.
BASE_AREA = 22.0

def _axis_label(name: str, lang: str) -> str:
    """"Appartenance à « <codebook label> »" for a codebook set, "Appartenance à <name>" otherwise."""
    label = set_label(name, lang)
    if label is None:
        return word("membership_in", lang).format(name)
    return word("membership_in_set", lang).format(label)


def xy_points(data: pd.DataFrame, *, x: str, y: str, label: str | None = None) -> pd.DataFrame:
    """The points that :func:`xy_plot` draws with ``count=True``: one row per distinct (x, y).

    Parameters
    ----------
    data : DataFrame
        One row per case.
    x, y : str
        Columns holding the memberships in the expression and in the outcome.
    label : str, optional
        Column naming the cases; default: the index of ``data``.

    Returns
    -------
    DataFrame
        Columns ``x``, ``y`` (the memberships, under their own names),
        ``n_cases`` (cases at that point) and ``cases`` (their names joined
        with ", ", in the order of ``data``); sorted by x then y.

    Raises
    ------
    DataError
        When ``x``, ``y`` or ``label`` is not a column of ``data`` (one
        :class:`~coanalysis.errors.Problem` per missing column), or when a
        membership is NA (one problem per NA cell).
    ValueError
        When ``x`` and ``y`` are the same column.

    Notes
    -----
    With the codebook's four scores (0, 0.33, 0.67, 1) and min/max
    operators, memberships take few values, so several cases often sit at
    the same point; a plain scatter would hide them. Points are equal when
    their memberships are equal after rounding to 10 decimals (to absorb
    floating-point noise of 1 − x).

    Examples
    --------
    >>> df = pd.DataFrame({"A": [1.0, 1.0, 0.33], "Y": [1.0, 1.0, 0.67]}, index=["a", "b", "c"])
    >>> xy_points(df, x="A", y="Y")[["n_cases", "cases"]].values.tolist()
    [[1, 'c'], [2, 'a, b']]
    """
    require_columns(data, {"x": x, "y": y, **({"label": label} if label else {})}, table="data",
                    file=DATA_FILE)
    if x == y:
        raise ValueError("x and y must be two different columns")
    names = data[label] if label else pd.Series(data.index, index=data.index)
    frame = pd.DataFrame({
        "_x": pd.to_numeric(data[x], errors="raise").astype(float).to_numpy(),
        "_y": pd.to_numeric(data[y], errors="raise").astype(float).to_numpy(),
        "_case": names.astype(str).to_numpy(),
    })
    missing = [(i, col) for col, key in ((x, "_x"), (y, "_y"))
               for i, na in zip(data.index, frame[key].isna()) if na]
    if missing:
        raise DataError([Problem(DATA_FILE, None, col, None, "a membership between 0 and 1, not NA",
                                 f"row with index {i!r}: drop the case or document the score")
                         for i, col in missing],
                        f"columns {x!r} and {y!r} must not hold NA memberships")
    frame["_kx"] = frame["_x"].round(10)
    frame["_ky"] = frame["_y"].round(10)
    points = (frame.groupby(["_kx", "_ky"], sort=True)
              .agg(_x=("_x", "first"), _y=("_y", "first"), n_cases=("_case", "size"),
                   cases=("_case", ", ".join))
              .reset_index(drop=True))
    return points.rename(columns={"_x": x, "_y": y})[[x, y, "n_cases", "cases"]]


@shared_docs
def xy_plot(data: pd.DataFrame, *, x: str, y: str, label: str | None = None, count: bool = True,
            ax=None, lang: Lang | None = None, color=None):
    """Scatter of case memberships in a term or model (x) against the outcome (y).

    Parameters
    ----------
    data : DataFrame
        One row per case, e.g. ``Solution.case_membership()``.
    x, y : str
        Columns holding the memberships in the expression and in the outcome.
    label : str, optional
        Column with case labels written next to each point (default: none).
    count : bool
        Merge the cases that sit at the same (x, y) into one point whose
        marker area is proportional to their number, annotated "n = k"; a
        point holding a single case keeps its case label (if ``label`` is
        given). With ``count=False`` every case is its own point.
    {ax}
    lang : {"fr", "en"}, optional
        Language of the axis labels (None: :func:`coanalysis.default_lang`): a condition or outcome slug is named
        by its codebook label, first letter in lower case, inside the
        sentence ("Appartenance à « pérennisation »", "Membership in
        “lasting beyond the pilot”"); any other name (a model expression)
        is shown as is.
    color : optional
        Point colour (default: the house palette's first colour).

    {returns}

    Raises
    ------
    DataError
        When ``x``, ``y`` or ``label`` is not a column of ``data`` (one
        :class:`~coanalysis.errors.Problem` per missing column), or, with
        ``count=True``, when a membership is NA.
    ValueError
        With ``count=True``, when ``x == y``.

    Notes
    -----
    Points above the diagonal (y ≥ x) agree with "x is sufficient for y";
    the upper-right quadrant holds the typical cases, the lower-right one
    the deviant cases for consistency (Schneider & Rohlfing 2013). With
    ``count=True`` a point holding n cases has area n × ``BASE_AREA``
    (points²), so areas, not radii, compare the counts. The merged points
    are :func:`xy_points` (export them as the figure's data). The function
    draws only; it computes no fit (put the figures in a title).

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry*, ch. 3.
    Schneider, C. Q., & Rohlfing, I. (2013). Combining QCA and process
    tracing in set-theoretic multi-method research. *Sociological Methods &
    Research*, 42(4), 559-597.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A*B": [0.2, 0.9, 0.9], "Y": [0.4, 1.0, 1.0]})
    >>> ax = xy_plot(df, x="A*B", y="Y", lang="en")
    >>> ax.get_xlabel(), [t.get_text() for t in ax.texts]
    ('Membership in A*B', ['n = 2'])
    """
    lang = check_lang(lang)
    require_columns(data, {"x": x, "y": y, **({"label": label} if label else {})}, table="data",
                    file=DATA_FILE)
    ax = new_axes(ax)
    if color is None:
        color = PALETTE[0]
    ax.plot([0, 1], [0, 1], color="0.6", linewidth=0.8, zorder=1)
    ax.axhline(0.5, color="0.85", linewidth=0.6, zorder=0)
    ax.axvline(0.5, color="0.85", linewidth=0.6, zorder=0)
    if count:
        points = xy_points(data, x=x, y=y, label=label)
        sizes = BASE_AREA * points["n_cases"].to_numpy(dtype=float)
        texts = [f"n = {n}" if n > 1 else (case if label else None)
                 for n, case in zip(points["n_cases"], points["cases"])]
        single = (points["n_cases"] == 1).to_numpy()
        xs, ys = points[x].to_numpy(dtype=float), points[y].to_numpy(dtype=float)
        offsets = [np.sqrt(s) / 2 + 1.5 for s in sizes]  # clear of the marker's edge (diameter √s)
    else:
        sizes = BASE_AREA
        texts = [str(v) for v in data[label]] if label else [None] * len(data)
        xs, ys = data[x].to_numpy(dtype=float), data[y].to_numpy(dtype=float)
        offsets = [np.sqrt(BASE_AREA) / 2 + 1.5] * len(data)
        single = np.ones(len(data), dtype=bool)
    ax.scatter(xs, ys, color=color, zorder=2, s=sizes, alpha=0.85 if count else 1.0, linewidths=0,
               clip_on=False)
    for text, xv, yv, off, one in zip(texts, xs, ys, offsets, single):
        if text is None:
            continue
        # "n = k" above the point (below it near the top edge), a case name below it (above it
        # near the bottom edge); centred, or flush inwards near the side edges: on the grid of
        # four-value scores, the labels of neighbouring points then seldom meet
        top = yv >= 0.2 if one else yv > 0.8
        ha = "right" if xv > 0.8 else "left" if xv < 0.2 else "center"
        ax.annotate(text, (xv, yv), xytext=(0, -off if top else off), textcoords="offset points",
                    fontsize=7, ha=ha, va="top" if top else "bottom")
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.04, 1.04)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_aspect("equal")
    ax.set_xlabel(_axis_label(x, lang))
    ax.set_ylabel(_axis_label(y, lang))
    return ax


@shared_docs
def survival_grid(data: pd.DataFrame, *, x: str = "run", y: str = "term", value: str = "share",
                  order: Sequence | None = None, x_order: Sequence | None = None, ax=None,
                  lang: Lang | None = None, legend: bool = True):
    """Grid of the terms of a QCA solution (rows) across the runs of a robustness test (columns).

    Parameters
    ----------
    data : DataFrame
        Tidy: one row per (run, term) with ``value``, the share of the run's
        tied minimal models that hold the term (1 = every model, 0 = none);
        NA when the run has no solution (no truth-table row reached the
        cut-offs). A (run, term) pair absent from ``data`` is drawn as 0.
    x, y, value : str
        Column names of the run (columns of the grid), the term (rows) and
        the share (the cell's value).
    order, x_order : sequence, optional
        Order of the rows (terms) and of the columns (runs); default: order
        of first appearance.
    {ax}
    {lang}
    legend : bool
        Draw the legend under the grid.

    {returns}

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
    run, term = x, y
    require_columns(data, {"x": x, "y": y, "value": value}, table="data", file=DATA_FILE)
    values = pd.to_numeric(data[value], errors="coerce").astype(float)
    bad = data.index[(data[value].notna() & values.isna()) | (values < 0) | (values > 1)]
    if len(bad):
        raise DataError([Problem(DATA_FILE, None, value, data.loc[i, value],
                                 "a share between 0 and 1, or NA (run without solution)",
                                 f"row with index {i!r}") for i in bad])
    dup = data.duplicated([run, term], keep=False)
    if dup.any():
        pairs = data.loc[dup, [run, term]].drop_duplicates().astype(str).agg(" / ".join, axis=1)
        raise DataError([Problem(DATA_FILE, None, f"{run}, {term}", p, "one row per (run, term)",
                                 "aggregate the tied models into a share first") for p in pairs])
    runs = list(x_order) if x_order is not None else list(pd.unique(data[run].astype(object)))
    terms = list(order) if order is not None else list(pd.unique(data[term].astype(object)))
    unknown = [r for r in pd.unique(data[run].astype(object)) if r not in runs]
    unknown += [t for t in pd.unique(data[term].astype(object)) if t not in terms]
    if unknown:
        raise DataError([Problem(DATA_FILE, None, None, u, "a value listed in order / x_order",
                                 "add it to the order or leave the order to its default")
                         for u in unknown])
    grid = np.zeros((len(terms), len(runs)))
    rpos = {r: j for j, r in enumerate(runs)}
    tpos = {t: i for i, t in enumerate(terms)}
    for r, t, v in zip(data[run].astype(object), data[term].astype(object), values):
        grid[tpos[t], rpos[r]] = v
    ax = new_axes(ax, (1.5 + 0.45 * len(runs), 0.9 + 0.3 * len(terms)))
    for i in range(len(terms)):
        for j in range(len(runs)):
            v = grid[i, j]
            if np.isnan(v):
                kind, face, hatch = "na", NA_COLOR, NA_HATCH
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
    ax.set_xlabel(word("robustness_run", lang))
    ax.set_ylabel(word("term", lang))
    if legend:
        text = {kind: word(key, lang) for kind, key in _LEGEND_WORD.items()}
        handles = [Patch(facecolor=PALETTE[0], edgecolor="#BFBFBF", label=text["full"]),
                   Patch(facecolor=PALETTE[4], edgecolor="#BFBFBF", label=text["partial"]),
                   Patch(facecolor="white", edgecolor="#BFBFBF", label=text["absent"]),
                   Patch(facecolor=NA_COLOR, edgecolor="#7F7F7F", hatch=NA_HATCH, label=text["na"])]
        ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  fontsize=7)
    return ax


@shared_docs
def score_bars(data: pd.DataFrame, *, x: str = "n_cases", y: str = "variable", hue: str = "score",
               order: Sequence | None = None, labels=None, ax=None, lang: Lang | None = None):
    """Stacked bars of how many cases hold each fuzzy score (0, 0.33, 0.67, 1, NA) per set.

    Parameters
    ----------
    data : DataFrame
        Tidy counts: one row per (set, score) with its count; the score
        is one of the codebook's four values, or NA for the cases with no
        evidence.
    x, y, hue : str
        Column names of the count (length of a segment), the set (one bar
        each) and the score (one segment each).
    order : sequence, optional
        Order of the bars, top to bottom (default: first appearance).
    labels : mapping, optional
        Label shown for each set (e.g. the codebook's French labels).
    {ax}
    {lang}

    {returns}

    Raises
    ------
    DataError
        When a column is missing, a score is not one of the four values, a
        count is negative, or a (set, score) pair appears twice.

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
    variable, score, count = y, hue, x
    require_columns(data, {"x": x, "y": y, "hue": hue}, table="data", file=DATA_FILE)
    scores = pd.to_numeric(data[score], errors="coerce").astype(float)
    allowed = np.array(FUZZY_SCORES)
    bad = [i for i, raw, v in zip(data.index, data[score], scores)
           if (pd.notna(raw) and np.isnan(v)) or (not np.isnan(v) and not np.isclose(v, allowed).any())]
    if bad:
        raise DataError([Problem(DATA_FILE, None, score, data.loc[i, score],
                                 "one of the codebook's scores 0, 0.33, 0.67, 1, or NA",
                                 f"row with index {i!r}") for i in bad])
    counts = pd.to_numeric(data[count], errors="coerce").astype(float)
    negative = data.index[counts.isna() | (counts < 0)]
    if len(negative):
        raise DataError([Problem(DATA_FILE, None, count, data.loc[i, count], "a non-negative count",
                                 f"row with index {i!r}") for i in negative])
    keys = pd.DataFrame({"v": data[variable].astype(object), "s": scores.fillna(-1.0)})
    if keys.duplicated().any():
        pairs = keys[keys.duplicated(keep=False)].drop_duplicates().astype(str).agg(" / ".join, axis=1)
        raise DataError([Problem(DATA_FILE, None, f"{variable}, {score}", p,
                                 "one row per (variable, score)", "sum the counts first")
                         for p in pairs])
    names = list(order) if order is not None else list(pd.unique(data[variable].astype(object)))
    missing = [v for v in pd.unique(data[variable].astype(object)) if v not in names]
    if missing:
        raise DataError([Problem(DATA_FILE, None, variable, m, "a value listed in order",
                                 "add it to order") for m in missing])
    ax = new_axes(ax, (6.7, 0.8 + 0.28 * len(names)))
    pos = {v: i for i, v in enumerate(names)}
    cmap = colormaps[SEQUENTIAL]
    levels = [(v, cmap(0.1 + 0.8 * v), None, format_number(v, 0 if v in (0.0, 1.0) else 2, lang), None)
              for v in FUZZY_SCORES]
    levels.append((None, NA_COLOR, "///", word("na_legend", lang), SCORE_NA_GID))
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
    ax.set_xlabel(word("n_cases", lang))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=5, fontsize=7)
    return ax
