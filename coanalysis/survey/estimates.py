"""Satisfaction statistics of Likert items: satisfaction rate (top-k box), net satisfaction, mean score.

Each is a design-based mean of a recoded item, so it gets the design's standard error,
interval and domains; every function returns a tidy DataFrame (one row per item, and per group).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import plain_scalar
from ..validation import check_choice, check_level, require_columns
from .design import Design

__all__ = ["STATISTICS", "item_values", "item_statistics", "satisfaction_rate", "likert_shares",
           "net_satisfaction", "mean_score"]

#: The statistics an item can be summarised by.
STATISTICS = ("satisfaction", "net", "mean")


def _ordered_codes(design: Design, column: str) -> tuple[np.ndarray, pd.Index]:
    require_columns(design.data, [column], table="design data")
    s = design.data[column]
    if not (isinstance(s.dtype, pd.CategoricalDtype) and s.cat.ordered):
        raise TypeError(f"{column!r} must be an ordered categorical (a declared Likert scale); "
                        f"got dtype {s.dtype}. Load it with read_survey(scales=...) or use "
                        "LikertScale.categorical()")
    return s.cat.codes.to_numpy(), s.cat.categories


def item_values(design: Design, column: str, statistic: str, *, top: int = 2) -> np.ndarray:
    """The per-respondent values whose weighted mean is the statistic (NaN = missing).

    Parameters
    ----------
    design : Design
    column : str
        An ordered categorical Likert item.
    statistic : {"satisfaction", "net", "mean"}
        ``"satisfaction"``: 1 if the answer is among the ``top`` highest categories, else 0.
        ``"net"``: +1 in the ``top`` highest, -1 in the ``top`` lowest, 0 otherwise.
        ``"mean"``: the category's numeric value (its code when categories are numbers,
        else its rank 1..k).
    top : int, default 2
        Size of the top (and bottom) box.

    Returns
    -------
    numpy.ndarray
    """
    check_choice(statistic, "statistic", STATISTICS)
    codes, cats = _ordered_codes(design, column)
    k = len(cats)
    if not (isinstance(top, (int, np.integer)) and 1 <= top <= k // 2):
        raise ValueError(f"top must be an integer between 1 and {k // 2} for the {k}-point "
                         f"scale of {column!r}, got {plain_scalar(top)!r}")
    missing = codes < 0
    if statistic == "satisfaction":
        vals = (codes >= k - top).astype(float)
    elif statistic == "net":
        vals = (codes >= k - top).astype(float) - (codes < top).astype(float)
    else:
        score = (np.asarray(cats, dtype=float) if pd.api.types.is_numeric_dtype(cats)
                 else np.arange(1, k + 1, dtype=float))
        vals = score[np.where(missing, 0, codes)]
    vals[missing] = np.nan
    return vals


def _one(design: Design, values: np.ndarray, mask, statistic: str, level: float,
         method: str) -> dict:
    kind = "proportion" if statistic == "satisfaction" else "mean"
    e = design.estimate(values, mask, statistic=kind, level=level, method=method, deff=False)
    return {"estimate": e.estimate, "se": e.se, "ci_low": e.ci[0], "ci_high": e.ci[1], "n": e.n,
            "method": e.method}


def item_statistics(design: Design, items: Sequence[str] | str, statistic: str = "satisfaction",
                    *, by: str | None = None, top: int = 2, level: float = 0.95,
                    method: str = "logit", where: dict | None = None) -> pd.DataFrame:
    """A satisfaction statistic for several Likert items, overall or by group.

    Parameters
    ----------
    design : Design
    items : str or list of str
        Ordered categorical columns.
    statistic : {"satisfaction", "net", "mean"}, default "satisfaction"
        See :func:`item_values`.
    by : str, optional
        Grouping column (domains of the whole design).
    top : int, default 2
    level : float, default 0.95
    method : {"logit", "beta", "wald"}, default "logit"
        Interval of the satisfaction rate (a proportion); net and mean use a normal interval.
    where : dict, optional
        ``{column: value}``: restrict to a subpopulation (a domain of the whole design).

    Returns
    -------
    pandas.DataFrame
        Columns ``item``, (``by``), ``statistic``, ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n``,
        ``method`` (the interval built: ``"wald"`` for net and mean; for the satisfaction rate
        ``method``, or ``"clopper-pearson"`` when the rate is exactly 0 or 1).

    Notes
    -----
    The statistic is the weighted mean ``Σ w_i v_i / Σ w_i`` of the recoded values ``v_i``; its
    variance is the design's linearised variance (:meth:`Design.covariance`). Missing answers
    ("ne sait pas", "sans réponse") are left out of each item's base; a group without answers
    gets NaN (estimate, standard error, interval).

    A satisfaction rate of exactly 0 or 1 (nobody, or everybody, satisfied) has standard error
    exactly 0, and its interval is the exact binomial (Clopper-Pearson) interval on the ``n``
    respondents, a deliberate difference from R's ``svyciprop``, which gives NaN there: see
    :func:`~coanalysis.survey.design.proportion_interval`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q": pd.Categorical([1, 2, 3, 4, 4], categories=[1, 2, 3, 4], ordered=True)})
    >>> item_statistics(Design(df), "q")["estimate"].item()
    0.6
    """
    level = check_level(level)
    if isinstance(items, str):
        items = [items]
    rows = []
    within = design.where(where)
    groups = ([(None, within)] if by is None
              else [(g, m if within is None else m & within) for g, m in design.by(by).masks()])
    for item in items:
        values = item_values(design, item, statistic, top=top)
        for g, mask in groups:
            row = {"item": item}
            if by is not None:
                row[by] = g
            row["statistic"] = statistic
            row.update(_one(design, values, mask, statistic, level, method))
            rows.append(row)
    return pd.DataFrame(rows)


def satisfaction_rate(design: Design, items: Sequence[str] | str, **kwargs) -> pd.DataFrame:
    """Share of respondents in the top ``top`` categories (default top-2 box), with intervals.

    Parameters
    ----------
    design : Design
    items : str or list of str
        Ordered categorical Likert items.
    **kwargs
        ``by``, ``top``, ``level``, ``method``, ``where``: see :func:`item_statistics`.

    Returns
    -------
    pandas.DataFrame
        As :func:`item_statistics`, with ``statistic == "satisfaction"``.

    Notes
    -----
    ``p̂ = Σ_i w_i 1{y_i in top box} / Σ_i w_i`` over respondents who answered; interval by
    ``method`` (logit, Korn-Graubard "beta", Wald) as :func:`~coanalysis.survey.design.
    proportion_interval`. Equals R ``svyciprop(~I(item %in% top2), design, method=)``.

    References
    ----------
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.3-2.4.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q": pd.Categorical([1, 2, 3, 4], categories=[1, 2, 3, 4], ordered=True)})
    >>> satisfaction_rate(Design(df), "q")["estimate"].item()
    0.5
    """
    return item_statistics(design, items, "satisfaction", **kwargs)


def net_satisfaction(design: Design, items: Sequence[str] | str, **kwargs) -> pd.DataFrame:
    """Top-box share minus bottom-box share (between -1 and 1), with a normal interval.

    Parameters
    ----------
    design : Design
    items : str or list of str
        Ordered categorical Likert items.
    **kwargs
        ``by``, ``top``, ``level``, ``where``: see :func:`item_statistics`.

    Returns
    -------
    pandas.DataFrame
        As :func:`item_statistics`, with ``statistic == "net"``.

    Notes
    -----
    ``N̂ = Σ_i w_i v_i / Σ_i w_i`` with ``v_i = +1`` in the top ``top`` categories, ``-1`` in
    the bottom ``top``, 0 otherwise: the difference of the two box shares, estimated as one
    mean so its variance includes their covariance. Interval ``N̂ ± z_{1-α/2} · se``.

    References
    ----------
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.3-2.4.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q": pd.Categorical([1, 3, 4, 4], categories=[1, 2, 3, 4], ordered=True)})
    >>> net_satisfaction(Design(df), "q")["estimate"].item()
    0.5
    """
    return item_statistics(design, items, "net", **kwargs)


def mean_score(design: Design, items: Sequence[str] | str, **kwargs) -> pd.DataFrame:
    """Weighted mean score of each item, with a normal interval.

    Parameters
    ----------
    design : Design
    items : str or list of str
        Ordered categorical Likert items (score = the category's value when numeric, else
        its rank 1..k).
    **kwargs
        ``by``, ``level``, ``where``: see :func:`item_statistics`.

    Returns
    -------
    pandas.DataFrame
        As :func:`item_statistics`, with ``statistic == "mean"``.

    Notes
    -----
    ``ȳ = Σ_i w_i s(y_i) / Σ_i w_i`` (Hájek mean of the scores); interval
    ``ȳ ± z_{1-α/2} · se``. Treats the scale as interval-level, which Likert data may not be
    (see :mod:`coanalysis.survey.ordinal` for an ordinal model).

    References
    ----------
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.3-2.4.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q": pd.Categorical([1, 2, 3, 4], categories=[1, 2, 3, 4], ordered=True)})
    >>> mean_score(Design(df), "q")["estimate"].item()
    2.5
    """
    return item_statistics(design, items, "mean", **kwargs)


def likert_shares(design: Design, items: Sequence[str] | str, *, by: str | None = None,
                  level: float = 0.95, method: str = "logit", where: dict | None = None
                  ) -> pd.DataFrame:
    """Weighted share of every answer category of several Likert items, in long format.

    Parameters
    ----------
    design : Design
    items : str or list of str
        Ordered categorical items (missing answers are left out of each item's base).
    by : str, optional
        Grouping column.
    level : float, default 0.95
    method : {"logit", "beta", "wald"}, default "logit"
    where : dict, optional
        ``{column: value}``: restrict to a subpopulation (a domain of the whole design).

    Returns
    -------
    pandas.DataFrame
        Columns ``item``, (``by``), ``category``, ``estimate``, ``se``, ``ci_low``, ``ci_high``,
        ``n``, ``method`` (as :meth:`Design.share`: ``"clopper-pearson"`` for a share of exactly
        0 or 1, whose interval R gives as NaN); categories in scale order. This is what :func:`coanalysis.figures.survey.
        diverging_likert` draws.

    Notes
    -----
    ``p̂_c = Σ_i w_i 1{y_i = c} / Σ_i w_i`` over respondents who answered (per group with
    ``by``), as :meth:`Design.share`; the shares of an item sum to 1 in each group.

    References
    ----------
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §2.3-2.4.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q": pd.Categorical([1, 2, 2, 4], categories=[1, 2, 3, 4], ordered=True)})
    >>> likert_shares(Design(df), "q")["estimate"].tolist()
    [0.25, 0.5, 0.0, 0.25]
    """
    if isinstance(items, str):
        items = [items]
    frames = []
    for item in items:
        _ordered_codes(design, item)
        within = design.where(where)
        if by is None:
            t = design.share(item, level=level, method=method, mask=within)
        else:
            t = pd.concat({g: design.share(item, level=level, method=method,
                                           mask=m if within is None else m & within)
                           for g, m in design.by(by).masks()}, names=[by, item])
        t = t.reset_index().rename(columns={item: "category"})
        t.insert(0, "item", item)
        frames.append(t)
    return pd.concat(frames, ignore_index=True)
