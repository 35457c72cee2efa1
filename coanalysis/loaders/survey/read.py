"""Read survey exports (CSV, XLSX, SPSS .sav) with declared Likert scales and a row-accounting report.

French exports are handled as they come: sniffed separator, decimal comma, thousands written
with a space, U+00A0 or U+202F, UTF-8 (with or without BOM) or cp1252. Nothing is guessed
about scales and nothing is dropped silently; a cell that could be read two ways ("1.310" in a
decimal-comma column), a quote that swallows rows, an uncomputed formula or a mixed encoding
is an error naming file, line, column and value, with a fix.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from itertools import compress
from operator import methodcaller
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

from ..codebook.surveys import COMMON_MISSING_CODES, MISSING_REASONS
from ..codebook.terms import LikertScale, normalise_answer as _norm
from ..errors import DataError, LoadReport, Problem

__all__ = ["SurveyLoad", "read_survey", "parse_number"]

class SurveyLoad(NamedTuple):
    """What :func:`read_survey` returns: the tidy frame and the row-accounting report."""

    data: pd.DataFrame
    report: LoadReport


# --------------------------------------------------------------------------- numbers
_SPACES = re.compile(r"[ \u00a0\u202f\t]")
#: The other mark groups thousands beyond doubt: two groups or more ("1.234.567"), or one group
#: before the decimal mark ("1.234,5"), in ASCII digits; the first group never starts with 0
#: ("0.954" is no thousand). The keys are the decimal marks.
_GROUPED = {
    ",": re.compile(r"[+-]?[1-9][0-9]{0,2}(?:(?:\.[0-9]{3}){2,}(?:,[0-9]+)?|\.[0-9]{3},[0-9]+)"),
    ".": re.compile(r"[+-]?[1-9][0-9]{0,2}(?:(?:,[0-9]{3}){2,}(?:\.[0-9]+)?|,[0-9]{3}\.[0-9]+)"),
}
#: One group of three digits after the other mark and nothing else ("1.310"): a thousand (1310)
#: or a number with three decimals (1.31); only the rest of its column can tell.
_AMBIGUOUS = {",": re.compile(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}"),
              ".": re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}")}
_FLOAT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_NOT_FINITE = re.compile(r"[+-]?(inf(inity)?|nan)", re.IGNORECASE)
#: What a spreadsheet writes in a cell whose formula fails.
_SPREADSHEET_ERROR = re.compile(r"#(DIV/0!|N/A|NA|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!)",
                                re.IGNORECASE)


def _other_mark(decimal: str) -> str:
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
    s = _SPACES.sub("", str(value))
    if s == "":
        return np.nan
    other = _other_mark(decimal)
    if _GROUPED[decimal].fullmatch(s) or (grouped and _AMBIGUOUS[decimal].fullmatch(s)):
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


def _groups_thousands(texts: Iterable[str], dec: str) -> bool:
    """Whether a column's cells (spaces removed) show that the other mark groups thousands:
    one cell at least groups beyond doubt (:data:`_GROUPED`) and none uses the other mark as
    its decimal mark. Then a single group ("1.310") is read as a thousand."""
    other = _other_mark(dec)
    grouped = False
    for s in texts:
        if other not in s:
            continue
        if _GROUPED[dec].fullmatch(s):
            grouped = True
        elif not _AMBIGUOUS[dec].fullmatch(s) and _uses_other_decimal(s, dec):
            return False
    return grouped


def _uses_other_decimal(s: str, dec: str) -> bool:
    """Whether ``s`` (spaces removed) is a number written with the other decimal mark, not
    grouped ("0.954" or "34.5" when ``dec`` is ",")."""
    other = _other_mark(dec)
    return dec not in s and s.count(other) == 1 and bool(_FLOAT.fullmatch(s.replace(other, ".")))


# --------------------------------------------------------------------------- raw readers
def _decode(raw: bytes, path: str, encoding: str | None) -> tuple[str, str]:
    def fail(exc: UnicodeDecodeError, enc: str, hint: str) -> DataError:
        line = raw[: exc.start].count(b"\n") + 1
        return DataError(Problem(path, line, None, raw[exc.start: exc.start + 4],
                                 f"text in the {enc} encoding", hint), "wrong encoding")
    wide = re.sub(r"[-_]", "", (encoding or "").lower()).startswith(("utf16", "utf32"))
    if not wide and (raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4096]):
        bom = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
        line = 1 if bom else raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DataError(Problem(path, line, None, raw[:4],
                                "text in UTF-8 or cp1252",
                                "the file is UTF-16 (" + ("byte-order mark" if bom else "NUL bytes")
                                + "): re-export it as 'CSV UTF-8' or pass encoding='utf-16'"
                                + ("" if bom else " ('utf-16-le' or 'utf-16-be' without a byte-order "
                                   "mark)")), "UTF-16 file")
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise fail(exc, encoding, "pass encoding=None to let the loader detect UTF-8 or "
                       "cp1252, or the file's real encoding") from None
        used = encoding
    else:
        try:
            text, used = raw.decode("utf-8-sig"), "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        except UnicodeDecodeError:
            mixed = _mixed_encoding(raw, path)
            if mixed is not None:
                raise mixed
            try:
                text, used = raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:
                raise fail(exc, "UTF-8 or cp1252", "re-export the file as 'CSV UTF-8' and pass "
                           "encoding= if it is something else") from None
    # U+0080-U+009F are the only characters whose UTF-8 form is C2 80-9F: one byte search
    # over the encoded text tells when the (slower) character search can be skipped
    c1 = (re.search(r"[\u0080-\u009f]", text) if not text.isascii() and re.search(
        rb"\xc2[\x80-\x9f]", text.encode("utf-8", "surrogatepass")) else None)
    if c1:
        line = text[: c1.start()].count("\n") + 1
        raise DataError(Problem(path, line, None, c1.group(), "no C1 control character",
                                f"the file was decoded as {used}; Windows files need "
                                "encoding='cp1252', not latin-1"), "wrong encoding")
    return text.lstrip("\ufeff"), used


#: A valid UTF-8 sequence of two bytes or more (RFC 3629, table 3-7 of the Unicode standard).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
def _first_utf8_multibyte(raw: bytes) -> re.Match | None:
    """The first valid UTF-8 sequence of two bytes or more in ``raw``: candidates (a lead byte
    C2-F4 followed by a continuation byte 80-BF) found with numpy, then checked in order with
    :data:`_UTF8_MULTIBYTE` (the regular expression alone takes ~1 s on 9 MB)."""
    b = np.frombuffer(raw, dtype=np.uint8)
    lead, cont = b[:-1], b[1:]
    candidates = np.flatnonzero((lead >= 0xC2) & (lead <= 0xF4) & (cont >= 0x80) & (cont <= 0xBF))
    for pos in candidates.tolist():
        m = _UTF8_MULTIBYTE.match(raw, pos)
        if m is not None:
            return m
    return None


_MAX_ENCODING_LINES = 20  # lines listed one by one in a mixed-encoding error


def _mixed_encoding(raw: bytes, path: str) -> DataError | None:
    """The error for a file that is not valid UTF-8 but holds valid UTF-8 sequences: UTF-8
    with some lines in another encoding (a cp1252 paste), which decoding the whole file as
    cp1252 would turn into mojibake ('é' into 'Ã©'). None when no UTF-8 sequence is found:
    the file is then taken as cp1252 (a lone pair such as 'Ã©' written in cp1252 is read as
    UTF-8 evidence: the error then says to pass encoding='cp1252')."""
    good = _first_utf8_multibyte(raw)
    if good is None:
        return None
    text = raw.decode("utf-8", errors="surrogateescape")
    good_line = raw.count(b"\n", 0, good.start()) + 1
    sample = good.group().decode("utf-8")
    problems: list[Problem] = []
    lines = 0  # lines holding invalid bytes
    line, pos = 1, 0
    for m in re.finditer(r"[\udc80-\udcff]+", text):
        here = line + text.count("\n", pos, m.start())
        if lines and here == line:
            continue  # the first invalid bytes of a line are shown
        line, pos = here, m.start()
        lines += 1
        if len(problems) < _MAX_ENCODING_LINES:
            bad = m.group().encode("utf-8", "surrogateescape")
            problems.append(Problem(
                path, here, None, bad, "text in UTF-8, as the rest of the file",
                f"{bad!r} is {bad.decode('cp1252', 'replace')!r} in Windows-1252: this line was "
                f"typed or pasted in another encoding, while the file is UTF-8 elsewhere (line "
                f"{good_line} holds {sample!r}); correct the line and save the file as UTF-8 "
                "('CSV UTF-8'), or pass encoding='cp1252' only if the whole file is Windows-1252"))
    more = f", the first {len(problems)} listed" if lines > len(problems) else ""
    return DataError(problems, f"{Path(path).name}: {lines} line(s) not in UTF-8 in a UTF-8 "
                               f"file{more}")


class _CsvLines(NamedTuple):
    """The physical lines of a CSV after its header (``lines_read``) and the rows that span
    several of them (``spans``: ``[(first line, last line)]``), for :class:`LoadReport`."""

    lines_read: int
    spans: list[tuple[int, int]]


def _read_csv_rows(path: str, encoding: str | None, sep: str | None, max_field_lines: int):
    raw = Path(path).read_bytes()
    empty = DataError(Problem(path, None, None, "empty file", "a header line and data rows",
                              "the file holds no text: check that the export finished and that "
                              "the path names the export, not a placeholder"), "empty file")
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise empty
    text, used = _decode(raw, path, encoding)
    if not text.strip().strip("\ufeff"):  # e.g. a UTF-16 file holding only byte-order marks
        raise empty
    if sep is None:
        sample = "\n".join(_first_lines(text, 20))
        try:
            sep = csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
        except csv.Error:
            header = _first_lines(text, 1)[0]
            sep = max(";,\t|", key=header.count)
    notes = [f"encoding: {used}", f"separator: {sep!r}"]
    plain = _plain_lines(text, sep)
    if plain is not None:
        return ([h.strip() for h in _split_line(plain[0], sep)], _TextLines(plain[1:], sep), notes,
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


def _first_lines(text: str, k: int) -> list[str]:
    """``text.splitlines()[:k]`` without splitting the whole text: the first ``k`` lines of a
    prefix are those of the text once the prefix holds more than ``k`` lines."""
    size = 1 << 16
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > k:
            return lines[:k]
        size *= 4
    return text.splitlines()[:k]


class _TextLines(NamedTuple):
    """The data lines of a CSV text that needs no csv parser, quotes removed: line ``i`` of the
    list is line ``i + 2`` of the file (the header is line 1) and holds one record, its fields
    separated by ``sep``."""

    lines: list[str]
    sep: str


def _plain_lines(text: str, sep: str) -> list[str] | None:
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


def _split_line(line: str, sep: str) -> list[str]:
    """The fields of one unquoted line as the csv module reads them (an empty line has none)."""
    return line.split(sep) if line else []


def _read_xlsx_rows(path: str, sheet: int | str | None):
    """``(header, rows, notes, sheet title)`` of one worksheet (see :func:`_pick_sheet`); a
    formula cell without a computed value is an error (:func:`_uncomputed_formulas`)."""
    from openpyxl import load_workbook
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for non-xlsx content
        raise DataError(Problem(path, None, None, type(exc).__name__, "an .xlsx workbook",
                                str(exc)), "cannot open the workbook") from None
    try:
        ws, notes = _pick_sheet(path, wb, sheet)
        header = None
        rows = []
        first = None
        for i, rec in enumerate(ws.iter_rows(values_only=True), start=1):
            if header is None:
                if rec is None or all(v is None for v in rec):
                    continue
                header = ["" if v is None else str(v).strip() for v in rec]
                first = i
                continue
            rows.append((i, ["" if v is None else v for v in rec]))
        sheets = [w.title for w in wb.worksheets]
        if header is None:
            raise DataError(Problem(path, None, None, "empty sheet", "a header row and data rows",
                                    f"sheet {ws.title!r} is empty: pass sheet= with one of "
                                    f"{sheets}"), "empty file")
        formulas = _has_formulas(ws)
        if formulas is None:  # another openpyxl: said, not skipped silently
            notes.append("formulas not checked for computed values (worksheet XML unreachable)")
        problems = _uncomputed_formulas(path, ws, header, first) if formulas else []
    finally:
        wb.close()
    if problems:
        raise DataError(problems, f"{Path(path).name}: formulas without computed values")
    return header, rows, notes, ws.title


def _pick_sheet(path: str, wb: Any, sheet: int | str | None) -> tuple[Any, list[str]]:
    """The worksheet to read and the notes saying which and why.

    ``None``: the first visible sheet; a hidden or very hidden one (a cache, a lookup table)
    is never read unless named. A name, or an index in the workbook's order of worksheets
    (hidden ones included), reads that sheet.
    """
    sheets = list(wb.worksheets)
    visible = [w for w in sheets if w.sheet_state == "visible"]
    hidden = [w.title for w in sheets if w.sheet_state != "visible"]

    def listing() -> str:
        return ", ".join(repr(w.title) + ("" if w.sheet_state == "visible" else
                                          f" ({w.sheet_state})") for w in sheets)

    def unknown(found: Any, expected: str) -> DataError:
        return DataError(Problem(path, None, None, found, expected,
                                 f"pass sheet= with one of the worksheets: {listing()}"),
                         f"{Path(path).name}: no such sheet")

    if sheet is None:
        if not visible:
            raise unknown("no visible sheet", "a visible worksheet")
        ws = visible[0]
        note = f"sheet: {ws.title!r}"
        if len(visible) > 1:
            note += (f" (the first of {len(visible)} visible sheets: "
                     f"{', '.join(repr(w.title) for w in visible)}; pass sheet= to read another)")
        if hidden:
            note += f"; hidden sheet(s) not read: {', '.join(map(repr, hidden))}"
        return ws, [note]
    if isinstance(sheet, str):
        named = [w for w in sheets if w.title == sheet]
        if not named:
            raise unknown(sheet, "the name of a worksheet")
        ws = named[0]
    else:
        if not isinstance(sheet, (int, np.integer)) or not -len(sheets) <= int(sheet) < len(sheets):
            raise unknown(sheet, f"a worksheet index from 0 to {len(sheets) - 1}")
        ws = sheets[int(sheet)]
    note = f"sheet: {ws.title!r}"
    if ws.sheet_state != "visible":
        state = "" if ws.sheet_state == "hidden" else f" ({ws.sheet_state})"
        note += f", hidden in the workbook{state}: read because sheet= names it"
    return ws, [note]


#: A formula element of a worksheet's XML (``<f>``, ``<f t="shared" .../>``, any prefix).
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _worksheet_xml(ws: Any) -> Any:
    """The XML part of a read-only openpyxl worksheet, opened (None if it cannot be reached)."""
    try:
        return ws._get_source()  # openpyxl's read-only worksheet: its part of the archive
    except Exception:
        return None


def _has_formulas(ws: Any) -> bool | None:
    """Whether the worksheet's XML holds a formula, read in chunks (an export written by a
    survey tool holds none, and the cell-by-cell reading is then skipped); None when the XML
    cannot be reached."""
    source = _worksheet_xml(ws)
    if source is None:
        return None
    with source:
        tail = b""
        while chunk := source.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _uncomputed_formulas(path: str, ws: Any, header: list[str], first: int) -> list[Problem]:
    """The formula cells, from the header row on, whose value was never computed.

    A workbook keeps each formula with the value last computed (``<c><f>B7*1.1</f><v>1.98</v>``);
    a file written by a program that does not calculate (openpyxl, some exporters) holds the
    formula only (``<v/>``), which ``data_only=True`` reads as an empty cell: an empty weight
    or answer, silently. An empty value is a computed one only for a text result
    (``t="str"``: ``=IF(A2="";"";A2)``). Excel and LibreOffice compute and store the values
    when they save the file. Read from the worksheet's XML (ECMA-376 part 1, 18.3.1.4).
    """
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils import column_index_from_string
    title = ws.title
    ref = title if re.fullmatch(r"\w+", title) else "'" + title.replace("'", "''") + "'"
    problems = []
    source = _worksheet_xml(ws)
    if source is None:
        return problems
    with source:
        for _, el in iterparse(source, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "row":
                el.clear()
                continue
            if tag != "c":
                continue
            kids = {k.tag.rsplit("}", 1)[-1]: k for k in el}
            m = _CELL_REF.fullmatch(el.get("r", ""))
            formula = kids.get("f")
            value = kids.get("v")
            if (formula is not None and (value is None or not (value.text or ""))
                    and el.get("t") != "str" and m is not None):
                row, col = int(m.group(2)), column_index_from_string(m.group(1)) - 1
                if row >= first:
                    text = "=" + formula.text if formula.text else "(shared formula)"
                    what = f"the formula {text}" if formula.text else "a shared formula"
                    cell = f"{ref}!{m.group(0)}"
                    problems.append(Problem(
                        path, row, header[col] if col < len(header) and row > first else None,
                        text, "a value computed by the spreadsheet",
                        f"{cell} holds {what} but no computed value (the file was "
                        "written by a program that does not calculate): open the file in Excel "
                        "or LibreOffice and save it, so that the values are computed, or replace "
                        "the formulas by their values (copy, then paste special > values only)"))
            el.clear()
    return problems


def _read_sav(path: str):
    import pyreadstat
    try:
        df, meta = pyreadstat.read_sav(path, user_missing=True)
    except Exception as exc:
        raise DataError(Problem(path, None, None, type(exc).__name__, "an SPSS .sav file",
                                str(exc)), "cannot read the SPSS file") from None
    rows = [(i + 1, list(r)) for i, r in enumerate(df.itertuples(index=False, name=None))]
    return list(df.columns), rows, ["lines are SPSS case numbers"], meta


# --------------------------------------------------------------------------- SPSS declarations
#: Value labels that name a reason for a missing answer (matched after :func:`_norm`).
_MISSING_LABELS = {**{_norm(t.fr): t.slug for t in MISSING_REASONS},
                   **{_norm(t.en): t.slug for t in MISSING_REASONS},
                   **{_norm(k): r for k, r in COMMON_MISSING_CODES.items() if isinstance(k, str)}}


class _SavColumn:
    """What an SPSS file itself declares about one variable: value labels and user-missing codes.

    ``pyreadstat.read_sav(user_missing=True)`` keeps user-missing codes as values and lists them
    in ``meta.missing_ranges`` (``[{"lo": 8.0, "hi": 9.0}, ...]``; a single code has lo == hi).
    """

    def __init__(self, meta: Any, col: str):
        self.labels = dict((meta.variable_value_labels or {}).get(col, {}))
        self.ranges = [(r["lo"], r["hi"]) for r in (meta.missing_ranges or {}).get(col, [])]
        self.values = list((getattr(meta, "missing_user_values", None) or {}).get(col, []))

    def user_missing(self, value: Any) -> bool:
        """Whether the file declares ``value`` a user-missing code."""
        if isinstance(value, str) and value == "":
            return False
        if value in self.values:
            return True
        for lo, hi in self.ranges:
            try:
                if lo <= value <= hi:
                    return True
            except TypeError:  # a text code against a numeric range or the reverse
                continue
        return False

    def label_reason(self, value: Any) -> str | None:
        """The missing reason named by ``value``'s label ("NSP" -> ne_sait_pas), if any."""
        label = self.labels.get(value)
        return None if label is None else _MISSING_LABELS.get(_norm(label))

    def missing_reason(self, value: Any) -> str | None:
        """Why ``value`` is a missing answer according to the file, or None for an answer."""
        reason = self.label_reason(value)
        if reason is None and self.user_missing(value):
            return "manquant_declare"
        return reason

    def describe(self, value: Any) -> str:
        label = self.labels.get(value)
        return f"code {_norm(value)}" + (f" ({label!r})" if label is not None else "")


