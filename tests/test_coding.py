"""The coding workflow: the blind coding workbook, its import, the blindness check.

Every test works on a temporary copy of data/cases, never on the shipped files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from coanalysis import codebook
from coanalysis.agreement import (evidence_overlap, evidence_similarity, evidence_words,
                                  shared_run)
from coanalysis.coding import coding_sheet, import_coding
from coanalysis.coding.layout import FIRST_ROW, LISTS_SHEET, META_SHEET
from coanalysis.errors import DataError
from coanalysis.loaders import CaseBase
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


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


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


def _set(ws, row: int, **values) -> None:
    for header, value in values.items():
        ws.cell(row, _column(ws, header)).value = value


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


# --------------------------------------------------------------------------------------
# Filling and importing
# --------------------------------------------------------------------------------------

URL = "https://example.org/cas-test"


def _fill(path: Path) -> dict:
    """Fill a workbook of [OLD, NEW] as a coder would; returns what was filled."""
    wb = openpyxl.load_workbook(path)
    filled: dict = {"conditions": {}, "outcomes": {}, "participation": {}}
    ws = wb["cases"]
    _set(ws, _rows(ws)[(NEW,)], name="Cas fictif de test", corpus="comparables",
         collectivity="Commune fictive", collectivity_type="commune", population=1200,
         population_year=2020, domain="democratie_locale", start_year=2021, end_year=2022,
         summary_fr="Cas inventé pour les tests.", source_ids="S900")
    ws = wb["sources"]
    _set(ws, FIRST_ROW, source_id="S900", title="Page fictive", url=URL, date="2021-07",
         accessed=dt.date(2026, 12, 1))
    ws = wb["conditions"]
    rows = _rows(ws)
    for (case, slug), score in {(NEW, "experimenter"): 0.67, (NEW, "portage_politique"): 1,
                                (OLD, "experimenter"): 0.33, (OLD, "transversalite"): 0}.items():
        evidence = f"Test evidence for {slug}, case {case}; with a comma."
        _set(ws, rows[(case, slug)], score=score, evidence=evidence, source_url=URL)
        filled["conditions"][(case, slug)] = (score, evidence)
    ws = wb["outcomes"]
    _set(ws, _rows(ws)[(NEW, "perennisation")], score=0.33, evidence="Kept one year.",
         source_url=URL)
    filled["outcomes"][(NEW, "perennisation")] = (0.33, "Kept one year.")
    ws = wb["participation"]
    rows = _rows(ws)
    old_units = [k for k in rows if k[0] == OLD]
    for key, level in [((NEW, "usagers", "diagnostic"), 2), ((NEW, "elus", "decision"), 5),
                       (old_units[0], 3)]:
        _set(ws, rows[key], level=level, evidence=f"Level {level} seen.", source_id="S900")
        filled["participation"][key] = (level, f"Level {level} seen.")
    filled["old_units"] = old_units
    ws = wb["flows"]
    free = max(_rows(ws).values()) + 1
    _set(ws, free, case_id=NEW, from_actor="usagers", to_actor="elus", channel="vote",
         direct="true", evidence="Residents vote.", source_id="S900")
    wb.save(path)
    return filled


def _score_text(value) -> str:
    return {0: "0", 0.33: "0.33", 0.67: "0.67", 1: "1"}[value]


def test_round_trip_sheet_fill_import(base, tmp_path, check_result_contract):
    path = coding_sheet([OLD, NEW], "c", tmp_path / "c.xlsx", casebase=base)
    filled = _fill(path)
    result = import_coding(path, base)
    check_result_contract(result)
    folder = base / "codings" / "coder_c"
    assert sorted(p.name for p in folder.iterdir()) == [
        "cases.csv", "conditions.csv", "flows.csv", "outcomes.csv", "participation.csv",
        "sources.csv"]
    conditions = _read_csv(folder / "conditions.csv")
    assert list(conditions[0]) == ["case_id", "condition", "score", "evidence", "source_url",
                                   "coder"]
    assert len(conditions) == 2 * len(codebook.CONDITIONS)
    for r in conditions:
        key = (r["case_id"], r["condition"])
        if key in filled["conditions"]:
            score, evidence = filled["conditions"][key]
            assert (r["score"], r["evidence"], r["source_url"]) == (_score_text(score), evidence,
                                                                    URL)
        else:
            assert (r["score"], r["evidence"], r["source_url"]) == ("", "", "")
        assert r["coder"] == "C"
    outcomes = {(r["case_id"], r["outcome"]): r for r in _read_csv(folder / "outcomes.csv")}
    assert outcomes[(NEW, "perennisation")]["score"] == "0.33"
    part = {(r["case_id"], r["actor"], r["stage"]): r
            for r in _read_csv(folder / "participation.csv")}
    # the new case keeps only the documented units of its grid; the existing case all its units
    assert set(part) == set(filled["participation"]) | set(filled["old_units"])
    for key, (level, evidence) in filled["participation"].items():
        assert (part[key]["level"], part[key]["evidence"], part[key]["source_id"]) == (
            str(level), evidence, "S900")
    (case,) = _read_csv(folder / "cases.csv")
    assert (case["case_id"], case["population"], case["source_ids"], case["end_year"]) == (
        NEW, "1200", "S900", "2022")
    (source,) = _read_csv(folder / "sources.csv")
    assert (source["date"], source["accessed"], source["url"]) == ("2021-07", "2026-12-01", URL)
    (flow,) = _read_csv(folder / "flows.csv")
    assert (flow["channel"], flow["direct"]) == ("vote", "true")
    # rows in = kept + rejected, per sheet
    table = result.table.set_index("sheet")
    assert (table["rows_read"] == table["rows_kept"] + table["rows_rejected"]).all()
    assert table.loc["conditions", "rows_read"] == 2 * len(codebook.CONDITIONS)
    assert table.loc["participation", "rows_read"] == len(part)
    assert table.loc["conditions", "file"] == "coder_c/conditions.csv"
    # the shipped case base is still valid: the coder's files are beside it
    from coanalysis.loaders import validate_casebase
    assert validate_casebase(base) == []


def test_import_replaces_the_coders_rows_of_the_cases_only(base, tmp_path):
    """Coder a re-codes an existing case: its rows replace coder a's rows of that case, where
    they were; every other row of coder a's files is unchanged."""
    before = (base / "codings/coder_a/conditions.csv").read_text(encoding="utf-8").splitlines()
    path = coding_sheet([OLD], "a", tmp_path / "a.xlsx", casebase=base)
    wb = openpyxl.load_workbook(path)
    ws = wb["conditions"]
    for r in _rows(ws).values():
        _set(ws, r, score=1, evidence="Recoded.", source_url=URL)
    wb.save(path)
    import_coding(path, base)
    after = (base / "codings/coder_a/conditions.csv").read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    for old, new in zip(before, after):
        if old.startswith(OLD + ","):
            assert new.startswith(OLD + ",") and new.endswith(f",1,Recoded.,{URL},A")
        else:
            assert new == old


