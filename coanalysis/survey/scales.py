"""Multi-item scales: Cronbach's alpha with Feldt's interval, and the WHO-5 well-being index.

The WHO-5 is scored exactly as its publishers state (raw 0-25, percentage 0-100, thresholds
at 50 and 28 on the percentage scale); items outside 0-5 raise a DataError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..codebook import WHO5_ITEMS, WHO5_LEVELS
from ..errors import DataError, Problem, plain_scalar
from ..results import Result
from ..validation import check_choice, check_level, require_columns

__all__ = ["ReliabilityResult", "cronbach_alpha", "who5_score"]


@dataclass(frozen=True, repr=False)
class ReliabilityResult(Result):
    """Cronbach's alpha of a scale, with its Feldt confidence interval."""

    #: :meth:`summary` starts with it.
    title = "Cronbach's alpha"

    alpha: float
    ci: tuple[float, float]
    level: float
    n: int
    k: int
    nan_policy: str
    items: tuple[str, ...]

    @property
    def table(self) -> pd.DataFrame:
        return pd.DataFrame([{"alpha": self.alpha, "ci_low": self.ci[0], "ci_high": self.ci[1],
                              "level": self.level, "n": self.n, "k": self.k,
                              "nan_policy": self.nan_policy}])

    @property
    def notes(self) -> tuple[str, ...]:
        """The interval's method and how missing answers were treated."""
        return (f"{self.level:.0%} interval: Feldt (F distribution)",
                f"missing answers: {self.nan_policy}")

    def summary(self) -> str:
        """One line: alpha, items, respondents, interval."""
        return (f"{self.title} = {self.alpha:.4f} ({self.k} items, n = {self.n}, "
                f"{self.nan_policy}); {self.level:.0%} Feldt CI [{self.ci[0]:.4f}, {self.ci[1]:.4f}]")

    def __repr__(self) -> str:
        return f"<ReliabilityResult: {self.summary()}>"


