"""Figures of the case base: participation heatmaps, case × condition matrices, information circuits.

Each function follows seaborn's habit: it takes a tidy ``data`` frame plus column names, draws on
``ax`` (a new one when None) and returns the Axes. It computes nothing it does not draw; missing
values (NA) are drawn as NA — grey and hatched — and never as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Rectangle

from ..codebook import (ACTORS, CHANNELS, CLASSIC_CHAIN, CONDITIONS, FUZZY_SCORES, LEVELS, PRINCIPLES,
                        STAGES)
from ..codebook import VOCABULARIES, Vocabulary, classic_hops
from ..errors import DataError, Problem, is_missing
from ..validation import require_columns
from ..text import check_lang, format_number, format_percent
from .formatting import number_axis, percent_axis
from .style import NA_COLOR, PALETTE, SEQUENTIAL

__all__ = [
    "participation_heatmap",
    "membership_matrix",
    "circuit_diagram",
    "na_rate_bars",
    "count_bars",
    "distance_heatmap",
    "cluster_dendrogram",
    "NA_LEGEND",
    "NA_HATCH",
]

#: Legend entry of a missing value, in French and English. French labels put a no-break space
#: (U+00A0) before ":" and ";", so that the punctuation never starts a line.
NA_LEGEND = {"fr": "NA\u00a0: non documenté", "en": "NA: not documented"}
#: Hatch pattern of every NA cell.
NA_HATCH = "///"
#: ``gid`` given to the artists of NA cells, so that tests and readers can find them.
NA_GID = "na-cell"

_TEXT = {
    "fr": {
        "actor": "Acteur",
        "stage": "Étape",
        "level": "Niveau de participation",
        "score": "Score d'appartenance",
        "principles": "Principes clés",
        "recommendations": "Recommandations",
        "direct": "Canal direct (court-circuite la chaîne)",
        "indirect": "Canal via la chaîne",
        "reference": "Chaîne classique (référence)",
        "voice_to": "usagers → {target}\u00a0: {value} (chaîne\u00a0: {classic})",
        "no_path": "aucun chemin",
        "no_flow": "aucun flux documenté",
        "na_rate": "Part de valeurs NA",
        "n_cases": "Nombre de cas",
        "distance": "Distance entre profils (0 = identiques)",
        "height": "Hauteur de fusion",
    },
    "en": {
        "actor": "Actor",
        "stage": "Stage",
        "level": "Participation level",
        "score": "Membership score",
        "principles": "Key principles",
        "recommendations": "Recommendations",
        "direct": "Direct channel (skips the chain)",
        "indirect": "Channel along the chain",
        "reference": "Classic chain (reference)",
        "voice_to": "users → {target}: {value} (chain: {classic})",
        "no_path": "no path",
        "no_flow": "no documented flow",
        "na_rate": "Share of NA values",
        "n_cases": "Number of cases",
        "distance": "Distance between profiles (0 = identical)",
        "height": "Merge height",
    },
}

#: Fixed positions of the actor types in a circuit diagram: the classic chain on one line,
#: partners above it and outside experts below it.
ACTOR_POSITIONS: dict[str, tuple[float, float]] = {
    "usagers": (0.0, 0.0),
    "agents": (1.6, 0.0),
    "encadrement": (3.2, 0.0),
    "elus": (4.8, 0.0),
    "partenaires": (2.4, 1.9),
    "tiers": (2.4, -1.9),
}
_BOX_W, _BOX_H = 1.15, 0.62

_SHORT_TARGET = {
    "fr": {"agents": "agents", "encadrement": "encadrement", "elus": "élus"},
    "en": {"agents": "agents", "encadrement": "managers", "elus": "elected officials"},
}

#: Decision-makers a voice distance can be shown for: the actors after ``usagers`` on the chain.
_VOICE_TARGETS = tuple(a for a in CLASSIC_CHAIN if classic_hops(a))

_DATA_FILE = "<data>"


# --------------------------------------------------------------------------- input checks
def _check_columns(data, columns: Mapping[str, str]) -> None:
    """Raise DataError when ``data`` is not a DataFrame or lacks one of ``columns`` (param -> name)."""
    require_columns(data, columns, table="data", file=_DATA_FILE)


def _to_slugs(values: pd.Series, vocabulary: Vocabulary, column: str) -> pd.Series:
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
                _DATA_FILE, None, column, value,
                f"a {vocabulary.name} among {', '.join(vocabulary.slugs)}",
                f"row with index {index!r}; use the codebook's slugs",
            ))
            out.append(None)
        else:
            out.append(lookup[key])
    if problems:
        raise DataError(problems, f"unknown {vocabulary.name} value(s) in column {column!r}")
    return pd.Series(out, index=values.index, dtype=object)


def _to_numbers(values: pd.Series, column: str, allowed: Sequence[float], what: str) -> np.ndarray:
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
            problems.append(Problem(_DATA_FILE, None, column, value, what,
                                    f"row with index {index!r}; NA stays empty, never 0"))
            continue
        numbers[i] = number
    if problems:
        raise DataError(problems, f"invalid value(s) in column {column!r}")
    return numbers


def _check_unique(keys: pd.DataFrame, columns: Sequence[str]) -> None:
    duplicated = keys.duplicated(subset=list(columns), keep=False)
    if duplicated.any():
        problems = [
            Problem(_DATA_FILE, None, ", ".join(columns), tuple(row), "one row per cell",
                    f"row with index {index!r} draws on a cell already filled")
            for index, row in keys.loc[duplicated, list(columns)].iterrows()
        ]
        raise DataError(problems, "several rows for the same cell")


def _one_case(data: pd.DataFrame, case_id) -> pd.DataFrame:
    selected = data.loc[data["case_id"].astype(object) == case_id]
    if selected.empty:
        known = sorted(map(str, pd.unique(data["case_id"].dropna().astype(object))))
        raise DataError(Problem(_DATA_FILE, None, "case_id", case_id,
                                "a case_id present in data",
                                f"known ids: {', '.join(known[:12])}{' ...' if len(known) > 12 else ''}"))
    return selected


def _new_axes(ax, size):
    if ax is None:
        _fig, ax = plt.subplots(figsize=size)
    return ax


def _label(vocabulary: Vocabulary | None, value, lang: str) -> str:
    if vocabulary is not None and str(value) in vocabulary:
        return vocabulary.label(str(value), lang)
    return str(value)


def _ordered_values(values: pd.Series, order: Sequence | None) -> list:
    """``order`` when given; otherwise the categories in use (categorical) or first appearance."""
    if order is not None:
        return list(order)
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.dropna().astype(object))
        return [c for c in values.cat.categories if c in present]
    return list(pd.unique(values.dropna().astype(object)))


def _draw_grid(ax, grid: np.ndarray, cmap, norm, *, annotate, fmt) -> None:
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


def _score_text(value: float, lang: str) -> str:
    """A fuzzy score as printed in a cell: ``0``, ``0,33``, ``0,67``, ``1``."""
    return format_number(value, 0 if value in (0.0, 1.0) else 2, lang)


def _na_handle(lang: str) -> Patch:
    return Patch(facecolor=NA_COLOR, edgecolor="#7F7F7F", hatch=NA_HATCH, label=NA_LEGEND[lang])


# --------------------------------------------------------------------------- participation
def participation_heatmap(data: pd.DataFrame, *, case_id, actor: str = "actor", stage: str = "stage",
                          level: str = "level", ax=None, lang: str = "fr", legend: bool = True,
                          annotate: bool = True):
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
    actor, stage, level : str
        Column names. Actors and stages are codebook slugs (or their labels); levels are 0-5 or NA.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    lang : {"fr", "en"}
        Language of labels.
    legend : bool, default True
        Draw the legend of levels and of NA.
    annotate : bool, default True
        Write the level in each documented cell.

    Returns
    -------
    matplotlib.axes.Axes

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
    _check_columns(data, {"case_id": "case_id", "actor": actor, "stage": stage, "level": level})
    case = _one_case(data, case_id)
    actors = _to_slugs(case[actor], ACTORS, actor)
    stages = _to_slugs(case[stage], STAGES, stage)
    levels = _to_numbers(case[level], level, [float(s) for s in LEVELS.slugs],
                         "an integer level 0-5 or NA")
    keys = pd.DataFrame({actor: actors, stage: stages}, index=case.index)
    _check_unique(keys, [actor, stage])

    grid = np.full((len(ACTORS), len(STAGES)), np.nan)
    for a, s, v in zip(actors, stages, levels):
        grid[ACTORS.slugs.index(a), STAGES.slugs.index(s)] = v

    colours = plt.get_cmap(SEQUENTIAL)(np.linspace(0.05, 0.95, len(LEVELS)))
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(len(LEVELS) + 1) - 0.5, cmap.N)
    ax = _new_axes(ax, (4.6, 2.8))
    _draw_grid(ax, grid, cmap, norm, annotate=annotate, fmt=lambda v: format_number(v, 0, lang))
    ax.set_xticklabels(STAGES.labels(lang), rotation=30, ha="right", rotation_mode="anchor")
    ax.set_yticklabels(ACTORS.labels(lang))
    ax.set_xlabel(_TEXT[lang]["stage"])
    ax.set_ylabel(_TEXT[lang]["actor"])
    if legend:
        handles = [Patch(facecolor=colours[k], label=f"{t.slug} – {t.label(lang)}")
                   for k, t in enumerate(LEVELS)]
        handles.append(_na_handle(lang))
        ax.legend(handles=handles, title=_TEXT[lang]["level"], loc="upper left",
                  bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=7, title_fontsize=7.5)
    return ax


# --------------------------------------------------------------------------- conditions
def membership_matrix(data: pd.DataFrame, *, row: str = "case_id", column: str = "condition",
                      value: str = "score", row_order: Sequence | None = None, ax=None,
                      lang: str = "fr", legend: bool = True, annotate: bool = True):
    """Matrix of fuzzy membership scores, case × condition, the four key principles marked.

    Conditions are shown in codebook order (the study's recommendations, then its four key
    principles, which are set apart by a vertical rule, a bracket and bold tick labels). A
    (row, condition) pair with no row in ``data`` or an empty score is NA, drawn grey and hatched,
    never as 0.

    Parameters
    ----------
    data : DataFrame
        Tidy table with one row per (row, condition), e.g. ``CaseBase.conditions``.
    row, column, value : str
        Column names: the row key (e.g. ``case_id`` or ``name``), the condition slug and the
        fuzzy score (0, 0.33, 0.67, 1 or NA).
    row_order : sequence, optional
        Order of the rows; default: the categories in use (categorical column) or first appearance.
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}
    legend : bool, default True
    annotate : bool, default True
        Write each score in its cell (``0,67`` in French).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    DataError
        Missing column, unknown condition, a score outside {0, 0.33, 0.67, 1}, or a duplicate
        (row, condition).

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
    _check_columns(data, {"row": row, "column": column, "value": value})
    rows = _ordered_values(data[row], row_order)
    if row_order is not None:
        unknown = [r for r in pd.unique(data[row].dropna().astype(object)) if r not in set(rows)]
        if unknown:
            raise DataError(Problem(_DATA_FILE, None, row, unknown, "values listed in row_order",
                                    "add them to row_order or filter data first"))
    conditions = _to_slugs(data[column], CONDITIONS, column)
    scores = _to_numbers(data[value], value, FUZZY_SCORES, "a fuzzy score 0, 0.33, 0.67, 1 or NA")
    keys = pd.DataFrame({row: data[row].astype(object), column: conditions}, index=data.index)
    _check_unique(keys.dropna(subset=[row]), [row, column])

    present = set(conditions)
    columns = [c for c in CONDITIONS.slugs if c in present]
    grid = np.full((len(rows), len(columns)), np.nan)
    row_index = {r: i for i, r in enumerate(rows)}
    for r, c, v in zip(keys[row], conditions, scores):
        if r in row_index:
            grid[row_index[r], columns.index(c)] = v

    colours = plt.get_cmap(SEQUENTIAL)(np.linspace(0.05, 0.95, len(FUZZY_SCORES)))
    cmap = ListedColormap(colours)
    edges = [-0.165, 0.165, 0.5, 0.835, 1.165]
    norm = BoundaryNorm(edges, cmap.N)
    ax = _new_axes(ax, (6.7, 0.6 + 0.28 * len(rows)))
    _draw_grid(ax, grid, cmap, norm, annotate=annotate, fmt=lambda v: _score_text(v, lang))
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
        ax.text((first_principle + len(columns)) / 2, -0.4, _TEXT[lang]["principles"],
                ha="center", va="bottom", fontsize=8, fontweight="bold", gid="principles-label",
                clip_on=False)
    if legend:
        handles = [Patch(facecolor=colours[k], label=format_number(s, 2, lang))
                   for k, s in enumerate(FUZZY_SCORES)]
        handles.append(_na_handle(lang))
        ax.legend(handles=handles, title=_TEXT[lang]["score"], loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7, title_fontsize=7.5)
    return ax


