"""read_survey: the survey reader as named steps, and its CSV reader.

decode and split the file (:func:`_read_source`: :func:`_read_csv_rows` here, ``.xlsx`` in
:mod:`.xlsx`, ``.sav`` in :mod:`.spss`) -> check the header (:func:`_check_header`) -> check the
rows (:func:`_frame_of_rows`, :func:`_reject_incomplete`) -> parse the columns
(:func:`_parse_columns`) -> report (:func:`_report`).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from pathlib import Path
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

from ...codebook.terms import LikertScale
from ...codebook.terms import normalise_answer as _norm
from ...errors import DataError, LoadReport, Problem
from .._text import decode_text, foreign_separator, sniff_separator
from .cells import (
    check_rows,
    drop_unnamed_trailing,
    exact_float,
    number_hint,
    Recoded,
)
from .fast import (
    blank_text,
    check_blocks,
    frame_from_blocks,
    is_text,
    number_column_text,
    other_mark_reads,
    parse_numbers,
    plain_lines,
    record_blocks,
    scale_column_text,
    split_line,
    text_blocks,
    TextLines,
)
from .spss import (
    read_sav_file,
    sav_answers,
    sav_labelled,
    sav_plain,
    sav_scale_code,
    SavColumn,
)
from .xlsx import read_xlsx_rows

__all__ = ["SurveyLoad", "read_survey"]


class SurveyLoad(NamedTuple):
    """What :func:`read_survey` returns: the tidy frame and the row-accounting report."""

    data: pd.DataFrame
    report: LoadReport


# --------------------------------------------------------------------------- CSV
class _CsvLines(NamedTuple):
    """The physical lines of a CSV after its header (``lines_read``) and the rows that span
    several of them (``spans``: ``[(first line, last line)]``), for :class:`LoadReport`."""

    lines_read: int
    spans: list[tuple[int, int]]


def _read_csv_rows(path: str, encoding: str | None, sep: str | None, max_field_lines: int):
    """``(header, rows, notes, separator, lines)`` of a CSV: decoded (:func:`.decode_text`), its
    separator sniffed unless given, split without the csv module when it needs none
    (:func:`.plain_lines`: ``rows`` is then a :class:`.TextLines`), else by it (``rows`` is
    ``[(first line, fields)]``, a quoted field running over the next rows being an error)."""
    raw = Path(path).read_bytes()
    empty = DataError(Problem(path, None, None, "empty file", "a header line and data rows",
                              "the file holds no text: check that the export finished and that "
                              "the path names the export, not a placeholder"), "empty file")
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise empty
    text, used = decode_text(raw, path, encoding)
    if not text.strip().strip("\ufeff"):  # e.g. a UTF-16 file holding only byte-order marks
        raise empty
    if sep is None:
        sep = sniff_separator(text)
    notes = [f"encoding: {used}", f"separator: {sep!r}"]
    plain = plain_lines(text, sep)
    if plain is not None:
        return ([h.strip() for h in split_line(plain[0], sep)], TextLines(plain[1:], sep), notes,
                sep, _CsvLines(len(plain) - 1, []))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header = None
    rows: list[tuple[int, list[str]]] = []
    spans: list[tuple[int, int]] = []
    last = header_end = 0
    for rec in reader:
        start = last + 1
        last = reader.line_num
        if header is None:
            header = [h.strip() for h in rec]
            header_end = last
            continue
        rows.append((start, rec))
        if last > start:
            spans.append((start, last))
    problems = _runaway_fields(path, text, sep, header or [], rows, spans, max_field_lines)
    if problems:
        raise DataError(problems, f"{Path(path).name}: quoted field running over the next rows")
    return header, rows, notes, sep, _CsvLines(_count_lines(text) - header_end, spans)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks of io.StringIO(newline=""), as csv reads


def _count_lines(text: str) -> int:
    """The physical lines of ``text`` as the csv module counts them (``reader.line_num``)."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (1 if text and not text.endswith(("\n", "\r")) else 0)


