"""Tables written for people and spreadsheets: stable numbers, no executable cells.

Two rules for every table the package writes (figure data, exported tables):

* **Numbers at a stated precision.** A float is written with ``digits``
  significant digits (6 by default), computed so that last-bit differences —
  another CPU, BLAS kernel or summation order — never change a byte: the value
  is first rounded to 12 significant digits, which absorbs any error of a few
  units in the last place (a double carries 15–17), then rounded half away
  from zero to ``digits`` on that decimal. Six digits redraw any figure at
  print resolution and recompute every number a figure or table prints (at
  most four digits), and no more. A value below ``1e-12`` times the largest
  magnitude of its column is written as ``0``: it is the rounding residue of a
  result that is zero (``1 - 1`` summed in another order gives ``1e-17`` or
  ``0``), not a number anyone can read off the figure.
* **No formula injection.** A text cell that begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return would be run as a formula by Excel or
  LibreOffice (``=HYPERLINK(…)``, ``+cmd|…``). As OWASP recommends
  (*CSV Injection*, https://owasp.org/www-community/attacks/CSV_Injection), such
  a cell is written with a leading apostrophe, which spreadsheets take as
  "text follows". A cell that already begins with an apostrophe gets one more,
  so that :func:`restore_text` gives every original text back exactly. Numbers
  (``-0,125`` included) are never touched: they are written by this module
  from numeric columns, not taken as text.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from .text import check_lang

__all__ = [
    "FORMULA_TRIGGERS",
    "DEFAULT_DIGITS",
    "neutralise_text",
    "restore_text",
    "stable_number",
    "zero_floor",
    "write_csv",
    "read_csv",
    "csv_options",
    "check_digits",
    "cell_reference",
]

#: First characters that make a spreadsheet evaluate a cell (OWASP CSV Injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Significant digits of the floats written by :func:`write_csv`.
DEFAULT_DIGITS = 6

# Rounding to 12 significant digits first absorbs the last-bit noise of a double (15-17 digits);
# only a value within ~1e-12 relative of a 12-digit tie could still flip, which a result computed
# from coded or surveyed data does not produce by chance.
_GUARD_DIGITS = 12


# A text that is just a number ("-0,125", "+3") cannot run as a formula: it is left as written.
_PLAIN_NUMBER = re.compile(r"^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?$")


def neutralise_text(value: str) -> str:
    """``value`` with a leading ``'`` if a spreadsheet would run it as a formula (or it starts with ``'``).

    A text that is only a number (``"-0,125"``) is left as it is: it cannot run.

    >>> neutralise_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_text("Eau potable")
    'Eau potable'
    """
    if value and (value[0] in FORMULA_TRIGGERS or value[0] == "'") and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def restore_text(value: str) -> str:
    """Inverse of :func:`neutralise_text`: drop the one apostrophe it added.

    >>> restore_text(neutralise_text("+33 1 23"))
    '+33 1 23'
    >>> restore_text(neutralise_text("'déjà cité'"))
    "'déjà cité'"
    """
    if len(value) >= 2 and value[0] == "'" and (value[1] in FORMULA_TRIGGERS or value[1] == "'"):
        return value[1:]
    return value


def stable_number(value: float, digits: int = DEFAULT_DIGITS) -> Decimal | None:
    """``value`` rounded to ``digits`` significant digits, the same on every machine.

    Returns ``None`` for a missing value (NaN); infinities are refused, as they are
    never a result to publish.

    >>> stable_number(0.7897933683327913)
    Decimal('0.789793')
    >>> stable_number(0.7897933683327912) == stable_number(0.7897933683327913)
    True
    >>> stable_number(0.1 + 0.2), stable_number(2.5e-7), stable_number(1234567.0)
    (Decimal('0.3'), Decimal('2.5E-7'), Decimal('1.23457E+6'))
    """
    check_digits(digits)
    x = float(value)
    if math.isnan(x):
        return None
    if math.isinf(x):
        raise ValueError(f"cannot write an infinite value ({x}) in a table: compute a finite result or NA")
    if x == 0:
        return Decimal(0)
    guarded = Decimal(f"{x:.{_GUARD_DIGITS - 1}e}")
    exponent = guarded.adjusted()  # position of the first significant digit
    rounded = guarded.quantize(Decimal(1).scaleb(exponent - digits + 1), rounding=ROUND_HALF_UP)
    return rounded.normalize()


def check_digits(digits) -> int:
    """``digits`` if it is a whole number of significant digits a table can carry (1 to 12).

    Above 12, the last digits would be the machine's rounding noise again (see ``_GUARD_DIGITS``).
    """
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or not 1 <= digits <= _GUARD_DIGITS:
        raise ValueError(f"digits must be a whole number from 1 to {_GUARD_DIGITS}, got {digits!r}")
    return int(digits)


def _plain(d: Decimal, decimal: str) -> str:
    """A Decimal as a reader writes it: fixed notation from 1e-6 to 1e15, else scientific."""
    if d == 0:
        return "0"
    exponent = d.adjusted()
    text = f"{d:f}" if -6 <= exponent < 15 else f"{d:E}".replace("E+", "E")
    return text.replace(".", decimal) if decimal != "." else text


def csv_options(lang: str) -> dict:
    """Separator, decimal mark and encoding of the CSV files written in ``lang``.

    French spreadsheets expect ``;`` and a decimal comma; the BOM lets Excel detect UTF-8.
    """
    if lang == "fr":
        return {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}
    return {"sep": ",", "decimal": ".", "encoding": "utf-8"}


def zero_floor(values: np.ndarray) -> float:
    """Magnitude under which a value of this column is a rounding residue of zero."""
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) * 10.0 ** -_GUARD_DIGITS if finite.size else 0.0


def _cell_texts(column: pd.Series, decimal: str, digits: int) -> pd.Series:
    """The column as the strings to write (NA as an empty cell)."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return column.map(lambda v: "" if pd.isna(v) else str(bool(v)))
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.map(lambda v: "" if pd.isna(v) else str(int(v)))
    if pd.api.types.is_float_dtype(column.dtype):
        floor = zero_floor(column.to_numpy(dtype=float, na_value=np.nan))

        def number(v):
            if pd.isna(v):
                return ""
            return _plain(stable_number(0.0 if abs(v) < floor else v, digits), decimal)
        return column.map(number)

    def cell(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        if isinstance(v, (bool, np.bool_)):
            return str(bool(v))
        if isinstance(v, (int, np.integer)):
            return str(int(v))
        if isinstance(v, (float, np.floating)):
            return _plain(stable_number(v, digits), decimal)
        return neutralise_text(str(v))
    return column.astype(object).map(cell)


def write_csv(frame: pd.DataFrame, path: str | Path, *, lang: str | None = None,
              digits: int = DEFAULT_DIGITS) -> Path:
    """Write ``frame`` as a CSV safe to open in a spreadsheet, byte-identical on every machine.

    Floats at ``digits`` significant digits (:func:`stable_number`), text cells
    neutralised against formula injection (:func:`neutralise_text`), French CSV
    (``;``, decimal comma, UTF-8 with BOM) when the language (``lang``, default :func:`coanalysis.default_lang`) is French, plain CSV
    otherwise; ``\\n`` line ends. :func:`read_csv` reads it back.
    """
    options = csv_options(check_lang(lang))
    digits = check_digits(digits)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"write_csv needs a DataFrame, got {type(frame).__name__}")
    if frame.columns.duplicated().any():
        raise ValueError(f"duplicate column names: {list(frame.columns[frame.columns.duplicated()])}")
    sep = options["sep"]
    header = [neutralise_text(str(name)) for name in frame.columns]
    columns = [_cell_texts(frame[name], options["decimal"], digits).tolist() for name in frame.columns]
    lines = [_csv_line(header, sep)] + [_csv_line(row, sep) for row in zip(*columns)]
    path = Path(path)
    with open(path, "w", encoding=options["encoding"], newline="") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def _csv_line(cells, sep: str) -> str:
    """One CSV record (RFC 4180 quoting): a cell holding the separator, a quote, ``\\n`` or ``\\r`` is quoted.

    Python's csv writer leaves a lone ``\\r`` unquoted, which a reader takes as a line end;
    a record of one empty cell is written ``""`` so that it is not a blank line a reader skips.
    """
    cells = list(cells)
    if len(cells) == 1 and cells[0] == "":
        return '""'
    return sep.join(
        '"' + c.replace('"', '""') + '"' if (sep in c or '"' in c or "\n" in c or "\r" in c) else c
        for c in cells
    )


