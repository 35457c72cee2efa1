"""Tables people can hand over: estimate tables written to XLSX, ODS and French CSV.

Any results object of the package (its ``.table``, ``.title``, ``.notes``: shares by group with
their intervals, the users-versus-agents gap, crosstabs with their test, regression coefficients,
QCA fit tables) or a DataFrame becomes one sheet: its title, a blank row, the header (frozen),
the rows, a blank row, then a ``Source`` row and one row per note.

**Numbers stay numbers.** A share is written as the number ``0.4512`` with a percent *cell
format*, never as the text ``"45,1 %"``: the reader can sort, sum and chart it. Every float is
rounded to :data:`TABLE_DIGITS` significant digits by :func:`coanalysis.spreadsheet.stable_number`
(so that a last-bit difference between machines never changes a cell), far more than any cell
format shows; the format only decides what is displayed.

**French formats, and why they are written as they are.**

- *XLSX* (ECMA-376 Part 1, §18.8.31 ``numFmt``): a format code is written in one invariant syntax
  where ``.`` stands for the decimal separator and ``,`` for the thousands separator; the
  application displays the reader's separators. So the codes are ``#,##0.0`` and ``0.0%``, not
  ``# ##0,0`` (which Excel would read as a literal space and a thousands-scaling comma). In French
  the code is prefixed with the locale tag ``[$-40C]`` (LCID 0x040C, French–France) and the
  percent sign is preceded by a quoted narrow no-break space (``0.0"\u202f"%``). LibreOffice and
  Collabora take the tag as the format's language and then show French separators (``45,1 %``,
  ``1 234,5``) whatever the reader's own locale (their help, *Format – Cells – Numbers –
  Language*); Excel keeps the tag (it drives month names and calendars) but takes the separators
  from the reader's system or its *Use system separators* option, so a French Excel shows
  ``45,1 %`` and an English one ``45.1 %``. No format code can force a decimal comma in an English
  Excel without turning the number into text, which is what this module refuses to do.
- *ODS* (ODF 1.2 Part 1, §16.27 data styles): a ``number:number-style`` or
  ``number:percentage-style`` carries ``number:language="fr" number:country="FR"``, which fixes the
  decimal comma and the thousands separator for every reader; percent cells are
  ``office:value-type="percentage"`` with the fraction as ``office:value``, other numbers
  ``"float"``. pandas' own ODS writer (``DataFrame.to_excel(engine="odf")``) cannot do this: its
  cell styles carry only font, borders and alignment, and every number is a ``float`` cell, so the
  file is written here with odfpy, the library pandas itself uses to read and write ODS.
- *CSV*: :func:`coanalysis.spreadsheet.write_csv` (``;``, decimal comma, UTF-8 with BOM in
  French), one file per table; a CSV has no cell formats, so shares stay fractions (``0,4512``)
  and the title, source and notes are not in it (write XLSX or ODS to hand them over).

**No formula injection.** Every text cell (headers, labels, title, notes) goes through
:func:`coanalysis.spreadsheet.neutralise_text`, as in the package's CSV files: a text that a
spreadsheet would run (``=HYPERLINK(…)``, ``+cmd|…``, ``- de 25 ans``) is written with a leading
apostrophe, and is a string cell in XLSX and ODS.

Floor "report": tables formats results objects for people, as :mod:`coanalysis.report` does.

Examples
--------
>>> import pandas as pd
>>> shares = pd.DataFrame({"item": ["accueil"], "estimate": [0.4512], "ci_low": [0.41],
...                        "ci_high": [0.49], "n": [412], "weight": [398.6]})
>>> column_formats(shares, percent=True)
{'estimate': 'percent:1', 'ci_low': 'percent:1', 'ci_high': 'percent:1', 'n': 'integer', 'weight': 'number:1'}
>>> excel_format("percent:1", "fr")
'[$-40C]0.0"\u202f"%'
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook.interface import word
from .report import ci_headers
from .results import Result
from .spreadsheet import zero_floor, neutralise_text, stable_number, write_csv
from .text import NNBSP, check_lang, format_number, format_percent

__all__ = [
    "FORMATS",
    "TABLE_DIGITS",
    "TableSpec",
    "column_formats",
    "excel_format",
    "write_tables",
]

#: File formats :func:`write_tables` writes, by name (``format=``) or file suffix.
FORMATS = ("xlsx", "ods", "csv")

#: Significant digits of the numbers written in a table file: more than any cell format shows, and
#: below the 12 digits at which :func:`~coanalysis.spreadsheet.stable_number` absorbs last-bit noise.
#: As in :func:`~coanalysis.spreadsheet.write_csv`, a value below 1e-12 times its column's largest
#: magnitude is the rounding residue of a zero and is written 0.
TABLE_DIGITS = 10

#: LCID of French (France) in an XLSX format code's locale tag (ECMA-376 §18.8.31, ``[$-40C]``).
_FRENCH_LCID = "[$-40C]"

# Rows of a sheet (1-based): title, a blank row, the header; the data start under it.
_TITLE_ROW, _HEADER_ROW = 1, 3

# Characters XML 1.0 cannot hold (neither XLSX nor ODS can store them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules; ODS follows them here so
# that the two files of one set of tables have the same sheets).
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31

# Column names read as formats (see column_formats): exact names, then prefixes.
_INTEGER = {"n", "count", "cases_n", "n_cases", "respondents", "rows", "k", "OUT"}
_INTEGER_PREFIX = ("n_",)
_WEIGHTED = {"weight", "weights", "n_weighted", "weighted_n", "sum_weights", "total_weight"}
_PERCENT = {"share", "proportion", "rate", "pct", "percent", "level"}
_ESTIMATE_SCALE = {"estimate", "se", "ci_low", "ci_high", "first", "second", "gap", "users",
                   "agents", "before", "after", "change", "difference"}
_DECIMAL3 = {"coef", "z", "t", "statistic", "chisq", "F", "p_value", "pvalue", "p", "odds_ratio",
             "consistency", "coverage", "PRI", "incl", "inclS", "covS", "covU", "alpha",
             "omega", "deff", "threshold", "raw_coverage", "unique_coverage"}
# Statistics and interval methods that only proportions have: their tables are shares.
_PROPORTION_STATISTICS = {"satisfaction", "proportion", "share"}
_PROPORTION_METHODS = {"logit", "beta", "clopper-pearson", "likelihood", "asin", "xlogit"}


# --------------------------------------------------------------------------- formats
def _parse_format(spec: str, column: str = "") -> tuple[str, int]:
    """``(kind, decimals)`` of a column format: ``"percent:d"``, ``"number:d"``, ``"integer"``, ``"text"``.

    The same words as :func:`coanalysis.report.table` (``"number:d"``, ``"percent:d"``), where
    ``d`` is the number of decimals shown.
    """
    where = f" of column {column!r}" if column else ""
    if not isinstance(spec, str):
        raise ValueError(f"format {spec!r}{where}: expected 'percent:d', 'number:d', 'integer' or "
                         "'text' (d = decimals shown, e.g. 'percent:1')")
    if spec in ("integer", "text"):
        return spec, 0
    kind, colon, decimals = spec.partition(":")
    if kind in ("percent", "number") and colon and decimals.isdigit() and int(decimals) <= 10:
        return kind, int(decimals)
    raise ValueError(f"format {spec!r}{where}: expected 'percent:d', 'number:d' (d = 0 to 10 "
                     "decimals shown, e.g. 'percent:1'), 'integer' or 'text'")


def excel_format(spec: str, lang: str | None = None) -> str:
    """The XLSX number format code of a column format (see the module docstring for why).

    >>> excel_format("number:2", "en"), excel_format("integer", "fr"), excel_format("percent:0", "en")
    ('#,##0.00', '[$-40C]#,##0', '0%')
    """
    kind, decimals = _parse_format(spec)
    lang = check_lang(lang)
    if kind == "text":
        return "@"
    fraction = "." + "0" * decimals if decimals else ""
    if kind == "percent":
        code = "0" + fraction + (f'"{NNBSP}"%' if lang == "fr" else "%")
    else:
        code = "#,##0" + fraction
    return (_FRENCH_LCID + code) if lang == "fr" else code


def _is_proportion_table(frame: pd.DataFrame) -> bool:
    """True when the table's estimates are shares (its statistic or interval method says so)."""
    if str(frame.attrs.get("statistic", "")) in _PROPORTION_STATISTICS:
        return True
    for column, allowed in (("statistic", _PROPORTION_STATISTICS), ("method", _PROPORTION_METHODS)):
        if column in frame.columns:
            values = set(frame[column].dropna().astype(str))
            if values and values <= allowed:
                return True
    return False


