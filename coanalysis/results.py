"""The one contract of every results object: ``.table``, ``.summary()``, a short ``repr`` and a
compact titled table in JupyterLab.

A results class inherits :class:`Result` and defines:

- ``table`` — a **property** returning a DataFrame (the result as data: export it, test it);
- ``title`` — a short text naming what was computed (a property or a class attribute);
- ``notes`` (optional) — a tuple of short texts the reader must see with the numbers
  (method, what was dropped, a warning), shown under the table.

It then gets ``summary()`` (title, table, notes as plain text: ``print(result.summary())``),
``__repr__`` (one line: class, title, table size) and ``_repr_html_`` (JupyterLab and nbviewer
show the title in bold, the table with at most :data:`HTML_MAX_ROWS` rows, the notes below).
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

import pandas as pd

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
        """The result as plain text: its title, its table, its notes."""
        lines = [self._title(), self.table.to_string(index=False)]
        lines += [f"Note: {n}" for n in self._notes()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        rows, cols = self.table.shape
        return f"<{type(self).__name__}: {self._title()} ({rows} rows × {cols} columns)>"

    def _repr_html_(self) -> str:
        table = self.table.to_html(index=False, max_rows=HTML_MAX_ROWS, border=0,
                                   na_rep="NA", classes="dataframe coanalysis-result")
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self._notes())
        return (f'<div class="coanalysis-result"><p><strong>{html.escape(self._title())}</strong>'
                f"</p>{table}" + (f'<ul style="margin-top:0.3em">{notes}</ul>' if notes else "")
                + "</div>")
