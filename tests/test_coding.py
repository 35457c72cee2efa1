"""The coding workflow: the blind coding workbook, its import, the blindness check.

Every test works on a temporary copy of data/cases, never on the shipped files.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from coanalysis import codebook
from coanalysis.coding import coding_sheet
from coanalysis.coding.layout import FIRST_ROW, LISTS_SHEET, META_SHEET
from coanalysis.paths import data_dir
from coanalysis.spreadsheet import FORMULA_TRIGGERS

SHIPPED = data_dir() / "cases"
NEW = "cas_test"          # a new case (fictional)
OLD = "transfo"           # a case of the shipped case base


@pytest.fixture
def base(tmp_path) -> Path:
    """A temporary copy of the shipped case base."""
    target = tmp_path / "cases"
    shutil.copytree(SHIPPED, target)
    return target


def _column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def _rows(ws):
    """``{(key values...): row number}`` of the units listed on a data sheet."""
    keys = {"conditions": ("case_id", "condition"), "outcomes": ("case_id", "outcome"),
            "participation": ("case_id", "actor", "stage"),
            "flows": ("case_id", "from_actor", "to_actor", "channel"), "cases": ("case_id",)}
    cols = [_column(ws, k) for k in keys[ws.title]]
    return {tuple(ws.cell(r, c).value for c in cols): r for r in range(FIRST_ROW, ws.max_row + 1)
            if ws.cell(r, cols[0]).value is not None}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------------------

def test_sheet_lists_the_units_of_new_and_existing_cases(base, tmp_path):
    path = coding_sheet([OLD, NEW], "c", tmp_path / "c.xlsx", casebase=base)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["consignes", "cases", "sources", "conditions", "outcomes",
                             "participation", "flows", LISTS_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    conditions = _rows(wb["conditions"])
    assert set(conditions) == {(c, s) for c in (OLD, NEW) for s in codebook.CONDITIONS.slugs}
    assert set(_rows(wb["outcomes"])) == {(c, s) for c in (OLD, NEW)
                                          for s in codebook.OUTCOMES.slugs}
    shipped_units = {(r["case_id"], r["actor"], r["stage"])
                     for r in _read_csv(SHIPPED / "participation.csv") if r["case_id"] == OLD}
    grid = {(NEW, a, s) for a in codebook.ACTORS.slugs for s in codebook.STAGES.slugs}
    assert set(_rows(wb["participation"])) == shipped_units | grid
    shipped_flows = {(r["case_id"], r["from_actor"], r["to_actor"], r["channel"])
                     for r in _read_csv(SHIPPED / "flows.csv") if r["case_id"] == OLD}
    assert set(_rows(wb["flows"])) == shipped_flows
    assert set(_rows(wb["cases"])) == {(NEW,)}      # an existing case's facts are not re-coded
    # French labels beside the slugs, from the codebook
    ws = wb["conditions"]
    label = _column(ws, "condition (libellé)")
    for (case, slug), r in conditions.items():
        assert ws.cell(r, label).value == codebook.CONDITIONS.label(slug, "fr")


def test_sheet_has_drop_downs_protection_and_anchors(base, tmp_path):
    wb = openpyxl.load_workbook(coding_sheet([NEW], "c", tmp_path / "c.xlsx", casebase=base))
    ws = wb["participation"]
    lists = wb[LISTS_SHEET]
    by_range = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        sheet, cells = dv.formula1.split("!")
        first, last = cells.replace("$", "").split(":")
        values = [c.value for row in lists[first:last] for c in row]
        for rng in dv.sqref.ranges:
            by_range[rng.min_col] = values
    assert by_range[_column(ws, "actor")] == list(codebook.ACTORS.slugs)
    assert by_range[_column(ws, "stage")] == list(codebook.STAGES.slugs)
    assert by_range[_column(ws, "level")] == [0, 1, 2, 3, 4, 5]
    cond = wb["conditions"]
    (dv,) = [d for d in cond.data_validations.dataValidation
             if min(r.min_col for r in d.sqref.ranges) == _column(cond, "score")]
    first, last = dv.formula1.split("!")[1].replace("$", "").split(":")
    assert [c.value for row in lists[first:last] for c in row] == list(codebook.FUZZY_SCORES)
    # headers and unit keys locked, cells to fill unlocked, sheets protected
    for name in ("cases", "sources", "conditions", "outcomes", "participation", "flows"):
        sheet = wb[name]
        assert sheet.protection.sheet
        assert all(c.protection.locked for row in sheet.iter_rows(max_row=2) for c in row)
    row = FIRST_ROW
    assert cond.cell(row, _column(cond, "case_id")).protection.locked
    assert cond.cell(row, _column(cond, "condition (libellé)")).protection.locked
    for header in ("score", "evidence", "source_url"):
        assert not cond.cell(row, _column(cond, header)).protection.locked
    # the instructions give each condition's anchor from the codebook
    texts = {c.value for row in wb["consignes"].iter_rows() for c in row if c.value}
    for term in (*codebook.CONDITIONS, *codebook.OUTCOMES, *codebook.LEVELS):
        assert term.description in texts or term.description + " [principe clé / key principle]" \
            in texts


def test_sheet_is_blind(base, tmp_path):
    """An existing case's sheets hold its unit keys only: none of the shipped evidence texts,
    scores or levels of the case base or of either coder."""
    cases = [r["case_id"] for r in _read_csv(SHIPPED / "cases.csv")]
    wb = openpyxl.load_workbook(coding_sheet(cases, "c", tmp_path / "all.xlsx", casebase=base))
    evidence = set()
    for csv_path in [*SHIPPED.glob("*.csv"), *SHIPPED.glob("codings/**/*.csv")]:
        for r in _read_csv(csv_path):
            evidence.update(v for k, v in r.items() if k in ("evidence", "note") and v)
    assert len(evidence) > 1000
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)}
    assert texts & evidence == set()
    for name in ("conditions", "outcomes", "participation", "flows"):
        ws = wb[name]
        for header in ("score", "level", "evidence", "source_url", "source_id", "note",
                       "direct"):
            if header in [c.value for c in ws[1]]:
                col = _column(ws, header)
                assert all(ws.cell(r, col).value is None
                           for r in range(FIRST_ROW, ws.max_row + 1)), (name, header)


def test_nothing_written_can_run_as_a_formula(base, tmp_path):
    from coanalysis.coding import sheet as sheet_module
    assert sheet_module._text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    wb = openpyxl.load_workbook(coding_sheet([OLD, NEW], "c", tmp_path / "c.xlsx",
                                             casebase=base))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f"
                assert not (isinstance(c.value, str) and c.value.startswith(FORMULA_TRIGGERS))


def test_sheet_refuses_bad_arguments(base, tmp_path):
    with pytest.raises(ValueError, match="coder"):
        coding_sheet([NEW], "Marie Curie", tmp_path / "x.xlsx", casebase=base)
    with pytest.raises(ValueError, match="slugs"):
        coding_sheet(["Pas un slug"], "c", tmp_path / "x.xlsx", casebase=base)
    with pytest.raises(ValueError, match="twice"):
        coding_sheet([NEW, NEW], "c", tmp_path / "x.xlsx", casebase=base)
