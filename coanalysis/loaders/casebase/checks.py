"""The checks of the case-base files against their Table Schemas: cells, tables, keys and row rules.

Each check appends :class:`~coanalysis.errors.Problem` s to a list and marks the cells it found
invalid (``_Table.invalid``), so that the rules between tables skip them instead of reporting one
mistake twice.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator


from ...errors import Problem
from .._text import foreign_separator, line_of
from ...spreadsheet import FORMULA_TRIGGERS
from .schema import (DESCRIPTOR, INSEE_PATTERN, PARTIAL_DATE_PATTERN, SIREN_PATTERN, SLUG_PATTERN,
                     SOURCE_ID_PATTERN, URL_PATTERN, _EXT, _names)

# --------------------------------------------------------------------------------------
# Cell parsing against a Table Schema field
# --------------------------------------------------------------------------------------

_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_INT64_MIN, _INT64_MAX = -(2 ** 63), 2 ** 63 - 1
_NUM_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


class _CellError(Exception):
    def __init__(self, expected: str, hint: str = ""):
        super().__init__(expected)
        self.expected = expected
        self.hint = hint


_NA_SPELLINGS = {"NA", "N/A", "NAN", "NULL", "NONE", "-"}


def _numeric_error(text: str, expected: str, decimal_hint: str) -> "_CellError":
    """The error for a cell that is not the number expected, with the likely fix."""
    hint = ""
    if _NUM_RE.match(text.replace(",", ".")):
        hint = decimal_hint
    elif text.upper() in _NA_SPELLINGS:
        hint = "leave the field empty for NA"
    return _CellError(expected, hint)


def _parse_typed(text: str, fdef: dict) -> Any:
    """Parse one non-missing cell to its Python value or raise _CellError."""
    ftype = fdef.get("type", "string")
    if ftype == "string":
        return text
    if ftype == "integer":
        if _INT_RE.match(text):
            value = int(text)
            if not _INT64_MIN <= value <= _INT64_MAX:  # the Int64 column could not hold it
                raise _CellError("an integer within the 64-bit range (about ±9.2e18)",
                                 "check the value (digits pasted together?)")
            return value
        raise _numeric_error(text, "an integer", "write a whole number without decimals")
    if ftype == "number":
        if _NUM_RE.match(text):
            value = float(text)
            if math.isinf(value):  # float("1e400") is inf, not an error
                raise _CellError("a finite number", "the number is beyond the range of a float "
                                 "(about ±1.8e308): correct the cell")
            return value
        raise _numeric_error(text, "a number", "use a decimal point, not a comma")
    if ftype == "boolean":
        true_values = fdef.get("trueValues", ["true", "True", "TRUE", "1"])
        false_values = fdef.get("falseValues", ["false", "False", "FALSE", "0"])
        if text in true_values:
            return True
        if text in false_values:
            return False
        raise _CellError(f"a boolean ({' or '.join(true_values + false_values)})",
                         "write true or false in lower case" if text.lower() in
                         {"true", "false"} else "")
    if ftype == "date":
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                raise ValueError(text)
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise _CellError("an existing date written YYYY-MM-DD") from None
    if ftype == "list":
        items = text.split(fdef.get("delimiter", ","))
        if any(item.strip() != item or item == "" for item in items):
            raise _CellError(f"a list separated by {fdef.get('delimiter', ',')!r} without "
                             "spaces or empty items")
        return items
    raise _CellError(f"a value of the unsupported type {ftype!r}",
                     "fix the type in datapackage.json")


def _format_enum(values: list) -> str:
    return ", ".join(_fmt(v) for v in values)


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_constraints(value: Any, text: str, fdef: dict) -> None:
    """Raise _CellError when ``value`` breaks one of the field's constraints (the first one)."""
    cons = fdef.get("constraints", {})
    if "enum" in cons:
        allowed = cons["enum"]
        if isinstance(value, float):
            ok = any(math.isclose(value, float(a), abs_tol=1e-9) for a in allowed)
        else:
            ok = value in allowed
        if not ok:
            hint = ""
            if isinstance(value, float) and math.isclose(value, 0.5):
                hint = ("0.5 is not a score of the 4-value scheme (maximum ambiguity has no "
                        "place in a calibrated set): choose 0.33 (more out than in) or "
                        "0.67 (more in than out)")
            elif isinstance(value, str) and value.strip() in allowed:
                hint = "remove the surrounding spaces"
            elif isinstance(value, str) and value.lower() in allowed:
                hint = f"write it in lower case: {value.lower()!r}"
            vocab = fdef.get(_EXT + "vocabulary")
            article = "an" if vocab and vocab[0] in "aeiou" else "a"
            what = f"{article} {vocab} of the codebook" if vocab else "one of the allowed values"
            raise _CellError(f"{what} ({_format_enum(allowed)})", hint)
    if "minimum" in cons and value < cons["minimum"]:
        raise _CellError(f"a value >= {_fmt(cons['minimum'])}")
    if "maximum" in cons and value > cons["maximum"]:
        raise _CellError(f"a value <= {_fmt(cons['maximum'])}")
    if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
        raise _CellError(f"a value matching {cons['pattern']}", _pattern_hint(cons["pattern"]))
    if cons.get("pattern") == PARTIAL_DATE_PATTERN:
        _check_partial_date(text)




