"""SPSS files: the file's own user-missing declarations and value labels are obeyed (review
findings 1 and 2). Files are written with pyreadstat, which stores user-missing codes as SPSS
does (``missing_ranges``), so each expected value below follows from the file's declaration."""

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from coanalysis.errors import DataError
from coanalysis.codebook import MISSING_REASONS, SATISFACTION_4
from coanalysis.loaders import read_survey


TAILLE = {1.0: "Petite", 2.0: "Moyenne", 3.0: "Grande", 8.0: "Refus", 9.0: "NSP"}


def sav(tmp_path, df, labels, missing=None, name="b.sav"):
    p = tmp_path / name
    pyreadstat.write_sav(df, str(p), variable_value_labels=labels, missing_ranges=missing or {})
    return p


def test_user_missing_codes_of_a_labelled_column_become_na_with_the_label_reason(tmp_path):
    df = pd.DataFrame({"id": [1.0, 2, 3, 4], "taille": [3.0, 9, 1, 8]})
    p = sav(tmp_path, df, {"taille": TAILLE}, {"taille": [{"lo": 8.0, "hi": 9.0}]})
    data, report = read_survey(p, id_column="id")
    # before the fix "NSP" was the top ordered category and 9 an answer
    assert list(data["taille"].cat.categories) == ["Petite", "Moyenne", "Grande"]
    assert data["taille"].tolist()[::2] == ["Grande", "Petite"]
    assert data["taille"].isna().tolist() == [False, True, False, True]
    rec = dict(zip(report.recoded["line"], report.recoded["reason"]))
    assert rec == {2: "ne_sait_pas", 4: "manquant_declare"}  # "Refus" names no known reason
    assert "manquant_declare" in MISSING_REASONS


def test_missing_label_without_user_missing_declaration_is_still_missing(tmp_path):
    df = pd.DataFrame({"id": [1.0, 2], "taille": [2.0, 9]})
    p = sav(tmp_path, df, {"taille": TAILLE})
    data, report = read_survey(p)
    assert "NSP" not in list(data["taille"].cat.categories) and pd.isna(data["taille"].iloc[1])
    assert report.recoded["reason"].tolist() == ["ne_sait_pas"]


def test_code_without_value_label_raises_with_case_line(tmp_path):
    df = pd.DataFrame({"id": [1.0, 2, 3], "taille": [1.0, 7, 2]})
    p = sav(tmp_path, df, {"taille": TAILLE})
    with pytest.raises(DataError) as e:
        read_survey(p)
    (prob,) = e.value.problems
    assert (prob.line, prob.column, prob.found, prob.expected) == (2, "taille", 7.0, "a labelled code")
    assert "'Grande'" in prob.hint


def test_user_missing_in_numeric_columns(tmp_path):
    df = pd.DataFrame({"id": [1.0, 2, 3], "age": [34.0, 999, 51], "revenu": [1200.0, 1500, -1]})
    p = sav(tmp_path, df, {}, {"age": [{"lo": 998.0, "hi": 999.0}], "revenu": [-1.0]})
    data, report = read_survey(p, ranges={"age": (16, 99)})  # 999 is missing, not out of range
    assert data["age"].tolist()[::2] == [34.0, 51.0] and np.isnan(data["age"].iloc[1])
    assert data["revenu"].tolist()[:2] == [1200.0, 1500.0] and np.isnan(data["revenu"].iloc[2])
    assert set(zip(report.recoded["line"], report.recoded["column"])) == {(2, "age"), (3, "revenu")}


def test_declared_scale_file_label_decides_the_missing_reason(tmp_path):
    df = pd.DataFrame({"id": [1.0, 2, 3], "q": [4.0, 9, 8]})
    labels = {"q": {1.0: "Pas du tout satisfait", 4.0: "Très satisfait", 8.0: "Non concerné",
                    9.0: "NSP"}}
    data, report = read_survey(sav(tmp_path, df, labels, {"q": [{"lo": 8.0, "hi": 9.0}]}),
                               scales={"q": SATISFACTION_4})
    assert data["q"].iloc[0] == 4 and data["q"].isna().tolist() == [False, True, True]
    # SATISFACTION_4 maps 8 -> ne_sait_pas and 9 -> sans_reponse; the file says otherwise
    assert report.recoded["reason"].tolist() == ["ne_sait_pas", "non_concerne"]


def test_declared_scale_accepts_a_code_the_file_declares_missing(tmp_path):
    df = pd.DataFrame({"id": [1.0, 2], "q": [3.0, 7]})
    p = sav(tmp_path, df, {"q": {7.0: "Refus"}}, {"q": [7.0]})
    data, report = read_survey(p, scales={"q": SATISFACTION_4})
    assert data["q"].iloc[0] == 3 and pd.isna(data["q"].iloc[1])
    assert report.recoded["reason"].tolist() == ["manquant_declare"]


@pytest.mark.parametrize("labels, missing, words", [
    ({4.0: "NSP"}, {}, "missing (ne_sait_pas)"),                  # an answer code labelled NSP
    ({}, {"q": [4.0]}, "missing (manquant_declare)"),             # an answer code user-missing
    ({1.0: "Très satisfait", 4.0: "Pas du tout satisfait"}, {}, "has 1 = 'Pas du tout"),  # reversed
    ({9.0: "Plutôt satisfait"}, {}, "as an answer"),              # scale's missing code labelled as a level
])
def test_file_and_scale_conflicts_raise(tmp_path, labels, missing, words):
    df = pd.DataFrame({"id": [1.0, 2, 3], "q": [2.0, 4, 1] if 9.0 not in labels else [2.0, 9, 1]})
    p = sav(tmp_path, df, {"q": labels} if labels else {}, missing)
    with pytest.raises(DataError) as e:
        read_survey(p, scales={"q": SATISFACTION_4})
    assert any(words in pr.hint for pr in e.value.problems), str(e.value)
    assert all(pr.column == "q" and pr.line in (2, 3, 4) for pr in e.value.problems)
