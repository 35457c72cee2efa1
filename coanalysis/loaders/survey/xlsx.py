"""The survey reader's worksheet reader: which sheet, and formulas without a computed value."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import DataError, Problem
from ...spreadsheet import cell_reference


def read_xlsx_rows(path: str, sheet: int | str | None):
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
                    cell = cell_reference(ws.title, row, col + 1)
                    problems.append(Problem(
                        path, row, header[col] if col < len(header) and row > first else None,
                        text, "a value computed by the spreadsheet",
                        f"{cell} holds {what} but no computed value (the file was "
                        "written by a program that does not calculate): open the file in Excel "
                        "or LibreOffice and save it, so that the values are computed, or replace "
                        "the formulas by their values (copy, then paste special > values only)"))
            el.clear()
    return problems
