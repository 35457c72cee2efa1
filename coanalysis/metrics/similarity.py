"""Distances between case profiles with missing values, and hierarchical clustering of the cases.
"""

from __future__ import annotations

from typing import Literal, Sequence

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from ..errors import is_missing
from ..validation import check_choice, check_int, require_columns

__all__ = ["distance_matrix", "case_similarity", "case_linkage", "cluster_cases", "nearest_neighbours",
           "cluster_summary", "case_families", "adjusted_rand_index", "cluster_stability", "choose_k"]

Metric = Literal["euclidean", "manhattan"]
_METRICS = ("euclidean", "manhattan")
_METHODS = ("average", "ward", "complete", "single")


def _values(profile: pd.DataFrame) -> np.ndarray:
    if not isinstance(profile, pd.DataFrame):
        raise TypeError(f"profile must be a DataFrame (cases × variables), got "
                        f"{type(profile).__name__}")
    if profile.index.has_duplicates:
        dup = profile.index[profile.index.duplicated()][0]
        raise ValueError(f"profile has duplicated case {dup!r} in its index")
    try:
        return profile.apply(pd.to_numeric).to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as err:
        raise ValueError(f"profile must hold numbers (NA allowed): {err}") from None


def _pairwise(values: np.ndarray, metric: str, min_common: int) -> tuple[np.ndarray, np.ndarray]:
    check_choice(metric, "metric", _METRICS)
    check_int(min_common, "min_common", min_val=1)
    p = values.shape[1]
    present = ~np.isnan(values)
    diff = values[:, None, :] - values[None, :, :]
    common = present[:, None, :] & present[None, :, :]
    n_common = common.sum(axis=2)
    diff = np.where(common, diff, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n_common > 0, p / n_common, np.nan)
        if metric == "euclidean":
            dist = np.sqrt(np.sum(diff ** 2, axis=2) * scale)
        else:
            dist = np.sum(np.abs(diff), axis=2) * scale
    dist = np.where(n_common >= min_common, dist, np.nan)
    return dist, n_common


def distance_matrix(profile: pd.DataFrame, metric: Metric = "euclidean", *,
                    min_common: int = 1) -> pd.DataFrame:
    """Square matrix of pairwise-complete distances between the rows (cases) of a profile.

    Parameters
    ----------
    profile : DataFrame
        Cases × variables (e.g. :func:`~coanalysis.metrics.condition_profile`),
        numeric, NA allowed.
    metric : {"euclidean", "manhattan"}
        Distance on the variables both cases have.
    min_common : int, default 1
        Fewest variables coded for both cases for a distance to be given;
        fewer gives NA.

    Returns
    -------
    DataFrame
        Cases × cases, ``Float64``, symmetric, 0 on the diagonal (NA for a case
        with fewer than ``min_common`` coded variables).

    Notes
    -----
    With *p* variables and :math:`C_{ij}` the set of the :math:`n_{ij}`
    variables coded for both cases *i* and *j* (pairwise-complete):

    .. math:: d^{E}_{ij} = \\sqrt{\\frac{p}{n_{ij}} \\sum_{v \\in C_{ij}} (x_{iv} - x_{jv})^2}
              \\qquad
              d^{M}_{ij} = \\frac{p}{n_{ij}} \\sum_{v \\in C_{ij}} |x_{iv} - x_{jv}|

    The sum is scaled up to the full number of variables, as R's ``dist()``
    does, so that pairs with many NA are not made artificially close. Still,
    distances over few common variables are uncertain: ``n_common`` in
    :func:`case_similarity` says how many there were.

    References
    ----------
    R Core Team, ``stats::dist`` documentation ("If some columns are excluded
    in calculating a Euclidean, Manhattan [...] distance, the sum is scaled up
    proportionally to the number of columns used").

    Examples
    --------
    >>> prof = pd.DataFrame({"x": [0, 1.0], "y": [1.0, None]}, index=["a", "b"])
    >>> distance_matrix(prof).loc["a", "b"]    # sqrt(2/1 * (0 - 1)^2)
    np.float64(1.4142135623730951)
    """
    dist, _ = _pairwise(_values(profile), metric, min_common)
    index = pd.Index(profile.index, name="case_id")
    out = pd.DataFrame(dist, index=index, columns=index.rename("case_id_other"))
    return out.astype("Float64")


