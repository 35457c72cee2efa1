"""THE reconciliation rule of the case base, and the check of the reconciled tables by rebuilding them.

Two coders code every case independently (``codings/coder_a``, ``codings/coder_b``); a log settles
each disagreement (``codings/reconciliation.csv``, ``codings/reconciliation_participation.csv``).
The reconciled tables (``conditions.csv``, ``outcomes.csv``, ``participation.csv``) are derived
from them by one rule, :func:`reconcile` (stated in ``docs/reconciliation.md``, "The rule"):

* where the coders agree (same score or level, or both NA), the common value with coder A's
  evidence and source, and an empty note;
* where they disagree (different values, or one NA and the other not), the value, evidence,
  source and note of the log's row for that unit.

``scripts/build_casebase_scores.py`` (``make data``) writes the tables :func:`reconcile` returns;
the loader (:func:`~coanalysis.loaders.casebase.validate_casebase`) checks the shipped tables by
calling the same function on the loaded codings and comparing, cell by cell
(:func:`compare_reconciled`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ... import codebook
from ...errors import Problem, is_missing
from .schema import CODING_RESOURCES, _EXT, _names
from .checks import _Table, _fmt

#: The two independent codings, as the prefix of their resource names.
CODERS: tuple[str, str] = ("coder_a", "coder_b")
#: The ``coder`` of every row of a reconciled table.
RECONCILED_CODER = "A+B"
#: The reconciled score tables: name -> (item column, vocabulary of the items).
SCORE_TABLES: dict[str, tuple[str, codebook.Vocabulary]] = {
    "conditions": ("condition", codebook.CONDITIONS),
    "outcomes": ("outcome", codebook.OUTCOMES),
}
#: The three tables :func:`reconcile` derives.
RECONCILED_TABLES: tuple[str, ...] = (*SCORE_TABLES, "participation")
#: The logs of the disagreements (file paths inside the package).
RECONCILIATION = CODING_RESOURCES["reconciliation"]
PARTICIPATION_LOG = CODING_RESOURCES["reconciliation_participation"]
#: The key of a participation unit.
PARTICIPATION_KEY: tuple[str, str, str] = ("case_id", "actor", "stage")
#: Columns of the reconciled participation table, in schema order.
PARTICIPATION_COLUMNS: list[str] = [*PARTICIPATION_KEY, "level", "evidence", "source_id",
                                    "coder", "note"]
#: The resources the rule reads.
RECONCILE_INPUTS: tuple[str, ...] = ("cases", "sources", *CODING_RESOURCES)
#: What to do about a reconciled table that is not what the rule gives.
REBUILD_HINT = "run make data (scripts/build_casebase_scores.py rebuilds it from the codings and the log)"


def _value(value: Any) -> Any:
    """A cell as a plain Python value: None for NA, int or float for numpy numbers."""
    if is_missing(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _rows(frame: pd.DataFrame) -> list[dict]:
    """The rows of a frame as dicts, column by column (iterrows and to_dict build a Series or box
    each typed cell, several times slower on the loader's extension dtypes)."""
    columns = {c: frame[c].tolist() for c in frame.columns}
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def _records(frame: pd.DataFrame, key: tuple[str, ...]) -> dict[tuple[str, ...], dict]:
    """``{unit: row}`` of a frame indexed by line, each row a dict of plain values with its ``line``."""
    out = {}
    for line, row in zip(frame.index, _rows(frame)):
        record = {k: _value(v) for k, v in row.items()}
        record["line"] = int(line)
        out[tuple(str(row[k]) for k in key)] = record
    return out


def units(frame: pd.DataFrame, item: str) -> dict[tuple[str, str], dict]:
    """The rows of a score coding by unit.

    Parameters
    ----------
    frame : DataFrame
        A coding of conditions or outcomes as :func:`~coanalysis.loaders.casebase.read_resources`
        returns it (typed, indexed by line).
    item : {"condition", "outcome"}
        Its item column.

    Returns
    -------
    dict
        ``{(case_id, term): row}``, each row a dict of plain values (None for NA) with its ``line``.

    Examples
    --------
    >>> frame = pd.DataFrame({"case_id": ["a"], "outcome": ["perennisation"], "score": [1.0]},
    ...                      index=pd.Index([2], name="line"))
    >>> units(frame, "outcome")
    {('a', 'perennisation'): {'case_id': 'a', 'outcome': 'perennisation', 'score': 1.0, 'line': 2}}
    """
    return _records(frame, ("case_id", item))


def source_ids(sources: pd.DataFrame) -> dict[str, str]:
    """``{url: source_id}`` of ``sources.csv`` (its URLs are unique: a ``unique`` key of the schema).

    Examples
    --------
    >>> source_ids(pd.DataFrame({"source_id": ["S001"], "url": ["https://example.org/a"]}))
    {'https://example.org/a': 'S001'}
    """
    return dict(zip(sources["url"].astype(str), sources["source_id"].astype(str)))


def _level(value: Any) -> str:
    """A participation level as written in the CSVs: ``"0"``..``"5"``, ``""`` for NA."""
    return "" if value is None else str(int(value))


def _unit_label(unit: tuple) -> str:
    return " / ".join(map(str, unit))


def reconcile_table(table: str, frames: Mapping[str, pd.DataFrame], urls: Mapping[str, str],
                    problems: list[Problem], unsettled: set | None = None) -> pd.DataFrame:
    """The reconciled conditions or outcomes table that the rule gives.

    Parameters
    ----------
    table : {"conditions", "outcomes"}
    frames : mapping of str to DataFrame
        The resources :data:`RECONCILE_INPUTS` as
        :func:`~coanalysis.loaders.casebase.read_resources` returns them (typed, indexed by line);
        the rule is meaningful when they are valid.
    urls : mapping of str to str
        ``{url: source_id}`` (:func:`source_ids`): the codings cite URLs, the reconciled
        table source ids.
    problems : list of Problem
        Appended: a log row for a unit where the coders agree, a disagreement without a log
        row, a URL not in ``sources.csv``.
    unsettled : set, optional
        Receives the units ``(case_id, term)`` that have no reconciled row (a disagreement
        without a log row, or a unit one coding lacks, reported by the loader's completeness
        check).

    Returns
    -------
    DataFrame
        Text columns in schema order (``case_id``, item, ``score``, ``evidence``, ``source_id``,
        ``coder``, ``note``), one row per case of ``cases`` (in its order) and term (codebook
        order); scores written by :func:`format_score`, NA as ``""``.

    Notes
    -----
    The rule (``docs/reconciliation.md``): where :func:`same_score` holds for the two coders'
    scores, the row is coder A's (score, evidence, source) with an empty note; otherwise it is
    the log's row for the unit (score, evidence, source, note). The ``coder`` is
    :data:`RECONCILED_CODER`.
    """
    item, vocab = SCORE_TABLES[table]
    coded = {coder: units(frames[f"{coder}_{table}"], item) for coder in CODERS}
    log = frames["reconciliation"]
    log = _records(log[log["table"] == table], ("case_id", "variable"))
    rows = []
    for case in frames["cases"]["case_id"].astype(str):
        for slug in vocab.slugs:
            unit = (case, slug)
            a, b = coded["coder_a"].get(unit), coded["coder_b"].get(unit)
            entry = log.get(unit)
            if a is None or b is None:  # reported by the completeness check of the coding
                if unsettled is not None:
                    unsettled.add(unit)
                continue
            if same_score(a["score"], b["score"]):
                chosen = {**a, "note": None, "file": CODING_RESOURCES[f"coder_a_{table}"]}
                if entry is not None:
                    problems.append(Problem(RECONCILIATION, entry["line"], "case_id,variable",
                                            _unit_label(unit), "a unit where the coders disagree",
                                            "the coders agree here: remove this row"))
            elif entry is None:
                problems.append(Problem(RECONCILIATION, None, "case_id,variable", _unit_label(unit),
                                        "a reconciliation row for this disagreement",
                                        f"add the row that settles it ({table}: coder A "
                                        f"{format_score(a['score']) or 'NA'}, coder B "
                                        f"{format_score(b['score']) or 'NA'})"))
                if unsettled is not None:
                    unsettled.add(unit)
                continue
            else:
                chosen = {**entry, "file": RECONCILIATION}
            url = chosen["source_url"]
            if url is not None and url not in urls:
                problems.append(Problem(chosen["file"], chosen["line"], "source_url", url,
                                        "a URL listed in sources.csv",
                                        "add the source to sources.csv or correct the URL"))
            rows.append({
                "case_id": case,
                item: slug,
                "score": format_score(chosen["score"]),
                "evidence": chosen["evidence"] or "",
                "source_id": urls.get(url, "") if url is not None else "",
                "coder": RECONCILED_CODER,
                "note": chosen["note"] or "",
            })
    return pd.DataFrame(rows, columns=["case_id", item, "score", "evidence", "source_id",
                                       "coder", "note"])


def reconcile_participation(frames: Mapping[str, pd.DataFrame], problems: list[Problem],
                            unsettled: set | None = None) -> pd.DataFrame:
    """The reconciled participation table that the rule gives.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        As for :func:`reconcile_table`.
    problems : list of Problem
        Appended: a unit coded by one coder only (both code the same list of units), a log row
        for a unit where the coders agree, a disagreement without a log row.
    unsettled : set, optional
        Receives the units ``(case_id, actor, stage)`` that have no reconciled row.

    Returns
    -------
    DataFrame
        Text columns :data:`PARTICIPATION_COLUMNS`, one row per unit of the codings, in case
        (``cases`` order), actor, stage (codebook order) order; levels as ``"0"``..``"5"``,
        NA as ``""``.

    Notes
    -----
    The rule of :func:`reconcile_table` with levels compared for equality (both NA is an
    agreement) and the source id copied as the coding or the log gives it.
    """
    coded = {coder: _records(frames[f"{coder}_participation"], PARTICIPATION_KEY) for coder in CODERS}
    log = _records(frames["reconciliation_participation"], PARTICIPATION_KEY)
    key = ",".join(PARTICIPATION_KEY)
    a_file, b_file = (CODING_RESOURCES[f"{coder}_participation"] for coder in CODERS)
    for unit, row in coded["coder_b"].items():
        if unit not in coded["coder_a"]:
            problems.append(Problem(b_file, row["line"], key, _unit_label(unit),
                                    f"a unit of {a_file} (both coders code the same units)",
                                    f"add it to {a_file} or remove it"))
    case_rank = {c: i for i, c in enumerate(frames["cases"]["case_id"].astype(str))}
    actor_rank = {a: i for i, a in enumerate(codebook.ACTORS.slugs)}
    stage_rank = {s: i for i, s in enumerate(codebook.STAGES.slugs)}
    order = sorted(coded["coder_a"], key=lambda u: (case_rank.get(u[0], len(case_rank)),
                                                      actor_rank[u[1]], stage_rank[u[2]]))
    rows = []
    for unit in order:
        a, b = coded["coder_a"][unit], coded["coder_b"].get(unit)
        entry = log.get(unit)
        if b is None:
            problems.append(Problem(b_file, None, key, _unit_label(unit),
                                    f"a row for every unit of {a_file} (both coders code the "
                                    "same units)", f"code it in {b_file} or remove it from {a_file}"))
        elif a["level"] == b["level"]:
            chosen = {**a, "note": None}
            if entry is not None:
                problems.append(Problem(PARTICIPATION_LOG, entry["line"], key, _unit_label(unit),
                                        "a unit where the coders disagree",
                                        "the coders agree here: remove this row"))
        elif entry is None:
            problems.append(Problem(PARTICIPATION_LOG, None, key, _unit_label(unit),
                                    "a reconciliation row for this disagreement",
                                    f"add the row that settles it (coder A {_level(a['level']) or 'NA'}, "
                                    f"coder B {_level(b['level']) or 'NA'})"))
        else:
            chosen = entry
        if b is None or (a["level"] != b["level"] and entry is None):
            if unsettled is not None:
                unsettled.add(unit)
            continue
        rows.append({
            **dict(zip(PARTICIPATION_KEY, unit)),
            "level": _level(chosen["level"]),
            "evidence": chosen["evidence"] or "",
            "source_id": chosen["source_id"] or "",
            "coder": RECONCILED_CODER,
            "note": chosen["note"] or "",
        })
    return pd.DataFrame(rows, columns=PARTICIPATION_COLUMNS)


def reconcile(frames: Mapping[str, pd.DataFrame], unsettled: dict[str, set] | None = None
              ) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """THE reconciliation rule: the three reconciled tables from the codings and their logs.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        At least :data:`RECONCILE_INPUTS`, as :func:`~coanalysis.loaders.casebase.read_resources`
        returns them (typed, indexed by line, without problems).
    unsettled : dict of str to set, optional
        Filled with, per table, the units that get no row (see :func:`reconcile_table`).

    Returns
    -------
    tables : dict of str to DataFrame
        ``{"conditions": ..., "outcomes": ..., "participation": ...}``: text columns in schema
        order, as ``scripts/build_casebase_scores.py`` writes them.
    problems : list of Problem
        Every missing or surplus log row, unknown URL and unit coded by one coder only; the
        tables are complete only when it is empty.

    See Also
    --------
    reconcile_table, reconcile_participation : the rule, table by table.
    compare_reconciled : the loader's check of shipped tables against this rebuild.

    Examples
    --------
    >>> from coanalysis.loaders.casebase import read_resources
    >>> frames, problems = read_resources(RECONCILE_INPUTS)
    >>> tables, problems = reconcile(frames)
    >>> problems, sorted(tables), list(tables["participation"].columns[:4])
    ([], ['conditions', 'outcomes', 'participation'], ['case_id', 'actor', 'stage', 'level'])
    """
    urls = source_ids(frames["sources"])
    problems: list[Problem] = []
    sets = {table: set() for table in RECONCILED_TABLES}
    tables = {table: reconcile_table(table, frames, urls, problems, sets[table])
              for table in SCORE_TABLES}
    tables["participation"] = reconcile_participation(frames, problems, sets["participation"])
    if unsettled is not None:
        unsettled.update(sets)
    return tables, problems


def _as_written(value: Any, column: str) -> str:
    """A typed cell of a reconciled table as :func:`reconcile` writes it."""
    value = _value(value)
    if value is None:
        return ""
    if column == "score":
        return format_score(value)
    if column == "level":
        return _level(value)
    return str(value)


def compare_reconciled(name: str, shipped: pd.DataFrame, rebuilt: pd.DataFrame, *,
                       file: str | None = None, key: list[str] | None = None,
                       skip: set | frozenset = frozenset(), unsettled: set | frozenset = frozenset(),
                       missing_rows: bool = True) -> list[Problem]:
    """Every cell where a shipped reconciled table differs from its rebuild by :func:`reconcile`.

    Parameters
    ----------
    name : {"conditions", "outcomes", "participation"}
    shipped : DataFrame
        The table as loaded (typed, indexed by line), same columns as ``rebuilt``.
    rebuilt : DataFrame
        ``reconcile(frames)[0][name]`` (text columns).
    file : str, optional
        The file named in the problems (default ``f"{name}.csv"``).
    key : list of str, optional
        The unit key (default ``case_id`` + item, or :data:`PARTICIPATION_KEY`).
    skip : set of (line, column)
        Cells already reported invalid; a row with an invalid key cell is not compared, and
        then no row is reported missing (it may be that one).
    unsettled : set
        Units the rule gave no row for (reported by the rule): not compared.
    missing_rows : bool, default True
        Report the units of the rebuild that the shipped table lacks (False where another
        check reports them, e.g. ``coanalysis:allCombinations``).

    Returns
    -------
    list of Problem
        One per differing cell (file, line, column, the value found, the rebuilt value and
        :data:`REBUILD_HINT`), per missing or surplus row, and one when the rows are the
        same units in another order.

    Examples
    --------
    >>> shipped = pd.DataFrame({"case_id": ["a"], "outcome": ["perennisation"], "score": [0.33],
    ...                         "note": [None]}, index=pd.Index([2], name="line"))
    >>> rebuilt = pd.DataFrame({"case_id": ["a"], "outcome": ["perennisation"], "score": ["1"],
    ...                         "note": [""]})
    >>> [(p.line, p.column, p.found, p.expected) for p in compare_reconciled("outcomes", shipped, rebuilt)]
    [(2, 'score', 0.33, 'the score rebuilt from the codings and the reconciliation log (1)')]
    """
    file = file or f"{name}.csv"
    key = key or (list(PARTICIPATION_KEY) if name == "participation"
                  else ["case_id", SCORE_TABLES[name][0]])
    expected = {tuple(row[k] for k in key): row for row in _rows(rebuilt)}
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}  # unit -> line, in file order
    blurred = False
    for line, row in zip(shipped.index, _rows(shipped)):
        if any((line, k) in skip for k in key):
            blurred = True
            continue
        unit = tuple(str(row[k]) for k in key)
        seen[unit] = int(line)
        if unit in unsettled:
            continue
        if unit not in expected:
            problems.append(Problem(file, int(line), ",".join(key), _unit_label(unit),
                                    "a unit of the codings (the rebuild has no row for it)",
                                    "remove the row, or code the unit in both codings; " + REBUILD_HINT))
            continue
        for column, want in expected[unit].items():
            if column in key or (line, column) in skip:
                continue
            if _as_written(row[column], column) != want:
                shown = want if want != "" else ("NA" if column in ("score", "level") else "empty")
                problems.append(Problem(file, int(line), column, _value(row[column]),
                                        f"the {column} rebuilt from the codings and the "
                                        f"reconciliation log ({shown})", REBUILD_HINT))
    if not blurred:
        if missing_rows:
            for unit in expected:
                if unit not in seen and unit not in unsettled:
                    problems.append(Problem(file, None, ",".join(key), _unit_label(unit),
                                            "a row for this unit (the rebuild from the codings has one)",
                                            REBUILD_HINT))
        order = [u for u in seen if u in expected]
        rebuilt_order = [u for u in expected if u in seen]
        if not problems and order != rebuilt_order:
            at = next(i for i, (u, v) in enumerate(zip(order, rebuilt_order)) if u != v)
            problems.append(Problem(file, seen[order[at]], ",".join(key), _unit_label(order[at]),
                                    f"the unit {_unit_label(rebuilt_order[at])} here (the rebuild "
                                    "orders rows by case, then codebook order)", REBUILD_HINT))
    return problems


