"""Coverage of the case base: how much is documented (NA rates), full participation grids,
counts and sizes of the cases by category, and mean scores by group.

Every function takes a loaded :class:`~coanalysis.loaders.CaseBase` (its ``cases`` table
fixes the list of cases, so that a case with no row in a table counts as NA there) and
returns a tidy DataFrame. Category columns come back as ordered categoricals over the
codebook slugs, in codebook order; counts are ``Int64`` and shares ``Float64``.
"""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from .. import codebook
from ..errors import is_missing
from ..validation import check_choice, check_number, require_columns

__all__ = [
    "case_grid",
    "na_rates",
    "participation_grid",
    "case_counts",
    "population_summary",
    "mean_scores",
]

#: Tables whose NA rates can be computed: the variables of each (the grid's columns besides
#: ``case_id``) and its value column.
_GRIDS: dict[str, tuple[tuple[tuple[str, codebook.Vocabulary], ...], str]] = {
    "conditions": ((("condition", codebook.CONDITIONS),), "score"),
    "outcomes": ((("outcome", codebook.OUTCOMES),), "score"),
    "participation": ((("actor", codebook.ACTORS), ("stage", codebook.STAGES)), "level"),
}


# ----------------------------------------------------------------------------- input checks
def _cases(casebase) -> pd.DataFrame:
    """The ``cases`` table of a CaseBase, checked."""
    cases = getattr(casebase, "cases", None)
    if not isinstance(cases, pd.DataFrame):
        raise TypeError(f"expected a CaseBase (from load_casebase()), got {type(casebase).__name__}")
    if "case_id" not in cases.columns:
        raise ValueError(f"the cases table has no 'case_id' column; it has {list(cases.columns)}")
    if cases["case_id"].isna().any() or cases["case_id"].duplicated().any():
        raise ValueError("the cases table must have unique, non-missing case_id values; "
                         "load it with load_casebase()")
    return cases


def _by_columns(by, cases: pd.DataFrame) -> list[str]:
    if by is None:
        return []
    columns = [by] if isinstance(by, str) else list(by)
    missing = [c for c in columns if c not in cases.columns]
    if missing:
        raise ValueError(f"by: {missing} not column(s) of the cases table; expected some of "
                         f"{list(cases.columns)}")
    if len(set(columns)) != len(columns):
        raise ValueError(f"by: {columns} names a column twice")
    return columns


def _table_name(table: str) -> str:
    check_choice(table, "table", list(_GRIDS))
    return table


def _select_cases(cases: pd.DataFrame, case_id) -> list[str]:
    known = list(cases["case_id"].astype(str))
    if case_id is None:
        return known
    wanted = [case_id] if isinstance(case_id, str) else [str(c) for c in case_id]
    unknown = [c for c in wanted if c not in set(known)]
    if unknown:
        raise ValueError(f"case_id: {unknown} not in the case base")
    return wanted


# ----------------------------------------------------------------------------- the full grid
def _left_out(values: pd.Series, known) -> list[str]:
    """The distinct values of ``values`` (NA shown as ``"<NA>"``) that are not in ``known``."""
    known = set(known)
    text = values.astype(object).map(lambda v: "<NA>" if is_missing(v) else str(v))
    return sorted(set(text[~text.isin(known)]))