def case_similarity(profile: pd.DataFrame, metric: Metric = "euclidean", *,
                    min_common: int = 1) -> pd.DataFrame:
    """Distances between every pair of cases of a profile, as a tidy table.

    Parameters
    ----------
    profile : DataFrame
        Cases × variables, numeric, NA allowed (index = case ids).
    metric : {"euclidean", "manhattan"}
        See :func:`distance_matrix` for the formulas and the NA handling.
    min_common : int, default 1
        Fewest commonly coded variables for a distance (else NA).

    Returns
    -------
    DataFrame
        One row per unordered pair (``case_a`` before ``case_b`` in the
        profile's order) with ``case_a``, ``case_b``, ``distance`` (``Float64``,
        small = similar) and ``n_common`` (``Int64``, variables coded for both),
        sorted by distance (NA last), then by the profile order.

    Examples
    --------
    >>> prof = pd.DataFrame({"x": [0, 1.0, 0], "y": [1.0, None, 1]}, index=["a", "b", "c"])
    >>> case_similarity(prof)[["case_a", "case_b", "n_common"]].values.tolist()
    [['a', 'c', 2], ['a', 'b', 1], ['b', 'c', 1]]
    """
    values = _values(profile)
    dist, n_common = _pairwise(values, metric, min_common)
    i, j = np.triu_indices(len(values), k=1)
    labels = np.asarray([str(c) for c in profile.index], dtype=object)
    out = pd.DataFrame({
        "case_a": pd.array(labels[i], dtype="string"),
        "case_b": pd.array(labels[j], dtype="string"),
        "distance": pd.array(dist[i, j], dtype="Float64"),
        "n_common": pd.array(n_common[i, j], dtype="Int64"),
        "_order": np.arange(len(i)),
    })
    out = out.sort_values(["distance", "_order"], na_position="last", kind="mergesort")
    return out.drop(columns="_order").reset_index(drop=True)


def case_linkage(profile: pd.DataFrame, method: str = "average",
                 metric: Metric = "euclidean", *, min_common: int = 1
                 ) -> tuple[np.ndarray, list[str]]:
    """Hierarchical clustering (linkage matrix) of the cases with at least one coded value.

    Parameters
    ----------
    profile : DataFrame
        Cases × variables, numeric, NA allowed (index = case ids).
    method : {"average", "ward", "complete", "single"}, default "average"
        Linkage criterion of :func:`scipy.cluster.hierarchy.linkage`. The
        default, average linkage (UPGMA), is valid for any dissimilarity, hence
        for the pairwise-complete distances of profiles with NA.
    metric : {"euclidean", "manhattan"}
        Distance (pairwise-complete, see :func:`distance_matrix`).
    min_common : int, default 1
        Fewest commonly coded variables for two cases to be compared.

    Returns
    -------
    (ndarray, list of str)
        The scipy linkage matrix (for ``scipy.cluster.hierarchy.dendrogram``) and
        the case ids it clusters, in profile order (cases with no coded value
        are left out).

    Raises
    ------
    ValueError
        When two cases share fewer than ``min_common`` coded variables (their
        distance is NA): drop or complete them first.

    Notes
    -----
    Average linkage merges the two clusters *A*, *B* with the smallest mean
    distance :math:`d(A, B) = \\frac{1}{|A||B|}\\sum_{i \\in A}\\sum_{j \\in B} d_{ij}`.
    Ward's criterion (``method="ward"``) assumes Euclidean distances; the
    pairwise-complete distances of :func:`distance_matrix` are Euclidean only
    on complete data, so with NA a Ward tree is an approximation: compare it
    with the default using :func:`cluster_stability`.

    References
    ----------
    Ward, J. H. (1963). Hierarchical grouping to optimize an objective
    function. *JASA* 58(301), 236-244.
    Müllner, D. (2011). Modern hierarchical, agglomerative clustering
    algorithms. arXiv:1109.2378 (the algorithms of ``scipy.cluster.hierarchy``).

    Sokal, R. R. & Michener, C. D. (1958). A statistical method for evaluating
    systematic relationships. *University of Kansas Science Bulletin* 38, 1409-1438
    (average linkage, UPGMA).

    Examples
    --------
    >>> prof = pd.DataFrame({"x": [0, 0.1, 0.9, None]}, index=["a", "b", "c", "d"])
    >>> z, labels = case_linkage(prof)
    >>> labels, z[:, 2].round(2).tolist()
    (['a', 'b', 'c'], [0.1, 0.85])
    """
    check_choice(method, "method", _METHODS)
    values = _values(profile)
    keep = ~np.isnan(values).all(axis=1)
    labels = [str(c) for c, k in zip(profile.index, keep) if k]
    if len(labels) < 2:
        raise ValueError(f"need at least two cases with a coded value to cluster, got {len(labels)}")
    dist, _ = _pairwise(values[keep], metric, min_common)
    if np.isnan(dist).any():
        a, b = np.argwhere(np.isnan(dist))[0]
        raise ValueError(f"cases {labels[a]!r} and {labels[b]!r} share fewer than {min_common} "
                         "coded variable(s): their distance is NA; drop one of them or "
                         "lower min_common")
    condensed = squareform(dist, checks=False)
    return linkage(condensed, method=method), labels


