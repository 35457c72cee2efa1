"""Reading a filled coding workbook back: :func:`import_coding` checks every cell with the
case-base loader's rules and writes the coder's files all at once, or nothing."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, LoadReport, Problem, is_missing
from ..loaders.casebase import read_resources
from ..loaders.casebase.checks import _fmt, check_rows
from ..paths import data_dir
from ..results import Result
from ..spreadsheet import cell_reference
from .layout import FIRST_ROW, FORMAT, HEADER_ROW, META_SHEET, SheetLayout, sheet_layouts
from .sheet import check_coder

#: The column whose value a row of each table replaces in the coder's file.
_REPLACES = {"sources": "source_id"}


@dataclass(repr=False)
class CodingImport(Result):
    """What :func:`import_coding` read and wrote.

    Attributes
    ----------
    coder : str
    cases : list of str
        The cases of the workbook.
    reports : list of LoadReport
        One per sheet: rows read = rows kept + rows rejected (rejected rows stop the import,
        so after a successful one none is rejected).
    files : list of Path
        The files written.
    """

    coder: str
    cases: list[str]
    reports: list[LoadReport] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Coding of coder {self.coder} imported: {', '.join(self.cases)}"

    @property
    def notes(self) -> tuple[str, ...]:
        folders = sorted({str(f.parent) for f in self.files})
        return tuple(f"files written in {folder}" for folder in folders)

    @property
    def table(self) -> pd.DataFrame:
        """One row per sheet: ``sheet``, ``rows_read``, ``rows_kept``, ``rows_rejected`` and
        ``file``, the coder's file it went to (empty when nothing was written for it)."""
        written = {f.stem: f"{f.parent.name}/{f.name}" for f in self.files}
        return pd.DataFrame({"sheet": [r.sheet for r in self.reports],
                             "rows_read": [r.rows_read for r in self.reports],
                             "rows_kept": [r.rows_kept for r in self.reports],
                             "rows_rejected": [r.rows_rejected for r in self.reports],
                             "file": [written.get(r.sheet, "") for r in self.reports]})


def _open(path: Path) -> Any:
    from openpyxl import load_workbook
    if not path.is_file():
        raise DataError(Problem(str(path), None, None, None, "a coding workbook (.xlsx)",
                                "the file does not exist"), "cannot open the coding workbook")
    try:
        return load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises several types for non-xlsx content
        raise DataError(Problem(str(path), None, None, type(exc).__name__, "an .xlsx workbook",
                                f"{exc}: write the workbook with `coanalysis coding sheet` and "
                                "save it as .xlsx"), "cannot open the coding workbook") from None


def _read_meta(wb: Any, file: str) -> tuple[str, list[str], set[str]]:
    """The coder, the cases and the new cases the workbook was written for."""
    values: dict[str, str] = {}
    if META_SHEET in wb.sheetnames:
        ws = wb[META_SHEET]
        values = {str(r[0]): "" if r[1] is None else str(r[1])
                  for r in ws.iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
        first = ws.cell(1, 1).value
    if META_SHEET not in wb.sheetnames or first != FORMAT or not values.get("cases"):
        raise DataError(Problem(file, None, None, None,
                                f"a workbook written by `coanalysis coding sheet` (its hidden "
                                f"sheet {META_SHEET!r} names the coder and the cases)",
                                "write a new workbook with `coanalysis coding sheet` and copy "
                                "the coding into it"), "not a coding workbook")
    try:
        coder = check_coder(values.get("coder"))
    except ValueError as err:
        raise DataError(Problem(file, 2, None, values.get("coder"), "a coder's name",
                                f"{META_SHEET}!B2: {err}"), "not a coding workbook") from None
    new = set(filter(None, values.get("new_cases", "").split(";")))
    return coder, values["cases"].split(";"), new


class _CellError(Exception):
    def __init__(self, expected: str, hint: str):
        super().__init__(expected)
        self.expected, self.hint = expected, hint


def _cell_text(cell: Any, fdef: dict) -> str:
    """The text a CSV of the case base would hold for this cell (``""`` when empty).

    Numbers are written as the loader reads them (``0.67``, ``2``; a whole number in an
    integer field loses the ``.0`` a spreadsheet gives it), booleans ``true``/``false``, a
    date in a date field ``YYYY-MM-DD``. A formula, or a date where a text is expected
    (a spreadsheet turns ``2019-07`` into a date), raises :class:`_CellError`.
    """
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")
                                 and cell.data_type != "s"):
        raise _CellError("a value, not a formula",
                         "replace the formula by the value it gives (copy, then paste "
                         "special > values only)")
    ftype = fdef.get("type", "string")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.datetime, _dt.date)):
        if ftype == "date":
            return (value.date() if isinstance(value, _dt.datetime) else value).isoformat()
        raise _CellError("a text" if ftype == "string" else f"a value of type {ftype}",
                         "the spreadsheet turned the cell into a date: format the cell as "
                         "text and type it again")
    if isinstance(value, float):
        if ftype == "integer" and value.is_integer():
            return str(int(value))
        return _fmt(value)
    if isinstance(value, int):
        return str(value)
    return str(value)


