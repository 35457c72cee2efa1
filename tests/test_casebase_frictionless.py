"""data/cases is a valid Data Package for the standard's reference implementation, frictionless.

The project's own checker (``validate_casebase``) applies the codebook and the ``coanalysis:``
rules with its own messages; this test makes sure that any standard reader takes the package as
it is: the descriptor against the Data Package and Table Schema profiles, and every CSV against
its schema (types, constraints, primary and foreign keys). frictionless is a dev dependency
(pyproject.toml ``[dev]``, pinned in requirements/lock.txt), never needed at run time.
"""

from __future__ import annotations

import csv
import shutil

import frictionless

from coanalysis.paths import project_root

SHIPPED = project_root() / "data" / "cases"


def _errors(report: frictionless.Report) -> list[str]:
    """Every error of a report, with its resource, row and field, one per line."""
    out = [f"package: {e.message}" for e in report.errors]
    for task in report.tasks:
        out += [f"{task.name}: {e.message}" for e in task.errors]
    return out


def test_shipped_package_is_valid_for_frictionless():
    report = frictionless.validate(SHIPPED / "datapackage.json")
    assert report.valid, "\n".join(_errors(report))
    names = {task.name for task in report.tasks}
    assert {"cases", "sources", "conditions", "coder_a_conditions", "reconciliation"} <= names


def test_frictionless_reads_the_data_of_a_corrupted_copy(tmp_path):
    """The check above is not empty: frictionless does read the rows and the keys."""
    copy = tmp_path / "cases"
    shutil.copytree(SHIPPED, copy)
    with (copy / "flows.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    rows[1][header.index("channel")] = "atelier_participatif"   # not in the enum
    rows[2][header.index("case_id")] = "no_such_case"           # foreign key to cases
    with (copy / "flows.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    report = frictionless.validate(copy / "datapackage.json")
    assert not report.valid
    flows = next(task for task in report.tasks if task.name == "flows")
    assert {e.type for e in flows.errors} == {"constraint-error", "foreign-key"}
    assert [t.name for t in report.tasks if not t.valid] == ["flows"]