def _sav_scale_code(scale: LikertScale, sav: _SavColumn, value: Any
                    ) -> tuple[int | None, str | None, str | None]:
    """``(code, reason, conflict)`` of one SPSS cell under a declared scale.

    The file's value label decides the missing reason when it names one (9 = "NSP" gives
    ``ne_sait_pas`` even if the scale maps 9 to ``sans_reponse``); a file that calls missing what
    the scale calls an answer, or labels a code with another level's label, is a conflict.
    Raises KeyError when neither the scale nor the file knows the code.
    """
    file_reason = sav.missing_reason(value)
    try:
        code, reason = scale.parse(value)
    except KeyError:
        if file_reason is None:
            raise
        return None, file_reason, None
    if code is None:
        if reason == "cellule_vide":
            return None, reason, None
        label = sav.labels.get(value)
        if file_reason is None and label is not None:
            try:
                lab_code, _ = scale.parse(label)
            except KeyError:
                lab_code = None
            if lab_code is not None:
                return None, None, (f"the file labels {sav.describe(value)} as an answer while "
                                    f"scale {scale.name!r} declares it missing ({reason})")
        return None, file_reason or reason, None
    if file_reason is not None:
        return None, None, (f"the file declares {sav.describe(value)} missing ({file_reason}) "
                            f"while scale {scale.name!r} has it as the answer "
                            f"{scale.label(code)!r}")
    label = sav.labels.get(value)
    if label is not None:
        try:
            lab_code, _ = scale.parse(label)
        except KeyError:
            lab_code = code  # a wording the scale does not know: nothing to compare
        if lab_code != code:
            return None, None, (f"the file labels {sav.describe(value)} while scale "
                                f"{scale.name!r} has {code} = {scale.label(code)!r}")
    return code, None, None


