"""The figures of coanalysis: every plot function, the house style, axis formatters and the
deterministic export of published figures.

Call the plot functions from here, as seaborn's ``sns.<plot>``:
``figures.participation_heatmap(...)``, ``figures.xy_plot(...)``, ``figures.diverging_likert(...)``.
Each takes a tidy ``data`` frame plus column names (``x=``, ``y=``, ``hue=``, ``value=`` for a
cell's value, ``order=`` / ``hue_order=``), draws on ``ax`` (a new one when None), computes
nothing it does not draw, draws missing values as NA (never as zero) and returns the Axes;
``lang=None`` means :func:`coanalysis.default_lang`.

- :mod:`.participation` — ``participation_heatmap``, ``membership_matrix``;
- :mod:`.circuits` — ``circuit_diagram``;
- :mod:`.clusters` — ``distance_heatmap``, ``cluster_dendrogram``;
- :mod:`.bars` — ``na_rate_bars``, ``count_bars``;
- :mod:`.qca` — ``xy_plot`` (and its points, ``xy_points``), ``score_bars``, ``survival_grid``;
- :mod:`.survey` — ``dumbbell_chart``, ``diverging_likert``, ``stacked_bars``;
- :mod:`.style`, :mod:`.formatting`, :mod:`.export` — what all of them share.

Their words (legends, axis titles) are in :mod:`coanalysis.codebook.interface`.
"""

from ._draw import NA_GID, NA_HATCH  # noqa: F401
from .bars import count_bars, na_rate_bars  # noqa: F401
from .circuits import circuit_diagram  # noqa: F401
from .clusters import cluster_dendrogram, distance_heatmap  # noqa: F401
from .export import (  # noqa: F401
    FIGURE_FORMATS,
    export_figure,
    read_figure_data,
    read_sidecar,
    write_gallery,
)
from .formatting import (  # noqa: F401
    number_axis,
    number_formatter,
    percent_axis,
    percent_formatter,
)
from .participation import membership_matrix, participation_heatmap  # noqa: F401
from .qca import score_bars, survival_grid, xy_plot, xy_points  # noqa: F401
from .style import (  # noqa: F401
    DIVERGING,
    FIG_COLUMN,
    FIG_PAGE,
    FIG_PAGE_TALL,
    NA_COLOR,
    PALETTE,
    SEQUENTIAL,
    house_rc,
    use_house_style,
)
from .survey import diverging_likert, dumbbell_chart, stacked_bars  # noqa: F401

__all__ = [
    # plot functions
    "participation_heatmap", "membership_matrix", "circuit_diagram", "distance_heatmap",
    "cluster_dendrogram", "na_rate_bars", "count_bars", "xy_plot", "xy_points", "score_bars",
    "survival_grid", "dumbbell_chart", "diverging_likert", "stacked_bars",
    # export
    "export_figure", "read_figure_data", "read_sidecar", "write_gallery", "FIGURE_FORMATS",
    # axis formatters
    "number_axis", "percent_axis", "number_formatter", "percent_formatter",
    # house style
    "use_house_style", "house_rc", "PALETTE", "SEQUENTIAL", "DIVERGING", "NA_COLOR", "NA_HATCH",
    "NA_GID", "FIG_COLUMN", "FIG_PAGE", "FIG_PAGE_TALL",
]
