"""Raking internals: iterative proportional fitting and the raking-aware variance residuals.

Two routes give the same numbers (in exact arithmetic; in floating point they agree to about
1e-15 relative):

* **over the cells** of the margins' cross-classification. Every raking step
  multiplies all the weights of a category by one factor, and bounds clip the ratio raked /
  starting weight to fixed limits, so all the respondents of a cell (one category of every
  margin) share the ratio of their cell at every step. Fitting then runs on the cell sums of the
  starting weights: the rows are read once to build the cells and once to write the raked
  weights back, whatever the number of sweeps. R's back-fitting of the influence values
  (``svyrecvar``) factorises the same way, with one pass over the rows at each end. Only the
  cells that hold a respondent are kept (in the order of the full cross-classification, so the
  sums are those of all the cells: an empty cell adds 0).
* **over the rows**.

Each step of a sweep costs a few passes over an array of cells on the first route and of rows on
the second, and the cell route's variance runs its back-fitting cycles on the cells too; so the
cell route is taken when the occupied cells are at most :data:`CELLS_PER_ROW` times the rows
(:func:`use_cells`), a constant measured by ``benchmarks/bench_rake_route.py``.

References
----------
Deming, W. E. & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
table when the expected marginal totals are known. *Ann. Math. Stat.* 11, 427-444.
Bishop, Y. M. M., Fienberg, S. E. & Holland, P. W. (1975). *Discrete Multivariate Analysis*,
MIT Press, ch. 3 (IPF on the cells of a contingency table).
Lumley, T. survey: analysis of complex survey samples. R package, ``rake`` and ``svyrecvar``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: R's survey package cycles the raking residuals over the margins this many times.
BACKFIT_CYCLES = 10
#: The cell route is taken when the cross-classification's occupied cells are at most this many
#: times the rows. Origin: benchmarks/bench_rake_route.py (rake + first SE by each route, forced,
#: 4 and 6 margins, 200,000 and 1,000,000 rows; tables in benchmarks/RESULTS.md). In three runs
#: the two routes' times crossed at 0.29-0.38 occupied cells per row on 1,000,000 rows and at
#: 0.34-0.71 on 200,000; 0.3 sits at the low end, the large samples' crossing, where speed
#: matters. Around it the routes cost about the same (the 0.32-per-row case: cell / row time
#: 0.75-1.07), so a wrong pick near the switch costs little; far from it the rule picks the
#: faster route by 2x or more.
CELLS_PER_ROW = 0.3
#: Beyond this cross-classification size the cell codes are built margin by margin
#: (re-numbering the occupied cells at each step), so they never overflow a 64-bit integer.
JOINT_LIMIT = 2**62


def group_sum(codes: np.ndarray, z: np.ndarray, size: int) -> np.ndarray:
    """Column sums of ``z`` (n x k) within groups given by integer ``codes``."""
    return np.column_stack(
        [np.bincount(codes, weights=z[:, j], minlength=size) for j in range(z.shape[1])]
    ) if z.shape[1] else np.zeros((size, 0))


def _divide_by_weights(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``z / p`` row-wise, 0 where the weight is 0.

    A respondent whose starting weight is 0 keeps weight 0 and has no influence: the back-fitting
    leaves it out altogether (its ``z / p`` is 0 and it is not counted in the category means), as
    if it were not in the sample. R divides by the zero weight and propagates NaN into every
    standard error.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        out = z / p[:, None]
    zero = p == 0
    if zero.any():
        out[zero] = 0.0
    return out


def use_cells(n_cells: int, n: int) -> bool:
    """Whether raking runs over the cells of the margins' cross-classification: when its
    ``n_cells`` occupied cells are at most :data:`CELLS_PER_ROW` times the ``n`` rows."""
    return n_cells <= CELLS_PER_ROW * n


def joint_codes(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """Cell of each row in the margins' cross-classification (mixed radix, last margin fastest)."""
    joint = codes[0].astype(np.intp, copy=True)
    for c, s in zip(codes[1:], sizes[1:]):
        joint *= s
        joint += c
    return joint


