"""Boolean core of the QCA engine: cubes, prime implicants, exact minimum covers.

Configurations are integers (condition 0 is the most significant bit, so a
configuration's integer plus one is R QCA's truth-table row number); a cube
(an implicant) is a ``(mask, value)`` pair where ``mask`` marks the conditions
it fixes and ``value`` their values.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = [
    "QCAWarning",
    "prime_implicants",
    "solve_chart",
    "cube_covers",
    "cube_string",
    "r_order",
    "ChartSolution",
]

#: Number of key entries processed at once when projecting points on masks.
_CHUNK = 4_000_000


class QCAWarning(UserWarning):
    """A QCA result is incomplete or rests on a convention worth knowing (e.g. a model cap)."""


def _popcount(a: np.ndarray) -> np.ndarray:
    a = a.astype(np.uint64)
    c = np.zeros(a.shape, dtype=np.int64)
    while np.any(a):
        c += (a & np.uint64(1)).astype(np.int64)
        a >>= np.uint64(1)
    return c


def _masks_by_size(k: int) -> list[np.ndarray]:
    allm = np.arange(1 << k, dtype=np.int64)
    pc = _popcount(allm)
    return [allm[pc == s] for s in range(k + 1)]


def _projected_keys(masks: np.ndarray, points: np.ndarray, k: int) -> np.ndarray:
    """Keys ``mask << k | (point & mask)`` for every (mask, point) pair, flattened."""
    return ((masks[:, None] << k) | (points[None, :] & masks[:, None])).ravel()


def _sorted_unique(a: np.ndarray, return_counts: bool = False):
    """np.unique by sorting (numpy 2's hash-based unique is slower on these keys)."""
    a = np.sort(a)
    if len(a) == 0:
        return (a, np.zeros(0, np.int64)) if return_counts else a
    starts = np.flatnonzero(np.concatenate(([True], a[1:] != a[:-1])))
    if return_counts:
        return a[starts], np.diff(np.append(starts, len(a)))
    return a[starts]


def _chunks(masks: np.ndarray, n_points: int):
    step = max(1, _CHUNK // max(1, n_points))
    for start in range(0, len(masks), step):
        yield masks[start:start + step]


def _in_sorted(keys: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if len(sorted_set) == 0 or len(keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(sorted_set, keys)
    pos[pos == len(sorted_set)] = 0
    return sorted_set[pos] == keys


def _primes_of_level(impl: np.ndarray, prev_impl: np.ndarray, k: int) -> np.ndarray:
    """Implicant keys of one level whose every parent (one literal fewer) is not an implicant."""
    masks = impl >> k
    values = impl & ((1 << k) - 1)
    prime = np.ones(len(impl), dtype=bool)
    for b in range(k):
        bit = 1 << b
        sel = (masks & bit) != 0
        if not sel.any():
            continue
        parent = ((masks[sel] ^ bit) << k) | (values[sel] & ~bit)
        prime[sel] &= ~_in_sorted(parent, prev_impl)
    return impl[prime]


def prime_implicants(k: int, on, off=None) -> tuple[np.ndarray, np.ndarray]:
    """All prime implicants of a (partial) Boolean function of ``k`` variables.

    Parameters
    ----------
    k : int
        Number of conditions (variables), 0 < k <= 30.
    on : array of int
        The configurations that must be covered (ON set).
    off : array of int or None
        The configurations that must not be covered (OFF set). ``None`` means
        every configuration outside ``on`` is OFF (no don't-cares: the
        conservative problem); otherwise the configurations in neither set are
        don't-cares (remainders: the parsimonious problem).

    Returns
    -------
    masks, values : arrays of int64
        The prime implicants that cover at least one ON configuration, in R
        QCA's order (see :func:`r_order`).

    Notes
    -----
    Cubes are searched level by level (number of literals s = 0..k), every
    mask of size s at once: a cube ``(m, v)`` contains a point p iff
    ``p & m == v``. In the parsimonious problem a cube is an implicant iff it
    holds an ON point and no OFF point; in the conservative one iff it holds
    exactly 2**(k - s) ON points. An implicant is prime iff none of its
    parents (one literal removed) is an implicant. The parsimonious search
    stops at the first level where no ON-holding cube holds an OFF point, since
    no deeper cube can then be prime (the bottom-up search of CCubes, Dușa
    2018, made exhaustive).

    References
    ----------
    Dușa, A. (2018). Consistency cubes: a fast, efficient method for exact
    Boolean minimization. *The R Journal*, 10(2), 357-370.

    Examples
    --------
    Quine's cyclic function of P, Q, R (ON = all but 000 and 111):

    >>> masks, values = prime_implicants(3, [1, 2, 3, 4, 5, 6])
    >>> [cube_string(m, v, "PQR") for m, v in zip(masks, values)]
    ['~P*Q', '~P*R', 'P*~Q', 'P*~R', '~Q*R', 'Q*~R']
    """
    on = np.unique(np.asarray(on, dtype=np.int64))
    if len(on) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    levels = _masks_by_size(k)
    found: list[np.ndarray] = []
    prev_impl = np.zeros(0, dtype=np.int64)
    if off is None:
        max_free = int(np.floor(np.log2(len(on))))
        start = max(0, k - max_free)
        for s in range(start, k + 1):
            size = 1 << (k - s)
            parts = []
            for chunk in _chunks(levels[s], len(on)):
                keys, counts = _sorted_unique(_projected_keys(chunk, on, k), return_counts=True)
                parts.append(keys[counts == size])
            impl = np.concatenate(parts) if parts else np.zeros(0, np.int64)
            found.append(_primes_of_level(impl, prev_impl, k))
            prev_impl = impl
    else:
        off = np.unique(np.asarray(off, dtype=np.int64))
        for s in range(0, k + 1):
            parts = []
            clash = False
            for chunk in _chunks(levels[s], len(on) + len(off)):
                on_keys = _sorted_unique(_projected_keys(chunk, on, k))
                off_keys = _sorted_unique(_projected_keys(chunk, off, k)) if len(off) else np.zeros(0, np.int64)
                bad = _in_sorted(on_keys, off_keys)
                clash |= bool(bad.any())
                parts.append(on_keys[~bad])
            impl = np.concatenate(parts) if parts else np.zeros(0, np.int64)
            found.append(_primes_of_level(impl, prev_impl, k))
            prev_impl = impl
            if not clash:
                break
    keys = np.concatenate(found) if found else np.zeros(0, np.int64)
    masks, values = keys >> k, keys & ((1 << k) - 1)
    order = r_order(masks, values, k)
    return masks[order], values[order]


def r_order(masks: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Indices sorting cubes as R QCA lists prime implicants (and so terms and models).

    By number of literals first. Among cubes with fewer than k literals,
    condition by condition (first condition first), a negated literal before
    a present one before an absent condition; among full minterms (k
    literals), by decreasing configuration. This empirical rule reproduces
    the term and model order printed by R QCA 3.25 on every reference
    solution available to us (Lipset crisp and fuzzy, Cebotari & Vink,
    Quine's cyclic function, Ragin & Strand, Krook, Emmenegger, Hino).
    """
    masks = np.asarray(masks, dtype=np.int64)
    values = np.asarray(values, dtype=np.int64)
    if len(masks) == 0:
        return np.zeros(0, np.int64)
    size = _popcount(masks)
    minterm = size == k
    keys = [size]
    for j in range(k):
        bit = 1 << (k - 1 - j)
        fixed = (masks & bit) != 0
        val = (values & bit) != 0
        code = np.where(fixed, np.where(val, 1, 0), 2)
        keys.append(np.where(minterm, 1 - code, code))
    # np.lexsort sorts by the last key first
    return np.lexsort(tuple(reversed(keys)))


def cube_covers(mask: int, value: int, points: np.ndarray) -> np.ndarray:
    """Boolean array: which ``points`` lie inside the cube ``(mask, value)``."""
    points = np.asarray(points, dtype=np.int64)
    return (points & mask) == value


def cube_string(mask: int, value: int, conditions) -> str:
    """The cube in QCA notation, e.g. ``A*~B``; the empty cube is ``1``."""
    k = len(conditions)
    lits = []
    for j, name in enumerate(conditions):
        bit = 1 << (k - 1 - j)
        if mask & bit:
            lits.append(name if value & bit else f"~{name}")
    return "*".join(lits) if lits else "1"


@dataclass
class ChartSolution:
    """Minimum covers of a prime-implicant chart.

    ``models`` lists tuples of PI indices (sorted), in R's order when complete;
    ``size`` is the minimum number of PIs; ``complete`` is False when the
    enumeration stopped at ``max_models``.
    """

    models: list[tuple[int, ...]]
    size: int
    complete: bool
    nodes: int
    total: int | None = None


def _minimum_cover_size(row_sets: list[list[int]], n_pi: int) -> int:
    """Minimum number of PIs covering every row (exact, scipy's HiGHS MILP)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_matrix

    data, ri, ci = [], [], []
    for r, pis in enumerate(row_sets):
        for p in pis:
            ri.append(r)
            ci.append(p)
            data.append(1.0)
    a = csr_matrix((data, (ri, ci)), shape=(len(row_sets), n_pi))
    res = milp(
        c=np.ones(n_pi),
        constraints=LinearConstraint(a, lb=np.ones(len(row_sets)), ub=np.inf),
        integrality=np.ones(n_pi),
        bounds=Bounds(0, 1),
    )
    if res.status != 0 or res.x is None:  # pragma: no cover - a feasible chart always solves
        raise RuntimeError(f"minimum cover search failed: {res.message}")
    return int(round(res.fun))


def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _unique_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a boolean matrix and, for each row, the index of its distinct row.

    Rows are packed into bytes and compared as opaque strings: much faster than
    ``np.unique(axis=0)`` on wide boolean matrices.
    """
    packed = np.ascontiguousarray(np.packbits(matrix, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return matrix[first], np.asarray(inverse).ravel()


def solve_chart(chart: np.ndarray, *, max_models: int = 500, max_nodes: int = 2_000_000) -> ChartSolution:
    """Every minimum cover of a prime-implicant chart, up to ``max_models``.

    Parameters
    ----------
    chart : bool array, shape (n_rows, n_pi)
        ``chart[r, p]`` is True when PI ``p`` covers ON row ``r``.
    max_models : int
        List at most this many minimum covers (a :class:`QCAWarning` says
        when more exist, and how many when that is known).
    max_nodes : int
        Stop the search after this many nodes (a warning says the listing
        may be incomplete); deterministic, unlike a time limit.

    Returns
    -------
    ChartSolution

    Notes
    -----
    The minimum size k is found by an exact integer program (min Σx_p
    subject to Σ_{p covers r} x_p ≥ 1, x binary; scipy's HiGHS). PIs that
    cover the same ON rows are interchangeable, so the search runs over these
    classes and each class cover is expanded into the product of its
    classes' members (which also counts the minimal models without listing
    them). Class covers of size k are enumerated depth first: branch on the
    uncovered row with the fewest candidates; the i-th branch takes the i-th
    candidate and forbids the earlier ones, so each cover is produced once; a
    branch is cut when the chosen classes plus a lower bound on those still
    needed (a greedy set of uncovered rows no two of which share a class)
    exceed k; with one class left, those covering every uncovered row are
    read off at once (an AND of bitsets). Nothing is allocated per
    combination: memory grows with the depth and the models listed.

    References
    ----------
    Petrick, S. R. (1956). A direct determination of the irredundant forms of
    a Boolean function from the set of prime implicants. AFCRC-TR-56-110.

    Examples
    --------
    >>> chart = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]], dtype=bool)
    >>> sol = solve_chart(chart)
    >>> sol.size, sol.models
    (2, [(0, 1), (0, 2), (1, 2)])
    """
    chart = np.asarray(chart, dtype=bool)
    n_rows, n_pi = chart.shape
    if n_rows == 0:
        return ChartSolution(models=[()], size=0, complete=True, nodes=0, total=1)
    if n_pi == 0 or not chart.any(axis=1).all():
        raise ValueError("some ON configuration is covered by no prime implicant")
    chart = _unique_rows(chart)[0]  # identical rows constrain the same way
    classes_t, inverse = _unique_rows(chart.T)
    classes = classes_t.T
    by_class = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=classes.shape[1]))[:-1]
    members = [m.tolist() for m in np.split(by_class, bounds)]
    # try the classes that cover most rows first: covers are found sooner
    order = sorted(range(classes.shape[1]), key=lambda c: (-int(classes[:, c].sum()), members[c][0]))
    classes = classes[:, order]
    members = [members[c] for c in order]
    # number rows by how few other rows their classes reach: the greedy lower
    # bound takes the lowest-numbered row first and so finds more disjoint rows
    reach = (classes.astype(np.float32) @ classes.T.astype(np.float32) > 0).sum(axis=1)
    classes = classes[np.argsort(reach, kind="stable")]
    n_rows, n_cls = classes.shape
    row_sets = [np.flatnonzero(r).tolist() for r in classes]
    k = _minimum_cover_size(row_sets, n_cls)

    cls_rows = [0] * n_cls
    row_cands = [0] * n_rows
    for i, cs in enumerate(row_sets):
        for c in cs:
            cls_rows[c] |= 1 << i
            row_cands[i] |= 1 << c
    conflict = []
    for cs in row_sets:
        m = 0
        for c in cs:
            m |= cls_rows[c]
        conflict.append(m)
    full = (1 << n_rows) - 1
    class_covers: list[tuple[int, ...]] = []
    state = {"nodes": 0, "stop": False, "listed": 0, "truncated": False}
    chosen: list[int] = []

    def record(cover: list[int]) -> None:
        class_covers.append(tuple(cover))
        n = 1
        for c in cover:
            n *= len(members[c])
        state["listed"] += n
        if state["listed"] > max_models:
            state["stop"] = True

    def search(covered: int, forbidden: int) -> None:
        state["nodes"] += 1
        if state["nodes"] > max_nodes:
            state["stop"] = state["truncated"] = True
            return
        if covered == full:
            record(chosen)
            return
        budget = k - len(chosen)
        if budget <= 0:
            return
        uncovered = full & ~covered
        if budget == 1:
            common = ~forbidden
            for i in _bits(uncovered):
                common &= row_cands[i]
                if not common:
                    return
            for c in _bits(common):
                record(chosen + [c])
                if state["stop"]:
                    return
            return
        lb, rem = 0, uncovered
        while rem and lb <= budget:
            i = (rem & -rem).bit_length() - 1
            lb += 1
            rem &= ~conflict[i]
        if lb > budget:
            return
        best = None
        for i in _bits(uncovered):
            cands = row_cands[i] & ~forbidden
            if not cands:
                return
            if best is None or cands.bit_count() < best.bit_count():
                best = cands
        earlier = 0
        for c in _bits(best):
            chosen.append(c)
            search(covered | cls_rows[c], forbidden | earlier)
            chosen.pop()
            earlier |= 1 << c
            if state["stop"]:
                return

    search(0, 0)
    # the exact number of minimal models, when the search went to its end
    total = None if state["stop"] else state["listed"]
    models: list[tuple[int, ...]] = []
    for cover in class_covers:
        for combo in itertools.product(*(members[c] for c in cover)):
            models.append(tuple(sorted(combo)))
    models.sort()
    complete = not state["stop"]
    if not complete:
        models = models[:max_models]
        why = (f"the search stopped after max_nodes={max_nodes} nodes" if state["truncated"]
               else f"more than max_models={max_models} minimal models exist")
        warnings.warn(
            f"model ambiguity: {why}; {len(models)} minimal models of {k} terms are listed. "
            "Raise max_models (or max_nodes) to list more; the ones listed are the first "
            "found, not necessarily R's first ones.",
            QCAWarning,
            stacklevel=3,
        )
    return ChartSolution(models=models, size=k, complete=complete, nodes=state["nodes"], total=total)
