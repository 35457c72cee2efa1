"""The per-cell rules of the survey reader: numbers, the fixes proposed, ragged rows, recoded cells.

:func:`parse_number` reads one number written the French or English way; a column decides
whether the other mark groups thousands (:func:`groups_thousands`). :func:`number_hint` says
how to fix a cell that is no number. :func:`check_rows` rejects blank rows and reports ragged
ones, one row at a time. :class:`Recoded` lists the cells turned into NA for the report.
:mod:`.fast` applies the same rules a column at a time.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from ...errors import Problem

__all__ = ["parse_number"]

SPACES = re.compile(r"[ \u00a0\u202f\t]")
#: The other mark groups thousands beyond doubt: two groups or more ("1.234.567"), or one group
#: before the decimal mark ("1.234,5"), in ASCII digits; the first group never starts with 0
#: ("0.954" is no thousand). The keys are the decimal marks.
_GROUPED = {
    ",": re.compile(r"[+-]?[1-9][0-9]{0,2}(?:(?:\.[0-9]{3}){2,}(?:,[0-9]+)?|\.[0-9]{3},[0-9]+)"),
    ".": re.compile(r"[+-]?[1-9][0-9]{0,2}(?:(?:,[0-9]{3}){2,}(?:\.[0-9]+)?|,[0-9]{3}\.[0-9]+)"),
}
#: One group of three digits after the other mark and nothing else ("1.310"): a thousand (1310)
#: or a number with three decimals (1.31); only the rest of its column can tell.
AMBIGUOUS = {",": re.compile(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}"),
              ".": re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}")}
_FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_NOT_FINITE = re.compile(r"[+-]?(inf(inity)?|nan)", re.IGNORECASE)
#: What a spreadsheet writes in a cell whose formula fails.
_SPREADSHEET_ERROR = re.compile(r"#(DIV/0!|N/A|NA|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!)",
                                re.IGNORECASE)


def other_mark(decimal: str) -> str:
    return "." if decimal == "," else ","


def parse_number(value: Any, decimal: str = ",", *, grouped: bool = False) -> float:
    """Parse a number written the French or English way; raise ValueError if it is not one.

    Thousands may be separated by a space, U+00A0 or U+202F; empty cells give NaN. The other
    mark ("." when the decimal mark is ",", and the reverse) is read as a thousands separator
    only where it cannot be a decimal mark: two groups or more ("1.234.567"), or one group
    followed by the decimal mark ("1.234,5"). A single group ("1.310": 1310 or 1.31?) raises,
    unless ``grouped=True`` says that the rest of the column groups thousands with the other
    mark (see :func:`read_survey`); a first group starting with 0 ("0.954") is never a thousand.
    Infinite values, ``inf``/``nan`` text and numbers beyond the float range ("1e400") raise.

    Examples
    --------
    >>> parse_number("1\\u202f234,5")
    1234.5
    >>> parse_number("1.234.567", decimal=",")
    1234567.0
    >>> parse_number("3.25", decimal=".")
    3.25
    >>> parse_number("1.310", decimal=",", grouped=True)
    1310.0
    """
    if value is None:
        return np.nan
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        x = float(value)
        if np.isinf(x):
            raise ValueError(value)
        return x
    s = SPACES.sub("", str(value))
    if s == "":
        return np.nan
    other = other_mark(decimal)
    if _GROUPED[decimal].fullmatch(s) or (grouped and AMBIGUOUS[decimal].fullmatch(s)):
        s = s.replace(other, "")
    elif other in s:
        raise ValueError(value)
    if decimal == ",":
        s = s.replace(",", ".")
    if not _FLOAT.fullmatch(s):
        raise ValueError(value)
    x = float(s)
    if np.isinf(x):  # float("1e400") is inf, not an error
        raise ValueError(value)
    return x


def groups_thousands(texts: Iterable[str], dec: str) -> bool:
    """Whether a column's cells (spaces removed) show that the other mark groups thousands:
    one cell at least groups beyond doubt (:data:`_GROUPED`) and none uses the other mark as
    its decimal mark. Then a single group ("1.310") is read as a thousand."""
    other = other_mark(dec)
    grouped = False
    for s in texts:
        if other not in s:
            continue
        if _GROUPED[dec].fullmatch(s):
            grouped = True
        elif not AMBIGUOUS[dec].fullmatch(s) and _uses_other_decimal(s, dec):
            return False
    return grouped


def _uses_other_decimal(s: str, dec: str) -> bool:
    """Whether ``s`` (spaces removed) is a number written with the other decimal mark, not
    grouped ("0.954" or "34.5" when ``dec`` is ",")."""
    other = other_mark(dec)
    return dec not in s and s.count(other) == 1 and bool(_FLOAT.fullmatch(s.replace(other, ".")))


def drop_unnamed_trailing(header: list[str]) -> tuple[list[str], int]:
    """Header without the empty names at its end (Excel's ``id;q;;``) and how many were dropped."""
    n = len(header)
    while n > 1 and header[n - 1] == "":
        n -= 1
    return header[:n], len(header) - n


def number_hint(cell: Any, dec: str, switch: Callable[[], bool]) -> str:
    """Fix for a cell that is not a number with decimal mark ``dec``, one that works for the
    whole column: ``decimal=`` is proposed only when ``switch()`` says that every numeric
    column of the file reads with the other mark (:func:`other_mark_reads`); otherwise the
    cell is to be rewritten with ``dec``."""
    other = other_mark(dec)
    if not isinstance(cell, str):  # a number of an XLSX or SPSS file: only infinity fails
        return "the value is infinite: correct it, or leave the cell empty if the value is missing"
    s = SPACES.sub("", cell)
    if _NOT_FINITE.fullmatch(s):
        return (f"{s!r} is not a value: leave the cell empty if the value is missing, or write "
                "the number")
    if _SPREADSHEET_ERROR.fullmatch(s):
        return (f"the cell holds the spreadsheet error {s}: correct the formula in the "
                "spreadsheet, or empty the cell")
    pointed = s.replace(",", ".") if dec == "," else s
    if other not in s and _FLOAT.fullmatch(pointed) and np.isinf(float(pointed)):
        return ("the number is beyond the range of a float (about ±1.8e308): correct the cell "
                "(digits pasted together, or a stray exponent?)")
    if AMBIGUOUS[dec].fullmatch(s):
        thousand, decimal_form = s.replace(other, ""), s.replace(other, dec)
        return (f"{s!r} is ambiguous: {other!r} groups thousands ({thousand}) or marks decimals, "
                f"and the rest of the column does not settle it: write {thousand!r} for a "
                f"thousand or {decimal_form!r} for a decimal number"
                + (f" (or pass decimal={other!r} if every number of the file is written with "
                   f"{other!r})" if switch() else ""))
    try:
        x = parse_number(cell, other)
    except ValueError:
        return "remove units or text from the cell"
    if switch():
        return (f"the cell is a number written with the decimal mark {other!r}, as every "
                f"number of the file can be read: pass decimal={other!r}")
    written = s.replace(other, dec) if _uses_other_decimal(s, dec) else _write_number(x, dec)
    return (f"the cell is written with the decimal mark {other!r} while other numbers of the "
            f"file use {dec!r} (changing decimal= would break them): write it {written!r}")


def _write_number(x: float, dec: str) -> str:
    """``x`` written with the decimal mark ``dec``, shortest round-trip digits, no grouping."""
    text = repr(float(x))
    text = text[:-2] if text.endswith(".0") else text
    return text.replace(".", dec)


EMPTY_ROW = "ligne vide / empty row"


def exact_float(bound: Any) -> bool:
    """Whether numpy compares floats with ``bound`` as Python does (it converts it to a float)."""
    if not isinstance(bound, (int, float)) or isinstance(bound, bool):
        return False
    try:
        return float(bound) == bound
    except OverflowError:
        return False


class Recoded:
    """The cells turned into NA, in the order they are found (report.recoded)."""

    COLUMNS = ["line", "column", "value", "reason"]

    def __init__(self) -> None:
        self.lines: list[int] = []
        self.columns: list[str] = []
        self.values: list[Any] = []
        self.reasons: list[str] = []
        self.text = True  # every value a str: the frame can be built from columns

    def add(self, line: int, column: str, value: Any, reason: str) -> None:
        self.extend([line], column, [value], [reason])

    def extend(self, lines: list[int], column: str, values: list, reasons: list[str],
               text: bool = False) -> None:
        """Add cells; ``text=True`` says that every value is a str."""
        self.lines += lines
        self.columns += [column] * len(lines)
        self.values += values
        self.reasons += reasons
        self.text = self.text and (text or all(isinstance(v, str) for v in values))

    def frame(self) -> pd.DataFrame:
        if self.lines and self.text:  # the same frame as from the records, built faster
            return pd.DataFrame(dict(zip(self.COLUMNS, (self.lines, self.columns, self.values,
                                                        self.reasons))), columns=self.COLUMNS)
        return pd.DataFrame([dict(zip(self.COLUMNS, rec)) for rec in
                             zip(self.lines, self.columns, self.values, self.reasons)],
                            columns=self.COLUMNS)


def check_rows(path: str, rows: Iterable[tuple[int, list]], ncol: int, dropped: int):
    """The row checks, one row at a time: ``(kept, rejected, problems)`` with kept
    ``[(line, cells)]``, rejected ``[(line, record)]`` and problems ``[(line, Problem)]``."""
    kept, rejected, problems = [], [], []
    for line, rec in rows:
        cells = ["" if (v is None or (isinstance(v, float) and np.isnan(v))) else v for v in rec]
        if all(str(c).strip() == "" for c in cells):
            rejected.append((line, {"line": line, "reason": EMPTY_ROW}))
            continue
        if len(cells) != ncol:
            if len(cells) > ncol and all(str(c).strip() == "" for c in cells[ncol:]):
                cells = cells[:ncol]
            else:
                problems.append((line, ragged_row(path, line, len(cells), ncol, dropped)))
                continue
        kept.append((line, cells))
    return kept, rejected, problems


def ragged_row(path: str, line: int, n: int, ncol: int, dropped: int) -> Problem:
    """The problem of a row of ``n`` fields under a header of ``ncol`` names."""
    if dropped and ncol < n <= ncol + dropped:
        hint = "this line has data in a column without a name in the header: name that column"
    else:
        hint = "check the separator and quoting of this line"
    return Problem(path, line, None, f"{n} fields", f"{ncol} fields as in the header", hint)