def _check_not_a_formula(text: str) -> None:
    """Raise _CellError when a text cell would run as a formula in a spreadsheet.

    Excel and LibreOffice evaluate a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and
    strip a leading tab or carriage return before doing so), so a text such as
    ``=HYPERLINK("http://…")`` or ``+cmd|' /C calc'!A0`` in a case-base CSV would run on the
    machine of whoever opens it. Only text cells (``string`` and ``list`` fields) are checked:
    a number in an ``integer`` or ``number`` field, ``-1`` included, is parsed as a number.

    References
    ----------
    OWASP, *CSV Injection*, https://owasp.org/www-community/attacks/CSV_Injection
    """
    if text.startswith(FORMULA_TRIGGERS):
        first = {"\t": "a tab", "\r": "a carriage return"}.get(text[0], repr(text[0]))
        raise _CellError("a text that does not begin with =, +, -, @, a tab or a carriage return",
                         f"a spreadsheet would run this cell as a formula (it begins with "
                         f"{first}): reword it so that it begins with a letter or a digit")


def _pattern_hint(pattern: str) -> str:
    return {
        SLUG_PATTERN: "a slug: lower-case letters, digits and '_', starting with a letter",
        SOURCE_ID_PATTERN: "a source id is 'S' followed by 3 digits, e.g. S007",
        URL_PATTERN: "a full address starting with http:// or https://",
        PARTIAL_DATE_PATTERN: "an ISO date: YYYY, YYYY-MM or YYYY-MM-DD",
        SIREN_PATTERN: "a SIREN is 9 digits; separate several with ';' and no space",
        INSEE_PATTERN: "INSEE codes are kept as text with their leading zeros; separate several with ';'",
    }.get(pattern, "")


def _check_partial_date(text: str) -> None:
    parts = [int(p) for p in text.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise _CellError("an existing calendar date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


# --------------------------------------------------------------------------------------
# Reading a CSV with line numbers and checking it
# --------------------------------------------------------------------------------------

def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first line of the record in the file, fields)``; the header is line 1.

    ``csv.reader.line_num`` counts physical lines read so far, so a quoted field
    spanning several lines moves the next record's first line accordingly.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise _CsvSyntaxError(start, str(err)) from None
            yield start, row
            start = reader.line_num + 1


class _CsvSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class _Table:
    """A checked table: parsed rows (dicts) with their line numbers and the header read."""

    name: str
    label: str
    schema: dict
    rows: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    readable: bool = False
    #: (line, field) of the cells that failed their own checks (already reported)
    invalid: set = field(default_factory=set)

    def has(self, *names: str) -> bool:
        """True when the file was read and its header holds every column of ``names``.

        Checks that compare this table with another skip it otherwise: an
        unreadable file (wrong encoding, wrong separator, broken quotes) or a
        missing column is reported once, not once per row of every other table.
        """
        return self.readable and all(n in self.columns for n in names)


def check_table(path: Path, resource: dict, problems: list[Problem]) -> _Table:
    """Read and check the CSV file ``path`` of ``resource`` (a path already checked by
    :func:`._paths.resolve_inside`) against the resource's Table Schema."""
    label = resource["path"]
    schema = resource["schema"]
    table = _Table(resource["name"], label, schema)
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    by_name = {f["name"]: f for f in fields}
    if not path.is_file():
        problems.append(Problem(label, None, None, None, "a CSV file for the resource "
                                f"{resource['name']!r}", "the file does not exist"))
        return table
    try:
        records = list(_records(path))
    except UnicodeDecodeError:
        line, found, guess = _decode_error(path)
        problems.append(Problem(label, line, None, found, "a file encoded in UTF-8",
                                f"re-save the file as CSV UTF-8{guess}"))
        return table
    except _CsvSyntaxError as err:
        problems.append(Problem(label, err.line, None, None, "a well-formed CSV record",
                                f"the csv reader stopped here ({err.message}); check the "
                                "quotes of this record"))
        return table
    except OSError as err:
        problems.append(Problem(label, None, None, None, "a readable file",
                                f"{err.strerror or err}: check the file's permissions"))
        return table
    if not records:
        problems.append(Problem(label, 1, None, None, "a header row", "the file is empty"))
        return table
    _, header = records[0]
    foreign = foreign_separator(header, ",", candidates=",;\t")
    separator = foreign[0] if foreign else None
    if separator is not None:
        problems.append(Problem(label, 1, None, separator, "comma-separated values",
                                f"the separator looks like {separator!r}: save the file as "
                                "comma-separated UTF-8"))
        return table
    table.columns = list(header)
    table.readable = True
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in by_name]
        for n in missing:
            problems.append(Problem(label, 1, n, None, f"a column {n!r} in the header",
                                    "add the column (it may be left empty where NA is allowed)"))
        for h in extra:
            problems.append(Problem(label, 1, h, h, f"only the columns {names}",
                                    "remove the column or declare it in datapackage.json"))
        if not missing and not extra:
            problems.append(Problem(label, 1, None, ",".join(header),
                                    f"the columns in the order {','.join(names)}",
                                    "reorder the columns"))
    _check_records(table, header, records[1:], problems)
    return table


