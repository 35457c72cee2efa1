"""Build the reconciled condition, outcome and participation tables of the case base (``make data``).

Reads the two independent codings (``data/cases/codings/coder_a`` and ``coder_b``),
the reconciliation of their disagreements (``data/cases/codings/reconciliation.csv``
for conditions and outcomes, ``reconciliation_participation.csv`` for participation
levels), ``cases.csv`` and ``sources.csv``, and writes ``conditions.csv``,
``outcomes.csv`` and ``participation.csv`` as the reconciliation rule gives them:
:func:`coanalysis.loaders.casebase.reconcile` (stated in ``docs/reconciliation.md``),
the function the loader also calls to check the shipped tables by rebuilding them.

The input files are read and checked by the case-base loader
(:func:`coanalysis.loaders.casebase.read_resources`: schema, scores in
{0, 0.33, 0.67, 1}, keys, one row per case and term in each coding, evidence for
every coded score, a note on every log row, the log's ``score_a``/``score_b``
equal to the codings). A problem there stops the build before anything is paired.
The rule then reports what only the pairing can see: a disagreement without a log
row, a log row where the coders agree, a URL not in ``sources.csv``, a participation
unit coded by one coder only. Problems stop the build with a
:class:`coanalysis.errors.DataError` listing every one of them.

Before writing, the script prints the agreement of the two codings (Krippendorff's
alpha, interval metric for the fuzzy scores, per variable, per table and overall;
ordinal metric for the participation levels, per actor, per stage and overall; units;
exact agreement), and rewrites every figure of ``data/README.md``, ``README.md`` and
``docs/reconciliation.md`` that comes from the data: the blocks between the markers ``<!-- NAME:begin -->`` and
``<!-- NAME:end -->``, NAME one of :func:`readme_blocks` (``agreement``: the lists and
tables of the agreement; ``n-cases``, ``participation-units``...: counts).

Usage::

    python scripts/build_casebase_scores.py                 # rewrite data/cases/{conditions,outcomes,participation}.csv, data/README.md, README.md, docs/reconciliation.md
    python scripts/build_casebase_scores.py --out /tmp/x    # write the tables elsewhere, leave the READMEs (used by the tests)
    python scripts/build_casebase_scores.py --out /tmp/x --readme data/README.md   # tables elsewhere, that README updated

The output is deterministic: rows in the case order of ``cases.csv`` then codebook
order (actor, then stage, for participation); scores written as 0, 0.33, 0.67, 1 or
empty, levels as integers or empty; the bootstrap intervals use a fixed seed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from coanalysis import codebook, report
from coanalysis.agreement import coder_agreement, evidence_overlap, participation_agreement
from coanalysis.errors import DataError, Problem
from coanalysis.loaders.casebase import (CODERS, RECONCILE_INPUTS, SCORE_TABLES, format_score,
                                         read_resources, reconcile)
from coanalysis.text import format_number, format_percent

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT / "data" / "cases"
#: Resources the build reads: the rule's inputs, and ``flows`` for the counts of the READMEs.
INPUTS: tuple[str, ...] = (*RECONCILE_INPUTS, "flows")


def read_inputs(data: Path) -> dict[str, pd.DataFrame]:
    """The input resources as typed frames indexed by line; a DataError lists every problem."""
    frames, problems = read_resources(INPUTS, data)
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) in the files the "
                                          "reconciliation reads")
    return frames


def agreement_table(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Agreement of the two codings before reconciliation, via :func:`coanalysis.agreement.coder_agreement`."""
    codings = {f"{coder}_{table}": frames[f"{coder}_{table}"].reset_index(drop=True)
               for table in SCORE_TABLES for coder in CODERS}
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


#: A generated block: ``<!-- NAME:begin [anything] -->TEXT<!-- NAME:end -->``. A TEXT of several
#: lines sits on lines of its own between the two markers.
MARKER = re.compile(r"<!-- (?P<name>[a-z0-9-]+):begin(?P<note>[^>]*?)-->(?P<body>.*?)<!-- (?P=name):end -->",
                    re.DOTALL)
_BEGIN = re.compile(r"<!-- ([a-z0-9-]+):begin")


