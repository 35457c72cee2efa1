"""read_survey's column-at-a-time reading gives exactly what the documented cell-by-cell rules
give: ``parse_number`` for each number, ``LikertScale.parse`` for each answer, the same problems
in the same order, the same frame and the same report.

The reference below is written independently of the loader: it reads the cells the test wrote,
one at a time, with the two public functions, and builds the expected frame, report and problems.
The files are written unquoted, fully quoted (both split line by line by the loader), and fully
quoted with a field holding the separator (read by the csv module), with "\\n" or "\\r\\n"
line ends.
"""

import csv
import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from coanalysis.errors import DataError
from coanalysis.codebook import AGREEMENT_5, SATISFACTION_4, WHO5_FREQUENCY
from coanalysis.loaders import parse_number, read_survey
from coanalysis.loaders.survey.fast import parse_text_numbers, plain_lines, split_line

SCALES = [SATISFACTION_4, AGREEMENT_5, WHO5_FREQUENCY]
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# --------------------------------------------------------------------------- cells
# any text a cell can hold in a ';' file: no separator, quote, line break, NUL or C1 control
# character (those are file-level errors, tested elsewhere)
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"),
                              exclude_characters=';"\u2028\u2029'), max_size=6)
_SPACE = st.sampled_from(["", "", " ", "\u00a0", "\u202f", "\t"])
_SIGN = st.sampled_from(["", "", "-", "+"])
_DIGITS = st.text("0123456789", min_size=1, max_size=7)


@st.composite
def _grouped(draw):
    """Thousands in groups of three, separated by a space, U+00A0, U+202F, '.' or ','."""
    head = draw(st.text("123456789", min_size=1, max_size=1)) + draw(st.text("0123456789", max_size=2))
    groups = draw(st.lists(st.text("0123456789", min_size=3, max_size=3), min_size=1, max_size=3))
    sep = draw(st.sampled_from([" ", "\u00a0", "\u202f", ".", ","]))
    mark = draw(st.sampled_from(["", ",", "."]))
    frac = draw(_DIGITS) if mark else ""
    return draw(_SIGN) + sep.join([head, *groups]) + mark + frac