def _numeric_items(data: pd.DataFrame, items: Sequence[str]) -> pd.DataFrame:
    require_columns(data, list(items), table="items")
    out = {}
    for c in items:
        s = data[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = s.cat.categories
            score = (np.asarray(cats, dtype=float) if pd.api.types.is_numeric_dtype(cats)
                     else np.arange(1, len(cats) + 1, dtype=float))
            codes = s.cat.codes.to_numpy()
            v = score[np.where(codes < 0, 0, codes)]
            v[codes < 0] = np.nan
            out[c] = v
        elif pd.api.types.is_numeric_dtype(s.dtype):
            out[c] = s.to_numpy(dtype=float, na_value=np.nan)
        else:
            raise TypeError(f"item {c!r} must be numeric or an ordered categorical, got {s.dtype}")
    return pd.DataFrame(out, index=data.index)


def cronbach_alpha(data: pd.DataFrame, items: Sequence[str], *, level: float = 0.95,
                   nan_policy: str = "pairwise") -> ReliabilityResult:
    """Cronbach's alpha of ``items`` with Feldt's confidence interval.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent.
    items : list of str
        At least two numeric (or ordered categorical) item columns.
    level : float, default 0.95
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        ``"pairwise"``: covariances on pairwise-complete answers (as R ``psych::alpha`` and
        pingouin); ``"listwise"``: only respondents who answered every item.

    Returns
    -------
    ReliabilityResult

    Raises
    ------
    ValueError
        Fewer than 2 items or 3 respondents, a bad ``nan_policy`` or ``level``, or a total score
        without variance (every respondent gives the same answers), where alpha is 0 / 0.

    Notes
    -----
    ``α = k/(k-1) · (1 - Σ_j s²_j / Σ_jl s_jl)`` from the item covariance matrix ``S``.
    Feldt's interval: with ``F`` the F distribution on ``(n-1, (n-1)(k-1))`` degrees of freedom,
    ``[1 - (1-α) F_{1-γ/2}, 1 - (1-α) F_{γ/2}]``, ``γ = 1 - level``; ``n`` is the number of
    respondents with at least one answer (pairwise) or complete answers (listwise).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16, 297-334.
    Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987). Statistical inference for coefficient
    alpha. *Applied Psychological Measurement* 11, 93-103.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
    >>> round(cronbach_alpha(df, ["a", "b", "c"]).alpha, 4)
    0.9538
    """
    items = list(items)
    if len(items) < 2:
        raise ValueError(f"Cronbach's alpha needs at least 2 items, got {items}")
    check_choice(nan_policy, "nan_policy", ("pairwise", "listwise"))
    level = check_level(level)
    x = _numeric_items(data, items)
    x = x.dropna(how="any") if nan_policy == "listwise" else x.dropna(how="all")
    n, k = len(x), len(items)
    if n < 3:
        raise ValueError(f"Cronbach's alpha needs at least 3 respondents, got {n}")
    cov = x.cov().to_numpy()
    if not cov.sum() > 0:
        # every respondent has the same total score (e.g. the same answer to every item): alpha is
        # 0 / 0, undefined, and numpy would return NaN with a RuntimeWarning
        raise ValueError(f"Cronbach's alpha is undefined for {items}: the total score has no "
                         f"variance among the {n} respondents (every respondent gives the same "
                         "answers); there is no consistency to measure")
    alpha = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    df1, df2 = n - 1, (n - 1) * (k - 1)
    g = 1 - level
    ci = (float(1 - (1 - alpha) * stats.f.ppf(1 - g / 2, df1, df2)),
          float(1 - (1 - alpha) * stats.f.ppf(g / 2, df1, df2)))
    return ReliabilityResult(float(alpha), ci, level, n, k, nan_policy, tuple(items))


def who5_score(data: pd.DataFrame, items: Sequence[str] = WHO5_ITEMS.slugs, *,
               file: str = "<data>") -> pd.DataFrame:
    """Score the WHO-5 Well-Being Index.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent, five item columns coded 0 ("à aucun moment") to 5 ("tout le
        temps"), numeric or ordered categorical with numeric categories.
    items : list of 5 str, default ``who5_1`` ... ``who5_5``
    file : str
        Name shown in errors.

    Returns
    -------
    pandas.DataFrame
        Same index: ``who5_raw`` (0-25, Int64), ``who5_percent`` (0-100, Int64) and
        ``who5_level`` (ordered categorical of :data:`WHO5_LEVELS` slugs). Any missing item
        gives NA (the index is not prorated).

    Notes
    -----
    Raw score = sum of the five items; percentage = 4 × raw. A percentage ≤ 50 (raw < 13)
    indicates poor well-being and is a reason to screen for depression; ≤ 28 (raw ≤ 7)
    indicates likely depression.

    References
    ----------
    World Health Organization, Regional Office for Europe (1998). *Wellbeing measures in
    primary health care: the DepCare project*. Copenhagen.
    Topp, C. W., Østergaard, S. D., Søndergaard, S. & Bech, P. (2015). The WHO-5 Well-Being
    Index: a systematic review of the literature. *Psychother. Psychosom.* 84, 167-176.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({f"who5_{i}": [5, 2] for i in range(1, 6)})
    >>> who5_score(df)["who5_percent"].tolist()
    [100, 40]
    """
    items = list(items)
    if len(items) != 5:
        raise ValueError(f"the WHO-5 has exactly 5 items, got {len(items)}: {items}")
    x = _numeric_items(data, items)
    problems = []
    for c in items:
        v = x[c]
        bad = v.notna() & ~v.isin([0, 1, 2, 3, 4, 5])
        for idx in v.index[bad][:20]:
            # read_survey indexes rows by their file line: report it as the line, not in the hint
            on_line = data.index.name == "line"
            problems.append(Problem(file, int(idx) if on_line else None, c, plain_scalar(data.at[idx, c]),
                                    "an integer from 0 to 5",
                                    ("" if on_line else f"row {plain_scalar(idx)!r}: ")
                                    + "WHO-5 items are coded 0 (at no time) to 5 (all "
                                    "of the time); recode a 1-6 coding by subtracting 1"))
    if problems:
        raise DataError(problems, "invalid WHO-5 answers")
    raw = x.sum(axis=1, min_count=5).where(x.notna().all(axis=1))
    pct = raw * 4
    level = pd.Series(pd.NA, index=data.index, dtype="object")
    level[pct <= 28] = "depression_probable"
    level[(pct > 28) & (pct <= 50)] = "bien_etre_faible"
    level[pct > 50] = "bien_etre_correct"
    return pd.DataFrame({
        "who5_raw": raw.astype("Int64"),
        "who5_percent": pct.astype("Int64"),
        "who5_level": pd.Categorical(level, dtype=WHO5_LEVELS.dtype()),
    }, index=data.index)
