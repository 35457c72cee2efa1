"""Errors raised by coanalysis and the row-accounting report of every loader.

A loader either reads a file correctly or raises :class:`DataError` listing
*every* problem found (file, line, column, value found, what was expected, and
how to fix it). Rows are never dropped silently: :class:`LoadReport` keeps the
account ``rows_read == rows_kept + rows_rejected`` with a reason for each
rejected row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

__all__ = ["CoanalysisError", "DataError", "Problem", "LoadReport", "ConvergenceError",
           "is_missing", "plain_scalar"]


class CoanalysisError(Exception):
    """Base class of every error raised by the package."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a data file.

    Attributes
    ----------
    file : str
        File name (or path) where the problem is.
    line : int or None
        Line number *in the file* (1-based, the header being line 1), or None
        when the problem concerns the whole file or a whole column.
    column : str or None
        Column name, or None when the problem concerns a whole row or file.
    found : Any
        The value found (``repr`` is shown).
    expected : str
        What was expected, in words.
    hint : str
        How to fix it (optional).
    """

    file: str
    line: int | None
    column: str | None
    found: Any
    expected: str
    hint: str = ""

    def __str__(self) -> str:
        where = str(self.file) if self.file else "<data>"
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        found = "<missing>" if is_missing(self.found) else repr(plain_scalar(self.found))
        text = f"{where}: found {found}, expected {self.expected}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "found": self.found,
            "expected": self.expected,
            "hint": self.hint,
        }


def plain_scalar(value: Any) -> Any:
    """``value`` as it should read in a message: numpy scalars become the Python numbers they
    hold (``np.float64(-1.5)`` -> ``-1.5``), also inside lists, tuples and dicts; any other value
    unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> [plain_scalar(v) for v in (np.float64(-1.5), np.int64(4), "4", 4)]
    [-1.5, 4, '4', 4]
    >>> plain_scalar({"rows": [np.int64(2), np.int64(7)]})
    {'rows': [2, 7]}
    """
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        return value.item()
    if isinstance(value, dict):
        return {plain_scalar(k): plain_scalar(v) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(plain_scalar(v) for v in value)
    return value


def is_missing(value: Any) -> bool:
    """Whether one scalar is a missing value (None, NaN, ``pd.NA``, ``pd.NaT``).

    The package's single NA test for scalars: containers (lists, arrays) are
    never "missing", whatever they hold, and strings such as ``"NA"`` are values.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, 0, "", "NA", [None])]
    [True, True, True, True, False, False, False, False]
    """
    if value is None:
        return True
    if pd.api.types.is_list_like(value):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False




class DataError(CoanalysisError, ValueError):
    """Invalid input data: carries every :class:`Problem` found, not just the first.

    ``str(error)`` lists all problems, one per line; ``error.problems`` keeps
    them as objects and ``error.table()`` as a DataFrame.
    """

    def __init__(self, problems: Iterable[Problem] | Problem, summary: str | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        if not self.problems:
            raise ValueError("DataError needs at least one Problem")
        self.summary = summary or f"{len(self.problems)} problem(s) found in the data"
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [self.summary + ":"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)

    def table(self) -> pd.DataFrame:
        """Problems as a DataFrame with columns file, line, column, found, expected, hint."""
        return pd.DataFrame([p.as_dict() for p in self.problems])


class ConvergenceError(CoanalysisError, RuntimeError):
    """An iterative algorithm (e.g. raking) did not converge within its limits."""


@dataclass
class LoadReport:
    """Row accounting of one load: ``rows_read == rows_kept + rows_rejected``.

    ``rejected`` is a DataFrame with one row per rejected input row and the
    columns ``line`` (line number in the file), ``reason``; ``recoded`` lists
    values turned into NA on purpose (e.g. "ne sait pas") with their reason,
    which are kept rows, not rejected ones.

    For a text file, the rows are also accounted for against its physical lines:
    ``lines_read`` (the lines after the header) equals ``rows_read`` plus the
    extra lines of the rows that span several lines (quoted line breaks), listed
    in ``spans`` (columns ``line``, the first line, and ``last_line``). ``sheet``
    names the worksheet read from a workbook.
    """

    file: str
    rows_read: int
    rows_kept: int
    rejected: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["line", "reason"])
    )
    recoded: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["line", "column", "value", "reason"])
    )
    notes: list[str] = field(default_factory=list)
    lines_read: int | None = None
    spans: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["line", "last_line"]))
    sheet: str | None = None

    def __post_init__(self) -> None:
        if self.rows_read != self.rows_kept + self.rows_rejected:
            raise CoanalysisError(
                f"row accounting broken for {self.file}: read {self.rows_read}, "
                f"kept {self.rows_kept}, rejected {self.rows_rejected}"
            )
        extra = int((self.spans["last_line"] - self.spans["line"]).sum()) if len(self.spans) else 0
        if self.lines_read is not None and self.lines_read != self.rows_read + extra:
            raise CoanalysisError(
                f"line accounting broken for {self.file}: {self.lines_read} lines after the "
                f"header, {self.rows_read} rows read spanning {extra} more line(s)"
            )

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def __repr__(self) -> str:
        return (
            f"LoadReport({Path(self.file).name!r}"
            + ("" if self.sheet is None else f", sheet {self.sheet!r}")
            + f": read {self.rows_read}, kept {self.rows_kept}, "
            f"rejected {self.rows_rejected}, recoded to NA {len(self.recoded)})"
        )

    def summary(self) -> str:
        """A readable multi-line account of the load."""
        lines = [repr(self)]
        if self.lines_read is not None and len(self.spans):
            spans = "; ".join(f"lines {int(a)}-{int(b)}" for a, b in
                              zip(self.spans["line"], self.spans["last_line"]))
            lines.append(f"  {self.lines_read} lines after the header; rows on several lines "
                         f"(quoted line breaks): {spans}")
        for note in self.notes:
            lines.append(f"  note: {note}")
        for _, row in self.rejected.iterrows():
            lines.append(f"  rejected line {row['line']}: {row['reason']}")
        if len(self.recoded):
            counts = self.recoded.groupby(["column", "reason"]).size()
            for (col, reason), n in counts.items():
                lines.append(f"  recoded to NA in {col!r}: {n} × {reason}")
        return "\n".join(lines)
