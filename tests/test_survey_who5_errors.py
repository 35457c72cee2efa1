"""who5_score errors name the file line when the rows come from read_survey (index 'line')."""

import pandas as pd
import pytest

from coanalysis.errors import DataError
from coanalysis.loaders import read_survey
from coanalysis.survey import who5_score

ITEMS = [f"who5_{i}" for i in range(1, 6)]


def test_who5_error_carries_the_file_line_of_read_survey(tmp_path):
    p = tmp_path / "who5.csv"
    p.write_text("id;" + ";".join(ITEMS) + "\n1;3;3;3;3;3\n2;3;6;3;3;3\n", encoding="utf-8")
    data, _ = read_survey(p, id_column="id", numeric=ITEMS)
    with pytest.raises(DataError) as e:
        who5_score(data, file=p.name)
    (prob,) = e.value.problems
    assert (prob.line, prob.column, prob.found) == (3, "who5_2", 6.0)
    assert "row" not in prob.hint and "who5.csv, line 3, column 'who5_2'" in str(e.value)


def test_who5_error_on_a_plain_index_keeps_the_row_in_the_hint():
    df = pd.DataFrame({c: [3, 3] for c in ITEMS}, index=["r1", "r2"])
    df.loc["r2", "who5_4"] = 7
    with pytest.raises(DataError) as e:
        who5_score(df)
    (prob,) = e.value.problems
    assert prob.line is None and "row 'r2'" in prob.hint