# --------------------------------------------------------------------------- circuits
def _as_bool(values: pd.Series, column: str) -> np.ndarray:
    truth = {True: True, False: False, "true": True, "false": False, "True": True,
             "False": False}  # 1 and 0 find True and False (equal keys in a dict)
    out, problems = [], []
    for index, value in values.astype(object).items():
        key = value.strip().lower() if isinstance(value, str) else value
        try:
            out.append(truth[key])
        except (KeyError, TypeError):
            problems.append(Problem(_DATA_FILE, None, column, value, "true or false",
                                    f"row with index {index!r}"))
    if problems:
        raise DataError(problems, f"invalid value(s) in column {column!r}")
    return np.array(out, dtype=bool)


def _voice_lines(voice, lang: str) -> list[str]:
    """Title lines for ``voice``: a number (hops to elus) or a mapping target -> hops."""
    if voice is None:
        return []
    if isinstance(voice, Mapping):
        items = list(voice.items())
    elif isinstance(voice, (Real, np.number)) or voice is pd.NA:
        items = [("elus", voice)]
    else:
        raise TypeError("voice must be None, a number of hops to 'elus', or a mapping "
                        f"{{target actor: hops}}; got {type(voice).__name__}")
    lines = []
    for target, hops in items:
        if target not in _VOICE_TARGETS:
            raise ValueError(f"voice targets must be among {sorted(_VOICE_TARGETS)}, got {target!r}")
        missing = is_missing(hops)
        shown = _TEXT[lang]["no_path"] if missing else format_number(hops, 0, lang)
        lines.append(_TEXT[lang]["voice_to"].format(
            target=_SHORT_TARGET[lang][target], value=shown, classic=classic_hops(target)))
    return lines


