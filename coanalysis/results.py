"""The one contract of every results object: ``.table``, ``.summary()``, a short ``repr`` and a
compact titled table in JupyterLab.

A results class inherits :class:`Result` and defines:

- ``table`` — a **property** returning a DataFrame (the result as data: export it, test it);
- ``title`` — a short text naming what was computed (a property or a class attribute);
- ``notes`` (optional) — a tuple of short texts the reader must see with the numbers
  (method, what was dropped, a warning), shown under the table.

It then gets ``summary()`` (title, table, notes as plain text: ``print(result.summary())``),
``__repr__`` (one line: class, title, table size) and ``_repr_html_`` (JupyterLab and nbviewer
show the title in bold, the table with at most :data:`HTML_MAX_ROWS` rows — head and tail, with a
note saying how many are shown —, the notes below). The display shows an index that names the rows
(a named index, or labels other than 0…n−1) as first column(s), every missing value as ``NA``,
numbers right-aligned with the language's decimal mark (:func:`coanalysis.text.format_number`, the
fewest decimals up to :data:`HTML_DECIMALS` that write the column exactly) and text left-aligned,
long lists wrapping between their items; only inline styles, which JupyterLab keeps for untrusted
notebooks too (checked in JupyterLab 4.6 and in nbconvert's lab and classic exports, light and dark
themes, headless Chromium).
A dataclass result is declared with ``@dataclass(repr=False)`` so that it keeps this ``repr``.

This follows statsmodels' results (``.summary()``) and pandas' ``_repr_html_`` protocol, which
IPython calls for rich display.

Examples
--------
>>> import pandas as pd
>>> class Counts(Result):
...     title = "Cas par corpus"
...     notes = ("deux cas sans source",)
...     @property
...     def table(self):
...         return pd.DataFrame({"corpus": ["ost2019", "comparables"], "n": [5, 12]})
>>> Counts()
<Counts: Cas par corpus (2 rows × 2 columns)>
>>> print(Counts().summary())
Cas par corpus
     corpus  n
    ost2019  5
comparables 12
Note: deux cas sans source
>>> "<strong>Cas par corpus</strong>" in Counts()._repr_html_()
True
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd

from .errors import is_missing
from .text import format_number, pick

__all__ = ["Result", "HTML_MAX_ROWS"]

#: Rows shown by the rich display before the table is cut (pandas shows head and tail).
HTML_MAX_ROWS = 20


class Result:
    """Mixin of every results object (see the module docstring)."""

    title: str = ""
    notes: tuple[str, ...] = ()

    @property
    def table(self) -> pd.DataFrame:  # pragma: no cover - every subclass defines it
        raise NotImplementedError(f"{type(self).__name__} must define the table property")

    def _title(self) -> str:
        return str(self.title) or type(self).__name__

    def _notes(self) -> tuple[str, ...]:
        return tuple(str(n) for n in (self.notes or ()) if str(n))

    def summary(self) -> str:
        """The result as plain text: its title, its table (with its index when the index names
        the rows; missing values as ``NA``), its notes."""
        frame = self.table
        text = frame.to_string(index=_shows_index(frame), na_rep="NA")
        lines = [self._title(), text.replace("<NA>", "  NA")]
        lines += [f"Note: {n}" for n in self._notes()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        rows, cols = self.table.shape
        return f"<{type(self).__name__}: {self._title()} ({rows} rows × {cols} columns)>"

    def _repr_html_(self) -> str:
        frame = self.table
        shown, gap = _head_tail(frame, HTML_MAX_ROWS)
        notes = list(self._notes())
        if gap is not None:
            notes.append(pick(f"{len(shown)} lignes sur {len(frame)} affichées (toutes : .table)",
                              f"{len(shown)} of {len(frame)} rows shown (all of them: .table)"))
        items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
        return (f'<div class="coanalysis-result" style="max-width:100%;overflow-x:auto">'
                f'<p style="margin:0 0 0.4em 0"><strong>{html.escape(self._title())}</strong></p>'
                f"{_html_table(shown, _shows_index(frame), gap)}"
                + (f'<ul style="margin:0.3em 0 0 0">{items}</ul>' if items else "") + "</div>")


#: Decimals shown for a non-integral number in the rich display (the table keeps full precision).
HTML_DECIMALS = 3

#: Text longer than this many characters wraps, at ", ; + *" first, in a cell at most 36em wide.
HTML_WRAP_CHARS = 40

_CELL = "padding:0.2em 0.6em;"
_NUMBER = _CELL + "text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap"
_TEXT = _CELL + "text-align:left"


def _shows_index(frame: pd.DataFrame) -> bool:
    """Whether the index carries information (a name, or labels other than 0..n-1)."""
    plain = isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1
    return not plain or any(n is not None for n in frame.index.names)


def _head_tail(frame: pd.DataFrame, max_rows: int) -> tuple[pd.DataFrame, int | None]:
    """At most ``max_rows`` rows: the first and last halves, as pandas shows a long frame, and
    the position of the cut (``None`` when nothing is cut)."""
    if len(frame) <= max_rows:
        return frame, None
    head = max_rows // 2
    return pd.concat([frame.iloc[:head], frame.iloc[-(max_rows - head):]]), head


def _is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _decimals(series: pd.Series) -> int:
    """The fewest decimals, at most :data:`HTML_DECIMALS`, that write every value of the column
    exactly (0 for counts, 2 for fuzzy scores 0.33/0.67), else :data:`HTML_DECIMALS`."""
    values = pd.to_numeric(series, errors="coerce").dropna().to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    for decimals in range(HTML_DECIMALS):
        if np.allclose(values, np.round(values, decimals), rtol=0, atol=1e-9):
            return decimals
    return HTML_DECIMALS


def _number(value, decimals: int) -> str:
    """``value`` with the language's typography; a tiny non-zero value keeps two significant digits."""
    if not is_missing(value) and decimals and value != 0 and math.isfinite(value) \
            and abs(value) < 10 ** -decimals:
        decimals = min(12, 1 - math.floor(math.log10(abs(value))))
    return format_number(value, decimals)


