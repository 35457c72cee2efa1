"""Build the reconciled condition, outcome and participation tables of the case base.

Reads the two independent codings (``data/cases/codings/coder_a`` and ``coder_b``),
the reconciliation of their disagreements (``data/cases/codings/reconciliation.csv``
for conditions and outcomes, ``reconciliation_participation.csv`` for participation
levels), ``cases.csv`` and ``sources.csv``, and writes ``conditions.csv``,
``outcomes.csv`` and ``participation.csv``:

* where the coders agree (same score or level, or both NA), the common value with
  coder A's evidence and source, and an empty note;
* where they disagree (different values, or one NA and the other not), the value,
  evidence, source and note of the reconciliation row.

The input files are read and checked by the case-base loader
(:func:`coanalysis.loaders.casebase.read_resources`: schema, scores in
{0, 0.33, 0.67, 1}, keys, one row per case and term in each coding, evidence for
every coded score, a note on every log row, the log's ``score_a``/``score_b``
equal to the codings). A problem there stops the build before anything is paired.
The build then checks what only it can see: every disagreement has a row in the
log and every log row is a disagreement, and every source URL is listed in
``sources.csv`` (mapped to its ``source_id``). Problems stop the build with a
:class:`coanalysis.errors.DataError` listing every one of them.

Before writing, the script prints the agreement of the two codings (Krippendorff's
alpha, interval metric for the fuzzy scores, per variable, per table and overall;
ordinal metric for the participation levels, per actor, per stage and overall; units;
exact agreement), and rewrites the agreement figures and tables of ``data/README.md``
between the markers ``<!-- agreement:begin -->`` and ``<!-- agreement:end -->``.

Usage::

    python scripts/build_casebase_scores.py                 # rewrite data/cases/{conditions,outcomes}.csv and data/README.md
    python scripts/build_casebase_scores.py --out /tmp/x    # write the tables elsewhere, leave the README (used by the tests)
    python scripts/build_casebase_scores.py --out /tmp/x --readme data/README.md   # tables elsewhere, README updated

The output is deterministic: rows in the case order of ``cases.csv`` then codebook
order (actor, then stage, for participation); scores written as 0, 0.33, 0.67, 1 or
empty, levels as integers or empty.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from coanalysis import codebook, report
from coanalysis.agreement import coder_agreement, participation_agreement
from coanalysis.errors import DataError, Problem
from coanalysis.loaders.casebase import (CODING_RESOURCES, format_score, read_resources,
                                         same_score)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "data" / "cases"

#: table name -> (item column, vocabulary)
TABLES: dict[str, tuple[str, codebook.Vocabulary]] = {
    "conditions": ("condition", codebook.CONDITIONS),
    "outcomes": ("outcome", codebook.OUTCOMES),
}
CODERS = ("coder_a", "coder_b")
RECONCILIATION = "codings/reconciliation.csv"
PARTICIPATION_LOG = "codings/reconciliation_participation.csv"
PARTICIPATION_KEY = ("case_id", "actor", "stage")
PARTICIPATION_COLUMNS = [*PARTICIPATION_KEY, "level", "evidence", "source_id", "coder", "note"]
RECONCILED_CODER = "A+B"
#: Resources the build reads (the reconciled tables are what it writes).
INPUTS: tuple[str, ...] = ("cases", "sources", *CODING_RESOURCES)
README_BEGIN = "<!-- agreement:begin (written by scripts/build_casebase_scores.py) -->"
README_END = "<!-- agreement:end -->"


def read_inputs(data: Path) -> dict[str, pd.DataFrame]:
    """The input resources as typed frames indexed by line; a DataError lists every problem."""
    frames, problems = read_resources(INPUTS, data)
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) in the files the "
                                          "reconciliation reads")
    return frames


def _value(value):
    """A cell as a plain Python value, None for NA."""
    return None if pd.isna(value) else value


def units(frame: pd.DataFrame, item: str) -> dict[tuple[str, str], dict]:
    """``{(case_id, term): row}`` of a coding, each row a dict of plain values with its ``line``."""
    out = {}
    for line, row in frame.iterrows():
        record = {k: _value(v) for k, v in row.items()}
        record["line"] = int(line)
        out[(str(row["case_id"]), str(row[item]))] = record
    return out


def source_ids(sources: pd.DataFrame) -> dict[str, str]:
    """``{url: source_id}`` from sources.csv (URLs are unique there)."""
    return dict(zip(sources["url"].astype(str), sources["source_id"].astype(str)))


def reconcile_table(table: str, frames: dict[str, pd.DataFrame], urls: dict[str, str],
                    problems: list[Problem]) -> pd.DataFrame:
    """The reconciled table (text columns, schema order, sorted by case then codebook order)."""
    item, vocab = TABLES[table]
    coded = {coder: units(frames[f"{coder}_{table}"], item) for coder in CODERS}
    log = frames["reconciliation"]
    log = {(str(r["case_id"]), str(r["variable"])): {**{k: _value(v) for k, v in r.items()},
                                                     "line": int(line)}
           for line, r in log[log["table"] == table].iterrows()}
    rows = []
    for case in frames["cases"]["case_id"].astype(str):
        for slug in vocab.slugs:
            a, b = coded["coder_a"][(case, slug)], coded["coder_b"][(case, slug)]
            entry = log.get((case, slug))
            if same_score(a["score"], b["score"]):
                chosen = {**a, "note": None, "file": f"codings/coder_a/{table}.csv"}
                if entry is not None:
                    problems.append(Problem(RECONCILIATION, entry["line"], "variable",
                                            f"{table}/{case}/{slug}",
                                            "a unit where the coders disagree",
                                            "the coders agree here: remove this row"))
            elif entry is None:
                problems.append(Problem(RECONCILIATION, None, "variable", f"{table}/{case}/{slug}",
                                        "a reconciliation row for this disagreement",
                                        f"coder A {format_score(a['score']) or 'NA'}, "
                                        f"coder B {format_score(b['score']) or 'NA'}"))
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


def _level(value) -> str:
    return "" if value is None else str(int(value))


def reconcile_participation(frames: dict[str, pd.DataFrame],
                            problems: list[Problem]) -> pd.DataFrame:
    """The reconciled participation table: coder A's units, in case, actor, stage order.

    The loader has checked that both codings hold the same units with valid levels and
    source ids; here every disagreement must have a log row and every log row must be one.
    """
    def by_unit(frame: pd.DataFrame) -> dict[tuple, dict]:
        out = {}
        for line, row in frame.iterrows():
            record = {k: _value(v) for k, v in row.items()}
            record["line"] = int(line)
            out[tuple(str(row[k]) for k in PARTICIPATION_KEY)] = record
        return out

    coded = {coder: by_unit(frames[f"{coder}_participation"]) for coder in CODERS}
    log = by_unit(frames["reconciliation_participation"])
    case_rank = {c: i for i, c in enumerate(frames["cases"]["case_id"].astype(str))}
    actor_rank = {a: i for i, a in enumerate(codebook.ACTORS.slugs)}
    stage_rank = {s: i for i, s in enumerate(codebook.STAGES.slugs)}
    order = sorted(coded["coder_a"], key=lambda u: (case_rank.get(u[0], len(case_rank)),
                                                      actor_rank[u[1]], stage_rank[u[2]]))
    rows = []
    for unit in order:
        a, b = coded["coder_a"][unit], coded["coder_b"].get(unit)
        if b is None:
            continue  # the loader reports a unit coded by one coder only
        entry = log.get(unit)
        label = "/".join(unit)
        if a["level"] == b["level"]:
            chosen = {**a, "note": None}
            if entry is not None:
                problems.append(Problem(PARTICIPATION_LOG, entry["line"], "case_id,actor,stage",
                                        label, "a unit where the coders disagree",
                                        "the coders agree here: remove this row"))
        elif entry is None:
            problems.append(Problem(PARTICIPATION_LOG, None, "case_id,actor,stage", label,
                                    "a reconciliation row for this disagreement",
                                    f"coder A {_level(a['level']) or 'NA'}, "
                                    f"coder B {_level(b['level']) or 'NA'}"))
            continue
        else:
            chosen = entry
        rows.append({
            **dict(zip(PARTICIPATION_KEY, unit)),
            "level": _level(chosen["level"]),
            "evidence": chosen["evidence"] or "",
            "source_id": chosen["source_id"] or "",
            "coder": RECONCILED_CODER,
            "note": chosen["note"] or "",
        })
    return pd.DataFrame(rows, columns=PARTICIPATION_COLUMNS)


def agreement_table(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Agreement of the two codings before reconciliation, via :func:`coanalysis.agreement.coder_agreement`."""
    codings = {f"{coder}_{table}": frames[f"{coder}_{table}"].reset_index(drop=True)
               for table in TABLES for coder in CODERS}
    return coder_agreement(SimpleNamespace(codings=codings), measurement="interval")


