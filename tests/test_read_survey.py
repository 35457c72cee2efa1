"""read_survey on the formats French observatories meet: every bad input raises DataError with
file, line, column and value; every row is accounted for."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from coanalysis.errors import DataError
from coanalysis.codebook import SATISFACTION_4, WHO5_FREQUENCY, LikertScale
from coanalysis.loaders import parse_number, read_survey

SCALES = {"q_accueil": SATISFACTION_4, "q_proprete": SATISFACTION_4}


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_excel_french_csv_cp1252(tmp_path):
    text = ("id;commune;q_accueil;q_proprete;revenu\r\n"
            "1;Voiron;Très satisfait;Plutôt pas satisfait;1\u00a0234,50\r\n"
            "2;Coublevie;NSP;4;2 000\r\n"
            "3;Rives;plutôt SATISFAIT;Sans réponse;987,1\r\n")
    p = write(tmp_path, "barometre.csv", text, "cp1252")
    data, report = read_survey(p, scales=SCALES, id_column="id", numeric=["revenu"])
    assert data["q_accueil"].tolist()[0] == 4 and pd.isna(data["q_accueil"].iloc[1])
    assert data["q_accueil"].iloc[2] == 3
    assert data["q_proprete"].cat.ordered and list(data["q_proprete"].cat.categories) == [1, 2, 3, 4]
    np.testing.assert_allclose(data["revenu"], [1234.5, 2000.0, 987.1])  # float() of the decimal: exact
    assert list(data.index) == [2, 3, 4] and data.index.name == "line"
    assert report.rows_read == report.rows_kept == 3
    assert "encoding: cp1252" in report.notes and "separator: ';'" in report.notes
    rec = report.recoded.set_index(["line", "column"])["reason"]
    assert rec[(3, "q_accueil")] == "ne_sait_pas" and rec[(4, "q_proprete")] == "sans_reponse"
    assert data["commune"].tolist() == ["Voiron", "Coublevie", "Rives"]


def test_limesurvey_style_utf8_bom_quoted_crlf_with_trailing_empty_line(tmp_path):
    text = ('\ufeff"id","submitdate","q_accueil","note"\r\n'
            '"10","2025-03-01","3","12.5"\r\n'
            '"11","","2","9"\r\n'
            '"12","2025-03-02","1","1,234.5"\r\n'
            '\r\n')
    p = write(tmp_path, "results-survey123.csv", text)
    data, report = read_survey(p, scales={"q_accueil": SATISFACTION_4}, id_column="id",
                               numeric=["note"], incomplete_column="submitdate")
    assert report.rows_read == 4 and report.rows_kept == 2 and report.rows_rejected == 2
    reasons = dict(zip(report.rejected["line"], report.rejected["reason"]))
    assert "incomplete" in reasons[3] and "empty" in reasons[5]
    assert data["note"].tolist() == [12.5, 1234.5]
    assert "encoding: utf-8-sig" in report.notes and "separator: ','" in report.notes


def test_narrow_no_break_space_thousands(tmp_path):
    p = write(tmp_path, "a.csv", "id;montant\n1;14\u202f514\n2;1\u202f234,5\n")
    data, _ = read_survey(p, numeric=["montant"])
    assert data["montant"].tolist() == [14514.0, 1234.5]


def test_unknown_code_lists_every_cell(tmp_path):
    p = write(tmp_path, "b.csv", "id;q_accueil;q_proprete\n1;7;2\n2;3;Bof\n")
    with pytest.raises(DataError) as e:
        read_survey(p, scales=SCALES)
    probs = {(pr.line, pr.column): pr for pr in e.value.problems}
    assert set(probs) == {(2, "q_accueil"), (3, "q_proprete")}
    assert probs[(2, "q_accueil")].found == "7" and "Très satisfait" in probs[(2, "q_accueil")].expected
    assert "b.csv, line 2, column 'q_accueil'" in str(e.value)


def test_out_of_range_and_bad_number(tmp_path):
    p = write(tmp_path, "c.csv", "id;age;poids\n1;34;1,2\n2;140;abc\n")
    with pytest.raises(DataError) as e:
        read_survey(p, numeric=["poids"], ranges={"age": (16, 99)})
    found = {(pr.line, pr.column, pr.found) for pr in e.value.problems}
    # the cell as written in the file, not the parsed float (np.float64(140.0) in the message)
    assert (3, "age", "140") in found and (3, "poids", "abc") in found
    assert "found '140'" in str(e.value)


def test_duplicated_and_blank_ids(tmp_path):
    p = write(tmp_path, "d.csv", "id;q_accueil\nA1;1\nA2;2\nA1;3\n;4\n")
    with pytest.raises(DataError) as e:
        read_survey(p, scales={"q_accueil": SATISFACTION_4}, id_column="id")
    lines = sorted((pr.line, pr.found) for pr in e.value.problems)
    assert lines == [(4, "A1"), (5, "")]
    assert "line 2" in e.value.problems[0].hint or "line 2" in e.value.problems[1].hint


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf\r\n  \n"])
def test_empty_file(tmp_path, content):
    p = tmp_path / "e.csv"
    p.write_bytes(content)
    with pytest.raises(DataError, match="empty"):
        read_survey(p)


def test_header_only_is_an_error(tmp_path):
    p = write(tmp_path, "h.csv", "id;q_accueil\n")
    with pytest.raises(DataError, match="empty"):
        read_survey(p)


def test_wrong_encoding_names_the_line(tmp_path):
    p = write(tmp_path, "f.csv", "id;commune\n1;Voiron\n2;Saint-\u00c9tienne-de-Crossey\n", "cp1252")
    with pytest.raises(DataError) as e:
        read_survey(p, encoding="utf-8")
    assert e.value.problems[0].line == 3 and "encoding" in str(e.value)


def test_latin1_on_a_windows_file_is_caught(tmp_path):
    p = write(tmp_path, "g.csv", "id;montant\n1;12 \u20ac\n", "cp1252")
    with pytest.raises(DataError, match="cp1252"):
        read_survey(p, encoding="latin-1")
    data, _ = read_survey(p)  # detected as cp1252
    assert data["montant"].iloc[0] == "12 \u20ac"


def test_ragged_row_and_missing_declared_column(tmp_path):
    p = write(tmp_path, "r.csv", "id;q_accueil\n1;2;9;9\n")
    with pytest.raises(DataError, match="fields"):
        read_survey(p)
    p = write(tmp_path, "m.csv", "id;q_accueil\n1;2\n")
    with pytest.raises(DataError, match="q_proprete"):
        read_survey(p, scales=SCALES)


def test_xlsx_numbers_and_labels(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "q_accueil", "revenu"])
    ws.append([1, 4, 1234.5])
    ws.append([2, "Plutôt satisfait", "2 000,5"])
    ws.append([None, None, None])
    ws.append([3, None, 10])
    p = tmp_path / "b.xlsx"
    wb.save(p)
    data, report = read_survey(p, scales={"q_accueil": SATISFACTION_4}, id_column="id", numeric=["revenu"])
    assert data["q_accueil"].tolist()[:2] == [4, 3] and pd.isna(data["q_accueil"].iloc[2])
    assert data["revenu"].tolist() == [1234.5, 2000.5, 10.0]
    assert report.rows_read == 4 and report.rows_rejected == 1 and report.rejected["line"].tolist() == [4]
    assert report.recoded["reason"].tolist() == ["cellule_vide"]


def test_sav_value_labels_become_ordered_categoricals(tmp_path):
    import pyreadstat
    df = pd.DataFrame({"id": [1.0, 2, 3], "q_accueil": [1.0, 4, 9], "taille": [2.0, 1, 3],
                       "who5_1": [0.0, 5, 3]})
    p = tmp_path / "b.sav"
    pyreadstat.write_sav(df, str(p), variable_value_labels={
        "q_accueil": {1.0: "Pas du tout satisfait", 4.0: "Très satisfait", 9.0: "NSP"},
        "taille": {1.0: "Petite", 2.0: "Moyenne", 3.0: "Grande"}})
    data, report = read_survey(p, scales={"q_accueil": SATISFACTION_4, "who5_1": WHO5_FREQUENCY},
                               id_column="id")
    assert data["q_accueil"].tolist()[:2] == [1, 4] and pd.isna(data["q_accueil"].iloc[2])
    assert data["taille"].cat.ordered and list(data["taille"].cat.categories) == ["Petite", "Moyenne", "Grande"]
    assert data["taille"].tolist() == ["Moyenne", "Petite", "Grande"]
    assert data["who5_1"].tolist() == [0, 5, 3]
    # the file's own label 9 = "NSP" (ne sait pas) decides, not the scale's default 9 = no answer
    assert report.recoded["reason"].tolist() == ["ne_sait_pas"]


def test_scale_declaration_is_checked():
    with pytest.raises(ValueError, match="increasing"):
        LikertScale("x", ((2, "a", "a"), (1, "b", "b")))
    with pytest.raises(ValueError, match="reason"):
        LikertScale("x", ((1, "a", "a"), (2, "b", "b")), {"NSP": "peut-etre"})
    assert SATISFACTION_4.labels("en")[0] == "Not at all satisfied"


@given(st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_parse_number_round_trips_french_formatting(x):
    text = f"{x:,.2f}".replace(",", "\u202f").replace(".", ",")
    # float() of the printed decimal is the double nearest to it, which round(x, 2) is: equal
    # (abs 1e-9 is below one ulp above 8e6, so this is exact equality there)
    assert parse_number(text, ",") == pytest.approx(x, abs=1e-9)
    assert parse_number(f"{x:.2f}", ".") == pytest.approx(x, abs=1e-9)


def test_parse_number_rejects_ambiguous_text():
    for bad in ("1.5", "12 kg", "1,2,3"):
        with pytest.raises(ValueError):
            parse_number(bad, ",")