def _cut_tree(z: np.ndarray, k: int) -> np.ndarray:
    """Flat clusters from the lowest cut of the tree ``z`` giving at most ``k`` clusters."""
    heights = np.unique(np.concatenate([[0.0], z[:, 2]])) if len(z) else np.array([0.0])
    for h in heights:
        raw = fcluster(z, t=h, criterion="distance") if len(z) else np.array([1])
        if len(np.unique(raw)) <= k:
            return raw
    return np.ones(len(z) + 1, dtype=int)  # pragma: no cover - the top height always gives 1


def cluster_cases(profile: pd.DataFrame, k: int, *, method: str = "average",
                  metric: Metric = "euclidean", min_common: int = 1) -> pd.DataFrame:
    """Cut a hierarchical clustering of the cases into ``k`` groups.

    Parameters
    ----------
    profile : DataFrame
        Cases × variables, numeric, NA allowed.
    k : int
        Number of clusters (2 to the number of clustered cases).
    method : {"average", "ward", "complete", "single"}, default "average"
        Linkage criterion of :func:`scipy.cluster.hierarchy.linkage` (see :func:`case_linkage`).
    metric : {"euclidean", "manhattan"}
        Distance (pairwise-complete, see :func:`distance_matrix`).
    min_common : int, default 1
        Fewest commonly coded variables for two cases to be compared.

    Returns
    -------
    DataFrame
        One row per case of the profile, in its order, with ``case_id`` and
        ``cluster`` (``Int64`` 1..k, numbered in order of first appearance in
        the profile, so that the labels are stable; ``<NA>`` for a case with no
        coded value).

    Notes
    -----
    The tree is built by :func:`case_linkage` and cut at the lowest merge
    height that leaves at most ``k`` clusters (``fcluster(...,
    criterion="distance")``). Merges at the same height are never split, so
    cases at distance 0 (identical profiles) always share a cluster; with such
    ties there may be fewer than ``k`` clusters (scipy's ``maxclust`` would
    instead separate tied cases arbitrarily). The result is deterministic.

    Examples
    --------
    >>> prof = pd.DataFrame({"x": [0, 0.33, 1, 1]}, index=["a", "b", "c", "d"])
    >>> cluster_cases(prof, 2)["cluster"].tolist()
    [1, 1, 2, 2]
    """
    check_int(k, "k", min_val=1)
    z, labels = case_linkage(profile, method, metric, min_common=min_common)
    if k > len(labels):
        raise ValueError(f"k={k} is more than the {len(labels)} cases that can be clustered")
    raw = _cut_tree(z, k)
    renumber: dict[int, int] = {}
    for r in raw:
        renumber.setdefault(int(r), len(renumber) + 1)
    by_case = {c: renumber[int(r)] for c, r in zip(labels, raw)}
    ids = [str(c) for c in profile.index]
    return pd.DataFrame({
        "case_id": pd.array(ids, dtype="string"),
        "cluster": pd.array([by_case.get(c) for c in ids], dtype="Int64"),
    })


def _family_labels(families: pd.Series | None, ids: list[str]) -> list[str]:
    """The family of each of ``ids`` (its own id when ``families`` is None or lacks it)."""
    if families is None:
        return list(ids)
    if not isinstance(families, pd.Series):
        raise TypeError(f"families must be a Series (index = case ids), got "
                        f"{type(families).__name__}")
    lookup = {str(k): str(v) for k, v in families.items() if not is_missing(v)}
    return [lookup.get(c, c) for c in ids]