def case_grid(data: pd.DataFrame, table: str, cases: Sequence[str],
                 keep: Sequence[str] | None = None) -> pd.DataFrame:
    """Every case × every term (× every stage) of a coded table with its value, NA where not coded.

    The one builder of the case × variable grid: the coverage metrics and the profiles of
    :mod:`coanalysis.metrics.profiles` all start from it.

    Parameters
    ----------
    data : DataFrame
        The ``conditions``, ``outcomes`` or ``participation`` table.
    table : {"conditions", "outcomes", "participation"}
        Which table ``data`` is.
    cases : sequence of str
        Every case the table may mention (e.g. ``cb.cases["case_id"]``).
    keep : sequence of str, optional
        The cases to return, in this order (a subset of ``cases``); default all of ``cases``.

    Returns
    -------
    DataFrame
        ``case_id`` (string), the variable column(s) (ordered categoricals in codebook order)
        and the value (``score`` as ``Float64``, ``level`` as ``Int64``): one row per kept case ×
        term (× stage).

    Raises
    ------
    ValueError
        When the table mentions a case not in ``cases`` or a term not in the codebook (they
        would otherwise vanish from the grid unseen), or has two rows for one cell.
    """
    table = _table_name(table)
    variables, value = _GRIDS[table]
    keys = ["case_id", *(name for name, _ in variables)]
    require_columns(data, [*keys, value], table=table)
    ids = [str(c) for c in cases]
    wanted = ids if keep is None else [str(c) for c in keep]
    problems = []
    unknown_cases = _left_out(data["case_id"], ids)
    if unknown_cases:
        problems.append(f"case_id {unknown_cases} not in the list of cases")
    for name, vocab in variables:
        unknown = _left_out(data[name], vocab.slugs)
        if unknown:
            problems.append(f"{name} {unknown} not in the codebook (expected some of "
                            f"{list(vocab.slugs)})")
    if problems:
        raise ValueError(f"the {table} table has values that the grid would leave out: "
                         + "; ".join(problems))
    coded = data[[*keys, value]].astype({k: str for k in keys})
    if coded.duplicated(keys).any():
        dup = coded.loc[coded.duplicated(keys), keys].iloc[0].tolist()
        raise ValueError(f"the {table} table has several rows for {dup}; "
                         "load it with load_casebase() first")
    index = pd.MultiIndex.from_product([wanted, *(list(v.slugs) for _, v in variables)],
                                       names=keys)
    values = coded.set_index(keys)[value].reindex(index)
    out = values.reset_index()
    out["case_id"] = pd.array(out["case_id"], dtype="string")
    for name, vocab in variables:
        out[name] = pd.Categorical(out[name], dtype=vocab.dtype())
    out[value] = out[value].astype("Int64" if value == "level" else "Float64")
    return out


