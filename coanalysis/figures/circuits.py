"""Information circuits: the flows between actor types of one case, drawn against the classic
chain usagers → agents → encadrement → élus.

Arrows are matplotlib's ``arc3`` quadratic Bézier curves; :func:`_bezier_mid` finds where a
channel's label sits on its curve, :func:`_bows_out` which side a curve bows to.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from numbers import Real

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..codebook import ACTORS, CHANNELS, CLASSIC_CHAIN, classic_hops
from ..codebook.interface import word
from ..errors import DataError, Problem, is_missing
from ..text import Lang, check_lang, format_number
from ..validation import require_columns
from ._draw import DATA_FILE, new_axes, shared_docs, to_slugs
from .style import PALETTE

__all__ = ["circuit_diagram", "ACTOR_POSITIONS"]

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

#: Decision-makers a voice distance can be shown for: the actors after ``usagers`` on the chain.
_VOICE_TARGETS = tuple(a for a in CLASSIC_CHAIN if classic_hops(a))


def _as_bool(values: pd.Series, column: str) -> np.ndarray:
    truth = {True: True, False: False, "true": True, "false": False, "True": True,
             "False": False}  # 1 and 0 find True and False (equal keys in a dict)
    out, problems = [], []
    for index, value in values.astype(object).items():
        key = value.strip().lower() if isinstance(value, str) else value
        try:
            out.append(truth[key])
        except (KeyError, TypeError):
            problems.append(Problem(DATA_FILE, None, column, value, "true or false",
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
        shown = word("no_path", lang) if missing else format_number(hops, 0, lang)
        lines.append(word("voice_to", lang).format(
            target=word(f"voice_target_{target}", lang), value=shown, classic=classic_hops(target)))
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
    slugs = to_slugs(values[known], CHANNELS, column)
    return [CHANNELS.label(slugs[i], lang) if k else None for i, k in known.items()]


@shared_docs
def circuit_diagram(data: pd.DataFrame, *, case_id, voice=None, from_actor: str = "from_actor",
                    to_actor: str = "to_actor", channel: str | None = "channel",
                    direct: str = "direct", ax=None, lang: Lang | None = None, legend: bool = True,
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
    {ax}
    {lang}
    legend : bool, default True
    title : str, optional
        First title line; default the case id.

    {returns}
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
    require_columns(data, columns, table="data", file=DATA_FILE)
    case = data.loc[data["case_id"].astype(object) == case_id]
    sources = to_slugs(case[from_actor], ACTORS, from_actor)
    targets = to_slugs(case[to_actor], ACTORS, to_actor)
    is_direct = _as_bool(case[direct], direct)
    channels = _channel_labels(case[channel], channel, lang) if channel is not None \
        else [None] * len(case)

    ax = new_axes(ax, (4.6, 3.8))
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
        ax.text(2.4, -0.6, word("no_flow", lang), ha="center", fontsize=7, style="italic")

    lines = [str(case_id) if title is None else title]
    lines += _voice_lines(voice, lang)
    ax.set_title("\n".join(lines), fontsize=7.5)
    ax.set_xlim(-0.6, 5.4)
    ax.set_ylim(-2.35, 2.35)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if legend:
        handles = [Line2D([], [], color=accent, linewidth=1.8, label=word("direct_channel", lang)),
                   Line2D([], [], color=plain, linewidth=1.0, label=word("chain_channel", lang)),
                   Line2D([], [], color=reference, linewidth=4, label=word("classic_chain", lang))]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=1,
                  frameon=False, fontsize=6.5)
    return ax