def case_families(cases: pd.DataFrame) -> pd.Series:
    """The family of each case: the case at the top of its ``parent_case`` chain.

    Parameters
    ----------
    cases : DataFrame
        The ``cases`` table (``case_id``, ``parent_case``; NA parent = a case of its own).

    Returns
    -------
    Series
        Index ``case_id``, values the root case id (``string``), in the table's order: a
        programme, its sites and its sister sites share one family.

    Raises
    ------
    ValueError
        When a parent is not a case of the table, or the parents form a cycle.

    Notes
    -----
    root(c) = c if parent(c) is NA, else root(parent(c)). Used by :func:`nearest_neighbours`
    and :func:`cluster_summary` so that a case is not compared with its own sub-cases.

    Examples
    --------
    >>> cases = pd.DataFrame({"case_id": ["p", "p_site1", "p_site2", "q"],
    ...                       "parent_case": [None, "p", "p", None]})
    >>> case_families(cases).tolist()
    ['p', 'p', 'p', 'q']
    """
    require_columns(cases, ["case_id", "parent_case"], table="cases")
    ids = [str(c) for c in cases["case_id"]]
    parent = {c: (None if is_missing(p) else str(p)) for c, p in zip(ids, cases["parent_case"])}
    unknown = sorted({p for p in parent.values() if p is not None and p not in parent})
    if unknown:
        raise ValueError(f"parent_case {unknown} not among the case ids")
    roots = []
    for case in ids:
        seen, node = {case}, case
        while parent[node] is not None:
            node = parent[node]
            if node in seen:
                raise ValueError(f"parent_case forms a cycle through {sorted(seen)}")
            seen.add(node)
        roots.append(node)
    return pd.Series(pd.array(roots, dtype="string"),
                     index=pd.Index(ids, name="case_id"), name="family")


def nearest_neighbours(profile: pd.DataFrame, cases: Sequence[str] | None = None,
                       metric: Metric = "euclidean", *, min_common: int = 1,
                       families: pd.Series | None = None) -> pd.DataFrame:
    """The most similar other case of each case, with its distance.

    Parameters
    ----------
    profile : DataFrame
        Cases × variables, numeric, NA allowed (index = case ids).
    cases : sequence of str, optional
        Cases to report, in this order; default every case of the profile. A case not in the
        profile raises ValueError.
    metric : {"euclidean", "manhattan"}
        See :func:`distance_matrix`.
    min_common : int, default 1
        Fewest commonly coded variables for a distance (else the pair is not compared).
    families : Series, optional
        A family label per case (index = case ids), e.g. :func:`case_families` of the cases
        table: a case is never the neighbour of a case of its own family (a programme and its
        sites, a site and its sister sites), which would only find the case in itself. Cases
        missing from ``families`` are families of their own.

    Returns
    -------
    DataFrame
        One row per case: ``case_id``, ``neighbour`` (``string``), ``distance`` (``Float64``)
        and ``n_common`` (``Int64``); ``neighbour`` and ``distance`` are NA when no other case
        can be compared with it.

    Notes
    -----
    neighbour(i) = argmin_{j ≠ i, f(j) ≠ f(i)} d_ij over the pairwise-complete distances of
    :func:`distance_matrix`, f being the family (each case its own family by default); ties
    go to the case that comes first in the profile, as in :func:`case_similarity`'s order.

    Examples
    --------
    >>> prof = pd.DataFrame({"x": [0, 1.0, 0.33], "y": [1.0, None, 1]}, index=["a", "b", "c"])
    >>> nearest_neighbours(prof)[["case_id", "neighbour", "n_common"]].values.tolist()
    [['a', 'c', 2], ['b', 'c', 1], ['c', 'a', 2]]
    """
    values = _values(profile)
    dist, n_common = _pairwise(values, metric, min_common)
    ids = [str(c) for c in profile.index]
    wanted = ids if cases is None else [str(c) for c in cases]
    unknown = [c for c in wanted if c not in set(ids)]
    if unknown:
        raise ValueError(f"cases: {unknown} not in the profile's index")
    family = np.asarray(_family_labels(families, ids), dtype=object)
    rows = []
    for case in wanted:
        i = ids.index(case)
        d = dist[i].copy()
        d[family == family[i]] = np.nan
        if np.all(np.isnan(d)):
            rows.append((case, None, None, None))
            continue
        j = int(np.nanargmin(d))  # first minimum = earliest in the profile
        rows.append((case, ids[j], float(d[j]), int(n_common[i, j])))
    out = pd.DataFrame(rows, columns=["case_id", "neighbour", "distance", "n_common"])
    return out.astype({"case_id": "string", "neighbour": "string", "distance": "Float64",
                       "n_common": "Int64"})


