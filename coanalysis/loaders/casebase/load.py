"""Reading the case base: :func:`validate_casebase`, :func:`load_casebase`, :class:`CaseBase`.

:func:`validate_casebase` runs every check (descriptor, cells, tables, keys, rows, the rules
between tables, the reconciliation) and returns the problems; :func:`load_casebase` raises
:class:`~coanalysis.errors.DataError` listing all of them, or returns a :class:`CaseBase` of typed
DataFrames; :func:`read_resources` does the same for some resources only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ... import codebook
from ...text import Lang, check_lang
from ...errors import DataError, Problem
from ...paths import data_dir
from .schema import CASEBASE_TABLES, _EXT, _check_descriptor, _read_descriptor
from .checks import (_Table, _check_all_combinations, _check_foreign_keys, _check_rules,
                     _check_table, _check_unique_keys)
from .reconcile import (RECONCILE_INPUTS, RECONCILED_TABLES, _check_matches, compare_reconciled,
                        reconcile)


def read_resources(names: tuple[str, ...] | list[str],
                   path: str | Path | None = None) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read and check some resources of the case base, with the rules between them.

    Parameters
    ----------
    names : sequence of str
        Resource names of the descriptor (``"cases"``, ``"coder_a_conditions"``...).
    path : str or Path, optional
        Folder of the data package; defaults to ``data_dir() / "cases"``.

    Returns
    -------
    frames : dict of str to DataFrame
        One typed DataFrame per resource read (dtypes as in :class:`CaseBase`),
        indexed by ``line``, the line of each record in its file (header = 1).
    problems : list of Problem
        What :func:`validate_casebase` reports for these files: their own rules
        and the rules between two of them (foreign keys, completeness,
        reconciliation); rules towards a resource not in ``names`` are not checked.

    Notes
    -----
    This is the checker of :func:`validate_casebase` restricted to some files, for
    a script that builds the other files from them
    (``scripts/build_casebase_scores.py`` reads the codings and the reconciliation
    logs, and writes the reconciled tables that :func:`.reconcile.reconcile` gives). The frames are meaningful only when
    ``problems`` is empty.

    Examples
    --------
    >>> frames, problems = read_resources(["cases", "sources"])   # doctest: +SKIP
    """
    tables, _, problems = _check_package(path, tuple(names))
    return {name: _lined_frame(t) for name, t in tables.items()}, problems


def _lined_frame(table: _Table) -> pd.DataFrame:
    """The typed frame of a checked table, indexed by the line of each record."""
    return _frame(table).set_axis(pd.Index(table.lines, name="line", dtype="int64"))


def _check_by_rebuilding(tables: dict[str, _Table], problems: list[Problem]) -> None:
    """The reconciled tables are what :func:`.reconcile.reconcile` gives from the codings and logs.

    Runs when every input of the rule was read whole (every column, no invalid cell): otherwise
    the problems that stop it are reported already, and the rebuild would only echo them. Each
    differing cell of a reconciled table is one problem (:func:`.reconcile.compare_reconciled`).
    """
    targets = [tables[n] for n in RECONCILED_TABLES if n in tables]
    inputs = [tables.get(n) for n in RECONCILE_INPUTS]
    if not targets or any(t is None or t.invalid or not t.has(*_field_names(t)) for t in inputs):
        return
    unsettled: dict[str, set] = {}
    rebuilt, rule_problems = reconcile({t.name: _lined_frame(t) for t in inputs}, unsettled)
    problems.extend(rule_problems)
    for table in targets:
        if not table.has(*_field_names(table)):
            continue  # a missing column is reported once
        problems.extend(compare_reconciled(
            table.name, _lined_frame(table)[list(rebuilt[table.name].columns)], rebuilt[table.name],
            file=table.label, skip=table.invalid, unsettled=unsettled[table.name],
            missing_rows=_EXT + "allCombinations" not in table.schema))


def _field_names(table: _Table) -> list[str]:
    return [f["name"] for f in table.schema["fields"]]


