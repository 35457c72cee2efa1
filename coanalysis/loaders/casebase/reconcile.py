"""THE reconciliation rule of the case base, and the check of the reconciled tables against it.

Two coders code every case independently (``codings/coder_a``, ``codings/coder_b``); a log settles
each disagreement (``codings/reconciliation.csv``, ``codings/reconciliation_participation.csv``).
The reconciled tables (``conditions.csv``, ``outcomes.csv``, ``participation.csv``) are derived
from them by one rule, :func:`reconcile`.
"""

from __future__ import annotations

import math
from typing import Any


from ...errors import Problem, is_missing
from .schema import _EXT, _names
from .checks import _Table, _fmt


def _keyed(table: _Table, key: list[str], value: str) -> tuple[dict[tuple, Any], set, bool]:
    """``{unit: value}`` of a table, the units whose row is unreliable (an invalid or repeated key,
    or an invalid value: reported already), and whether some row's key could not be read at all."""
    out: dict[tuple, Any] = {}
    unreliable: set = set()
    unknown = False
    for row, line in zip(table.rows, table.lines):
        unit = tuple(row.get(k) for k in key)
        if any((line, k) in table.invalid for k in key) or any(u is None for u in unit):
            unreliable.add(unit)
            unknown = True  # this row stands for some unit we cannot name
            continue
        if (line, value) in table.invalid:
            unreliable.add(unit)
        out[unit] = row.get(value)
    return out, unreliable, unknown


def _check_reconciliation(table: _Table, tables: dict[str, _Table],
                          problems: list[Problem]) -> None:
    """Where the independent codings disagree, the reconciled row must say how it was settled,
    and copy the log's row; where they agree, it keeps their common value and no note."""
    spec = table.schema.get(_EXT + "reconciles")
    key = _names(table.schema.get("primaryKey", [])) if spec else []
    if not spec or not table.has(*key, spec["value"], spec["note"]):
        return
    codings = [tables.get(name) for name in spec["codings"]]
    if any(c is None or not c.has(*key, spec["value"]) for c in codings):
        return
    value, note = spec["value"], spec["note"]
    keyed = [_keyed(c, key, value) for c in codings]
    coded = [k[0] for k in keyed]
    unreliable = set().union(*(k[1] for k in keyed))
    own, own_unreliable, own_unknown = _keyed(table, key, value)
    unreliable |= own_unreliable
    if spec.get("sameUnits"):
        # the coders coded a given list of units: the reconciled table has exactly those units
        for name, c, (_, _, c_unknown) in zip(spec["codings"], coded, keyed):
            label = tables[name].label
            if not own_unknown:  # a row of the table with an unreadable key may be the missing unit
                for unit in [u for u in c if u not in own and u not in unreliable]:
                    problems.append(Problem(
                        table.label, None, ",".join(key), " / ".join(map(str, unit)),
                        f"a row for every unit of {label}",
                        "rebuild the reconciled table with scripts/build_casebase_scores.py"))
            if not c_unknown:
                for row, line in zip(table.rows, table.lines):
                    unit = tuple(row.get(k) for k in key)
                    if unit in own and unit not in c and unit not in unreliable:
                        problems.append(Problem(
                            table.label, line, ",".join(key), " / ".join(map(str, unit)),
                            f"a unit that {label} codes too",
                            "both coders code the same units: add it to the codings or remove it"))
    disagreements: dict[tuple, int] = {}
    unsettled: set = set()  # disagreements reported for their missing note (one problem each)
    log_name = spec["log"]["resource"] if spec.get("log") else "the reconciliation log"
    classified: set = set()  # the units compared with the codings below
    for row, line in zip(table.rows, table.lines):
        unit = tuple(row.get(k) for k in key)
        if unit not in own or unit in unreliable or any(unit not in c for c in coded):
            continue  # reported already: a unit missing from a coding, an invalid key or value
        classified.add(unit)
        scores = [c[unit] for c in coded]
        agree = all(_same(scores[0], s) for s in scores[1:])
        if agree and not _same(row.get(value), scores[0]):
            both = "NA" if scores[0] is None else _fmt(scores[0])
            problems.append(Problem(
                table.label, line, value, row.get(value),
                f"the {value} every coding gives ({both})",
                "where the coders agree the reconciled table keeps their common value "
                "(scripts/build_casebase_scores.py rebuilds it from the codings)"))
        elif agree and row.get(note) is not None:
            problems.append(Problem(
                table.label, line, note, row.get(note),
                "an empty note (the coders agree on this unit)",
                "a note says how a disagreement was settled: remove it, or record the "
                "disagreement in the codings"))
        elif not agree:
            disagreements[unit] = line
            if row.get(note) is None:
                said = ", ".join(f"{name.rsplit('_', 1)[0]} {'NA' if s is None else _fmt(s)}"
                                 for name, s in zip(spec["codings"], scores))
                problems.append(Problem(
                    table.label, line, note, None,
                    f"a note on how the disagreement ({said}) was settled",
                    f"every disagreement between the coders needs a reconciliation note: settle it "
                    f"in {log_name} and rebuild with scripts/build_casebase_scores.py"))
                unsettled.add(unit)
    _check_log(table, tables, spec, key, disagreements, classified, unsettled, problems)