def _check_matches(table: _Table, tables: dict[str, _Table], problems: list[Problem]) -> None:
    """Values of a log table must equal those of the rows it refers to in other tables."""
    spec = table.schema.get(_EXT + "matches")
    field = spec.get("resourceField") if spec else None  # absent: the targets are fixed names
    if not spec or not table.has(*([field] if field else []), *spec["keyFields"], *spec["values"]):
        return
    lookups: dict[str, dict[tuple, Any] | None] = {}
    for row, line in zip(table.rows, table.lines):
        selector = row.get(field) if field else ""
        key = tuple(row.get(k) for k in spec["keyFields"])
        if selector is None or any(k is None for k in key):
            continue
        for fname, template in spec["values"].items():
            target_name = template.format(**{field: selector}) if field else template
            if target_name not in lookups:
                target = tables.get(target_name)
                target_key = _names(target.schema.get("primaryKey", [])) if target else []
                usable = bool(target_key) and target.has(*target_key, spec["targetField"])
                blurred = usable and any((ln, k) in target.invalid for ln in target.lines
                                         for k in target_key)
                # a target with an unreadable or repeated key: a unit that seems missing from it may
                # be on that row, and the key problem is reported already
                lookups[target_name] = None if not usable or blurred else {
                    tuple(r.get(k) for k in target_key): r.get(spec["targetField"])
                    for r in target.rows}
            lookup = lookups[target_name]
            if lookup is None:
                continue
            target_label = tables[target_name].label
            if key not in lookup:
                problems.append(Problem(table.label, line, ",".join(spec["keyFields"]),
                                        " / ".join(map(str, key)),
                                        f"a unit of {target_label}",
                                        f"check the {field} and the variable" if field
                                        else f"check {', '.join(spec['keyFields'])}"))
                break
            if (line, fname) in table.invalid:
                continue  # an invalid value is reported once, by its own check
            if not _same(row.get(fname), lookup[key]):
                expected = "NA" if lookup[key] is None else _fmt(lookup[key])
                problems.append(Problem(table.label, line, fname, row.get(fname),
                                        f"the {spec['targetField']} of {target_label} ({expected})",
                                        f"the log must copy the {spec['targetField']}s it reconciles"))


