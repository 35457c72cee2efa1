"""Tests of the case-base descriptor, validator and loader on small fixture packages."""

from __future__ import annotations

import codecs
import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import coanalysis
from coanalysis import codebook
from coanalysis.errors import DataError
from coanalysis.loaders import casebase as cbmod
from coanalysis.loaders import (
    CaseBase,
    casebase_datapackage,
    load_casebase,
    validate_casebase,
    write_casebase_datapackage,
)

SOURCES = [
    ["source_id", "title", "publisher", "url", "date", "accessed"],
    ["S001", "Une page", "Un éditeur", "https://example.org/a", "2019-07", "2026-11-26"],
    ["S002", "Une autre page", "", "https://example.org/b", "", "2026-11-26"],
]
CASES = [
    ["case_id", "name", "corpus", "collectivity", "collectivity_type", "insee_code", "siren",
     "population", "population_year", "region", "domain", "start_year", "end_year",
     "parent_case", "summary_fr", "summary_en", "source_ids"],
    ["alpha", "Cas alpha", "ost2019", "Ville A", "commune", "01053", "210100533", "41000",
     "2020", "Auvergne-Rhône-Alpes", "qualite_service", "2016", "2018", "", "Résumé.",
     "Summary.", "S001;S002"],
    ["beta", "Cas beta", "comparables", "Ville B", "region", "", "", "", "", "", "budget_participatif",
     "2017", "", "alpha", "Résumé.", "", "S002"],
]
# The first data row's evidence spans two physical lines (lines 2-3), so row 2 is on line 4.
PARTICIPATION = [
    ["case_id", "actor", "stage", "level", "evidence", "source_id", "coder"],
    ["alpha", "usagers", "diagnostic", "4", "Ateliers avec les habitants\nsur deux mois.", "S001", "A"],
    ["alpha", "agents", "conception", "3", "Agents en binôme avec les designers.", "S001", "A"],
    ["beta", "usagers", "decision", "5", "Vote des habitants.", "S002", "A"],
]
FLOWS = [
    ["case_id", "from_actor", "to_actor", "channel", "direct", "evidence", "source_id"],
    ["alpha", "usagers", "agents", "atelier", "false", "Ateliers.", "S001"],
    ["alpha", "agents", "elus", "restitution", "true", "Restitution aux élus.", "S001"],
]


RECONCILIATION_HEADER = ["table", "case_id", "variable", "score_a", "score_b", "score", "evidence",
                         "source_url", "note"]
PARTICIPATION_LOG_HEADER = ["case_id", "actor", "stage", "level_a", "level_b", "level", "evidence",
                            "source_id", "note"]


def _participation_as(rows: list[list[str]], coder: str) -> list[list[str]]:
    """Participation rows (7 columns, coder A) as coded by ``coder``; "A+B" adds the note column."""
    header = rows[0] + (["note"] if coder == "A+B" else [])
    coder_at = rows[0].index("coder")
    out = [header]
    for row in rows[1:]:
        row = list(row)
        if row[coder_at]:
            row[coder_at] = coder
        out.append(row + ([""] if coder == "A+B" else []))
    return out


def _scored(item: str, vocab: codebook.Vocabulary, *, reconciled: bool, coder: str = "A") -> list[list[str]]:
    source = "source_id" if reconciled else "source_url"
    header = ["case_id", item, "score", "evidence", source, "coder"] + (["note"] if reconciled else [])
    rows = [header]
    for case in ("alpha", "beta"):
        for i, term in enumerate(vocab.slugs):
            if i % 3 == 2:  # some NA, without evidence (a reconciled row still says who reconciled)
                row = [case, term, "", "", "", "A+B" if reconciled else ""]
            else:
                score = ("0", "0.33", "0.67", "1")[i % 4]
                src = "S001" if reconciled else "https://example.org/a"
                row = [case, term, score, f"Preuve pour {term}.", src, "A+B" if reconciled else coder]
            rows.append(row + ([""] if reconciled else []))
    return rows