def _sav_labelled(path: str, col: str, sav: _SavColumn, cells: pd.Series,
                  problems: list[Problem], recoded: _Recoded) -> pd.Categorical:
    """Ordered categorical of value labels for an SPSS variable with no declared scale.

    Codes the file declares user-missing, or whose label names a missing reason, become NA
    (listed in ``recoded``); a code with no value label is a problem.
    """
    answers = sorted(k for k in sav.labels if sav.missing_reason(k) is None)
    labels = []
    for ln, v in cells.items():
        if isinstance(v, str) and v == "":
            labels.append(None)
            continue
        reason = sav.missing_reason(v)
        if reason is not None:
            recoded.add(int(ln), col, v, reason)
            labels.append(None)
        elif v in sav.labels:
            labels.append(sav.labels[v])
        else:
            shown = {_norm(k): lab for k, lab in sav.labels.items()}
            problems.append(Problem(path, int(ln), col, v, "a labelled code",
                                    f"code {_norm(v)} has no value label in the file (labels: "
                                    f"{shown}); label it in SPSS, declare it missing there, or "
                                    "declare a scale for this column"))
            labels.append(None)
    return pd.Categorical(labels, categories=list(dict.fromkeys(sav.labels[k] for k in answers)),
                          ordered=True)


# --------------------------------------------------------------------------- header and cell checks
_SEPARATORS = ";,\t|"