def read_csv(path: str | Path, *, lang: str | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_csv`: numbers as numbers, texts as they were given."""
    options = csv_options(check_lang(lang))
    frame = pd.read_csv(path, sep=options["sep"], decimal=options["decimal"],
                        encoding=options["encoding"])
    frame.columns = [restore_text(str(c)) for c in frame.columns]
    for name in frame.columns:
        if pd.api.types.is_object_dtype(frame[name].dtype) or pd.api.types.is_string_dtype(frame[name].dtype):
            frame[name] = frame[name].map(lambda v: restore_text(v) if isinstance(v, str) else v)
    return frame


def cell_reference(sheet: str, row: int, column: int) -> str:
    """A cell as a spreadsheet names it: ``conditions!D5``, ``'Feuille 1'!B7``.

    ``column`` counts from 1 (A); a sheet name other than letters, digits and ``_`` is quoted,
    an apostrophe in it doubled (ECMA-376 part 1, 18.17.2, the formula grammar of references).

    >>> cell_reference("conditions", 5, 4), cell_reference("Feuille 1", 7, 2)
    ('conditions!D5', "'Feuille 1'!B7")
    >>> cell_reference("l'an", 1, 28)
    "'l''an'!AB1"
    """
    letters = ""
    n = int(column)
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    ref = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{ref}!{letters}{int(row)}"
