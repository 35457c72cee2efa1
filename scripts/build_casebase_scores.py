"""Build the reconciled condition and outcome tables of the case base.

Reads the two independent codings (``data/cases/codings/coder_a`` and ``coder_b``),
the reconciliation of their disagreements (``data/cases/codings/reconciliation.csv``),
``cases.csv`` and ``sources.csv``, and writes ``conditions.csv`` and ``outcomes.csv``:

* where the coders agree (same score, or both NA), the common score with coder A's
  evidence and source, and an empty note;
* where they disagree (different scores, or one NA and the other not), the score,
  evidence, source and note of the reconciliation row.

Source URLs are mapped to ``source_id`` through ``sources.csv``; an unknown URL, a
disagreement without a reconciliation row (or a reconciliation row without a
disagreement), a score outside {0, 0.33, 0.67, 1} or a missing note stops the build
with a :class:`coanalysis.errors.DataError` listing every problem. Before writing,
the script prints the agreement of the two codings (Krippendorff's alpha, interval
metric, per variable, per table and overall; units; exact agreement).

Usage::

    python scripts/build_casebase_scores.py                 # rewrite data/cases/{conditions,outcomes}.csv
    python scripts/build_casebase_scores.py --out /tmp/x    # write elsewhere (used by the tests)

The output is deterministic: rows in the case order of ``cases.csv`` then codebook
order; scores written as 0, 0.33, 0.67, 1 or empty.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from coanalysis import codebook
from coanalysis.agreement import coder_agreement
from coanalysis.errors import DataError, Problem

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "data" / "cases"

#: table name -> (item column, vocabulary)
TABLES: dict[str, tuple[str, codebook.Vocabulary]] = {
    "conditions": ("condition", codebook.CONDITIONS),
    "outcomes": ("outcome", codebook.OUTCOMES),
}
CODERS = ("coder_a", "coder_b")
RECONCILIATION = "codings/reconciliation.csv"
RECONCILIATION_COLUMNS = ["table", "case_id", "variable", "score_a", "score_b", "score",
                          "evidence", "source_url", "note"]
RECONCILED_CODER = "A+B"


def read_text_csv(path: Path) -> pd.DataFrame:
    """A CSV read as text (empty field -> NA), with ``_line`` = line number of the record in the file."""
    if not path.exists():
        raise DataError(Problem(str(path), None, None, None, "an existing file",
                                "run from a complete checkout of the project"))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    # Records may span several lines (quoted newlines): a record starts on the line
    # after the previous record ended.
    starts = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        previous_end = reader.line_num
        for record in reader:
            if record:  # pandas skips blank lines too
                starts.append(previous_end + 1)
            previous_end = reader.line_num
    if len(starts) != len(frame):
        raise DataError(Problem(str(path), None, None, f"{len(starts)} records vs {len(frame)} rows",
                                "a well-formed CSV file", "check quoting in the file"))
    frame["_line"] = starts
    return frame


def parse_scores(frame: pd.DataFrame, column: str, file: str,
                 problems: list[Problem]) -> pd.Series:
    """Scores as floats (NaN for NA); any value outside the four fuzzy scores is a problem."""
    values = []
    for text, line in zip(frame[column], frame["_line"]):
        if pd.isna(text):
            values.append(float("nan"))
            continue
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not any(math.isclose(value, s, abs_tol=1e-9)
                                    for s in codebook.FUZZY_SCORES):
            problems.append(Problem(file, int(line), column, text,
                                    "one of 0, 0.33, 0.67, 1 or empty (never 0.5)"))
            values.append(float("nan"))
        else:
            values.append(value)
    return pd.Series(values, index=frame.index, dtype=float)


def format_score(value: float) -> str:
    """0 -> '0', 0.33 -> '0.33', 0.67 -> '0.67', 1 -> '1', NaN -> ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    for score in codebook.FUZZY_SCORES:
        if math.isclose(value, score, abs_tol=1e-9):
            return f"{score:g}"
    raise ValueError(f"not a fuzzy score: {value!r}")