def _breaks(field: str) -> int:
    return field.count("\n") + field.count("\r") - field.count("\r\n")


def _runaway_fields(path: str, text: str, sep: str, header: list[str],
                    rows: list[tuple[int, list[str]]], spans: list[tuple[int, int]],
                    max_field_lines: int) -> list[Problem]:
    """The quoted fields that swallow the rows after them: one never closed (it runs to the end
    of the file, which the csv module reads without a word) or one running over more than
    ``max_field_lines`` lines. Each problem names the line where the quote opened.

    A quote left open reads every line up to the next quote as the text of one cell, so the
    rows after it vanish from the data while the row count still adds up; legitimate answers
    with line breaks span a few lines.
    """
    problems = []
    multi = {start for start, _ in spans}
    total = _count_lines(text)
    last_start, last_rec = rows[-1] if rows else (0, [])
    unclosed = bool(last_rec) and any(_breaks(f) for f in last_rec) and _open_at_end(
        text, sep, last_start, total)

    def problem(line, j, field, expected, hint):
        column = header[j] if j < len(header) else None
        shown = field if len(field) <= 40 else field[:40] + "…"
        problems.append(Problem(path, line, column, shown, expected, hint))

    for start, rec in rows:
        if start not in multi and not (unclosed and start == last_start):
            continue
        line = start
        for j, field in enumerate(rec):
            n = _breaks(field)
            if unclosed and start == last_start and j == len(rec) - 1:
                problem(line, j, field, "a closing quote before the end of the file",
                        f"the quote opened on line {line} is never closed: lines {line}-{total}, "
                        "to the end of the file, would be read as the text of this one cell; "
                        f"close the quote on line {line} (or double it, \"\", if it is part of "
                        "the text)")
            elif n + 1 > max_field_lines:
                problem(line, j, field, f"a quoted field closed within {max_field_lines} lines",
                        f"the quote opened on line {line} closes only on line {line + n}: lines "
                        f"{line + 1}-{line + n} would be read as the text of this one cell; "
                        f"close the quote on line {line} (or double it, \"\", if it is part of "
                        f"the text), or pass max_field_lines={n + 1} if this answer really spans "
                        f"{n + 1} lines")
            line += n
    return problems


def _open_at_end(text: str, sep: str, line: int, total: int) -> bool:
    """Whether the record starting on ``line`` ends the text inside a quoted field, which the
    csv module reads as a field running to the end of the file unless ``strict``."""
    if line > 1:
        skip = line - 1
        for k, m in enumerate(_LINE_BREAK.finditer(text), start=1):
            if k == skip:
                text = text[m.end():]
                break
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