def _check_log(table: _Table, tables: dict[str, _Table], spec: dict, key: list[str],
               disagreements: dict[tuple, int], checked: set, unsettled: set,
               problems: list[Problem]) -> None:
    """The log of a reconciled table holds one row per disagreement, and the table copies it.

    ``disagreements``: unit -> line in the table; ``checked``: the table's units whose key and value
    could be read (a log row for any other unit is reported by the log's own ``matches`` check);
    ``unsettled``: disagreements already reported for their missing note (not reported twice)."""
    log_spec = spec.get("log")
    log = tables.get(log_spec["resource"]) if log_spec else None
    where = log_spec.get("where", {}) if log_spec else {}
    log_key = [log_spec["key"][k] for k in key] if log_spec else []
    if log is None or not log.has(*where, *log_key, *log_spec["copied"].values()):
        return  # a missing or unreadable log is reported once, by its own checks
    rows: dict[tuple, tuple[dict, int]] = {}
    for row, line in zip(log.rows, log.lines):
        if any(row.get(f) != v for f, v in where.items()):
            continue
        if any((line, f) in log.invalid for f in (*where, *log_key)):
            return  # an invalid or repeated key in the log is reported already
        rows[tuple(row.get(f) for f in log_key)] = (row, line)
    by_line = dict(zip(table.lines, table.rows))
    for unit, line in disagreements.items():
        if unit not in rows:
            if unit in unsettled:
                continue
            problems.append(Problem(
                log.label, None, ",".join(log_key), " / ".join(map(str, unit)),
                "a reconciliation row for this disagreement",
                f"add the row that settles it ({table.label}, line {line})"))
            continue
        entry, _ = rows[unit]
        for field_, log_field in log_spec["copied"].items():
            if field_ == spec["note"] and unit in unsettled:
                continue  # the missing note is reported already
            mine, theirs = by_line[line].get(field_), entry.get(log_field)
            if not _same(mine, theirs):
                problems.append(Problem(
                    table.label, line, field_, mine,
                    f"the {log_field} of {log.label} ({'NA' if theirs is None else _fmt(theirs)})",
                    "the reconciled table copies the log: rebuild it with "
                    "scripts/build_casebase_scores.py"))
    for unit, (entry, line) in rows.items():
        if unit in checked and unit not in disagreements:
            problems.append(Problem(
                log.label, line, ",".join(log_key), " / ".join(map(str, unit)),
                "a unit where the coders disagree",
                "the coders agree here (or the unit is not coded): remove this row"))


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