def _bezier_mid(a, b, rad):
    """Midpoint of matplotlib's ``arc3,rad=`` quadratic Bézier from a to b."""
    (x1, y1), (x2, y2) = a, b
    cx = (x1 + x2) / 2 + rad * (y2 - y1)
    cy = (y1 + y2) / 2 - rad * (x2 - x1)
    return 0.25 * x1 + 0.5 * cx + 0.25 * x2, 0.25 * y1 + 0.5 * cy + 0.25 * y2


def _bows_out(a, b, rad) -> bool:
    """Whether ``arc3,rad=rad`` from a to b puts its control point away from the diagram's centre."""
    cx = (a[0] + b[0]) / 2 + rad * (b[1] - a[1])
    cy = (a[1] + b[1]) / 2 - rad * (b[0] - a[0])
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    centre = (ACTOR_POSITIONS["partenaires"][0], 0.0)
    return np.hypot(cx - centre[0], cy - centre[1]) >= np.hypot(mx - centre[0], my - centre[1])


def _channel_labels(values: pd.Series, column: str, lang: str) -> list[str | None]:
    """Codebook labels (in ``lang``) of the channel values; None where the channel is NA."""
    known = values.notna()
    slugs = _to_slugs(values[known], CHANNELS, column)
    return [CHANNELS.label(slugs[i], lang) if k else None for i, k in known.items()]