# --------------------------------------------------------------------------- main
def read_survey(path: str | Path, *, scales: Mapping[str, LikertScale] | None = None,
                id_column: str | None = None, numeric: Sequence[str] = (),
                ranges: Mapping[str, tuple[float, float]] | None = None,
                incomplete_column: str | None = None, sep: str | None = None,
                encoding: str | None = None, decimal: str | None = None,
                sheet: int | str | None = None, max_field_lines: int = 10) -> SurveyLoad:
    """Read a survey export and check it against declared scales.

    Parameters
    ----------
    path : str or Path
        ``.csv`` / ``.txt``, ``.xlsx`` or ``.sav``.
    scales : dict, optional
        ``{column: LikertScale}``. Each answer must be a level's code or label (French or
        English, any case) or a declared missing code; missing codes and blank cells become NA
        and are listed in ``report.recoded`` with their reason.
    id_column : str, optional
        Respondent identifier: must be present and unique.
    numeric : list of str
        Columns parsed as numbers (decimal comma, thousands with space/U+00A0/U+202F). The other
        mark ("." with a decimal comma) groups thousands only where it cannot be a decimal
        mark ("1.234.567", "1.234,5"); a single group ("1.310") is read as a thousand only
        when the column holds such a cell and no cell writing its decimals with the other
        mark; otherwise it is an error, as are "0.954" in a decimal-comma column, ``inf``,
        ``nan`` and numbers beyond the float range ("1e400").
    ranges : dict, optional
        ``{column: (min, max)}`` inclusive bounds checked on numeric columns.
    incomplete_column : str, optional
        A column that is blank for incomplete responses (LimeSurvey's ``submitdate``): such
        rows are rejected with their line and reason.
    sep : str, optional
        CSV separator; sniffed among ``; , tab |`` when not given.
    encoding : str, optional
        CSV encoding; default: UTF-8 (BOM or not), else cp1252 when the file holds no valid
        UTF-8 sequence of several bytes. A UTF-8 file with some lines in another encoding (a
        cp1252 paste) is refused, its lines listed, rather than decoded as cp1252 into
        mojibake. A UTF-16 file (byte-order mark or NUL bytes) is refused with a hint unless
        ``encoding="utf-16"`` is passed.
    decimal : {",", "."}, optional
        Decimal mark of CSV numbers; default "," when the separator is ";" else ".".
    sheet : int or str, optional
        Worksheet of an .xlsx file: a name, or an index in the workbook's order (hidden sheets
        included). Default: the first visible sheet; hidden and very hidden sheets are read
        only when named. ``report.sheet`` (and the summary) names the sheet read, and a note
        lists the other visible sheets.
    max_field_lines : int, default 10
        Most physical lines a quoted CSV field may span (answers with line breaks). A quote
        left open swallows the rows after it into one cell: a field spanning more lines, or
        running to the end of the file, is an error naming the line where the quote opened.

    Returns
    -------
    SurveyLoad
        ``(data, report)``: ``data`` is indexed by the file line of each row (``line``; the
        header is line 1; case number for .sav); Likert columns are ordered categoricals over
        the scale's codes; numeric columns float; other columns text. Blank rows are rejected
        (reason in ``report.rejected``), never silently dropped. Trailing header columns
        without a name and without data (Excel's ``id;q;;``) are dropped and noted in
        ``report.notes``. For a CSV, ``report.lines_read`` and ``report.spans`` account for
        the physical lines (rows with quoted line breaks span several).

    Raises
    ------
    DataError
        Listing every problem (file, line, column, value as written in the file, expected,
        fix): unknown code, out-of-range value, unparsable number (with ``decimal=`` suggested
        when the other decimal mark parses it), duplicated or blank id, ragged row, empty or
        header-only file, wrong encoding (UTF-16 named as such, lines of another encoding in a
        UTF-8 file listed), header that is one field holding another separator (with ``sep=``
        suggested), missing declared column, quoted field left open or running over more than
        ``max_field_lines`` lines, ambiguous or point-decimal number in a decimal-comma
        column (and the reverse; ``decimal=`` is suggested only when it reads every numeric
        column, else the cell's rewriting), infinite or out-of-range number; for .xlsx files,
        a formula cell without a computed value (named as ``Feuil1!C7``) and an unknown
        sheet; for .sav
        files, a code without a value label in a column with no declared scale, and a conflict
        between the file's labels or user-missing codes and a declared scale.

    Notes
    -----
    pandas' C parser ignores ``thousands="\\u00a0"``; numbers are therefore parsed here, from
    text, by :func:`parse_number`. cp1252 is preferred to latin-1 because latin-1 decodes
    Windows bytes 0x80-0x9F (€, œ, ’) into invisible control characters.

    Text columns are checked on their distinct values, not cell by cell:
    :meth:`LikertScale.parse` runs once per distinct answer, numbers written plainly (digits, a
    sign, one decimal mark, once the spaces are removed) are read by ``float`` and every other
    cell by :func:`parse_number` (with ``grouped=`` decided by the column), so values and
    messages are those of the per-cell rules. The column decides the grouping because a
    single cell cannot: "1.310" alone is 1310 or 1.31, and reading every such cell as a
    thousand once multiplied a weight by 1000 without a word. A CSV without quotes, or whose
    quotes surround whole fields holding no quote, separator or line break, is split without
    the csv module, which reads any other.

    SPSS files carry their own declarations, which are obeyed: a code the file declares
    user-missing (``meta.missing_ranges``), or whose value label names a missing reason
    ("NSP", "Ne sait pas", "Non concerné"...), becomes NA with that reason in
    ``report.recoded`` (``manquant_declare`` when the label names no known reason). Under a
    declared scale the file's label decides the reason (9 = "NSP" gives ``ne_sait_pas`` even
    though the scale maps 9 to ``sans_reponse``); a file calling missing what the scale calls
    an answer, or labelling a code with another level's label, raises.

    Examples
    --------
    >>> import tempfile, os
    >>> from coanalysis.codebook import SATISFACTION_4
    >>> p = os.path.join(tempfile.mkdtemp(), "b.csv")
    >>> _ = open(p, "w", encoding="utf-8").write("id;q1;age\\n1;Très satisfait;34\\n2;NSP;51\\n")
    >>> data, report = read_survey(p, scales={"q1": SATISFACTION_4}, id_column="id", numeric=["age"])
    >>> data["q1"].tolist()
    [4, nan]
    >>> report
    LoadReport('b.csv': read 2, kept 2, rejected 0, recoded to NA 1)
    """
    path = str(path)
    if not Path(path).is_file():
        raise FileNotFoundError(path)
    scales, numeric, ranges = _check_declaration(scales, numeric, ranges)
    source = _read_source(path, sep=sep, encoding=encoding, decimal=decimal, sheet=sheet,
                          max_field_lines=max_field_lines)
    if decimal not in (None, ",", "."):
        raise ValueError(f"decimal must be ',' or '.', got {decimal!r}")
    declared = (set(scales) | set(numeric) | set(ranges)
                | {c for c in (id_column, incomplete_column) if c})
    header, dropped = _check_header(path, source, declared)
    frame, rejected = _frame_of_rows(path, source, header, dropped)
    if incomplete_column:
        frame = _reject_incomplete(frame, incomplete_column, rejected)
    recoded = Recoded()
    data = _parse_columns(path, frame, header, source, recoded, scales=scales, numeric=numeric,
                          ranges=ranges, id_column=id_column)
    return SurveyLoad(data, _report(path, source, data, rejected, recoded))


