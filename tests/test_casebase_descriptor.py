"""A case-base descriptor of any form gives a report, never a crash; its paths stay in the folder.

``validate_casebase`` promises a list of problems: a ``datapackage.json`` that is not the object
the checker expects (a list, a string, resources of the wrong form, missing ``path`` or
``schema``, invalid JSON...) is one problem per fault, naming the property, and
``load_casebase`` raises a DataError listing the same problems. A resource ``path`` that leaves
the package folder (``..``, absolute, Windows drive or UNC, URL, symbolic link) is refused before
anything is opened, and the error never quotes the outside file.
"""

from __future__ import annotations

import builtins
import doctest
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from coanalysis.errors import DataError
from coanalysis.loaders import _paths, load_casebase, validate_casebase
from coanalysis.loaders.casebase import read_resources

from test_casebase import write_package  # noqa: E402

DESCRIPTOR = "datapackage.json"
#: First line of the outside file: it must never appear in a message.
SECRET = "root:x:0:0:SECRET-FIRST-LINE"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write_package(tmp_path / "cases")


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))


def _save(folder: Path, descriptor) -> None:
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor), encoding="utf-8")


def _report_and_error(folder: Path) -> list:
    """The report of a broken package; loading it raises a DataError with the same problems."""
    problems = validate_casebase(folder)
    assert problems, "a broken descriptor must be reported"
    with pytest.raises(DataError) as info:
        load_casebase(folder)
    assert info.value.problems == problems
    _, read_problems = read_resources(["cases", "sources"], folder)  # the build's reader: no crash
    assert read_problems
    return problems


# -- a descriptor that is not an object of resources ---------------------------------------

@pytest.mark.parametrize("descriptor,column,expected", [
    ([], None, "a JSON object whose 'resources' is a list"),
    ("a string", None, "a JSON object whose 'resources' is a list"),
    (42, None, "a JSON object whose 'resources' is a list"),
    ({}, "resources", "a list of resource objects"),
    ({"resources": {"cases": {}}}, "resources", "a list of resource objects"),
    ({"resources": "cases.csv"}, "resources", "a list of resource objects"),
])
def test_descriptor_of_another_form_is_one_problem(package, descriptor, column, expected):
    _save(package, descriptor)
    [problem] = _report_and_error(package)
    assert (problem.file, problem.line, problem.column) == (DESCRIPTOR, None, column)
    assert problem.expected.startswith(expected)
    assert "write_casebase_datapackage" in problem.hint


def test_invalid_json_is_one_problem_with_its_line(package):
    (package / DESCRIPTOR).write_text('{\n  "resources": [\n    {"name": "cases",,}\n', encoding="utf-8")
    [problem] = _report_and_error(package)
    assert (problem.file, problem.line, problem.expected) == (DESCRIPTOR, 3, "valid JSON")
    assert "line 3, column" in problem.hint


def test_a_resource_that_is_not_an_object(package):
    dp = _descriptor(package)
    dp["resources"][1] = "sources.csv"
    dp["resources"].append(7)
    _save(package, dp)
    problems = _report_and_error(package)
    at = {p.column: p for p in problems}
    assert at["resources[1]"].found == "sources.csv"
    assert at["resources[1]"].expected == "a JSON object"
    assert at[f"resources[{len(dp['resources']) - 1}]"].found == 7
    # the resource that is gone is named once; the tables that refer to it are not checked
    # against it (no foreign-key problem per row)
    assert [p.expected for p in problems if p.column is None] == ["a resource named 'sources'"]
    assert all(p.file == DESCRIPTOR for p in problems)


def _edit(resource_index: int, edit):
    def apply(dp):
        edit(dp["resources"][resource_index])
    return apply


def _set_field(resource: int, field: int, key: str, value):
    def apply(dp):
        dp["resources"][resource]["schema"]["fields"][field][key] = value
    return apply


def _set_constraint(resource: int, field: int, key: str, value):
    def apply(dp):
        dp["resources"][resource]["schema"]["fields"][field].setdefault("constraints", {})[key] = value
    return apply


def _set_schema(resource: int, key: str, value):
    def apply(dp):
        dp["resources"][resource]["schema"][key] = value
    return apply


