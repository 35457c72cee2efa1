"""coanalysis.tables: estimate tables written to XLSX, ODS and French CSV, read back.

Every file is read back by another program than the writer (openpyxl, pandas with odfpy, the raw
ODS XML, pandas.read_csv) and checked for: numbers that are numbers, equal to the results they
come from; the cell formats (XLSX format codes, ODS data styles); the title, source and note rows;
text cells neutralised against formula injection; bad input refused with a clear message.
"""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coanalysis import qca
from coanalysis.spreadsheet import restore_text, stable_number
from coanalysis.survey import Design, likert_shares, ordinal_regression, users_agents_gap
from coanalysis.tables import TABLE_DIGITS, TableSpec, column_formats, excel_format, write_tables

try:
    import odf  # noqa: F401
except ImportError:  # pragma: no cover - odfpy is a dependency; an old venv may lack it
    HAS_ODF = False
else:
    HAS_ODF = True
needs_odf = pytest.mark.skipif(not HAS_ODF, reason="ODS tables need odfpy (a dependency of coanalysis)")

NNBSP = "\u202f"
FR_PERCENT_1 = '[$-40C]0.0"\u202f"%'
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}
# Numbers are written at TABLE_DIGITS (10) significant digits: read back, a value differs from
# the computed one by at most half a unit of the 10th digit, i.e. 5e-10 relative.
REL_WRITTEN = 5e-10


def _q(ns_key: str, name: str) -> str:
    return f"{{{NS[ns_key]}}}{name}"


@pytest.fixture(scope="module")
def design():
    rng = np.random.default_rng(20231)
    n = 240
    likert = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    data = pd.DataFrame({
        "population": rng.choice(["usagers", "agents"], n),
        "svc_eau": pd.Series(rng.integers(1, 5, n)).astype(likert),
        "svc_sport": pd.Series(rng.integers(1, 5, n)).astype(likert),
        "age": rng.choice(["- de 25 ans", "25 ans et +", "=HYPERLINK(\"http://x\")"], n),
        "poids": rng.uniform(0.5, 2.0, n),
    })
    return Design(data, weights="poids")


@pytest.fixture(scope="module")
def gap(design):
    return users_agents_gap(design, ["svc_eau", "svc_sport"])


@pytest.fixture(scope="module")
def shares(design):
    # weighted and unweighted n side by side: the domains' sums of weights joined to the shares
    by = design.by("population")
    table = by.share("svc_eau").reset_index()
    return table.merge(by.table.rename(columns={"weight": "n_weighted", "n": "n_domain"}),
                       on="population")


def _sheet_rows(sheet):
    return [[c.value for c in row] for row in sheet.iter_rows()]


# --------------------------------------------------------------------------- inference
def test_formats_follow_the_column_names_and_the_kind_of_estimate(gap, design):
    # group_gap says its statistic is a satisfaction rate: the estimates are shares
    formats = column_formats(gap)
    assert {formats[c] for c in ("users", "agents", "gap", "se", "ci_low", "ci_high")} == {"percent:1"}
    assert formats["n_users"] == formats["n_agents"] == "integer"
    assert formats["p_value"] == formats["t"] == "number:3"
    # a mean is not a share, its interval neither
    mean = design.mean("poids").table
    assert column_formats(mean)["estimate"] == column_formats(mean)["ci_low"] == "number:3"
    assert column_formats(mean)["level"] == "percent:0"
    # a proportion interval method (logit) makes a share table
    assert column_formats(design.share("svc_eau").reset_index())["estimate"] == "percent:1"


def test_interval_follows_its_estimate_and_weighted_n_the_unweighted_one():
    t = pd.DataFrame({"item": ["a"], "n": [3], "estimate": [0.5], "weight": [2.5], "note": ["x"],
                      "ci_low": [0.1], "ci_high": [0.9]})
    assert list(TableSpec(t).frame.columns) == ["item", "n", "weight", "estimate", "ci_low",
                                                "ci_high", "note"]