def _check_package(path: str | Path | None,
                   names: tuple[str, ...] | None = None) -> tuple[dict[str, _Table], dict | None,
                                                                  list[Problem]]:
    """Check the resources ``names`` (all by default) and the rules between them."""
    folder = Path(path) if path is not None else data_dir() / "cases"
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(Problem(str(folder), None, None, None, "a folder holding the case base",
                                "the folder does not exist"))
        return {}, None, problems
    descriptor = _read_descriptor(folder, problems)
    if descriptor is None:
        return {}, None, problems
    resources = _check_descriptor(descriptor, folder, problems)
    tables: dict[str, _Table] = {}
    for resource, file in resources:
        if names is None or resource["name"] in names:
            tables[resource["name"]] = _check_table(file, resource, problems)
    for table in tables.values():  # each table's own rules first: they mark the invalid cells
        _check_unique_keys(table, problems)
        _check_foreign_keys(table, tables, problems)
        _check_rules(table, problems)
    for table in tables.values():  # then the rules between tables, which skip those cells
        _check_all_combinations(table, tables, problems)
        _check_matches(table, tables, problems)
    _check_by_rebuilding(tables, problems)
    order = {t.label: i for i, t in enumerate(tables.values())}
    problems.sort(key=lambda p: (order.get(p.file, -1),
                                 p.line if p.line is not None else 0))
    return tables, descriptor, problems


def validate_casebase(path: str | Path | None = None) -> list[Problem]:
    """Check a case-base data package and return every problem found (empty list if valid).

    Parameters
    ----------
    path : str or Path, optional
        Folder holding ``datapackage.json`` and the CSV files; defaults to
        ``coanalysis.paths.data_dir() / "cases"``.

    Returns
    -------
    list of Problem
        One :class:`~coanalysis.errors.Problem` per broken rule, with the file
        (relative to the package folder), the line in the file (header = line 1,
        so the first data row is line 2, and a quoted field spanning several lines
        counts all of them), the column, the value found and what was expected.
        Problems about a whole file or a missing combination have ``line=None``.

    Notes
    -----
    Checked, from ``datapackage.json`` and the codebook: the descriptor has the
    form the checker reads (a JSON object whose ``resources`` is a list of
    objects, each with a ``name``, a ``path`` and a ``schema`` whose fields, keys
    and ``coanalysis:`` properties are well formed and name declared fields and
    resources; anything else is a problem naming the property, e.g.
    ``resources[0] (cases).path``, and that resource is not read); every
    ``path`` is relative and stays inside the package folder (no ``..``, no
    absolute or Windows path, no URL, no symbolic link leading out: see
    :func:`._paths.resolve_inside`; checked before any file is opened); the
    descriptor's enums equal the codebook vocabularies; every file exists, is
    UTF-8 CSV and has the declared columns in order; every row has as many fields
    as the header; field types (integer, number, boolean, date, list),
    ``required``, ``enum`` (0.5 is rejected with a hint), ``minimum``/``maximum``,
    ``pattern``; no text cell that a spreadsheet would run as a formula (one
    beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; numbers
    of numeric fields are numbers, not text); primary and
    ``unique`` keys; foreign keys (to ``cases`` and ``sources``, ``parent_case``
    to ``cases``); row rules (a coded value needs evidence, source and coder;
    ``end_year >= start_year``; a flow's ``direct`` is true exactly when it skips
    a link of the classic chain); one row per case × condition (or outcome); the
    reconciled tables equal, cell by cell and in row order, what
    :func:`.reconcile.reconcile` rebuilds from the codings and the logs (checked
    once the files it reads are valid; its own problems, such as a disagreement
    without a log row, are reported in the file to fix); reconciliation logs
    whose coder values equal the codings.

    A file that cannot be read (not UTF-8 — the problem gives the line of the
    first bad byte —, separated by ``;`` or tabs, broken quotes) gets one problem
    and no other check: the tables that refer to it are not checked against it,
    so a wrong encoding of ``cases.csv`` is one problem, not one per case id of
    every other table. A column missing from a header is reported once, not on
    every row that would need it.
    Nothing is raised, whatever ``datapackage.json`` holds: use
    :func:`load_casebase` to get an error.

    Examples
    --------
    >>> problems = validate_casebase()          # doctest: +SKIP
    >>> print("\\n".join(map(str, problems)))    # doctest: +SKIP
    """
    return _check_package(path)[2]


