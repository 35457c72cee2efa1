"""Where the project's data, figures and notebooks live.

Resolved from the source tree (the package is installed in editable mode);
each can be overridden by an environment variable, e.g. for tests.
"""

from __future__ import annotations

import os
from pathlib import Path

from .text import check_lang

__all__ = ["project_root", "data_dir", "figures_dir", "gallery_dir", "notebooks_dir"]


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
    """Where :func:`coanalysis.figures.export_figure` writes when given no ``outdir``.

    ``COANALYSIS_FIGURES`` when set — ``coanalysis reproduce`` sets it to the
    project's gallery (:func:`gallery_dir`) for the notebooks it runs —, else the
    current directory: a user's own script or notebook never writes into the
    project's ``figures/``.
    """
    if os.environ.get("COANALYSIS_FIGURES"):
        return Path(os.environ["COANALYSIS_FIGURES"])
    return Path.cwd()


def gallery_dir(lang: str | None = None) -> Path:
    """The project's versioned gallery: ``figures/`` (``figures/en/`` for English figures).

    Only ``coanalysis reproduce`` and ``coanalysis figures`` write there.
    """
    root = project_root() / "figures"
    return root / "en" if check_lang(lang) == "en" else root


def notebooks_dir() -> Path:
    """The numbered notebooks run by ``coanalysis reproduce``."""
    return Path(os.environ.get("COANALYSIS_NOTEBOOKS", project_root() / "notebooks"))
