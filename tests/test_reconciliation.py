"""Reconciliation of the two independent codings into conditions.csv, outcomes.csv and
participation.csv, and the generated blocks of data/README.md and README.md.

Checks, on the shipped data: the reconciled tables are exactly what
``scripts/build_casebase_scores.py`` (``make data``) produces (round trip through a rebuild in a
temporary folder); every disagreement of the codings has exactly one
reconciliation row and no agreement has one; agreed units are carried unchanged
(score, coder A's evidence and source); no score is 0.5. Every block between markers in the
READMEs is what the build writes; the figures behind them match independent computations (the
``krippendorff`` package, direct counting of the CSV text); the bootstrap bounds contain alpha and
are reproducible under the seed. Corrupted copies of the data must stop the build with a DataError
naming the problem, and ``validate_casebase`` (which checks by rebuilding) must name the cell.
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

from coanalysis import codebook, report
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
    return abs(a - b) > 1e-9  # scores are parsed decimals at least 0.33 apart: any epsilon does


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
    for table in [*TABLES, "participation"]:
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
            assert row["source_id"] == url_to_id[r["source_url_a"]]  # exact spelling only
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
        assert row["source_id"] == (url_to_id[url] if url else "")


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
        assert got == pytest.approx(expected, abs=1e-12)  # the same sums in another order: ulps
        n_disagree = sum(_disagree(a, b) for a, b in zip(pairs["score_a"], pairs["score_b"]))
        row = agreement.loc[(table, "(all)")]
        assert row["n_units"] - row["n_na_all"] - row["n_exact"] == n_disagree


# ---- the generated blocks of data/README.md and README.md ------------------------------------

README = ROOT / "data" / "README.md"
READMES = (README, ROOT / "README.md", ROOT / "docs" / "reconciliation.md")
BEGIN, END = "<!-- agreement:begin", "<!-- agreement:end -->"


@pytest.fixture(scope="module")
def built(script):
    return script.build(DATA)


@pytest.fixture(scope="module")
def blocks(script, built):
    return script.readme_blocks(built)


def _independent_agreement(units: list[tuple[str, str]]) -> dict:
    """n scored by both, n score-vs-NA, exact share and interval alpha of (a, b) text pairs,
    computed here from the CSV text and the krippendorff package (not the project's code)."""
    a = np.array([_as_float(x) for x, _ in units])
    b = np.array([_as_float(y) for _, y in units])
    both = ~np.isnan(a) & ~np.isnan(b)
    one = np.isnan(a) != np.isnan(b)
    exact = float(np.mean(np.abs(a[both] - b[both]) < 1e-9)) if both.any() else None  # as _disagree
    values = np.unique(np.concatenate([a[both], b[both]]))
    alpha = (krippendorff.alpha(reliability_data=np.vstack([a, b]),
                                level_of_measurement="interval")
             if both.any() and len(values) > 1 else None)
    return {"units": len(units), "pair": int(both.sum()), "na_some": int(one.sum()), "exact": exact,
            "alpha": alpha}


def _raw_units() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(table, variable) -> [(score A, score B)] from the CSV text; '(all)' pools."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for table, (item, vocab) in TABLES.items():
        pairs = _pairs(table)
        for slug in vocab.slugs:
            rows = pairs[pairs[item] == slug]
            out[(table, slug)] = list(zip(rows["score_a"], rows["score_b"]))
        out[(table, "(all)")] = list(zip(pairs["score_a"], pairs["score_b"]))
    out[("(all)", "(all)")] = out[("conditions", "(all)")] + out[("outcomes", "(all)")]
    return out


def test_every_generated_block_is_what_the_build_writes(script, blocks):
    """Regenerating the blocks from the data gives exactly the text between each pair of markers
    (a stale README fails here), every marker is one the build writes, and every block the build
    writes is quoted somewhere."""
    used = set()
    for readme in READMES:
        text = readme.read_text(encoding="utf-8")
        assert script.replace_between_markers(text, blocks, file=readme.name) == text, readme
        used |= {m.group("name") for m in script.MARKER.finditer(text)}
    assert used == set(blocks)


def test_a_stale_figure_is_seen_and_rewritten(script, blocks, tmp_path):
    readme = tmp_path / "README.md"
    shipped = README.read_text(encoding="utf-8")
    stale = shipped.replace("<!-- n-sources:begin -->", "<!-- n-sources:begin -->1", 1)
    assert stale != shipped
    assert script.replace_between_markers(stale, blocks) != stale
    readme.write_text(stale, encoding="utf-8")
    assert script.main(["--data", str(DATA), "--out", str(tmp_path / "out"),
                        "--readme", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == shipped


def test_agreement_table_matches_an_independent_computation(built):
    """Every row of the conditions and outcomes agreement (per variable, per table, overall),
    recomputed from the CSV text with the krippendorff package."""
    expected = _raw_units()
    rows = built.agreement.set_index(["table", "variable"])
    assert set(rows.index) == set(expected)
    for key, units in expected.items():
        ref, row = _independent_agreement(units), rows.loc[key]
        assert (row["n_units"], row["n_pairable"], row["n_na_some"]) == (
            ref["units"], ref["pair"], ref["na_some"]), key
        for column in ("exact", "alpha"):
            if ref[column] is None:
                assert pd.isna(row[column]), key
            else:
                # the same sums in another order: a few ulps
                assert row[column] == pytest.approx(ref[column], abs=1e-12), key


def test_participation_agreement_matches_an_independent_computation(built):
    pairs = _level_pairs()
    expected = {("(all)", "(all)"): list(zip(pairs["level_a"], pairs["level_b"]))}
    for by, vocab in (("actor", codebook.ACTORS), ("stage", codebook.STAGES)):
        for slug in vocab.slugs:
            rows = pairs[pairs[by] == slug]
            if len(rows):
                expected[(by, slug)] = list(zip(rows["level_a"], rows["level_b"]))
    table = built.participation_agreement.set_index(["by", "variable"])
    assert set(table.index) == set(expected)
    for key, units in expected.items():
        ref, row = _independent_ordinal(units), table.loc[key]
        assert (row["n_pairable"], row["n_na_some"]) == (ref["pair"], ref["na_some"]), key
        for column, name in (("exact", "exact"), ("within_one", "within"), ("alpha", "alpha")):
            if ref[name] is None:
                assert pd.isna(row[column]), key
            else:
                assert row[column] == pytest.approx(ref[name], abs=1e-12), key  # same sums: ulps


def test_bootstrap_intervals_contain_alpha_and_are_deterministic(script, built):
    """The bounds are only checked for what a percentile bootstrap guarantees here (it brackets the
    point estimate on these data, within [-1, 1]) and for being the same under the same seed."""
    again = script.build(DATA)
    for first, second in ((built.agreement, again.agreement),
                          (built.participation_agreement, again.participation_agreement)):
        totals = first[first["variable"] == "(all)"]
        assert len(totals) and totals["alpha_low"].notna().all()
        for _, row in totals.iterrows():
            assert -1 <= row["alpha_low"] <= row["alpha"] <= row["alpha_high"] <= 1, row.to_dict()
        pd.testing.assert_frame_equal(first, second)


def test_figures_match_direct_counting(script, built, reconciliation, participation_log):
    f = script.figures(built)
    cases, sources = _text(DATA / "cases.csv"), _text(DATA / "sources.csv")
    assert f["n_cases"] == len(cases)
    assert f["n_cases_by_corpus"] == cases["corpus"].value_counts().to_dict()
    assert (f["n_sources"], f["accessed"]) == (len(sources), sorted(sources["accessed"].unique()))
    assert f["n_flows"] == len(_text(DATA / "flows.csv"))
    assert (f["n_conditions"], f["n_outcomes"]) == (
        _text(DATA / "conditions.csv")["condition"].nunique(), _text(DATA / "outcomes.csv")["outcome"].nunique())
    participation = _text(DATA / "participation.csv")
    assert f["participation_units"] == len(participation) == len(_level_pairs())
    assert f["participation_na"] == [" / ".join(r[k] for k in PART_KEY)
                                     for _, r in participation[participation["level"] == ""].iterrows()]
    units = _raw_units()[("(all)", "(all)")]
    assert f["disagreements"] == sum(_disagree(a, b) for a, b in units) == len(reconciliation)
    assert f["disagreements_by_table"] == reconciliation["table"].value_counts().to_dict()
    na_some = sum((a == "") != (b == "") for a, b in units)
    assert (f["different_scores"], f["score_against_na"]) == (f["disagreements"] - na_some, na_some)
    pairs = _level_pairs()
    assert f["participation_disagreements"] == int((pairs["level_a"] != pairs["level_b"]).sum())
    for log, value, key in ((reconciliation, "score", "kept"), (participation_log, "level", "participation_kept")):
        kept_a = int((log[value] == log[f"{value}_a"]).sum())  # text: "" == "" keeps an NA
        kept_b = int(((log[value] == log[f"{value}_b"]) & (log[value] != log[f"{value}_a"])).sum())
        assert f[key] == {"rows": len(log), "a": kept_a, "b": kept_b, "neither": len(log) - kept_a - kept_b,
                          "na": int((log[value] == "").sum())}, key


def test_weakest_and_ranges_match_an_independent_computation(script, built):
    f = script.figures(built)
    ref = {k: _independent_agreement(v) for k, v in _raw_units().items() if k[1] != "(all)"}
    ranked = sorted((r["alpha"], k) for k, r in ref.items() if r["alpha"] is not None)
    assert [(t, v) for t, v, _, _ in f["weakest"]] == [k for _, k in ranked[:2]]
    for (t, v, alpha, n), (ref_alpha, _) in zip(f["weakest"], ranked):
        assert alpha == pytest.approx(ref_alpha, abs=1e-12) and n == ref[(t, v)]["pair"]  # same sums
    gaps = set()
    for t, v, _, _ in f["weakest"]:
        gaps |= {(min(_as_float(a), _as_float(b)), max(_as_float(a), _as_float(b)))
                 for a, b in _raw_units()[(t, v)] if a and b and _disagree(a, b)}
    assert f["weakest_gaps"] == sorted(gaps)
    assert f["undocumented"] == [k for k, units in _raw_units().items()
                                 if k[1] != "(all)" and all(a == b == "" for a, b in units)]
    pairs = _level_pairs()
    by = {(col, g): _independent_ordinal(list(zip(rows["level_a"], rows["level_b"])))
          for col in ("actor", "stage") for g, rows in pairs.groupby(col)}
    actors = sorted((r["alpha"], g) for (col, g), r in by.items() if col == "actor" and r["alpha"] is not None)
    stages = sorted((r["alpha"], g) for (col, g), r in by.items() if col == "stage" and r["alpha"] is not None)
    assert [g for g, _ in f["weakest_actors"]] == [g for _, g in actors[:2]]
    assert [g for g, _ in f["weakest_stage"]] == [stages[0][1]]
    assert f["participation_range"] == (min(r["pair"] for r in by.values()), max(r["pair"] for r in by.values()))
    assert f["alpha_conception"] == pytest.approx(by[("stage", "conception")]["alpha"], abs=1e-12)  # ulps


def test_language_blocks_quote_the_independent_values(blocks):
    """The sentences quote, rounded as printed, the values computed here without the project's code."""
    ref = {k: _independent_agreement(v) for k, v in _raw_units().items()}
    pairs = _level_pairs()
    part = _independent_ordinal(list(zip(pairs["level_a"], pairs["level_b"])))
    # rounding an independent value as the text does is exact unless it sits within rounding noise
    # (1e-15) of a half unit; the shipped alphas and shares are >= 2e-4 and 0.02 from one
    def en(x):
        return f"{x:.2f}"

    def fr(x):
        return en(x).replace(".", ",")
    summary = blocks["agreement-summary-en"]
    for key, name in ((("conditions", "(all)"), "conditions"), (("outcomes", "(all)"), "outcomes")):
        assert f"{en(ref[key]['alpha'])} for {name} ({ref[key]['units']} units, {ref[key]['pair']} scored by both" in summary
    assert f"{en(ref[('(all)', '(all)')]['alpha'])} overall" in summary
    assert f"ordinal alpha {en(part['alpha'])} for participation levels" in blocks["agreement-brief-en"]
    assert blocks["participation-agreement-fr"].startswith(
        f"alpha ordinal {fr(part['alpha'])} ({part['pair']} unités notées par les deux, accord exact "
        f"{round(100 * part['exact'])}\u202f%, à un niveau près {round(100 * part['within'])}\u202f%)")
    assert blocks["participation-agreement-en"].startswith(
        f"ordinal alpha {en(part['alpha'])} over {part['pair']} units scored by both coders "
        f"({round(100 * part['exact'])}% exact agreement, {round(100 * part['within'])}% within one level)")


def test_kept_sentences_say_once_and_none(script):
    """The wording of the counts of who was kept: singular and zero cases."""
    kept = {"rows": 3, "a": 1, "b": 1, "neither": 1, "na": 0}
    assert script._kept_text(kept, "en", "score") == (
        "A's score was kept once, B's 1, neither once; none ended as NA")
    assert script._kept_text({**kept, "neither": 0, "na": 1}, "fr", "level") == (
        "niveau de A retenu 1 fois, de B 1 fois ; un désaccord finit en NA")


def test_agreement_markdown_quotes_the_interval_in_english(built):
    en = report.agreement_markdown(built.agreement, "en") + "\n" + report.participation_markdown(
        built.participation_agreement, "en")
    bullets = [line for line in en.splitlines() if line.startswith("- ")]
    assert len(bullets) == 4
    for bullet in bullets:
        assert re.search(r"α = \d\.\d\d, 95% CI \d\.\d\d–\d\.\d\d", bullet), bullet
    row = built.agreement.iloc[0].copy()  # a per-variable row: no interval, alpha alone
    assert pd.isna(row["alpha_low"]) and report.alpha_with_interval(row, "en") == f"{row['alpha']:.2f}"
    row["alpha"] = np.nan
    assert report.alpha_with_interval(row, "fr") == "—"


def test_blocks_are_replaced_between_markers_only(script):
    text = "before\n<!-- a:begin (note) -->\nold\n<!-- a:end --> and <!-- b:begin -->1<!-- b:end -->\n"
    assert script.replace_between_markers(text, {"a": "new\nlines", "b": "2"}) == (
        "before\n<!-- a:begin (note) -->\nnew\nlines\n<!-- a:end --> and <!-- b:begin -->2<!-- b:end -->\n")
    with pytest.raises(DataError, match="a:end") as info:
        script.replace_between_markers("x\n<!-- a:begin -->\nno end", {"a": "new"})
    assert info.value.problems[0].line == 2
    with pytest.raises(DataError, match="correct the marker"):
        script.replace_between_markers("<!-- c:begin -->1<!-- c:end -->", {"a": "new"})


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


def _build_problems(script, data_copy) -> list:
    """The problems with which the build refuses the corrupted copy (it must refuse it)."""
    with pytest.raises(DataError) as info:
        script.build(data_copy)
    return info.value.problems


def test_missing_reconciliation_row_is_reported(script, data_copy, reconciliation):
    first = reconciliation.iloc[0]
    _rewrite(data_copy / "codings" / "reconciliation.csv", lambda f: f.drop(index=0))
    problems = _build_problems(script, data_copy)
    assert any(first["case_id"] in str(p.found) and first["variable"] in str(p.found)
               for p in problems)


def test_reconciliation_row_for_an_agreement_is_reported(script, data_copy):
    def add(frame):
        frame.loc[len(frame)] = ["conditions", "bp_paris", "portage_politique", "1", "1", "1",
                                 "x", "https://www.labodemocratieouverte.org/budgetparticipatifparis/",
                                 "not a disagreement"]
    _rewrite(data_copy / "codings" / "reconciliation.csv", add)
    problems = _build_problems(script, data_copy)
    assert any(p.expected == "a unit where the coders disagree" for p in problems)


def test_unknown_url_is_reported_with_its_line(script, data_copy):
    def edit(frame):
        frame.loc[0, "source_url"] = "https://example.org/not-in-sources"
    _rewrite(data_copy / "codings" / "reconciliation.csv", edit)
    problems = _build_problems(script, data_copy)
    [problem] = [p for p in problems if p.column == "source_url"]
    assert problem.found == "https://example.org/not-in-sources"
    assert problem.line == 2


def test_a_formula_in_a_coding_stops_the_build_before_any_table_is_written(script, data_copy,
                                                                            tmp_path):
    """The reconciled tables copy the codings' text: a cell a spreadsheet would run never gets
    into them, because the build's reader refuses it in the coding."""
    def edit(frame):
        frame.loc[0, "evidence"] = '=HYPERLINK("http://example.org/x","preuve")'
    _rewrite(data_copy / "codings" / "coder_a" / "conditions.csv", edit)
    problems = _build_problems(script, data_copy)
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("codings/coder_a/conditions.csv", 2, "evidence")]
    out = tmp_path / "out"
    assert script.main(["--data", str(data_copy), "--out", str(out)]) == 1
    assert not list(out.glob("*.csv"))


def test_half_score_is_rejected(script, data_copy):
    def edit(frame):
        frame.loc[3, "score"] = "0.5"
    _rewrite(data_copy / "codings" / "coder_b" / "conditions.csv", edit)
    problems = _build_problems(script, data_copy)
    assert any(p.found == "0.5" and p.line == 5 for p in problems)


def test_missing_note_is_reported(script, data_copy):
    def edit(frame):
        frame.loc[1, "note"] = ""
    _rewrite(data_copy / "codings" / "reconciliation.csv", edit)
    problems = _build_problems(script, data_copy)
    assert any(p.column == "note" and p.line == 3 for p in problems)


def test_repeated_coding_row_is_reported(script, data_copy):
    path = data_copy / "codings" / "coder_a" / "outcomes.csv"
    frame = _text(path)
    pd.concat([frame, frame.iloc[[0]]]).to_csv(path, index=False, lineterminator="\n")
    problems = _build_problems(script, data_copy)
    [problem] = problems  # the loader's key check, and nothing cascading from it
    assert (problem.file, problem.line, problem.column) == (
        "codings/coder_a/outcomes.csv", len(frame) + 2, "case_id,outcome")
    assert "already on line 2" in problem.expected


def test_url_with_an_extra_trailing_dot_is_unknown(script, data_copy, url_to_id):
    """No fuzzy URL matching: a URL is in sources.csv exactly as written, or it is reported."""
    def edit(frame):
        frame.loc[0, "source_url"] = frame.loc[0, "source_url"] + "."
    _rewrite(data_copy / "codings" / "reconciliation.csv", edit)
    url = _text(data_copy / "codings" / "reconciliation.csv").loc[0, "source_url"]
    assert url.rstrip(".") in url_to_id and url not in url_to_id
    problems = _build_problems(script, data_copy)
    assert [(p.line, p.column, p.found) for p in problems] == [(2, "source_url", url)]


def test_build_checks_its_inputs_with_the_loader(script, data_copy):
    """The script reuses the loader's reading and checks (one code path, the same messages)."""
    from coanalysis.loaders import casebase
    assert script.reconcile is casebase.reconcile  # the rule the loader checks with
    assert script.format_score is casebase.format_score
    for name in ("read_text_csv", "parse_scores", "check_completeness", "lookup_source",
                 "reconcile_table", "reconcile_participation", "units", "source_ids", "same_score",
                 "RECONCILED_CODER", "PARTICIPATION_KEY"):
        assert not hasattr(script, name), name
    # a log row whose coder score is not the coding's: reported as validate_casebase reports it
    def edit(frame):
        frame.loc[0, "score_b"] = "0" if frame.loc[0, "score_b"] != "0" else "1"
    _rewrite(data_copy / "codings" / "reconciliation.csv", edit)
    problems = _build_problems(script, data_copy)
    from coanalysis import validate_casebase
    expected = [p for p in validate_casebase(data_copy) if p.file == "codings/reconciliation.csv"]
    assert problems == expected
    assert [(p.line, p.column) for p in expected] == [(2, "score_b")]


def test_unreadable_cases_file_stops_the_build_with_one_problem(script, data_copy):
    path = data_copy / "cases.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    problems = _build_problems(script, data_copy)
    assert [(p.file, p.column) for p in problems] == [("cases.csv", None)]


def test_main_rewrites_the_readme_block(script, tmp_path):
    readme = tmp_path / "README.md"
    shipped = README.read_text(encoding="utf-8")
    start = shipped.index("\n", shipped.index(BEGIN)) + 1
    readme.write_text(shipped[:start] + "| stale | 0 |\n" + shipped[shipped.index(END):],
                      encoding="utf-8")
    assert script.main(["--data", str(DATA), "--out", str(tmp_path / "out"),
                        "--readme", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == shipped


# ---- participation levels -----------------------------------------------------------------
PART_KEY = ["case_id", "actor", "stage"]
PART_LOG = DATA / "codings" / "reconciliation_participation.csv"


def _level_pairs() -> pd.DataFrame:
    a = _text(DATA / "codings" / "coder_a" / "participation.csv")
    b = _text(DATA / "codings" / "coder_b" / "participation.csv")
    assert list(zip(*(a[k] for k in PART_KEY))) == list(zip(*(b[k] for k in PART_KEY))), \
        "the two coders code the same units in the same order"
    return a.merge(b, on=PART_KEY, suffixes=("_a", "_b"), validate="one_to_one")


@pytest.fixture(scope="module")
def participation_log() -> pd.DataFrame:
    return _text(PART_LOG)


def test_participation_table_columns_order_and_units():
    built = _text(DATA / "participation.csv")
    assert list(built.columns) == ["case_id", "actor", "stage", "level", "evidence", "source_id",
                                   "coder", "note"]
    assert set(built["coder"]) == {"A+B"}
    cases = {c: i for i, c in enumerate(_text(DATA / "cases.csv")["case_id"])}
    actors = {a: i for i, a in enumerate(codebook.ACTORS.slugs)}
    stages = {st: i for i, st in enumerate(codebook.STAGES.slugs)}
    keys = [(cases[c], actors[a], stages[st]) for c, a, st in zip(*(built[k] for k in PART_KEY))]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    pairs = _level_pairs()
    assert set(zip(*(built[k] for k in PART_KEY))) == set(zip(*(pairs[k] for k in PART_KEY)))
    assert set(built["level"]) <= {"", "0", "1", "2", "3", "4", "5"}


def test_each_participation_disagreement_has_exactly_one_log_row(participation_log):
    pairs = _level_pairs()
    disagreeing = {tuple(r[k] for k in PART_KEY) for _, r in pairs.iterrows()
                   if r["level_a"] != r["level_b"]}
    keys = [tuple(r[k] for k in PART_KEY) for _, r in participation_log.iterrows()]
    assert len(keys) == len(set(keys))
    assert set(keys) == disagreeing
    indexed = pairs.set_index(PART_KEY)
    for _, r in participation_log.iterrows():
        pair = indexed.loc[tuple(r[k] for k in PART_KEY)]
        assert (r["level_a"], r["level_b"]) == (pair["level_a"], pair["level_b"])
        assert r["note"] != ""
        if r["level"] != "":
            assert r["evidence"] != "" and r["source_id"] != ""


def test_participation_agreements_carried_and_disagreements_settled(participation_log):
    built = _text(DATA / "participation.csv").set_index(PART_KEY)
    log = participation_log.set_index(PART_KEY)
    for _, r in _level_pairs().iterrows():
        unit = tuple(r[k] for k in PART_KEY)
        row = built.loc[unit]
        if r["level_a"] == r["level_b"]:
            assert (row["level"], row["evidence"], row["source_id"], row["note"]) == (
                r["level_a"], r["evidence_a"], r["source_id_a"], "")
        else:
            settled = log.loc[unit]
            assert (row["level"], row["evidence"], row["source_id"], row["note"]) == (
                settled["level"], settled["evidence"], settled["source_id"], settled["note"])


def _independent_ordinal(pairs: list[tuple[str, str]]) -> dict:
    a = np.array([_as_float(x) for x, _ in pairs])
    b = np.array([_as_float(y) for _, y in pairs])
    both = ~np.isnan(a) & ~np.isnan(b)
    values = np.unique(np.concatenate([a[both], b[both]]))
    return {
        "pair": int(both.sum()), "na_some": int((np.isnan(a) != np.isnan(b)).sum()),
        "exact": float(np.mean(a[both] == b[both])) if both.any() else None,
        "within": float(np.mean(np.abs(a[both] - b[both]) <= 1)) if both.any() else None,
        "alpha": (krippendorff.alpha(reliability_data=np.vstack([a, b]),
                                     level_of_measurement="ordinal")
                  if both.any() and len(values) > 1 else None),
    }


def test_missing_participation_log_row_is_reported(script, data_copy, participation_log):
    first = participation_log.iloc[0]
    _rewrite(data_copy / "codings" / "reconciliation_participation.csv", lambda f: f.drop(index=0))
    problems = _build_problems(script, data_copy)
    label = " / ".join(first[k] for k in PART_KEY)
    assert any(p.found == label and p.expected == "a reconciliation row for this disagreement"
               for p in problems)


def test_a_unit_coded_by_one_coder_stops_the_build(script, data_copy):
    """Both coders code the same participation units: a unit coder B lacks is reported, not dropped
    from the reconciled table (the build used to skip it silently)."""
    path = data_copy / "codings" / "coder_b" / "participation.csv"
    frame = _text(path)
    unit = " / ".join(frame.loc[0, k] for k in PART_KEY)
    frame.drop(index=0).to_csv(path, index=False, lineterminator="\n")
    problems = _build_problems(script, data_copy)
    assert [(p.file, p.line, p.found) for p in problems] == [
        ("codings/coder_b/participation.csv", None, unit)]


def _add_log_row_for_an_agreement(data_copy) -> None:
    """Append to the copy's participation log a row for the first unit the coders agree on."""
    pairs = _level_pairs()
    agreed = pairs[pairs["level_a"] == pairs["level_b"]].iloc[0]

    def add(frame):
        frame.loc[len(frame)] = [agreed["case_id"], agreed["actor"], agreed["stage"], agreed["level_a"],
                                 agreed["level_b"], agreed["level_a"], "x", agreed["source_id_a"] or "S001",
                                 "not a disagreement"]
    _rewrite(data_copy / "codings" / "reconciliation_participation.csv", add)


def test_participation_log_row_for_an_agreement_is_reported(script, data_copy):
    _add_log_row_for_an_agreement(data_copy)
    problems = _build_problems(script, data_copy)
    assert [p.expected for p in problems] == ["a unit where the coders disagree"]


# ---- validate_casebase on corrupted copies: one problem, in the right file ----------------
def _one_problem(data_copy):
    from coanalysis import validate_casebase
    problems = validate_casebase(data_copy)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_validation_sees_a_participation_log_row_missing(data_copy, participation_log):
    first = participation_log.iloc[0]
    _rewrite(data_copy / "codings" / "reconciliation_participation.csv", lambda f: f.drop(index=0))
    p = _one_problem(data_copy)
    assert p.file == "codings/reconciliation_participation.csv" and p.line is None
    assert p.found == " / ".join(first[k] for k in PART_KEY)


def test_validation_sees_a_log_row_for_an_agreement(data_copy):
    _add_log_row_for_an_agreement(data_copy)
    p = _one_problem(data_copy)
    assert (p.file, p.expected) == ("codings/reconciliation_participation.csv",
                                    "a unit where the coders disagree")


@pytest.mark.parametrize("column", ["note", "evidence", "source_id"])
def test_validation_sees_a_reconciled_row_that_does_not_copy_its_log(data_copy, participation_log, column):
    unit = tuple(participation_log.iloc[0][k] for k in PART_KEY)
    path = data_copy / "participation.csv"
    frame = _text(path)
    row = frame.index[(frame["case_id"] == unit[0]) & (frame["actor"] == unit[1]) & (frame["stage"] == unit[2])][0]
    frame.loc[row, column] = "S001" if column == "source_id" and frame.loc[row, column] != "S001" else "S002" \
        if column == "source_id" else frame.loc[row, column] + " (edited)"
    frame.to_csv(path, index=False, lineterminator="\n")
    p = _one_problem(data_copy)
    assert (p.file, p.line, p.column) == ("participation.csv", row + 2, column)


def test_validation_sees_a_wrong_coder_label(data_copy):
    _rewrite(data_copy / "participation.csv", lambda f: f.assign(coder=["A"] + list(f["coder"][1:])))
    p = _one_problem(data_copy)
    assert (p.file, p.line, p.column, p.found) == ("participation.csv", 2, "coder", "A")


def test_a_repeated_or_unknown_key_in_a_coding_is_one_problem(data_copy):
    path = data_copy / "codings" / "coder_b" / "participation.csv"
    frame = _text(path)
    clash = frame.iloc[[0]].assign(level="0" if frame.loc[0, "level"] != "0" else "1")
    pd.concat([frame, clash]).to_csv(path, index=False, lineterminator="\n")
    p = _one_problem(data_copy)
    assert (p.file, p.column) == ("codings/coder_b/participation.csv", "case_id,actor,stage")
    frame.loc[0, "case_id"] = frame.loc[0, "case_id"] + "x"  # a well-formed slug that is no case
    frame.to_csv(path, index=False, lineterminator="\n")
    p = _one_problem(data_copy)
    assert (p.file, p.line, p.column) == ("codings/coder_b/participation.csv", 2, "case_id")


def test_blindness_figures_count_the_shipped_evidence(script, built):
    """The blindness block's counts: units compared are those where both coders wrote evidence
    (counted here from the CSV text), identical texts counted directly, and the flagged units
    lie between the larger of the two criteria and their sum; "(all)" adds the tables."""
    blind = script.figures(built)["blindness"]
    keys = {"conditions": ["case_id", "condition"], "outcomes": ["case_id", "outcome"],
            "participation": ["case_id", "actor", "stage"]}
    for table, key in keys.items():
        a = _text(DATA / "codings" / "coder_a" / f"{table}.csv")
        b = _text(DATA / "codings" / "coder_b" / f"{table}.csv")
        both = a.merge(b, on=key, suffixes=("_a", "_b"))
        both = both[(both["evidence_a"].str.strip() != "") & (both["evidence_b"].str.strip() != "")]
        row = blind[table]
        assert row["compared"] == len(both), table
        assert row["identical"] >= int((both["evidence_a"] == both["evidence_b"]).sum()), table
        assert max(row["run"], row["similar"]) <= row["flagged"] <= row["run"] + row["similar"]
        assert row["identical"] <= row["similar"]
    for field in ("compared", "identical", "similar", "run", "flagged"):
        assert blind["(all)"][field] == sum(blind[t][field] for t in keys)