def cluster_summary(clusters: pd.DataFrame, profile: pd.DataFrame, *,
                    highlight: Sequence[str] = (), category: pd.Series | None = None,
                    families: pd.Series | None = None) -> pd.DataFrame:
    """Size, highlighted members, most frequent category and mean profile of each cluster.

    Parameters
    ----------
    clusters : DataFrame
        ``case_id`` and ``cluster`` (as returned by :func:`cluster_cases`); cases with cluster
        NA are left out.
    profile : DataFrame
        Cases × variables whose means are reported (index = case ids); only its columns are
        averaged, over the documented members of each cluster.
    highlight : sequence of str, optional
        Cases to name in each cluster (e.g. the study's five cases).
    category : Series, optional
        A category per case (index = case ids, e.g. ``cb.cases.set_index("case_id")["domain"]``)
        whose most frequent value in each cluster is reported.
    families : Series, optional
        A family label per case (e.g. :func:`case_families`): adds ``n_related``, the
        members that are not highlighted but share a family with a highlighted member of the
        same cluster (the sites of a highlighted programme).

    Returns
    -------
    DataFrame
        Index ``cluster`` (ascending), columns ``n_cases``, ``n_highlighted`` (``Int64``),
        ``highlighted`` (members of ``highlight`` in its order, ", "-joined; NA if none),
        ``top_category`` (only with ``category``; ties go to the category order of a
        categorical, else to the first value met), ``n_related`` (``Int64``, only with
        ``families``) and one ``Float64`` column per profile variable.

    Notes
    -----
    mean(k, v) = Σ_{c ∈ k, x_cv not NA} x_cv / #{c ∈ k : x_cv not NA}; NA when no member of
    cluster k documents v. A cluster is "mixed" when 0 < n_highlighted < n_cases; with
    ``families``, it mixes highlighted cases with unrelated ones when
    n_highlighted > 0 and n_highlighted + n_related < n_cases.

    Examples
    --------
    >>> prof = pd.DataFrame({"x": [0, 0.33, 1, None]}, index=["a", "b", "c", "d"])
    >>> groups = pd.DataFrame({"case_id": ["a", "b", "c", "d"], "cluster": [1, 1, 2, 2]})
    >>> cluster_summary(groups, prof, highlight=["c", "a"])  # doctest: +NORMALIZE_WHITESPACE
             n_cases  n_highlighted highlighted      x
    cluster
    1              2              1           a  0.165
    2              2              1           c    1.0
    """
    if not isinstance(clusters, pd.DataFrame) or not {"case_id", "cluster"} <= set(clusters.columns):
        raise ValueError("clusters must be a DataFrame with columns 'case_id' and 'cluster' "
                         "(see cluster_cases)")
    _values(profile)  # checks the profile
    members = clusters.dropna(subset=["cluster"]).assign(case_id=lambda d: d["case_id"].astype(str))
    ids = {str(c) for c in profile.index}
    missing = sorted(set(members["case_id"]) - ids)
    if missing:
        raise ValueError(f"clusters: cases {missing} are not in the profile's index")
    values = profile.set_axis([str(c) for c in profile.index]).astype("Float64")
    highlight = [str(c) for c in highlight]
    family = dict(zip(members["case_id"], _family_labels(families, list(members["case_id"]))))
    rows = []
    for k, group in members.groupby("cluster", sort=True):
        cases = list(group["case_id"])
        named = [c for c in highlight if c in cases]
        row = {"cluster": k, "n_cases": len(cases), "n_highlighted": len(named),
               "highlighted": ", ".join(named) if named else None}
        if families is not None:
            named_families = {family[c] for c in named}
            row["n_related"] = sum(1 for c in cases
                                   if c not in named and family[c] in named_families)
        if category is not None:
            cat = category.set_axis([str(c) for c in category.index]).reindex(cases).dropna()
            counts = cat.value_counts(sort=False)
            if isinstance(category.dtype, pd.CategoricalDtype):
                counts = counts.reindex(category.cat.categories, fill_value=0)
            else:
                counts = counts.reindex(pd.unique(cat))
            row["top_category"] = counts.idxmax() if len(counts) and counts.max() > 0 else None
        row.update(values.loc[cases].mean().to_dict())
        rows.append(row)
    out = pd.DataFrame(rows).set_index("cluster")
    out[["n_cases", "n_highlighted"]] = out[["n_cases", "n_highlighted"]].astype("Int64")
    out["highlighted"] = out["highlighted"].astype("string")
    if category is not None:
        out["top_category"] = out["top_category"].astype("string")
    if families is not None:
        out["n_related"] = out["n_related"].astype("Int64")
    for col in values.columns:
        out[col] = out[col].astype("Float64")
    return out