def _drop_unnamed_trailing(header: list[str]) -> tuple[list[str], int]:
    """Header without the empty names at its end (Excel's ``id;q;;``) and how many were dropped."""
    n = len(header)
    while n > 1 and header[n - 1] == "":
        n -= 1
    return header[:n], len(header) - n


def _wrong_separator(header: list[str], sep: str | None) -> tuple[str, int] | None:
    """``(separator, fields)`` when a CSV header is a single field that another separator splits."""
    if sep is None or len(header) != 1:
        return None
    counts = {c: header[0].count(c) for c in _SEPARATORS if c != sep}
    best = max(counts, key=counts.get)
    return (best, counts[best] + 1) if counts[best] else None


def _number_hint(cell: Any, dec: str, switch: Callable[[], bool]) -> str:
    """Fix for a cell that is not a number with decimal mark ``dec``, one that works for the
    whole column: ``decimal=`` is proposed only when ``switch()`` says that every numeric
    column of the file reads with the other mark (:func:`_other_mark_reads`); otherwise the
    cell is to be rewritten with ``dec``."""
    other = _other_mark(dec)
    if not isinstance(cell, str):  # a number of an XLSX or SPSS file: only infinity fails
        return "the value is infinite: correct it, or leave the cell empty if the value is missing"
    s = _SPACES.sub("", cell)
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
    if _AMBIGUOUS[dec].fullmatch(s):
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