# --------------------------------------------------------------------------- the steps
class _Source(NamedTuple):
    """A file decoded and split into rows, before any check of its header or rows.

    ``rows`` is a :class:`.TextLines` (a CSV needing no csv parser) or ``[(line, cells)]``;
    ``text`` says that every cell is a str (a CSV); ``dec`` is the decimal mark in use.
    """

    header: list[str]
    rows: Any
    notes: list[str]
    dec: str
    text: bool = False
    sep: str | None = None
    csv_lines: _CsvLines | None = None
    sheet: str | None = None
    meta: Any = None  # what an SPSS file declares (pyreadstat's metadata)

    @property
    def rows_read(self) -> int:
        """The data rows read (records of a CSV, rows of a sheet, SPSS cases)."""
        return len(self.rows.lines) if isinstance(self.rows, TextLines) else len(self.rows)


def _check_declaration(scales: Mapping[str, LikertScale] | None, numeric: Sequence[str],
                       ranges: Mapping[str, tuple[float, float]] | None
                       ) -> tuple[dict[str, LikertScale], list[str], dict[str, tuple]]:
    """The declared scales, numeric columns and ranges as a dict, a list and a dict; a scale that
    is no :class:`LikertScale` raises TypeError."""
    scales = dict(scales or {})
    for col, sc in scales.items():
        if not isinstance(sc, LikertScale):
            raise TypeError(f"scales[{col!r}] must be a LikertScale, got {type(sc).__name__}")
    return scales, list(numeric), dict(ranges or {})