def _write(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_package(folder: Path, participation=PARTICIPATION, codings=None) -> Path:
    """Write a small valid case base (descriptor and every CSV) into ``folder``.

    ``participation``: rows in coder A's 7 columns; the reconciled table gets coder "A+B" and an
    empty note, and both coders the same levels (or those of ``codings``, same format).
    """
    write_casebase_datapackage(folder)
    _write(folder / "sources.csv", SOURCES)
    _write(folder / "cases.csv", CASES)
    _write(folder / "participation.csv", _participation_as(participation, "A+B"))
    coded = participation if codings is None else codings
    _write(folder / "codings" / "coder_a" / "participation.csv", _participation_as(coded, "A"))
    _write(folder / "codings" / "coder_b" / "participation.csv", _participation_as(coded, "B"))
    _write(folder / "codings" / "reconciliation_participation.csv", [PARTICIPATION_LOG_HEADER])
    _write(folder / "flows.csv", FLOWS)
    _write(folder / "conditions.csv", _scored("condition", codebook.CONDITIONS, reconciled=True))
    _write(folder / "outcomes.csv", _scored("outcome", codebook.OUTCOMES, reconciled=True))
    for coder in ("coder_a", "coder_b"):
        letter = coder[-1].upper()
        _write(folder / "codings" / coder / "conditions.csv",
               _scored("condition", codebook.CONDITIONS, reconciled=False, coder=letter))
        _write(folder / "codings" / coder / "outcomes.csv",
               _scored("outcome", codebook.OUTCOMES, reconciled=False, coder=letter))
    _write(folder / "codings" / "reconciliation.csv", [RECONCILIATION_HEADER])
    return folder


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_package(tmp_path / "cases")


def _set(folder: Path, file: str, line: int, column: str, value: str) -> None:
    """Set one cell, addressed by the line where its record starts (header = line 1)."""
    rows = _read(folder / file)
    # physical first line of each record, counting embedded newlines
    starts, line_no = [], 1
    for row in rows:
        starts.append(line_no)
        line_no += 1 + sum(cell.count("\n") for cell in row)
    index = starts.index(line)
    rows[index][rows[0].index(column)] = value
    _write(folder / file, rows)


def _where(problems, file=None):
    return [(p.file, p.line, p.column) for p in problems if file is None or p.file == file]


# -- descriptor ----------------------------------------------------------------------------

def test_descriptor_enums_are_codebook_slugs():
    dp = casebase_datapackage()
    res = {r["name"]: r for r in dp["resources"]}
    fields = {f["name"]: f for f in res["participation"]["schema"]["fields"]}
    assert fields["actor"]["constraints"]["enum"] == list(codebook.ACTORS.slugs)
    assert fields["stage"]["constraints"]["enum"] == list(codebook.STAGES.slugs)
    cond = {f["name"]: f for f in res["conditions"]["schema"]["fields"]}
    assert cond["condition"]["constraints"]["enum"] == list(codebook.CONDITIONS.slugs)
    assert cond["score"]["constraints"]["enum"] == [0.0, 0.33, 0.67, 1.0]
    assert dp["licenses"][0]["name"] == "CC-BY-4.0"
    assert set(cbmod.CODING_RESOURCES) <= set(res)


def test_descriptor_keys_reference_existing_fields():
    dp = casebase_datapackage()
    res = {r["name"]: r for r in dp["resources"]}
    for r in dp["resources"]:
        names = {f["name"] for f in r["schema"]["fields"]}
        assert set(r["schema"]["primaryKey"]) <= names
        for fk in r["schema"].get("foreignKeys", []):
            assert fk["fields"] in names
            target = res[fk["reference"]["resource"]]
            assert fk["reference"]["fields"] in {f["name"] for f in target["schema"]["fields"]}


def test_shipped_descriptor_is_the_generated_one():
    shipped = coanalysis.paths.data_dir() / "cases" / "datapackage.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == casebase_datapackage()


def test_descriptor_out_of_sync_with_codebook_is_reported(package):
    dp = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    dp["resources"][2]["schema"]["fields"][1]["constraints"]["enum"].append("martiens")
    (package / "datapackage.json").write_text(json.dumps(dp), encoding="utf-8")
    problems = validate_casebase(package)
    assert ("datapackage.json", None, "participation.actor") in _where(problems)


# -- a valid package -----------------------------------------------------------------------

def test_valid_fixture_has_no_problem_and_loads_typed(package):
    assert validate_casebase(package) == []
    cb = load_casebase(package)
    assert isinstance(cb, CaseBase)
    assert list(cb.cases["case_id"]) == ["alpha", "beta"]
    assert cb.cases["case_id"].dtype == "string"
    assert cb.cases["insee_code"].iloc[0] == "01053"  # leading zero kept
    assert cb.cases["population"].dtype == "Int64"
    assert pd.isna(cb.cases["population"].iloc[1])
    assert cb.cases["corpus"].dtype == codebook.CORPORA.dtype()
    assert cb.participation["level"].dtype == "Int64"
    assert cb.participation["actor"].dtype == codebook.ACTORS.dtype()
    assert cb.participation["actor"].cat.ordered
    assert cb.participation["evidence"].iloc[0] == "Ateliers avec les habitants\nsur deux mois."
    assert cb.conditions["score"].dtype == "Float64"
    assert len(cb.conditions) == 2 * 13
    assert cb.conditions["score"].isna().sum() == 2 * 4  # every third term is NA
    assert cb.flows["direct"].dtype == "boolean"
    assert list(cb.flows["direct"]) == [False, True]
    assert set(cb.codings) == set(cbmod.CODING_RESOURCES)
    assert cb.codings["coder_b_outcomes"]["source_url"].iloc[0] == "https://example.org/a"


def test_repr_summary_and_labels(package, check_result_contract):
    cb = load_casebase(package)
    check_result_contract(cb)
    text = repr(cb)
    assert "\n" not in text and "2 cas (1 ost2019, 1 comparables)" in text
    assert "\nparticipation     3 " in "\n" + "\n".join(
        line.strip() for line in cb.summary().splitlines())
    summary = cb.table.set_index("resource")
    assert summary.loc["conditions", "rows"] == 26
    assert summary.loc["conditions", "coded"] + summary.loc["conditions", "na"] == 26
    assert summary.loc["participation", "coded"] == 3
    fr = cb.labelled("participation", "fr")
    en = cb.labelled("participation", "en")
    assert fr["actor"].iloc[0] == "Usagers et habitants"
    assert en["actor"].iloc[0] == "Users and residents"
    assert list(en["actor"].cat.categories) == list(codebook.ACTORS.labels("en"))
    assert cb.flows["channel"].dtype == codebook.CHANNELS.dtype()
    assert cb.flows["channel"].cat.ordered
    flows_fr = cb.labelled("flows", "fr")
    assert list(flows_fr["channel"]) == ["Atelier", "Restitution"]
    assert list(cb.labelled("flows", "en")["channel"]) == ["Workshop", "Report-back"]
    assert list(flows_fr["channel"].cat.categories) == list(codebook.CHANNELS.labels("fr"))
    with pytest.raises(ValueError, match="lang"):
        cb.labelled("cases", "de")
    with pytest.raises(KeyError, match="resource"):
        cb.resource("nope")


def test_default_path_is_data_dir(package, monkeypatch):
    monkeypatch.setenv("COANALYSIS_DATA", str(package.parent))
    assert load_casebase().path == package


# -- each kind of corruption is reported with file, line, column -----------------------------

def _single(problems, file, line, column):
    hits = [p for p in problems if (p.file, p.line, p.column) == (file, line, column)]
    assert hits, f"no problem at {file}:{line}:{column} in {[str(p) for p in problems]}"
    return hits[0]


def test_bad_level_is_reported_on_its_line(package):
    _set(package, "participation.csv", 4, "level", "7")
    problems = validate_casebase(package)
    p = _single(problems, "participation.csv", 4, "level")
    assert p.found == "7"
    assert "5" in p.expected
    assert len(problems) == 1


@pytest.mark.parametrize("line,column,value,expected", [
    (5, "actor", "martiens", "usagers"),           # not a codebook slug: the slugs are listed
    (4, "source_id", "S999", "sources.csv"),       # a source that sources.csv does not hold
])
def test_unknown_value_in_participation(package, line, column, value, expected):
    _set(package, "participation.csv", line, column, value)
    p = _single(validate_casebase(package), "participation.csv", line, column)
    assert p.found == value
    assert expected in p.expected


def test_unknown_channel(package):
    # a free label instead of a codebook slug, and a slug from another vocabulary
    _set(package, "flows.csv", 2, "channel", "atelier_citoyen")
    _set(package, "flows.csv", 3, "channel", "usagers")
    problems = validate_casebase(package)
    p = _single(problems, "flows.csv", 2, "channel")
    assert p.found == "atelier_citoyen"
    assert "atelier" in p.expected and "vote" in p.expected
    assert _single(problems, "flows.csv", 3, "channel").found == "usagers"
    assert len(problems) == 2
    with pytest.raises(DataError, match=r"flows\.csv, line 2, column 'channel'"):
        load_casebase(package)


def test_descriptor_channel_enum_is_the_codebook(package):
    dp = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    flows = next(r for r in dp["resources"] if r["name"] == "flows")
    field = next(f for f in flows["schema"]["fields"] if f["name"] == "channel")
    assert field["constraints"]["enum"] == list(codebook.CHANNELS.slugs)
    assert field["constraints"]["required"] is True
    field["constraints"]["enum"] = field["constraints"]["enum"][1:]
    (package / "datapackage.json").write_text(json.dumps(dp), encoding="utf-8")
    assert ("datapackage.json", None, "flows.channel") in _where(validate_casebase(package))


def test_actor_with_capital_gets_a_hint(package):
    _set(package, "flows.csv", 2, "from_actor", "Usagers")
    p = _single(validate_casebase(package), "flows.csv", 2, "from_actor")
    assert "lower case" in p.hint


def test_score_half_rejected_with_hint(package):
    _set(package, "conditions.csv", 3, "score", "0.5")
    p = _single(validate_casebase(package), "conditions.csv", 3, "score")
    assert p.found == "0.5"
    assert "0.33" in p.expected and "0.67" in p.expected
    assert "0.33" in p.hint and "0.67" in p.hint


def test_score_with_decimal_comma(package):
    _set(package, "outcomes.csv", 2, "score", "0,67")
    p = _single(validate_casebase(package), "outcomes.csv", 2, "score")
    assert "decimal point" in p.hint


def test_unknown_source_in_source_ids_list(package):
    _set(package, "cases.csv", 2, "source_ids", "S001;S404")
    p = _single(validate_casebase(package), "cases.csv", 2, "source_ids")
    assert p.found == "S404"


def test_unknown_case_in_codings(package):
    _set(package, "codings/coder_b/conditions.csv", 2, "case_id", "gamma")
    problems = validate_casebase(package)
    p = _single(problems, "codings/coder_b/conditions.csv", 2, "case_id")
    assert p.found == "gamma"
    # alpha now lacks one condition in coder B's coding
    assert any(p.file == "codings/coder_b/conditions.csv" and p.line is None for p in problems)


def test_duplicate_case_id(package):
    _set(package, "cases.csv", 3, "case_id", "alpha")
    problems = validate_casebase(package)
    p = _single(problems, "cases.csv", 3, "case_id")
    assert p.found == "alpha"
    assert "line 2" in p.expected


def test_duplicate_composite_key(package):
    _set(package, "participation.csv", 5, "case_id", "alpha")
    _set(package, "participation.csv", 5, "actor", "agents")
    _set(package, "participation.csv", 5, "stage", "conception")
    p = _single(validate_casebase(package), "participation.csv", 5, "case_id,actor,stage")
    assert "line 4" in p.expected


def test_missing_evidence_for_coded_value(package):
    _set(package, "conditions.csv", 2, "evidence", "")
    p = _single(validate_casebase(package), "conditions.csv", 2, "evidence")
    assert "evidence" in p.hint
    assert p.expected == "evidence for the coded score 0"
    _set(package, "conditions.csv", 3, "source_id", "")
    p = _single(validate_casebase(package), "conditions.csv", 3, "source_id")
    assert p.expected == "source_id for the coded score 0.33"


def test_missing_source_for_coded_value(package):
    _set(package, "participation.csv", 4, "source_id", "")
    _single(validate_casebase(package), "participation.csv", 4, "source_id")


def test_na_score_needs_no_evidence(package):
    # line 4 of conditions.csv is an NA row without evidence in the fixture
    assert _read(package / "conditions.csv")[3][2] == ""
    assert validate_casebase(package) == []


def test_wrong_types(package):
    _set(package, "cases.csv", 2, "population", "41 000")
    _set(package, "cases.csv", 3, "start_year", "2017.0")
    _set(package, "flows.csv", 3, "direct", "oui")
    _set(package, "sources.csv", 2, "accessed", "26/11/2026")
    problems = validate_casebase(package)
    assert _single(problems, "cases.csv", 2, "population").expected == "an integer"
    assert "whole number" in _single(problems, "cases.csv", 3, "start_year").hint
    assert "boolean" in _single(problems, "flows.csv", 3, "direct").expected
    assert "YYYY-MM-DD" in _single(problems, "sources.csv", 2, "accessed").expected


def test_na_written_as_text_in_a_number(package):
    _set(package, "participation.csv", 4, "level", "NA")
    p = _single(validate_casebase(package), "participation.csv", 4, "level")
    assert "empty" in p.hint


def test_ranges_and_patterns(package):
    _set(package, "cases.csv", 2, "end_year", "2015")  # before start_year 2016
    _set(package, "cases.csv", 3, "population", "-5")
    _set(package, "cases.csv", 2, "siren", "21010053")
    _set(package, "sources.csv", 3, "date", "2019-13")
    _set(package, "sources.csv", 3, "source_id", "S2")
    problems = validate_casebase(package)
    assert "2016" in _single(problems, "cases.csv", 2, "end_year").expected
    assert ">= 0" in _single(problems, "cases.csv", 3, "population").expected
    assert "9 digits" in _single(problems, "cases.csv", 2, "siren").hint
    assert "calendar" in _single(problems, "sources.csv", 3, "date").expected
    _single(problems, "sources.csv", 3, "source_id")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://example.org/x","clic")',
                                  "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tavec tab"])
