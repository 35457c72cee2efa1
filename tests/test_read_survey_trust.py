"""read_survey never turns a doubtful cell into a plausible value: issue #9 ("Trust on any
machine"). Each test writes the smallest file showing one way a value used to be read silently
wrong (a weight ×1000, rows swallowed by a quote, inf, an uncomputed formula, a hidden sheet,
mojibake) and checks that the loader now raises a DataError naming file, line, column and value
with a fix that works for the whole column, or reads the right value."""

import csv
import io
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from coanalysis.errors import CoanalysisError, DataError, LoadReport, Problem
from coanalysis.codebook import SATISFACTION_4, LikertScale
from coanalysis.loaders import parse_number, read_survey


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def problems(err):
    return {(p.line, p.column): p for p in err.value.problems}


# --------------------------------------------------------------------------- 1. dot in a comma column
WEIGHTS = "id;poids\n1;1,124\n2;0,87\n3;{}\n4;1,05\n"


@pytest.mark.parametrize("cell", ["0.954", "1.310"])
def test_a_point_decimal_in_a_comma_column_is_an_error_not_a_thousand(tmp_path, cell):
    # before: 0.954 -> 954.0 and 1.310 -> 1310.0, with no problem and no note
    p = write(tmp_path, "w.csv", WEIGHTS.format(cell))
    with pytest.raises(DataError) as err:
        read_survey(p, numeric=["poids"])
    (prob,) = err.value.problems
    assert (prob.file, prob.line, prob.column, prob.found) == (str(p), 4, "poids", cell)
    # the other cells use the decimal comma: decimal='.' would break them
    assert "decimal='.'" not in prob.hint
    assert repr(cell.replace(".", ",")) in prob.hint


def test_the_ambiguous_group_names_both_readings(tmp_path):
    p = write(tmp_path, "w.csv", WEIGHTS.format("1.310"))
    with pytest.raises(DataError) as err:
        read_survey(p, numeric=["poids"])
    hint = err.value.problems[0].hint
    assert "'1310'" in hint and "'1,310'" in hint and "ambiguous" in hint


def test_dot_grouping_is_read_where_the_column_shows_it(tmp_path):
    # "1.234.567" and "2.500,5" can only be dot-grouped thousands: the column settles "1.310"
    p = write(tmp_path, "g.csv", "id;montant\n1;1.234.567\n2;1.310\n3;2.500,5\n4;980\n")
    data, _ = read_survey(p, numeric=["montant"])
    assert data["montant"].tolist() == [1234567.0, 1310.0, 2500.5, 980.0]


def test_dot_grouping_is_not_settled_when_a_cell_uses_the_dot_as_decimal(tmp_path):
    p = write(tmp_path, "g.csv", "id;montant\n1;1.234.567\n2;1.310\n3;0.5\n")
    with pytest.raises(DataError) as err:
        read_survey(p, numeric=["montant"])
    assert sorted(problems(err)) == [(3, "montant"), (4, "montant")]


def test_decimal_point_is_suggested_only_when_it_works_for_every_numeric_column(tmp_path):
    # every weight written with a point: decimal='.' reads the whole column (and the file)
    p = write(tmp_path, "p.csv", "id;poids\n1;0.954\n2;1.5\n")
    with pytest.raises(DataError) as err:
        read_survey(p, numeric=["poids"])
    assert all("decimal='.'" in pr.hint for pr in err.value.problems)
    # another numeric column written with commas: decimal='.' would break it
    p = write(tmp_path, "q.csv", "id;poids;revenu\n1;0.954;1234,5\n2;1.5;12,5\n")
    with pytest.raises(DataError) as err:
        read_survey(p, numeric=["poids", "revenu"])
    hints = {pr.found: pr.hint for pr in err.value.problems}
    assert set(hints) == {"0.954", "1.5"}
    assert "'0,954'" in hints["0.954"] and "decimal='.'" not in hints["0.954"]