def _text(value) -> str:
    text = "NA" if is_missing(value) else html.escape(str(value))
    if len(text) > HTML_WRAP_CHARS:  # let ids joined by "," wrap between ids, not inside them
        for mark in (",", ";", "+", "*"):
            text = text.replace(mark, mark + "<wbr>")
        return f'<div style="max-width:36em">{text}</div>'
    return text


def _header(name) -> str:
    """A column name that may wrap after its underscores (long slugs make wide tables)."""
    return html.escape(str(name)).replace("_", "_<wbr>")


def _html_table(frame: pd.DataFrame, index: bool, gap: int | None = None) -> str:
    """``frame`` as an HTML table: a meaningful index as first column(s), NA as "NA", numbers right
    aligned in tabular figures with the language's decimal mark, text left aligned and wrapped."""
    body = frame.reset_index() if index else frame
    cols = list(body.columns)
    number = {c: _is_number(body[c]) for c in cols}
    decimals = {c: _decimals(body[c]) for c in cols if number[c]}
    head = "".join(f'<th style="{_CELL}text-align:{"right" if number[c] else "left"};'
                   f'vertical-align:bottom">{_header(c)}</th>' for c in cols)
    rows = []
    for i, values in enumerate(body.itertuples(index=False, name=None)):
        if i == gap:
            rows.append("<tr>" + "".join(f'<td style="{_NUMBER if number[c] else _TEXT}">…</td>'
                                         for c in cols) + "</tr>")
        cells = "".join(f'<td style="{_NUMBER}">{_number(v, decimals[c])}</td>' if number[c]
                        else f'<td style="{_TEXT}">{_text(v)}</td>' for c, v in zip(cols, values))
        rows.append(f"<tr>{cells}</tr>")
    return (f'<table class="dataframe coanalysis-result" border="0" style="margin-left:0;table-layout:auto;width:auto">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