# resources[0] is cases (fields: 0 case_id ... 7 population ... 16 source_ids), [1] sources,
# [3] conditions, [12] reconciliation: the order of casebase_datapackage()
@pytest.mark.parametrize("edit,column,found,expected", [
    (_edit(0, lambda r: r.pop("path")), "resources[0] (cases).path", None, "the path of"),
    (_edit(0, lambda r: r.update(path=3)), "resources[0] (cases).path", 3, "a path relative"),
    (_edit(0, lambda r: r.update(path=None)), "resources[0] (cases).path", None, "a path relative"),
    (_edit(0, lambda r: r.update(path=["cases.csv", "more.csv"])), "resources[0] (cases).path",
     '["cases.csv", "more.csv"]', "a path relative to the package folder, not a list of paths"),
    (_edit(0, lambda r: r.pop("schema")), "resources[0] (cases).schema", None, "a JSON object"),
    (_edit(0, lambda r: r.update(schema=[])), "resources[0] (cases).schema", "[]", "a JSON object"),
    (_edit(0, lambda r: r.pop("name")), "resources[0].name", None, "a string"),
    (_set_schema(0, "fields", "case_id"), "resources[0] (cases).schema.fields", "case_id",
     "a list of JSON objects"),
    (_edit(0, lambda r: r["schema"]["fields"].__setitem__(0, "case_id")),
     "resources[0] (cases).schema.fields[0]", "case_id", "a JSON object"),
    (_edit(0, lambda r: r["schema"]["fields"][1].pop("name")),
     "resources[0] (cases).schema.fields[1].name", None, "a string"),
    (_set_field(0, 7, "constraints", ["required"]),
     "resources[0] (cases).schema.fields[7].constraints", '["required"]', "a JSON object"),
    (_set_constraint(0, 7, "minimum", "0"),
     "resources[0] (cases).schema.fields[7].constraints.minimum", "0", "a number"),
    (_set_constraint(0, 7, "required", "yes"),
     "resources[0] (cases).schema.fields[7].constraints.required", "yes", "true or false"),
    (_set_constraint(0, 0, "minimum", 1),
     "resources[0] (cases).schema.fields[0].constraints.minimum", 1, "no minimum on a string field"),
    (_set_constraint(0, 0, "pattern", "[a-z"),
     "resources[0] (cases).schema.fields[0].constraints.pattern", "[a-z", "a valid regular expression"),
    (_set_field(0, 7, "type", "datetime"), "resources[0] (cases).schema.fields[7].type", "datetime",
     "a type the checker reads"),
    (_set_field(0, 16, "delimiter", ""), "resources[0] (cases).schema.fields[16].delimiter", "",
     "a non-empty delimiter"),
    (_set_schema(0, "missingValues", ""), "resources[0] (cases).schema.missingValues", "",
     "a list of strings"),
    (_set_schema(0, "primaryKey", ["case"]), "resources[0] (cases).schema.primaryKey", "case",
     "a field declared in the schema"),
    (_set_schema(0, "foreignKeys", [{"fields": "parent_case"}]),
     "resources[0] (cases).schema.foreignKeys[0].reference", None, "a JSON object (required"),
    (_set_schema(0, "foreignKeys", [{"fields": ["parent_case", "name"],
                                     "reference": {"resource": "cases", "fields": ["case_id", "name"]}}]),
     "resources[0] (cases).schema.foreignKeys[0].fields", '["parent_case", "name"]',
     "a foreign key on one field"),
    (_set_schema(0, "coanalysis:itemForeignKeys", [{"fields": "name", "reference": {
        "resource": "sources", "fields": "source_id"}}]),
     "resources[0] (cases).schema.coanalysis:itemForeignKeys[0].fields", "name",
     "a field of type list"),
    (_set_schema(0, "coanalysis:rules", [{"rule": "not_before", "field": "end_year"}]),
     "resources[0] (cases).schema.coanalysis:rules[0].other", None, "a string (required"),
    (_set_schema(0, "coanalysis:rules", [{"rule": "not_before", "field": "end", "other": "start_year"}]),
     "resources[0] (cases).schema.coanalysis:rules[0].field", "end", "a field declared"),
    (_set_schema(0, "coanalysis:rules", {"rule": "not_before"}),
     "resources[0] (cases).schema.coanalysis:rules", '{"rule": "not_before"}', "a list of JSON objects"),
    (_set_schema(3, "coanalysis:allCombinations", ["case_id"]),
     "resources[3] (conditions).schema.coanalysis:allCombinations", '["case_id"]', "two field names"),
    (_set_schema(3, "coanalysis:allCombinations", ["case_id", "evidence"]),
     "resources[3] (conditions).schema.coanalysis:allCombinations", "evidence",
     "an item field with an enum"),
    (_edit(3, lambda r: r["schema"]["coanalysis:reconciles"]["log"]["key"].pop("case_id")),
     "resources[3] (conditions).schema.coanalysis:reconciles.log.key", '{"condition": "variable"}',
     "a log field for every primary-key field"),
    (_edit(12, lambda r: r["schema"]["coanalysis:matches"]["values"].update(score="{tabel}")),
     "resources[12] (reconciliation).schema.coanalysis:matches.values.score", "{tabel}",
     "a resource name, with {table} as its only placeholder"),
])
def test_a_resource_the_checker_cannot_read_is_one_problem(package, edit, column, found, expected):
    dp = _descriptor(package)
    edit(dp)
    _save(package, dp)
    problems = _report_and_error(package)
    assert all(p.file == DESCRIPTOR and p.line is None for p in problems)
    mine = [p for p in problems if p.column == column]
    assert len(mine) == 1, "\n".join(map(str, problems))
    assert mine[0].found == found
    assert mine[0].expected.startswith(expected), mine[0].expected
    # nothing but the fault and, when the resource lost its name, that the name is missing
    others = [p for p in problems if p is not mine[0]]
    assert all(p.expected == "a resource named 'cases'" or "reference" in (p.column or "")
               for p in others), "\n".join(map(str, others))