def _check_records(table: _Table, header: list[str], records: list[tuple[int, list[str]]],
                   problems: list[Problem]) -> None:
    """Parse and check the data records ``(line, cell texts in the order of header)`` of
    ``table`` against its schema, adding the parsed rows to it: the cell rules of the loader
    (required, type, constraints, no formula), whatever the records were read from."""
    label, schema = table.label, table.schema
    names = [f["name"] for f in schema["fields"]]
    by_name = {f["name"]: f for f in schema["fields"]}
    missing_values = set(schema.get("missingValues", [""]))
    index = {h: i for i, h in enumerate(header) if h in by_name}
    for line, raw in records:
        if not raw:
            problems.append(Problem(label, line, None, "", "a data row", "delete the blank line"))
            continue
        if len(raw) != len(header):
            problems.append(Problem(label, line, None, f"{len(raw)} fields",
                                    f"{len(header)} fields as in the header",
                                    "check the commas and the quotes of this row"))
            continue
        row: dict[str, Any] = {}
        for name in names:
            fdef = by_name[name]
            if name not in index:
                row[name] = None
                continue
            text = raw[index[name]]
            if text in missing_values:
                row[name] = None
                if fdef.get("constraints", {}).get("required"):
                    problems.append(Problem(label, line, name, None, "a value (required field)",
                                            _required_hint(name)))
                continue
            try:
                value = _parse_typed(text, fdef)
                if fdef.get("type") != "list":
                    _check_constraints(value, text, fdef)
                if fdef.get("type", "string") in ("string", "list"):
                    _check_not_a_formula(text)
            except _CellError as err:
                problems.append(Problem(label, line, name, text, err.expected, err.hint))
                table.invalid.add((line, name))
                value = None
            row[name] = value
        table.rows.append(row)
        table.lines.append(line)


def _decode_error(path: Path) -> tuple[int, bytes, str]:
    """Line (header = 1), bytes and a hint for the first non-UTF-8 byte sequence of ``path``.

    The line is one plus the number of line feeds before the bad byte, so it is the
    physical line of the file whatever the quoting.
    """
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = data[err.start:err.end]
        try:
            guess = f"; {bad!r} is {bad.decode('cp1252')!r} in Windows-1252, the usual " \
                    "encoding of a spreadsheet's CSV export"
        except UnicodeDecodeError:
            guess = ""
        return line_of(data, err.start), bad, guess
    raise AssertionError("_decode_error called on a valid UTF-8 file")  # pragma: no cover

def _required_hint(name: str) -> str:
    if name in {"evidence", "source_id", "source_url"}:
        return "every coded value needs its evidence and source"
    return ""


