"""Figures of the QCA module: the XY plot of a term or model against the outcome."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..codebook import CONDITIONS, OUTCOMES, check_lang

__all__ = ["xy_plot"]

_LABELS = {
    "fr": {"x": "Appartenance à {}", "y": "Appartenance à {}"},
    "en": {"x": "Membership in {}", "y": "Membership in {}"},
}


def _display(name: str, lang: str) -> str:
    """Codebook label of a condition or outcome slug (``~`` kept); other names unchanged."""
    neg = name.startswith("~")
    slug = name[1:] if neg else name
    for vocab in (CONDITIONS, OUTCOMES):
        if slug in vocab:
            label = vocab.label(slug, lang)
            return ("non " if lang == "fr" else "not ") + label if neg else label
    return name


def xy_plot(data: pd.DataFrame, *, x: str, y: str, label: str | None = None, ax=None,
            lang: str = "fr", color=None):
    """Scatter of case memberships in a term or model (x) against the outcome (y).

    Parameters
    ----------
    data : DataFrame
        One row per case, e.g. ``Solution.case_membership()``.
    x, y : str
        Columns holding the memberships in the expression and in the outcome.
    label : str, optional
        Column with case labels written next to each point (default: none).
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}
        Language of the axis labels (condition and outcome slugs are shown
        with their codebook label).
    color : optional
        Point colour (default: the house palette's first colour).

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    Points above the diagonal (y ≥ x) agree with "x is sufficient for y";
    the upper-right quadrant holds the typical cases, the lower-right one
    the deviant cases for consistency (Schneider & Rohlfing 2013). The
    function draws only; it computes no fit (put the figures in a title).

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry*, ch. 3.
    Schneider, C. Q., & Rohlfing, I. (2013). Combining QCA and process
    tracing in set-theoretic multi-method research. *Sociological Methods &
    Research*, 42(4), 559-597.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"A*B": [0.2, 0.9], "Y": [0.4, 1.0]})
    >>> xy_plot(df, x="A*B", y="Y", lang="en").get_xlabel()
    'Membership in A*B'
    """
    lang = check_lang(lang)
    for col in [x, y] + ([label] if label else []):
        if col not in data.columns:
            raise KeyError(f"column {col!r} not in data; available: {list(data.columns)}")
    if ax is None:
        _, ax = plt.subplots()
    if color is None:
        from ..figures import PALETTE
        color = PALETTE[0]
    ax.plot([0, 1], [0, 1], color="0.6", linewidth=0.8, zorder=1)
    ax.axhline(0.5, color="0.85", linewidth=0.6, zorder=0)
    ax.axvline(0.5, color="0.85", linewidth=0.6, zorder=0)
    ax.scatter(data[x], data[y], color=color, zorder=2, s=22)
    if label:
        for _, row in data.iterrows():
            ax.annotate(str(row[label]), (row[x], row[y]), xytext=(3, 3), textcoords="offset points",
                        fontsize=7)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(_LABELS[lang]["x"].format(_display(x, lang)))
    ax.set_ylabel(_LABELS[lang]["y"].format(_display(y, lang)))
    return ax