def _problems(path: Path, base: Path) -> list:
    with pytest.raises(DataError) as info:
        import_coding(path, base)
    return info.value.problems


@pytest.mark.parametrize("sheet, key, values, column, expected", [
    ("conditions", (NEW, "experimenter"), {"score": 0.5, "evidence": "x", "source_url": URL},
     "score", "0.33"),
    ("conditions", (NEW, "experimenter"), {"score": 1, "evidence": None, "source_url": None},
     "evidence", "evidence for the coded"),
    ("conditions", (NEW, "experimenter"), {"score": 1, "evidence": "x", "source_url": "www.x"},
     "source_url", "matching"),
    ("conditions", (NEW, "experimenter"), {"score": 1, "evidence": "=1+1", "source_url": URL},
     "evidence", "not a formula"),
    ("conditions", (NEW, "experimenter"), {"score": 1, "evidence": "- a dash", "source_url": URL},
     "evidence", "does not begin with"),
    ("conditions", (NEW, "experimenter"), {"score": "0,67", "evidence": "x", "source_url": URL},
     "score", "a number"),
    ("participation", (NEW, "usagers", "diagnostic"),
     {"level": 7, "evidence": "x", "source_id": "S900"}, "level", "(0, 1, 2, 3, 4, 5)"),
    ("participation", (NEW, "usagers", "diagnostic"),
     {"level": 2, "evidence": "x", "source_id": "S999"}, "source_id", "listed in"),
    ("participation", (NEW, "usagers", "diagnostic"),
     {"level": 2.5, "evidence": "x", "source_id": "S001"}, "level", "an integer"),
    ("cases", (NEW,), {"population": "beaucoup"}, "population", "an integer"),
    ("cases", (NEW,), {"start_year": 2022, "end_year": 2020}, "end_year", ">= start_year"),
    ("sources", None, {"source_id": "S900", "title": "t", "url": URL,
                       "date": dt.datetime(2021, 7, 1), "accessed": dt.date(2026, 1, 1)},
     "date", "a text"),
    ("flows", None, {"case_id": NEW, "from_actor": "usagers", "to_actor": "agents",
                     "channel": "vote", "direct": "true", "evidence": "x", "source_id": "S001"},
     "direct", "false"),
    ("flows", None, {"case_id": "bp_paris", "from_actor": "usagers", "to_actor": "agents",
                     "channel": "vote", "direct": "false", "evidence": "x", "source_id": "S001"},
     "case_id", "a case of this workbook"),
    ("flows", None, {"case_id": NEW, "from_actor": "citoyens", "to_actor": "agents",
                     "channel": "vote", "direct": "false", "evidence": "x", "source_id": "S001"},
     "from_actor", "an actor of the codebook"),
])
def test_every_bad_cell_names_sheet_row_and_column(base, tmp_path, sheet, key, values, column,
                                                   expected):
    path = coding_sheet([OLD, NEW], "c", tmp_path / "c.xlsx", casebase=base)
    _fill(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row = _rows(ws)[key] if key is not None else max(
        [r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value is not None],
        default=FIRST_ROW - 1) + 1
    if column == "evidence" and (values.get("evidence") or "").startswith("="):
        ws.cell(row, _column(ws, "evidence")).value = "=1+1"  # openpyxl writes a formula
    _set(ws, row, **values)
    wb.save(path)
    before = _digest(base)
    problems = _problems(path, base)
    assert _digest(base) == before
    mine = [p for p in problems if p.line == row and p.column == column]
    assert mine, problems
    p = mine[0]
    assert expected in p.expected
    assert p.file == str(path)
    col = openpyxl.utils.get_column_letter(_column(ws, column))
    assert p.hint.startswith(f"{sheet}!{col}{row}"), p.hint


def test_all_problems_at_once_with_the_row_accounting(base, tmp_path):
    path = coding_sheet([NEW], "c", tmp_path / "c.xlsx", casebase=base)
    wb = openpyxl.load_workbook(path)
    ws = wb["conditions"]
    ws.delete_rows(_rows(ws)[(NEW, "politique_rh")])   # a unit removed
    rows = _rows(ws)
    _set(ws, rows[(NEW, "experimenter")], score=0.5, evidence="x", source_url=URL)
    _set(ws, rows[(NEW, "transversalite")], score=2, evidence="x", source_url=URL)
    wb.save(path)
    with pytest.raises(DataError) as info:
        import_coding(path, base)
    err = info.value
    where = {(p.line, p.column) for p in err.problems}
    assert (rows[(NEW, "experimenter")], "score") in where
    assert (rows[(NEW, "transversalite")], "score") in where
    missing = [p for p in err.problems if p.line is None and p.column == "condition"]
    assert missing and "politique_rh" in missing[0].found
    assert missing[0].hint.startswith("sheet 'conditions'")
    # the cases sheet of the new case is empty: its required facts are named too
    assert {"name", "corpus", "domain"} <= {p.column for p in err.problems if p.line == FIRST_ROW
                                            and "cases!" in p.hint}
    read = 12 + 1   # 12 condition rows left, 1 case row (outcomes: 5 NA rows, kept)
    assert f"{read + 5} row(s) read = {read + 5 - 3} without problem + 3 with problems" in str(err)
    assert "nothing was written" in str(err)


def test_not_a_coding_workbook(base, tmp_path):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    (problem,) = _problems(other, base)
    assert "coanalysis coding sheet" in problem.expected
    text = tmp_path / "text.xlsx"
    text.write_text("not a zip", encoding="utf-8")
    (problem,) = _problems(text, base)
    assert problem.expected == "an .xlsx workbook"
    (problem,) = _problems(tmp_path / "none.xlsx", base)
    assert problem.hint == "the file does not exist"


def test_deleted_sheet_and_changed_header(base, tmp_path):
    path = coding_sheet([NEW], "c", tmp_path / "c.xlsx", casebase=base)
    wb = openpyxl.load_workbook(path)
    del wb["flows"]
    wb["outcomes"].cell(1, 4).value = "note"
    wb.save(path)
    problems = _problems(path, base)
    assert any(p.expected == "a sheet 'flows'" for p in problems)
    header = [p for p in problems if p.line == 1]
    assert header and "outcomes" in header[0].hint


def test_a_failing_import_writes_nothing(base, tmp_path, monkeypatch):
    """Atomicity: a rename failing half-way restores the files already replaced and leaves no
    temporary file."""
    import os

    from coanalysis.coding import importer
    path = coding_sheet([OLD], "a", tmp_path / "a.xlsx", casebase=base)
    wb = openpyxl.load_workbook(path)
    ws = wb["conditions"]
    for r in _rows(ws).values():
        _set(ws, r, score=1, evidence="Recoded.", source_url=URL)
    ws = wb["participation"]
    for r in _rows(ws).values():
        _set(ws, r, level=1, evidence="Recoded.", source_id="S001")
    wb.save(path)
    before = _digest(base)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr(importer.os, "replace", failing)
    with pytest.raises(OSError, match="disk full"):
        import_coding(path, base)
    assert len(calls) == 2
    assert _digest(base) == before      # the first file replaced got its content back
    monkeypatch.undo()
    import_coding(path, base)           # the same import, without the failure, goes through
    assert _digest(base) != before


def test_workbook_opens_in_libreoffice(base, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (the openpyxl read-back tests still run)")
    path = coding_sheet([OLD, NEW], "c", tmp_path / "c.xlsx", casebase=base)
    filled = _fill(path)
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out),
                    str(path)], check=True, capture_output=True, timeout=180)
    converted = out / "c.xlsx"
    wb = openpyxl.load_workbook(converted)
    assert [dv.formula1 for dv in wb["conditions"].data_validations.dataValidation]
    import_coding(converted, base)
    rows = {(r["case_id"], r["condition"]): r
            for r in _read_csv(base / "codings/coder_c/conditions.csv")}
    for key, (score, evidence) in filled["conditions"].items():
        assert (rows[key]["score"], rows[key]["evidence"]) == (_score_text(score), evidence)