@pytest.mark.parametrize("file,line,column", [
    ("cases.csv", 2, "summary_fr"),
    ("sources.csv", 3, "title"),
    ("codings/coder_b/conditions.csv", 2, "evidence"),
    ("participation.csv", 4, "evidence"),
])
def test_a_text_cell_a_spreadsheet_would_run_is_one_problem(package, text, file, line, column):
    _set(package, file, line, column, text)
    problems = validate_casebase(package)
    assert [(p.file, p.line, p.column, p.found) for p in problems] == [(file, line, column, text)]
    assert problems[0].expected.startswith("a text that does not begin with =, +, -, @")
    assert "formula" in problems[0].hint


def test_a_text_cell_beginning_with_a_carriage_return_is_reported(package):
    rows = _read(package / "cases.csv")
    rows[2][rows[0].index("summary_fr")] = "\r=1+1"
    with (package / "cases.csv").open("w", newline="", encoding="utf-8") as handle:
        # quoted, or the CR would end the record
        csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    problems = validate_casebase(package)
    assert [(p.file, p.line, p.column, p.found) for p in problems] == [
        ("cases.csv", 3, "summary_fr", "\r=1+1")]
    assert "carriage return" in problems[0].hint


def test_a_negative_number_in_a_numeric_column_is_no_formula(package):
    dp = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    population = next(f for f in dp["resources"][0]["schema"]["fields"] if f["name"] == "population")
    del population["constraints"]["minimum"]  # the range aside, -5 is a number, not a formula
    (package / "datapackage.json").write_text(json.dumps(dp), encoding="utf-8")
    _set(package, "cases.csv", 3, "population", "-5")
    _set(package, "cases.csv", 2, "summary_fr", "Résumé - avec un tiret, 5 = cinq, @ arobase.")
    assert validate_casebase(package) == []
    assert load_casebase(package).cases["population"].iloc[1] == -5