def check_unique_keys(table: _Table, problems: list[Problem]) -> None:
    """Report every row repeating the primary key, or a ``unique`` field, of an earlier row."""
    schema = table.schema
    keys: list[list[str]] = []
    pk = _names(schema.get("primaryKey", []))
    if pk:
        keys.append(pk)
    for f in schema["fields"]:
        if f.get("constraints", {}).get("unique") and [f["name"]] not in keys:
            keys.append([f["name"]])
    for key in keys:
        seen: dict[tuple, int] = {}
        for row, line in zip(table.rows, table.lines):
            value = tuple(row.get(k) for k in key)
            if any(v is None for v in value):
                continue
            if value in seen:
                found = value[0] if len(value) == 1 else dict(zip(key, value))
                problems.append(Problem(
                    table.label, line, ",".join(key), found,
                    f"a unique {' + '.join(key)} (already on line {seen[value]})",
                    "remove the duplicate row or fix the key"))
                # both rows of a repeated key are ambiguous for the checks between tables
                table.invalid.update((at, k) for at in (line, seen[value]) for k in key)
            else:
                seen[value] = line


def check_foreign_keys(table: _Table, tables: dict[str, _Table],
                       problems: list[Problem]) -> None:
    """Report every value of a foreign key (or of an item of a list field) absent from its target."""
    schema = table.schema
    for fk in (*schema.get("foreignKeys", []), *schema.get(_EXT + "itemForeignKeys", [])):
        fname = _names(fk["fields"])[0]
        ref = fk["reference"]
        target_name = ref["resource"] or table.name
        target_field = _names(ref["fields"])[0]
        target = tables.get(target_name)
        if target is None or not target.has(target_field):
            continue  # a missing or unreadable target is already reported
        allowed = {r.get(target_field) for r in target.rows}
        for row, line in zip(table.rows, table.lines):
            value = row.get(fname)
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item not in allowed:
                    problems.append(Problem(
                        table.label, line, fname, item,
                        f"a {target_field} listed in {target.label}",
                        f"add it to {target.label} or correct the id"))
                    table.invalid.add((line, fname))


def check_rules(table: _Table, problems: list[Problem]) -> None:
    """Report every row breaking one of the table's ``coanalysis:rules`` (e.g. ``not_before``)."""
    for rule in table.schema.get(_EXT + "rules", []):
        kind, fname = rule["rule"], rule["field"]
        for row, line in zip(table.rows, table.lines):
            value = row.get(fname)
            if value is None:
                continue
            if kind == "required_with":
                for other in rule["requires"]:
                    # a column missing from the header is reported once, on line 1
                    if (other in table.columns and row.get(other) is None
                            and (line, other) not in table.invalid):  # an invalid cell: reported
                        problems.append(Problem(
                            table.label, line, other, None,
                            f"{other} for the coded {fname} {_fmt(value)}",
                            "every coded value needs its evidence, source and coder; "
                            f"without them leave {fname} empty (NA)"))
            elif kind == "not_before":
                other = row.get(rule["other"])
                if other is not None and value < other:
                    problems.append(Problem(table.label, line, fname, value,
                                            f"a year >= {rule['other']} ({other})"))
            elif kind == "not_equal":
                if value == row.get(rule["other"]):
                    problems.append(Problem(table.label, line, fname, value,
                                            f"a value different from {rule['other']}",
                                            "a case cannot be its own parent"))
            elif kind == "skips_chain":
                _check_skips_chain(table, rule, row, line, value, problems)
            else:
                problems.append(Problem(DESCRIPTOR, None, fname, kind,
                                        "a known rule (required_with, not_before, not_equal, "
                                        "skips_chain)"))
                break


def _skips_chain(source: str, target: str, chain: list[str]) -> bool:
    """True when ``source`` and ``target`` are both on ``chain`` and not next to each other."""
    return (source in chain and target in chain
            and abs(chain.index(source) - chain.index(target)) > 1)


def _check_skips_chain(table: _Table, rule: dict, row: dict, line: int, value: Any,
                       problems: list[Problem]) -> None:
    """``rule["field"]`` (a boolean) must be true exactly when the flow skips a chain link."""
    source, target = row.get(rule["from"]), row.get(rule["to"])
    if source is None or target is None:
        return  # an invalid actor is already reported
    chain = list(rule["chain"])
    expected = _skips_chain(source, target, chain)
    if value != expected:
        if expected:
            why = f"{source} and {target} are not adjacent on the chain"
        elif source in chain and target in chain:
            why = f"{source} and {target} are adjacent on the chain (or the same actor)"
        else:
            why = f"{source if source not in chain else target} is not on the chain"
        problems.append(Problem(
            table.label, line, rule["field"], value,
            f"{str(expected).lower()}: {why} {' > '.join(chain)}",
            "direct is true exactly when a channel links two non-adjacent actors of the "
            "classic chain; channels through partenaires or tiers are false"))