# --------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------

def _cli(*args):
    import sys
    return subprocess.run([sys.executable, "-m", "coanalysis.cli", *args], capture_output=True,
                          text=True)


def test_cli_coding_sheet_import_agreement(base, tmp_path):
    out = tmp_path / "c.xlsx"
    run = _cli("coding", "sheet", OLD, NEW, "--coder", "c", "--out", str(out), "--data", str(base))
    assert run.returncode == 0, run.stderr
    assert out.exists() and str(out) in run.stdout
    before = _digest(base)
    run = _cli("coding", "import", str(out), "--data", str(base))   # the new case's facts empty
    assert run.returncode == 1
    assert "nothing was written" in run.stderr and "cases!B3" in run.stderr
    assert _digest(base) == before
    _fill(out)
    run = _cli("coding", "import", str(out), "--data", str(base))
    assert run.returncode == 0, run.stderr
    assert "Coding of coder c imported" in run.stdout
    assert (base / "codings" / "coder_c" / "conditions.csv").exists()
    run = _cli("coding", "agreement", "--data", str(base), "--lang", "en", "--flagged")
    assert run.returncode == 0, run.stderr
    assert "**All conditions**" in run.stdout and "**All levels**" in run.stdout
    assert "95% CI" in run.stdout
    assert "Blindness check" in run.stdout and "similarity" in run.stdout
    run = _cli("coding", "sheet", NEW, "--coder", "Not A Name", "--out", str(out))
    assert run.returncode == 1 and "coder must be" in run.stderr