def same_score(a: Any, b: Any) -> bool:
    """True when two scores are both NA or equal within 1e-9.

    Parameters
    ----------
    a, b : float, None or NA
        Scores; None, ``pd.NA`` and NaN are NA.

    Returns
    -------
    bool

    Notes
    -----
    :math:`a \\equiv b \\iff (a = \\mathrm{NA} \\wedge b = \\mathrm{NA}) \\vee |a - b| \\le 10^{-9}`:
    NA equals only NA, so a score against NA is a disagreement of two coders.

    Examples
    --------
    >>> same_score(0.33, 0.33), same_score(None, float("nan")), same_score(0.67, None)
    (True, True, False)
    """
    return _same(None if is_missing(a) else a, None if is_missing(b) else b)


def format_score(value: Any) -> str:
    """A fuzzy score as written in the case-base CSVs: ``0``, ``0.33``, ``0.67``, ``1``; ``""`` for NA.

    Examples
    --------
    >>> [format_score(v) for v in (0.0, 0.33, 1.0, None)]
    ['0', '0.33', '1', '']
    """
    return "" if is_missing(value) else _fmt(value)


def _same(a: Any, b: Any) -> bool:
    """Both NA, or equal: numbers within 1e-9, anything else exactly."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(a, b, abs_tol=1e-9)