def test_the_same_rule_holds_for_a_comma_in_a_point_column(tmp_path):
    p = write(tmp_path, "c.csv", 'id,poids\n1,1.124\n2,"0,954"\n3,"1,310"\n')
    with pytest.raises(DataError) as err:
        read_survey(p, numeric=["poids"])
    assert {pr.found for pr in err.value.problems} == {"0,954", "1,310"}
    assert all("decimal=','" not in pr.hint for pr in err.value.problems)


def test_parse_number_alone_refuses_an_ambiguous_group():
    for cell, dec in [("0.954", ","), ("1.310", ","), ("0,954", "."), ("1,310", ".")]:
        with pytest.raises(ValueError):
            parse_number(cell, dec)
    assert parse_number("1.310", ",", grouped=True) == 1310.0
    assert parse_number("1,310", ".", grouped=True) == 1310.0
    assert parse_number("1.234.567", ",") == 1234567.0 and parse_number("1.234,5", ",") == 1234.5
    with pytest.raises(ValueError):  # a leading zero never starts a group of thousands
        parse_number("0.954", ",", grouped=True)


def test_an_xlsx_text_cell_follows_the_same_rule(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in (["id", "poids"], [1, 1.124], [2, "0,87"], [3, "1.310"]):
        ws.append(row)
    p = tmp_path / "w.xlsx"
    wb.save(p)
    with pytest.raises(DataError) as err:
        read_survey(p, numeric=["poids"])
    assert list(problems(err)) == [(4, "poids")]


# --------------------------------------------------------------------------- 2. runaway quotes
def test_an_unclosed_quote_in_the_last_column_names_the_line_where_it_opened(tmp_path):
    # before: rows 3 and 4 became the text of line 2's comment; read 1, kept 1
    text = "id;q;commentaire\n1;4;\"tres bien\n2;3;ok\n3;2;rien\n"
    p = write(tmp_path, "u.csv", text)
    with pytest.raises(DataError) as err:
        read_survey(p, scales={"q": SATISFACTION_4})
    (prob,) = err.value.problems
    assert (prob.line, prob.column) == (2, "commentaire")
    assert "line 2" in prob.hint and "end of the file" in prob.hint


def test_an_unclosed_quote_on_the_last_line_is_an_error(tmp_path):
    p = write(tmp_path, "u.csv", "id;note\n1;a\n2;\"b\n")
    with pytest.raises(DataError) as err:
        read_survey(p)
    assert [(pr.line, pr.column) for pr in err.value.problems] == [(3, "note")]


def test_a_quoted_field_running_over_many_lines_is_an_error(tmp_path):
    # the quote of line 2 closes only at a quote 12 lines down: ten responses swallowed
    body = "".join(f"{i};3;ok\n" for i in range(2, 12))
    text = "id;q;note\n1;4;\"debut\n" + body + "12;2;\"fin\"\n13;1;x\n"
    p = write(tmp_path, "m.csv", text)
    with pytest.raises(DataError) as err:
        read_survey(p)
    (prob,) = err.value.problems
    assert (prob.line, prob.column) == (2, "note") and "max_field_lines=" in prob.hint
    assert "line 13" in prob.hint  # where the quote closes
    data, report = read_survey(p, max_field_lines=20)  # a long answer really meant
    assert report.rows_read == 2 and report.lines_read == 13


def test_quoted_line_breaks_are_accounted_for_against_the_physical_lines(tmp_path):
    text = 'id;note\n1;"deux\nlignes"\n2;"trois\nlignes\nici"\n3;x\n'
    p = write(tmp_path, "l.csv", text)
    data, report = read_survey(p)
    assert data["note"].tolist() == ["deux\nlignes", "trois\nlignes\nici", "x"]
    assert (report.rows_read, report.lines_read) == (3, 6)  # 7 physical lines, header 1
    assert report.spans[["line", "last_line"]].values.tolist() == [[2, 3], [4, 6]]
    assert "lines 4-6" in report.summary()


def test_the_report_refuses_lines_that_are_not_accounted_for():
    with pytest.raises(CoanalysisError, match="lines"):
        LoadReport("f.csv", 2, 2, lines_read=5,
                   spans=pd.DataFrame({"line": [2], "last_line": [3]}))


# --------------------------------------------------------------------------- 3. inf / nan
@pytest.mark.parametrize("cell", ["1e400", "-1e400", "1" + "0" * 400, "inf", "-Infinity", "NaN",
                                  "nan"])
def test_out_of_range_and_non_finite_numbers_are_errors(tmp_path, cell):
    # before: 1e400 and the 401-digit number were read as inf
    p = write(tmp_path, "i.csv", f"id;x\n1;2,5\n2;{cell}\n")
    with pytest.raises(DataError) as err:
        read_survey(p, numeric=["x"])
    (prob,) = err.value.problems
    assert (prob.line, prob.column, prob.found) == (3, "x", cell)
    assert "remove units" not in prob.hint and prob.hint
    with pytest.raises(ValueError):
        parse_number(cell, ",")


def test_an_infinite_spss_value_is_an_error(tmp_path):
    import pyreadstat
    p = tmp_path / "i.sav"
    pyreadstat.write_sav(pd.DataFrame({"id": [1.0, 2.0], "age": [34.0, np.inf]}), str(p))
    with pytest.raises(DataError) as err:
        read_survey(p, ranges={"age": (16, 99)})  # before: inf slipped past the range check
    assert [(pr.line, pr.column) for pr in err.value.problems] == [(2, "age")]


# --------------------------------------------------------------------------- 4. formulas
def _formula_book(path, cached=None):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Feuil1"
    ws.append(["id", "base", "poids"])
    for i in range(2, 8):
        ws.append([i - 1, 1.0 + i / 10, 1.2 if i != 7 else f"=B{i}*1.1"])
    wb.save(path)
    if cached is not None:  # what Excel or LibreOffice write: the formula and its value
        with zipfile.ZipFile(path) as z:
            files = {n: z.read(n) for n in z.namelist()}
        name = "xl/worksheets/sheet1.xml"
        files[name] = files[name].replace(b"<v />", f"<v>{cached}</v>".encode())
        with zipfile.ZipFile(path, "w") as z:
            for n, b in files.items():
                z.writestr(n, b)
    return path


def test_a_formula_without_its_computed_value_is_an_error_naming_sheet_and_cell(tmp_path):
    p = _formula_book(tmp_path / "f.xlsx")
    with pytest.raises(DataError) as err:  # before: an empty (NaN) weight
        read_survey(p, numeric=["poids"])
    (prob,) = err.value.problems
    assert (prob.line, prob.column) == (7, "poids") and "Feuil1!C7" in str(err.value)
    assert "LibreOffice" in prob.hint and "values" in prob.hint


def test_a_formula_with_its_computed_value_is_read(tmp_path):
    p = _formula_book(tmp_path / "f.xlsx", cached=1.98)
    data, _ = read_survey(p, numeric=["poids"])
    assert data["poids"].tolist()[-1] == 1.98


# --------------------------------------------------------------------------- 5. hidden sheets
def _book(path, sheets):
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for title, state, rows in sheets:
        ws = wb.create_sheet(title)
        ws.sheet_state = state
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


RESPONSES = [["id", "q"], [1, 4], [2, 3]]
CACHE = [["id", "q"], [1, 1]]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_not_read_by_default(tmp_path, state):
    p = _book(tmp_path / "h.xlsx", [("calc", state, CACHE), ("Réponses", "visible", RESPONSES)])
    data, report = read_survey(p, scales={"q": SATISFACTION_4})
    assert data["q"].tolist() == [4, 3] and report.sheet == "Réponses"
    data, report = read_survey(p, sheet="calc")  # named: read, and said so
    assert report.sheet == "calc" and any("hidden" in n for n in report.notes)


def test_several_visible_sheets_the_report_says_which_was_read(tmp_path):
    p = _book(tmp_path / "v.xlsx", [("Réponses", "visible", RESPONSES),
                                    ("Notes", "visible", [["texte"], ["x"]])])
    _, report = read_survey(p)
    assert report.sheet == "Réponses"
    assert "'Réponses'" in report.summary() and "'Notes'" in report.summary()


def test_an_unknown_sheet_lists_the_sheets(tmp_path):
    p = _book(tmp_path / "v.xlsx", [("Réponses", "visible", RESPONSES)])
    for sheet in ("Feuil1", 3):
        with pytest.raises(DataError) as err:
            read_survey(p, sheet=sheet)
        assert "'Réponses'" in err.value.problems[0].hint


# --------------------------------------------------------------------------- 6. mixed encodings
def test_cp1252_lines_in_a_utf8_file_are_named_not_decoded_as_mojibake(tmp_path):
    raw = ("id;commune\n1;Saint-Étienne\n2;Chambéry\n".encode("utf-8")
           + "3;Évian\n".encode("cp1252") + "4;Aix\n".encode() + "5;Moûtiers\n".encode("cp1252"))
    p = write(tmp_path, "m.csv", raw)
    with pytest.raises(DataError) as err:  # before: read as cp1252, 'Saint-Ã‰tienne'
        read_survey(p)
    assert [pr.line for pr in err.value.problems] == [4, 6]
    hint = err.value.problems[0].hint
    assert "UTF-8" in hint and "encoding=" in hint


def test_a_pure_cp1252_file_is_still_detected(tmp_path):
    p = write(tmp_path, "c.csv", "id;commune\n1;Évian\n2;Moûtiers – 12 €\n", "cp1252")
    data, report = read_survey(p)
    assert data["commune"].tolist() == ["Évian", "Moûtiers – 12 €"]
    assert "encoding: cp1252" in report.notes


# --------------------------------------------------------------------------- 7. plain numbers
def test_messages_print_plain_numbers(tmp_path):
    scale = LikertScale("s", ((1, "non", "no"), (2, "oui", "yes")), {np.int64(9): "sans_reponse"})
    p = write(tmp_path, "n.csv", "id;q;x\n1;7;5\n")
    with pytest.raises(DataError) as err:
        read_survey(p, scales={"q": scale}, ranges={"x": (np.float64(0.5), np.float64(2.5))})
    text = str(err.value)
    assert "np." not in text and "9 (sans_reponse)" in text
    shown = str(Problem("f.csv", 2, "x", np.float64(-1.5), "a number"))
    assert shown == "f.csv, line 2, column 'x': found -1.5, expected a number"


def test_a_formula_computing_an_empty_text_is_no_error(tmp_path):
    # Excel and LibreOffice store =IF(...;"";...) as t="str" with an empty value: computed
    p = _formula_book(tmp_path / "f.xlsx")
    with zipfile.ZipFile(p) as z:
        files = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    files[name] = files[name].replace(b'<c r="C7"><f>B7*1.1</f><v />',
                                      b'<c r="C7" t="str"><f>B7*1.1</f><v></v>')
    with zipfile.ZipFile(p, "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
    data, _ = read_survey(p, numeric=["poids"])
    assert np.isnan(data["poids"].iloc[-1])


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.sampled_from(["a", "", "b c", "x;y", 'dit "oui"', "l1\nl2",
                                               "l1\r\nl2\nl3", "\n"]), min_size=2, max_size=2),
                     min_size=1, max_size=12))
def test_rows_and_physical_lines_are_both_accounted_for(tmp_path, rows):
    """Any file written by the csv module (quotes doubled, line breaks quoted): every row is
    read, and the physical lines after the header are the rows plus the extra lines of the
    rows holding line breaks, counted here on the written text."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(["id", "note"])
    writer.writerows([["r" + str(i), *r] for i, r in enumerate(rows)])
    text = buf.getvalue()
    p = write(tmp_path, "a.csv", text.replace("id;note", "id;note;autre"))
    _, report = read_survey(p)
    physical = text.count("\n") + text.count("\r") - text.count("\r\n")
    extra = [sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in r) for r in rows]
    assert report.rows_read == report.rows_kept == len(rows)
    assert report.lines_read == physical - 1 == len(rows) + sum(extra)
    assert len(report.spans) == sum(e > 0 for e in extra)