def _read_sheet(ws: Any, layout: SheetLayout, file: str, coder: str, new: set[str],
                problems: list[Problem], reported: set) -> list[tuple[int, list[str]]]:
    """The records of one data sheet, as cell texts in the order of the resource's fields.

    A row whose cells to fill are all empty is skipped when it is a blank row, a flow the
    coder did not document, or a unit of the participation grid of a new case (an undocumented
    actor × stage is no row, as in the case base); the other listed units (conditions,
    outcomes, an existing case's participation units) are kept, empty (NA). A cell refused here (formula,
    date) is read as empty and added to ``reported``, so the loader's checks do not report it
    a second time."""
    columns = layout.columns
    header = [ws.cell(HEADER_ROW, c).value for c in range(1, len(columns) + 1)]
    expected = [h for h, _ in columns]
    if header != expected:
        problems.append(Problem(file, HEADER_ROW, None, header, f"the headers {expected}",
                                f"sheet {ws.title!r}, row {HEADER_ROW}: the headers were changed; "
                                "write a new workbook with `coanalysis coding sheet`"))
        return []
    fields = [f["name"] for f in layout.resource["schema"]["fields"]]
    by_name = {f["name"]: f for f in layout.resource["schema"]["fields"]}
    records = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        texts: dict[str, str] = {}
        for name in fields:
            if name == "coder":
                continue
            cell = ws.cell(r, layout.column_of(name))
            try:
                texts[name] = _cell_text(cell, by_name[name])
            except _CellError as err:
                problems.append(Problem(file, r, name, cell.value, err.expected,
                                        f"{cell_reference(ws.title, r, cell.column)}: {err.hint}"))
                texts[name] = ""
                reported.add((ws.title, r, name))
        filled = [n for n in texts if n not in layout.keys and texts[n] != ""]
        if not filled and (not any(texts.get(k) for k in layout.keys) or layout.table == "flows"
                           or (layout.table == "participation" and texts.get("case_id") in new)):
            continue
        if "coder" in by_name:
            texts["coder"] = coder.upper()
        records.append((r, [texts[name] for name in fields]))
    return records


def _known(frame: pd.DataFrame, column: str) -> list[dict]:
    return [{column: str(v)} for v in frame[column] if not is_missing(v)]


def _located(problem: Problem, file: str, layouts: dict[str, SheetLayout]) -> Problem:
    """A problem of :func:`check_rows` (file = the sheet's title) naming the workbook, the row,
    the column and, in its hint, the cell (``conditions!D5``) as the survey reader does."""
    layout = layouts.get(problem.file)
    if layout is None:
        return problem
    column = (problem.column or "").split(",")[0]
    if problem.line is not None and column in [h for h, _ in layout.columns]:
        where = cell_reference(layout.title, problem.line, layout.column_of(column))
    elif problem.line is not None:
        where = cell_reference(layout.title, problem.line, 1)
    else:
        where = f"sheet {layout.title!r}"
    hint = f"{where}: {problem.hint}" if problem.hint else where
    return Problem(file, problem.line, problem.column, problem.found, problem.expected, hint)


