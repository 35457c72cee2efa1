"""The survey reader's column-at-a-time path: blocks of rows split in one pass, distinct values.

A CSV's cells are all text, so each column is checked value by value on its *distinct* values
(pd.factorize) and the rows take the result by integer indexing. Every rule stays the one of
:mod:`.cells`: LikertScale.parse on each distinct answer, parse_number on each number that is not
plainly written, the same Problem for each offending cell, in the same order. Columns holding
anything but str (XLSX numbers, SPSS values) go through the same rules one cell at a time.
"""

from __future__ import annotations

import csv
import re
from itertools import compress
from operator import methodcaller
from typing import Callable, NamedTuple, Sequence

import numpy as np
import pandas as pd

from ...codebook.terms import LikertScale
from ...errors import Problem
from .cells import (
    AMBIGUOUS,
    EMPTY_ROW,
    SPACES,
    groups_thousands,
    number_hint,
    other_mark,
    ragged_row,
    Recoded,
    parse_number,
)

#: Numbers that parse_number reads as ``float(text)`` once the spaces are removed and the decimal
#: comma is a point: ASCII digits, an optional sign, an optional decimal part. Every other cell
#: (exponent, dot thousands, Unicode digits, text...) is given to parse_number itself.
_PLAIN_NUMBER = {",": re.compile(r"[+-]?[0-9]+(?:,[0-9]+)?"),
                 ".": re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")}
_SPACE_CHARS = (" ", "\u00a0", "\u202f", "\t")  # what SPACES removes


def is_text(cells: np.ndarray) -> bool:
    """Whether every cell of a non-empty object array is a str."""
    return len(cells) > 0 and pd.api.types.infer_dtype(cells, skipna=False) == "string"


def blank_text(cells: np.ndarray) -> np.ndarray:
    """``str(c).strip() == ""`` for each cell of an array of str (``str.strip`` and
    ``str.isspace`` share Python's definition of whitespace)."""
    return (cells == "") | np.fromiter(map(str.isspace, cells), bool, count=len(cells))


class TextLines(NamedTuple):
    """The data lines of a CSV text that needs no csv parser, quotes removed: line ``i`` of the
    list is line ``i + 2`` of the file (the header is line 1) and holds one record, its fields
    separated by ``sep``."""

    lines: list[str]
    sep: str


def plain_lines(text: str, sep: str) -> list[str] | None:
    """The physical lines of ``text``, quotes removed, when the csv module would read each of them
    as one record split at every ``sep`` (see :func:`_unquote`; no NUL, no field over the csv size
    limit, a one-character separator that is no quote or line break); None otherwise, and the
    csv module reads the text.

    Line breaks are those of ``io.StringIO(newline="")``: "\\r\\n", "\\r" or "\\n".
    """
    if not isinstance(sep, str) or len(sep) != 1 or sep in '"\r\n\0' or "\0" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if '"' in text:
        text = _unquote(text, sep)
        if text is None:
            return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines or max(map(len, lines)) > csv.field_size_limit():
        return None
    return lines


def _unquote(text: str, sep: str) -> str | None:
    """``text`` without its quotes when every quote opens or closes a whole field ("a";"b c")
    holding no quote, separator or line break: the csv module then reads each such field as
    its content, so the text without quotes splits into the same records and fields. None for
    anything else (escaped quotes "", separators or line breaks inside quotes, text around
    quotes, a line that is just ""), which the csv module reads itself.
    """
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an odd number of quotes
        return None
    inside = "".join(parts[1::2])
    if sep in inside or "\n" in inside:
        return None
    ends = (sep, "\n")
    first, last = parts[0], parts[-1]
    if (first and not first.endswith(ends)) or (last and not last.startswith(ends)):
        return None
    for between in set(parts[2:-2:2]):  # from a closing quote to the next opening one
        if not (between.startswith(ends) and between.endswith(ends)):
            return None  # also "" (an escaped quote) and text glued to a quote
    if '\n""\n' in f"\n{text}\n":  # one empty quoted field: the csv module gives [""], not []
        return None
    return "".join(parts)


def split_line(line: str, sep: str) -> list[str]:
    """The fields of one unquoted line as the csv module reads them (an empty line has none)."""
    return line.split(sep) if line else []


def _widths(ncol: int, dropped: int) -> list[int]:
    """Field counts handled by blocks: the header's, with and without its unnamed trailing columns."""
    return sorted({ncol, ncol + dropped}) if ncol >= 1 else []


def text_blocks(text: TextLines, ncol: int, dropped: int):
    """Rows of an unquoted CSV as blocks ``[(lines, cells)]`` of equal field counts (``cells`` a
    2-D object array, split in one ``str.split`` per block) and the other rows ``[(line, fields)]``."""
    lines, sep = text.lines, text.sep
    n = len(lines)
    widths = _widths(ncol, dropped)
    fields = np.fromiter(map(methodcaller("count", sep), lines), np.int64, count=n) + 1
    if 1 in widths:  # an empty line has no field, not one empty field
        fields[np.fromiter(map(len, lines), np.int64, count=n) == 0] = 0
    numbers = np.arange(2, n + 2)
    blocks = []
    for w in widths:
        idx = np.flatnonzero(fields == w)
        if len(idx):
            flat = sep.join(map(lines.__getitem__, idx.tolist())).split(sep)
            blocks.append((numbers[idx], np.array(flat, dtype=object).reshape(len(idx), w)))
    other = [(int(numbers[i]), split_line(lines[i], sep))
             for i in np.flatnonzero(~np.isin(fields, widths)).tolist()]
    return blocks, other


def record_blocks(rows: list[tuple[int, list[str]]], ncol: int, dropped: int):
    """The same as :func:`text_blocks` for records already split by the csv module."""
    n = len(rows)
    fields = np.fromiter((len(rec) for _, rec in rows), np.int64, count=n)
    numbers = np.fromiter((ln for ln, _ in rows), np.int64, count=n)
    blocks = []
    widths = _widths(ncol, dropped)
    for w in widths:
        idx = np.flatnonzero(fields == w)
        if len(idx):
            cells = np.empty((len(idx), w), dtype=object)
            for k, i in enumerate(idx.tolist()):
                cells[k] = rows[i][1]
            blocks.append((numbers[idx], cells))
    other = [rows[i] for i in np.flatnonzero(~np.isin(fields, widths)).tolist()]
    return blocks, other


def check_blocks(path: str, blocks: list[tuple[np.ndarray, np.ndarray]], ncol: int, dropped: int):
    """The checks of :func:`check_rows` on blocks of text rows of equal field counts:
    ``(kept lines, kept cells, rejected, problems)``, the last two as in :func:`check_rows`."""
    kept_lines, kept_cells, rejected, problems = [], [], [], []
    for numbers, cells in blocks:
        k, w = cells.shape
        blank = blank_text(cells[:, 0])  # a blank row starts with a blank cell
        cand = np.flatnonzero(blank)
        if len(cand):
            blank[cand] = blank_text(cells[cand].ravel()).reshape(len(cand), w).all(axis=1)
        rejected += [(ln, {"line": ln, "reason": EMPTY_ROW}) for ln in numbers[blank].tolist()]
        keep = ~blank
        if w > ncol:
            extra_blank = blank_text(cells[:, ncol:].ravel()).reshape(k, w - ncol).all(axis=1)
            for ln in numbers[keep & ~extra_blank].tolist():
                problems.append((ln, ragged_row(path, ln, w, ncol, dropped)))
            keep &= extra_blank
        kept_lines.append(numbers[keep])
        kept_cells.append(cells[keep][:, :ncol])
    return kept_lines, kept_cells, rejected, problems


def frame_from_blocks(header: list[str], kept_lines: list[np.ndarray],
                       kept_cells: list[np.ndarray], kept: list[tuple[int, list]]) -> pd.DataFrame:
    """The frame of the kept rows, in file order, from the blocks and the rows checked one by one."""
    if kept:
        rest = np.empty((len(kept), len(header)), dtype=object)
        for k, (_, cells) in enumerate(kept):
            rest[k] = cells
        kept_lines = kept_lines + [np.array([ln for ln, _ in kept], dtype=np.int64)]
        kept_cells = kept_cells + [rest]
    if len(kept_lines) == 1:  # one block: already in file order
        lines, cells = kept_lines[0], kept_cells[0]
    else:
        lines = np.concatenate(kept_lines)
        order = np.argsort(lines, kind="stable")
        lines, cells = lines[order], np.concatenate(kept_cells)[order]
    return pd.DataFrame(cells, columns=header, dtype=object, index=pd.Index(lines, name="line"))


def scale_column_text(path: str, col: str, scale: LikertScale, cells: np.ndarray,
                       lines: np.ndarray, problems: list[Problem], recoded: Recoded
                       ) -> pd.Categorical:
    """A Likert column of text cells: :meth:`LikertScale.parse` once per distinct answer."""
    rows, answers = pd.factorize(cells)
    position = {c: i for i, c in enumerate(scale.codes)}
    cat = np.full(len(answers), -1, dtype=np.int64)
    reasons = np.full(len(answers), None, dtype=object)
    unknown = np.zeros(len(answers), dtype=bool)
    for j, answer in enumerate(answers.tolist()):
        try:
            code, reason = scale.parse(answer)
        except KeyError:
            unknown[j] = True
            continue
        if code is not None:
            cat[j] = position[code]
        reasons[j] = reason
    bad = np.flatnonzero(unknown[rows])
    if len(bad):
        expected = scale.describe()
        for ln, v in zip(lines[bad].tolist(), cells[bad].tolist()):
            problems.append(Problem(path, ln, col, v, expected,
                                    "fix the answer, or declare the code in the scale's "
                                    "missing= if it means no answer"))
    missing = np.flatnonzero(np.not_equal(reasons, None)[rows])
    if len(missing):
        recoded.extend(lines[missing].tolist(), col, cells[missing].tolist(),
                       reasons[rows[missing]].tolist(), text=True)
    return pd.Categorical.from_codes(cat[rows], dtype=scale.dtype())


def parse_text_numbers(values: list[str], dec: str) -> tuple[np.ndarray, np.ndarray]:
    """``(numbers, failed)`` of one column's str cells: :func:`parse_number` of each, NaN and
    True where it raises, with ``grouped=`` decided by the column (:func:`groups_thousands`).

    Plainly written numbers (see :data:`_PLAIN_NUMBER`) are read together: spaces removed from
    one joined string, one regular expression per value, ``float`` of the text with a point
    (inf beyond the float range, which fails as in parse_number). Only the other cells hold
    the other mark, so the column's grouping is decided on them.
    """
    n = len(values)
    out = np.full(n, np.nan)
    failed = np.zeros(n, dtype=bool)
    joined = "\n".join(values)
    if joined.count("\n") == n - 1:  # no value holds a line break: the join splits back
        for ch in _SPACE_CHARS:
            if ch in joined:
                joined = joined.replace(ch, "")
        texts = joined.split("\n")
        plain = np.fromiter(map(bool, map(_PLAIN_NUMBER[dec].fullmatch, texts)), bool, count=n)
        if plain.any():
            pointed = joined.replace(",", ".").split("\n") if dec == "," else texts
            out[plain] = np.fromiter(map(float, compress(pointed, plain)), float,
                                     count=int(plain.sum()))
            huge = np.isinf(out)  # more than 308 digits
            if huge.any():
                failed |= huge
                out[huge] = np.nan
        empty = np.fromiter(map(len, texts), np.int64, count=n) == 0  # parse_number gives NaN
        rest = np.flatnonzero(~plain & ~empty).tolist()
        cleaned = [texts[j] for j in rest]
    else:
        rest = list(range(n))
        cleaned = [SPACES.sub("", v) for v in values]
    grouped = None  # decided at the first single group, if any
    for j, s in zip(rest, cleaned):
        try:
            out[j] = parse_number(values[j], dec)
            continue
        except ValueError:
            pass
        if AMBIGUOUS[dec].fullmatch(s):
            if grouped is None:
                grouped = groups_thousands(cleaned, dec)
            if grouped:
                out[j] = parse_number(values[j], dec, grouped=True)
                continue
        failed[j] = True
    return out, failed


def parse_numbers(values: Sequence, dec: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_text_numbers` for a column of any cells (XLSX, SPSS): the str cells decide
    the grouping among themselves; numbers are taken as they are (inf fails)."""
    values = list(values)
    text = [j for j, v in enumerate(values) if isinstance(v, str)]
    out = np.full(len(values), np.nan)
    failed = np.zeros(len(values), dtype=bool)
    if text:
        out[text], failed[text] = parse_text_numbers([values[j] for j in text], dec)
    for j, v in enumerate(values):
        if not isinstance(v, str):
            try:
                out[j] = parse_number(v, dec)
            except ValueError:
                failed[j] = True
    return out, failed


def number_column_text(path: str, col: str, cells: np.ndarray, lines: np.ndarray, dec: str,
                        problems: list[Problem], switch: Callable[[], bool]) -> np.ndarray:
    """A numeric column of text cells: each distinct value parsed once (``switch`` as in
    :func:`number_hint`)."""
    rows, values = pd.factorize(cells)
    numbers, failed = parse_text_numbers(values.tolist(), dec)
    bad = np.flatnonzero(failed[rows])
    if len(bad):
        hints: dict[str, str] = {}
        for ln, v in zip(lines[bad].tolist(), cells[bad].tolist()):
            if v not in hints:
                hints[v] = number_hint(v, dec, switch)
            problems.append(Problem(path, ln, col, v, f"a number (decimal mark {dec!r})", hints[v]))
    return numbers[rows]


def other_mark_reads(frame: pd.DataFrame, columns: Sequence[str], dec: str) -> bool:
    """Whether ``decimal=`` set to the other mark keeps every cell of ``columns`` that reads
    with ``dec`` a number (each column deciding its own grouping, as read_survey does)."""
    other = other_mark(dec)
    for col in columns:
        cells = frame[col].to_numpy(dtype=object)
        _, failed_now = parse_numbers(cells, dec)
        _, failed_other = parse_numbers(cells, other)
        if (~failed_now & failed_other).any():
            return False
    return True