def test_parent_case_must_be_a_case(package):
    _set(package, "cases.csv", 3, "parent_case", "omega")
    p = _single(validate_casebase(package), "cases.csv", 3, "parent_case")
    assert p.found == "omega"
    _set(package, "cases.csv", 3, "parent_case", "beta")
    p = _single(validate_casebase(package), "cases.csv", 3, "parent_case")
    assert "own parent" in p.hint


def test_required_field_missing(package):
    _set(package, "cases.csv", 3, "name", "")
    _single(validate_casebase(package), "cases.csv", 3, "name")


def test_missing_condition_rows_are_reported(package):
    rows = _read(package / "conditions.csv")
    _write(package / "conditions.csv", [r for r in rows if r[1] != "transversalite"])
    problems = [p for p in validate_casebase(package) if p.file == "conditions.csv"]
    assert len(problems) == 2  # one per case
    assert all(p.line is None and p.column == "condition" for p in problems)
    assert "transversalite" in problems[0].found


def test_header_and_row_shape(package):
    rows = _read(package / "flows.csv")
    rows[0][3] = "canal"
    rows[2] = rows[2][:-1]
    _write(package / "flows.csv", rows)
    problems = validate_casebase(package)
    _single(problems, "flows.csv", 1, "channel")
    _single(problems, "flows.csv", 1, "canal")
    assert _single(problems, "flows.csv", 3, None).found == "6 fields"