def _cell(value, width: int, percent: bool = False) -> str:
    """A number of the text tables: 3 decimals, or a percentage with one; "n/a" for NA."""
    if pd.isna(value):
        return "n/a".rjust(width)
    return f"{100 * value:{width - 1}.1f}%" if percent else f"{value:{width}.3f}"


def format_agreement(table: pd.DataFrame) -> str:
    """The agreement table as aligned text (alpha to 3 decimals, exact agreement in %)."""
    lines = [f"{'table':<11} {'variable':<22} {'units':>5} {'pair':>5} {'NA both':>7} "
             f"{'NA one':>6} {'exact':>5} {'% exact':>7} {'alpha':>7}"]
    for _, r in table.iterrows():
        alpha, exact = _cell(r["alpha"], 7), _cell(r["exact"], 7, percent=True)
        lines.append(f"{r['table']:<11} {r['variable']:<22} {r['n_units']:>5} {r['n_pairable']:>5} "
                     f"{r['n_na_all']:>7} {r['n_na_some']:>6} {r['n_exact']:>5} {exact:>7} {alpha}")
    return "\n".join(lines)


def format_participation_agreement(table: pd.DataFrame) -> str:
    """The participation agreement table as aligned text."""
    lines = [f"{'by':<6} {'variable':<16} {'units':>5} {'pair':>5} {'NA one':>6} {'exact':>5} "
             f"{'% exact':>7} {'% within 1':>10} {'alpha':>7}"]
    for _, r in table.iterrows():
        alpha, exact = _cell(r["alpha"], 7), _cell(r["exact"], 7, percent=True)
        within = _cell(r["within_one"], 10, percent=True)
        lines.append(f"{r['by']:<6} {r['variable']:<16} {r['n_units']:>5} {r['n_pairable']:>5} "
                     f"{r['n_na_some']:>6} {r['n_exact']:>5} {exact:>7} {within:>10} {alpha}")
    return "\n".join(lines)