# --------------------------------------------------------------------------- XLSX
def test_xlsx_numbers_formats_words_and_layout(tmp_path, gap, shares):
    path = tmp_path / "barometre.xlsx"
    spec = TableSpec(shares, title="Satisfaction eau, par population", notes=("données simulées",))
    write_tables({"Écart usagers-agents": gap, "Eau": spec}, path, lang="fr",
                 source="Baromètre 2023")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Écart usagers-agents", "Eau"]

    sheet = book["Écart usagers-agents"]
    rows = _sheet_rows(sheet)
    assert rows[0][0] == "Écart usagers-agents" and rows[1] == [None] * len(rows[1])
    headers = rows[2]
    assert headers[:4] == ["Question", "Usagers", "Agents", "Écart"]
    assert headers[5:7] == [f"IC 95{NNBSP}% bas", f"IC 95{NNBSP}% haut"]
    body = pd.DataFrame(rows[3:3 + len(gap)], columns=headers)
    np.testing.assert_allclose(body["Usagers"].to_numpy(float), gap["users"], rtol=REL_WRITTEN)
    np.testing.assert_allclose(body[f"IC 95{NNBSP}% haut"].to_numpy(float), gap["ci_high"],
                               rtol=REL_WRITTEN)
    assert body["n usagers (non pondéré)"].tolist() == gap["n_users"].tolist()
    # numbers are number cells with a percent / integer format, never text
    share_cell, n_cell = sheet.cell(4, 2), sheet.cell(4, headers.index("n usagers (non pondéré)") + 1)
    assert share_cell.data_type == "n" and isinstance(share_cell.value, float)
    assert share_cell.number_format == FR_PERCENT_1
    assert n_cell.data_type == "n" and n_cell.number_format == "[$-40C]#,##0"
    assert sheet.cell(4, headers.index("Valeur p") + 1).number_format == "[$-40C]#,##0.000"
    # source row after one blank row, then the notes
    assert rows[3 + len(gap)] == [None] * len(headers)
    assert rows[4 + len(gap)][0] == "Source\u00a0: Baromètre 2023"
    assert sheet.freeze_panes == "A4"

    eau = book["Eau"]
    rows = _sheet_rows(eau)
    assert rows[0][0] == "Satisfaction eau, par population"
    assert [r[0] for r in rows[-2:]] == ["Source\u00a0: Baromètre 2023", "Note\u00a0: données simulées"]
    headers = rows[2]
    # the interval after the share, in that order
    assert headers.index("Part") < headers.index(f"IC 95{NNBSP}% bas") < headers.index(f"IC 95{NNBSP}% haut")
    # weighted n right after the unweighted n, never printed as n
    assert headers.index("n pondéré") == headers.index("n (non pondéré)") + 1
    assert eau.cell(4, headers.index("n pondéré") + 1).number_format == "[$-40C]#,##0.0"
    np.testing.assert_allclose([r[headers.index("n pondéré")] for r in rows[3:3 + len(shares)]],
                               shares["n_weighted"], rtol=REL_WRITTEN)


def test_xlsx_column_widths_hold_their_header_and_cells(tmp_path, gap):
    path = tmp_path / "t.xlsx"
    write_tables(gap, path, lang="fr")
    sheet = openpyxl.load_workbook(path).active
    for j, header in enumerate(_sheet_rows(sheet)[2], start=1):
        width = sheet.column_dimensions[openpyxl.utils.get_column_letter(j)].width
        assert len(header) < width <= 60, header


def test_xlsx_english_formats_carry_no_locale_tag(tmp_path, gap):
    path = tmp_path / "t.xlsx"
    write_tables(gap, path, lang="en")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(3, 2).value == "Users" and sheet.cell(3, 6).value == "95% CI low"
    assert sheet.cell(4, 2).number_format == "0.0%"
    assert excel_format("number:2", "en") == "#,##0.00"