def same_score(a: float, b: float) -> bool:
    """True when both are NA or both equal (tolerance 1e-9)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, abs_tol=1e-9)


def read_codings(data: Path, problems: list[Problem]) -> dict[str, dict[str, pd.DataFrame]]:
    """``{table: {coder: frame}}`` with a float ``score`` column (NaN for NA)."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for table in TABLES:
        out[table] = {}
        for coder in CODERS:
            rel = f"codings/{coder}/{table}.csv"
            frame = read_text_csv(data / rel)
            frame["score"] = parse_scores(frame, "score", rel, problems)
            item = TABLES[table][0]
            dup = frame.duplicated(["case_id", item], keep="first")
            for _, row in frame[dup].iterrows():
                problems.append(Problem(rel, int(row["_line"]), item,
                                        f"{row['case_id']}: {row[item]}",
                                        "one row per case and term", "remove the repeated row"))
            out[table][coder] = frame[~dup]
    return out


def paired_codings(codings: dict[str, pd.DataFrame], table: str) -> pd.DataFrame:
    """One row per (case_id, item) with score/evidence/source_url of both coders (suffixes _a, _b)."""
    item = TABLES[table][0]
    keep = ["case_id", item, "score", "evidence", "source_url", "_line"]
    a = codings["coder_a"][keep]
    b = codings["coder_b"][keep]
    return a.merge(b, on=["case_id", item], how="outer", suffixes=("_a", "_b"),
                   validate="one_to_one")


def check_completeness(pairs: pd.DataFrame, table: str, case_ids: list[str],
                       problems: list[Problem]) -> None:
    """Both codings must hold every case x item exactly once."""
    item, vocab = TABLES[table]
    expected = pd.MultiIndex.from_product([case_ids, list(vocab.slugs)])
    have = pd.MultiIndex.from_frame(pairs[["case_id", item]])
    for case, slug in expected.difference(have):
        problems.append(Problem(f"codings/*/{table}.csv", None, item, f"{case}: {slug}",
                                "a row for every case and term in both codings"))
    for suffix, coder in (("_a", "coder_a"), ("_b", "coder_b")):
        missing = pairs[pairs["_line" + suffix].isna()]
        for _, row in missing.iterrows():
            problems.append(Problem(f"codings/{coder}/{table}.csv", None, item,
                                    f"{row['case_id']}: {row[item]}",
                                    "a row for this unit (the other coding has one)"))
    extra = have.difference(expected)
    for case, slug in extra:
        problems.append(Problem(f"codings/*/{table}.csv", None, "case_id", f"{case}: {slug}",
                                "a case of cases.csv and a term of the codebook"))


def disagreements(pairs: pd.DataFrame) -> pd.Series:
    """Boolean mask: the two coders give different scores, or one gives NA and the other not."""
    return ~pd.Series([same_score(a, b) for a, b in zip(pairs["score_a"], pairs["score_b"])],
                      index=pairs.index, dtype=bool)


def read_reconciliation(data: Path, problems: list[Problem]) -> pd.DataFrame:
    """The reconciliation table with float ``score``, ``score_a``, ``score_b``."""
    frame = read_text_csv(data / RECONCILIATION)
    if list(frame.columns[:-1]) != RECONCILIATION_COLUMNS:
        problems.append(Problem(RECONCILIATION, 1, None, list(frame.columns[:-1]),
                                f"the columns {RECONCILIATION_COLUMNS}"))
        return frame
    for col in ("score_a", "score_b", "score"):
        frame[col] = parse_scores(frame, col, RECONCILIATION, problems)
    for _, row in frame.iterrows():
        if row["table"] not in TABLES:
            problems.append(Problem(RECONCILIATION, int(row["_line"]), "table", row["table"],
                                    f"one of {list(TABLES)}"))
        elif row["variable"] not in TABLES[row["table"]][1]:
            problems.append(Problem(RECONCILIATION, int(row["_line"]), "variable",
                                    row["variable"], f"a {TABLES[row['table']][0]} slug"))
        if pd.isna(row["note"]):
            problems.append(Problem(RECONCILIATION, int(row["_line"]), "note", None,
                                    "one sentence on how the disagreement was settled"))
        if not math.isnan(row["score"]) and (pd.isna(row["evidence"]) or pd.isna(row["source_url"])):
            problems.append(Problem(RECONCILIATION, int(row["_line"]), "evidence/source_url", None,
                                    "evidence and a source URL for the reconciled score"))
    dup = frame.duplicated(["table", "case_id", "variable"], keep="first")
    for _, row in frame[dup].iterrows():
        problems.append(Problem(RECONCILIATION, int(row["_line"]), "variable",
                                f"{row['table']}/{row['case_id']}/{row['variable']}",
                                "one reconciliation row per disagreement"))
    return frame