def replace_between_markers(text: str, block: str, *, file: str = "README.md") -> str:
    """``text`` with what lies between :data:`README_BEGIN` and :data:`README_END` replaced by ``block``."""
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 or end < begin or text.count(README_BEGIN) != 1 or text.count(README_END) != 1:
        raise DataError(Problem(file, None, None, None,
                                f"one line {README_BEGIN!r} followed by one line {README_END!r}",
                                "put the two markers around the agreement figures"))
    start = begin + len(README_BEGIN)
    return text[:start] + "\n" + block + "\n" + text[end:]


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
    """

    tables: dict[str, pd.DataFrame]
    agreement: pd.DataFrame
    participation_agreement: pd.DataFrame | None = None

    def __repr__(self) -> str:
        sizes = ", ".join(f"{t}: {len(f)} rows, {int((f['note'] != '').sum())} reconciled"
                          for t, f in self.tables.items())
        return f"Reconciled({sizes})"

    def summary(self) -> str:
        """Agreement table and counts as text."""
        lines = ["Agreement of the two independent codings before reconciliation "
                 "(Krippendorff's alpha, interval metric):", format_agreement(self.agreement)]
        if self.participation_agreement is not None:
            lines += ["Participation levels (Krippendorff's alpha, ordinal metric; "
                      "'within 1' = levels at most one step apart):",
                      format_participation_agreement(self.participation_agreement)]
        for table, frame in self.tables.items():
            n_notes = int((frame["note"] != "").sum())
            lines.append(f"{table}: {len(frame)} rows, {n_notes} settled by reconciliation")
        return "\n".join(lines)


def build(data: Path = DEFAULT_DATA) -> Reconciled:
    """Reconcile the two codings of ``data`` (a case-base folder).

    Raises
    ------
    DataError
        Listing every problem of the input files (see :func:`read_inputs`), or,
        once they are valid, every unknown URL and missing or surplus
        reconciliation row.
    """
    frames = read_inputs(Path(data))
    urls = source_ids(frames["sources"])
    problems: list[Problem] = []
    tables = {table: reconcile_table(table, frames, urls, problems) for table in TABLES}
    tables["participation"] = reconcile_participation(frames, problems)
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) stop the reconciliation")
    return Reconciled(tables, agreement_table(frames),
                      participation_agreement(SimpleNamespace(codings={
                          f"{coder}_participation": frames[f"{coder}_participation"]
                          .reset_index(drop=True) for coder in CODERS})))


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write ``<out>/conditions.csv``, ``outcomes.csv`` and ``participation.csv`` (UTF-8, LF,
    minimal quoting)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for table, frame in tables.items():
        path = out / f"{table}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_readme(agreement: pd.DataFrame, readme: Path,
                 participation: pd.DataFrame | None = None) -> bool:
    """Rewrite the agreement block of ``readme``; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    block = report.agreement_markdown(agreement, "fr")
    if participation is not None:
        block += "\n\n" + report.participation_markdown(participation, "fr")
    new = replace_between_markers(text, block, file=str(readme))
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="case-base folder to read (default: data/cases)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write conditions.csv, outcomes.csv and participation.csv (default: --data)")
    parser.add_argument("--readme", type=Path, default=None,
                        help="README whose agreement block is rewritten (default: the README.md "
                             "next to --data when --out is not given; none otherwise)")
    args = parser.parse_args(argv)
    try:
        result = build(args.data)
        readme = args.readme or (args.data.parent / "README.md" if args.out is None else None)
        if readme is not None:
            changed = write_readme(result.agreement, readme, result.participation_agreement)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    print(result.summary())
    for path in write_tables(result.tables, args.out or args.data):
        print(f"wrote {path}")
    if readme is not None:
        print(f"{'rewrote' if changed else 'unchanged:'} {readme} (agreement block)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