@needs_odf
def test_formula_looking_text_is_neutralised_everywhere(tmp_path, design):
    table = likert_shares(design, "svc_eau", by="age")
    evil_title = "=cmd|' /C calc'!A0"
    spec = TableSpec(table, title=evil_title, notes=("+33 1 23 45 67 89",),
                     labels={"item": "@SUM(A1)"})
    path = tmp_path / "t.xlsx"
    write_tables(spec, path, lang="fr", source="-2+3")
    sheet = openpyxl.load_workbook(path).active
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
    assert not any(c.value[0] in "=+-@" for c in texts)
    values = {c.value for c in texts}
    assert "'" + evil_title in values and "'@SUM(A1)" in values
    assert "'- de 25 ans" in values and "'=HYPERLINK(\"http://x\")" in values
    assert restore_text("'=HYPERLINK(\"http://x\")") == "=HYPERLINK(\"http://x\")"
    # the rows under the table start with their word, so they cannot run
    assert "Source\u00a0: -2+3" in values and "Note\u00a0: +33 1 23 45 67 89" in values

    ods = tmp_path / "t.ods"
    write_tables(spec, ods, lang="fr")
    back = pd.read_excel(ods, engine="odf", header=None)
    cells = [v for v in back.to_numpy().ravel() if isinstance(v, str)]
    assert not any(v[0] in "=+-@" for v in cells) and "'" + evil_title in cells


def test_results_objects_give_title_and_notes(tmp_path, design):
    ordinal = ordinal_regression(design.data, "svc_eau", ["population"], design=design)
    tt = qca.truth_table(pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]},
                                      dtype=float), outcome="Y", conditions=["A", "B"])
    solution = qca.minimize(tt)
    path = tmp_path / "models.xlsx"
    write_tables([ordinal, solution], path, lang="en")
    book = openpyxl.load_workbook(path)
    first, second = (book[name] for name in book.sheetnames)
    rows = _sheet_rows(first)
    assert rows[0][0] == ordinal.title
    assert [r[0] for r in rows[-len(ordinal.notes):]] == [f"Note: {n}" for n in ordinal.notes]
    headers = rows[2]
    assert headers[:2] == ["Term", "Coefficient"]
    np.testing.assert_allclose(rows[3][1], ordinal.table["coef"].iloc[0], rtol=REL_WRITTEN)
    assert first.cell(4, 2).number_format == "#,##0.000"
    rows = _sheet_rows(second)
    assert rows[0][0] == solution.title
    headers = rows[2]
    consistency = headers.index("consistency")
    np.testing.assert_allclose(rows[3][consistency], solution.fit_table["consistency"].iloc[0],
                               rtol=REL_WRITTEN)


def test_infinite_and_boolean_cells(tmp_path):
    t = pd.DataFrame({"statistic": ["mean"], "estimate": [1.5], "df": [np.inf], "ok": [True]})
    path = tmp_path / "t.xlsx"
    write_tables(t, path, lang="fr")
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[4]] == ["mean", 1.5, "∞", "oui"]
    csv = write_tables(t, tmp_path / "t.csv", lang="fr")[0]
    back = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Degrés de liberté"].iloc[0] == np.inf


# --------------------------------------------------------------------------- ODS
def _ods_xml(path):
    with zipfile.ZipFile(path) as archive:
        return (ElementTree.fromstring(archive.read("content.xml")),
                ElementTree.fromstring(archive.read("settings.xml")))


@needs_odf
def test_ods_values_read_back_with_pandas(tmp_path, gap):
    path = tmp_path / "t.ods"
    write_tables({"gap": gap}, path, lang="fr", source="Baromètre 2023")
    back = pd.read_excel(path, engine="odf", sheet_name="gap", header=2, nrows=len(gap))
    np.testing.assert_allclose(back["Écart"], gap["gap"], rtol=REL_WRITTEN)
    np.testing.assert_allclose(back[f"IC 95{NNBSP}% bas"], gap["ci_low"], rtol=REL_WRITTEN)
    assert back["n agents (non pondéré)"].tolist() == gap["n_agents"].tolist()
    assert back["Question"].tolist() == gap["item"].tolist()
    whole = pd.read_excel(path, engine="odf", sheet_name="gap", header=None)
    assert whole.iloc[0, 0] == "gap" and whole.iloc[-1, 0] == "Source\u00a0: Baromètre 2023"