def _csv_text(value: Any, fdef: dict) -> str:
    """A parsed value as the case-base CSVs write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _fmt(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return fdef.get("delimiter", ",").join(value)
    return str(value)


def _merged(target: Path, label: str, fields: list[str], rows: list[list[str]], key: str,
            problems: list[Problem]) -> str:
    """The CSV text of ``target`` with ``rows`` in place of the rows of the same ``key``
    (case_id, or source_id for sources): a replaced key's rows where its first old row was,
    new keys at the end."""
    old: list[list[str]] = []
    if target.exists():
        with target.open(newline="", encoding="utf-8-sig") as handle:
            old = list(csv.reader(handle))
        if old and old[0] != fields:
            problems.append(Problem(label, 1, None, ",".join(old[0]),
                                    f"the columns {','.join(fields)}",
                                    "the coder's file does not have the columns of its resource: "
                                    "correct it or move it away, then import again"))
            return ""
        old = old[1:]
    at = fields.index(key)
    new_keys = list(dict.fromkeys(r[at] for r in rows))
    by_key = {k: [r for r in rows if r[at] == k] for k in new_keys}
    out, placed = [], set()
    for row in old:
        k = row[at] if len(row) > at else None
        if k in by_key:
            if k not in placed:
                out += by_key[k]
                placed.add(k)
            continue
        out.append(row)
    out += [r for k in new_keys if k not in placed for r in by_key[k]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows(out)
    return buffer.getvalue()


def _commit(files: dict[Path, str]) -> None:
    """Write every file or none: each to a temporary file beside it, then all renamed; if a
    rename fails, the files already replaced get their old content back."""
    made: list[Path] = []
    temps: dict[Path, str] = {}
    try:
        for target, text in files.items():
            missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            made += reversed(missing)
            handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                           suffix=".tmp")
            temps[target] = tmp
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
        old = {t: (t.read_bytes() if t.exists() else None) for t in temps}
        done: list[Path] = []
        try:
            for target, tmp in temps.items():
                os.replace(tmp, target)
                done.append(target)
        except BaseException:
            for target in done:
                if old[target] is None:
                    target.unlink()
                else:
                    target.write_bytes(old[target])
            raise
    except BaseException:
        for tmp in temps.values():
            if os.path.exists(tmp):
                os.unlink(tmp)
        for folder in reversed(made):
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        raise


def import_coding(path: str | Path, casebase_path: str | Path | None = None) -> CodingImport:
    """Read a filled coding workbook and write the coder's files under ``codings/``.

    Parameters
    ----------
    path : str or Path
        A workbook written by :func:`~coanalysis.coding.coding_sheet` and filled.
    casebase_path : str or Path, optional
        Folder of the case base (default: the project's ``data/cases``).

    Returns
    -------
    CodingImport
        The coder, the cases, one :class:`~coanalysis.errors.LoadReport` per sheet (rows read
        = kept + rejected) and the files written.

    Raises
    ------
    DataError
        Listing every problem at once, each with the workbook as ``file``, the sheet row as
        ``line``, the field as ``column``, the value found, what was expected, and a hint that
        starts with the cell (``conditions!D5``, as the survey reader names cells); the summary
        gives the rows read, without and with problems. Nothing is written.

    Notes
    -----
    The cells are checked by the case-base loader's rules
    (:func:`coanalysis.loaders.casebase.checks.check_rows`: type, codebook vocabulary, the four
    fuzzy scores, levels 0-5, patterns, no formula, keys, a coded value needs its evidence and
    source, a flow's ``direct``, one row per case × condition or outcome, case and source ids
    known to the case base or the workbook), and a formula cell or a date typed where a text
    is expected is refused. Files written, in ``codings/coder_<coder>/``: ``conditions.csv``,
    ``outcomes.csv``, ``participation.csv`` (the columns of the coding resources of
    ``datapackage.json``, ``coder`` = the name in upper case), and where the workbook holds
    some, ``cases.csv``, ``sources.csv``, ``flows.csv`` (the columns of the main resources: the
    coder's facts, sources and channels, for the reconciliation). The rows of the workbook's
    cases replace that coder's earlier rows of the same cases (a source, those of the same
    ``source_id``); other rows are kept. Every file is first written to a temporary file beside
    it, then all are renamed: a failing import leaves ``codings/`` as it was.
    """
    path = Path(path)
    file = str(path)
    wb = _open(path)
    coder, cases, new = _read_meta(wb, file)
    layouts = sheet_layouts(coder)
    problems: list[Problem] = []
    reported: set[tuple[str, int, str]] = set()
    tables: dict[str, tuple[dict, str, list[tuple[int, list[str]]]]] = {}
    for layout in layouts:
        if layout.title not in wb.sheetnames:
            problems.append(Problem(file, None, None, None, f"a sheet {layout.title!r}",
                                    "the sheet was deleted or renamed: write a new workbook "
                                    "with `coanalysis coding sheet`"))
            continue
        records = _read_sheet(wb[layout.title], layout, file, coder, new, problems,
                              reported)
        tables[layout.resource["name"]] = (layout.resource, layout.title, records)
    for layout in layouts:  # every row codes one of the workbook's cases
        if layout.resource["name"] not in tables:
            continue
        fields = [f["name"] for f in layout.resource["schema"]["fields"]]
        if "case_id" not in fields:
            continue
        at = fields.index("case_id")
        for line, texts in tables[layout.resource["name"]][2]:
            if texts[at] and texts[at] not in cases:
                problems.append(Problem(file, line, "case_id", texts[at],
                                        f"a case of this workbook ({', '.join(cases)})",
                                        f"{cell_reference(layout.title, line, 1)}: write a "
                                        "workbook for that case with `coanalysis coding sheet`"))
    frames, base_problems = read_resources(["cases", "sources"], casebase_path)
    if base_problems:
        raise DataError(base_problems, summary=f"{len(base_problems)} problem(s) in the case "
                                               "base: fix them before importing a coding")
    known = {"cases": _known(frames["cases"], "case_id"),
             "sources": _known(frames["sources"], "source_id")}
    parsed, found = check_rows(tables, known, cases)
    by_title = {layout.title: layout for layout in layouts}
    problems += [_located(p, file, by_title) for p in found
                 if (p.file, p.line, p.column) not in reported]
    reports = _reports(tables, problems, file)
    if problems:
        read = sum(r.rows_read for r in reports)
        bad = sum(r.rows_rejected for r in reports)
        raise DataError(problems, summary=(
            f"{path.name}: {len(problems)} problem(s) in the coding workbook; {read} row(s) "
            f"read = {read - bad} without problem + {bad} with problems; nothing was written"))
    folder = Path(casebase_path) if casebase_path is not None else data_dir() / "cases"
    files: dict[Path, str] = {}
    write_problems: list[Problem] = []
    for layout in layouts:
        rows = parsed.get(layout.resource["name"], [])
        fdefs = layout.resource["schema"]["fields"]
        fields = [f["name"] for f in fdefs]
        texts = [[_csv_text(row[f["name"]], f) for f in fdefs] for _, row in rows]
        target = folder / "codings" / f"coder_{coder}" / f"{layout.table}.csv"
        if not texts and not target.exists():
            continue
        label = str(target.relative_to(folder))
        text = _merged(target, label, fields, texts, _REPLACES.get(layout.table, "case_id"),
                       write_problems)
        files[target] = text
    if write_problems:
        raise DataError(write_problems, summary="the coder's files cannot be merged; nothing "
                                                "was written")
    _commit(files)
    return CodingImport(coder, cases, reports, sorted(files))


def _reports(tables: dict, problems: list[Problem], file: str) -> list[LoadReport]:
    """One LoadReport per sheet: rows read, kept, and rejected (a row with a problem)."""
    reports = []
    for _, title, records in tables.values():
        lines = {line for line, _ in records}
        bad = sorted({p.line for p in problems
                      if p.line in lines and (p.hint or "").startswith(_sheet_prefix(title))})
        reasons = {line: "; ".join(p.expected for p in problems
                                   if p.line == line and (p.hint or "").startswith(
                                       _sheet_prefix(title))) for line in bad}
        reports.append(LoadReport(file, rows_read=len(records), rows_kept=len(records) - len(bad),
                                  rejected=pd.DataFrame({"line": bad,
                                                         "reason": [reasons[b] for b in bad]},
                                                        columns=["line", "reason"]),
                                  sheet=title))
    return reports


def _sheet_prefix(title: str) -> str:
    """How the hint of a problem of sheet ``title`` begins (its cells' references)."""
    return cell_reference(title, 1, 1).rsplit("!", 1)[0] + "!"