def test_a_resource_named_twice_is_reported_and_read_once(package):
    dp = _descriptor(package)
    dp["resources"].append(dict(dp["resources"][1], path="cases.csv"))
    _save(package, dp)
    [problem] = _report_and_error(package)
    assert problem.column == f"resources[{len(dp['resources']) - 1}] (sources).name"
    assert problem.expected == "a resource name used once (already resources[1])"


def test_a_foreign_key_to_no_resource_is_reported(package):
    dp = _descriptor(package)
    dp["resources"][2]["schema"]["foreignKeys"][0]["reference"]["resource"] = "casez"
    _save(package, dp)
    [problem] = _report_and_error(package)
    assert problem.column == "resources[2] (participation).schema.foreignKeys[0].reference"
    assert (problem.found, problem.expected) == ("casez", "the name of a resource of the descriptor")


def test_an_unknown_vocabulary_is_reported_and_read_does_not_crash(package):
    dp = _descriptor(package)
    dp["resources"][2]["schema"]["fields"][1]["coanalysis:vocabulary"] = "martians"
    _save(package, dp)
    frames, problems = read_resources(["participation"], package)
    assert [(p.column, p.expected) for p in problems] == [
        ("participation.actor", "the slugs of the codebook vocabulary 'martians'")]
    assert len(frames["participation"]) == 3


# -- resource paths stay inside the package folder -----------------------------------------

@pytest.fixture
def outside(tmp_path: Path, package: Path) -> Path:
    """A valid cases.csv outside the package folder, whose first line is a secret."""
    folder = tmp_path / "outside"
    folder.mkdir()
    target = folder / "cases.csv"
    shutil.copy(package / "cases.csv", target)
    return target


def _opened_paths(monkeypatch) -> list[Path]:
    """Record every file opened from now on (builtins.open, Path.open, Path.read_*)."""
    opened: list[Path] = []
    real_open, real_path_open = builtins.open, Path.open

    def record(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)):
            opened.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    def path_open(self, *args, **kwargs):
        opened.append(self.resolve())
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", record)
    monkeypatch.setattr(io, "open", record)
    monkeypatch.setattr(Path, "open", path_open)
    return opened


def _point_cases_to(package: Path, path: str) -> None:
    dp = _descriptor(package)
    dp["resources"][0]["path"] = path
    _save(package, dp)


def _assert_refused(package: Path, path: str, monkeypatch, outside: Path | None = None,
                    reason: str = "") -> None:
    """The cases resource's ``path`` is reported, nothing outside is opened nor quoted."""
    opened = _opened_paths(monkeypatch)
    problems = validate_casebase(package)
    with pytest.raises(DataError) as info:
        load_casebase(package)
    monkeypatch.undo()
    [problem] = [p for p in problems if p.column == "resources[0] (cases).path"]
    assert (problem.file, problem.found) == (DESCRIPTOR, path)
    assert problem.expected.startswith("a path relative to the package folder, not " + reason)
    assert "'cases'" in problem.hint
    assert problem in info.value.problems
    # one problem: the tables that refer to cases are not checked against a file never read
    assert [p for p in problems if p is not problem] == []
    folder = package.resolve()
    assert (folder / DESCRIPTOR) in opened  # the recording sees what the checker opens
    assert [p for p in opened if not p.is_relative_to(folder)] == []
    assert "SECRET" not in str(info.value)
    if outside is not None:
        assert "Cas alpha" not in str(info.value)  # nothing of the outside CSV either