def column_formats(frame: pd.DataFrame, *, percent: bool | None = None) -> dict[str, str]:
    """The cell format of each numeric column, read from its name.

    Parameters
    ----------
    frame : DataFrame
    percent : bool, optional
        Whether the estimate columns (``estimate``, ``se``, ``ci_low``, ``ci_high``, ``gap``,
        ``first``/``second``, ``users``/``agents``) are shares. None: read it from the table — a
        ``statistic`` column (or ``attrs["statistic"]``, as :func:`~coanalysis.survey.group_gap`
        sets) saying ``"satisfaction"``/``"proportion"``, or a ``method`` column naming only a
        proportion interval (``logit``, ``beta``, ``clopper-pearson``…).

    Returns
    -------
    dict
        ``{column: format}`` for the numeric columns, in the table's order: ``"percent:1"`` for
        shares and their intervals (``share``, ``proportion``, ``rate``…; ``level`` is
        ``"percent:0"``), ``"integer"`` for counts (``n``, ``n_*``), ``"number:1"`` for
        weighted counts (``weight``, ``n_weighted``), ``"number:3"`` for estimates that are not
        shares, coefficients, test statistics, p-values and QCA fit (``consistency``,
        ``coverage``, ``PRI``), ``"number:1"`` for degrees of freedom, ``"integer"`` for any
        other integer column and ``"number:3"`` for any other float column. Text columns get
        no entry.
    """
    shares = _is_proportion_table(frame) if percent is None else bool(percent)
    out: dict[str, str] = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column.dtype) or not pd.api.types.is_numeric_dtype(column.dtype):
            continue
        key = str(name)
        if key == "level":
            out[name] = "percent:0"
        elif key in _PERCENT:
            out[name] = "percent:1"
        elif key in _WEIGHTED:
            out[name] = "number:1"
        elif key in _INTEGER or key.startswith(_INTEGER_PREFIX):
            out[name] = "integer"
        elif key in _ESTIMATE_SCALE:
            out[name] = "percent:1" if shares else "number:3"
        elif key == "df":
            out[name] = "number:1"
        elif key in _DECIMAL3:
            out[name] = "number:3"
        elif pd.api.types.is_integer_dtype(column.dtype):
            out[name] = "integer"
        else:
            out[name] = "number:3"
    return out