def replace_between_markers(text: str, blocks: dict[str, str], *, file: str = "README.md") -> str:
    """``text`` with every block between markers replaced by its text in ``blocks``.

    Parameters
    ----------
    text : str
        A README holding blocks ``<!-- NAME:begin -->...<!-- NAME:end -->`` (a NAME may occur
        several times: a count quoted in several sentences).
    blocks : dict of str to str
        NAME -> text (:func:`readme_blocks`). A text of several lines is written on lines of
        its own between the markers.
    file : str
        Named in the error.

    Raises
    ------
    DataError
        A begin marker without its end marker, or a NAME that ``blocks`` does not know.
    """
    problems = []
    matched = {m.start() for m in MARKER.finditer(text)}
    for begin in _BEGIN.finditer(text):
        name = begin.group(1)
        line = text.count("\n", 0, begin.start()) + 1
        if begin.start() not in matched:
            problems.append(Problem(file, line, None, f"<!-- {name}:begin -->",
                                    f"a marker <!-- {name}:end --> after it",
                                    "put the end marker after the generated figures"))
        elif name not in blocks:
            problems.append(Problem(file, line, None, name, f"a block written by the build, one of "
                                    f"{', '.join(sorted(blocks))}",
                                    "correct the marker's name or remove the marker"))
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) with the markers of {file}")

    def fill(m: re.Match) -> str:
        block = blocks[m.group("name")]
        body = f"\n{block}\n" if "\n" in block else block
        return f"<!-- {m.group('name')}:begin{m.group('note')}-->{body}<!-- {m.group('name')}:end -->"
    return MARKER.sub(fill, text)


def who_kept(log: pd.DataFrame, value: str) -> dict[str, int]:
    """How a reconciliation log settled its disagreements.

    Parameters
    ----------
    log : DataFrame
        ``reconciliation`` (``value="score"``) or ``reconciliation_participation``
        (``value="level"``), with ``{value}_a`` and ``{value}_b``.

    Returns
    -------
    dict
        ``rows``; ``a`` and ``b``, the rows whose reconciled value is that coder's (NA counts as
        a value: a reconciled NA where one coder gave NA keeps that coder's); ``neither``; ``na``,
        the rows reconciled to NA.
    """
    def same(x: pd.Series, y: pd.Series) -> pd.Series:
        return (x.isna() & y.isna()) | (x.notna() & y.notna() & ((x - y).abs() < 1e-9)).fillna(False)
    a = same(log[value], log[f"{value}_a"])
    b = same(log[value], log[f"{value}_b"]) & ~a
    return {"rows": len(log), "a": int(a.sum()), "b": int(b.sum()), "neither": int((~a & ~b).sum()),
            "na": int(log[value].isna().sum())}


