"""What the figures share: input checks, new Axes, the grid of cells with its NA patches, the NA
legend entry and the docstring fragments every plot function repeats.

The module is private to :mod:`coanalysis.figures`; its helpers carry plain names because the
figure modules import them (only :data:`NA_HATCH` and :data:`NA_GID` are re-exported).

Missing values (NA) are drawn as NA — grey and hatched, with the ``gid`` :data:`NA_GID` — and
never as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle

from ..codebook import Vocabulary
from ..codebook.interface import word
from ..errors import DataError, Problem, is_missing
from .style import NA_COLOR

__all__ = ["NA_HATCH", "NA_GID"]

#: Hatch pattern of every NA cell.
NA_HATCH = "///"
#: ``gid`` given to the artists of NA cells, so that tests and readers can find them.
NA_GID = "na-cell"

DATA_FILE = "<data>"


# --------------------------------------------------------------------------- input checks
def to_slugs(values: pd.Series, vocabulary: Vocabulary, column: str) -> pd.Series:
    """Map the values of ``column`` to slugs of ``vocabulary`` (labels in fr or en are accepted)."""
    lookup = {t.slug: t.slug for t in vocabulary}
    lookup.update({t.fr: t.slug for t in vocabulary})
    lookup.update({t.en: t.slug for t in vocabulary})
    text = values.astype(object).where(values.notna(), None)
    problems = []
    out = []
    for index, value in text.items():
        key = None if value is None else str(value)
        if key is None or key not in lookup:
            problems.append(Problem(
                DATA_FILE, None, column, value,
                f"a {vocabulary.name} among {', '.join(vocabulary.slugs)}",
                f"row with index {index!r}; use the codebook's slugs",
            ))
            out.append(None)
        else:
            out.append(lookup[key])
    if problems:
        raise DataError(problems, f"unknown {vocabulary.name} value(s) in column {column!r}")
    return pd.Series(out, index=values.index, dtype=object)


def to_numbers(values: pd.Series, column: str, allowed: Sequence[float], what: str) -> np.ndarray:
    """Float array of ``values`` (NA -> nan); every non-NA value must be one of ``allowed``."""
    raw = values.astype(object)
    numbers = np.full(len(raw), np.nan)
    problems = []
    for i, (index, value) in enumerate(raw.items()):
        if is_missing(value):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = np.nan
        if np.isnan(number) or not any(abs(number - a) < 1e-9 for a in allowed):
            problems.append(Problem(DATA_FILE, None, column, value, what,
                                    f"row with index {index!r}; NA stays empty, never 0"))
            continue
        numbers[i] = number
    if problems:
        raise DataError(problems, f"invalid value(s) in column {column!r}")
    return numbers


def check_unique_cells(keys: pd.DataFrame, columns: Sequence[str]) -> None:
    """DataError naming every row that draws on a cell (a value of ``columns``) another row draws on."""
    duplicated = keys.duplicated(subset=list(columns), keep=False)
    if duplicated.any():
        problems = [
            Problem(DATA_FILE, None, ", ".join(columns), tuple(row), "one row per cell",
                    f"row with index {index!r} draws on a cell already filled")
            for index, row in keys.loc[duplicated, list(columns)].iterrows()
        ]
        raise DataError(problems, "several rows for the same cell")


def one_case(data: pd.DataFrame, case_id) -> pd.DataFrame:
    """The rows of ``data`` for ``case_id``; DataError listing known ids when there are none."""
    selected = data.loc[data["case_id"].astype(object) == case_id]
    if selected.empty:
        known = sorted(map(str, pd.unique(data["case_id"].dropna().astype(object))))
        raise DataError(Problem(DATA_FILE, None, "case_id", case_id,
                                "a case_id present in data",
                                f"known ids: {', '.join(known[:12])}{' ...' if len(known) > 12 else ''}"))
    return selected


def new_axes(ax, size: tuple[float, float] | None = None):
    """``ax``, or the Axes of a new figure of ``size`` inches (default: the style's) when it is None."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=size)
    return ax


def vocabulary_label(vocabulary: Vocabulary | None, value, lang: str) -> str:
    """The codebook label of ``value`` in ``vocabulary`` in ``lang``; the value itself otherwise."""
    if vocabulary is not None and str(value) in vocabulary:
        return vocabulary.label(str(value), lang)
    return str(value)


def ordered_values(values: pd.Series, order: Sequence | None) -> list:
    """``order`` when given; otherwise the categories in use (categorical) or first appearance."""
    if order is not None:
        return list(order)
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna().astype(object))
        return [c for c in values.cat.categories if c in present]
    return list(pd.unique(values.dropna().astype(object)))


def draw_grid(ax, grid: np.ndarray, cmap, norm, *, annotate, fmt) -> None:
    """Draw a matrix (rows top to bottom) as coloured cells; NaN cells grey and hatched."""
    n_rows, n_cols = grid.shape
    masked = np.ma.masked_invalid(grid)
    ax.pcolormesh(np.arange(n_cols + 1), np.arange(n_rows + 1), masked, cmap=cmap, norm=norm,
                  edgecolors="white", linewidth=0.8)
    for i, j in zip(*np.nonzero(np.isnan(grid))):
        ax.add_patch(Rectangle((j, i), 1, 1, facecolor=NA_COLOR, edgecolor="white", hatch=NA_HATCH,
                               linewidth=0.8, gid=NA_GID))
    if annotate:
        for i, j in zip(*np.nonzero(~np.isnan(grid))):
            rgba = cmap(norm(grid[i, j]))
            luminance = 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2]
            ax.text(j + 0.5, i + 0.5, fmt(grid[i, j]), ha="center", va="center", fontsize=7,
                    color="black" if luminance > 0.5 else "white")
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks(np.arange(n_cols) + 0.5)
    ax.set_yticks(np.arange(n_rows) + 0.5)
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def na_handle(lang: str) -> Patch:
    """The legend entry of an NA cell: grey, hatched, "NA : non documenté"."""
    return Patch(facecolor=NA_COLOR, edgecolor="#7F7F7F", hatch=NA_HATCH, label=word("na_legend", lang))


# --------------------------------------------------------------------------- docstrings
#: Docstring fragments every plot function shares, pasted into a docstring where it holds
#: ``{ax}``, ``{lang}`` (parameters) or ``{returns}`` (the Returns section) on a line of its own
#: (numpydoc indentation kept).
_DOCS = {
    "ax": "ax : matplotlib Axes, optional\n"
          "        Where to draw; a new figure when None.",
    "lang": "lang : {\"fr\", \"en\"}, optional\n"
            "        Language of labels; None (the default) means :func:`coanalysis.default_lang`.",
    "returns": "Returns\n"
               "    -------\n"
               "    matplotlib.axes.Axes",
}


def shared_docs(func: Callable) -> Callable:
    """Fill the ``{ax}``, ``{lang}`` and ``{returns}`` fragments of ``func``'s docstring from :data:`_DOCS`."""
    if func.__doc__:
        for key, text in _DOCS.items():
            func.__doc__ = func.__doc__.replace("{" + key + "}", text)
    return func
