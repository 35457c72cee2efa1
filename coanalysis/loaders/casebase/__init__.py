"""The case base: its Data Package descriptor, a schema checker that reports every problem, and the loader.

``data/cases/`` is a Frictionless Data Package (``datapackage.json`` + one CSV per
resource). :func:`validate_casebase` checks every file against the Table Schemas
of the descriptor and the codebook and returns the list of problems;
:func:`load_casebase` raises :class:`~coanalysis.errors.DataError` listing all of
them, or returns a :class:`CaseBase` of typed DataFrames.

Modules: :mod:`.schema` (the descriptor, built), :mod:`.descriptor_checks` (the descriptor read
from disk, checked), :mod:`.checks` (cells, tables,
keys, rows), :mod:`.reconcile` (the reconciliation rule and its check), :mod:`.load`
(:class:`CaseBase` and the readers).
"""

from .schema import (
    CASEBASE_TABLES,
    CODING_RESOURCES,
    casebase_datapackage,
    write_casebase_datapackage,
)
from .reconcile import (CODERS, PARTICIPATION_KEY, RECONCILE_INPUTS, RECONCILED_CODER,
                        RECONCILED_TABLES, SCORE_TABLES, compare_reconciled, format_score,
                        reconcile, reconcile_participation, reconcile_table, same_score,
                        source_ids, units)
from .load import CaseBase, load_casebase, read_resources, validate_casebase

__all__ = [
    "CaseBase",
    "CASEBASE_TABLES",
    "CODING_RESOURCES",
    "casebase_datapackage",
    "write_casebase_datapackage",
    "validate_casebase",
    "load_casebase",
    "read_resources",
    "same_score",
    "format_score",
    "reconcile",
    "reconcile_table",
    "reconcile_participation",
    "compare_reconciled",
    "units",
    "source_ids",
    "CODERS",
    "PARTICIPATION_KEY",
    "RECONCILED_CODER",
    "RECONCILED_TABLES",
    "RECONCILE_INPUTS",
    "SCORE_TABLES",
]