@pytest.mark.parametrize("relative,reason", [
    ("../outside/cases.csv", "a path with a '..' component"),
    ("codings/../../outside/cases.csv", "a path with a '..' component"),
])
def test_a_path_with_dotdot_to_a_valid_csv_is_refused(package, outside, monkeypatch, relative,
                                                       reason):
    _point_cases_to(package, relative)
    _assert_refused(package, relative, monkeypatch, outside, reason)


def test_an_absolute_path_to_a_valid_csv_is_refused(package, outside, monkeypatch):
    _point_cases_to(package, str(outside))
    _assert_refused(package, str(outside), monkeypatch, outside, "an absolute path")


@pytest.mark.parametrize("path", ["../../../../../../../../etc/passwd", "/etc/passwd"])
def test_etc_passwd_is_never_read_nor_quoted(package, monkeypatch, path):
    _point_cases_to(package, path)
    _assert_refused(package, path, monkeypatch)
    with pytest.raises(DataError) as info:
        load_casebase(package)
    assert "root:" not in str(info.value)


@pytest.mark.parametrize("path,reason", [
    ("C:\\Windows\\win.ini", "an absolute path or a Windows drive"),
    ("C:/data/cases.csv", "an absolute path or a Windows drive"),
    ("C:cases.csv", "an absolute path or a Windows drive"),
    ("\\\\host\\share\\cases.csv", "an absolute path or a Windows drive"),
    ("//host/share/cases.csv", "an absolute path or a Windows drive"),
    ("\\cases.csv", "an absolute path or a Windows drive"),
    ("..\\outside\\cases.csv", "a path with a backslash"),
    ("https://example.org/cases.csv", "a URL"),
    ("file:///etc/passwd", "a URL"),
    ("", "an empty path"),
])
def test_windows_url_and_empty_paths_are_refused(package, monkeypatch, path, reason):
    _point_cases_to(package, path)
    _assert_refused(package, path, monkeypatch, reason=reason)


def test_a_symlink_leading_out_is_refused(package, outside, monkeypatch):
    (package / "cases.csv").unlink()
    (package / "cases.csv").symlink_to(outside)
    _assert_refused(package, "cases.csv", monkeypatch, outside, "a symbolic link leading out")


def test_a_symlinked_folder_leading_out_is_refused(package, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(package / "codings", elsewhere)
    (package / "codings").symlink_to(elsewhere, target_is_directory=True)
    opened = _opened_paths(monkeypatch)
    problems = validate_casebase(package)
    monkeypatch.undo()
    refused = [p for p in problems if p.column and p.column.endswith(".path")]
    assert len(refused) == 8  # the eight files of codings/
    assert all(p.expected.endswith("a symbolic link leading out of the folder") for p in refused)
    assert [p for p in opened if p.is_relative_to(elsewhere.resolve())] == []


def test_a_symlink_staying_inside_is_read(package):
    (package / "data").mkdir()
    shutil.move(package / "cases.csv", package / "data" / "cases.csv")
    (package / "cases.csv").symlink_to(Path("data") / "cases.csv")
    assert validate_casebase(package) == []


@pytest.mark.parametrize("path", ["cases.csv", "./cases.csv", "codings/coder_a/outcomes.csv",
                                  "dossier à part/cas 1.csv", "codings/./coder_b/x.csv"])
def test_relative_paths_inside_are_accepted(tmp_path, path):
    assert _paths.unsafe_path_reason(path) is None
    resolved = _paths.resolve_inside(tmp_path, path, file=DESCRIPTOR)
    assert resolved == (tmp_path / path).resolve()
    assert resolved.is_relative_to(tmp_path.resolve())


def test_resolve_inside_names_the_resource_and_the_path(tmp_path):
    with pytest.raises(DataError) as info:
        _paths.resolve_inside(tmp_path, "../x.csv", file=DESCRIPTOR, column="resources[4].path",
                              resource="flows")
    [problem] = info.value.problems
    assert (problem.file, problem.column, problem.found) == (DESCRIPTOR, "resources[4].path", "../x.csv")
    assert "flows" in info.value.summary and "'flows'" in problem.hint


def test_paths_module_examples():
    result = doctest.testmod(_paths, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4 and result.failed == 0


@pytest.mark.parametrize("text,expected", [("[" * 100_000, "valid JSON of a reasonable depth"),
                                           (b"\xff\xfe{}", "a file encoded in UTF-8")])
def test_unreadable_json_is_one_problem(package, text, expected):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (package / DESCRIPTOR).write_bytes(data)
    [problem] = _report_and_error(package)
    assert (problem.file, problem.expected) == (DESCRIPTOR, expected)
