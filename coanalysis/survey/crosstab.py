"""Two-way weighted tables and the Rao-Scott tests of independence, as R ``survey``'s
``svytable`` and ``svychisq(statistic = "F" | "Chisq")``.

:meth:`coanalysis.survey.Design.crosstab` builds a :class:`Crosstab`; its :meth:`Crosstab.test`
returns a :class:`CrosstabTest`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..codebook.interface import word
from ..results import Result
from ..text import Lang
from ..validation import check_choice

__all__ = ["Crosstab", "CrosstabTest", "STATISTICS", "rao_scott_delta"]

#: The tests :meth:`Crosstab.test` computes (R ``svychisq``'s names).
STATISTICS = ("F", "Chisq")


def independence_contrasts(nr: int, nc: int) -> np.ndarray:
    """The interaction columns of the saturated model of an ``nr`` x ``nc`` table, made
    orthogonal to the main effects: the ``(nr-1)(nc-1)`` contrasts the test of independence is
    about (cells in column-major order, the row index varying fastest, as R's
    ``expand.grid(rows, cols)``)."""
    rows = np.tile(np.arange(nr), nc)
    cols = np.repeat(np.arange(nc), nr)
    main = np.column_stack([np.ones(nr * nc)]
                           + [(rows == i).astype(float) for i in range(1, nr)]
                           + [(cols == j).astype(float) for j in range(1, nc)])
    inter = np.column_stack([((rows == i) & (cols == j)).astype(float)
                             for j in range(1, nc) for i in range(1, nr)])
    coef, *_ = np.linalg.lstsq(main, inter, rcond=None)
    return inter - main @ coef


def rao_scott_delta(cell_means: np.ndarray, covariance: np.ndarray, nr: int, nc: int,
                    n: int) -> np.ndarray:
    """The generalised design-effect matrix ``Δ`` of the independence contrasts.

    ``Δ = (C' D⁻¹ C / n)⁻¹ (C' D⁻¹ V D⁻¹ C)``, with ``C`` the contrasts
    (:func:`independence_contrasts`), ``D = diag(p̂)`` the estimated cell proportions (a zero
    cell contributing 0 to ``D⁻¹``), ``V`` their design-based covariance and ``n`` the number of
    rows of the design; its eigenvalues are the design effects of the contrasts.

    References
    ----------
    Rao, J. N. K. & Scott, A. J. (1984). *Ann. Statist.* 12, 46-60.
    """
    c = independence_contrasts(nr, nc)
    inv = np.divide(1.0, cell_means, out=np.zeros_like(cell_means), where=cell_means != 0)
    cd = c * inv[:, None]
    return np.linalg.solve(cd.T @ c / n, cd.T @ covariance @ cd)


@dataclass(frozen=True, repr=False)
class CrosstabTest(Result):
    """A Rao-Scott test of independence of a :class:`Crosstab` (R ``svychisq``).

    Attributes
    ----------
    method : {"F", "Chisq"}
    statistic : float
        ``"F"``: Pearson's X² over ``tr(Δ)``. ``"Chisq"``: Pearson's X² itself (as R reports it;
        its p-value is that of ``X² / mean(eigenvalues of Δ)``).
    df : tuple of float or float
        ``(numerator, denominator)`` degrees of freedom of the F test; the chi-squared test's
        degrees of freedom ``(r-1)(c-1)``.
    pvalue : float
    pearson : float
        Pearson's X² of the weighted table scaled to the design's number of rows.
    lang : {"fr", "en"} or None
        Language of :attr:`title` (default :func:`coanalysis.default_lang`).
    """

    method: str
    statistic: float
    df: tuple[float, float] | float
    pvalue: float
    pearson: float
    lang: Lang | None = None

    @property
    def title(self) -> str:
        """The test's name, in :attr:`lang`."""
        return word("rao_scott_test", self.lang).format(statistic=self.method)

    @property
    def table(self) -> pd.DataFrame:
        """One row: ``statistic``, ``df`` (``ndf``, ``ddf`` for F), ``pvalue``."""
        df = ({"ndf": self.df[0], "ddf": self.df[1]} if self.method == "F" else {"df": self.df})
        return pd.DataFrame([{"method": self.method, "statistic": self.statistic, **df,
                              "pvalue": self.pvalue, "pearson_chisq": self.pearson}])