def _read_source(path: str, *, sep: str | None, encoding: str | None, decimal: str | None,
                 sheet: int | str | None, max_field_lines: int) -> _Source:
    """Decode and split the file by its suffix: ``.xlsx``/``.xlsm`` (decimal mark "," unless
    given), ``.sav`` (".") or CSV (decimal "," after the separator ";", else ".", unless given)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        header, rows, notes, sheet_read = read_xlsx_rows(path, sheet)
        return _Source(header, rows, notes, decimal or ",", sheet=sheet_read)
    if suffix == ".sav":
        header, rows, notes, meta = read_sav_file(path)
        return _Source(header, rows, notes, ".", meta=meta)
    header, rows, notes, used_sep, csv_lines = _read_csv_rows(path, encoding, sep, max_field_lines)
    dec = decimal or ("," if used_sep == ";" else ".")
    notes.append(f"decimal: {dec!r}")
    return _Source(header, rows, notes, dec, text=True, sep=used_sep, csv_lines=csv_lines)


def _check_header(path: str, source: _Source, declared: set[str]) -> tuple[list[str], int]:
    """The header without its unnamed trailing columns, and how many were dropped (noted).

    Raises DataError for a header that another separator splits, duplicated or empty names and
    declared columns that are missing.
    """
    header, dropped = drop_unnamed_trailing(source.header)
    if dropped:
        source.notes.append(f"dropped {dropped} empty trailing column(s) without a name")
    wrong_sep = foreign_separator(header, source.sep)
    if wrong_sep:
        found_sep, n_fields = wrong_sep
        raise DataError(Problem(path, 1, None, header[0], f"fields separated by {source.sep!r}",
                                f"the header is one field holding {n_fields} names separated by "
                                f"{found_sep!r}: pass sep={found_sep!r}"),
                        f"{Path(path).name}: wrong separator")
    problems: list[Problem] = []
    seen = set()
    for h in header:
        if h in seen:
            problems.append(Problem(path, 1, h, h, "unique column names",
                                    "give every column a name" if h == "" else "rename the duplicate"))
        seen.add(h)
    for col in sorted(declared - set(header)):
        problems.append(Problem(path, 1, col, None, f"a column named {col!r}",
                                f"columns found: {header[:15]}{'…' if len(header) > 15 else ''}"))
    if problems:
        raise DataError(problems, f"{Path(path).name}: header does not match the declaration")
    return header, dropped


def _frame_of_rows(path: str, source: _Source, header: list[str], dropped: int
                   ) -> tuple[pd.DataFrame, list[dict]]:
    """The frame of the rows kept (text cells, indexed by ``line``) and the rows rejected
    (blank), in file order. CSV rows are checked in blocks of equal field counts
    (:func:`.check_blocks`), the others one by one (:func:`.check_rows`).

    Raises DataError listing the ragged rows, or for a file without a data row.
    """
    ncol = len(header)
    rows = source.rows
    if isinstance(rows, TextLines):
        blocks, other = text_blocks(rows, ncol, dropped)
    elif source.text:  # CSV read by the csv module: every cell is text
        blocks, other = record_blocks(rows, ncol, dropped)
    else:
        blocks, other = [], rows
    kept_lines, kept_cells, rejected, row_problems = check_blocks(path, blocks, ncol, dropped)
    kept, more_rejected, more_problems = check_rows(path, other, ncol, dropped)
    rejected = [r for _, r in sorted(rejected + more_rejected, key=lambda t: t[0])]
    problems = [p for _, p in sorted(row_problems + more_problems, key=lambda t: t[0])]
    if problems:
        raise DataError(problems, f"{Path(path).name}: ragged rows")
    if not kept and not any(len(ln) for ln in kept_lines):
        raise DataError(Problem(path, None, None, f"{source.rows_read} row(s), none with data",
                                "at least one data row",
                                "the file has a header but no answers: export the responses "
                                "(not only the questionnaire), and check the export's filters "
                                "(date, completed responses only)"), "empty file")
    if blocks:
        frame = frame_from_blocks(header, kept_lines, kept_cells, kept)
    else:
        frame = pd.DataFrame([c for _, c in kept], columns=header, dtype=object,
                             index=pd.Index([ln for ln, _ in kept], name="line"))
    return frame, rejected


def _reject_incomplete(frame: pd.DataFrame, column: str, rejected: list[dict]) -> pd.DataFrame:
    """``frame`` without the rows whose ``column`` is blank, each added to ``rejected``."""
    cells = frame[column].to_numpy(dtype=object)
    if is_text(cells):
        blank = blank_text(cells)
    else:
        blank = frame[column].map(lambda v: str(v).strip() == "").to_numpy(dtype=bool)
    for ln in frame.index[blank]:
        rejected.append({"line": int(ln), "reason": f"réponse incomplète / incomplete response "
                                                    f"({column} vide)"})
    return frame.loc[~blank]


def _parse_columns(path: str, frame: pd.DataFrame, header: list[str], source: _Source,
                   recoded: Recoded, *, scales: dict[str, LikertScale], numeric: list[str],
                   ranges: dict[str, tuple], id_column: str | None) -> pd.DataFrame:
    """The typed frame: ids checked, Likert columns categorical, numeric columns float (ranges
    checked), SPSS columns with value labels categorical, other columns text.

    Raises DataError listing every problem, in this order: ids, scales, numbers, SPSS labels.
    """
    problems = _check_ids(path, frame, id_column) if id_column else []
    out: dict[str, Any] = {}
    for col, scale in scales.items():
        out[col] = _scale_column(path, frame, col, scale, source.meta, problems, recoded)
    number_columns = numeric + [c for c in ranges if c not in numeric]

    @functools.cache
    def switch() -> bool:  # whether decimal= set to the other mark would read every number
        return source.meta is None and other_mark_reads(frame, number_columns, source.dec)

    for col in number_columns:
        out[col] = _number_column(path, frame, col, source, problems, recoded, switch)
        if col in ranges:
            _check_range(path, frame, col, out[col], ranges[col], problems)
    meta = source.meta
    for col in header:
        if meta is not None and col not in out and (meta.variable_value_labels or {}).get(col):
            out[col] = sav_labelled(path, col, SavColumn(meta, col), frame[col], problems, recoded)
    if problems:
        raise DataError(problems, f"{Path(path).name}: {len(problems)} problem(s)")
    data = pd.DataFrame(index=frame.index)
    for col in header:
        if col in out:
            data[col] = out[col]
        elif meta is not None:
            data[col] = sav_plain(meta, col, frame[col], recoded)
        else:
            cells = frame[col].to_numpy(dtype=object)
            if not is_text(cells):
                cells = [str(v).strip() if not isinstance(v, str) else v for v in cells]
            data[col] = pd.Series(cells, index=frame.index, dtype="str")
    return data


def _check_ids(path: str, frame: pd.DataFrame, id_column: str) -> list[Problem]:
    """The problems of the respondent ids: blank, or used on an earlier line."""
    problems = []
    cells = frame[id_column].to_numpy(dtype=object)
    if is_text(cells):
        ids = pd.Series(list(map(str.strip, cells)), index=frame.index, dtype=object)
    else:
        ids = frame[id_column].map(lambda v: _norm(v) if not isinstance(v, str) else v.strip())
    for ln in ids.index[ids == ""]:
        problems.append(Problem(path, int(ln), id_column, "", "a respondent id",
                                "every row needs an id"))
    dup = ids[(ids != "") & ids.duplicated(keep=False)]
    first = {}
    for ln, v in dup.items():
        if v in first:
            problems.append(Problem(path, int(ln), id_column, v, "a unique respondent id",
                                    f"already used on line {first[v]}; remove the duplicate "
                                    "response or fix the id"))
        else:
            first[v] = int(ln)
    return problems


def _scale_column(path: str, frame: pd.DataFrame, col: str, scale: LikertScale, meta: Any,
                  problems: list[Problem], recoded: Recoded) -> pd.Categorical:
    """A Likert column: text cells by distinct answer (:func:`.scale_column_text`), others one
    by one, an SPSS cell under the file's declarations too (:func:`.sav_scale_code`)."""
    cells = frame[col].to_numpy(dtype=object)
    if meta is None and is_text(cells):
        return scale_column_text(path, col, scale, cells, frame.index.to_numpy(), problems,
                                  recoded)
    codes = []
    sav = SavColumn(meta, col) if meta is not None else None
    for ln, v in frame[col].items():
        try:
            if sav is None:
                code, reason = scale.parse(v)
            else:
                code, reason, conflict = sav_scale_code(scale, sav, v)
                if conflict:
                    problems.append(Problem(path, int(ln), col, v,
                                            "the file and the scale to agree on the code",
                                            conflict + "; fix the value labels or the scale"))
        except KeyError:
            problems.append(Problem(path, int(ln), col, v, scale.describe(),
                                    "fix the answer, or declare the code in the scale's "
                                    "missing= if it means no answer"))
            code, reason = None, None
        if reason is not None:
            recoded.add(int(ln), col, v, reason)
        codes.append(code)
    return scale.categorical(codes)