# --------------------------------------------------------------------------- table specs
@dataclass
class TableSpec:
    """One table to write: its data, words and column formats.

    Parameters
    ----------
    data : DataFrame or Result
        The table; a results object gives its ``.table``, ``.title`` and ``.notes``. A
        non-default index (``Design.by(...).share(...)``, ``OrdinalResult.table``) becomes
        columns.
    title : str, optional
        The sheet's first row (default: the result's title, else the sheet name).
    notes : sequence of str, optional
        Rows under the table (default: the result's notes).
    source : str, optional
        The ``Source`` row (default: the ``source`` of :func:`write_tables`).
    formats : mapping, optional
        ``{column: format}`` overriding :func:`column_formats` (``"percent:d"``,
        ``"number:d"``, ``"integer"``, ``"text"``); every column named must exist.
    labels : mapping, optional
        ``{column: header}`` overriding the default headers (the interface words of the known
        columns, e.g. ``ci_low`` → ``IC 95 % bas``; others keep their name).
    percent : bool, optional
        Whether the estimate columns are shares (see :func:`column_formats`).
    name : str, optional
        The sheet name (default: the key of a dict of tables, else the title).
    """

    data: object
    title: str | None = None
    notes: Sequence[str] | None = None
    source: str | None = None
    formats: Mapping[str, str] | None = None
    labels: Mapping[str, str] | None = None
    percent: bool | None = None
    name: str | None = None
    frame: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self):
        data = self.data
        if isinstance(data, Result):
            frame = data.table
            self.title = data._title() if self.title is None else self.title
            self.notes = data._notes() if self.notes is None else self.notes
        elif isinstance(data, pd.DataFrame):
            frame = data
        else:
            raise TypeError(f"a table must be a results object or a DataFrame, got "
                            f"{type(data).__name__}: pass result, result.table or a DataFrame")
        if isinstance(frame.columns, pd.MultiIndex):
            raise ValueError("a table with several header rows (MultiIndex columns) cannot be "
                             "written: flatten them first, e.g. frame.columns = "
                             "[' '.join(map(str, c)) for c in frame.columns]")
        if not isinstance(frame.index, pd.RangeIndex) or any(n is not None for n in frame.index.names):
            attrs = dict(frame.attrs)
            frame = frame.reset_index()
            frame.attrs.update(attrs)
        if frame.columns.duplicated().any():
            raise ValueError(f"duplicate column names: {list(frame.columns[frame.columns.duplicated()])}")
        self.frame = _arranged(frame)
        self.notes = tuple(str(n) for n in (self.notes or ()) if str(n))
        formats = dict(self.formats or {})
        missing = [c for c in formats if c not in self.frame.columns]
        if missing:
            raise ValueError(f"formats name columns the table does not have: {missing}; "
                             f"columns: {list(self.frame.columns)}")
        for column, spec in formats.items():
            _parse_format(spec, column)
        labels = dict(self.labels or {})
        missing = [c for c in labels if c not in self.frame.columns]
        if missing:
            raise ValueError(f"labels name columns the table does not have: {missing}; "
                             f"columns: {list(self.frame.columns)}")
        self.formats = {**column_formats(self.frame, percent=self.percent), **formats}
        self.labels = labels

    def headers(self, lang: str) -> list[str]:
        """The header of each column in ``lang`` (interface words, then :attr:`labels`)."""
        level = self.frame.attrs.get("level")
        if level is None and "level" in self.frame.columns and self.frame["level"].nunique() == 1:
            level = float(self.frame["level"].iloc[0])
        words = {**_default_headers(lang), **ci_headers(0.95 if level is None else float(level), lang)}
        if str(self.formats.get("estimate", "")).startswith("percent"):
            words["estimate"] = word("table_share", lang)
        return [str(self.labels.get(c, words.get(str(c), c))) for c in self.frame.columns]


