"""The house style of every published figure: palette, typeface, sizes, theme.

Colour-blind-safe palette (Okabe & Ito 2008), DejaVu Sans (shipped with
matplotlib, so the same glyphs on every machine), A4 column and page sizes.
"""

from __future__ import annotations

import matplotlib as mpl
import seaborn as sns

__all__ = [
    "PALETTE",
    "SEQUENTIAL",
    "DIVERGING",
    "NA_COLOR",
    "FIG_COLUMN",
    "FIG_PAGE",
    "FIG_PAGE_TALL",
    "FONT",
    "use_house_style",
    "house_rc",
]

#: Okabe–Ito qualitative palette (Okabe & Ito 2008, "Color Universal Design"), black last.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
#: Sequential colormap (perceptually uniform, colour-blind safe).
SEQUENTIAL = "viridis"
#: Diverging colormap for Likert and differences (colour-blind safe).
DIVERGING = "PuOr"
#: Fill for missing values (drawn with a hatch, never as zero).
NA_COLOR = "#D9D9D9"

#: Width × height in inches: one A4 column (8.5 cm) and a full page text width (17 cm).
FIG_COLUMN: tuple[float, float] = (3.35, 2.6)
FIG_PAGE: tuple[float, float] = (6.7, 4.2)
FIG_PAGE_TALL: tuple[float, float] = (6.7, 8.5)
FONT = "DejaVu Sans"


def house_rc() -> dict:
    """The matplotlib rcParams of the house style (deterministic export settings included).

    The same in both languages: numbers on axes are formatted per axis, in the figure's language,
    by :func:`coanalysis.figures.number_axis` / ``percent_axis``.
    """
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "font.size": 8.5,
        "axes.titlesize": 9.5,
        "axes.labelsize": 8.5,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "figure.figsize": FIG_PAGE,
        "figure.dpi": 100,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "savefig.pad_inches": 0.05,
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.formatter.use_locale": False,
        "axes.unicode_minus": True,
        "hatch.color": "#7F7F7F",
        "hatch.linewidth": 0.6,
        "svg.fonttype": "path",
        "svg.hashsalt": "coanalysis",
        "pdf.fonttype": 42,
        "image.cmap": SEQUENTIAL,
    }


def use_house_style() -> None:
    """Apply the house style (seaborn theme ``whitegrid`` + :func:`house_rc`, which gives the rc
    dict).

    Call once at the top of a notebook; it returns nothing, so the notebook shows no settings dump. Number formatting on axes is done per
    axis with :func:`coanalysis.figures.number_axis` / ``percent_axis``.
    """
    rc = house_rc()
    sns.set_theme(context="paper", style="whitegrid", palette=list(PALETTE), rc=rc)
    mpl.rcParams.update(rc)
