"""Figures of the QCA module: the XY plot of a term or model against the outcome."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..codebook import CONDITIONS, OUTCOMES, check_lang

__all__ = ["xy_plot", "xy_points", "set_label"]

#: Marker area (points²) of a point holding one case; a point holding n cases gets n times this area.
BASE_AREA = 22.0

_AXIS = {
    # a codebook set is named inside the sentence: "Appartenance à « pérennisation »"
    "fr": {"set": "Appartenance à « {} »", "other": "Appartenance à {}"},
    "en": {"set": "Membership in “{}”", "other": "Membership in {}"},
}


def _lower_first(text: str) -> str:
    """Lower-case the first letter of a label, unless the label starts with an acronym ("RH", "RSA")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def set_label(name: str, lang: str = "fr") -> str | None:
    """Codebook label of a condition or outcome slug (``~`` for negation), written for use mid-sentence.

    Parameters
    ----------
    name : str
        A condition or outcome slug, optionally prefixed with ``~``.
    lang : {"fr", "en"}

    Returns
    -------
    str or None
        The label with its first letter in lower case (acronyms kept), with
        "non " / "not " before a negated set; None when ``name`` is not a
        codebook slug (a model expression such as ``"A*B"``).

    Examples
    --------
    >>> set_label("perennisation"), set_label("~portage_politique", "en")
    ('pérennisation', 'not strong political sponsorship')
    >>> set_label("A*B") is None
    True
    """
    lang = check_lang(lang)
    neg = name.startswith("~")
    slug = name[1:] if neg else name
    for vocab in (CONDITIONS, OUTCOMES):
        if slug in vocab:
            label = _lower_first(vocab.label(slug, lang))
            return ("non " if lang == "fr" else "not ") + label if neg else label
    return None


def _axis_label(name: str, lang: str) -> str:
    label = set_label(name, lang)
    if label is None:
        return _AXIS[lang]["other"].format(name)
    return _AXIS[lang]["set"].format(label)


def _check_columns(data: pd.DataFrame, columns) -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    for col in columns:
        if col not in data.columns:
            raise KeyError(f"column {col!r} not in data; available: {list(data.columns)}")


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
    KeyError
        When ``x``, ``y`` or ``label`` is not a column of ``data``.
    ValueError
        When a membership is NA, or ``x`` and ``y`` are the same column.

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
    _check_columns(data, [x, y] + ([label] if label else []))
    if x == y:
        raise ValueError("x and y must be two different columns")
    names = data[label] if label else pd.Series(data.index, index=data.index)
    frame = pd.DataFrame({
        "_x": pd.to_numeric(data[x], errors="raise").astype(float).to_numpy(),
        "_y": pd.to_numeric(data[y], errors="raise").astype(float).to_numpy(),
        "_case": names.astype(str).to_numpy(),
    })
    if frame[["_x", "_y"]].isna().any().any():
        raise ValueError(f"columns {x!r} and {y!r} must not hold NA memberships")
    frame["_kx"] = frame["_x"].round(10)
    frame["_ky"] = frame["_y"].round(10)
    points = (frame.groupby(["_kx", "_ky"], sort=True)
              .agg(_x=("_x", "first"), _y=("_y", "first"), n_cases=("_case", "size"),
                   cases=("_case", ", ".join))
              .reset_index(drop=True))
    return points.rename(columns={"_x": x, "_y": y})[[x, y, "n_cases", "cases"]]


def xy_plot(data: pd.DataFrame, *, x: str, y: str, label: str | None = None, count: bool = True,
            ax=None, lang: str = "fr", color=None):
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
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}
        Language of the axis labels: a condition or outcome slug is named
        by its codebook label, first letter in lower case, inside the
        sentence ("Appartenance à « pérennisation »", "Membership in
        “lasting beyond the pilot”"); any other name (a model expression)
        is shown as is.
    color : optional
        Point colour (default: the house palette's first colour).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    KeyError
        When ``x``, ``y`` or ``label`` is not a column of ``data``.
    ValueError
        With ``count=True``, when a membership is NA or ``x == y``.

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
    _check_columns(data, [x, y] + ([label] if label else []))
    if ax is None:
        _, ax = plt.subplots()
    if color is None:
        from ..figures import PALETTE
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