# --------------------------------------------------------------------------------------
# The loaded case base
# --------------------------------------------------------------------------------------

@dataclass(repr=False)
class CaseBase:
    """The validated case base: one typed DataFrame per resource.

    Attributes
    ----------
    cases, participation, conditions, outcomes, flows, sources : DataFrame
        The six tables. Category columns (``corpus``, ``collectivity_type``,
        ``domain``, ``actor``, ``stage``, ``condition``, ``outcome``,
        ``from_actor``, ``to_actor``, ``channel``) are ordered categoricals over the
        codebook slugs; ``level``, years and population are ``Int64``; scores ``Float64``;
        ``direct`` ``boolean``; ids and text ``string``; ``accessed`` a datetime.
    codings : dict of str to DataFrame
        The resources of ``codings/``, keyed by resource name: the two independent
        codings (``coder_a_conditions``, ``coder_a_outcomes``, ``coder_a_participation``,
        ``coder_b_conditions``, ``coder_b_outcomes``, ``coder_b_participation``),
        ``reconciliation``, the log of how each disagreement on conditions and outcomes
        was settled, and ``reconciliation_participation``, the same for participation
        levels (one row per disagreement).
    path : Path
        Folder the package was read from.
    """

    cases: pd.DataFrame
    participation: pd.DataFrame
    conditions: pd.DataFrame
    outcomes: pd.DataFrame
    flows: pd.DataFrame
    sources: pd.DataFrame
    codings: dict[str, pd.DataFrame]
    path: Path

    def __repr__(self) -> str:
        corpus = self.cases["corpus"].value_counts(sort=False)
        by_corpus = ", ".join(f"{n} {c}" for c, n in corpus.items())
        tables = ", ".join(f"{name} {len(getattr(self, name))}" for name in CASEBASE_TABLES[1:])
        return (f"CaseBase({len(self.cases)} cases ({by_corpus}); rows: {tables}; "
                f"codings: {', '.join(self.codings) or 'none'})")

    def table(self, name: str) -> pd.DataFrame:
        """One resource by name (a main table or a coding)."""
        if name in CASEBASE_TABLES:
            return getattr(self, name)
        if name in self.codings:
            return self.codings[name]
        raise KeyError(f"{name!r} is not a resource of the case base; expected one of "
                       f"{list(CASEBASE_TABLES) + list(self.codings)}")

    def summary(self) -> pd.DataFrame:
        """One row per resource: rows, cases covered, coded values and NA values.

        ``coded``/``na`` count the ``level`` or ``score`` cells of the coded
        tables (empty for the others).
        """
        rows = []
        for name in (*CASEBASE_TABLES, *self.codings):
            df = self.table(name)
            value = "level" if "level" in df.columns else (
                "score" if "score" in df.columns else None)
            rows.append({
                "resource": name,
                "rows": len(df),
                "cases": df["case_id"].nunique() if "case_id" in df.columns else pd.NA,
                "coded": int(df[value].notna().sum()) if value else pd.NA,
                "na": int(df[value].isna().sum()) if value else pd.NA,
            })
        out = pd.DataFrame(rows)
        for col in ("cases", "coded", "na"):
            out[col] = out[col].astype("Int64")
        return out

    def as_coded_by(self, coder: str) -> "CaseBase":
        """The case base as one coder coded it, before reconciliation.

        Parameters
        ----------
        coder : {"coder_a", "coder_b"}
            Whose independent coding replaces the reconciled ``conditions``, ``outcomes`` and
            ``participation`` tables.

        Returns
        -------
        CaseBase
            The same cases, sources, flows and codings; the three coded tables are that
            coder's (with the coder's ``evidence`` and, for conditions and outcomes, the
            ``source_url`` as written in the dossier instead of ``source_id``). Every metric
            runs on it unchanged, so a result can be recomputed under each coding to see how
            far it depends on the coders' disagreements (a sensitivity analysis).

        Raises
        ------
        KeyError
            Naming the coders available when ``coder`` has no coding.

        Examples
        --------
        >>> cb = load_casebase()                                   # doctest: +SKIP
        >>> metrics.coconstruction_index(cb.as_coded_by("coder_b"))  # doctest: +SKIP
        """
        tables = ("conditions", "outcomes", "participation")
        coders = sorted({n.rsplit("_", 1)[0] for n in self.codings
                         if n.startswith("coder_") and n.rsplit("_", 1)[1] in tables})
        missing = [t for t in tables if f"{coder}_{t}" not in self.codings]
        if missing:
            raise KeyError(f"{coder!r} has no coding of {missing}; coders available: {coders}")
        return replace(self, **{t: self.codings[f"{coder}_{t}"] for t in tables})

    def labelled(self, name: str, lang: Lang = "fr") -> pd.DataFrame:
        """A copy of a resource with codebook slugs replaced by French or English labels.

        The categorical columns keep their codebook order; only their categories
        are renamed.
        """
        check_lang(lang)
        df = self.table(name).copy()
        for col in df.columns:
            vocab = _COLUMN_VOCAB.get(col)
            if vocab is not None and isinstance(df[col].dtype, pd.CategoricalDtype):
                df[col] = df[col].cat.rename_categories(list(vocab.labels(lang)))
        return df


