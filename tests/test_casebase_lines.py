"""Property test: reported line numbers are physical lines, whatever the multi-line quoted fields."""

from __future__ import annotations

import csv
from pathlib import Path
import tempfile

from hypothesis import given, settings, strategies as st

from coanalysis.loaders import validate_casebase

from test_casebase import write_package  # noqa: E402
from coanalysis import codebook

evidence = st.text(alphabet=st.sampled_from(list("ab é,\"\n;")), min_size=1, max_size=30).filter(
    lambda s: s.strip() != "")


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(evidence, min_size=1, max_size=12), data=st.data())
def test_line_of_a_bad_level_counts_embedded_newlines(texts, data):
    bad = data.draw(st.integers(min_value=0, max_value=len(texts) - 1))
    stages = codebook.STAGES.slugs
    actors = codebook.ACTORS.slugs
    rows = [["case_id", "actor", "stage", "level", "evidence", "source_id", "coder"]]
    coded = [rows[0]]
    for i, text in enumerate(texts):
        level = "9" if i == bad else str(i % 6)
        unit = ["alpha", actors[i // len(stages)], stages[i % len(stages)]]
        rows.append([*unit, level, text, "S001", "A"])
        coded.append([*unit, str(i % 6), text, "S001", "A"])  # the coders gave valid levels
    # independent count of the physical line where the bad record starts
    expected = 2 + sum(1 + t.count("\n") for t in texts[:bad])
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_package(Path(tmp), participation=rows, codings=coded)
        with (folder / "participation.csv").open(newline="", encoding="utf-8") as handle:
            assert len(list(csv.reader(handle))) == len(texts) + 1
        problems = validate_casebase(folder)
    assert [(p.file, p.line, p.column, p.found) for p in problems] == [
        ("participation.csv", expected, "level", "9")]
