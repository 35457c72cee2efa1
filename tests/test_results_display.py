"""The rich display and the text summary of every results object (coanalysis.results)."""

import pandas as pd
import pytest

from coanalysis.results import HTML_MAX_ROWS, Result


class _Frame(Result):
    title = "Essai"

    def __init__(self, frame, notes=()):
        self._frame, self.notes = frame, notes

    @property
    def table(self):
        return self._frame


def test_named_index_is_shown_and_range_index_is_not():
    terms = pd.DataFrame({"inclS": [0.9, 0.8]}, index=pd.Index(["A*B", "~C"], name="term"))
    page = _Frame(terms)._repr_html_()
    assert ">term</th>" in page and ">A*B</td>" in page and ">~C</td>" in page
    assert "A*B" in _Frame(terms).summary()
    plain = _Frame(pd.DataFrame({"x": [1, 2]}))._repr_html_()
    assert ">index</th>" not in plain and "<th" in plain


def test_every_missing_value_reads_na():
    frame = pd.DataFrame({"n": pd.array([3, None], dtype="Int64"), "x": [0.5, float("nan")],
                          "s": pd.array(["a", None], dtype="string")})
    page = _Frame(frame)._repr_html_()
    assert "&lt;NA&gt;" not in page and "nan" not in page.lower().replace("nan-", "")
    assert page.count(">NA</td>") == 3
    text = _Frame(frame).summary()
    assert "<NA>" not in text and "NaN" not in text and text.count("NA") >= 3


@pytest.mark.parametrize("lang, shown", [("fr", "0,25"), ("en", "0.25")])
def test_numbers_follow_the_language_and_are_written_exactly(monkeypatch, lang, shown):
    monkeypatch.setenv("COANALYSIS_LANG", lang)
    page = _Frame(pd.DataFrame({"share": [0.25, 0.5], "n": [12, 3]}))._repr_html_()
    assert f">{shown}</td>" in page and ">12</td>" in page  # counts without decimals


def test_a_long_table_is_cut_with_a_note_saying_so(monkeypatch):
    monkeypatch.setenv("COANALYSIS_LANG", "en")
    n = HTML_MAX_ROWS + 12
    page = _Frame(pd.DataFrame({"row": range(n)}))._repr_html_()
    assert page.count("<tr>") == 1 + HTML_MAX_ROWS + 1  # header, rows shown, the "…" row
    assert f"{HTML_MAX_ROWS} of {n} rows shown" in page and f">{n - 1}</td>" in page


def test_text_is_escaped_in_title_cells_and_notes():
    page = _Frame(pd.DataFrame({"s": ["<b>x</b>"]}), notes=("a < b",))._repr_html_()
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page and "a &lt; b" in page