def adjusted_rand_index(labels_a: Sequence, labels_b: Sequence) -> float:
    """Agreement of two partitions of the same items, corrected for chance (Hubert & Arabie).

    Parameters
    ----------
    labels_a, labels_b : sequence
        Cluster labels of the same items, in the same order (NA not allowed).

    Returns
    -------
    float
        1 for identical partitions (up to the names of the clusters), about 0 for
        partitions as alike as random ones, negative below chance; 1.0 when both put every
        item in one cluster (or each in its own).

    Notes
    -----
    With :math:`n_{ij}` the items in cluster *i* of a and *j* of b, :math:`a_i`, :math:`b_j`
    the margins and :math:`n` the items:

    .. math:: \\mathrm{ARI} = \\frac{\\sum_{ij}\\binom{n_{ij}}{2} - E}
              {\\tfrac12\\big[\\sum_i\\binom{a_i}{2} + \\sum_j\\binom{b_j}{2}\\big] - E},
              \\qquad E = \\frac{\\sum_i\\binom{a_i}{2}\\sum_j\\binom{b_j}{2}}{\\binom{n}{2}}

    References
    ----------
    Hubert, L. & Arabie, P. (1985). Comparing partitions. *Journal of Classification* 2,
    193-218.

    Examples
    --------
    >>> adjusted_rand_index([1, 1, 2, 2], [5, 5, 7, 7])
    1.0
    >>> round(adjusted_rand_index([0, 0, 1, 2], [0, 0, 1, 1]), 2)
    0.57
    """
    a, b = list(labels_a), list(labels_b)
    if len(a) != len(b):
        raise ValueError(f"the two labelings have {len(a)} and {len(b)} items; they must match")
    if any(is_missing(v) for v in a + b):
        raise ValueError("labels must not be NA: drop the unclustered items first")
    if len(a) < 2:
        raise ValueError("need at least two items to compare partitions")
    table = pd.crosstab(pd.Series(a, dtype=object), pd.Series(b, dtype=object)).to_numpy()

    def pairs(x):
        return (x * (x - 1) / 2.0).sum()

    sum_ij = pairs(table)
    sum_a, sum_b = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = sum_a * sum_b / (len(a) * (len(a) - 1) / 2.0)
    maximum = (sum_a + sum_b) / 2.0
    if maximum == expected:  # both trivial partitions (one cluster, or all singletons)
        return 1.0 if sum_ij == maximum else 0.0
    return float((sum_ij - expected) / (maximum - expected))


