"""Reconciliation of the two independent codings into conditions.csv and outcomes.csv.

Checks, on the shipped data: the reconciled tables are exactly what
``scripts/build_casebase_scores.py`` produces (round trip through a rebuild in a
temporary folder); every disagreement of the codings has exactly one
reconciliation row and no agreement has one; agreed units are carried unchanged
(score, coder A's evidence and source); no score is 0.5; the agreement printed
and quoted in data/README.md matches a direct computation with the
``krippendorff`` package. Corrupted copies of the data must stop the build with
a DataError naming the problem.
"""

from __future__ import annotations

import importlib.util
import math
import re
import shutil
import sys
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest

from coanalysis import codebook
from coanalysis.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "cases"
SCRIPT = ROOT / "scripts" / "build_casebase_scores.py"
TABLES = {"conditions": ("condition", codebook.CONDITIONS),
          "outcomes": ("outcome", codebook.OUTCOMES)}
ALLOWED = {"", "0", "0.33", "0.67", "1"}


def _load_script():
    spec = importlib.util.spec_from_file_location("build_casebase_scores", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return _load_script()


def _text(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _pairs(table: str) -> pd.DataFrame:
    item = TABLES[table][0]
    a = _text(DATA / "codings" / "coder_a" / f"{table}.csv")
    b = _text(DATA / "codings" / "coder_b" / f"{table}.csv")
    return a.merge(b, on=["case_id", item], suffixes=("_a", "_b"), validate="one_to_one")


def _as_float(text: str) -> float:
    return float("nan") if text == "" else float(text)


def _disagree(sa: str, sb: str) -> bool:
    a, b = _as_float(sa), _as_float(sb)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) != math.isnan(b)
    return abs(a - b) > 1e-9


@pytest.fixture(scope="module")
def reconciliation() -> pd.DataFrame:
    return _text(DATA / "codings" / "reconciliation.csv")


@pytest.fixture(scope="module")
def url_to_id() -> dict[str, str]:
    sources = _text(DATA / "sources.csv")
    return dict(zip(sources["url"], sources["source_id"]))


def test_rebuild_round_trip(script, tmp_path):
    """Rebuilding from the codings reproduces the shipped tables byte for byte."""
    assert script.main(["--data", str(DATA), "--out", str(tmp_path)]) == 0
    for table in TABLES:
        assert (tmp_path / f"{table}.csv").read_bytes() == (DATA / f"{table}.csv").read_bytes(), table


def test_shipped_tables_have_schema_columns_and_order():
    cases = list(_text(DATA / "cases.csv")["case_id"])
    for table, (item, vocab) in TABLES.items():
        frame = _text(DATA / f"{table}.csv")
        assert list(frame.columns) == ["case_id", item, "score", "evidence", "source_id", "coder", "note"]
        expected = [(c, s) for c in cases for s in vocab.slugs]
        assert list(zip(frame["case_id"], frame[item])) == expected
        assert set(frame["coder"]) == {"A+B"}


@pytest.mark.parametrize("table", list(TABLES))
def test_each_disagreement_has_exactly_one_reconciliation_row(table, reconciliation):
    item = TABLES[table][0]
    pairs = _pairs(table)
    disagreeing = {(r["case_id"], r[item]) for _, r in pairs.iterrows()
                   if _disagree(r["score_a"], r["score_b"])}
    rows = reconciliation[reconciliation["table"] == table]
    keys = list(zip(rows["case_id"], rows["variable"]))
    assert len(keys) == len(set(keys)), "a unit is reconciled twice"
    assert set(keys) == disagreeing


def test_reconciliation_rows_are_complete(reconciliation):
    """Coder scores match the codings; a note everywhere; a reconciled score has evidence and a source."""
    assert list(reconciliation.columns) == ["table", "case_id", "variable", "score_a", "score_b",
                                            "score", "evidence", "source_url", "note"]
    for table, (item, _) in TABLES.items():
        pairs = _pairs(table).set_index(["case_id", item])
        for _, r in reconciliation[reconciliation["table"] == table].iterrows():
            pair = pairs.loc[(r["case_id"], r["variable"])]
            assert not _disagree(r["score_a"], pair["score_a"])
            assert not _disagree(r["score_b"], pair["score_b"])
    assert (reconciliation["note"].str.len() > 0).all()
    scored = reconciliation[reconciliation["score"] != ""]
    assert (scored["evidence"].str.len() > 0).all()
    assert (scored["source_url"].str.len() > 0).all()


@pytest.mark.parametrize("table", list(TABLES))
def test_agreements_are_carried_unchanged(table, url_to_id):
    item = TABLES[table][0]
    pairs = _pairs(table)
    built = _text(DATA / f"{table}.csv").set_index(["case_id", item])
    n = 0
    for _, r in pairs.iterrows():
        if _disagree(r["score_a"], r["score_b"]):
            continue
        n += 1
        row = built.loc[(r["case_id"], r[item])]
        assert not _disagree(row["score"], r["score_a"])
        assert row["evidence"] == r["evidence_a"]
        assert row["note"] == ""
        if r["source_url_a"]:
            # exact URL, or the one spelling of sources.csv that drops trailing dots
            expected = url_to_id.get(r["source_url_a"]) or url_to_id[r["source_url_a"].rstrip(".")]
            assert row["source_id"] == expected
        else:
            assert row["source_id"] == ""
    assert n > 0


@pytest.mark.parametrize("table", list(TABLES))
def test_disagreements_take_the_reconciliation_row(table, reconciliation, url_to_id):
    item = TABLES[table][0]
    built = _text(DATA / f"{table}.csv").set_index(["case_id", item])
    for _, r in reconciliation[reconciliation["table"] == table].iterrows():
        row = built.loc[(r["case_id"], r["variable"])]
        assert row["score"] == r["score"]
        assert row["evidence"] == r["evidence"]
        assert row["note"] == r["note"] and row["note"] != ""
        url = r["source_url"]
        assert row["source_id"] == (url_to_id.get(url) or url_to_id.get(url.rstrip("."), "")
                                    if url else "")


def test_no_half_scores_anywhere(reconciliation):
    for table in TABLES:
        assert set(_text(DATA / f"{table}.csv")["score"]) <= ALLOWED
    for col in ("score_a", "score_b", "score"):
        assert set(reconciliation[col]) <= ALLOWED


def test_agreement_matches_krippendorff_package(script):
    """Alpha per table equals a direct krippendorff.alpha on the coders x units matrix."""
    agreement = script.build(DATA).agreement.set_index(["table", "variable"])
    for table, (item, _) in TABLES.items():
        pairs = _pairs(table)
        matrix = np.vstack([pairs["score_a"].map(_as_float), pairs["score_b"].map(_as_float)])
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
        got = agreement.loc[(table, "(all)"), "alpha"]
        assert got == pytest.approx(expected, abs=1e-12)
        n_disagree = sum(_disagree(a, b) for a, b in zip(pairs["score_a"], pairs["score_b"]))
        row = agreement.loc[(table, "(all)")]
        assert row["n_units"] - row["n_na_all"] - row["n_exact"] == n_disagree


def test_readme_quotes_the_computed_alphas(script):
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    agreement = script.build(DATA).agreement.set_index(["table", "variable"])
    for table, label in (("conditions", "conditions"), ("outcomes", "résultats")):
        match = re.search(rf"\*\*{label}\*\* : α = (\d),(\d\d)", text)
        assert match, f"no alpha quoted for {table}"
        quoted = float(f"{match.group(1)}.{match.group(2)}")
        assert quoted == pytest.approx(agreement.loc[(table, "(all)"), "alpha"], abs=0.005)


# ---- corrupted copies must stop the build -------------------------------------------------


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    target = tmp_path / "cases"
    shutil.copytree(DATA, target)
    return target


def _rewrite(path: Path, edit) -> None:
    frame = _text(path)
    changed = edit(frame)
    frame = frame if changed is None else changed
    frame.to_csv(path, index=False, lineterminator="\n")


def test_missing_reconciliation_row_is_reported(script, data_copy, reconciliation):
    first = reconciliation.iloc[0]
    _rewrite(data_copy / "codings" / "reconciliation.csv", lambda f: f.drop(index=0))
    with pytest.raises(DataError) as info:
        script.build(data_copy)
    assert any(first["case_id"] in str(p.found) and first["variable"] in str(p.found)
               for p in info.value.problems)


def test_reconciliation_row_for_an_agreement_is_reported(script, data_copy):
    def add(frame):
        frame.loc[len(frame)] = ["conditions", "bp_paris", "portage_politique", "1", "1", "1",
                                 "x", "https://www.labodemocratieouverte.org/budgetparticipatifparis/",
                                 "not a disagreement"]
    _rewrite(data_copy / "codings" / "reconciliation.csv", add)
    with pytest.raises(DataError) as info:
        script.build(data_copy)
    assert any(p.expected == "a unit where the coders disagree" for p in info.value.problems)


def test_unknown_url_is_reported_with_its_line(script, data_copy):
    def edit(frame):
        frame.loc[0, "source_url"] = "https://example.org/not-in-sources"
    _rewrite(data_copy / "codings" / "reconciliation.csv", edit)
    with pytest.raises(DataError) as info:
        script.build(data_copy)
    [problem] = [p for p in info.value.problems if p.column == "source_url"]
    assert problem.found == "https://example.org/not-in-sources"
    assert problem.line == 2


def test_half_score_is_rejected(script, data_copy):
    def edit(frame):
        frame.loc[3, "score"] = "0.5"
    _rewrite(data_copy / "codings" / "coder_b" / "conditions.csv", edit)
    with pytest.raises(DataError) as info:
        script.build(data_copy)
    assert any(p.found == "0.5" and p.line == 5 for p in info.value.problems)


def test_missing_note_is_reported(script, data_copy):
    def edit(frame):
        frame.loc[1, "note"] = ""
    _rewrite(data_copy / "codings" / "reconciliation.csv", edit)
    with pytest.raises(DataError) as info:
        script.build(data_copy)
    assert any(p.column == "note" and p.line == 3 for p in info.value.problems)


def test_repeated_coding_row_is_reported(script, data_copy):
    path = data_copy / "codings" / "coder_a" / "outcomes.csv"
    frame = _text(path)
    pd.concat([frame, frame.iloc[[0]]]).to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(DataError) as info:
        script.build(data_copy)
    assert any(p.expected == "one row per case and term" and p.line == len(frame) + 2
               for p in info.value.problems)