def _grid(casebase, table: str, case_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`case_grid` for a table of a CaseBase, over the cases of ``casebase.cases``."""
    cases = _cases(casebase)
    data = getattr(casebase, table, None)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"the case base has no {table} table")
    return case_grid(data, table, list(cases["case_id"].astype(str)), case_ids)


def _with_groups(grid: pd.DataFrame, cases: pd.DataFrame, by_cols: list[str]) -> pd.DataFrame:
    """Add the ``by`` columns of ``cases`` to a grid; ``case_id`` becomes categorical in case order."""
    order = list(cases["case_id"].astype(str))
    groups = cases[[c for c in by_cols if c != "case_id"]].assign(_key=order)
    out = grid.assign(_key=grid["case_id"].astype(str)).merge(groups, on="_key", how="left")
    if "case_id" in by_cols:  # group in the order of the cases table, not alphabetically
        out["case_id"] = pd.Categorical(out["_key"], categories=order, ordered=True)
    return out.drop(columns="_key")


def na_rates(casebase, table: str = "conditions", by: str | Sequence[str] | None = None, *,
             pooled: bool = False) -> pd.DataFrame:
    """Share of values not documented (NA), per variable and optionally per group of cases.

    Parameters
    ----------
    casebase : CaseBase
        A loaded case base. Every case of ``casebase.cases`` counts, including cases with no
        row in ``table``.
    table : {"conditions", "outcomes", "participation"}, default "conditions"
        The coded table. Its variables are the 13 conditions, the 5 outcomes, or the 6 × 6
        actor × stage cells of participation.
    by : str or sequence of str, optional
        Column(s) of the ``cases`` table to break the rates down by (e.g. ``"corpus"``,
        ``"collectivity_type"``, or ``"case_id"`` for one rate per case).
    pooled : bool, default False
        If True, pool all variables: one rate per group (or a single row without ``by``).

    Returns
    -------
    DataFrame
        One row per group (columns ``by``, observed groups only, in category order) and per
        variable (``condition``, ``outcome`` or ``actor`` and ``stage``, ordered categoricals
        in codebook order; absent when ``pooled``), with ``n`` (cells: cases × variables
        pooled), ``n_documented``, ``n_na`` (``Int64``) and ``na_rate`` (``Float64``).

    Notes
    -----
    For a group G of cases and a variable v,

    .. math:: \\text{na\\_rate}(G, v) = \\frac{\\#\\{c \\in G : x_{c,v} \\text{ is NA}\\}}{|G|}

    where a value is NA both when its score (level) is empty and when the table has no row
    for it: the case base writes one row per case × condition (outcome) but only the
    participation cells that have evidence, so in ``participation`` an absent cell is NA.
    Pooled, numerator and denominator are summed over the variables.

    References
    ----------
    Little, R. J. A., & Rubin, D. B. (2019). *Statistical Analysis with Missing Data*, 3rd ed.,
    Wiley, ch. 1 (describing the missingness pattern before any analysis).

    Examples
    --------
    >>> from coanalysis.loaders import load_casebase
    >>> cb = load_casebase()
    >>> rates = na_rates(cb)                       # one row per condition
    >>> len(rates), bool((rates["n"] == len(cb.cases)).all())
    (13, True)
    >>> cells = na_rates(cb, "participation", pooled=True)
    >>> int(cells["n"].iloc[0]) == 36 * len(cb.cases)
    True
    """
    table = _table_name(table)
    cases = _cases(casebase)
    by_cols = _by_columns(by, cases)
    grid = _grid(casebase, table)
    variables, value = _GRIDS[table]
    grid = _with_groups(grid, cases, by_cols)
    keys = by_cols + ([] if pooled else [name for name, _ in variables])
    grid = grid.assign(_na=grid[value].isna())
    if keys:
        out = grid.groupby(keys, observed=True, sort=True, dropna=False)["_na"].agg(
            ["size", "sum"]).reset_index()
    else:
        out = pd.DataFrame({"size": [len(grid)], "sum": [int(grid["_na"].sum())]})
    if "case_id" in out.columns:
        out["case_id"] = pd.array(out["case_id"].astype(str), dtype="string")
    out = out.rename(columns={"size": "n", "sum": "n_na"})
    out["n"] = out["n"].astype("Int64")
    out["n_na"] = out["n_na"].astype("Int64")
    out["n_documented"] = out["n"] - out["n_na"]
    out["na_rate"] = (out["n_na"] / out["n"]).astype("Float64")
    front = [c for c in out.columns if c not in ("n", "n_documented", "n_na", "na_rate")]
    return out[front + ["n", "n_documented", "n_na", "na_rate"]].reset_index(drop=True)


def participation_grid(casebase, case_id: str | Sequence[str] | None = None) -> pd.DataFrame:
    """The full actor × stage grid of participation levels, NA where nothing is documented.

    Parameters
    ----------
    casebase : CaseBase
        A loaded case base.
    case_id : str or sequence of str, optional
        The case(s), in the order wanted; default every case of ``casebase.cases``.

    Returns
    -------
    DataFrame
        Columns ``case_id`` (string), ``actor``, ``stage`` (ordered categoricals, codebook
        order) and ``level`` (``Int64``, 0-5 or ``<NA>``): exactly 6 × 6 rows per case, cases
        in the order given, then actors, then stages.

    Notes
    -----
    ``participation.csv`` only holds the cells that have evidence; the grid adds the others as
    NA ("not documented"), which is not level 0 ("known to take no part"). This is the input
    :func:`coanalysis.figures.participation_heatmap` draws.

    Examples
    --------
    >>> from coanalysis.loaders import load_casebase
    >>> grid = participation_grid(load_casebase(), "grenoble_ejm")
    >>> len(grid), grid["actor"].iloc[0], grid["stage"].iloc[0]
    (36, 'usagers', 'diagnostic')
    """
    cases = _cases(casebase)
    ids = _select_cases(cases, case_id)
    return _grid(casebase, "participation", ids)


def case_counts(casebase, by: str | Sequence[str] = ("collectivity_type", "corpus"), *,
                observed: bool = True) -> pd.DataFrame:
    """Number of cases per category of the ``cases`` table.

    Parameters
    ----------
    casebase : CaseBase
        A loaded case base.
    by : str or sequence of str, default ("collectivity_type", "corpus")
        Column(s) of ``cases`` to count by (e.g. ``"domain"``, ``["domain", "corpus"]``).
    observed : bool, default True
        If True, only combinations with at least one case; if False, every combination of the
        categories of categorical columns, with count 0.

    Returns
    -------
    DataFrame
        Columns ``by`` (categoricals keep their codebook order) and ``n_cases`` (``Int64``).
        Cases whose category is NA form their own group (NA last).

    Notes
    -----
    n_cases(g) = #{c : by(c) = g}; the counts sum to the number of cases.

    Examples
    --------
    >>> from coanalysis.loaders import load_casebase
    >>> cb = load_casebase()
    >>> counts = case_counts(cb, "corpus")
    >>> counts["corpus"].tolist(), int(counts["n_cases"].sum()) == len(cb.cases)
    (['ost2019', 'comparables'], True)
    """
    cases = _cases(casebase)
    by_cols = _by_columns(by, cases)
    if not by_cols:
        raise ValueError("by must name at least one column of the cases table")
    counts = cases.groupby(by_cols, observed=observed, sort=True, dropna=False).size()
    out = counts.rename("n_cases").reset_index()
    out["n_cases"] = out["n_cases"].astype("Int64")
    return out


def population_summary(casebase, by: str | Sequence[str] | None = "collectivity_type", *,
                       at_least: float | None = None) -> pd.DataFrame:
    """Sizes of the collectivities: how many populations are known, their min, median and max.

    Parameters
    ----------
    casebase : CaseBase
        A loaded case base (``cases.population``).
    by : str, sequence of str or None, default "collectivity_type"
        Column(s) of ``cases`` to summarise by; None for one row over all cases.
    at_least : float, optional
        A size (e.g. 100 000 inhabitants): adds ``n_at_least``, the cases whose known
        population is at least this.

    Returns
    -------
    DataFrame
        Columns ``by`` (observed groups, category order), ``n_cases``, ``n_known`` (``Int64``),
        ``min``, ``median``, ``max`` of the known populations (``Float64``; NA when no
        population of the group is known) and, with ``at_least``, ``n_at_least`` (``Int64``).

    Notes
    -----
    Statistics over the cases with a known population only (NA is left out, not read as 0);
    the median of an even number of values is the mean of the two middle ones;
    n_at_least(G) = #{c ∈ G : population(c) ≥ at_least} (an unknown population never counts).

    Examples
    --------
    >>> from coanalysis.loaders import load_casebase
    >>> sizes = population_summary(load_casebase())
    >>> list(sizes.columns)
    ['collectivity_type', 'n_cases', 'n_known', 'min', 'median', 'max']
    """
    cases = _cases(casebase)
    if "population" not in cases.columns:
        raise ValueError("the cases table has no 'population' column")
    if at_least is not None:
        check_number(at_least, "at_least")
    by_cols = _by_columns(by, cases)
    pop = pd.to_numeric(cases["population"].astype("Float64"), errors="raise")
    data = cases[by_cols].assign(population=pop) if by_cols else pd.DataFrame({"population": pop})
    data = data.assign(_large=(pop >= at_least).fillna(False).astype(int) if at_least is not None
                       else 0)
    if by_cols:
        grouped = data.groupby(by_cols, observed=True, sort=True, dropna=False)
        out = grouped["population"].agg(n_cases="size", n_known="count", min="min",
                                        median="median", max="max")
        out["n_at_least"] = grouped["_large"].sum()
        out = out.reset_index()
    else:
        s = data["population"]
        out = pd.DataFrame({"n_cases": [len(s)], "n_known": [int(s.notna().sum())],
                            "min": [s.min()], "median": [s.median()], "max": [s.max()],
                            "n_at_least": [int(data["_large"].sum())]})
    out[["n_cases", "n_known"]] = out[["n_cases", "n_known"]].astype("Int64")
    out[["min", "median", "max"]] = out[["min", "median", "max"]].astype("Float64")
    if at_least is None:
        return out.drop(columns="n_at_least")
    out["n_at_least"] = out["n_at_least"].astype("Int64")
    return out


def mean_scores(casebase, table: str = "conditions", by: str | Sequence[str] | None = "corpus"
                ) -> pd.DataFrame:
    """Mean fuzzy score of each condition (or outcome) over the cases that document it.

    Parameters
    ----------
    casebase : CaseBase
        A loaded case base.
    table : {"conditions", "outcomes"}, default "conditions"
    by : str, sequence of str or None, default "corpus"
        Column(s) of ``cases`` to break the means down by; None for all cases together.

    Returns
    -------
    DataFrame
        One row per group (observed, category order) and variable (``condition`` or
        ``outcome``, codebook order): ``n`` cases, ``n_documented`` (``Int64``) and ``mean``
        (``Float64``, NA when no case of the group documents it).

    Notes
    -----
    mean(G, v) = Σ_{c ∈ G, x_cv not NA} x_cv / n_documented(G, v): NA is left out, never read
    as 0, so each mean must be read with its ``n_documented``.

    Examples
    --------
    >>> from coanalysis.loaders import load_casebase
    >>> means = mean_scores(load_casebase(), by="corpus")
    >>> len(means) == 2 * 13, list(means.columns)
    (True, ['corpus', 'condition', 'n', 'n_documented', 'mean'])
    """
    check_choice(table, "table", ("conditions", "outcomes"))
    cases = _cases(casebase)
    by_cols = _by_columns(by, cases)
    if "case_id" in by_cols:
        raise ValueError("by='case_id' gives one case per group: use condition_profile() instead")
    grid = _grid(casebase, table)
    item = _GRIDS[table][0][0][0]
    grid = _with_groups(grid, cases, by_cols)
    grouped = grid.groupby([*by_cols, item], observed=True, sort=True, dropna=False)["score"]
    out = grouped.agg(n="size", n_documented="count", mean="mean").reset_index()
    out[["n", "n_documented"]] = out[["n", "n_documented"]].astype("Int64")
    out["mean"] = out["mean"].astype("Float64")
    return out
