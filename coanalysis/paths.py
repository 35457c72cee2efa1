"""Where the project's data, figures and notebooks live.

Resolved from the source tree (the package is installed in editable mode);
each can be overridden by an environment variable, e.g. for tests.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "data_dir", "figures_dir", "notebooks_dir"]


def project_root() -> Path:
    """Root of the checkout: the folder holding ``pyproject.toml`` above this package."""
    env = os.environ.get("COANALYSIS_ROOT")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The project's ``data/`` folder (override with ``COANALYSIS_DATA``)."""
    return Path(os.environ.get("COANALYSIS_DATA", project_root() / "data"))


def figures_dir() -> Path:
    """Where :func:`coanalysis.figures.export_figure` writes (override with ``COANALYSIS_FIGURES``)."""
    return Path(os.environ.get("COANALYSIS_FIGURES", project_root() / "figures"))


def notebooks_dir() -> Path:
    """The numbered notebooks run by ``coanalysis reproduce``."""
    return Path(os.environ.get("COANALYSIS_NOTEBOOKS", project_root() / "notebooks"))
