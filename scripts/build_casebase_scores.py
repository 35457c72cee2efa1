"""Build the reconciled condition and outcome tables of the case base.

Reads the two independent codings (``data/cases/codings/coder_a`` and ``coder_b``),
the reconciliation of their disagreements (``data/cases/codings/reconciliation.csv``),
``cases.csv`` and ``sources.csv``, and writes ``conditions.csv`` and ``outcomes.csv``:

* where the coders agree (same score, or both NA), the common score with coder A's
  evidence and source, and an empty note;
* where they disagree (different scores, or one NA and the other not), the score,
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
alpha, interval metric, per variable, per table and overall; units; exact
agreement), and rewrites the agreement figures and table of ``data/README.md``
between the markers ``<!-- agreement:begin -->`` and ``<!-- agreement:end -->``.

Usage::

    python scripts/build_casebase_scores.py                 # rewrite data/cases/{conditions,outcomes}.csv and data/README.md
    python scripts/build_casebase_scores.py --out /tmp/x    # write the tables elsewhere, leave the README (used by the tests)
    python scripts/build_casebase_scores.py --out /tmp/x --readme data/README.md   # tables elsewhere, README updated

The output is deterministic: rows in the case order of ``cases.csv`` then codebook
order; scores written as 0, 0.33, 0.67, 1 or empty.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from coanalysis import codebook
from coanalysis.agreement import coder_agreement
from coanalysis.codebook import Lang, check_lang
from coanalysis.errors import DataError, Problem
from coanalysis.figures import format_number, format_percent
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


def agreement_table(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Agreement of the two codings before reconciliation, via :func:`coanalysis.agreement.coder_agreement`."""
    codings = {f"{coder}_{table}": frames[f"{coder}_{table}"].reset_index(drop=True)
               for table in TABLES for coder in CODERS}
    return coder_agreement(SimpleNamespace(codings=codings), level="interval")


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


_README_TEXT = {
    "fr": {
        "table": {"conditions": "conditions", "outcomes": "résultats"},
        "bullet": "- **{label}** : α = {alpha} ({units} unités, {pair} notées par les deux codeurs, "
                  "accord exact {exact}) ;",
        "overall": "- ensemble : α = {alpha} ; {disagree} désaccords sur {units} unités "
                   "({different} scores différents, {na_some} score contre NA).",
        "header": "| Variable | Cas codés par les deux | Score contre NA | Accord exact | α |",
        "total": {"conditions": "Toutes les conditions", "outcomes": "Tous les résultats",
                  "(all)": "Ensemble"},
    },
    "en": {
        "table": {"conditions": "conditions", "outcomes": "outcomes"},
        "bullet": "- **{label}**: α = {alpha} ({units} units, {pair} scored by both coders, "
                  "exact agreement {exact});",
        "overall": "- overall: α = {alpha}; {disagree} disagreements out of {units} units "
                   "({different} different scores, {na_some} a score against NA).",
        "header": "| Variable | Cases scored by both | Score against NA | Exact agreement | α |",
        "total": {"conditions": "All conditions", "outcomes": "All outcomes",
                  "(all)": "Overall"},
    },
}


def agreement_markdown(agreement: pd.DataFrame, lang: Lang = "fr") -> str:
    """The agreement figures and per-variable table of ``data/README.md``, as Markdown.

    Parameters
    ----------
    agreement : DataFrame
        The output of :func:`agreement_table` (:func:`coanalysis.agreement.coder_agreement`).
    lang : {"fr", "en"}
        Language of the labels (codebook labels of the variables).

    Returns
    -------
    str
        One bullet per table and one overall (alpha, units, units scored by both
        coders, exact agreement; disagreements = different scores + score against
        NA), then a table with one row per variable, per table and overall:
        units scored by both coders (``n_pairable``), score against NA
        (``n_na_some``), exact agreement (``exact``) and alpha; "—" where undefined.
    """
    check_lang(lang)
    text = _README_TEXT[lang]
    rows = agreement.set_index(["table", "variable"])

    def alpha(r):
        return "—" if pd.isna(r["alpha"]) else format_number(r["alpha"], 2, lang=lang)

    def exact(r):
        return "—" if pd.isna(r["exact"]) else format_percent(r["exact"], 0, lang=lang)

    lines = []
    for table in TABLES:
        r = rows.loc[(table, "(all)")]
        lines.append(text["bullet"].format(label=text["table"][table], alpha=alpha(r),
                                           units=int(r["n_units"]), pair=int(r["n_pairable"]),
                                           exact=exact(r)))
    r = rows.loc[("(all)", "(all)")]
    different = int(r["n_pairable"] - r["n_exact"])
    lines.append(text["overall"].format(alpha=alpha(r), disagree=different + int(r["n_na_some"]),
                                        units=int(r["n_units"]), different=different,
                                        na_some=int(r["n_na_some"])))
    lines += ["", text["header"], "|---|---:|---:|---:|---:|"]
    for (table, variable), r in rows.iterrows():
        if variable == "(all)":
            label = f"**{text['total'][table]}**"
        else:
            vocab = TABLES[table][1]
            label = f"{vocab.label(variable, lang)} (`{variable}`)"
        lines.append(f"| {label} | {int(r['n_pairable'])} | {int(r['n_na_some'])} | {exact(r)} | "
                     f"{alpha(r)} |")
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

    def __repr__(self) -> str:
        sizes = ", ".join(f"{t}: {len(f)} rows, {int((f['note'] != '').sum())} reconciled"
                          for t, f in self.tables.items())
        return f"Reconciled({sizes})"

    def summary(self) -> str:
        """Agreement table and counts as text."""
        lines = ["Agreement of the two independent codings before reconciliation "
                 "(Krippendorff's alpha, interval metric):", format_agreement(self.agreement)]
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
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) stop the reconciliation")
    return Reconciled(tables, agreement_table(frames))


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write ``<out>/conditions.csv`` and ``<out>/outcomes.csv`` (UTF-8, LF, minimal quoting)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for table, frame in tables.items():
        path = out / f"{table}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_readme(agreement: pd.DataFrame, readme: Path) -> bool:
    """Rewrite the agreement block of ``readme``; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    new = replace_between_markers(text, agreement_markdown(agreement, "fr"), file=str(readme))
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="case-base folder to read (default: data/cases)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write conditions.csv and outcomes.csv (default: --data)")
    parser.add_argument("--readme", type=Path, default=None,
                        help="README whose agreement block is rewritten (default: the README.md "
                             "next to --data when --out is not given; none otherwise)")
    args = parser.parse_args(argv)
    try:
        result = build(args.data)
        readme = args.readme or (args.data.parent / "README.md" if args.out is None else None)
        if readme is not None:
            changed = write_readme(result.agreement, readme)
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