@dataclass(frozen=True, repr=False)
class Crosstab(Result):
    """A design-based two-way table (:meth:`~coanalysis.survey.Design.crosstab`).

    Attributes
    ----------
    row, column : str
        The two variables.
    counts : pandas.DataFrame
        Weighted counts (sums of weights; rows with either value missing left out), rows by
        columns, as R ``svytable(~row + column, design)``.
    cell_means : numpy.ndarray
        Estimated cell proportions, cells in column-major order.
    covariance : numpy.ndarray
        Their design-based covariance matrix.
    n : int
        Rows of the design (R's ``N``: the table is scaled to it for Pearson's X²).
    df_design : float
        The design's degrees of freedom (PSUs minus strata, R's ``nu``).
    lang : {"fr", "en"} or None
        Language of :attr:`title` and of the tests' titles.
    """

    row: str
    column: str
    counts: pd.DataFrame
    cell_means: np.ndarray
    covariance: np.ndarray
    n: int
    df_design: float
    lang: Lang | None = None

    @property
    def title(self) -> str:
        """``"weighted table of <row> by <column>"``, in :attr:`lang`."""
        return word("weighted_crosstab", self.lang).format(row=self.row, column=self.column)

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`counts`."""
        return self.counts

    def pearson(self) -> float:
        """Pearson's X² of :attr:`counts` scaled to :attr:`n` rows (R ``chisq.test(svytable(...,
        Ntotal = N), correct = FALSE)``)."""
        obs = self.counts.to_numpy(dtype=float)
        obs = obs * self.n / obs.sum()
        expected = np.outer(obs.sum(axis=1), obs.sum(axis=0)) / obs.sum()
        return float(((obs - expected) ** 2 / expected).sum())

    def test(self, statistic: str = "F") -> CrosstabTest:
        """Rao-Scott test of independence, as R ``svychisq(~row + column, design, statistic)``.

        Parameters
        ----------
        statistic : {"F", "Chisq"}, default "F"
            ``"F"``: the second-order correction, ``F = X² / tr(Δ)`` on ``d`` and ``d · ν``
            degrees of freedom, ``d = tr(Δ)² / tr(Δ²)``, ``ν`` the design's degrees of freedom
            (R's default). ``"Chisq"``: the first-order correction, ``X² / mean(λ)`` against a
            chi-squared on ``(r-1)(c-1)`` degrees of freedom, ``λ`` the eigenvalues of ``Δ``.

        Returns
        -------
        CrosstabTest

        Notes
        -----
        ``X²`` is Pearson's statistic of the weighted table scaled to the design's rows and
        ``Δ`` the design-effect matrix of the independence contrasts (:func:`rao_scott_delta`).

        References
        ----------
        Rao, J. N. K. & Scott, A. J. (1984). On chi-squared tests for multiway contingency
        tables with cell proportions estimated from survey data. *Ann. Statist.* 12, 46-60.
        Lumley, T. (2010). *Complex Surveys*. Wiley, §6.1. Checked against R survey 4.1.1
        ``svychisq``.
        """
        check_choice(statistic, "statistic", STATISTICS)
        nr, nc = self.counts.shape
        delta = rao_scott_delta(self.cell_means, self.covariance, nr, nc, self.n)
        x2 = self.pearson()
        trace = float(np.trace(delta))
        if statistic == "F":
            d0 = trace ** 2 / float(np.trace(delta @ delta))
            f = x2 / trace
            ddf = d0 * self.df_design
            return CrosstabTest("F", f, (d0, ddf), float(stats.f.sf(f, d0, ddf)), x2, self.lang)
        df = float(delta.shape[1])
        return CrosstabTest("Chisq", x2, df, float(stats.chi2.sf(x2 / (trace / df), df)), x2,
                            self.lang)