_COLUMN_VOCAB: dict[str, codebook.Vocabulary] = {
    "corpus": codebook.CORPORA,
    "collectivity_type": codebook.COLLECTIVITY_TYPES,
    "domain": codebook.DOMAINS,
    "actor": codebook.ACTORS,
    "from_actor": codebook.ACTORS,
    "to_actor": codebook.ACTORS,
    "stage": codebook.STAGES,
    "condition": codebook.CONDITIONS,
    "outcome": codebook.OUTCOMES,
    "channel": codebook.CHANNELS,
}


def _frame(table: _Table) -> pd.DataFrame:
    columns: dict[str, Any] = {}
    for fdef in table.schema["fields"]:
        name = fdef["name"]
        values = [row.get(name) for row in table.rows]
        ftype = fdef.get("type", "string")
        vocab = codebook.VOCABULARIES.get(fdef.get(_EXT + "vocabulary"))  # unknown: reported
        if vocab is not None:
            columns[name] = pd.Categorical(values, dtype=vocab.dtype())
        elif ftype == "integer":
            columns[name] = pd.array(values, dtype="Int64")
        elif ftype == "number":
            columns[name] = pd.array(values, dtype="Float64")
        elif ftype == "boolean":
            columns[name] = pd.array(values, dtype="boolean")
        elif ftype == "date":
            columns[name] = pd.to_datetime(pd.Series(values, dtype="object"))
        elif ftype == "list":
            joined = [None if v is None else fdef.get("delimiter", ",").join(v) for v in values]
            columns[name] = pd.array(joined, dtype="string")
        else:
            columns[name] = pd.array(values, dtype="string")
    return pd.DataFrame(columns)


def load_casebase(path: str | Path | None = None) -> CaseBase:
    """Load and validate the case base.

    Parameters
    ----------
    path : str or Path, optional
        Folder of the data package; defaults to ``coanalysis.paths.data_dir() / "cases"``.

    Returns
    -------
    CaseBase
        Typed DataFrames of the six tables and of the codings.

    Raises
    ------
    DataError
        Listing every problem found by :func:`validate_casebase` (file, line,
        column, value found, what was expected, a hint).

    Notes
    -----
    Reading depends only on the package folder: ``datapackage.json`` drives the
    checks and the dtypes; the codebook gives the categories.

    Examples
    --------
    >>> cb = load_casebase()                                  # doctest: +SKIP
    >>> cb.conditions.query("condition == 'experimenter'")   # doctest: +SKIP
    """
    tables, _, problems = _check_package(path)
    folder = Path(path) if path is not None else data_dir() / "cases"
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) found in the case base "
                                          f"at {folder.name}/")
    frames = {name: _frame(t) for name, t in tables.items()}
    return CaseBase(
        **{name: frames[name] for name in CASEBASE_TABLES},
        codings={name: frames[name] for name in frames if name not in CASEBASE_TABLES},
        path=folder,
    )