def check_all_combinations(table: _Table, tables: dict[str, _Table],
                           problems: list[Problem]) -> None:
    """Report every (case, item) pair missing from a table that must hold them all."""
    combo = table.schema.get(_EXT + "allCombinations")
    if not combo or not table.has(*combo):
        return
    case_field, item_field = combo
    cases = tables.get("cases")
    if cases is None or not cases.has("case_id"):
        return  # an unreadable cases.csv is reported once, not once per missing case
    item_def = next(f for f in table.schema["fields"] if f["name"] == item_field)
    items = list(item_def["constraints"]["enum"])
    have: dict[str, set] = {}
    for row in table.rows:
        have.setdefault(row.get(case_field), set()).add(row.get(item_field))
    for case in [r.get("case_id") for r in cases.rows if r.get("case_id") is not None]:
        missing = [i for i in items if i not in have.get(case, set())]
        if missing:
            problems.append(Problem(
                table.label, None, item_field, f"{case}: no row for {', '.join(missing)}",
                f"one row per case and {item_field} ({len(items)} per case)",
                "add the missing rows with an empty score if there is no evidence"))



# --------------------------------------------------------------------------------------
# Rows read from elsewhere than the package's CSV files (a coding workbook)
# --------------------------------------------------------------------------------------

def check_rows(tables: dict[str, tuple[dict, str, list[tuple[int, list[str]]]]],
               known: dict[str, list[dict]], cases: list[str]
               ) -> tuple[dict[str, list[tuple[int, dict]]], list[Problem]]:
    """Check rows of case-base resources that do not come from the package's CSV files.

    The loader's checks, applied to cell texts read from anywhere (a coding workbook):
    every cell rule of :func:`validate_casebase` (required, type, enum, range, pattern, no
    formula), primary and unique keys, row rules (a coded value needs its evidence, source and
    coder; a flow's ``direct``...), foreign keys, and one row per case × term where the schema
    asks for every combination.

    Parameters
    ----------
    tables : dict
        ``{resource name: (resource descriptor, label, records)}``; ``records`` are
        ``(line, cells)`` with the cell texts in the order of the schema's fields (``""`` is
        missing). ``label`` becomes the ``file`` of each problem.
    known : dict
        ``{resource name: rows}``: valid rows (dicts of parsed values) the foreign keys may
        also point to (the case base's ``cases`` and ``sources``); a foreign key is checked
        against these rows and the rows of ``tables`` of the same resource.
    cases : list of str
        The cases whose combinations must all be present (``coanalysis:allCombinations``).

    Returns
    -------
    rows : dict
        ``{resource name: [(line, parsed row)]}`` (meaningful only without problems).
    problems : list of Problem
        Each with ``file`` = the table's label, ``line`` and ``column`` as given.
    """
    checked: dict[str, _Table] = {}
    problems: list[Problem] = []
    for name, (resource, label, records) in tables.items():
        table = _Table(name, label, resource["schema"])
        table.columns = [f["name"] for f in resource["schema"]["fields"]]
        table.readable = True
        _check_records(table, table.columns, records, problems)
        checked[name] = table
    referenced: dict[str, set[str]] = {}  # the fields foreign keys point to, per resource
    for table in checked.values():
        for fk in (*table.schema.get("foreignKeys", []),
                   *table.schema.get(_EXT + "itemForeignKeys", [])):
            target = fk["reference"]["resource"] or table.name
            referenced.setdefault(target, set()).update(_names(fk["reference"]["fields"]))
    targets: dict[str, _Table] = {}
    for name in {*known, *checked}:
        rows = list(known.get(name, [])) + (checked[name].rows if name in checked else [])
        columns = sorted({k for r in rows for k in r} | referenced.get(name, set()))
        targets[name] = _Table(name, name, {"fields": []}, rows=rows, columns=columns,
                               readable=True)
    for table in checked.values():
        check_unique_keys(table, problems)
        check_foreign_keys(table, targets, problems)
        check_rules(table, problems)
    roster = {"cases": _Table("cases", "cases", {"fields": []}, rows=[{"case_id": c} for c in cases],
                              columns=["case_id"], readable=True)}
    for table in checked.values():
        check_all_combinations(table, roster, problems)
    return {name: list(zip(t.lines, t.rows)) for name, t in checked.items()}, problems