def test_blank_line_and_missing_file(package):
    with (package / "participation.csv").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    (package / "outcomes.csv").unlink()
    problems = validate_casebase(package)
    _single(problems, "participation.csv", 6, None)
    _single(problems, "outcomes.csv", None, None)


def test_not_utf8(package):
    (package / "sources.csv").write_bytes("source_id,title\nS001,Région\n".encode("latin-1"))
    p = _single(validate_casebase(package), "sources.csv", 2, None)
    assert "UTF-8" in p.expected
    assert p.found == b"\xe9"
    assert "'é' in Windows-1252" in p.hint


def test_not_utf8_gives_the_physical_line_of_the_bad_byte(package):
    # the first record's evidence spans lines 2-3; the bad byte is in the record on line 4,
    # which is also the 4th line of the file (counted independently below)
    text = (package / "participation.csv").read_text(encoding="utf-8")
    text = text.replace("Agents en binôme", "Agents en binôme é")
    data = text.encode("utf-8").replace("é".encode("utf-8"), b"\xe9")
    (package / "participation.csv").write_bytes(codecs.BOM_UTF8 + data)
    expected_line = 1 + data[:data.index(b"\xe9")].count(b"\n")
    assert expected_line == 4
    problems = validate_casebase(package)
    assert [(p.file, p.line) for p in problems] == [("participation.csv", 4)]