def source_ids(data: Path) -> dict[str, str]:
    """``{url: source_id}`` from sources.csv."""
    sources = read_text_csv(data / "sources.csv")
    return dict(zip(sources["url"], sources["source_id"]))


def lookup_source(url: str, urls: dict[str, str], warnings: list[str]) -> str | None:
    """The source_id of ``url``: exact match, else a unique match ignoring trailing dots.

    The dossiers write some URLs with trailing dots that belong to the URL (a
    blog slug ending in ``..``) which the list of sources dropped. A unique match
    once trailing dots are ignored is accepted with a warning; anything else
    returns None (and the caller reports the URL as missing).
    """
    if url in urls:
        return urls[url]
    stem = url.rstrip(".")
    candidates = sorted({sid for u, sid in urls.items() if u.rstrip(".") == stem})
    if len(candidates) == 1:
        warnings.append(f"{url!r} is not spelt as in sources.csv; matched {candidates[0]} "
                        "ignoring trailing dots")
        return candidates[0]
    return None


def reconcile_table(table: str, pairs: pd.DataFrame, recon: pd.DataFrame,
                    urls: dict[str, str], case_ids: list[str],
                    problems: list[Problem], warnings: list[str]) -> pd.DataFrame:
    """The reconciled table (text columns, schema order, sorted by case then codebook order)."""
    item, vocab = TABLES[table]
    rec = recon[recon["table"] == table].set_index(["case_id", "variable"])
    mask = disagreements(pairs)
    rows = []
    for (_, pair), disagree in zip(pairs.iterrows(), mask):
        key = (pair["case_id"], pair[item])
        if not disagree:
            score = pair["score_a"]
            evidence, url, note = pair["evidence_a"], pair["source_url_a"], None
            origin = (f"codings/coder_a/{table}.csv", pair["_line_a"], "source_url")
            if key in rec.index:
                line = int(rec.loc[key, "_line"])
                problems.append(Problem(RECONCILIATION, line, "variable", "/".join(key),
                                        "a unit where the coders disagree",
                                        "the coders agree here: remove this row"))
        else:
            if key not in rec.index:
                problems.append(Problem(RECONCILIATION, None, "variable", f"{table}/{'/'.join(key)}",
                                        "a reconciliation row for this disagreement",
                                        f"coder A {format_score(pair['score_a']) or 'NA'}, "
                                        f"coder B {format_score(pair['score_b']) or 'NA'}"))
                continue
            r = rec.loc[key]
            for side in ("a", "b"):
                if not same_score(r[f"score_{side}"], pair[f"score_{side}"]):
                    problems.append(Problem(RECONCILIATION, int(r["_line"]), f"score_{side}",
                                            format_score(r[f"score_{side}"]) or None,
                                            f"coder {side.upper()}'s score "
                                            f"{format_score(pair[f'score_{side}']) or 'NA'}"))
            score, evidence, url, note = r["score"], r["evidence"], r["source_url"], r["note"]
            origin = (RECONCILIATION, r["_line"], "source_url")
        source_id = None
        if not pd.isna(url):
            source_id = lookup_source(url, urls, warnings)
            if source_id is None:
                problems.append(Problem(origin[0], int(origin[1]), origin[2], url,
                                        "a URL listed in sources.csv",
                                        "add the source to sources.csv or correct the URL"))
        rows.append({
            "case_id": pair["case_id"],
            item: pair[item],
            "score": format_score(score),
            "evidence": "" if pd.isna(evidence) else evidence,
            "source_id": source_id or "",
            "coder": RECONCILED_CODER,
            "note": "" if note is None or pd.isna(note) else note,
        })
    out = pd.DataFrame(rows, columns=["case_id", item, "score", "evidence", "source_id",
                                      "coder", "note"])
    order_case = {c: i for i, c in enumerate(case_ids)}
    order_item = {s: i for i, s in enumerate(vocab.slugs)}
    out = out.assign(_c=out["case_id"].map(order_case), _i=out[item].map(order_item))
    return out.sort_values(["_c", "_i"], kind="stable").drop(columns=["_c", "_i"]) \
        .reset_index(drop=True)


