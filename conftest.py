"""Project-wide pytest settings (loaded for tests/ and for the notebooks nbval runs).

Notebooks run by nbval export their figures into a temporary folder: only
``coanalysis reproduce`` writes the project's ``figures/`` (checked by ``.ci/run``).
"""

import os
import shutil
import tempfile

_FIGURES: str | None = None


def pytest_configure(config):
    global _FIGURES
    if not os.environ.get("COANALYSIS_FIGURES"):
        _FIGURES = tempfile.mkdtemp(prefix="coanalysis-figures-")
        os.environ["COANALYSIS_FIGURES"] = _FIGURES  # inherited by the nbval kernels


def pytest_unconfigure(config):
    if _FIGURES is not None:
        os.environ.pop("COANALYSIS_FIGURES", None)
        shutil.rmtree(_FIGURES, ignore_errors=True)