# --------------------------------------------------------------------------------------
# The blindness check
# --------------------------------------------------------------------------------------

def test_shared_run_counts_words_across_case_and_punctuation():
    a = "First, THE Mixed-Team of agents and users; met every week in 2019."
    b = "In the end the mixed team of agents, and users met: every month."
    assert shared_run(a, b) == 9          # the mixed team of agents and users met every
    assert shared_run("one two three four five six seven", "one two three four five six "
                      "seven") == 7
    assert shared_run("alpha beta", "gamma delta") == 0


def test_evidence_words_and_similarity():
    assert evidence_words("L'Agent « écoute », co-conçoit\u00a0!") == [
        "l", "agent", "écoute", "co", "conçoit"]
    assert evidence_similarity("Users vote; the council decides.",
                               "users vote: THE council decides") == 1.0
    # 2M / T by hand: "abcd" vs "abxy" share "ab": 2 * 2 / 8
    assert evidence_similarity("abcd", "abxy") == pytest.approx(0.5, abs=1e-12)
    assert evidence_similarity("abcd", "wxyz") == 0.0


def _pair_casebase(pairs):
    """A case base whose two coders wrote the given evidence pairs on conditions."""
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(len(pairs))]})
    a = pd.DataFrame({"case_id": cases["case_id"], "condition": "experimenter", "score": 1.0,
                      "evidence": [p[0] for p in pairs]})
    b = a.assign(evidence=[p[1] for p in pairs])
    empty = {f"coder_{x}_{t}": None for x in "ab" for t in ("outcomes", "participation")}
    return CaseBase.from_frames(cases, codings={"coder_a_conditions": a,
                                                "coder_b_conditions": b,
                                                **{k: pd.DataFrame() for k in empty}})


