"""The shipped case base (data/cases) is valid and complete. No skip: missing data fails."""

from __future__ import annotations

import csv
import shutil

import pytest

from coanalysis import codebook, load_casebase, validate_casebase
from coanalysis.agreement import coder_agreement
from coanalysis.loaders import casebase_datapackage
from coanalysis.paths import project_root

SHIPPED = project_root() / "data" / "cases"
OST2019 = {"transfo", "carte_blanche_cahors", "grenoble_ejm", "strasbourg_pnu",
           "voironnais_barometre"}
TRANSFO_SITES = {"transfo_bourgogne", "transfo_champagne_ardenne", "transfo_pays_de_la_loire",
                 "transfo_paca", "transfo_mulhouse", "transfo_paris", "transfo_dunkerque",
                 "transfo_occitanie", "transfo_lille"}


@pytest.fixture(scope="module")
def cb():
    return load_casebase(SHIPPED)


def test_shipped_package_is_valid():
    problems = validate_casebase(SHIPPED)
    assert problems == [], "\n".join(map(str, problems))


def test_no_text_cell_of_a_corrupted_copy_may_run_as_a_formula(tmp_path):
    """A formula slipped into a copy of the shipped tables is reported where it is, and only it."""
    copy = tmp_path / "cases"
    shutil.copytree(SHIPPED, copy)
    injected = {"sources.csv": (4, "title", '=HYPERLINK("http://example.org","S")'),
                "flows.csv": (3, "evidence", "@SUM(1+1)*cmd|' /C calc'!A0"),
                "codings/coder_a/outcomes.csv": (2, "evidence", "-1+2")}
    for file, (line, column, text) in injected.items():
        with (copy / file).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert all("\n" not in cell for row in rows[:line] for cell in row)  # line = row index + 1
        rows[line - 1][rows[0].index(column)] = text
        with (copy / file).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    problems = validate_casebase(copy)
    assert sorted((p.file, p.line, p.column, p.found) for p in problems) == sorted(
        (file, line, column, text) for file, (line, column, text) in injected.items())
    assert all("formula" in p.hint for p in problems)


def test_every_resource_has_its_file():
    for resource in casebase_datapackage()["resources"]:
        assert (SHIPPED / resource["path"]).is_file(), resource["path"]


def test_the_five_study_cases_and_the_comparables(cb):
    corpus = cb.cases.set_index("case_id")["corpus"]
    assert set(corpus[corpus == "ost2019"].index) == OST2019
    assert (corpus == "comparables").sum() >= 30
    parents = cb.cases.set_index("case_id")["parent_case"]
    assert (parents.loc[sorted(TRANSFO_SITES)] == "transfo").all()
    assert parents.loc["carte_blanche_argenteuil"] == "carte_blanche_cahors"
    assert parents.loc[sorted(OST2019)].isna().all()


def test_every_coded_value_is_sourced(cb):
    for name, value in (("participation", "level"), ("conditions", "score"),
                        ("outcomes", "score")):
        df = cb.resource(name)
        coded = df[df[value].notna()]
        assert len(coded) > 0, name
        assert coded["evidence"].str.strip().str.len().gt(0).all(), name
        assert coded["source_id"].notna().all(), name
        assert coded["source_id"].isin(cb.sources["source_id"]).all(), name
    assert cb.flows["source_id"].isin(cb.sources["source_id"]).all()


def test_conditions_and_outcomes_cover_every_case(cb):
    n = len(cb.cases)
    assert len(cb.conditions) == n * len(codebook.CONDITIONS)
    assert len(cb.outcomes) == n * len(codebook.OUTCOMES)
    for name in ("coder_a_conditions", "coder_b_conditions"):
        assert len(cb.codings[name]) == n * len(codebook.CONDITIONS)


def test_study_cases_have_participation_and_flows(cb):
    for table in (cb.participation, cb.flows):
        assert OST2019 <= set(table["case_id"])


def test_every_disagreement_is_in_the_reconciliation_log(cb):
    table = coder_agreement(cb).set_index(["table", "variable"])
    overall = table.loc[("(all)", "(all)")]
    disagreements = (overall["n_pairable"] - overall["n_exact"]) + overall["n_na_some"]
    assert disagreements == len(cb.codings["reconciliation"])
    assert -1 <= overall["alpha"] <= 1
    log = cb.codings["reconciliation"]
    # the log's units are exactly the units where the codings differ
    units = set(zip(log["table"], log["case_id"], log["variable"]))
    for tbl, item in (("conditions", "condition"), ("outcomes", "outcome")):
        a = cb.codings[f"coder_a_{tbl}"].set_index(["case_id", item])["score"]
        b = cb.codings[f"coder_b_{tbl}"].set_index(["case_id", item])["score"].reindex(a.index)
        differ = (a.isna() != b.isna()) | ((a - b).abs() > 1e-9).fillna(False)  # scores >= 0.33 apart
        expected = {(tbl, c, str(v)) for c, v in differ[differ].index}
        assert expected == {u for u in units if u[0] == tbl}


def test_as_coded_by_swaps_in_one_coders_tables(cb):
    from coanalysis import metrics
    for coder in ("coder_a", "coder_b"):
        coded = cb.as_coded_by(coder)
        for table in ("conditions", "outcomes", "participation"):
            assert getattr(coded, table) is cb.codings[f"{coder}_{table}"]
        assert coded.cases is cb.cases and coded.flows is cb.flows
    a, b = cb.as_coded_by("coder_a"), cb.as_coded_by("coder_b")
    # where both coders give the same four principles, the index is the same under both codings
    pa, pb = metrics.principle_profile(a), metrics.principle_profile(b)
    same = [c for c in pa.index if pa.loc[c].fillna(-1).equals(pb.loc[c].fillna(-1))]
    assert 0 < len(same) < len(pa)
    ia, ib = metrics.coconstruction_index(a, "mean"), metrics.coconstruction_index(b, "mean")
    assert ia.loc[same].equals(ib.loc[same])
    # and the reconciled index too, where the coders agree on every principle
    assert metrics.coconstruction_index(cb, "mean").loc[same].equals(ia.loc[same])
    with pytest.raises(KeyError, match="coder_a"):
        cb.as_coded_by("coder_c")
