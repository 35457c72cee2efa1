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

__all__ = ["CoanalysisError", "DataError", "Problem", "LoadReport", "ConvergenceError"]


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
        found = "<missing>" if _is_missing(self.found) else repr(self.found)
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


def _is_missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
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

    def __post_init__(self) -> None:
        if self.rows_read != self.rows_kept + self.rows_rejected:
            raise CoanalysisError(
                f"row accounting broken for {self.file}: read {self.rows_read}, "
                f"kept {self.rows_kept}, rejected {self.rows_rejected}"
            )

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def __repr__(self) -> str:
        return (
            f"LoadReport({Path(self.file).name!r}: read {self.rows_read}, kept {self.rows_kept}, "
            f"rejected {self.rows_rejected}, recoded to NA {len(self.recoded)})"
        )

    def summary(self) -> str:
        """A readable multi-line account of the load."""
        lines = [repr(self)]
        for note in self.notes:
            lines.append(f"  note: {note}")
        for _, row in self.rejected.iterrows():
            lines.append(f"  rejected line {row['line']}: {row['reason']}")
        if len(self.recoded):
            counts = self.recoded.groupby(["column", "reason"]).size()
            for (col, reason), n in counts.items():
                lines.append(f"  recoded to NA in {col!r}: {n} × {reason}")
        return "\n".join(lines)