def _weakest(table: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` rows of lowest defined alpha of an agreement table (per-variable rows only)."""
    rows = table[(table["variable"] != "(all)") & table["alpha"].notna()]
    return rows.sort_values(["alpha", "variable"], kind="stable").head(n)


def score_gaps(frames: dict[str, pd.DataFrame], table: str, variable: str) -> list[tuple[float, float]]:
    """The distinct (lower, higher) pairs of scores where the two coders differ on ``variable``."""
    item = SCORE_TABLES[table][0]
    a, b = (frames[f"{coder}_{table}"].astype({item: str}) for coder in CODERS)
    paired = a[["case_id", item, "score"]].merge(b[["case_id", item, "score"]], on=["case_id", item],
                                                 suffixes=("_a", "_b"), validate="one_to_one")
    paired = paired[(paired[item] == variable) & paired["score_a"].notna() & paired["score_b"].notna()]
    pairs = {(round(float(min(x, y)), 2), round(float(max(x, y)), 2))
             for x, y in zip(paired["score_a"], paired["score_b"]) if abs(x - y) > 1e-9}
    return sorted(pairs)


def figures(result: Reconciled) -> dict:
    """Every figure of the READMEs that comes from the data, as plain numbers and labels.

    Returns
    -------
    dict
        Counts (``n_cases``, ``n_cases_by_corpus``, ``n_sources``, ``accessed`` (sorted distinct
        dates of consultation), ``n_flows``, ``n_conditions``, ``n_outcomes``,
        ``participation_units``, ``participation_na`` (units reconciled to NA),
        ``disagreements`` (also ``disagreements_by_table``, ``different_scores``,
        ``score_against_na``), ``participation_disagreements``), ``kept`` and ``participation_kept``
        (:func:`who_kept`), ``weakest`` (the two variables of lowest alpha, with their gaps,
        :func:`score_gaps`), ``undocumented`` (the variables both coders left NA in every case),
        ``weakest_actors`` (two), ``weakest_stage`` (one) and
        ``participation_range`` (fewest and most units scored by both, per actor or stage),
        ``alpha_conception`` (the ordinal alpha of the design stage).
    """
    frames, tables = result.inputs, result.tables
    scores = result.agreement.set_index(["table", "variable"])
    part = result.participation_agreement
    overall = scores.loc[("(all)", "(all)")]
    corpus = frames["cases"]["corpus"].astype(str)
    by = part[part["by"] != "(all)"]
    participation = tables["participation"]
    weakest = _weakest(result.agreement, 2)
    return {
        "n_cases": len(frames["cases"]),
        "n_cases_by_corpus": {c: int((corpus == c).sum()) for c in codebook.CORPORA.slugs},
        "n_sources": len(frames["sources"]),
        "accessed": sorted(frames["sources"]["accessed"].dt.strftime("%Y-%m-%d").unique()),
        "n_flows": len(frames["flows"]),
        "n_conditions": tables["conditions"]["condition"].nunique(),
        "n_outcomes": tables["outcomes"]["outcome"].nunique(),
        "participation_units": len(participation),
        "participation_na": [" / ".join(u) for u in participation.loc[
            participation["level"] == "", ["case_id", "actor", "stage"]].itertuples(index=False)],
        "disagreements": int(overall["n_pairable"] - overall["n_exact"] + overall["n_na_some"]),
        "disagreements_by_table": {t: int(scores.loc[(t, "(all)"), "n_pairable"]
                                          - scores.loc[(t, "(all)"), "n_exact"]
                                          + scores.loc[(t, "(all)"), "n_na_some"]) for t in SCORE_TABLES},
        "different_scores": int(overall["n_pairable"] - overall["n_exact"]),
        "score_against_na": int(overall["n_na_some"]),
        "participation_disagreements": len(frames["reconciliation_participation"]),
        "kept": who_kept(frames["reconciliation"], "score"),
        "participation_kept": who_kept(frames["reconciliation_participation"], "level"),
        "weakest": [(r["table"], r["variable"], float(r["alpha"]), int(r["n_pairable"]))
                    for _, r in weakest.iterrows()],
        "weakest_gaps": sorted({g for _, r in weakest.iterrows()
                                for g in score_gaps(frames, r["table"], r["variable"])}),
        "undocumented": [(r["table"], r["variable"]) for _, r in result.agreement.iterrows()
                         if r["variable"] != "(all)" and r["n_na_all"] == r["n_units"]],
        "weakest_actors": [(r["variable"], float(r["alpha"]))
                           for _, r in _weakest(part[part["by"] == "actor"], 2).iterrows()],
        "weakest_stage": [(r["variable"], float(r["alpha"]))
                          for _, r in _weakest(part[part["by"] == "stage"], 1).iterrows()],
        "participation_range": (int(by["n_pairable"].min()), int(by["n_pairable"].max())),
        # the stage data/README.md discusses (where "involve" and "collaborate" meet)
        "alpha_conception": float(by.loc[(by["by"] == "stage") & (by["variable"] == "conception"),
                                         "alpha"].iloc[0]),
        # the blindness check of the two codings (agreement.evidence_overlap): per table and all
        "blindness": _blindness(frames),
    }


def _blindness(frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """``{table: {"compared", "identical", "similar", "run", "flagged"}}`` of
    :func:`coanalysis.agreement.evidence_overlap` on the two independent codings (``"(all)"`` too)."""
    codings = {n: frames[n].reset_index(drop=True) for n in frames if n.startswith("coder_")}
    check = evidence_overlap(SimpleNamespace(codings=codings))
    units = check.units
    out = {}
    for table, rows in [*units.groupby("table", sort=False), ("(all)", units)]:
        out[str(table)] = {"compared": len(rows), "identical": int(rows["identical"].sum()),
                           "similar": int((rows["similarity"] >= check.min_similarity).sum()),
                           "run": int((rows["longest_run"] >= check.min_run).sum()),
                           "flagged": int(rows["flagged"].sum())}
    return out


def _n(x: float, lang: str, decimals: int = 2) -> str:
    return format_number(x, decimals, lang=lang)


def _quoted(label: str, lang: str) -> str:
    return f"«\u00a0{label}\u00a0»" if lang == "fr" else f"“{label}”"


def _times(n: int, lang: str) -> str:
    return f"{n} fois" if lang == "fr" else ("once" if n == 1 else f"{n} times")


def _kept_text(kept: dict, lang: str, what: str) -> str:
    """'Score de A retenu 50 fois, de B 32 fois, aucun des deux 1 fois ; 11 désaccords finissent en NA'."""
    if lang == "fr":
        neither = f", aucun des deux {_times(kept['neither'], lang)}" if what == "score" or kept["neither"] else ""
        na = {0: "aucun désaccord ne finit en NA", 1: "un désaccord finit en NA"}.get(
            kept["na"], f"{kept['na']} désaccords finissent en NA")
        return (f"{'Score' if what == 'score' else 'niveau'} de A retenu {_times(kept['a'], lang)}, "
                f"de B {_times(kept['b'], lang)}{neither} ; {na}")
    neither = f", neither {_times(kept['neither'], lang)}" if what == "score" or kept["neither"] else ""
    na = {0: "none ended as NA", 1: "one ended as NA"}.get(kept["na"], f"{kept['na']} ended as NA")
    verb = "was kept" if what == "score" else "kept"
    return f"A's {what} {verb} {_times(kept['a'], lang)}, B's {kept['b']}{neither}; {na}"


def _score_text(score: float, lang: str) -> str:
    """A fuzzy score as the codebook writes it (0, 0.33, 0.67, 1), with a decimal comma in French."""
    text = format_score(score)
    return text.replace(".", ",") if lang == "fr" else text


def _gaps(gaps: list[tuple[float, float]], lang: str) -> str:
    """'entre 0,67 et 1' (one phrase per pair of scores)."""
    between, and_ = ("entre ", " et ") if lang == "fr" else ("between ", " and ")
    return ", ".join(f"{between}{_score_text(lo, lang)}{and_}{_score_text(hi, lang)}" for lo, hi in gaps)


def readme_blocks(result: Reconciled) -> dict[str, str]:
    """The text of every generated block of ``data/README.md`` and ``README.md``, by marker name.

    Counts are language-neutral (integers under 1000, dates); a block whose name ends in
    ``-fr`` or ``-en`` is a sentence part in that language (numbers in its typography,
    codebook labels). ``agreement`` is :func:`coanalysis.report.agreement_markdown` and
    :func:`coanalysis.report.participation_markdown` in French.
    """
    f = figures(result)
    part = result.participation_agreement
    overall_part = part[part["by"] == "(all)"].iloc[0]
    scores = result.agreement.set_index(["table", "variable"])
    blocks = {
        "agreement": report.agreement_markdown(result.agreement, "fr") + "\n\n"
                     + report.participation_markdown(part, "fr"),
        "n-cases": str(f["n_cases"]),
        **{f"n-cases-{c}": str(n) for c, n in f["n_cases_by_corpus"].items()},
        "n-sources": str(f["n_sources"]),
        "sources-accessed": " / ".join(f["accessed"]),
        "n-flows": str(f["n_flows"]),
        "n-conditions": str(f["n_conditions"]),
        "n-outcomes": str(f["n_outcomes"]),
        "participation-units": str(f["participation_units"]),
        "participation-na-units": ", ".join(f"`{u}`" for u in f["participation_na"]) or "—",
        "n-disagreements": str(f["disagreements"]),
        "n-participation-disagreements": str(f["participation_disagreements"]),
        **{f"n-disagreements-{t}": str(n) for t, n in f["disagreements_by_table"].items()},
        "n-different-scores": str(f["different_scores"]),
        "n-score-against-na": str(f["score_against_na"]),
        **{f"kept-{who}": str(f["kept"][who]) for who in ("a", "b", "neither", "na")},
    }
    for lang in ("fr", "en"):
        vocab = {"actor": codebook.ACTORS, "stage": codebook.STAGES}
        weakest = [(SCORE_TABLES[t][1].label(v, lang), a, n)
                   for t, v, a, n in f["weakest"]]
        actors = [(vocab["actor"].label(v, lang), a) for v, a in f["weakest_actors"]]
        stage = [(vocab["stage"].label(v, lang), a) for v, a in f["weakest_stage"]]
        low, high = f["participation_range"]
        exact, within = (format_percent(overall_part[c], 0, lang=lang) for c in ("exact", "within_one"))
        if lang == "fr":
            blocks["agreement-weakest-fr"] = " ; ".join(
                f"{_quoted(label, lang)}, {_n(a, lang)} sur {n} cas" for label, a, n in weakest)
            blocks["agreement-weakest-gaps-fr"] = _gaps(f["weakest_gaps"], lang)
            blocks["agreement-undocumented-fr"] = ", ".join(
                _quoted(SCORE_TABLES[t][1].label(v, lang), lang) for t, v in f["undocumented"]) or "aucune variable"
            blocks["participation-agreement-fr"] = (
                f"alpha ordinal {_n(overall_part['alpha'], lang)} ({int(overall_part['n_pairable'])} "
                f"unités notées par les deux, accord exact {exact}, à un niveau près {within}) ; "
                "l'accord est le plus faible pour les acteurs "
                + " et ".join(f"{_quoted(x, lang)} ({_n(a, lang)})" for x, a in actors)
                + ", et à l'étape " + " et ".join(f"{_quoted(x, lang)} ({_n(a, lang)})" for x, a in stage))
            blocks["participation-range-fr"] = f"{low} à {high}"
        else:
            conditions, outcomes = scores.loc[("conditions", "(all)")], scores.loc[("outcomes", "(all)")]
            overall = scores.loc[("(all)", "(all)")]
            different = int(overall["n_pairable"] - overall["n_exact"])
            blocks["agreement-summary-en"] = (
                f"{_n(conditions['alpha'], lang)} for conditions ({int(conditions['n_units'])} units, "
                f"{int(conditions['n_pairable'])} scored by both coders, "
                f"{format_percent(conditions['exact'], 0, lang=lang)} exact agreement), "
                f"{_n(outcomes['alpha'], lang)} for outcomes ({int(outcomes['n_units'])} units, "
                f"{int(outcomes['n_pairable'])} scored by both, {format_percent(outcomes['exact'], 0, lang=lang)}), "
                f"{_n(overall['alpha'], lang)} overall; {f['disagreements']} of {int(overall['n_units'])} "
                f"units disagree ({different} different scores, {int(overall['n_na_some'])} a score "
                "against NA)")
            blocks["agreement-brief-en"] = (
                f"alpha {_n(conditions['alpha'], lang)} for conditions, {_n(outcomes['alpha'], lang)} for "
                f"outcomes, ordinal alpha {_n(overall_part['alpha'], lang)} for participation levels")
            blocks["participation-agreement-en"] = (
                f"ordinal alpha {_n(overall_part['alpha'], lang)} over {int(overall_part['n_pairable'])} "
                f"units scored by both coders ({exact} exact agreement, {within} within one level); "
                "weakest for the actors "
                + " and ".join(f"{_quoted(x, lang)} ({_n(a, lang)})" for x, a in actors)
                + " and at the stage " + " and ".join(f"{_quoted(x, lang)} ({_n(a, lang)})" for x, a in stage))
            blocks["participation-range-en"] = f"{low} to {high}"
        blocks[f"participation-alpha-conception-{lang}"] = _n(f["alpha_conception"], lang)
        blocks[f"reconciliation-kept-{lang}"] = _kept_text(f["kept"], lang, "score")
        blocks[f"participation-kept-{lang}"] = _kept_text(f["participation_kept"], lang, "level")
        blocks[f"blindness-{lang}"] = _blindness_text(f["blindness"], lang)
    return blocks


def _blindness_text(blind: dict[str, dict[str, int]], lang: str) -> str:
    """The blindness figures as a sentence part: flagged units of all compared, then why."""
    a = blind["(all)"]
    share = format_percent(a["flagged"] / a["compared"], 1, lang) if a["compared"] else "—"
    if lang == "fr":
        return (f"{a['flagged']} unités sur {a['compared']} ({share}) dont les deux preuves "
                f"partagent une suite d'au moins 8 mots ({a['run']}) ou sont semblables à 90\u202f% ou "
                f"plus ({a['similar']}, dont {a['identical']} identiques)")
    return (f"{a['flagged']} of {a['compared']} units ({share}) whose two evidence texts share a "
            f"run of 8 words or more ({a['run']}) or are 90% similar or more ({a['similar']}, "
            f"{a['identical']} of them identical)")


@dataclass
class Reconciled:
    """Result of :func:`build`.

    Attributes
    ----------
    tables : dict of str to DataFrame
        ``{"conditions": ..., "outcomes": ..., "participation": ...}``, text columns in schema
        order (:func:`coanalysis.loaders.casebase.reconcile`).
    agreement : DataFrame
        Agreement of the two codings of conditions and outcomes before reconciliation (see
        :func:`coanalysis.agreement.coder_agreement`).
    participation_agreement : DataFrame
        The same for participation levels (:func:`coanalysis.agreement.participation_agreement`).
    inputs : dict of str to DataFrame
        The frames read (:data:`INPUTS`), for the counts of :func:`figures`.
    """

    tables: dict[str, pd.DataFrame]
    agreement: pd.DataFrame
    participation_agreement: pd.DataFrame | None = None
    inputs: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

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
    """Reconcile the two codings of ``data`` (a case-base folder) with the loader's rule.

    Raises
    ------
    DataError
        Listing every problem of the input files (see :func:`read_inputs`), or,
        once they are valid, every problem :func:`coanalysis.loaders.casebase.reconcile`
        reports (unknown URL, missing or surplus reconciliation row, unit coded by one
        coder only).
    """
    frames = read_inputs(Path(data))
    tables, problems = reconcile(frames)
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) stop the reconciliation")
    return Reconciled(tables, agreement_table(frames),
                      participation_agreement(SimpleNamespace(codings={
                          f"{coder}_participation": frames[f"{coder}_participation"]
                          .reset_index(drop=True) for coder in CODERS})), frames)


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


def write_readme(blocks: dict[str, str], readme: Path) -> bool:
    """Rewrite the generated blocks of ``readme`` (:func:`replace_between_markers`); True when
    the file changed."""
    text = readme.read_text(encoding="utf-8")
    new = replace_between_markers(text, blocks, file=str(readme))
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def default_readmes(data: Path) -> list[Path]:
    """The texts that quote the case base: ``data/README.md``, the project's ``README.md`` and
    ``docs/reconciliation.md``."""
    root = data.parent.parent
    return [path for path in (data.parent / "README.md", root / "README.md",
                              root / "docs" / "reconciliation.md") if path.is_file()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="case-base folder to read (default: data/cases)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write conditions.csv, outcomes.csv and participation.csv (default: --data)")
    parser.add_argument("--readme", type=Path, action="append", default=None,
                        help="README whose generated blocks are rewritten (repeatable; default: the "
                             "README.md next to --data and the one above it when --out is not "
                             "given; none otherwise)")
    args = parser.parse_args(argv)
    readmes = args.readme or (default_readmes(args.data) if args.out is None else [])
    try:
        result = build(args.data)
        blocks = readme_blocks(result)
        for readme in readmes:  # every README checked before any is written
            replace_between_markers(readme.read_text(encoding="utf-8"), blocks, file=str(readme))
        changed = {readme: write_readme(blocks, readme) for readme in readmes}
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    print(result.summary())
    for path in write_tables(result.tables, args.out or args.data):
        print(f"wrote {path}")
    for readme, was_changed in changed.items():
        print(f"{'rewrote' if was_changed else 'unchanged:'} {readme} (generated blocks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
