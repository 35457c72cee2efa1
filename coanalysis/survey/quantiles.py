"""Design-based quantiles: the weighted quantile rule and Woodruff's interval, as R ``survey``'s
``svyquantile`` (survey 4.x defaults: ``qrule = "math"``, ``interval.type = "mean"``).

:meth:`coanalysis.survey.Design.quantile` builds on :func:`math_quantile` and returns a
:class:`Quantiles` result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..codebook.interface import word
from ..results import Result
from ..text import Lang

__all__ = ["Quantiles", "SortedSample", "math_quantile"]


@dataclass(frozen=True)
class SortedSample:
    """Values of positive weight sorted increasingly, with their cumulative weights.

    The cumulative weights and their total are summed in extended precision in sort order, as
    R's ``cumsum`` and ``sum`` (long double accumulators), then rounded to double: the equality
    test of :func:`math_quantile` then sees the same numbers as R's.
    """

    x: np.ndarray
    cumw: np.ndarray
    total: float

    @classmethod
    def of(cls, x: np.ndarray, w: np.ndarray) -> "SortedSample":
        """Keep the finite values of positive weight and sort them (ties kept in row order)."""
        keep = ~np.isnan(x) & (w > 0)
        x, w = x[keep], w[keep]
        order = np.argsort(x, kind="stable")
        cum = np.cumsum(w[order].astype(np.longdouble))
        total = float(cum[-1]) if cum.size else 0.0
        return cls(x[order], cum.astype(float), total)


def math_quantile(sample: SortedSample, p: float) -> float:
    """The weighted ``p``-quantile ``min{x : F̂(x) >= p}``, ``F̂`` the weighted distribution
    function: R ``survey``'s ``qrule_math``.

    Parameters
    ----------
    sample : SortedSample
    p : float
        Probability in [0, 1].

    Returns
    -------
    float
        NaN for an empty sample.

    Notes
    -----
    With sorted values ``x_(1) <= … <= x_(m)``, cumulative weights ``C_i`` and total ``W``:
    ``i`` is the last position with ``C_i <= p W``; the quantile is ``x_(i)`` when
    ``p - C_i / W`` is exactly 0, else ``x_(i+1)`` (R's ``qs``). When no ``C_i`` is below
    ``p W`` (``p`` under the first value's weight share, e.g. ``p = 0``), the quantile is the
    smallest value ``x_(1)``; R 4.1.1's ``qs`` takes position 1 there and returns ``x_(2)``, the
    second smallest, a difference kept on purpose (the 0-quantile is the minimum).

    References
    ----------
    Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. *The American
    Statistician* 50, 361-365 (type 1, the inverse of the distribution function).
    Lumley, T. (2010). *Complex Surveys*, Wiley, §2.4.2. Checked against R survey 4.1.1
    ``svyquantile``.

    Examples
    --------
    >>> import numpy as np
    >>> s = SortedSample.of(np.array([3.0, 1, 2, 4]), np.ones(4))
    >>> math_quantile(s, 0.5), math_quantile(s, 0.51), math_quantile(s, 0.0)
    (2.0, 3.0, 1.0)
    """
    m = sample.x.size
    if m == 0:
        return np.nan
    i = int(np.searchsorted(sample.cumw, p * sample.total, side="right")) - 1
    if i < 0:
        return float(sample.x[0])
    if p - sample.cumw[i] / sample.total == 0:
        return float(sample.x[i])
    return float(sample.x[min(i + 1, m - 1)])


@dataclass(frozen=True, repr=False)
class Quantiles(Result):
    """Design-based quantiles of one variable with Woodruff intervals
    (:meth:`~coanalysis.survey.Design.quantile`).

    Attributes
    ----------
    column : str
    estimates : pandas.DataFrame
        Indexed by ``q``: ``estimate``, ``se``, ``ci_low``, ``ci_high``.
    level : float
    df : float
        Degrees of freedom of the interval's t quantile (the design's).
    n : int
        Respondents with a value (and a positive weight).
    lang : {"fr", "en"} or None
        Language of :attr:`title` (default :func:`coanalysis.default_lang`).
    """

    column: str
    estimates: pd.DataFrame
    level: float
    df: float
    n: int
    lang: Lang | None = None

    @property
    def title(self) -> str:
        """``"quantiles of <column>"``, in :attr:`lang`."""
        return word("survey_quantiles", self.lang).format(column=self.column)

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`estimates`: one row per probability ``q``."""
        return self.estimates

    @property
    def notes(self) -> tuple[str, ...]:
        """The interval's method and degrees of freedom."""
        df = "normal" if np.isinf(self.df) else f"t, {self.df:g} df"
        return ((f"{self.level:.0%} interval: Woodruff, on the estimated distribution function "
                 f"({df}); n = {self.n}"),)
