"""Information circuits: the directed graph of flows between actor types in each case,
and the number of hops from users to decision-makers compared with the classic chain.
"""

from __future__ import annotations

from collections import deque
from typing import Sequence

import pandas as pd

from .. import codebook
from ..codebook import classic_hops
from ..validation import require_columns

__all__ = ["flow_graph", "shortest_path", "voice_distance", "channel_counts"]

_ORDER = {slug: i for i, slug in enumerate(codebook.ACTORS.slugs)}


def _check_flows(flows: pd.DataFrame, extra: Sequence[str] = ()) -> None:
    require_columns(flows, ["case_id", "from_actor", "to_actor", *extra], table="flows")


def flow_graph(flows: pd.DataFrame, case_id: str) -> dict[str, list[str]]:
    """Adjacency lists of one case's directed flow graph (several channels = one edge).

    Parameters
    ----------
    flows : DataFrame
        The ``flows`` table (``case_id``, ``from_actor``, ``to_actor``, ...).
    case_id : str
        The case.

    Returns
    -------
    dict of str to list of str
        ``{actor: [actors it sends information to]}``, keys and lists in
        codebook order; actors without outgoing flow are absent.

    Examples
    --------
    >>> f = pd.DataFrame({"case_id": ["a", "a", "a"], "from_actor": ["usagers", "usagers", "agents"],
    ...                   "to_actor": ["agents", "agents", "elus"]})
    >>> flow_graph(f, "a")
    {'usagers': ['agents'], 'agents': ['elus']}
    """
    _check_flows(flows)
    rows = flows[flows["case_id"].astype(str) == case_id]
    graph: dict[str, set[str]] = {}
    for src, dst in zip(rows["from_actor"].astype(str), rows["to_actor"].astype(str)):
        graph.setdefault(src, set()).add(dst)
    key = lambda a: (_ORDER.get(a, len(_ORDER)), a)  # noqa: E731
    return {src: sorted(dsts, key=key) for src, dsts in sorted(graph.items(), key=lambda kv: key(kv[0]))}


def shortest_path(graph: dict[str, list[str]], source: str, target: str) -> list[str] | None:
    """Shortest directed path from ``source`` to ``target`` by breadth-first search.

    Parameters
    ----------
    graph : dict of str to list of str
        Adjacency lists ``{actor: [actors it sends information to]}``, as
        returned by :func:`flow_graph`; the order of each list decides ties.
    source : str
        Actor the path starts from.
    target : str
        Actor the path should reach.

    Returns
    -------
    list of str or None
        The actors from ``source`` to ``target`` (``[source]`` when they are
        the same), or None when ``target`` cannot be reached. Among paths of
        equal length, the one found first in the adjacency order (codebook
        order for :func:`flow_graph`) is returned, so the result is deterministic.

    Notes
    -----
    Breadth-first search visits the actors by increasing distance from
    ``source``; the first time ``target`` is met, the path back through the
    recorded parents is a shortest one, :math:`d(s, t) = \\min\\{k : s = a_0
    \\to \\dots \\to a_k = t\\}`.

    References
    ----------
    Moore, E. F. (1959). The shortest path through a maze. *Proceedings of the
    International Symposium on the Theory of Switching*, 285-292.

    Examples
    --------
    >>> shortest_path({"usagers": ["agents", "elus"], "agents": ["elus"]}, "usagers", "elus")
    ['usagers', 'elus']
    """
    if source == target:
        return [source]
    parent: dict[str, str] = {source: source}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for nxt in graph.get(node, []):
            if nxt in parent:
                continue
            parent[nxt] = node
            if nxt == target:
                path = [nxt]
                while path[-1] != source:
                    path.append(parent[path[-1]])
                return path[::-1]
            queue.append(nxt)
    return None