@needs_odf
def test_ods_cells_are_typed_and_styled_in_french(tmp_path, gap):
    path = tmp_path / "t.ods"
    write_tables({"gap": gap}, path, lang="fr")
    content, settings = _ods_xml(path)
    styles = {s.get(_q("style", "name")): s.get(_q("style", "data-style-name"))
              for s in content.iter(_q("style", "style"))}
    data_styles = {s.get(_q("style", "name")): s for tag in ("number-style", "percentage-style")
                   for s in content.iter(_q("number", tag))}
    rows = list(content.iter(_q("table", "table-row")))
    header = [c.findtext(_q("text", "p")) for c in rows[2]]
    first = list(rows[3])

    share = first[header.index("Usagers")]
    assert share.get(_q("office", "value-type")) == "percentage"
    assert float(share.get(_q("office", "value"))) == pytest.approx(gap["users"].iloc[0], rel=REL_WRITTEN)
    style = data_styles[styles[share.get(_q("table", "style-name"))]]
    assert style.tag == _q("number", "percentage-style")
    assert (style.get(_q("number", "language")), style.get(_q("number", "country"))) == ("fr", "FR")
    number = style.find(_q("number", "number"))
    assert number.get(_q("number", "decimal-places")) == "1"
    assert style.findtext(_q("number", "text")) == f"{NNBSP}%"
    # the cached display text uses the decimal comma
    assert re.fullmatch(rf"−?\d+,\d{NNBSP}%", share.findtext(_q("text", "p")))

    n = first[header.index("n usagers (non pondéré)")]
    assert n.get(_q("office", "value-type")) == "float"
    assert int(n.get(_q("office", "value"))) == gap["n_users"].iloc[0]
    style = data_styles[styles[n.get(_q("table", "style-name"))]]
    assert style.tag == _q("number", "number-style")
    assert style.find(_q("number", "number")).get(_q("number", "decimal-places")) == "0"
    assert style.find(_q("number", "number")).get(_q("number", "grouping")) == "true"

    # the rows down to the header are frozen (LibreOffice view settings)
    items = {i.get(_q("config", "name")): i.text for i in settings.iter(_q("config", "config-item"))}
    assert items["VerticalSplitMode"] == "2" and items["VerticalSplitPosition"] == "3"


@needs_odf
def test_ods_english_styles_follow_the_reader(tmp_path, gap):
    path = tmp_path / "t.ods"
    write_tables(gap, path, lang="en")
    content, _ = _ods_xml(path)
    styles = list(content.iter(_q("number", "percentage-style")))
    assert styles and all(s.get(_q("number", "language")) is None for s in styles)
    assert styles[0].findtext(_q("number", "text")) == "%"