@dataclass
class Layout:
    """The occupied cells of the margins' cross-classification: each row's cell (0 to
    ``size - 1``, in the order of the full cross-classification) and each cell's category in
    every margin."""

    joint: np.ndarray
    cats: list[np.ndarray]

    @property
    def size(self) -> int:
        return int(self.cats[0].size)

    @classmethod
    def build(cls, codes: list[np.ndarray], sizes: list[int]) -> "Layout":
        full = 1
        for s in sizes:
            full *= int(s)
        n = codes[0].size
        if full >= JOINT_LIMIT:
            return cls._margin_by_margin(codes, sizes)
        joint = joint_codes(codes, sizes)
        if full <= 4 * n:  # small enough to count every cell: O(rows + cells), no sort
            occupied = np.flatnonzero(np.bincount(joint, minlength=full))
            if occupied.size < full:
                renumber = np.zeros(full, dtype=np.intp)
                renumber[occupied] = np.arange(occupied.size)
                joint = renumber[joint]
        else:
            joint, occupied = pd.factorize(joint, sort=True)
            joint = joint.astype(np.intp, copy=False)
        return cls(joint, [c.astype(np.intp, copy=False)
                           for c in np.unravel_index(occupied, tuple(sizes))])

    @classmethod
    def _margin_by_margin(cls, codes: list[np.ndarray], sizes: list[int]) -> "Layout":
        """The same layout for a cross-classification too large for one integer code: add one
        margin at a time and re-number the occupied cells (never more than the rows)."""
        joint = codes[0].astype(np.intp, copy=True)
        cats = [np.arange(sizes[0], dtype=np.intp)]
        for c, s in zip(codes[1:], sizes[1:]):
            joint *= s
            joint += c
            joint, occupied = pd.factorize(joint, sort=True)
            joint = joint.astype(np.intp, copy=False)
            cats = [cat[occupied // s] for cat in cats] + [(occupied % s).astype(np.intp)]
        return cls(joint, cats)


@dataclass
class Fit:
    """Outcome of one IPF: new weights, sweeps, margin totals before and after, weight ratios."""

    weights: np.ndarray
    step: "RakingStep"
    iterations: int
    converged: bool
    before: list[np.ndarray]
    after: list[np.ndarray]
    ratio_range: tuple[float, float]


def _ratio_range(ratio: np.ndarray) -> tuple[float, float]:
    ratio = ratio[np.isfinite(ratio)]
    if ratio.size == 0:
        return (np.nan, np.nan)
    return (float(ratio.min()), float(ratio.max()))


# --------------------------------------------------------------------------- the two routes
@dataclass
class Cells:
    """The margins' occupied cells: each row's cell, each cell's categories, and the cell sums
    of the starting weights."""

    joint: np.ndarray
    cats: list[np.ndarray]
    base: np.ndarray
    sizes: list[int]

    @classmethod
    def build(cls, layout: Layout, sizes: list[int], w0: np.ndarray) -> "Cells":
        return cls(layout.joint, layout.cats,
                   np.bincount(layout.joint, weights=w0, minlength=layout.size), list(sizes))

    def totals(self, cell_values: np.ndarray) -> list[np.ndarray]:
        """Per margin, the category sums of a cell-level array."""
        return [np.bincount(cat, weights=cell_values, minlength=s)
                for cat, s in zip(self.cats, self.sizes)]


def margin_totals(codes: list[np.ndarray], sizes: list[int], w: np.ndarray,
                  cells: Cells | None) -> list[np.ndarray]:
    """Weighted totals of every margin's categories (from the cells when they are built)."""
    if cells is not None:
        return cells.totals(cells.base)
    return [np.bincount(c, weights=w, minlength=s) for c, s in zip(codes, sizes)]


def ipf_cells(columns: list[str], codes: list[np.ndarray], targets: list[np.ndarray],
              w0: np.ndarray, cells: Cells, tol: float, max_iter: int, bounds=None) -> Fit:
    """IPF on the cells of the margins' cross-classification (see the module notes), optionally
    clipping the raked / starting weight ratio to ``bounds`` after each step."""
    base, cats = cells.base, cells.cats
    g = np.ones(base.size)
    after_step: list[np.ndarray] = []
    converged, it = False, 0
    for it in range(1, max_iter + 1):
        change = 0.0
        after_step = []
        for cat, t in zip(cats, targets):
            f = t / np.bincount(cat, weights=base * g, minlength=t.size)
            change = max(change, float(np.max(np.abs(f - 1))))
            g *= f[cat]
            if bounds is not None:
                np.clip(g, bounds[0], bounds[1], out=g)
            after_step.append(g.copy())
        if change < tol:
            converged = True
            break
    weights = g[cells.joint]
    weights *= w0
    step = CellRakingStep(columns, list(zip(codes, cells.sizes)), cells.joint, cats, w0, after_step)
    return Fit(weights, step, it, converged, cells.totals(base), cells.totals(base * g),
               _ratio_range(g[base > 0]))


def ipf_rows(columns: list[str], codes: list[np.ndarray], targets: list[np.ndarray],
             w0: np.ndarray, before: list[np.ndarray], tol: float, max_iter: int,
             bounds=None) -> Fit:
    """IPF over the rows, optionally clipping each raked / starting weight ratio to ``bounds``
    (``before``: the margins' starting totals, from :func:`margin_totals`)."""
    sizes = [t.size for t in targets]
    codes = [c.astype(np.intp, copy=False) for c in codes]  # indexed every step: native width
    w = w0.copy()
    factors: list[np.ndarray] = []
    snapshots: list[np.ndarray] = []
    if bounds is not None:
        low, high = bounds[0] * w0, bounds[1] * w0
        snapshots = [np.empty_like(w) for _ in codes]  # the weights after each step, rewritten each sweep
    converged, it = False, 0
    for it in range(1, max_iter + 1):
        change = 0.0
        factors = []
        for m, (c, t) in enumerate(zip(codes, targets)):
            f = t / np.bincount(c, weights=w, minlength=t.size)
            change = max(change, float(np.max(np.abs(f - 1))))
            w *= f[c]
            if bounds is not None:
                np.clip(w, low, high, out=w)
                np.copyto(snapshots[m], w)
            factors.append(f)
        if change < tol:
            converged = True
            break
    after = [np.bincount(c, weights=w, minlength=s) for c, s in zip(codes, sizes)]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(w0 > 0, w / w0, np.nan)
    step = RowRakingStep(columns, list(zip(codes, sizes)), w, factors,
                         snapshots if bounds is not None else None)
    return Fit(w, step, it, converged, before, after, _ratio_range(ratio))


# --------------------------------------------------------------------------- variance residuals
@dataclass
class RakingStep:
    """One raking of a design, with what its variance residuals need.

    ``margins`` holds, per margin, the rows' category codes and the number of categories;
    :meth:`psw` the weights right after each margin's step of the last sweep (R's ``attr(,
    "weights")`` of the raking's ``postStrata``); :meth:`residualise` R's back-fitting.
    """

    columns: list[str]
    margins: list[tuple[np.ndarray, int]]

    def psw(self) -> list[np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    def residualise(self, z: np.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass
class RowRakingStep(RakingStep):
    """A raking done over the rows (more than ``CELLS_PER_ROW`` occupied cells per row)."""

    weights: np.ndarray
    factors: list[np.ndarray]
    snapshots: list[np.ndarray] | None = None
    _psw: list[np.ndarray] | None = field(default=None, repr=False)
    _cross: list[list[np.ndarray]] | None = field(default=None, repr=False)
    _counts: list[np.ndarray] | None = field(default=None, repr=False)

    def psw(self) -> list[np.ndarray]:
        if self.snapshots is not None:
            return self.snapshots
        if self._psw is None:
            # undo the last sweep's factors from the end, margin by margin
            out: list[np.ndarray] = [np.empty(0)] * len(self.margins)
            cur = self.weights
            for i in range(len(self.margins) - 1, -1, -1):
                out[i] = cur
                cur = cur / self.factors[i][self.margins[i][0]]
            self._psw = out
        return self._psw

    def counts(self) -> list[np.ndarray]:
        """Respondents with a positive weight per margin category (see :func:`_divide_by_weights`)."""
        if self._counts is None:
            positive = (self.psw()[0] > 0).astype(float)
            self._counts = [np.bincount(c, weights=positive, minlength=s) for c, s in self.margins]
        return self._counts

    def cross_tables(self) -> list[list[np.ndarray]]:
        """``X[m][l][c, d] = Σ_{i: c_m(i)=c, c_l(i)=d} p_l,i / p_m,i`` (``X[m][m]`` the diagonal of
        category counts), built once and kept."""
        if self._cross is None:
            psws, margins, counts = self.psw(), self.margins, self.counts()
            k = len(margins)
            cross: list[list[np.ndarray]] = [[np.empty(0)] * k for _ in range(k)]
            for m, (cm, sm) in enumerate(margins):
                cross[m][m] = np.diag(counts[m])
                for j in range(m + 1, k):
                    cj, sj = margins[j]
                    joint = cm * sj
                    joint += cj
                    with np.errstate(divide="ignore", invalid="ignore"):
                        ratio = psws[j] / psws[m]
                    ratio[~np.isfinite(ratio)] = 0.0
                    cross[m][j] = np.bincount(joint, weights=ratio, minlength=sm * sj).reshape(sm, sj)
                    with np.errstate(divide="ignore"):
                        np.divide(1.0, ratio, out=ratio)
                    ratio[~np.isfinite(ratio)] = 0.0
                    cross[j][m] = np.bincount(joint, weights=ratio,
                                              minlength=sm * sj).reshape(sm, sj).T
            self._cross = cross
        return self._cross

    def residualise(self, z: np.ndarray) -> None:
        """R's back-fitting, in place on ``z`` (n x k).

        Every update subtracts ``p_m ∘ a[c_m]``, so after any number of cycles
        ``z = z₀ - Σ_m p_m ∘ A_m[c_m]``; the category sums of ``z / p_m`` are
        ``S_m - Σ_l X_ml A_l`` with the cross-tables of :meth:`cross_tables`. The cycles run on
        category-sized arrays; ``z`` is read once per margin at the start and at the end.
        """
        psws, margins = self.psw(), self.margins
        cross, counts = self.cross_tables(), [c[:, None] for c in self.counts()]
        sums0 = [group_sum(codes, _divide_by_weights(z, psw), size)
                 for (codes, size), psw in zip(margins, psws)]
        coef = [np.zeros_like(s) for s in sums0]
        for _ in range(BACKFIT_CYCLES):
            for m in range(len(margins)):
                sums = sums0[m] - sum(cross[m][j] @ coef[j] for j in range(len(margins)))
                coef[m] = coef[m] + sums / counts[m]
        for (codes, _), psw, a in zip(margins, psws, coef):
            z -= psw[:, None] * a[codes]


@dataclass
class CellRakingStep(RakingStep):
    """A raking done over the cells of the margins' cross-classification.

    ``joint`` gives each row's cell, ``cats`` each cell's category in every margin, ``w0`` the
    starting row weights and ``factors`` the cell's ratio to its starting weight right after
    each margin's step of the last sweep (so ``psw()[m] = w0 * factors[m][joint]``).
    """

    joint: np.ndarray
    cats: list[np.ndarray]
    w0: np.ndarray
    factors: list[np.ndarray]
    _counts: np.ndarray | None = field(default=None, repr=False)

    def psw(self) -> list[np.ndarray]:
        return [self.w0 * g[self.joint] for g in self.factors]

    def cell_counts(self) -> np.ndarray:
        """Respondents with a positive weight per cell (see :func:`_divide_by_weights`)."""
        if self._counts is None:
            self._counts = np.bincount(self.joint, weights=(self.w0 > 0).astype(float),
                                       minlength=self.cats[0].size)
        return self._counts

    def residualise(self, z: np.ndarray) -> None:
        """R's back-fitting run on cell sums, in place on ``z`` (n x k).

        With ``p_m,i = w0_i g_m[cell_i]``, the update for margin ``m`` subtracts
        ``p_m ∘ ū_m[c_m]`` where ``ū_m`` are the unweighted category means of ``z / p_m``. The
        ratio ``p_l / p_m = g_l / g_m`` depends on the cell only, so after any number of updates
        ``z = z₀ - w0 ∘ H[cell]`` and the category sums of ``z / p_m`` are
        ``Σ_{cells c of the category} (T_c - N_c H_c) / g_m,c`` with ``T_c = Σ_{i∈c} z₀_i / w0_i``
        and ``N_c`` the cell's respondents. The rows are read once for ``T`` and written once.
        """
        n_cells = self.cats[0].size
        count = self.cell_counts()[:, None]
        sizes = [s for _, s in self.margins]
        cat_counts = [np.bincount(cat, weights=count[:, 0], minlength=s)[:, None]
                      for cat, s in zip(self.cats, sizes)]
        total = group_sum(self.joint, _divide_by_weights(z, self.w0), n_cells)
        h = np.zeros_like(total)
        rest = total.copy()  # T - N * H, the cells' sums of z / w0 after the updates so far
        for _ in range(BACKFIT_CYCLES):
            for cat, g, size, nc in zip(self.cats, self.factors, sizes, cat_counts):
                mean = group_sum(cat, rest / g[:, None], size) / nc
                update = g[:, None] * mean[cat]
                h += update
                rest -= count * update
        z -= self.w0[:, None] * h[self.joint]
