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
from ...codebook.interface import word
from ...errors import is_missing
from ...results import Result
from ...text import Lang, check_lang
from ...errors import DataError, Problem
from ...paths import data_dir
from .schema import CASEBASE_TABLES, _EXT, casebase_datapackage
from .descriptor_checks import check_descriptor, read_descriptor
from .checks import (_Table, check_all_combinations, check_foreign_keys, check_rules,
                     check_table, check_unique_keys)
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
    >>> frames, problems = read_resources(["cases", "sources"])
    >>> problems, frames["cases"].index.name, int(frames["cases"].index[0])
    ([], 'line', 2)
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
    descriptor = read_descriptor(folder, problems)
    if descriptor is None:
        return {}, None, problems
    resources = check_descriptor(descriptor, folder, problems)
    tables: dict[str, _Table] = {}
    for resource, file in resources:
        if names is None or resource["name"] in names:
            tables[resource["name"]] = check_table(file, resource, problems)
    for table in tables.values():  # each table's own rules first: they mark the invalid cells
        check_unique_keys(table, problems)
        check_foreign_keys(table, tables, problems)
        check_rules(table, problems)
    for table in tables.values():  # then the rules between tables, which skip those cells
        check_all_combinations(table, tables, problems)
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
    >>> validate_casebase()                     # the shipped case base
    []
    >>> problems = validate_casebase("no/such/folder")
    >>> problems[0].hint
    'the folder does not exist'
    """
    return _check_package(path)[2]


# --------------------------------------------------------------------------------------
# The loaded case base
# --------------------------------------------------------------------------------------

@dataclass(repr=False)
class CaseBase(Result):
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
    path : Path or None
        Folder the package was read from (None for a case base built by :meth:`from_frames`).

    Notes
    -----
    A results object (:class:`coanalysis.results.Result`): ``table`` counts each resource
    (rows, cases covered, coded and NA values), ``summary()`` prints it under a title giving the
    cases by corpus, and JupyterLab shows it as a titled table.

    Examples
    --------
    >>> cb = load_casebase()
    >>> cb.resource("cases") is cb.cases
    True
    >>> int(cb.table.set_index("resource").loc["cases", "rows"]) == len(cb.cases)
    True
    """

    cases: pd.DataFrame
    participation: pd.DataFrame
    conditions: pd.DataFrame
    outcomes: pd.DataFrame
    flows: pd.DataFrame
    sources: pd.DataFrame
    codings: dict[str, pd.DataFrame]
    path: Path | None

    @classmethod
    def from_frames(cls, cases: pd.DataFrame, *, participation: pd.DataFrame | None = None,
                    conditions: pd.DataFrame | None = None, outcomes: pd.DataFrame | None = None,
                    flows: pd.DataFrame | None = None, sources: pd.DataFrame | None = None,
                    codings: dict[str, pd.DataFrame] | None = None) -> "CaseBase":
        """A case base from DataFrames of plain values, typed exactly as :func:`load_casebase`
        types the files.

        Each frame gets the columns of its resource in ``datapackage.json``
        (:func:`casebase_datapackage`), in order and with the loader's dtypes; a column left out
        is all NA, a table left out is empty. Nothing else is checked (use
        :func:`validate_casebase` on files for that): this is for tests, examples and
        simulations that need a small case base typed as the real one.

        Parameters
        ----------
        cases : DataFrame
            At least ``case_id``.
        participation, conditions, outcomes, flows, sources : DataFrame, optional
            Rows of these tables (None = NA in any cell).
        codings : dict of str to DataFrame, optional
            Resources of ``codings/`` by name (``"coder_a_conditions"``...).

        Raises
        ------
        ValueError
            A column the resource does not declare, a resource name that does not exist, or a
            value outside the codebook vocabulary of its column (naming the column, the value
            and the allowed slugs).

        Examples
        --------
        >>> cb = CaseBase.from_frames(
        ...     pd.DataFrame({"case_id": ["a"], "corpus": ["ost2019"]}),
        ...     conditions=pd.DataFrame({"case_id": ["a"], "condition": ["experimenter"],
        ...                              "score": [1.0]}))
        >>> cb.conditions.dtypes["score"], cb.conditions["condition"].dtype.ordered
        (Float64Dtype(), True)
        >>> len(cb.outcomes), list(cb.cases.columns)[:3]
        (0, ['case_id', 'name', 'corpus'])
        """
        schemas = {r["name"]: r["schema"] for r in casebase_datapackage()["resources"]}
        given = {"cases": cases, "participation": participation, "conditions": conditions,
                 "outcomes": outcomes, "flows": flows, "sources": sources}
        unknown = [name for name in (codings or {}) if name not in schemas]
        if unknown:
            raise ValueError(f"{unknown} are not resources of the case base; expected among "
                             f"{sorted(n for n in schemas if n not in CASEBASE_TABLES)}")
        typed = {name: _typed_frame(name, frame, schemas[name]) for name, frame in given.items()}
        return cls(**typed, path=None,
                   codings={name: _typed_frame(name, frame, schemas[name])
                            for name, frame in (codings or {}).items()})

    def resource(self, name: str) -> pd.DataFrame:
        """One resource by name: a main table (``"cases"``...) or a coding (``"coder_a_conditions"``...).

        Raises
        ------
        KeyError
            Naming the resources there are.
        """
        if name in CASEBASE_TABLES:
            return getattr(self, name)
        if name in self.codings:
            return self.codings[name]
        raise KeyError(f"{name!r} is not a resource of the case base; expected one of "
                       f"{list(CASEBASE_TABLES) + list(self.codings)}")

    @property
    def title(self) -> str:
        """The number of cases, by corpus, in the default language."""
        corpus = self.cases["corpus"].value_counts(sort=False) if "corpus" in self.cases else {}
        by_corpus = ", ".join(f"{n} {c}" for c, n in corpus.items() if n)
        return word("casebase_title").format(n=len(self.cases), by_corpus=by_corpus or "-")

    @property
    def table(self) -> pd.DataFrame:
        """One row per resource: ``resource``, ``rows``, ``cases`` covered, ``coded`` and ``na``.

        ``coded``/``na`` count the ``level`` or ``score`` cells of the coded tables (NA for the
        others); ``cases`` is NA for a table without ``case_id``.
        """
        rows = []
        for name in (*CASEBASE_TABLES, *self.codings):
            df = self.resource(name)
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
        out["rows"] = out["rows"].astype("int64")
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
        >>> cb = load_casebase()
        >>> b = cb.as_coded_by("coder_b")
        >>> b.conditions is cb.codings["coder_b_conditions"], b.cases is cb.cases
        (True, True)
        """
        tables = ("conditions", "outcomes", "participation")
        coders = sorted({n.rsplit("_", 1)[0] for n in self.codings
                         if n.startswith("coder_") and n.rsplit("_", 1)[1] in tables})
        missing = [t for t in tables if f"{coder}_{t}" not in self.codings]
        if missing:
            raise KeyError(f"{coder!r} has no coding of {missing}; coders available: {coders}")
        return replace(self, **{t: self.codings[f"{coder}_{t}"] for t in tables})

    def labelled(self, name: str, lang: Lang | None = None) -> pd.DataFrame:
        """A copy of a resource with codebook slugs replaced by French or English labels
        (``lang=None``: :func:`coanalysis.text.default_lang`).

        The categorical columns keep their codebook order; only their categories
        are renamed.

        Examples
        --------
        >>> cb = load_casebase()
        >>> cb.labelled("conditions", "en")["condition"].cat.categories[0]
        'Strong political sponsorship'
        """
        lang = check_lang(lang)
        df = self.resource(name).copy()
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


def _column(values: list, fdef: dict) -> Any:
    """The loader's typed column of one field: vocabulary -> ordered categorical over the
    codebook slugs, integer -> Int64, number -> Float64, boolean, date -> datetime, list ->
    string joined by its delimiter (values given as lists), else string."""
    ftype = fdef.get("type", "string")
    vocab = codebook.VOCABULARIES.get(fdef.get(_EXT + "vocabulary"))  # unknown: reported
    if vocab is not None:
        return pd.Categorical(values, dtype=vocab.dtype())
    if ftype == "integer":
        return pd.array(values, dtype="Int64")
    if ftype == "number":
        return pd.array(values, dtype="Float64")
    if ftype == "boolean":
        return pd.array(values, dtype="boolean")
    if ftype == "date":
        return pd.to_datetime(pd.Series(values, dtype="object"))
    if ftype == "list":
        joined = [v if v is None or isinstance(v, str) else fdef.get("delimiter", ",").join(v)
                  for v in values]
        return pd.array(joined, dtype="string")
    return pd.array(values, dtype="string")


def _frame(table: _Table) -> pd.DataFrame:
    return pd.DataFrame({fdef["name"]: _column([row.get(fdef["name"]) for row in table.rows], fdef)
                         for fdef in table.schema["fields"]})


def _typed_frame(name: str, frame: pd.DataFrame | None, schema: dict) -> pd.DataFrame:
    """``frame`` (None: no rows) with the columns of resource ``name``, typed as the loader types
    them; see :meth:`CaseBase.from_frames`."""
    fields = schema["fields"]
    declared = [f["name"] for f in fields]
    frame = pd.DataFrame(columns=declared) if frame is None else frame
    extra = [c for c in frame.columns if c not in declared]
    if extra:
        raise ValueError(f"{name}: columns {extra} are not declared; the resource has {declared}")
    n = len(frame)
    columns: dict[str, Any] = {}
    for fdef in fields:
        col = fdef["name"]
        values = ([None if is_missing(v) else v for v in frame[col].tolist()]
                  if col in frame.columns else [None] * n)
        vocab = codebook.VOCABULARIES.get(fdef.get(_EXT + "vocabulary"))
        if vocab is not None:
            outside = sorted({v for v in values if v is not None} - set(vocab.slugs))
            if outside:
                raise ValueError(f"{name}.{col}: {outside} are not slugs of the codebook; "
                                 f"expected one of {list(vocab.slugs)}")
        columns[col] = _column(values, fdef)
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
    >>> cb = load_casebase()
    >>> experiment = cb.conditions.query("condition == 'experimenter'")
    >>> len(experiment) == len(cb.cases)                 # one row per case
    True
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