# --------------------------------------------------------------------------- CSV
def test_french_csv_reads_back_to_the_digits_written(tmp_path, gap, shares):
    written = write_tables({"gap": gap, "eau": shares}, tmp_path / "b.csv", lang="fr")
    assert [p.name for p in written] == ["b-gap.csv", "b-eau.csv"]
    raw = written[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
    # exact equality: pandas 3 parses decimals correctly rounded, so the text written gives back
    # the double nearest to the 10-digit decimal, which is float(stable_number(...))
    back = pd.read_csv(written[0], sep=";", decimal=",", encoding="utf-8-sig")
    expected = [float(stable_number(v, TABLE_DIGITS)) for v in gap["ci_low"]]
    assert back[f"IC 95{NNBSP}% bas"].tolist() == expected
    assert back["n usagers (non pondéré)"].tolist() == gap["n_users"].tolist()
    single = write_tables(gap, tmp_path / "one.csv", lang="fr")
    assert [p.name for p in single] == ["one.csv"]


# --------------------------------------------------------------------------- bad input
def test_unknown_format_or_suffix_is_refused(tmp_path, gap):
    with pytest.raises(ValueError, match=r"format must be one of 'xlsx', 'ods', 'csv'.*got 'xls'"):
        write_tables(gap, tmp_path / "t.xls", format="xls")
    with pytest.raises(ValueError, match=r"cannot tell the format of .*'\.xls'.*\.xlsx, \.ods or \.csv"):
        write_tables(gap, tmp_path / "t.xls")


def test_a_format_for_a_missing_column_is_refused(gap):
    with pytest.raises(ValueError, match=r"formats name columns the table does not have: \['share'\]"):
        TableSpec(gap, formats={"share": "percent:1"})
    with pytest.raises(ValueError, match=r"labels name columns the table does not have: \['x'\]"):
        TableSpec(gap, labels={"x": "X"})
    with pytest.raises(ValueError, match=r"format 'percent' of column 'gap': expected 'percent:d'"):
        TableSpec(gap, formats={"gap": "percent"})


def test_other_bad_input_is_refused(tmp_path, gap):
    with pytest.raises(TypeError, match="results object or a DataFrame, got dict"):
        TableSpec({"a": 1})
    with pytest.raises(ValueError, match="no table to write"):
        write_tables([], tmp_path / "t.xlsx")
    with pytest.raises(ValueError, match=r"control character '\\x07'"):
        write_tables(pd.DataFrame({"a": ["bell\x07"]}), tmp_path / "t.xlsx")
    wide = pd.DataFrame({("a", "b"): [1]})
    with pytest.raises(ValueError, match="MultiIndex columns"):
        write_tables(wide, tmp_path / "t.xlsx")


def test_caller_formats_override_and_sheet_names_are_valid(tmp_path, gap):
    spec = TableSpec(gap, formats={"gap": "number:2"}, name="Écart: usagers/agents [2023] et bien plus encore")
    path = tmp_path / "t.xlsx"
    write_tables([spec, gap, gap], path, lang="fr")
    book = openpyxl.load_workbook(path)
    names = book.sheetnames
    assert names[0] == "Écart- usagers-agents -2023- et"[:31] and all(len(n) <= 31 for n in names)
    assert len(set(names)) == 3
    assert book[names[0]].cell(4, 4).number_format == "[$-40C]#,##0.00"


# --------------------------------------------------------------------------- same bytes
@pytest.mark.parametrize("suffix", ["xlsx", pytest.param("ods", marks=needs_odf)])
def test_the_same_tables_give_the_same_bytes(tmp_path, gap, suffix):
    # openpyxl stamps the creation time, both writers stamp the zip entries, and odfpy declares
    # the namespaces of every document the process wrote before: write, write something else
    # (another table set, and pandas' own ODS), wait past the zip's 2-second time step, write again
    import time

    first = tmp_path / f"a.{suffix}"
    write_tables({"gap": gap}, first, lang="fr")
    write_tables({"autre": pd.DataFrame({"x": [True]}), "b": gap}, tmp_path / f"other.{suffix}")
    if HAS_ODF:
        pd.DataFrame({"x": [1.5]}).to_excel(tmp_path / "pandas.ods", engine="odf")
    time.sleep(2.1)
    second = tmp_path / f"b.{suffix}"
    write_tables({"gap": gap}, second, lang="fr")
    assert first.read_bytes() == second.read_bytes()
    # every XML part still parses (no namespace prefix left undeclared)
    with zipfile.ZipFile(second) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                ElementTree.fromstring(archive.read(name))
        if suffix == "ods":
            assert archive.namelist()[0] == "mimetype"
            assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED


# --------------------------------------------------------------------------- any number
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)


@needs_odf
@settings(max_examples=25, deadline=None)
@given(values=st.lists(finite, min_size=1, max_size=6))
def test_any_float_reads_back_as_the_decimal_written_in_every_format(tmp_path_factory, values):
    # each format holds the decimal written (10 significant digits, or 0 for a residue below
    # 1e-12 of the column's largest magnitude, the CSV writer's rule) and gives back the double
    # nearest to it: exact equality, no tolerance
    folder = tmp_path_factory.mktemp("floats")
    frame = pd.DataFrame({"x": values})
    big = max(abs(v) for v in values)
    expected = [float(stable_number(0.0 if abs(v) < big * 1e-12 else v, TABLE_DIGITS)) for v in values]
    write_tables({"t": TableSpec(frame, formats={"x": "number:2"})}, folder / "t.xlsx")
    sheet = openpyxl.load_workbook(folder / "t.xlsx")["t"]
    assert [float(sheet.cell(4 + i, 1).value) for i in range(len(values))] == expected
    write_tables({"t": TableSpec(frame, formats={"x": "percent:1"})}, folder / "t.ods")
    back = pd.read_excel(folder / "t.ods", engine="odf", header=2, nrows=len(values))
    assert back.iloc[:, 0].astype(float).tolist() == expected
    write_tables(frame, folder / "t.csv", lang="fr")
    back = pd.read_csv(folder / "t.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert back["x"].astype(float).tolist() == expected