def test_blindness_flags_a_run_of_eight_not_seven():
    eight = "one two three four five six seven eight"
    seven = "one two three four five six seven"
    pairs = [
        (f"Alpha. {eight.upper()}, beta gamma.", f"Delta {eight}; epsilon zeta eta theta."),
        (f"Alpha. {seven}, beta gamma delta.", f"Kappa {seven} lambda mu nu xi omicron."),
        ("Users vote, the council decides.", "users vote the COUNCIL decides"),
        ("Completely different words here.", None),
    ]
    check = evidence_overlap(_pair_casebase(pairs))
    units = check.units.set_index("case_id")
    assert list(units.index) == ["c0", "c1", "c2"]          # c3: one coder wrote nothing
    assert units.loc["c0", "longest_run"] == 8 and units.loc["c0", "flagged"]
    assert units.loc["c1", "longest_run"] == 7
    assert units.loc["c1", "similarity"] < 0.9 and not units.loc["c1", "flagged"]
    assert units.loc["c2", "identical"] and units.loc["c2", "flagged"]
    overall = check.table.set_index("table").loc["(all)"]
    assert (overall["n_compared"], overall["n_flagged"], overall["n_identical"]) == (3, 2, 1)


def test_blindness_on_the_shipped_codings_finds_the_audits_identical_pairs(check_result_contract):
    """The case-base audit found 8 units with character-identical evidence in A and B; it names
    five of them. Each is flagged identical (and a normalised comparison can only add units)."""
    from coanalysis.loaders import load_casebase
    check = evidence_overlap(load_casebase())
    check_result_contract(check)
    units = check.units.set_index(["case_id", "unit"])
    named = [("bp_grenoble", "portage_politique"), ("rsa_meurthe_et_moselle", "innovation_sociale"),
             ("design_loire_atlantique", "portage_administratif"), ("saillans", "perennisation"),
             ("kingersheim_conseils", "adaptation_service")]
    for key in named:
        assert units.loc[key, "identical"] and units.loc[key, "flagged"]
    raw_identical = int((check.units["evidence_1"] == check.units["evidence_2"]).sum())
    assert raw_identical == 8
    assert int(check.units["identical"].sum()) >= raw_identical