def _other_mark_reads(frame: pd.DataFrame, columns: Sequence[str], dec: str) -> bool:
    """Whether ``decimal=`` set to the other mark keeps every cell of ``columns`` that reads
    with ``dec`` a number (each column deciding its own grouping, as read_survey does)."""
    other = _other_mark(dec)
    for col in columns:
        cells = frame[col].to_numpy(dtype=object)
        _, failed_now = _parse_numbers(cells, dec)
        _, failed_other = _parse_numbers(cells, other)
        if (~failed_now & failed_other).any():
            return False
    return True


# --------------------------------------------------------------------------- fast paths
# A CSV's cells are all text, so each column is checked value by value on its *distinct* values
# (pd.factorize) and the rows take the result by integer indexing. Every rule stays the one
# above: LikertScale.parse on each distinct answer, parse_number on each number that is not
# plainly written, the same Problem for each offending cell, in the same order. Columns holding
# anything but str (XLSX numbers, SPSS values) go through the same rules one cell at a time.

#: Numbers that parse_number reads as ``float(text)`` once the spaces are removed and the decimal
#: comma is a point: ASCII digits, an optional sign, an optional decimal part. Every other cell
#: (exponent, dot thousands, Unicode digits, text...) is given to parse_number itself.
_PLAIN_NUMBER = {",": re.compile(r"[+-]?[0-9]+(?:,[0-9]+)?"),
                 ".": re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")}
_SPACE_CHARS = (" ", "\u00a0", "\u202f", "\t")  # what _SPACES removes
_EMPTY_ROW = "ligne vide / empty row"


def _is_text(cells: np.ndarray) -> bool:
    """Whether every cell of a non-empty object array is a str."""
    return len(cells) > 0 and pd.api.types.infer_dtype(cells, skipna=False) == "string"


def _blank_text(cells: np.ndarray) -> np.ndarray:
    """``str(c).strip() == ""`` for each cell of an array of str (``str.strip`` and
    ``str.isspace`` share Python's definition of whitespace)."""
    return (cells == "") | np.fromiter(map(str.isspace, cells), bool, count=len(cells))


def _exact_float(bound: Any) -> bool:
    """Whether numpy compares floats with ``bound`` as Python does (it converts it to a float)."""
    if not isinstance(bound, (int, float)) or isinstance(bound, bool):
        return False
    try:
        return float(bound) == bound
    except OverflowError:
        return False


class _Recoded:
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


def _check_rows(path: str, rows: Iterable[tuple[int, list]], ncol: int, dropped: int):
    """The row checks, one row at a time: ``(kept, rejected, problems)`` with kept
    ``[(line, cells)]``, rejected ``[(line, record)]`` and problems ``[(line, Problem)]``."""
    kept, rejected, problems = [], [], []
    for line, rec in rows:
        cells = ["" if (v is None or (isinstance(v, float) and np.isnan(v))) else v for v in rec]
        if all(str(c).strip() == "" for c in cells):
            rejected.append((line, {"line": line, "reason": _EMPTY_ROW}))
            continue
        if len(cells) != ncol:
            if len(cells) > ncol and all(str(c).strip() == "" for c in cells[ncol:]):
                cells = cells[:ncol]
            else:
                problems.append((line, _ragged(path, line, len(cells), ncol, dropped)))
                continue
        kept.append((line, cells))
    return kept, rejected, problems


def _ragged(path: str, line: int, n: int, ncol: int, dropped: int) -> Problem:
    """The problem of a row of ``n`` fields under a header of ``ncol`` names."""
    if dropped and ncol < n <= ncol + dropped:
        hint = "this line has data in a column without a name in the header: name that column"
    else:
        hint = "check the separator and quoting of this line"
    return Problem(path, line, None, f"{n} fields", f"{ncol} fields as in the header", hint)


def _widths(ncol: int, dropped: int) -> list[int]:
    """Field counts handled by blocks: the header's, with and without its unnamed trailing columns."""
    return sorted({ncol, ncol + dropped}) if ncol >= 1 else []


def _text_blocks(text: _TextLines, ncol: int, dropped: int):
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
    other = [(int(numbers[i]), _split_line(lines[i], sep))
             for i in np.flatnonzero(~np.isin(fields, widths)).tolist()]
    return blocks, other


def _record_blocks(rows: list[tuple[int, list[str]]], ncol: int, dropped: int):
    """The same as :func:`_text_blocks` for records already split by the csv module."""
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


def _check_blocks(path: str, blocks: list[tuple[np.ndarray, np.ndarray]], ncol: int, dropped: int):
    """The checks of :func:`_check_rows` on blocks of text rows of equal field counts:
    ``(kept lines, kept cells, rejected, problems)``, the last two as in :func:`_check_rows`."""
    kept_lines, kept_cells, rejected, problems = [], [], [], []
    for numbers, cells in blocks:
        k, w = cells.shape
        blank = _blank_text(cells[:, 0])  # a blank row starts with a blank cell
        cand = np.flatnonzero(blank)
        if len(cand):
            blank[cand] = _blank_text(cells[cand].ravel()).reshape(len(cand), w).all(axis=1)
        rejected += [(ln, {"line": ln, "reason": _EMPTY_ROW}) for ln in numbers[blank].tolist()]
        keep = ~blank
        if w > ncol:
            extra_blank = _blank_text(cells[:, ncol:].ravel()).reshape(k, w - ncol).all(axis=1)
            for ln in numbers[keep & ~extra_blank].tolist():
                problems.append((ln, _ragged(path, ln, w, ncol, dropped)))
            keep &= extra_blank
        kept_lines.append(numbers[keep])
        kept_cells.append(cells[keep][:, :ncol])
    return kept_lines, kept_cells, rejected, problems


def _frame_from_blocks(header: list[str], kept_lines: list[np.ndarray],
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


def _scale_column_text(path: str, col: str, scale: LikertScale, cells: np.ndarray,
                       lines: np.ndarray, problems: list[Problem], recoded: _Recoded
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


def _parse_text_numbers(values: list[str], dec: str) -> tuple[np.ndarray, np.ndarray]:
    """``(numbers, failed)`` of one column's str cells: :func:`parse_number` of each, NaN and
    True where it raises, with ``grouped=`` decided by the column (:func:`_groups_thousands`).

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
        cleaned = [_SPACES.sub("", v) for v in values]
    grouped = None  # decided at the first single group, if any
    for j, s in zip(rest, cleaned):
        try:
            out[j] = parse_number(values[j], dec)
            continue
        except ValueError:
            pass
        if _AMBIGUOUS[dec].fullmatch(s):
            if grouped is None:
                grouped = _groups_thousands(cleaned, dec)
            if grouped:
                out[j] = parse_number(values[j], dec, grouped=True)
                continue
        failed[j] = True
    return out, failed


def _parse_numbers(values: Sequence, dec: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_parse_text_numbers` for a column of any cells (XLSX, SPSS): the str cells decide
    the grouping among themselves; numbers are taken as they are (inf fails)."""
    values = list(values)
    text = [j for j, v in enumerate(values) if isinstance(v, str)]
    out = np.full(len(values), np.nan)
    failed = np.zeros(len(values), dtype=bool)
    if text:
        out[text], failed[text] = _parse_text_numbers([values[j] for j in text], dec)
    for j, v in enumerate(values):
        if not isinstance(v, str):
            try:
                out[j] = parse_number(v, dec)
            except ValueError:
                failed[j] = True
    return out, failed


def _number_column_text(path: str, col: str, cells: np.ndarray, lines: np.ndarray, dec: str,
                        problems: list[Problem], switch: Callable[[], bool]) -> np.ndarray:
    """A numeric column of text cells: each distinct value parsed once (``switch`` as in
    :func:`_number_hint`)."""
    rows, values = pd.factorize(cells)
    numbers, failed = _parse_text_numbers(values.tolist(), dec)
    bad = np.flatnonzero(failed[rows])
    if len(bad):
        hints: dict[str, str] = {}
        for ln, v in zip(lines[bad].tolist(), cells[bad].tolist()):
            if v not in hints:
                hints[v] = _number_hint(v, dec, switch)
            problems.append(Problem(path, ln, col, v, f"a number (decimal mark {dec!r})", hints[v]))
    return numbers[rows]


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
    scales = dict(scales or {})
    ranges = dict(ranges or {})
    numeric = list(numeric)
    for col, sc in scales.items():
        if not isinstance(sc, LikertScale):
            raise TypeError(f"scales[{col!r}] must be a LikertScale, got {type(sc).__name__}")
    suffix = Path(path).suffix.lower()
    meta = None
    used_sep = None
    csv_lines = None
    sheet_read = None
    if suffix in (".xlsx", ".xlsm"):
        header, rows, notes, sheet_read = _read_xlsx_rows(path, sheet)
        dec = decimal or ","
    elif suffix == ".sav":
        header, rows, notes, meta = _read_sav(path)
        dec = "."
    else:
        header, rows, notes, used_sep, csv_lines = _read_csv_rows(path, encoding, sep,
                                                                  max_field_lines)
        dec = decimal or ("," if used_sep == ";" else ".")
        notes.append(f"decimal: {dec!r}")
    if decimal not in (None, ",", "."):
        raise ValueError(f"decimal must be ',' or '.', got {decimal!r}")
    problems: list[Problem] = []
    header, dropped = _drop_unnamed_trailing(header)
    if dropped:
        notes.append(f"dropped {dropped} empty trailing column(s) without a name")
    wrong_sep = _wrong_separator(header, used_sep)
    if wrong_sep:
        found_sep, n_fields = wrong_sep
        raise DataError(Problem(path, 1, None, header[0], f"fields separated by {used_sep!r}",
                                f"the header is one field holding {n_fields} names separated by "
                                f"{found_sep!r}: pass sep={found_sep!r}"),
                        f"{Path(path).name}: wrong separator")
    seen = set()
    for h in header:
        if h in seen:
            problems.append(Problem(path, 1, h, h, "unique column names",
                                    "give every column a name" if h == "" else "rename the duplicate"))
        seen.add(h)
    declared = set(scales) | set(numeric) | set(ranges) | {c for c in (id_column, incomplete_column) if c}
    for col in sorted(declared - set(header)):
        problems.append(Problem(path, 1, col, None, f"a column named {col!r}",
                                f"columns found: {header[:15]}{'…' if len(header) > 15 else ''}"))
    if problems:
        raise DataError(problems, f"{Path(path).name}: header does not match the declaration")

    ncol = len(header)
    if isinstance(rows, _TextLines):
        rows_read = len(rows.lines)
        blocks, other = _text_blocks(rows, ncol, dropped)
    elif suffix not in (".xlsx", ".xlsm", ".sav"):  # CSV read by the csv module: every cell is text
        rows_read = len(rows)
        blocks, other = _record_blocks(rows, ncol, dropped)
    else:
        rows_read = len(rows)
        blocks, other = [], rows
    kept_lines, kept_cells, rejected, row_problems = _check_blocks(path, blocks, ncol, dropped)
    kept, more_rejected, more_problems = _check_rows(path, other, ncol, dropped)
    rejected = [r for _, r in sorted(rejected + more_rejected, key=lambda t: t[0])]
    problems = [p for _, p in sorted(row_problems + more_problems, key=lambda t: t[0])]
    if problems:
        raise DataError(problems, f"{Path(path).name}: ragged rows")
    if not kept and not any(len(ln) for ln in kept_lines):
        raise DataError(Problem(path, None, None, f"{rows_read} row(s), none with data",
                                "at least one data row",
                                "the file has a header but no answers: export the responses "
                                "(not only the questionnaire), and check the export's filters "
                                "(date, completed responses only)"), "empty file")
    if blocks:
        frame = _frame_from_blocks(header, kept_lines, kept_cells, kept)
    else:
        frame = pd.DataFrame([c for _, c in kept], columns=header, dtype=object,
                             index=pd.Index([ln for ln, _ in kept], name="line"))
    if incomplete_column:
        cells = frame[incomplete_column].to_numpy(dtype=object)
        if _is_text(cells):
            blank = _blank_text(cells)
        else:
            blank = frame[incomplete_column].map(lambda v: str(v).strip() == "").to_numpy(dtype=bool)
        for ln in frame.index[blank]:
            rejected.append({"line": int(ln), "reason": f"réponse incomplète / incomplete response "
                                                        f"({incomplete_column} vide)"})
        frame = frame.loc[~blank]

    out: dict[str, Any] = {}
    recoded = _Recoded()
    lines = frame.index.to_numpy()
    if id_column:
        cells = frame[id_column].to_numpy(dtype=object)
        if _is_text(cells):
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
    for col, scale in scales.items():
        cells = frame[col].to_numpy(dtype=object)
        if meta is None and _is_text(cells):
            out[col] = _scale_column_text(path, col, scale, cells, lines, problems, recoded)
            continue
        codes = []
        sav = _SavColumn(meta, col) if meta is not None else None
        for ln, v in frame[col].items():
            try:
                if sav is None:
                    code, reason = scale.parse(v)
                else:
                    code, reason, conflict = _sav_scale_code(scale, sav, v)
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
        out[col] = scale.categorical(codes)
    number_columns = numeric + [c for c in ranges if c not in numeric]

    @functools.cache
    def switch() -> bool:  # whether decimal= set to the other mark would read every number
        return suffix != ".sav" and _other_mark_reads(frame, number_columns, dec)

    for col in number_columns:
        cells = frame[col].to_numpy(dtype=object)
        if meta is None and _is_text(cells):
            arr = _number_column_text(path, col, cells, lines, dec, problems, switch)
        else:
            arr = np.full(len(cells), np.nan)
            answer = np.ones(len(cells), dtype=bool)
            if meta is not None:
                sav = _SavColumn(meta, col)
                for k, (ln, v) in enumerate(zip(lines.tolist(), cells.tolist())):
                    reason = sav.missing_reason(v)
                    if reason is not None:
                        recoded.add(ln, col, v, reason)
                        answer[k] = False
            arr[answer], failed = _parse_numbers(cells[answer], dec)
            for ln, v in zip(lines[answer][failed].tolist(), cells[answer][failed].tolist()):
                problems.append(Problem(path, ln, col, v, f"a number (decimal mark {dec!r})",
                                        _number_hint(v, dec, switch)))
        if col in ranges:
            lo, hi = ranges[col]
            if _exact_float(lo) and _exact_float(hi):
                # numpy compares with float(lo) and float(hi), which here equal lo and hi exactly
                outside = np.flatnonzero(np.isfinite(arr) & ~((lo <= arr) & (arr <= hi)))
                checks = zip(lines[outside], arr[outside], cells[outside])
            else:
                checks = zip(frame.index, arr, frame[col])
            for ln, x, cell in checks:
                if np.isfinite(x) and not lo <= x <= hi:
                    problems.append(Problem(path, int(ln), col, cell, f"a value from {lo:g} to {hi:g}",
                                            "check the value or the declared range"))
        out[col] = arr
    for col in header:
        if meta is not None and col not in out and (meta.variable_value_labels or {}).get(col):
            out[col] = _sav_labelled(path, col, _SavColumn(meta, col), frame[col], problems, recoded)
    if problems:
        raise DataError(problems, f"{Path(path).name}: {len(problems)} problem(s)")

    data = pd.DataFrame(index=frame.index)
    for col in header:
        if col in out:
            data[col] = out[col]
        elif meta is not None:
            sav = _SavColumn(meta, col)
            cells = []
            for ln, v in frame[col].items():
                reason = sav.missing_reason(v)
                if reason is not None:
                    recoded.add(int(ln), col, v, reason)
                cells.append(np.nan if reason is not None else v)
            data[col] = pd.Series(cells, index=frame.index, dtype=object).replace("", np.nan)
            if pd.api.types.is_object_dtype(data[col].dtype):
                try:
                    data[col] = data[col].astype(float)
                except (TypeError, ValueError):
                    data[col] = data[col].astype("str")
        else:
            cells = frame[col].to_numpy(dtype=object)
            if not _is_text(cells):
                cells = [str(v).strip() if not isinstance(v, str) else v for v in cells]
            data[col] = pd.Series(cells, index=frame.index, dtype="str")
    report = LoadReport(path, rows_read, len(data),
                        pd.DataFrame(rejected, columns=["line", "reason"]),
                        recoded.frame(), notes,
                        lines_read=None if csv_lines is None else csv_lines.lines_read,
                        spans=pd.DataFrame(csv_lines.spans if csv_lines else [],
                                           columns=["line", "last_line"]),
                        sheet=sheet_read)
    return SurveyLoad(data, report)