def test_unreadable_cases_file_is_one_problem(package):
    # cases.csv in Windows-1252: one problem, not one per case_id of every other table
    text = (package / "cases.csv").read_text(encoding="utf-8")
    (package / "cases.csv").write_bytes(text.encode("cp1252"))
    problems = validate_casebase(package)
    assert [(p.file, p.line, p.column) for p in problems] == [("cases.csv", 2, None)]
    with pytest.raises(DataError) as info:
        load_casebase(package)
    assert len(info.value.problems) == 1


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_or_tab_separated_file_is_one_problem_with_a_hint(package, separator):
    rows = _read(package / "cases.csv")
    with (package / "cases.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=separator, lineterminator="\n").writerows(rows)
    problems = validate_casebase(package)
    assert len(problems) == 1
    p = _single(problems, "cases.csv", 1, None)
    assert p.found == separator
    assert f"separator looks like {separator!r}" in p.hint
    assert "comma-separated UTF-8" in p.hint


def test_semicolon_in_a_comma_separated_header_is_no_separator_problem(package):
    rows = _read(package / "flows.csv")
    rows[0][3] = "canal;x"
    _write(package / "flows.csv", rows)
    problems = validate_casebase(package)
    assert not any("separator" in p.hint for p in problems)
    _single(problems, "flows.csv", 1, "canal;x")


def test_missing_evidence_column_is_one_problem(package):
    rows = _read(package / "conditions.csv")
    k = rows[0].index("evidence")
    _write(package / "conditions.csv", [r[:k] + r[k + 1:] for r in rows])
    problems = validate_casebase(package)
    assert _where(problems) == [("conditions.csv", 1, "evidence")]


def test_missing_key_column_of_cases_does_not_cascade(package):
    rows = _read(package / "cases.csv")
    _write(package / "cases.csv", [r[1:] for r in rows])  # drop case_id
    problems = validate_casebase(package)
    assert _where(problems) == [("cases.csv", 1, "case_id")]


def test_missing_folder_and_descriptor(tmp_path):
    assert validate_casebase(tmp_path / "nope")[0].expected.startswith("a folder")
    (tmp_path / "empty").mkdir()
    assert validate_casebase(tmp_path / "empty")[0].file == "datapackage.json"


def test_several_problems_all_reported_and_raised(package):
    _set(package, "participation.csv", 2, "level", "7")
    _set(package, "participation.csv", 5, "actor", "martiens")
    _set(package, "conditions.csv", 3, "score", "0.5")
    _set(package, "flows.csv", 2, "source_id", "S999")
    _set(package, "cases.csv", 3, "case_id", "alpha")
    _set(package, "outcomes.csv", 2, "evidence", "")
    expected = {
        ("participation.csv", 2, "level"),
        ("participation.csv", 5, "actor"),
        ("conditions.csv", 3, "score"),
        ("flows.csv", 2, "source_id"),
        ("cases.csv", 3, "case_id"),
        ("outcomes.csv", 2, "evidence"),
    }
    problems = validate_casebase(package)
    assert expected <= set(_where(problems))
    with pytest.raises(DataError) as info:
        load_casebase(package)
    assert expected <= {(p.file, p.line, p.column) for p in info.value.problems}
    message = str(info.value)
    assert "participation.csv, line 2, column 'level': found '7'" in message
    assert "flows.csv, line 2, column 'source_id': found 'S999'" in message
    table = info.value.table()
    assert {"file", "line", "column", "found", "expected", "hint"} <= set(table.columns)


def test_problems_are_sorted_by_file_then_line(package):
    _set(package, "participation.csv", 5, "actor", "martiens")
    _set(package, "participation.csv", 2, "level", "7")
    _set(package, "cases.csv", 2, "domain", "sport")
    problems = validate_casebase(package)
    assert _where(problems) == [("cases.csv", 2, "domain"), ("participation.csv", 2, "level"),
                                ("participation.csv", 5, "actor")]


def test_broken_quote_reports_the_record_line(package):
    text = (package / "flows.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[2] = lines[2].replace("Restitution aux élus.", '"Restitution" aux élus.')
    (package / "flows.csv").write_text("".join(lines), encoding="utf-8")
    p = _single(validate_casebase(package), "flows.csv", 3, None)
    assert "quotes" in p.hint


def test_disagreement_needs_a_reconciliation_note(package):
    # the reconciled table is rebuilt from the codings and the log: a disagreement without a log
    # row is reported in the log (what to add), not as a consequence in the reconciled table
    _set(package, "codings/coder_b/conditions.csv", 2, "score", "0.33")
    problems = validate_casebase(package)
    p = _single(problems, "codings/reconciliation.csv", None, "case_id,variable")
    assert p.found == "alpha / portage_politique"
    assert "coder A 0, coder B 0.33" in p.hint
    assert len(problems) == 1
    # one coder found no evidence: also a disagreement
    _set(package, "codings/coder_a/outcomes.csv", 3, "score", "")
    _set(package, "codings/coder_a/outcomes.csv", 3, "evidence", "")
    problems = validate_casebase(package)
    assert [p.found for p in problems] == ["alpha / portage_politique",
                                           f"alpha / {codebook.OUTCOMES.slugs[1]}"]  # outcomes line 3
    _set(package, "conditions.csv", 2, "note", "B retenu : la source parle d'un portage tardif.")
    _set(package, "outcomes.csv", 3, "note", "A n'avait pas vu la page du bilan.")
    # with the notes written, what is missing is still the log's row for each disagreement
    problems = validate_casebase(package)
    assert _where(problems) == [("codings/reconciliation.csv", None, "case_id,variable")] * 2
    conditions, outcomes = _read(package / "conditions.csv"), _read(package / "outcomes.csv")
    log = [RECONCILIATION_HEADER,
           ["conditions", *conditions[1][:2], "0", "0.33", *conditions[1][2:4], "https://example.org/a",
            conditions[1][-1]],
           ["outcomes", *outcomes[2][:2], "", outcomes[2][2], *outcomes[2][2:4], "https://example.org/a",
            outcomes[2][-1]]]
    _write(package / "codings" / "reconciliation.csv", log)
    assert validate_casebase(package) == []


def test_reconciled_score_keeps_the_agreed_score(package):
    # alpha / portage_politique (line 2): both coders give 0; the first NA row: both NA
    _set(package, "conditions.csv", 2, "score", "0.33")
    _set(package, "conditions.csv", 2, "note", "Changé sans désaccord.")
    rows = _read(package / "conditions.csv")
    line = 1 + next(i for i, r in enumerate(rows) if r[2] == "")
    for coder in ("coder_a", "coder_b"):
        assert _read(package / "codings" / coder / "conditions.csv")[line - 1][2] == ""
    _set(package, "conditions.csv", line, "score", "1")
    _set(package, "conditions.csv", line, "evidence", "Preuve.")
    _set(package, "conditions.csv", line, "source_id", "S001")
    _set(package, "conditions.csv", line, "coder", "A+B")
    problems = validate_casebase(package)
    # every cell that differs from the rebuild: the agreed score and the note it should not have;
    # on the NA row, the score, and the evidence and source the coders did not give
    assert _where(problems) == [("conditions.csv", 2, "score"), ("conditions.csv", 2, "note"),
                                ("conditions.csv", line, "score"), ("conditions.csv", line, "evidence"),
                                ("conditions.csv", line, "source_id")]
    assert "(0)" in _single(problems, "conditions.csv", 2, "score").expected
    assert "(empty)" in _single(problems, "conditions.csv", 2, "note").expected
    assert "(NA)" in _single(problems, "conditions.csv", line, "score").expected
    assert all("make data" in p.hint for p in problems)


@pytest.mark.parametrize("source,target,direct", [
    ("usagers", "elus", "true"), ("usagers", "encadrement", "true"),
    ("encadrement", "usagers", "true"), ("agents", "elus", "true"),
    ("usagers", "agents", "false"), ("elus", "encadrement", "false"),
    ("partenaires", "elus", "false"), ("usagers", "tiers", "false"),
])
def test_direct_is_true_exactly_when_the_flow_skips_a_link(package, source, target, direct):
    chain = ["usagers", "agents", "encadrement", "elus"]  # data/README.md, "Circuits"
    # independent statement of the rule: both on the chain, ranks more than one apart
    assert (direct == "true") == (source in chain and target in chain
                                  and abs(chain.index(source) - chain.index(target)) >= 2)
    _set(package, "flows.csv", 2, "from_actor", source)
    _set(package, "flows.csv", 2, "to_actor", target)
    _set(package, "flows.csv", 2, "direct", direct)
    assert validate_casebase(package) == []
    _set(package, "flows.csv", 2, "direct", "false" if direct == "true" else "true")
    problems = validate_casebase(package)
    assert _where(problems) == [("flows.csv", 2, "direct")]
    assert problems[0].expected.startswith(direct)


def test_reconciliation_log_must_copy_the_scores(package):
    # alpha / portage_politique is 0 for everyone in the fixture
    _set(package, "codings/coder_b/conditions.csv", 2, "score", "0.33")
    _set(package, "conditions.csv", 2, "note", "A retenu.")
    _set(package, "conditions.csv", 2, "evidence", "Preuve.")
    log = [RECONCILIATION_HEADER,
           ["conditions", "alpha", "portage_politique", "0", "0.33", "0", "Preuve.",
            "https://example.org/a", "A retenu."],
           ["conditions", "alpha", "portage_administratif", "1", "0.33", "1", "Preuve.",
            "https://example.org/a", "B retenu."],
           ["outcomes", "beta", "experimenter", "", "", "", "", "", "Mauvaise table."]]
    _write(package / "codings" / "reconciliation.csv", log)
    problems = validate_casebase(package)
    file = "codings/reconciliation.csv"
    # everyone coded 0.33 for alpha / portage_administratif: score_a and score are wrong, and the
    # coders agree there, so the row is not a disagreement either
    assert sorted(_where(problems)) == [(file, 3, "case_id,variable"), (file, 3, "score"),
                                        (file, 3, "score_a"), (file, 4, "case_id,variable")]
    p = _single(problems, file, 3, "score_a")
    assert p.found == 1.0 and "(0.33)" in p.expected  # coder A coded 0.33 for this unit
    _write(package / "codings" / "reconciliation.csv", log[:2])
    assert validate_casebase(package) == []


def test_channel_vocabulary_is_complete_and_labelled():
    channels = codebook.CHANNELS
    assert codebook.VOCABULARIES["channel"] is channels
    for lang in ("fr", "en"):  # labels must be unique so that labelled() keeps categories distinct
        assert len(set(channels.labels(lang))) == len(channels)
    assert all(t.description for t in channels)
    # the French labels carry their accents (not ASCII transliterations of the slugs)
    assert channels.label("enquete_terrain") == "Enquête de terrain"
    assert channels.label("reunion_publique", "en") == "Public meeting"


def test_codings_attribute_documents_every_resource_it_holds(package):
    cb = load_casebase(package)
    assert set(cb.codings) == set(cbmod.CODING_RESOURCES)
    doc = CaseBase.__doc__.split("codings : dict")[1].split("path : Path")[0]
    for name in cb.codings:
        assert f"``{name}``" in doc, name


# -- participation: two codings, reconciled table, log ---------------------------------------
# Fixture units: alpha/usagers/diagnostic (line 2, level 4, evidence on two lines, so the next
# record starts on line 4), alpha/agents/conception (line 4, level 3), beta/usagers/decision (5).
PART = "participation.csv"
PART_B = "codings/coder_b/participation.csv"
PART_LOG = "codings/reconciliation_participation.csv"


def test_participation_disagreement_needs_a_note_and_a_copied_log(package):
    _set(package, PART_B, 4, "level", "4")  # coder B: 4 where A (and the table) have 3
    problems = validate_casebase(package)
    assert _where(problems) == [(PART_LOG, None, "case_id,actor,stage")]  # the log lacks its row
    assert "coder A 3, coder B 4" in problems[0].hint
    _set(package, PART, 4, "note", "A retenu : les agents travaillent aux côtés des designers.")
    problems = validate_casebase(package)
    assert _where(problems) == [(PART_LOG, None, "case_id,actor,stage")]  # the log lacks its row
    assert problems[0].found == "alpha / agents / conception"
    _set(package, PART, 4, "evidence", "Binômes.")
    log = [PARTICIPATION_LOG_HEADER,
           ["alpha", "agents", "conception", "3", "4", "3", "Binômes.", "S001",
            "A retenu : les agents travaillent aux côtés des designers."],
           ["alpha", "usagers", "diagnostic", "4", "4", "5", "Ateliers.", "S001", "Pas un désaccord."]]
    _write(package / PART_LOG, log)
    problems = validate_casebase(package)
    # alpha/usagers/diagnostic: the table says 4, not 5; and the coders agree on it
    assert sorted(_where(problems)) == [(PART_LOG, 3, "case_id,actor,stage"), (PART_LOG, 3, "level")]
    level = _single(problems, PART_LOG, 3, "level")
    assert "(4)" in level.expected and "participation.csv" in level.expected
    assert _single(problems, PART_LOG, 3, "case_id,actor,stage").expected == "a unit where the coders disagree"
    _write(package / PART_LOG, log[:2])
    assert validate_casebase(package) == []
    cb = load_casebase(package)
    assert cb.codings["reconciliation_participation"]["level_b"].tolist() == [4]
    assert cb.codings["coder_b_participation"]["coder"].unique().tolist() == ["B"]


def test_participation_keeps_the_level_the_coders_agree_on(package):
    _set(package, PART, 5, "level", "4")
    _set(package, PART, 5, "note", "Changé sans désaccord.")
    problems = validate_casebase(package)
    assert _where(problems) == [(PART, 5, "level"), (PART, 5, "note")]
    assert "(5)" in problems[0].expected


def test_participation_table_and_codings_hold_the_same_units(package):
    rows = _read(package / PART)
    _write(package / PART, rows[:-1])  # beta/usagers/decision dropped from the reconciled table
    problems = validate_casebase(package)
    assert [(p.file, p.line, p.found) for p in problems] == [(PART, None, "beta / usagers / decision")]
    assert problems[0].expected == "a row for this unit (the rebuild from the codings has one)"
    _write(package / PART, rows)
    coder_rows = _read(package / PART_B)
    _write(package / PART_B, coder_rows[:-1])  # coder B did not code it
    problems = validate_casebase(package)
    assert [(p.file, p.line, p.column, p.found) for p in problems] == [
        (PART_B, None, "case_id,actor,stage", "beta / usagers / decision")]
    _write(package / PART_B, coder_rows)
    _write(package / PART, [rows[0], rows[2], rows[1], *rows[3:]])  # same units, another order
    problems = validate_casebase(package)
    assert [(p.file, p.line, p.column) for p in problems] == [(PART, 2, "case_id,actor,stage")]
    assert "orders rows" in problems[0].expected


def test_an_invalid_level_in_a_coding_is_one_problem(package):
    _set(package, PART_B, 2, "level", "6")
    problems = validate_casebase(package)
    assert _where(problems) == [(PART_B, 2, "level")]


def test_numbers_beyond_the_machine_range_are_cell_errors(package):
    # before: the 25-digit population passed validation and load_casebase crashed with a raw
    # OverflowError (Int64), and 1e400 was read as inf
    _set(package, "cases.csv", 2, "population", "9" * 25)
    _set(package, "conditions.csv", 3, "score", "1e400")
    problems = validate_casebase(package)
    pop = _single(problems, "cases.csv", 2, "population")
    assert pop.found == "9" * 25 and "64-bit" in pop.expected
    assert "range of a float" in _single(problems, "conditions.csv", 3, "score").hint
    with pytest.raises(DataError):
        load_casebase(package)


def test_from_frames_types_as_the_loader_does(package):
    """A round trip: the loaded tables, given back as plain object columns, come out of
    ``from_frames`` with the loader's dtypes and values."""
    cb = load_casebase(package)
    plain = {name: getattr(cb, name).astype(object) for name in cbmod.CASEBASE_TABLES}
    again = CaseBase.from_frames(plain.pop("cases"), **plain,
                                 codings={k: v.astype(object) for k, v in cb.codings.items()})
    for name in (*cbmod.CASEBASE_TABLES, *cb.codings):
        pd.testing.assert_frame_equal(again.resource(name), cb.resource(name), obj=name)


def test_from_frames_rejects_what_the_schema_does_not_declare():
    with pytest.raises(ValueError, match=r"conditions\.condition: \['experimentation'\]"):
        CaseBase.from_frames(pd.DataFrame({"case_id": ["a"]}), conditions=pd.DataFrame(
            {"case_id": ["a"], "condition": ["experimentation"], "score": [1.0]}))
    with pytest.raises(ValueError, match=r"cases: columns \['nom'\] are not declared"):
        CaseBase.from_frames(pd.DataFrame({"case_id": ["a"], "nom": ["A"]}))
    with pytest.raises(ValueError, match="not resources of the case base"):
        CaseBase.from_frames(pd.DataFrame({"case_id": ["a"]}), codings={"coder_z": pd.DataFrame()})