def voice_distance(flows: pd.DataFrame, *, cases: Sequence[str] | None = None,
                   source: str = "usagers",
                   targets: Sequence[str] = ("elus", "encadrement")) -> pd.DataFrame:
    """Hops from users to elected officials and to management in each case's flow graph.

    Parameters
    ----------
    flows : DataFrame
        The ``flows`` table of the case base (``case_id``, ``from_actor``,
        ``to_actor``; other columns are ignored).
    cases : sequence of str, optional
        Cases to report, in this order (e.g. ``cb.cases["case_id"]``) so that
        cases without any flow appear with NA; default: the cases of ``flows``.
    source : str, default "usagers"
        Actor whose voice is followed.
    targets : str or sequence of str, default ("elus", "encadrement")
        Actor(s) the voice should reach; a single slug is one target.

    Returns
    -------
    DataFrame
        One row per case × target with columns ``case_id``, ``target``,
        ``hops`` (``Int64``: edges on the shortest directed path, ``<NA>`` when
        the target is unreachable or the case has no flows), ``classic_hops``
        (hops on the classic chain usagers → agents → encadrement → elus: 3 to
        elus, 2 to encadrement), ``hops_saved`` (``classic_hops - hops``:
        positive when the case shortens the chain) and ``path`` (the actors on
        the path joined by " → ", ``<NA>`` when unreachable).

    Notes
    -----
    Each case's flows form a directed graph on the actor types; several
    channels between the same two actors count as one edge. The distance is
    the length of the shortest directed path found by breadth-first search:

    .. math:: d(u, t) = \\min\\{k : u = a_0 \\to a_1 \\to \\dots \\to a_k = t\\}

    and the number of intermediaries is :math:`d - 1`. The classic hierarchical
    chain gives :math:`d = 3` from users to elected officials and :math:`d = 2`
    to management; the difference is what the experiment saves.

    Examples
    --------
    >>> f = pd.DataFrame({"case_id": ["a", "a"], "from_actor": ["usagers", "agents"],
    ...                   "to_actor": ["agents", "elus"]})
    >>> voice_distance(f)[["case_id", "target", "hops", "classic_hops", "hops_saved"]]
      case_id       target  hops  classic_hops  hops_saved
    0       a         elus     2             3           1
    1       a  encadrement  <NA>             2        <NA>
    """
    _check_flows(flows)
    if isinstance(targets, str):
        targets = [targets]
    for name, actor in [("source", source), *(("targets", t) for t in targets)]:
        if actor not in codebook.ACTORS:
            raise ValueError(f"{name}: {actor!r} is not an actor of the codebook "
                             f"({', '.join(codebook.ACTORS.slugs)})")
    case_ids = (list(pd.unique(flows["case_id"].astype(str))) if cases is None
                else [str(c) for c in cases])
    rows = []
    for case in case_ids:
        graph = flow_graph(flows, case)
        for target in targets:
            path = shortest_path(graph, source, target) if graph else None
            classic = classic_hops(target, source)
            hops = None if path is None else len(path) - 1
            rows.append({
                "case_id": case,
                "target": target,
                "hops": hops,
                "classic_hops": classic,
                "hops_saved": None if hops is None or classic is None else classic - hops,
                "path": None if path is None else " → ".join(path),
            })
    out = pd.DataFrame(rows, columns=["case_id", "target", "hops", "classic_hops",
                                      "hops_saved", "path"])
    out["case_id"] = out["case_id"].astype("string")
    out["target"] = pd.Categorical(out["target"], dtype=codebook.ACTORS.dtype())
    for col in ("hops", "classic_hops", "hops_saved"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    out["path"] = out["path"].astype("string")
    return out


def channel_counts(flows: pd.DataFrame, cases: Sequence[str] | None = None) -> pd.DataFrame:
    """Number of documented channels per case, and how many of them are direct.

    Parameters
    ----------
    flows : DataFrame
        The ``flows`` table of the case base (``case_id``, ``direct``; other columns ignored).
    cases : sequence of str, optional
        Cases to report, in this order (e.g. ``cb.cases["case_id"]``), so that cases without
        any flow appear with 0 channels; default: the cases of ``flows``.

    Returns
    -------
    DataFrame
        One row per case: ``case_id``, ``n_channels``, ``n_direct`` (``Int64``) and
        ``share_direct`` (``Float64``; NA for a case without channels).

    Notes
    -----
    n_channels(c) counts the rows of ``flows`` for c (one row per directed channel between two
    actor types); n_direct those with ``direct`` true (they skip the chain usagers → agents →
    encadrement → elus); share_direct = n_direct / n_channels. A NA ``direct`` is not counted
    as direct.

    Examples
    --------
    >>> f = pd.DataFrame({"case_id": ["a", "a", "b"], "from_actor": ["usagers"] * 3,
    ...                   "to_actor": ["elus", "agents", "elus"], "direct": [True, False, True]})
    >>> channel_counts(f, cases=["a", "b", "c"])
      case_id  n_channels  n_direct  share_direct
    0       a           2         1           0.5
    1       b           1         1           1.0
    2       c           0         0          <NA>
    """
    _check_flows(flows, ["direct"])
    ids = flows["case_id"].astype(str)
    case_ids = list(pd.unique(ids)) if cases is None else [str(c) for c in cases]
    direct = flows["direct"].astype("boolean").fillna(False).astype(bool)
    n = ids.value_counts()
    d = ids[direct.to_numpy()].value_counts()
    n_channels = pd.array([int(n.get(c, 0)) for c in case_ids], dtype="Int64")
    n_direct = pd.array([int(d.get(c, 0)) for c in case_ids], dtype="Int64")
    share = pd.array([nd / nc if nc else None for nd, nc in zip(n_direct, n_channels)],
                     dtype="Float64")
    return pd.DataFrame({"case_id": pd.array(case_ids, dtype="string"), "n_channels": n_channels,
                         "n_direct": n_direct, "share_direct": share})
