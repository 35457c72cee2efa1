"""The coding workflow: a coding workbook for a coder, its import into the case base's codings.

- :func:`coding_sheet` writes a blind coding workbook (``.xlsx``) for new or existing cases,
  generated from the codebook and the case base's descriptor;
- :func:`import_coding` reads a filled workbook back, checks every cell with the case-base
  loader's rules, and writes the coder's files under ``data/cases/codings/coder_<name>/``
  all at once, or nothing.

The blindness check of two codings (:func:`coanalysis.agreement.evidence_overlap`) and their
agreement (:func:`coanalysis.agreement.coder_agreement`) are in :mod:`coanalysis.agreement`.

This package stands above the analysis floor (it reads the codebook and the loaders and
calls :mod:`coanalysis.agreement`), beside :mod:`coanalysis.figures`; it never loads plotting.
"""

from .importer import CodingImport, import_coding
from .sheet import coding_sheet

__all__ = ["coding_sheet", "import_coding", "CodingImport"]
