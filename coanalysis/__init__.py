"""coanalysis — reproducible comparison of French local co-construction experiments.

Loaders, metrics, configurational comparison (QCA), survey statistics and a
house style for published figures, after the OST/MNT cahier n°22 (2019).
"""

from importlib.metadata import PackageNotFoundError, version as _version

from . import codebook, errors
from .errors import DataError
from .loaders.casebase import CaseBase, load_casebase, validate_casebase
from .text import default_lang

__all__ = ["__version__", "codebook", "errors", "DataError", "default_lang",
           "CaseBase", "load_casebase", "validate_casebase"]

try:
    __version__ = _version("coanalysis")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0+unknown"