NUMBERS = st.one_of(
    st.builds(lambda s, i, m, f, pad: pad + s + i + m + f + pad,
              _SIGN, _DIGITS, st.sampled_from(["", ",", "."]), st.text("0123456789", max_size=4),
              _SPACE),
    _grouped(),
    st.sampled_from(["", " ", "\u00a0", "\t", "  ", ",5", ".5", "5,", "5.", "1e5", "1,5e-3", "-0",
                     "+0,0", "1..2", "1,2,3", "--1", "inf", "nan", "1_000", "\u0663", "12 kg",
                     "1.234,5", "1,234.5", "12.345.678", "0x10", "1 234 567,89", "0.954", "1.310",
                     "0,954", "1,310", "-2.500", "+1,000", "1.310,", "1e400", "-Infinity",
                     "#DIV/0!", "1" + "0" * 400]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    _TEXT,
)

_WORDINGS = sorted({str(k) for s in SCALES for lv in s.levels for k in lv}
                   | {str(k) for s in SCALES for k in s.missing})
_CASES = [str, str.lower, str.upper, str.title, lambda t: " " + t + "\u00a0",
          lambda t: t.replace(" ", "  "), lambda t: t.replace("'", "\u2019")]
ANSWERS = st.one_of(
    st.builds(lambda w, f: f(w), st.sampled_from(_WORDINGS), st.sampled_from(_CASES)),
    st.sampled_from(["", " ", "\t", "4,0", "4.00", "-1", "10", "6", "bof", "1e0", "\u0663"]),
    _TEXT,
)


# --------------------------------------------------------------------------- the reference
_BLANKS = " \u00a0\u202f\t"


def _squeeze(cell):
    return "".join(c for c in cell if c not in _BLANKS)


def _grouping(cell, dec):
    """How ``cell`` uses the other mark as a thousands separator, read from its pieces:
    "sure" (two groups or more, or a group then the decimal mark), "single" (one group of three
    digits, nothing after: 1310 or 1.31?) or None (no grouping)."""
    other = "." if dec == "," else ","
    def digits(text):
        return text != "" and all(c in "0123456789" for c in text)
    head, *groups = _squeeze(cell).split(other)
    head = head[1:] if head[:1] in ("+", "-") else head
    if not groups or not (1 <= len(head) <= 3 and digits(head) and head[0] != "0"):
        return None
    last, _, fraction = groups[-1].partition(dec)
    if not all(len(g) == 3 and digits(g) for g in [*groups[:-1], last]):
        return None
    if dec in groups[-1]:
        return "sure" if digits(fraction) else None
    return "sure" if len(groups) > 1 else "single"


def _column_groups(cells, dec):
    """The documented column rule: the other mark groups thousands when one cell at least
    groups beyond doubt and no cell writes its decimals with the other mark."""
    other = "." if dec == "," else ","
    def other_decimal(c):
        s = _squeeze(c)
        if s.count(other) != 1 or dec in s or _grouping(c, dec) == "single":
            return False
        try:
            parse_number(s, other)
            return True
        except ValueError:
            return False
    return (any(_grouping(c, dec) == "sure" for c in cells)
            and not any(other_decimal(c) for c in cells))


def _parse_column(cells, dec):
    """parse_number of each cell with the column's grouping: numbers (NaN where it raises) and
    the failed flags."""
    grouped = _column_groups(cells, dec)
    numbers, failed = [], []
    for c in cells:
        try:
            numbers.append(parse_number(c, dec, grouped=grouped))
            failed.append(False)
        except ValueError:
            numbers.append(np.nan)
            failed.append(True)
    return numbers, failed


def _reference_hint(cell, dec, switch):
    """The part of the documented fix that the loader's hint must contain."""
    other = "." if dec == "," else ","
    s = _squeeze(cell)
    if s.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return "not a value"
    if s.startswith("#") and s.endswith(("!", "A", "?")):  # #DIV/0!, #N/A, #NAME?
        return "spreadsheet error"
    try:
        if math.isinf(float(s.replace(",", ".") if dec == "," else s)):
            return "beyond the range"
    except ValueError:
        pass
    if _grouping(cell, dec) == "single":
        return "ambiguous"
    try:
        parse_number(cell, other)
    except ValueError:
        return "remove units"
    return f"decimal={other!r}" if switch else "write it"


def _reference_cells(rows, scale, dec):
    """Cell by cell, with the public functions only: kept lines, numbers, codes, recoded records,
    rejected records and problems ``(line, column, found, expected, hint contains)``."""
    lines, codes, recoded, rejected, xs = [], [], [], [], []
    scale_problems, number_problems = [], []
    other = "." if dec == "," else ","
    for line, (ident, x, q) in enumerate(rows, start=2):
        if all(c.strip() == "" for c in (ident, x, q)):
            rejected.append({"line": line, "reason": "ligne vide / empty row"})
            continue
        lines.append(line)
        xs.append(x)
        try:
            code, reason = scale.parse(q)
        except KeyError:
            scale_problems.append((line, "q", q, scale.describe(), "missing="))
            code, reason = None, None
        if reason is not None:
            recoded.append({"line": line, "column": "q", "value": q, "reason": reason})
        codes.append(code)
    numbers, failed = _parse_column(xs, dec)
    # decimal= is proposed only when the other mark keeps every number of the column a number
    switch = not any(not a and b for a, b in zip(failed, _parse_column(xs, other)[1]))
    for line, x, bad in zip(lines, xs, failed):
        if bad:
            number_problems.append((line, "x", x, f"a number (decimal mark {dec!r})",
                                    _reference_hint(x, dec, switch)))
    return lines, numbers, codes, recoded, rejected, scale_problems + number_problems


def _write(tmp_path, rows, style, newline):
    """``style``: "plain", "quoted" or "csv" (quoted, with a last column "note" holding "n;1",
    blank on blank rows)."""
    def field(c):
        return c if style == "plain" else f'"{c}"'
    note = ["note"] if style == "csv" else []
    text = newline.join([";".join(map(field, ["id", "x", "q", *note]))]
                        + [";".join(map(field, [*r, *["n;1" if r[0] else ""] * len(note)]))
                           for r in rows]) + newline
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


ROWS = st.lists(st.tuples(NUMBERS, ANSWERS, st.integers(0, 9).map(lambda k: k == 0)),
                min_size=1, max_size=25)


def _valid_or(parse, cell, fallback):
    try:
        parse(cell)
        return cell
    except (KeyError, ValueError):
        return fallback


@PROPERTY
@given(rows=ROWS, scale=st.sampled_from(SCALES), dec=st.sampled_from([",", "."]),
       style=st.sampled_from(["plain", "quoted", "csv"]), newline=st.sampled_from(["\n", "\r\n"]),
       clean=st.booleans())
def test_read_survey_equals_the_cell_by_cell_reference(tmp_path, rows, scale, dec, style, newline,
                                                       clean):
    if clean:  # half the examples load: their invalid cells become valid ones
        rows = [(_valid_or(lambda c: parse_number(c, dec), x, "1"),
                 _valid_or(scale.parse, q, scale.labels("en")[-1]), blank) for x, q, blank in rows]
    cells = [("", " ", "\t") if blank else (str(i), x, q) for i, (x, q, blank) in enumerate(rows)]
    path = _write(tmp_path, cells, style, newline)
    lines, numbers, codes, recoded, rejected, problems = _reference_cells(cells, scale, dec)
    call = dict(scales={"q": scale}, numeric=["x"], id_column="id", sep=";", decimal=dec)
    if not lines:
        with pytest.raises(DataError, match="empty file"):
            read_survey(path, **call)
        return
    if problems:
        with pytest.raises(DataError) as err:
            read_survey(path, **call)
        got = [(p.line, p.column, p.found, p.expected, p.hint) for p in err.value.problems]
        assert [g[:4] for g in got] == [p[:4] for p in problems]
        assert all(p[4] in g[4] for g, p in zip(got, problems))
        assert all(type(g[0]) is int and type(g[2]) is str for g in got)
        return
    data, report = read_survey(path, **call)
    index = pd.Index(lines, name="line")
    expected = pd.DataFrame(index=index)
    expected["id"] = pd.Series([cells[ln - 2][0] for ln in lines], index=index, dtype="str")
    expected["x"] = np.asarray(numbers, dtype=float)
    expected["q"] = scale.categorical(codes)
    if style == "csv":
        expected["note"] = pd.Series(["n;1"] * len(lines), index=index, dtype="str")
    pd.testing.assert_frame_equal(data, expected, check_exact=True)
    # -0.0 stays -0.0, as parse_number gives it
    assert np.array_equal(np.signbit(data["x"].to_numpy()), np.signbit(np.asarray(numbers, float)))
    assert data["q"].cat.codes.dtype == expected["q"].cat.codes.dtype
    assert (report.rows_read, report.rows_kept) == (len(rows), len(lines))
    pd.testing.assert_frame_equal(report.rejected,
                                  pd.DataFrame(rejected, columns=["line", "reason"]))
    pd.testing.assert_frame_equal(report.recoded,
                                  pd.DataFrame(recoded, columns=["line", "column", "value", "reason"]))
    assert report.notes == ["encoding: utf-8", "separator: ';'", f"decimal: {dec!r}"]


@settings(max_examples=300, deadline=None)
@given(values=st.lists(NUMBERS, max_size=40), dec=st.sampled_from([",", "."]))
def test_text_numbers_equal_parse_number(values, dec):
    numbers, failed = parse_text_numbers(values, dec)
    grouped = _column_groups(values, dec)
    for v, x, bad in zip(values, numbers, failed):
        try:
            ref = parse_number(v, dec, grouped=grouped)
        except ValueError:
            assert bad and math.isnan(x), v
            continue
        assert not bad, v
        same_sign = math.copysign(1, x) == math.copysign(1, ref)  # -0.0 stays -0.0
        assert (math.isnan(ref) and math.isnan(x)) or (x == ref and same_sign), v


def test_text_numbers_with_a_line_break_in_a_cell_fall_back_to_parse_number():
    numbers, failed = parse_text_numbers(["1,5", "2\n3", "4"], ",")
    assert numbers[0] == 1.5 and numbers[2] == 4.0 and failed.tolist() == [False, True, False]


# --------------------------------------------------------------------------- rows
_ROW_CELLS = st.lists(st.sampled_from(["", " ", "1", "NSP", "x", "x;y"]), min_size=0, max_size=6)


@PROPERTY
@given(rows=st.lists(_ROW_CELLS, min_size=1, max_size=20), trailing=st.sampled_from([0, 1, 2]),
       quoted=st.booleans())
def test_row_accounting_equals_the_row_by_row_rules(tmp_path, rows, trailing, quoted):
    """Blank rows rejected; rows longer than the header kept when the extra fields are blank;
    any other field count a ragged row, with the hint naming an unnamed trailing column when the
    extra fields fall under one. Quoted files holding "x;y" are read by the csv module."""
    if not quoted:  # unquoted, "x;y" is two fields
        rows = [[c for c in r if c != "x;y"] for r in rows]
    header = ["id", "q", *[""] * trailing]
    ncol = 2
    text_rows = [(";".join(f'"{c}"' for c in r) if quoted else ";".join(r)) for r in rows]
    path = tmp_path / "rows.csv"
    path.write_bytes(("\n".join([";".join(header), *text_rows]) + "\n").encode())
    kept, rejected, problems = [], [], []
    for line, cells in enumerate(rows, start=2):
        if all(c.strip() == "" for c in cells):
            rejected.append(line)
        elif len(cells) == ncol or (len(cells) > ncol and all(c.strip() == "" for c in cells[ncol:])):
            kept.append((line, cells[:ncol]))
        else:
            named = bool(trailing) and ncol < len(cells) <= ncol + trailing
            problems.append((line, f"{len(cells)} fields",
                             "without a name" if named else "check the separator"))
    if problems:
        with pytest.raises(DataError, match="ragged rows") as err:
            read_survey(path)
        got = [(p.line, p.found, p.hint) for p in err.value.problems]
        assert [g[:2] for g in got] == [p[:2] for p in problems]
        assert all(p[2] in g[2] for g, p in zip(got, problems))
        return
    if not kept:
        with pytest.raises(DataError, match="empty file"):
            read_survey(path)
        return
    data, report = read_survey(path)
    assert data.index.tolist() == [ln for ln, _ in kept]
    assert data.to_numpy().tolist() == [c for _, c in kept]
    assert report.rejected["line"].tolist() == rejected
    assert report.rows_read == len(rows)
    assert report.lines_read == len(rows) and report.spans.empty  # one line per row here


def test_excel_export_with_trailing_separators_and_stray_rows(tmp_path):
    # every row of an Excel export ends with the unnamed columns' separators; one row lacks them,
    # one is longer with blank extra fields, one has data under an unnamed column
    text = "id;q;;\n1;4;;\n2;3\n3;NSP;;;\n;;;\n4;2;x;\n"
    p = tmp_path / "x.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_survey(p, scales={"q": SATISFACTION_4})
    (prob,) = err.value.problems
    assert prob.line == 6 and prob.found == "4 fields" and "without a name" in prob.hint
    p.write_text(text.replace("4;2;x;\n", "4;2;;\n"), encoding="utf-8")
    data, report = read_survey(p, scales={"q": SATISFACTION_4}, id_column="id")
    assert data.index.tolist() == [2, 3, 4, 6] and data["q"].tolist()[:2] == [4, 3]
    assert report.rejected["line"].tolist() == [5] and report.recoded["line"].tolist() == [4]


# --------------------------------------------------------------------------- splitting lines
@settings(max_examples=1000, deadline=None)
@given(text=st.lists(st.sampled_from(['a', 'b', ';', '"', '""', '"a"', '"a b"', '"a;b"', '\n', '\r',
                                     '\r\n', ' ', '\t']),
                    min_size=1, max_size=30).map("".join))
def test_lines_split_without_the_csv_module_are_its_records(text):
    """Whenever the loader splits a text itself (unquoted, or quotes around whole fields only),
    it finds the csv module's records, one per physical line."""
    lines = plain_lines(text, ";")
    if lines is None:
        return  # the csv module reads it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    records, numbers = [], []
    for rec in reader:
        records.append(rec)
        numbers.append(reader.line_num)
    assert [split_line(line, ";") for line in lines] == records
    assert numbers == list(range(1, len(records) + 1))


def test_a_line_holding_one_empty_quoted_field_is_left_to_the_csv_module(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text('""\n"a"\n', encoding="utf-8")  # the csv module reads one column named ""
    data, _ = read_survey(p, sep=";")
    assert list(data.columns) == [""] and data[""].tolist() == ["a"]