def _number_column(path: str, frame: pd.DataFrame, col: str, source: _Source,
                   problems: list[Problem], recoded: Recoded, switch: Callable[[], bool]
                   ) -> np.ndarray:
    """A numeric column as floats: text cells by distinct value (:func:`.number_column_text`),
    others one by one, SPSS codes declared missing recoded first (:func:`.sav_answers`)."""
    cells = frame[col].to_numpy(dtype=object)
    lines = frame.index.to_numpy()
    dec = source.dec
    if source.meta is None and is_text(cells):
        return number_column_text(path, col, cells, lines, dec, problems, switch)
    arr = np.full(len(cells), np.nan)
    answer = np.ones(len(cells), dtype=bool)
    if source.meta is not None:
        answer = sav_answers(source.meta, col, cells, lines, recoded)
    arr[answer], failed = parse_numbers(cells[answer], dec)
    for ln, v in zip(lines[answer][failed].tolist(), cells[answer][failed].tolist()):
        problems.append(Problem(path, ln, col, v, f"a number (decimal mark {dec!r})",
                                number_hint(v, dec, switch)))
    return arr


def _check_range(path: str, frame: pd.DataFrame, col: str, arr: np.ndarray,
                 bounds: tuple[float, float], problems: list[Problem]) -> None:
    """Add a problem for each finite value of ``arr`` outside ``bounds`` (inclusive)."""
    lo, hi = bounds
    lines = frame.index.to_numpy()
    cells = frame[col].to_numpy(dtype=object)
    if exact_float(lo) and exact_float(hi):
        # numpy compares with float(lo) and float(hi), which here equal lo and hi exactly
        outside = np.flatnonzero(np.isfinite(arr) & ~((lo <= arr) & (arr <= hi)))
        checks = zip(lines[outside], arr[outside], cells[outside])
    else:
        checks = zip(frame.index, arr, frame[col])
    for ln, x, cell in checks:
        if np.isfinite(x) and not lo <= x <= hi:
            problems.append(Problem(path, int(ln), col, cell, f"a value from {lo:g} to {hi:g}",
                                    "check the value or the declared range"))


def _report(path: str, source: _Source, data: pd.DataFrame, rejected: list[dict],
            recoded: Recoded) -> LoadReport:
    """The row-accounting report of a read (see :class:`LoadReport`)."""
    csv_lines = source.csv_lines
    return LoadReport(path, source.rows_read, len(data),
                      pd.DataFrame(rejected, columns=["line", "reason"]),
                      recoded.frame(), source.notes,
                      lines_read=None if csv_lines is None else csv_lines.lines_read,
                      spans=pd.DataFrame(csv_lines.spans if csv_lines else [],
                                         columns=["line", "last_line"]),
                      sheet=source.sheet)
