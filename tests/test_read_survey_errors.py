"""read_survey's error messages point at the real cause and say how to fix it (review findings
9-14): UTF-16 files, wrong separator, wrong decimal mark, unnamed trailing columns, empty files,
original cell text in range errors."""

import pytest

from coanalysis.errors import DataError
from coanalysis.codebook import SATISFACTION_4
from coanalysis.loaders import read_survey

TEXT = "id;q1;age\n1;Très satisfait;34\n2;NSP;51\n"


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_file_is_named_as_such(tmp_path, encoding):
    # "utf-16" writes a byte-order mark (FF FE); -be/-le write none but hold NUL bytes
    p = write(tmp_path, "u.csv", TEXT.encode(encoding))
    with pytest.raises(DataError) as e:
        read_survey(p, scales={"q1": SATISFACTION_4}, numeric=["age"])
    (prob,) = e.value.problems
    assert "UTF-16" in prob.hint and "encoding='utf-16" in prob.hint and prob.column is None
    assert "missing" not in str(e.value) and "a column named" not in str(e.value)


def test_utf16_file_read_as_utf8_is_named_too(tmp_path):
    p = write(tmp_path, "u.csv", TEXT.encode("utf-16-le"))  # NUL bytes decode as valid UTF-8
    with pytest.raises(DataError, match="UTF-16"):
        read_survey(p, encoding="utf-8", numeric=["age"])


def test_unnamed_columns_inside_the_header_ask_for_a_name(tmp_path):
    p = write(tmp_path, "n.csv", b"id;;q1;;x\n1;a;4;b;c\n")
    with pytest.raises(DataError) as e:
        read_survey(p)
    assert e.value.problems[0].hint == "give every column a name"


def test_utf16_file_reads_with_the_suggested_encoding(tmp_path):
    p = write(tmp_path, "u.csv", TEXT.encode("utf-16"))
    data, _ = read_survey(p, scales={"q1": SATISFACTION_4}, numeric=["age"], encoding="utf-16")
    assert data["age"].tolist() == [34.0, 51.0] and data["q1"].iloc[0] == 4


def test_wrong_separator_suggests_the_one_in_the_header(tmp_path):
    p = write(tmp_path, "s.csv", TEXT.encode())
    with pytest.raises(DataError) as e:
        read_survey(p, sep=",", scales={"q1": SATISFACTION_4}, numeric=["age"])
    (prob,) = e.value.problems  # one problem for the header, not one per declared column
    assert prob.line == 1 and prob.found == "id;q1;age" and "sep=';'" in prob.hint
    p = write(tmp_path, "t.csv", TEXT.replace(";", "\t").encode())
    with pytest.raises(DataError, match=r"sep='\\t'"):
        read_survey(p, sep=";")


def test_decimal_point_in_a_semicolon_file_suggests_decimal(tmp_path):
    p = write(tmp_path, "d.csv", b"id;age;ville\n1;34.5;Voiron\n2;12 kg;Rives\n")
    with pytest.raises(DataError) as e:
        read_survey(p, numeric=["age"])
    probs = {pr.line: pr for pr in e.value.problems}
    assert "decimal='.'" in probs[2].hint and "units" not in probs[2].hint
    assert "units" in probs[3].hint  # text that is no number either way keeps the old hint
    data, _ = read_survey(write(tmp_path, "d2.csv", b"id;age\n1;34.5\n"), numeric=["age"], decimal=".")
    assert data["age"].tolist() == [34.5]


def test_decimal_comma_in_a_comma_decimal_point_file_suggests_decimal(tmp_path):
    p = write(tmp_path, "c.csv", b'id,age\n1,"34,5"\n')
    with pytest.raises(DataError) as e:
        read_survey(p, numeric=["age"])
    assert "decimal=','" in e.value.problems[0].hint


def test_trailing_unnamed_columns_are_dropped_and_noted(tmp_path):
    p = write(tmp_path, "x.csv", b"id;q1;;\n1;4;;\n2;NSP;;\n")
    data, report = read_survey(p, scales={"q1": SATISFACTION_4}, id_column="id")
    assert list(data.columns) == ["id", "q1"] and report.rows_kept == 2
    assert any("2 empty trailing column(s)" in n for n in report.notes)


def test_data_under_an_unnamed_trailing_column_is_an_error(tmp_path):
    p = write(tmp_path, "y.csv", b"id;q1;;\n1;4;;\n2;3;oui;\n")
    with pytest.raises(DataError) as e:
        read_survey(p)
    (prob,) = e.value.problems
    assert prob.line == 3 and "without a name" in prob.hint and "duplicate" not in str(e.value)


def test_trailing_unnamed_columns_in_xlsx(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "q1", None, None])
    ws.append([1, 4, None, None])
    ws.cell(row=1, column=4).value = ""  # a cell emptied by hand: present, blank
    p = tmp_path / "x.xlsx"
    wb.save(p)
    data, report = read_survey(p, scales={"q1": SATISFACTION_4})
    assert list(data.columns) == ["id", "q1"] and data["q1"].tolist() == [4]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf\r\n  \n", b"id;q1\n", b"id;q1\n;\n\n"])
def test_empty_and_header_only_files_say_how_to_fix(tmp_path, content):
    p = write(tmp_path, "e.csv", content)
    with pytest.raises(DataError, match="empty") as e:
        read_survey(p)
    assert e.value.problems[0].hint != ""


def test_empty_xlsx_sheet_names_the_sheets(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.title = "vide"
    wb.create_sheet("reponses").append(["id"])
    p = tmp_path / "v.xlsx"
    wb.save(p)
    with pytest.raises(DataError) as e:
        read_survey(p)
    assert "'reponses'" in e.value.problems[0].hint


def test_range_error_shows_the_cell_as_written(tmp_path):
    p = write(tmp_path, "r.csv", "id;surface\n1;340,0\n2;1\u202f250\n".encode())
    with pytest.raises(DataError) as e:
        read_survey(p, ranges={"surface": (0, 300)})
    found = [pr.found for pr in e.value.problems]
    assert found == ["340,0", "1\u202f250"]
    assert "np.float64" not in str(e.value) and "found '340,0'" in str(e.value)


def test_a_file_of_byte_order_marks_only_is_an_empty_file(tmp_path):
    # found by fuzzing: decoded, the text is empty; it used to crash with IndexError / TypeError
    path = tmp_path / "boms.csv"
    path.write_bytes(b"\xff\xfe\xff\xfe")
    for sep in (None, ";"):
        with pytest.raises(DataError, match="empty file"):
            read_survey(path, encoding="utf-16", sep=sep)