def _arranged(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns reordered so that the interval follows its estimate and the weighted n the unweighted one."""
    columns = list(frame.columns)

    def move_after(names, anchor_names):
        anchor = next((a for a in anchor_names if a in columns), None)
        if anchor is None:
            return
        present = [n for n in names if n in columns and n != anchor]
        for n in present:
            columns.remove(n)
        at = columns.index(anchor) + 1
        columns[at:at] = present

    move_after(["ci_low", "ci_high"], ["se", "estimate", "gap", "coef", "share"])
    move_after(sorted(_WEIGHTED & set(map(str, columns)), key=str), ["n"])
    return frame[columns]


# The package's column names that have a header word (codebook.interface, key "table_<word>").
_HEADER_WORDS = {"estimate": "estimate", "se": "se", "n": "n_unweighted", "weight": "n_weighted",
                 "n_weighted": "n_weighted", "p_value": "p_value", "df": "df", "item": "item",
                 "category": "category", "users": "users", "agents": "agents", "gap": "gap",
                 "n_users": "n_users", "n_agents": "n_agents", "coef": "coef",
                 "odds_ratio": "odds_ratio", "level": "level", "method": "method", "term": "term"}


def _default_headers(lang: str) -> dict[str, str]:
    """The header of each known column in ``lang``; ``term`` reuses the QCA figures' word."""
    return {column: word(key if key == "term" else f"table_{key}", lang)
            for column, key in _HEADER_WORDS.items()}


# --------------------------------------------------------------------------- cells
@dataclass(frozen=True)
class _Cell:
    """One cell to write: a number (with its format) or a text (already neutralised), or empty."""

    number: float | int | None = None
    text: str | None = None
    spec: str | None = None


def _text_cell(value, where: str) -> _Cell:
    text = str(value)
    bad = _CONTROL.search(text)
    if bad:
        raise ValueError(f"{where}: the text {text!r} holds the control character "
                         f"{bad.group()!r}, which XLSX and ODS cannot store: remove it")
    return _Cell(text=neutralise_text(text))


def _cells(spec: TableSpec, lang: str, digits: int) -> list[list[_Cell]]:
    """The data rows as cells: numbers rounded to ``digits`` and typed, texts neutralised."""
    frame = spec.frame
    rows: list[list[_Cell]] = [[] for _ in range(len(frame))]
    for name in frame.columns:
        fmt = spec.formats.get(name)
        kind = _parse_format(fmt)[0] if fmt else None
        # the CSV writer's rule, so that the three formats carry the same numbers
        floor = (zero_floor(frame[name].to_numpy(dtype=float, na_value=np.nan))
                 if pd.api.types.is_float_dtype(frame[name].dtype) else 0.0)
        for i, v in enumerate(frame[name].tolist()):
            where = f"table {spec.name!r}, column {name!r}, row {i + 1}"
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                rows[i].append(_Cell())
            elif isinstance(v, (bool, np.bool_)):
                rows[i].append(_Cell(text=word("yes" if v else "no", lang)))
            elif isinstance(v, (int, np.integer, float, np.floating)) and kind != "text":
                x = float(v)
                if math.isinf(x):
                    rows[i].append(_Cell(text="∞" if x > 0 else "−∞"))
                elif isinstance(v, (int, np.integer)) and abs(int(v)) < 2 ** 53:
                    rows[i].append(_Cell(number=int(v), spec=fmt or "integer"))
                else:
                    rounded = stable_number(0.0 if abs(x) < floor else x, digits)
                    number = float(rounded)
                    if kind == "integer" and number.is_integer():
                        number = int(number)
                    rows[i].append(_Cell(number=number, spec=fmt or "number:3"))
            else:
                rows[i].append(_text_cell(v, where))
    return rows


def _shown(cell: _Cell, lang: str) -> str:
    """The text a spreadsheet shows for a cell (ODS caches it; widths are measured on it)."""
    if cell.number is None:
        return cell.text or ""
    kind, decimals = _parse_format(cell.spec)
    if kind == "percent":
        return format_percent(cell.number, decimals, lang)
    if kind == "text":
        return str(cell.number)
    return format_number(cell.number, decimals, lang)


def _words(spec: TableSpec, lang: str) -> tuple[str, list[str]]:
    """The title and the rows under the table (``Source : …``, ``Note : …``), neutralised."""
    where = f"table {spec.name!r}"
    title = _text_cell(spec.title or spec.name, f"{where}, title").text
    under = []
    if spec.source:
        under.append(word("table_source", lang).format(spec.source))
    under += [word("table_note", lang).format(n) for n in spec.notes]
    return title, [_text_cell(t, f"{where}, notes").text for t in under]


def _widths(headers: list[str], rows: list[list[_Cell]], lang: str) -> list[float]:
    """Column widths in characters: the longest header or shown cell, within 8 and 60."""
    widths = []
    for j, header in enumerate(headers):
        longest = max([len(header)] + [len(_shown(r[j], lang)) for r in rows])
        widths.append(float(min(max(longest + 2, 8), 60)))
    return widths


# --------------------------------------------------------------------------- writers
def _sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name made from ``name`` (Excel's rules)."""
    base = _SHEET_FORBIDDEN.sub("-", str(name)).strip().strip("'") or "table"
    base = base[:_SHEET_MAX]
    candidate, k = base, 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({k})"
        candidate, k = base[: _SHEET_MAX - len(suffix)] + suffix, k + 1
    taken.add(candidate)
    return candidate


def _write_xlsx(specs: list[TableSpec], path: Path, lang: str, digits: int) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for spec in specs:
        sheet = book.create_sheet(spec.name)
        headers = [_text_cell(h, f"table {spec.name!r}, header").text for h in spec.headers(lang)]
        rows = _cells(spec, lang, digits)
        title, under = _words(spec, lang)
        sheet.cell(_TITLE_ROW, 1, title).font = bold
        for j, header in enumerate(headers, start=1):
            sheet.cell(_HEADER_ROW, j, header).font = bold
        for i, row in enumerate(rows, start=_HEADER_ROW + 1):
            for j, cell in enumerate(row, start=1):
                if cell.number is not None:
                    target = sheet.cell(i, j, cell.number)
                    target.number_format = excel_format(cell.spec, lang)
                elif cell.text is not None:
                    target = sheet.cell(i, j, cell.text)
                    target.data_type = "s"
        first_under = _HEADER_ROW + len(rows) + 2
        for k, text in enumerate(under):
            sheet.cell(first_under + k, 1, text).data_type = "s"
        for j, width in enumerate(_widths(headers, rows, lang), start=1):
            sheet.column_dimensions[get_column_letter(j)].width = width
        sheet.freeze_panes = sheet.cell(_HEADER_ROW + 1, 1)
    book.save(path)
    _normalise_archive(path)


def _write_ods(specs: list[TableSpec], path: Path, lang: str, digits: int) -> None:
    try:
        from odf import number as odfnumber
        from odf.config import (ConfigItem, ConfigItemMapEntry, ConfigItemMapIndexed,
                                ConfigItemMapNamed, ConfigItemSet)
        from odf.opendocument import OpenDocumentSpreadsheet
        from odf.style import Style, TableColumnProperties, TextProperties
        from odf.table import Table, TableCell, TableColumn, TableRow
        from odf.text import P
    except ImportError as error:  # pragma: no cover - odfpy is a dependency of the package
        raise ImportError("writing ODS needs odfpy (a dependency of coanalysis): "
                          "pip install odfpy") from error

    doc = OpenDocumentSpreadsheet()
    bold = Style(name="bold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold)
    cell_styles: dict[str, str] = {}
    locale = {"language": "fr", "country": "FR"} if lang == "fr" else {}

    def cell_style(spec: str) -> str:
        if spec in cell_styles:
            return cell_styles[spec]
        kind, decimals = _parse_format(spec)
        n = len(cell_styles) + 1
        if kind == "text":
            data = odfnumber.TextStyle(name=f"N{n}", **locale)
            data.addElement(odfnumber.TextContent())
        elif kind == "percent":
            data = odfnumber.PercentageStyle(name=f"N{n}", **locale)
            data.addElement(odfnumber.Number(decimalplaces=decimals, minintegerdigits=1))
            data.addElement(odfnumber.Text(text=(NNBSP + "%") if lang == "fr" else "%"))
        else:
            data = odfnumber.NumberStyle(name=f"N{n}", **locale)
            data.addElement(odfnumber.Number(decimalplaces=decimals, minintegerdigits=1,
                                             grouping="true"))
        doc.automaticstyles.addElement(data)
        style = Style(name=f"ce{n}", family="table-cell", datastylename=f"N{n}")
        doc.automaticstyles.addElement(style)
        cell_styles[spec] = f"ce{n}"
        return cell_styles[spec]

    def text_row(texts, style=None):
        row = TableRow()
        for text in texts:
            attributes = {"stylename": style} if style else {}
            c = TableCell(valuetype="string", **attributes)
            c.addElement(P(text=text))
            row.addElement(c)
        return row

    views = ConfigItemMapNamed(name="Tables")
    for s, spec in enumerate(specs):
        headers = [_text_cell(h, f"table {spec.name!r}, header").text for h in spec.headers(lang)]
        rows = _cells(spec, lang, digits)
        title, under = _words(spec, lang)
        table = Table(name=spec.name)
        for j, width in enumerate(_widths(headers, rows, lang)):
            column_style = Style(name=f"co{s + 1}_{j + 1}", family="table-column")
            # one character of the default 10-point font is about 0.22 cm wide
            column_style.addElement(TableColumnProperties(columnwidth=f"{0.22 * width:.2f}cm"))
            doc.automaticstyles.addElement(column_style)
            table.addElement(TableColumn(stylename=column_style))
        table.addElement(text_row([title], "bold"))
        table.addElement(TableRow())
        table.addElement(text_row(headers, "bold"))
        for row in rows:
            out = TableRow()
            for cell in row:
                if cell.number is not None:
                    kind = _parse_format(cell.spec)[0]
                    c = TableCell(valuetype="percentage" if kind == "percent" else "float",
                                  value=repr(float(cell.number)) if isinstance(cell.number, float)
                                  else str(cell.number), stylename=cell_style(cell.spec))
                    c.addElement(P(text=_shown(cell, lang)))
                elif cell.text is not None:
                    c = TableCell(valuetype="string")
                    c.addElement(P(text=cell.text))
                else:
                    c = TableCell()
                out.addElement(c)
            table.addElement(out)
        if under:
            table.addElement(TableRow())
            for text in under:
                table.addElement(text_row([text]))
        doc.spreadsheet.addElement(table)
        # freeze the rows down to the header (LibreOffice's view settings: a "vertical" split
        # at a row position, mode 2 = frozen)
        entry = ConfigItemMapEntry(name=spec.name)
        for name, kind, value in (("VerticalSplitMode", "short", "2"),
                                  ("VerticalSplitPosition", "int", str(_HEADER_ROW)),
                                  ("ActiveSplitRange", "short", "2"),
                                  ("PositionTop", "int", "0"),
                                  ("PositionBottom", "int", str(_HEADER_ROW))):
            item = ConfigItem(name=name, type=kind)
            item.addText(value)
            entry.addElement(item)
        views.addElement(entry)
    settings = ConfigItemSet(name="ooo:view-settings")
    indexed = ConfigItemMapIndexed(name="Views")
    view = ConfigItemMapEntry()
    view_id = ConfigItem(name="ViewId", type="string")
    view_id.addText("view1")
    view.addElement(view_id)
    view.addElement(views)
    indexed.addElement(view)
    settings.addElement(indexed)
    doc.settings.addElement(settings)
    doc.save(str(path))
    _normalise_archive(path)


# The creation and modification times openpyxl writes into docProps/core.xml.
_CORE_DATES = re.compile(rb"<dcterms:(?:created|modified)\b[^>]*>[^<]*</dcterms:(?:created|modified)>")
_ROOT_TAG = re.compile(rb"<(?!\?)[^>]*>")
_XMLNS = re.compile(rb'\s+xmlns:([A-Za-z0-9_.-]+)="[^"]*"')
# A fixed zip entry time (the earliest a zip can hold), as reproducible builds do.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _canonical_namespaces(part: bytes) -> bytes:
    """The XML part with its root's namespace declarations sorted and cut to those it uses.

    odfpy declares every namespace any document of the process has used so far (a class
    attribute), in the order they were first met, so the same table gave different bytes after
    another ODS was written.
    """
    root = _ROOT_TAG.search(part)
    if root is None:
        return part
    tag = root.group()
    declared = {m.group(1): m.group() for m in _XMLNS.finditer(tag)}
    rest = part[: root.start()] + _XMLNS.sub(b"", tag) + part[root.end():]
    used = sorted(p for p in declared if re.search(rb"[<\s/]" + re.escape(p) + rb":", rest))
    bare = _XMLNS.sub(b"", tag)
    end = len(bare) - (2 if bare.endswith(b"/>") else 1)
    name_end = re.match(rb"<[^\s>/]+", bare).end()
    new_tag = bare[:name_end] + b"".join(declared[p] for p in used) + bare[name_end:end] + bare[end:]
    return part[: root.start()] + new_tag + part[root.end():]


def _normalise_archive(path: Path) -> None:
    """Rewrite the XLSX/ODS zip so that the same tables give the same bytes.

    Entries keep their order and compression (ODS's ``mimetype`` stays first and stored); their
    times are fixed; openpyxl's creation and modification times are dropped (both are optional
    in the core properties, ECMA-376 Part 2 §11); odfpy's namespace declarations are made
    canonical (:func:`_canonical_namespaces`).
    """
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(b"", data)
            elif info.filename.endswith(".xml") and b"urn:oasis:names:tc:opendocument" in data[:2000]:
                data = _canonical_namespaces(data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data)


def _csv_frame(spec: TableSpec, lang: str, digits: int) -> pd.DataFrame:
    """The table as write_csv writes it: the headers of the sheet, floats at ``digits``, ∞ as ``inf``."""
    frame = spec.frame.copy()
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column.dtype):
            values = column.to_numpy(dtype=float, na_value=np.nan)
            if np.isinf(values).any():
                # write_csv refuses infinities; "inf" is what pandas and R read back as one
                frame[name] = [("inf" if v > 0 else "-inf") if np.isinf(v) else v for v in values]
        elif pd.api.types.is_bool_dtype(column.dtype):
            frame[name] = [None if pd.isna(v) else word("yes" if v else "no", lang) for v in column]
    frame.columns = spec.headers(lang)
    return frame


# --------------------------------------------------------------------------- entry point
def _specs(tables, source: str | None) -> list[TableSpec]:
    if isinstance(tables, (Result, pd.DataFrame, TableSpec)):
        items = [(None, tables)]
    elif isinstance(tables, Mapping):
        items = list(tables.items())
    elif isinstance(tables, Sequence) and not isinstance(tables, str):
        items = [(None, t) for t in tables]
    else:
        raise TypeError(f"tables must be a results object, a DataFrame, a TableSpec, or a dict or "
                        f"list of them, got {type(tables).__name__}")
    if not items:
        raise ValueError("no table to write: pass at least one results object or DataFrame")
    specs, taken = [], set()
    for k, (key, item) in enumerate(items, start=1):
        spec = item if isinstance(item, TableSpec) else TableSpec(item)
        wanted = spec.name or key or spec.title or f"table {k}"
        spec.name = _sheet_name(wanted, taken)
        if spec.source is None:
            spec.source = source
        specs.append(spec)
    return specs


def _file_format(path: Path, format: str | None) -> str:
    if format is None:
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            raise ValueError(f"cannot tell the format of {str(path)!r} from its suffix "
                             f"{path.suffix!r}: name the file .xlsx, .ods or .csv, or pass "
                             f"format='xlsx', 'ods' or 'csv'")
        return suffix
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))} (or None to read "
                         f"it from the file suffix), got {format!r}")
    return format