def agreement_table(codings: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """Agreement of the two codings before reconciliation, via :func:`coanalysis.agreement.coder_agreement`."""
    frames = {}
    for table, (item, vocab) in TABLES.items():
        for coder in CODERS:
            f = codings[table][coder][["case_id", item, "score"]].copy()
            f[item] = pd.Categorical(f[item], dtype=vocab.dtype())
            frames[f"{coder}_{table}"] = f
    return coder_agreement(SimpleNamespace(codings=frames), level="interval")


def format_agreement(table: pd.DataFrame) -> str:
    """The agreement table as aligned text (alpha to 3 decimals, exact agreement in %)."""
    lines = [f"{'table':<11} {'variable':<22} {'units':>5} {'pair':>5} {'NA both':>7} "
             f"{'NA one':>6} {'exact':>5} {'% exact':>7} {'alpha':>7}"]
    for _, r in table.iterrows():
        alpha = "   n/a" if pd.isna(r["alpha"]) else f"{r['alpha']:7.3f}"
        exact = "    n/a" if pd.isna(r["exact"]) else f"{100 * r['exact']:6.1f}%"
        lines.append(f"{r['table']:<11} {r['variable']:<22} {r['n_units']:>5} {r['n_pairable']:>5} "
                     f"{r['n_na_all']:>7} {r['n_na_some']:>6} {r['n_exact']:>5} {exact:>7} {alpha}")
    return "\n".join(lines)


@dataclass
class Reconciled:
    """Result of :func:`build`.

    Attributes
    ----------
    tables : dict of str to DataFrame
        ``{"conditions": ..., "outcomes": ...}``, text columns in schema order.
    agreement : DataFrame
        Agreement of the two codings before reconciliation (see
        :func:`coanalysis.agreement.coder_agreement`).
    warnings : list of str
        Tolerated irregularities (URLs matched ignoring trailing dots).
    """

    tables: dict[str, pd.DataFrame]
    agreement: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{t}: {len(f)} rows, {int((f['note'] != '').sum())} reconciled"
                          for t, f in self.tables.items())
        return f"Reconciled({sizes}; {len(self.warnings)} warning(s))"

    def summary(self) -> str:
        """Agreement table, counts and warnings as text."""
        lines = ["Agreement of the two independent codings before reconciliation "
                 "(Krippendorff's alpha, interval metric):", format_agreement(self.agreement)]
        for table, frame in self.tables.items():
            n_notes = int((frame["note"] != "").sum())
            lines.append(f"{table}: {len(frame)} rows, {n_notes} settled by reconciliation")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def build(data: Path = DEFAULT_DATA) -> Reconciled:
    """Reconcile the two codings of ``data`` (a case-base folder).

    Raises
    ------
    DataError
        Listing every problem found (unknown URL, missing or surplus reconciliation
        row, score outside the four fuzzy values, coder scores that do not match
        the codings, incomplete codings).
    """
    data = Path(data)
    problems: list[Problem] = []
    warnings: list[str] = []
    cases = read_text_csv(data / "cases.csv")
    case_ids = list(cases["case_id"])
    codings = read_codings(data, problems)
    recon = read_reconciliation(data, problems)
    urls = source_ids(data)
    tables = {}
    for table in TABLES:
        pairs = paired_codings(codings[table], table)
        check_completeness(pairs, table, case_ids, problems)
        tables[table] = reconcile_table(table, pairs, recon, urls, case_ids, problems, warnings)
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) stop the reconciliation")
    return Reconciled(tables, agreement_table(codings), sorted(set(warnings)))


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write ``<out>/conditions.csv`` and ``<out>/outcomes.csv`` (UTF-8, LF, minimal quoting)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for table, frame in tables.items():
        path = out / f"{table}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="case-base folder to read (default: data/cases)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write conditions.csv and outcomes.csv (default: --data)")
    args = parser.parse_args(argv)
    try:
        result = build(args.data)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    print(result.summary())
    for path in write_tables(result.tables, args.out or args.data):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