def circuit_diagram(data: pd.DataFrame, *, case_id, voice=None, from_actor: str = "from_actor",
                    to_actor: str = "to_actor", channel: str | None = "channel",
                    direct: str = "direct", ax=None, lang: str = "fr", legend: bool = True,
                    title: str | None = None):
    """Diagram of a case's information circuit between actor types.

    The six actor types sit on fixed positions: the classic chain usagers → agents →
    encadrement → élus on one line (drawn light, as reference), partners above, outside experts
    below. Each row of ``data`` for the case is one arrow, labelled with the codebook label of
    its channel in ``lang`` (``CHANNELS``: "Atelier" / "Workshop"); channels marked ``direct``
    (they skip the chain) are drawn thick in the accent colour. Several channels between the
    same actors are drawn as arcs of growing curvature.

    Parameters
    ----------
    data : DataFrame
        Tidy flows table (e.g. ``CaseBase.flows``): ``case_id``, ``from_actor``, ``to_actor``,
        ``channel``, ``direct``.
    case_id : str
        The case to draw.
    voice : number, mapping or None
        Voice distance to show in the title: hops from ``usagers`` to ``elus`` (a number), or a
        mapping such as ``{"elus": 1, "encadrement": 1}``; NA means no path. The classic chain's
        distance (3 to élus, 2 to encadrement) is shown alongside.
    from_actor, to_actor, channel, direct : str
        Column names; ``channel=None`` draws no channel labels. Channel values are codebook
        slugs (or their French or English labels); an NA channel draws an unlabelled arrow.
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}
    legend : bool, default True
    title : str, optional
        First title line; default the case id.

    Returns
    -------
    matplotlib.axes.Axes
        Arrows of flows carry the ``gid`` ``"flow"`` or ``"flow-direct"``; the reference chain
        ``"classic-chain"``; channel labels ``"channel-label"``.

    Raises
    ------
    DataError
        Listing every actor or channel value that is not in the codebook.

    Notes
    -----
    The voice distance itself is computed by :func:`coanalysis.metrics.voice_distance` (shortest
    path in the directed flows graph); this function only writes it.

    References
    ----------
    OST/MNT (2019). *Élaborer les politiques publiques avec les usagers et les agents : vers une
    dynamique de co-construction ?* Les Cahiers de l'Observatoire n°22 (circuits d'information
    entre usagers, agents de terrain et décideurs).

    Examples
    --------
    >>> flows = pd.DataFrame({"case_id": ["x", "x"], "from_actor": ["usagers", "agents"],
    ...                       "to_actor": ["elus", "encadrement"], "channel": ["vote", "atelier"],
    ...                       "direct": [True, False]})
    >>> ax = circuit_diagram(flows, case_id="x", voice=1)
    >>> sum(p.get_gid() in ("flow", "flow-direct") for p in ax.patches)
    2
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "channel-label")
    ['Atelier', 'Vote']
    """
    lang = check_lang(lang)
    columns = {"case_id": "case_id", "from_actor": from_actor, "to_actor": to_actor,
               "direct": direct}
    if channel is not None:
        columns["channel"] = channel
    _check_columns(data, columns)
    case = data.loc[data["case_id"].astype(object) == case_id]
    sources = _to_slugs(case[from_actor], ACTORS, from_actor)
    targets = _to_slugs(case[to_actor], ACTORS, to_actor)
    is_direct = _as_bool(case[direct], direct)
    channels = _channel_labels(case[channel], channel, lang) if channel is not None \
        else [None] * len(case)
    text = _TEXT[lang]

    ax = _new_axes(ax, (4.6, 3.8))
    accent, plain, reference = PALETTE[5], PALETTE[0], "#C8C8C8"
    used = set(sources) | set(targets)
    boxes = {}
    for slug, (x, y) in ACTOR_POSITIONS.items():
        active = slug in used
        box = FancyBboxPatch((x - _BOX_W / 2, y - _BOX_H / 2), _BOX_W, _BOX_H,
                             boxstyle="round,pad=0.02,rounding_size=0.08",
                             facecolor="white" if active else "#F2F2F2",
                             edgecolor="black" if active else "#BBBBBB", linewidth=0.9, zorder=3,
                             gid="actor")
        ax.add_patch(box)
        boxes[slug] = box
        ax.text(x, y, textwrap.fill(ACTORS.label(slug, lang), 15), ha="center", va="center",
                fontsize=5.6, color="black" if active else "#888888", zorder=4, linespacing=1.0)
    for a, b in zip(CLASSIC_CHAIN[:-1], CLASSIC_CHAIN[1:]):
        ax.add_patch(FancyArrowPatch(ACTOR_POSITIONS[a], ACTOR_POSITIONS[b], arrowstyle="-|>",
                                     mutation_scale=10, color=reference, linewidth=4,
                                     patchA=boxes[a], patchB=boxes[b], shrinkA=1, shrinkB=1,
                                     zorder=1, gid="classic-chain"))

    seen: dict[tuple[str, str], int] = {}
    for a, b, d, ch in zip(sources, targets, is_direct, channels):
        k = seen.get((a, b), 0)
        seen[(a, b)] = k + 1
        start, end = ACTOR_POSITIONS[a], ACTOR_POSITIONS[b]
        if a == b:  # a channel inside one actor type: a loop above its box
            start = (start[0] - _BOX_W / 4, start[1] + _BOX_H / 2)
            end = (end[0] + _BOX_W / 4, end[1] + _BOX_H / 2)
            rad, patch_a, patch_b = -1.2 - 0.4 * k, None, None
        else:
            # arcs of fixed depth below (or above) the chord, so that labels clear the boxes
            chord = float(np.hypot(end[0] - start[0], end[1] - start[1]))
            rad = 2 * (0.25 + 0.25 * chord / 1.6 + 0.25 * k) / chord
            if a not in CLASSIC_CHAIN or b not in CLASSIC_CHAIN:
                # arcs to partners or experts bow away from the chain's middle, not across it
                rad = abs(rad) if _bows_out(start, end, abs(rad)) else -abs(rad)
            patch_a, patch_b = boxes[a], boxes[b]
        ax.add_patch(FancyArrowPatch(start, end, connectionstyle=f"arc3,rad={rad}",
                                     arrowstyle="-|>", mutation_scale=9,
                                     color=accent if d else plain,
                                     linewidth=1.8 if d else 1.0, patchA=patch_a, patchB=patch_b,
                                     shrinkA=1, shrinkB=1, zorder=2,
                                     gid="flow-direct" if d else "flow"))
        if ch is not None:
            mx, my = _bezier_mid(start, end, rad)
            ax.text(mx, my, textwrap.fill(ch, 18), fontsize=5.2, linespacing=1.0, ha="center", va="center",
                    color=accent if d else plain, zorder=5, gid="channel-label",
                    bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none",
                          "alpha": 0.85})
    if case.empty:
        ax.text(2.4, -0.6, text["no_flow"], ha="center", fontsize=7, style="italic")

    lines = [str(case_id) if title is None else title]
    lines += _voice_lines(voice, lang)
    ax.set_title("\n".join(lines), fontsize=7.5)
    ax.set_xlim(-0.6, 5.4)
    ax.set_ylim(-2.35, 2.35)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if legend:
        handles = [Line2D([], [], color=accent, linewidth=1.8, label=text["direct"]),
                   Line2D([], [], color=plain, linewidth=1.0, label=text["indirect"]),
                   Line2D([], [], color=reference, linewidth=4, label=text["reference"])]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=1,
                  frameon=False, fontsize=6.5)
    return ax


