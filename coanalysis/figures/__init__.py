"""House style, axis formatters and deterministic export of published figures.

Plot functions for each kind of figure live in submodules (``casebase``, ``survey``…);
this package holds what all of them share.
"""

from .export import (  # noqa: F401
    FIGURE_FORMATS,
    SIMULATED_LABEL,
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

__all__ = [
    "export_figure", "read_figure_data", "read_sidecar", "write_gallery", "FIGURE_FORMATS",
    "SIMULATED_LABEL", "number_axis",
    "percent_axis", "number_formatter", "percent_formatter", "use_house_style",
    "house_rc", "PALETTE", "SEQUENTIAL", "DIVERGING", "NA_COLOR", "FIG_COLUMN", "FIG_PAGE",
    "FIG_PAGE_TALL",
]
