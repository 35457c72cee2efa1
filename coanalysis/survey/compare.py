"""Comparisons between domains of one design: the users-versus-agents gap and the change between waves.

A gap is the difference of two domain estimates; its standard error is linearised on the
whole design (so strata and PSUs shared by both groups are accounted for), as R's
``svyby(..., covmat = TRUE)`` followed by ``svycontrast``.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import plain_scalar
from ..validation import check_level, require_columns
from .design import Design
from .estimates import item_values

__all__ = ["group_gap", "users_agents_gap", "wave_change"]


def group_gap(design: Design, items: Sequence[str] | str, by: str, *, first: Any, second: Any,
              statistic: str = "satisfaction", top: int = 2, level: float = 0.95,
              df: float | None = None, where: dict[str, Any] | None = None) -> pd.DataFrame:
    """Difference ``first - second`` of an item statistic between two groups, with test.

    Parameters
    ----------
    design : Design
    items : str or list of str
        Ordered categorical Likert items (or numeric columns with ``statistic="mean"``).
    by : str
        Column holding the groups (``by=`` as everywhere in the package: one estimate per value
        of this column).
    first, second : scalar
        The two values of ``by`` compared.
    statistic : {"satisfaction", "net", "mean"}, default "satisfaction"
        See :func:`coanalysis.survey.estimates.item_values`.
    top : int, default 2
    level : float, default 0.95
    df : float, optional
        Degrees of freedom of the t quantile and test; default, as R's ``svyttest``, the
        degrees of freedom of the respondents compared minus one (see Notes).
    where : dict, optional
        ``{column: value}`` restricting both groups to a subpopulation (e.g. users only when
        comparing waves); still a domain of the whole design.

    Returns
    -------
    pandas.DataFrame
        One row per item: ``item``, ``first``, ``second`` (the two estimates), ``gap``, ``se``,
        ``ci_low``, ``ci_high``, ``t``, ``p_value``, ``n_first``, ``n_second``, ``df``.

    Notes
    -----
    With influence values ``z^(1)``, ``z^(2)`` of the two domain means, the gap has influence
    ``z^(1) - z^(2)`` and variance ``Var(z^(1) - z^(2))`` from the design; ``t = gap / se``
    with a two-sided p-value and interval ``gap ± t_{df} · se``. The default ``df`` is R's
    ``svyttest(y ~ by, subset(design, by %in% c(first, second) & where))``: the slope of a
    design-based regression on the group, with the regression's residual degrees of freedom
    ``degf - 1``, where ``degf`` counts PSUs minus strata among the respondents compared who
    have a value of the item (R drops the others), so ``df`` can differ from item to item.

    A gap with standard error exactly 0 (both groups unanimous) has no t test: ``t`` and
    ``p_value`` are NaN. This differs from R on purpose: ``svyttest`` divides by its rounding
    residue there (two unanimous groups, 1 against 0, gave t = -1.6e16, p = 5e-96; two equal
    unanimous groups t = 2.6, p = 0.038).

    References
    ----------
    Lumley, T. (2010). *Complex Surveys*, Wiley, §2.4 (domains) and §5.2 (contrasts).
    """
    level = check_level(level)
    if isinstance(items, str):
        items = [items]
    require_columns(design.data, {"by": by}, table="design data")
    within = design.where(where)
    masks = {}
    for name, value in (("first", first), ("second", second)):
        m = (design.data[by] == value).to_numpy(dtype=bool, na_value=False)
        if not m.any():
            raise ValueError(f"{name}={plain_scalar(value)!r} does not occur: "
                             f"{design.value_hint(by, value)}")
        if within is not None:
            m = m & within
            if not m.any():
                raise ValueError(f"{name}={plain_scalar(value)!r} has no respondent within "
                                 f"where={plain_scalar(where)!r}")
        masks[name] = m
    compared = masks["first"] | masks["second"]
    rows = []
    for item in items:
        s = design.data[item] if item in design.data.columns else None
        if statistic == "mean" and s is not None and not isinstance(s.dtype, pd.CategoricalDtype):
            values = design.values(item)
        else:
            values = item_values(design, item, statistic, top=top)
        e1, z1, n1 = design.mean_influence(values, masks["first"])
        e2, z2, n2 = design.mean_influence(values, masks["second"])
        d = (design.degrees_of_freedom(compared & ~np.isnan(values)) - 1 if df is None
             else float(df))
        gap = float(e1[0] - e2[0])
        se = float(np.sqrt(design.covariance(z1 - z2)[0, 0]))
        q = stats.t.ppf(1 - (1 - level) / 2, d) if np.isfinite(d) else stats.norm.ppf(1 - (1 - level) / 2)
        t = gap / se if se > 0 else np.nan
        p = float(2 * stats.t.sf(abs(t), d)) if np.isfinite(t) else np.nan
        rows.append({"item": item, "first": float(e1[0]), "second": float(e2[0]), "gap": gap,
                     "se": se, "ci_low": gap - q * se, "ci_high": gap + q * se, "t": t,
                     "p_value": p, "n_first": n1, "n_second": n2, "df": d})
    out = pd.DataFrame(rows)
    dfs = sorted(set(out["df"]))
    out.attrs.update({"by": by, "first": first, "second": second, "statistic": statistic,
                      "level": level, "df": dfs[0] if len(dfs) == 1 else dfs,
                      "where": dict(where or {})})
    return out


def users_agents_gap(design: Design, items: Sequence[str] | str, *, by: str = "population",
                     users: Any = "usagers", agents: Any = "agents", **kwargs) -> pd.DataFrame:
    """Users' minus agents' statistic for each item (how far the administration's view of a
    service is from its users').

    Parameters
    ----------
    design : Design
    items : str or list of str
        Ordered categorical Likert items.
    by : str, default "population"
        Column telling users from agents.
    users, agents : scalar, default "usagers", "agents"
        Values of ``by`` for each population.
    **kwargs
        ``statistic``, ``top``, ``level``, ``df``, ``where``: see :func:`group_gap`.

    Returns
    -------
    pandas.DataFrame
        As :func:`group_gap` with ``first``/``second`` renamed ``users``/``agents`` and
        ``n_users``, ``n_agents``; ``gap`` = users - agents (negative: agents rate the
        service higher than its users).

    Notes
    -----
    ``gap = θ̂_users - θ̂_agents``, influence ``z^(u) - z^(a)``, ``se = √Var(z^(u) - z^(a))``
    on the whole design; ``t = gap / se`` on R ``svyttest``'s degrees of freedom (:func:`group_gap`).

    References
    ----------
    Lumley, T. (2010). *Complex Surveys*, Wiley, §2.4 and §5.2.

    Examples
    --------
    >>> import pandas as pd
    >>> from coanalysis.survey import Design
    >>> cat = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    >>> df = pd.DataFrame({"population": ["usagers"] * 4 + ["agents"] * 4,
    ...                    "q": pd.Series([1, 2, 3, 4, 3, 4, 4, 4]).astype(cat)})
    >>> users_agents_gap(Design(df), "q")["gap"].item()
    -0.5
    """
    out = group_gap(design, items, by, first=users, second=agents, **kwargs)
    return out.rename(columns={"first": "users", "second": "agents", "n_first": "n_users",
                               "n_second": "n_agents"})


def wave_change(design: Design, items: Sequence[str] | str, *, wave: str = "vague", before: Any,
                after: Any, **kwargs) -> pd.DataFrame:
    """Change ``after - before`` of each item's statistic between two waves stacked in one design.

    Parameters
    ----------
    design : Design
        Both waves in one design; independent samples must have their own strata (so the
        covariance of the two waves is zero).
    items : str or list of str
    wave : str, default "vague"
        Column holding the wave.
    before, after : scalar
        The two waves compared.
    **kwargs
        ``statistic``, ``top``, ``level``, ``df``, ``where`` (e.g. users only): see
        :func:`group_gap`.

    Returns
    -------
    pandas.DataFrame
        As :func:`group_gap` with columns ``after``, ``before``, ``change``, ``n_after``,
        ``n_before``.

    Notes
    -----
    ``change = θ̂_after - θ̂_before``, ``se = √Var(z^(after) - z^(before))``; with disjoint
    strata this is ``√(se_after² + se_before²)``.

    References
    ----------
    Lumley, T. (2010). *Complex Surveys*, Wiley, §2.4 and §5.2.

    Examples
    --------
    >>> import pandas as pd
    >>> from coanalysis.survey import Design
    >>> cat = pd.CategoricalDtype([1, 2, 3, 4], ordered=True)
    >>> df = pd.DataFrame({"vague": ["2023"] * 4 + ["2025"] * 4,
    ...                    "q": pd.Series([1, 2, 3, 4, 2, 3, 4, 4]).astype(cat)})
    >>> wave_change(Design(df, strata="vague"), "q", before="2023", after="2025")["change"].item()
    0.25
    """
    out = group_gap(design, items, by=wave, first=after, second=before, **kwargs)
    return out.rename(columns={"first": "after", "second": "before", "gap": "change",
                               "n_first": "n_after", "n_second": "n_before"})