def write_tables(tables, path: str | Path, *, format: str | None = None, lang: str | None = None,
                 source: str | None = None, digits: int = TABLE_DIGITS) -> list[Path]:
    """Write estimate tables to a spreadsheet (XLSX, ODS) or to French CSV files.

    Parameters
    ----------
    tables : Result, DataFrame, TableSpec, or a dict or list of them
        One table per sheet; a dict's keys name the sheets (else the titles do). Wrap a table
        in :class:`TableSpec` to give its title, notes, source, column formats or headers.
    path : str or Path
        The file. For CSV, a single table is written to ``path``; several tables to
        ``<stem>-<sheet name>.csv`` beside it.
    format : {"xlsx", "ods", "csv"}, optional
        Default: the suffix of ``path``.
    lang : {"fr", "en"}, optional
        Headers, ``Source``/``Note`` words and number formats (French: decimal comma and
        ``%`` after a narrow no-break space; see the module docstring). None means
        :func:`coanalysis.default_lang`.
    source : str, optional
        The ``Source`` row of every table that does not give its own.
    digits : int, default :data:`TABLE_DIGITS`
        Significant digits of the numbers written (:func:`~coanalysis.spreadsheet.stable_number`).

    Returns
    -------
    list of Path
        The files written (one, except for several tables as CSV).

    Raises
    ------
    ValueError
        An unknown format or suffix, a format or label for a column the table does not have, a
        malformed column format, a text holding a control character.
    TypeError
        A table that is neither a results object nor a DataFrame.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> t = pd.DataFrame({"item": ["accueil"], "estimate": [0.45], "n": [412]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in write_tables({"accueil": TableSpec(t, percent=True)}, f"{d}/b.xlsx")]
    ['b.xlsx']
    """
    from .spreadsheet import check_digits

    path = Path(path)
    kind = _file_format(path, format)
    lang = check_lang(lang)
    digits = check_digits(digits)
    specs = _specs(tables, source)
    if kind == "xlsx":
        _write_xlsx(specs, path, lang, digits)
        return [path]
    if kind == "ods":
        _write_ods(specs, path, lang, digits)
        return [path]
    written = []
    for spec in specs:
        target = path if len(specs) == 1 else path.with_name(f"{path.stem}-{spec.name}.csv")
        written.append(write_csv(_csv_frame(spec, lang, digits), target, lang=lang, digits=digits))
    return written
