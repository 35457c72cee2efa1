"""qca.case_typology against SetMethods 4.1's smmr (cases 1, 3, 4, 5: typical, deviant
consistency, deviant coverage, individually irrelevant; R QCA 3.23) on R QCA's datasets LF, CVF
and LC, plus invariants and bad input. Reference: tests/reference/qca_README.md
(qca_setmethods_reference.json, made by make_qca_setmethods_reference.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coanalysis import qca
from coanalysis.errors import DataError

REF = Path(__file__).parent / "reference"
SM = json.loads((REF / "qca_setmethods_reference.json").read_text(encoding="utf-8"))
ANALYSES = {a["id"]: a for a in SM["analyses"]}
IDS = list(ANALYSES)
#: Memberships: min / max / 1 − x of the same inputs, exact in IEEE arithmetic; the JSON keeps
#: 15 significant digits. Ranking scores: the same three-term formula of those memberships.
EXACT_TOL = 1e-12
#: SetMethods rounds some columns of its tables to 3 decimals (round(x, 3)) before returning
#: them: half a unit of the third decimal.
ROUNDED_TOL = 5e-4 + 1e-12


def _term_key(term: str) -> frozenset:
    return frozenset(lit.strip() for lit in term.split("*"))


def _model_key(model: str) -> frozenset:
    return frozenset(_term_key(t) for t in model.split("+"))


def _data(a) -> pd.DataFrame:
    return pd.read_csv(REF / a["csv"]).set_index("case")


def _typology(analysis_id: str):
    a = ANALYSES[analysis_id]
    tt = qca.truth_table(_data(a), outcome=a["outcome"], conditions=a["conditions"],
                         consistency_cutoff=a["consistency_cutoff"])
    sol = qca.minimize(tt, solution=a["solution"], directional=a.get("directional"))
    keys = [_model_key(m) for m in sol.models]
    i = keys.index(_model_key(a["models"][a["sol"] - 1]))
    return a, a["typology"], qca.case_typology(sol, model=i, lang="en")


def _rows(ct, kind: str) -> pd.DataFrame:
    t = ct.table[ct.table["type"] == kind].copy()
    t["key"] = [(c, _term_key(term)) for c, term in zip(t["case"], t["term"])]
    return t.set_index("key")


def _bits(row: int, k: int) -> list[int]:
    return [((row - 1) >> (k - 1 - j)) & 1 for j in range(k)]


@pytest.mark.parametrize("analysis_id", IDS)
def test_term_memberships_equal_setmethods_pimdata(analysis_id):
    _, ref, ct = _typology(analysis_id)
    columns = {_term_key(c): c for c in ct.memberships.columns}
    for r_name, r in ref["pimdata"].items():
        name = {"solution_formula": ct.model, "out": ct.outcome}.get(r_name) or columns[_term_key(r_name)]
        np.testing.assert_allclose(ct.memberships[name].loc[list(r)].to_numpy(), list(r.values()),
                                   rtol=0, atol=EXACT_TOL, err_msg=r_name)


@pytest.mark.parametrize("analysis_id", IDS)
def test_typical_cases_equal_setmethods(analysis_id):
    _, ref, ct = _typology(analysis_id)
    ours = _rows(ct, "typical")
    expected = {(r["Case"], _term_key(r["Term"])): r for r in ref["typical"]}
    assert set(ours.index) == set(expected)
    for key, r in expected.items():  # SetMethods returns the typical cases unrounded
        row = ours.loc[[key]].iloc[0]
        assert row["term_membership"] == pytest.approx(r["TermMemb"], abs=EXACT_TOL)
        assert row["outcome"] == pytest.approx(r["Outcome"], abs=EXACT_TOL)
        assert row["best"] == pytest.approx(r["Best"], abs=EXACT_TOL)
        assert bool(row["most"]) == r["MostTyp"], key
        assert bool(row["unique"]) == r["UniqCov"], key


@pytest.mark.parametrize("analysis_id", IDS)
def test_deviant_consistency_cases_equal_setmethods(analysis_id):
    _, ref, ct = _typology(analysis_id)
    ours = _rows(ct, "deviant_consistency")
    expected = {(r["Cases"], _term_key(r["Term"])): r for r in ref["deviant_consistency"]}
    assert set(ours.index) == set(expected)
    for key, r in expected.items():
        row = ours.loc[[key]].iloc[0]
        assert abs(row["term_membership"] - r["TermMemb"]) <= ROUNDED_TOL
        assert abs(row["outcome"] - r["Outcome"]) <= ROUNDED_TOL
        assert abs(row["best"] - r["Best"]) <= ROUNDED_TOL
        assert bool(row["most"]) == r["MostDCONS"], key


def test_deviant_consistency_is_exercised_by_the_references():
    assert sum(len(a["typology"]["deviant_consistency"]) for a in SM["analyses"]) >= 10


@pytest.mark.parametrize("analysis_id", IDS)
def test_deviant_coverage_cases_equal_setmethods(analysis_id):
    a, ref, ct = _typology(analysis_id)
    ours = ct.table[ct.table["type"] == "deviant_coverage"].set_index("case")
    if "4" in ref["errors"]:  # SetMethods stops when there is no such case
        assert ref["n_rule"]["deviant_coverage"] == 0 and ours.empty
        return
    k = len(a["conditions"])
    assert sorted(ours.index) == sorted(r["Case"] for r in ref["deviant_coverage"])
    for r in ref["deviant_coverage"]:
        row = ours.loc[r["Case"]]
        assert abs(row["solution_membership"] - r["Sol"]) <= ROUNDED_TOL
        assert abs(row["row_membership"] - r["TT_row"]) <= ROUNDED_TOL
        assert row["outcome"] == pytest.approx(r["Outcome"], abs=EXACT_TOL)
        assert _bits(int(row["row"]), k) == [r[f"TT_{c}"] for c in a["conditions"]]
        assert bool(row["row_consistent"]) == r["TT<=Y"]
        assert bool(row["most"]) == r["MostDCOV"], r["Case"]


@pytest.mark.parametrize("analysis_id", IDS)
def test_individually_irrelevant_cases_equal_setmethods(analysis_id):
    a, ref, ct = _typology(analysis_id)
    ours = ct.table[ct.table["type"] == "individually_irrelevant"].set_index("case")
    k = len(a["conditions"])
    assert sorted(ours.index) == sorted(r["Case"] for r in ref["individually_irrelevant"])
    assert len(ours) == ref["n_rule"]["individually_irrelevant"]
    for r in ref["individually_irrelevant"]:
        row = ours.loc[r["Case"]]
        assert abs(row["solution_membership"] - r["Sol"]) <= ROUNDED_TOL
        assert row["outcome"] == pytest.approx(r["Outcome"], abs=EXACT_TOL)
        assert _bits(int(row["row"]), k) == [r[f"TT_{c}"] for c in a["conditions"]]


# ---------------------------------------------------------------------------- invariants
@pytest.mark.parametrize("analysis_id", IDS)
def test_types_do_not_overlap_and_cover_the_solution_level(analysis_id):
    _, _, ct = _typology(analysis_id)
    t = ct.table
    for term in ct.terms:
        typical = set(ct.of("typical", term))
        deviant = set(ct.of("deviant_consistency", term))
        assert not typical & deviant
    dcv, iir = set(ct.of("deviant_coverage")), set(ct.of("individually_irrelevant"))
    assert not dcv & iir
    solution_level = t[t["type"].isin(["deviant_coverage", "individually_irrelevant"])]
    assert (solution_level["solution_membership"] < 0.5).all()
    covered = set(t.loc[t["solution_membership"] > 0.5, "case"])
    assert not covered & (dcv | iir)
    typ = t[t["type"] == "typical"]
    assert ((typ["term_membership"] > 0.5) & (typ["outcome"] > 0.5)
            & (typ["term_membership"] <= typ["outcome"])).all()
    for (kind, term), group in t[t["type"].isin(["typical", "deviant_consistency"])].groupby(
            ["type", "term"]):
        assert group["most"].any(), (kind, term)  # every listed term has a best case
    per_case = typ.groupby("case")["term"].nunique()
    for case, unique in zip(typ["case"], typ["unique"]):
        assert bool(unique) == (per_case[case] == 1)


def test_solution_level_types_hold_every_uncovered_case():
    _, ref, ct = _typology("LF_SURV_parsimonious")
    y = pd.Series(ref["pimdata"]["out"])
    s = pd.Series(ref["pimdata"]["solution_formula"])
    uncovered = set(s.index[(s < 0.5) & (y != 0.5)])
    assert uncovered == set(ct.of("deviant_coverage")) | set(ct.of("individually_irrelevant"))


def test_result_contract(check_result_contract):
    _, _, ct = _typology("CVF_PROTEST_parsimonious_070")
    check_result_contract(ct)
    assert "deviant in consistency: 8 case(s)" in ct.summary()


# ---------------------------------------------------------------------------- bad input
def test_bad_input_is_refused():
    a, _, ct = _typology("LF_SURV_parsimonious")
    tt = qca.truth_table(_data(a), outcome="SURV", conditions=a["conditions"], consistency_cutoff=0.8)
    sol = qca.minimize(tt, solution="parsimonious")
    with pytest.raises(ValueError, match="~SURV"):
        qca.case_typology(sol, outcome="~SURV")
    with pytest.raises(DataError, match="different cases"):
        qca.case_typology(sol, _data(a).iloc[::-1])
    with pytest.raises(IndexError, match="out of range"):
        qca.case_typology(sol, model=3)
    with pytest.raises(TypeError, match="Solution"):
        qca.case_typology(tt)
    with pytest.raises(KeyError, match="case type"):
        ct.of("typically")
    with pytest.raises(KeyError, match="not a term"):
        ct.of("typical", "DEV*URB")


# ---------------------------------------------------------------------------- evidence
def test_evidence_goes_from_a_term_back_to_the_quotes(make_casebase):
    ids = ["a", "b", "c", "d"]
    scores = {"experimenter": [1, 1, 0, 0], "transversalite": [1, 0, 1, 0]}
    cond = [(c, s, float(v[i])) for s, v in scores.items() for i, c in enumerate(ids)]
    outc = [(c, "perennisation", float(v)) for c, v in zip(ids, [1, 1, 0, 1])]
    cb = make_casebase(ids, conditions=cond, outcomes=outc)
    cb.conditions["evidence"] = [f"quote {s} {c}" for s in scores for c in ids]
    cb.conditions["source_id"] = "S001"
    cb.outcomes["evidence"] = [f"lasting {c}" for c in ids]
    cb.outcomes["source_id"] = "S002"
    cm = qca.from_casebase(cb, outcome="perennisation", conditions=list(scores))
    sol = qca.minimize(qca.truth_table(cm.data, outcome="perennisation", conditions=cm.conditions))
    ct = qca.case_typology(sol)
    # complex solution experimenter + ~transversalite: a, b typical of experimenter; d of ~transversalite
    assert sorted(ct.terms) == ["experimenter", "~transversalite"]
    # SetMethods' order: the cases typical for this term alone first (d), then by best score
    assert ct.of("typical", "~transversalite") == ["d", "b"]
    got = ct.evidence(cb, "typical", "~transversalite")
    assert got["case_id"].unique().tolist() == ["d", "b"]
    lit = dict(zip(zip(got["case_id"], got["set"]), got["literal"]))
    assert lit[("d", "transversalite")] == "~transversalite"
    assert lit[("d", "perennisation")] == "perennisation"
    quotes = dict(zip(zip(got["case_id"], got["set"]), got["evidence"]))
    assert quotes[("d", "transversalite")] == "quote transversalite d"
    assert quotes[("d", "perennisation")] == "lasting d"
    assert set(ct.evidence(cb)["type"]) == set(ct.table["type"])
