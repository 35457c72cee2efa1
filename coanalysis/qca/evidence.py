"""From QCA cases back to the case base: the coded values of a case in the sets of an expression,
with the evidence (the coder's words) and the source behind each value.

QCA results name cases and sets; the case base keeps, for every (case, condition) and (case,
outcome), the score, the evidence and the source it was coded from. :func:`case_evidence` joins
the two, so that a reader goes from a solution term (or a theory intersection) to the quotes.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataError, Problem
from .fit import parse_expression

__all__ = ["EVIDENCE_COLUMNS", "case_evidence", "expression_sets"]

#: Columns of :func:`case_evidence`'s table, in order.
EVIDENCE_COLUMNS = ("case_id", "set", "kind", "score", "evidence", "source_id", "source_title",
                    "source_url", "coder", "note")


def expression_sets(expression: str, conditions) -> list[str]:
    """The conditions an expression such as ``"A*~B + C"`` uses, in ``conditions``' order.

    Examples
    --------
    >>> expression_sets("C + A*~B", ["A", "B", "C", "D"])
    ['A', 'B', 'C']
    >>> expression_sets("1", ["A"])
    []
    """
    conditions = list(conditions)
    cubes = parse_expression(expression, conditions)
    k = len(conditions)
    return [c for j, c in enumerate(conditions) if any(m & (1 << (k - 1 - j)) for m, _ in cubes)]


def _tidy(table, key: str, kind: str, sets: list[str], cases: list[str]) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame) or not {"case_id", key, "score"} <= set(table.columns):
        return pd.DataFrame(columns=list(EVIDENCE_COLUMNS))
    sub = table.loc[table[key].astype(str).isin(sets) & table["case_id"].astype(str).isin(cases)].copy()
    sub = sub.rename(columns={key: "set"})
    sub["case_id"] = sub["case_id"].astype(str)
    sub["set"] = sub["set"].astype(str)
    sub["kind"] = kind
    for col in ("evidence", "source_id", "coder", "note"):
        if col not in sub:
            sub[col] = pd.NA
    return sub[["case_id", "set", "kind", "score", "evidence", "source_id", "coder", "note"]]


def case_evidence(casebase, cases, sets) -> pd.DataFrame:
    """The coded values of ``cases`` in ``sets``, with their evidence and source.

    Parameters
    ----------
    casebase : CaseBase or object with ``conditions`` and ``outcomes`` DataFrames
        As :func:`coanalysis.load_casebase` gives: tidy tables with ``case_id``,
        ``condition`` (resp. ``outcome``), ``score``, ``evidence``, ``source_id``, ``coder``,
        ``note``; an optional ``sources`` table (``source_id``, ``title``, ``url``) names the
        sources.
    cases : sequence of str
        Case ids (the QCA data's index, as :func:`coanalysis.qca.from_casebase` builds it).
    sets : sequence of str
        Condition or outcome slugs (a leading ``~`` is dropped: the evidence of ~A is A's).

    Returns
    -------
    DataFrame
        One row per (case, set), in the order of ``cases`` then ``sets``: :data:`EVIDENCE_COLUMNS`
        (``kind`` is "condition" or "outcome"; ``source_title`` and ``source_url`` come from
        ``casebase.sources``, NA when it has no such source).

    Raises
    ------
    DataError
        When a set is neither a condition nor an outcome of the case base, or a case is not in
        it (the message names them and what the case base holds).

    Examples
    --------
    >>> import pandas as pd
    >>> class CB:
    ...     conditions = pd.DataFrame({"case_id": ["a"], "condition": ["experimenter"],
    ...         "score": [1.0], "evidence": ["pilot in two districts"], "source_id": ["S001"],
    ...         "coder": ["A+B"], "note": [None]})
    ...     outcomes = pd.DataFrame({"case_id": ["a"], "outcome": ["perennisation"],
    ...         "score": [0.67], "evidence": ["renewed in 2021"], "source_id": ["S002"],
    ...         "coder": ["A+B"], "note": [None]})
    ...     sources = pd.DataFrame({"source_id": ["S001", "S002"], "title": ["Report", "Press"],
    ...         "url": ["https://example.org/r", "https://example.org/p"]})
    >>> ev = case_evidence(CB(), ["a"], ["~experimenter", "perennisation"])
    >>> ev[["set", "score", "evidence", "source_title"]].values.tolist()
    [['experimenter', 1.0, 'pilot in two districts', 'Report'], ['perennisation', 0.67, 'renewed in 2021', 'Press']]
    """
    for attr in ("conditions", "outcomes"):
        if not isinstance(getattr(casebase, attr, None), pd.DataFrame):
            raise TypeError(f"casebase must have a DataFrame attribute {attr!r} "
                            "(as coanalysis.load_casebase() gives)")
    cases = [str(c) for c in cases]
    sets = list(dict.fromkeys(str(s).lstrip("~").strip() for s in sets))
    cond = _tidy(casebase.conditions, "condition", "condition", sets, cases)
    outc = _tidy(casebase.outcomes, "outcome", "outcome", sets, cases)
    known_sets = (set(casebase.conditions.get("condition", pd.Series(dtype=str)).astype(str))
                  | set(casebase.outcomes.get("outcome", pd.Series(dtype=str)).astype(str)))
    known_cases = (set(casebase.conditions["case_id"].astype(str))
                   | set(casebase.outcomes["case_id"].astype(str)))
    problems = [Problem("<case base>", None, "condition / outcome", s,
                        f"a condition or outcome of the case base ({', '.join(sorted(known_sets))})",
                        "the QCA data's columns must be the case base's slugs "
                        "(qca.from_casebase builds them so)")
                for s in sets if s not in known_sets]
    problems += [Problem("<case base>", None, "case_id", c, "a case_id of the case base",
                         "the QCA data's index must be the case base's case_id "
                         "(qca.from_casebase builds it so)")
                 for c in cases if c not in known_cases]
    if problems:
        raise DataError(problems, f"{len(problems)} set(s) or case(s) not in the case base")
    out = pd.concat([t for t in (cond, outc) if len(t)], ignore_index=True) if len(cond) + len(outc) \
        else pd.DataFrame(columns=["case_id", "set", "kind", "score", "evidence", "source_id", "coder", "note"])
    sources = getattr(casebase, "sources", None)
    if isinstance(sources, pd.DataFrame) and "source_id" in sources:
        names = (sources.drop_duplicates("source_id")
                 .assign(source_id=lambda d: d["source_id"].astype(str)).set_index("source_id"))
        sid = out["source_id"].astype("string")
        out["source_title"] = sid.map(names["title"]) if "title" in names else pd.NA
        out["source_url"] = sid.map(names["url"]) if "url" in names else pd.NA
    else:
        out["source_title"] = pd.NA
        out["source_url"] = pd.NA
    order_case = {c: i for i, c in enumerate(cases)}
    order_set = {s: i for i, s in enumerate(sets)}
    out = out.assign(_c=out["case_id"].map(order_case), _s=out["set"].map(order_set))
    out = out.sort_values(["_c", "_s"], kind="stable").drop(columns=["_c", "_s"])
    return out[list(EVIDENCE_COLUMNS)].reset_index(drop=True)