def cluster_stability(profile: pd.DataFrame, ks: Sequence[int] = (3, 4, 5), *,
                      method: str = "average", compare: str | None = "ward",
                      highlight: Sequence[str] = (), metric: Metric = "euclidean",
                      min_common: int = 1) -> pd.DataFrame:
    """How much the clusters change with the number of groups and with the linkage method.

    Parameters
    ----------
    profile : DataFrame
        Cases × variables, numeric, NA allowed.
    ks : sequence of int, default (3, 4, 5)
        Numbers of clusters to cut the tree into, in the order reported.
    method : str, default "average"
        Linkage of the clusters described (see :func:`case_linkage`).
    compare : str or None, default "ward"
        Another linkage whose cut at the same k is compared with ``method``'s; None for none.
    highlight : sequence of str, optional
        Cases to follow (e.g. the study's five cases).
    metric : {"euclidean", "manhattan"}
    min_common : int, default 1
        See :func:`cluster_cases`.

    Returns
    -------
    DataFrame
        One row per k: ``k``, ``n_clusters`` (fewer than k when tied merges cannot be split),
        ``sizes`` (cluster sizes, largest first, " / "-joined), ``largest`` (``Int64``),
        ``n_clusters_highlighted`` (``Int64``: clusters holding a highlighted case),
        ``ari_previous`` (``Float64``: adjusted Rand index with the cut at the previous k of
        ``ks``, NA for the first) and ``ari_compare`` (with ``compare``'s cut at the same k;
        absent when ``compare`` is None).

    Notes
    -----
    A K is better supported when the neighbouring cuts keep most pairs together
    (``ari_previous`` near 1) and when another reasonable linkage finds the same groups
    (``ari_compare`` near 1); see :func:`adjusted_rand_index` for the index.

    References
    ----------
    Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Computational
    Statistics & Data Analysis* 52(1), 258-271.

    Examples
    --------
    >>> prof = pd.DataFrame({"x": [0, 0.1, 0.45, 0.9, 1]}, index=list("abcde"))
    >>> cluster_stability(prof, (2, 3), compare=None)[["k", "sizes", "ari_previous"]]
       k      sizes  ari_previous
    0  2      3 / 2          <NA>
    1  3  2 / 2 / 1     0.545455
    """
    ks = [ks] if isinstance(ks, (int, np.integer)) else list(ks)
    if not ks:
        raise ValueError("ks must name at least one number of clusters")
    highlight = [str(c) for c in highlight]
    rows, previous = [], None
    for k in ks:
        cut = cluster_cases(profile, k, method=method, metric=metric, min_common=min_common)
        cut = cut.dropna(subset=["cluster"])
        labels = cut["cluster"].astype(int).tolist()
        sizes = sorted(pd.Series(labels).value_counts().tolist(), reverse=True)
        ids = cut["case_id"].astype(str).tolist()
        row = {
            "k": k,
            "n_clusters": len(sizes),
            "sizes": " / ".join(str(n) for n in sizes),
            "largest": sizes[0],
            "n_clusters_highlighted": len({g for c, g in zip(ids, labels) if c in highlight}),
            "ari_previous": None if previous is None else adjusted_rand_index(previous, labels),
        }
        if compare is not None:
            other = cluster_cases(profile, k, method=compare, metric=metric,
                                  min_common=min_common).dropna(subset=["cluster"])
            row["ari_compare"] = adjusted_rand_index(labels, other["cluster"].astype(int).tolist())
        rows.append(row)
        previous = labels
    out = pd.DataFrame(rows)
    for col in ("k", "n_clusters", "largest", "n_clusters_highlighted"):
        out[col] = out[col].astype("Int64")
    out["sizes"] = out["sizes"].astype("string")
    for col in ("ari_previous", "ari_compare"):
        if col in out.columns:
            out[col] = pd.array(out[col].tolist(), dtype="Float64")
    return out


def choose_k(stability: pd.DataFrame, ks: Sequence[int] = range(3, 6), min_ari: float = 0.9) -> int:
    """The number of clusters to keep: the largest K of ``ks`` whose cut extends the cut at K - 1.

    Parameters
    ----------
    stability : DataFrame
        The output of :func:`cluster_stability`, with ``k`` and ``ari_previous``; its ``ks``
        must run one by one so that ``ari_previous`` compares K with K - 1.
    ks : sequence of int, default range(3, 6)
        The candidate numbers of clusters (3 to 5).
    min_ari : float, default 0.9
        Smallest adjusted Rand index with the cut at K - 1 for K to count as extending it.

    Returns
    -------
    int
        The largest candidate K with ``ari_previous >= min_ari`` (NA never passes), else the
        smallest candidate: with no stable refinement, the coarsest partition is kept.

    Raises
    ------
    ValueError
        When ``ks`` is empty or no candidate K is a row of ``stability``.

    Examples
    --------
    >>> st = pd.DataFrame({"k": [2, 3, 4, 5], "ari_previous": [None, 0.95, 0.92, 0.4]})
    >>> choose_k(st)
    4
    >>> choose_k(st, min_ari=0.99)
    3
    """
    require_columns(stability, ["k", "ari_previous"], table="stability")
    ks = [int(k) for k in ks]
    if not ks:
        raise ValueError("ks must name at least one candidate number of clusters")
    candidates = stability[stability["k"].isin(ks)]
    if candidates.empty:
        raise ValueError(f"none of the candidate K {ks} is a row of the stability table "
                         f"(its k: {[int(k) for k in stability['k']]}); run cluster_stability with these ks")
    ari = pd.to_numeric(candidates["ari_previous"], errors="coerce").astype(float)
    passing = candidates.loc[ari.fillna(-np.inf).to_numpy() >= min_ari, "k"]
    return int(passing.max()) if len(passing) else min(ks)