# --------------------------------------------------------------------------- comparables
def na_rate_bars(data: pd.DataFrame, *, category: str = "condition", rate: str = "na_rate",
                 vocabulary: str | Vocabulary | None = "condition", ax=None, lang: str = "fr",
                 annotate: bool = True):
    """Horizontal bars of the share of NA values per category (e.g. per condition).

    Parameters
    ----------
    data : DataFrame
        One row per category with its NA share (a proportion in [0, 1]).
    category, rate : str
        Column names.
    vocabulary : str, Vocabulary or None, default "condition"
        Codebook vocabulary giving the labels and order of categories (name in
        ``coanalysis.codebook.VOCABULARIES``); None keeps the values and their order.
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}
    annotate : bool, default True
        Write each share at the end of its bar (``45 %``).

    Returns
    -------
    matplotlib.axes.Axes

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
    _check_columns(data, {"category": category, "rate": rate})
    vocab = VOCABULARIES.get(vocabulary) if isinstance(vocabulary, str) else vocabulary
    values = pd.to_numeric(data[rate], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0) | (values > 1)
    if bad.any():
        raise DataError([Problem(_DATA_FILE, None, rate, v, "a proportion in [0, 1]",
                                 f"row with index {i!r}")
                         for i, v, b in zip(data.index, data[rate], bad) if b],
                        f"invalid value(s) in column {rate!r}")
    keys = data[category].astype(object).tolist()
    if vocab is not None:
        slugs = _to_slugs(data[category], vocab, category).tolist()
        order = sorted(range(len(slugs)), key=lambda i: vocab.slugs.index(slugs[i]))
    else:
        slugs, order = keys, list(range(len(keys)))
    ax = _new_axes(ax, (6.7, 0.6 + 0.25 * len(keys)))
    positions = np.arange(len(order))
    ax.barh(positions, values[order], color=PALETTE[0], height=0.7)
    ax.set_yticks(positions)
    ax.set_yticklabels([_label(vocab, slugs[i], lang) for i in order])
    if vocab is not None and vocab.name == "condition":
        for tick, i in zip(ax.get_yticklabels(), order):
            if slugs[i] in PRINCIPLES:
                tick.set_fontweight("bold")
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    percent_axis(ax, axis="x", lang=lang)
    ax.set_xlabel(_TEXT[lang]["na_rate"])
    ax.set_ylabel("")
    if annotate:
        for p, i in zip(positions, order):
            ax.text(values[i] + 0.01, p, format_percent(values[i], 0, lang), va="center", fontsize=7)
    ax.grid(axis="y", visible=False)
    return ax


def count_bars(data: pd.DataFrame, *, category: str, count: str = "n_cases", hue: str | None = None,
               hue_order: Sequence | None = None, labels: Mapping[str, str] | None = None,
               hue_labels: Mapping[str, str] | None = None, ax=None, lang: str = "fr"):
    """Horizontal bars of counts per category, optionally split (stacked) by ``hue``.

    Parameters
    ----------
    data : DataFrame
        Tidy counts: one row per category (and hue level) with its count.
    category, count : str
        Column names; rows are drawn in the order of ``data``.
    hue : str, optional
        Column splitting each bar into stacked segments (e.g. the corpus).
    hue_order : sequence, optional
        Order (and colours) of the hue levels; default the categories of a categorical column, the
        codebook vocabulary of the same name, or the order of appearance. A level keeps its colour
        when other levels are missing, so that several panels share one legend.
    labels, hue_labels : mapping, optional
        Labels shown for category and hue values (default: a codebook vocabulary of the same
        name as the column when there is one, else the values).
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The counts are drawn as given (e.g. ``cases.groupby([category, hue]).size()``); the bar of a
    category ends at :math:`\\sum_h n_{c,h}`, the total over its hue levels.

    Examples
    --------
    >>> counts = pd.DataFrame({"type": ["commune", "region"], "n_cases": [3, 1]})
    >>> ax = count_bars(counts, category="type")
    >>> [float(p.get_width()) for p in ax.patches]
    [3.0, 1.0]
    """
    lang = check_lang(lang)
    columns = {"category": category, "count": count}
    if hue is not None:
        columns["hue"] = hue
    _check_columns(data, columns)
    values = pd.to_numeric(data[count], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise DataError([Problem(_DATA_FILE, None, count, v, "a non-negative count",
                                 f"row with index {i!r}")
                         for i, v in data.loc[values.isna() | (values < 0), count].items()])

    def labeller(column, mapping):
        vocab = VOCABULARIES.get(column)
        return lambda v: (mapping[v] if mapping and v in mapping else _label(vocab, v, lang))

    cat_label = labeller(category, labels)
    cats = list(pd.unique(data[category].astype(object)))
    ax = _new_axes(ax, (6.7, 0.6 + 0.3 * len(cats)))
    positions = {c: i for i, c in enumerate(cats)}
    if hue is None:
        ax.barh([positions[c] for c in data[category].astype(object)], values, color=PALETTE[0],
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
            for c, v in zip(part[category].astype(object), values[part.index]):
                widths[positions[c]] += v
            ax.barh(np.arange(len(cats)), widths, left=left, height=0.7,
                    color=PALETTE[k % len(PALETTE)], label=hue_label(level))
            left += widths
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    ax.set_yticks(np.arange(len(cats)))
    ax.set_yticklabels([cat_label(c) for c in cats])
    ax.set_ylim(len(cats) - 0.5, -0.5)
    ax.set_xlabel(_TEXT[lang]["n_cases"])
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    return ax


def distance_heatmap(data: pd.DataFrame, *, row: str = "case_a", column: str = "case_b",
                     value: str = "distance", order: Sequence | None = None, ax=None,
                     lang: str = "fr", highlight: Sequence | None = None, annotate: bool = False,
                     decimals: int = 1, square: bool = True):
    """Symmetric heatmap of pairwise distances between cases, from a long table of pairs.

    Each row of ``data`` fills the cells (a, b) and (b, a). Pairs whose distance is NA (too few
    commonly coded conditions) are drawn grey and hatched; the diagonal (a case with itself) and
    pairs absent from ``data`` are left blank.

    Parameters
    ----------
    data : DataFrame
        One row per unordered pair, e.g. :func:`coanalysis.metrics.case_similarity`.
    row, column, value : str
        Column names of the two cases and of their distance (>= 0, NA allowed).
    order : sequence, optional
        Order of the cases on both axes (e.g. the leaves of a clustering); default: order of
        first appearance in ``row`` then ``column``.
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}
    highlight : sequence, optional
        Cases whose tick labels are set in bold (e.g. the five cases of the study).
    annotate : bool, default False
        Write each distance in its cell.
    decimals : int, default 1
        Decimals of the colour-bar ticks and annotations.
    square : bool, default True
        Square cells; False lets the cells fill the Axes (e.g. to line rows up with a dendrogram).

    Returns
    -------
    matplotlib.axes.Axes

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
    _check_columns(data, {"row": row, "column": column, "value": value})
    if order is None:
        both = pd.concat([data[row].astype(object), data[column].astype(object)])
        cases = list(pd.unique(both.dropna()))
    else:
        cases = list(order)
    values = pd.to_numeric(data[value].astype(object), errors="coerce").to_numpy(dtype=float)
    bad = (data[value].notna().to_numpy() & np.isnan(values)) | (values < 0)
    if bad.any():
        raise DataError([Problem(_DATA_FILE, None, value, v, "a distance >= 0 or NA",
                                 f"row with index {i!r}")
                         for i, v, b in zip(data.index, data[value], bad) if b],
                        f"invalid value(s) in column {value!r}")
    index = {c: i for i, c in enumerate(cases)}
    grid = np.full((len(cases), len(cases)), np.nan)
    drawn = np.zeros(grid.shape, dtype=bool)
    for a, b, v in zip(data[row].astype(object), data[column].astype(object), values):
        if a in index and b in index:
            for i, j in ((index[a], index[b]), (index[b], index[a])):
                grid[i, j] = v
                drawn[i, j] = True
    cmap = plt.get_cmap(SEQUENTIAL)
    top = float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0
    norm = plt.Normalize(0, top if top > 0 else 1.0)
    size = min(6.7, 1.4 + 0.17 * len(cases))
    ax = _new_axes(ax, (size + 0.9, size))
    # only the pairs present in data with an NA distance are hatched; blanks stay blank
    _draw_grid(ax, np.where(drawn, grid, np.nan), cmap, norm, annotate=annotate,
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
    colorbar.set_label(_TEXT[lang]["distance"])
    colorbar.ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    colorbar.ax.yaxis.set_major_formatter(
        plt.FuncFormatter(lambda x, _pos: format_number(x, decimals, lang)))
    if (drawn & np.isnan(grid)).any():
        ax.legend(handles=[_na_handle(lang)], loc="upper left", bbox_to_anchor=(1.2, 1.0),
                  frameon=False, fontsize=7)
    return ax


def cluster_dendrogram(linkage_matrix, labels: Sequence[str], *, ax=None, lang: str = "fr",
                       highlight: Sequence | None = None, k: int | None = None):
    """Dendrogram of a hierarchical clustering of the cases (leaves on the left).

    Parameters
    ----------
    linkage_matrix : ndarray
        The scipy linkage matrix, e.g. the first item of
        :func:`coanalysis.metrics.case_linkage`.
    labels : sequence of str
        The case ids of the leaves, in the order the linkage was built with.
    ax : matplotlib Axes, optional
    lang : {"fr", "en"}
    highlight : sequence, optional
        Leaves set in bold (e.g. the study's five cases).
    k : int, optional
        Colour the ``k`` clusters of the cut (as :func:`coanalysis.metrics.cluster_cases`);
        default one colour.

    Returns
    -------
    matplotlib.axes.Axes

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
    ax = _new_axes(ax, (4.6, 0.8 + 0.16 * len(labels)))
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
    ax.set_xlabel(_TEXT[lang]["height"])
    ax.grid(axis="y", visible=False)
    number_axis(ax, axis="x", decimals=1, lang=lang)
    return ax
