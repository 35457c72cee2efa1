"""Inter-coder agreement: Krippendorff's alpha and exact agreement between independent codings.

Codings are tidy DataFrames (one row per coded unit); the case base keeps two
independent codings of conditions and outcomes, compared by :func:`coder_agreement`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal, Sequence

import krippendorff
import numpy as np
import pandas as pd

from .errors import DataError, Problem, is_missing
from .results import Result
from .validation import check_choice, check_int, check_level, require_columns

__all__ = ["krippendorff_alpha", "alpha_interval", "exact_agreement", "reliability_matrix",
           "coder_agreement", "participation_agreement", "evidence_words", "shared_run",
           "evidence_similarity", "evidence_overlap"]

#: Krippendorff's levels of measurement (the ``krippendorff`` package's ``level_of_measurement``).
Measurement = Literal["nominal", "ordinal", "interval", "ratio"]
_MEASUREMENTS = ("nominal", "ordinal", "interval", "ratio")
_UNIT_CANDIDATES = ("case_id", "condition", "outcome", "actor", "stage")


def _default_units(coding: pd.DataFrame) -> list[str]:
    return [c for c in _UNIT_CANDIDATES if c in coding.columns]


def reliability_matrix(*codings: pd.DataFrame, units: Sequence[str] | None = None,
                       value: str = "score") -> pd.DataFrame:
    """Coders × units matrix of the values of several tidy codings (NaN where not coded).

    Parameters
    ----------
    *codings : DataFrame
        Two or more codings, each with the unit columns and the value column,
        at most one row per unit.
    units : sequence of str, optional
        Columns identifying a unit; by default those of ``case_id``,
        ``condition``, ``outcome``, ``actor``, ``stage`` present in the first coding.
    value : str
        Column holding the coded value (numeric, NA allowed).

    Returns
    -------
    DataFrame
        One row per coding (index 0, 1, ...), one column per unit (the union of
        the units of all codings, sorted), float values with NaN for NA.

    Notes
    -----
    This is the "reliability data matrix" of Krippendorff (2011): coders in
    rows, units in columns, a blank (NaN) where a coder gave no value.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    Annenberg School for Communication Departmental Papers 43.

    Examples
    --------
    >>> a = pd.DataFrame({"case_id": ["x", "y"], "score": [1, 0.33]})
    >>> b = pd.DataFrame({"case_id": ["y", "z"], "score": [0.67, None]})
    >>> reliability_matrix(a, b).values.tolist()
    [[1.0, 0.33, nan], [nan, 0.67, nan]]
    """
    if len(codings) < 2:
        raise ValueError(f"need at least two codings, got {len(codings)}")
    units = list(units) if units is not None else _default_units(codings[0])
    if not units:
        raise ValueError("units: no unit column given and none of "
                         f"{_UNIT_CANDIDATES} found in the coding")
    series = []
    for k, coding in enumerate(codings):
        require_columns(coding, [*units, value], table=f"coding {k}", file=f"coding {k}")
        dup = coding.duplicated(subset=units, keep="first")
        if dup.any():
            problems = [Problem(f"coding {k}", None, ",".join(units),
                                tuple(row) if len(units) > 1 else row[0],
                                "one value per unit", "remove the duplicated unit")
                        for row in coding.loc[dup, units].astype(object).itertuples(index=False)]
            raise DataError(problems, summary=f"coding {k} has duplicated units")
        values = pd.to_numeric(coding[value], errors="raise").astype("Float64")
        index = pd.MultiIndex.from_frame(coding[units].astype(str)) if len(units) > 1 \
            else pd.Index(coding[units[0]].astype(str), name=units[0])
        series.append(pd.Series(values.to_numpy(dtype=float, na_value=np.nan), index=index))
    matrix = pd.concat(series, axis=1).T.reset_index(drop=True)
    return matrix.reindex(columns=sorted(matrix.columns))


def krippendorff_alpha(*codings: pd.DataFrame, units: Sequence[str] | None = None,
                       value: str = "score", measurement: Measurement = "interval") -> float:
    """Krippendorff's alpha of two (or more) tidy codings of the same units.

    Parameters
    ----------
    *codings : DataFrame
        The codings (two in the case base: ``coding_a, coding_b``), each a tidy
        frame with the unit columns and ``value``; a unit coded NA or absent from
        a coding counts as missing for that coder.
    units : sequence of str, optional
        Unit columns (default: those of ``case_id``, ``condition``, ``outcome``,
        ``actor``, ``stage`` present).
    value : str
        Column of the coded values (fuzzy scores or participation levels).
    measurement : {"interval", "ordinal", "nominal", "ratio"}
        Level of measurement: ``"interval"`` for fuzzy scores, ``"ordinal"`` for
        participation levels (as the codebook says).

    Returns
    -------
    float
        Alpha; NaN when it is undefined (fewer than two pairable values, or a
        single value observed so that no disagreement is possible).

    Notes
    -----
    .. math:: \\alpha = 1 - \\frac{D_o}{D_e}
              = 1 - (n - 1)\\frac{\\sum_{c,k} o_{ck}\\, \\delta^2_{ck}}
                                  {\\sum_{c,k} n_c n_k\\, \\delta^2_{ck}}

    where :math:`o_{ck}` is the coincidence matrix built from the units coded by
    at least two coders, :math:`n_c` its margins, :math:`n` the number of
    pairable values and :math:`\\delta^2` the difference function of the level of measurement:

    - nominal: :math:`\\delta^2_{ck} = 0` if :math:`c = k`, else 1;
    - interval: :math:`\\delta^2_{ck} = (c - k)^2`;
    - ratio: :math:`\\delta^2_{ck} = ((c - k) / (c + k))^2`;
    - ordinal, with the values :math:`c < \\dots < k` ranked and :math:`n_g` the
      margin of value :math:`g`:

      .. math:: \\delta^2_{ck} = \\Big(\\sum_{g=c}^{k} n_g - \\frac{n_c + n_k}{2}\\Big)^2

      a distance built from the frequencies of the values between *c* and *k*
      (Krippendorff 2011, eq. for "ordinal metric"), not from their ranks alone.

    Units coded by a single coder carry no information and are ignored.
    Computed by the ``krippendorff`` package (Castro), whose results this
    project checks against the worked examples of Krippendorff (2011).

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    Annenberg School for Communication Departmental Papers 43, University of
    Pennsylvania. https://repository.upenn.edu/asc_papers/43

    Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard
    reliability measure for coding data. *Communication Methods and Measures*
    1(1), 77-89.

    Examples
    --------
    >>> a = pd.DataFrame({"case_id": list("abcd"), "score": [0, 0.33, 0.67, 1]})
    >>> b = pd.DataFrame({"case_id": list("abcd"), "score": [0, 0.33, 0.67, 1]})
    >>> float(krippendorff_alpha(a, b))
    1.0
    """
    check_choice(measurement, "measurement", _MEASUREMENTS)
    matrix = reliability_matrix(*codings, units=units, value=value).to_numpy(dtype=float)
    pairable = np.sum(~np.isnan(matrix), axis=0) >= 2
    data = matrix[:, pairable]
    if data.size == 0 or np.unique(data[~np.isnan(data)]).size < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=measurement))


def _pairable_data(*codings: pd.DataFrame, units: Sequence[str] | None,
                   value: str) -> np.ndarray:
    """Coders × pairable units (coded by at least two coders) as a float array."""
    matrix = reliability_matrix(*codings, units=units, value=value).to_numpy(dtype=float)
    return matrix[:, np.sum(~np.isnan(matrix), axis=0) >= 2]


def _bootstrap_alphas(data: np.ndarray, resamples: np.ndarray,
                      measurement: Measurement) -> np.ndarray:
    """Alpha of each resample of the units (columns) of ``data``, vectorised.

    ``data`` is coders × pairable units; ``resamples`` is (B, N) integer indices of
    columns, one row per replicate. Each unit's coincidences are computed once; a
    replicate's coincidence matrix is the sum of those of its drawn units (with
    multiplicity), from which alpha is computed as by :func:`krippendorff.alpha`:
    :math:`1 - (n - 1) \\sum o_{ck}\\delta^2_{ck} / \\sum n_c n_k \\delta^2_{ck}`, the
    ordinal metric being recomputed from each replicate's margins. NaN where the
    replicate has no expected disagreement (a single value drawn).
    """
    resamples = np.atleast_2d(np.asarray(resamples, dtype=np.intp))
    domain = np.unique(data[~np.isnan(data)])
    n_units, n_values = data.shape[1], domain.size
    if n_units == 0 or n_values == 0:
        return np.full(resamples.shape[0], np.nan)
    # value counts per unit (N, V) and per-unit coincidences (N, V*V)
    counts = np.stack([np.sum(data == v, axis=0) for v in domain], axis=1).astype(float)
    m_u = counts.sum(axis=1)
    per_unit = (counts[:, :, None] * counts[:, None, :]
                - counts[:, :, None] * np.eye(n_values)[None]) / (m_u - 1)[:, None, None]
    # how many times each unit is drawn in each replicate (B, N)
    n_boot = resamples.shape[0]
    offsets = (np.arange(n_boot, dtype=np.intp) * n_units)[:, None]
    weights = np.bincount((resamples + offsets).ravel(),
                          minlength=n_boot * n_units).reshape(n_boot, n_units).astype(float)
    o = (weights @ per_unit.reshape(n_units, -1)).reshape(n_boot, n_values, n_values)
    n_c = o.sum(axis=2)                                   # (B, V) margins
    n = n_c.sum(axis=1)                                   # (B,) pairable values
    if measurement == "ordinal":
        cum = np.cumsum(n_c, axis=1)
        idx = np.arange(n_values)
        lo, hi = np.minimum.outer(idx, idx), np.maximum.outer(idx, idx)
        between = cum[:, hi] - cum[:, lo] + n_c[:, lo]     # sum_{g=lo..hi} n_g
        delta = (between - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
    else:
        c, k = domain[:, None], domain[None, :]
        if measurement == "interval":
            d = (c - k) ** 2
        elif measurement == "ratio":
            total = c + k
            d = np.divide(c - k, total, out=np.zeros_like(total), where=total != 0) ** 2
        else:
            d = (c != k).astype(float)
        delta = np.broadcast_to(d, (n_boot, n_values, n_values))
    observed = np.sum(o * delta, axis=(1, 2))
    expected = np.sum(n_c[:, :, None] * n_c[:, None, :] * delta, axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        alphas = 1 - (n - 1) * observed / expected
    return np.where(expected > 0, alphas, np.nan)


def alpha_interval(*codings: pd.DataFrame, units: Sequence[str] | None = None,
                   value: str = "score", measurement: Measurement = "interval", level: float = 0.95,
                   n_boot: int = 1000, seed: int = 20261126) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of Krippendorff's alpha, resampling units.

    Parameters
    ----------
    *codings : DataFrame
        The codings, as for :func:`krippendorff_alpha`.
    units : sequence of str, optional
        Unit columns (default as in :func:`reliability_matrix`).
    value : str
        Column of the coded values.
    measurement : {"interval", "ordinal", "nominal", "ratio"}
        Level of measurement, as for :func:`krippendorff_alpha`.
    level : float, default 0.95
        Confidence level (coverage) of the interval, strictly between 0 and 1.
    n_boot : int, default 1000
        Number of bootstrap replicates.
    seed : int, default 20261126
        Seed of the :class:`numpy.random.Generator`; the same seed gives the same
        interval (the function is deterministic).

    Returns
    -------
    tuple of float
        ``(low, high)``; ``(nan, nan)`` when alpha itself is undefined, when fewer
        than two units are pairable, or when no replicate has a defined alpha.

    Notes
    -----
    Let the :math:`N` pairable units be the columns of the reliability matrix coded
    by at least two coders (the only ones alpha uses). Each replicate
    :math:`b = 1, \\dots, B` draws :math:`N` of them with replacement and computes

    .. math:: \\alpha^*_b = 1 - (n^*_b - 1)\\frac{\\sum_{c,k} o^*_{ck}\\, \\delta^2_{ck}}
                                              {\\sum_{c,k} n^*_c n^*_k\\, \\delta^2_{ck}}

    from the coincidences :math:`o^*` of the drawn units (a unit drawn twice counts
    twice), exactly the estimator of :func:`krippendorff_alpha` (both the observed
    and the expected disagreement are recomputed; for the ordinal measurement the metric
    :math:`\\delta^2` is recomputed from the replicate's margins :math:`n^*_c`). The
    interval is the :math:`(1 - \\text{level})/2` and
    :math:`(1 + \\text{level})/2` quantiles of the :math:`\\alpha^*_b`
    (percentile method, Efron & Tibshirani 1993, ch. 13). Replicates whose alpha is
    undefined (every drawn value the same, so no expected disagreement) are
    skipped: the quantiles are taken over the defined replicates only, which can
    leave the interval slightly optimistic when such replicates are frequent (very
    few units or values).

    Hayes & Krippendorff (2007) bootstrap the *coincidences*: they resample
    pairable values (pairs of judgements), holding the expected disagreement fixed.
    This is the simpler and more conventional *unit* bootstrap: the units are what
    was sampled (cases, or case × variable cells), a unit's judgements are resampled
    together so that their dependence is kept, and each replicate is an ordinary
    alpha on a resampled reliability matrix, which can be checked against
    ``krippendorff.alpha`` (the tests do). Caveat: case × variable units of the
    same case are treated as independent, so where cases differ the interval can be
    too narrow; a bootstrap over cases would be wider.

    Computation: each unit's coincidence matrix is computed once, and all
    replicates are one matrix product (replicate × unit draw counts) × (unit ×
    coincidences). 1000 replicates on 500 units take about 10 ms in all, matrix
    building included (two coders; interval with four values or ordinal with six
    alike), measured on the development machine.

    References
    ----------
    Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard
    reliability measure for coding data. *Communication Methods and Measures*
    1(1), 77-89.

    Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    Annenberg School for Communication Departmental Papers 43.

    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
    Chapman & Hall.

    Examples
    --------
    >>> a = pd.DataFrame({"case_id": list("abcdefgh"), "score": [0, 0.33, 0.67, 1, 0, 0.33, 0.67, 1]})
    >>> b = pd.DataFrame({"case_id": list("abcdefgh"), "score": [0, 0.33, 0.67, 1, 0.33, 0.33, 0.67, 0.67]})
    >>> low, high = alpha_interval(a, b)
    >>> bool(low <= krippendorff_alpha(a, b) <= high <= 1)
    True
    """
    check_choice(measurement, "measurement", _MEASUREMENTS)
    level = check_level(level)
    n_boot = check_int(n_boot, "n_boot", min_val=1)
    data = _pairable_data(*codings, units=units, value=value)
    n_units = data.shape[1]
    if n_units < 2 or np.unique(data[~np.isnan(data)]).size < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    resamples = rng.integers(0, n_units, size=(int(n_boot), n_units))
    alphas = _bootstrap_alphas(data, resamples, measurement)
    alphas = alphas[~np.isnan(alphas)]
    if alphas.size == 0:
        return float("nan"), float("nan")
    tail = (1 - level) / 2
    low, high = np.quantile(alphas, [tail, 1 - tail])
    return float(low), float(high)


def exact_agreement(*codings: pd.DataFrame, units: Sequence[str] | None = None,
                    value: str = "score") -> pd.Series:
    """Counts and share of units on which all codings give the same value.

    Parameters
    ----------
    *codings : DataFrame
        Two or more tidy codings, each with the unit columns and ``value``, at
        most one row per unit; a unit absent from a coding is NA for that coder.
    units : sequence of str, optional
        Unit columns (default: those of ``case_id``, ``condition``, ``outcome``,
        ``actor``, ``stage`` present in the first coding).
    value : str, default "score"
        Column of the coded values (numeric, NA allowed).

    Returns
    -------
    Series
        ``n_units`` (units in any coding), ``n_pairable`` (units coded non-NA by
        every coder), ``n_na_all`` (NA for every coder), ``n_na_some`` (NA for
        some coders only: a disagreement on whether there is evidence),
        ``n_exact`` (pairable units with identical values) and ``exact`` =
        ``n_exact / n_pairable`` (NaN when nothing is pairable).

    Notes
    -----
    With :math:`U_p` the units coded (non-NA) by every coder and :math:`x_{ru}`
    the value of coder *r* for unit *u*:

    .. math:: \\text{exact} = \\frac{\\#\\{u \\in U_p : \\max_r x_{ru} - \\min_r x_{ru} \\le 10^{-9}\\}}{|U_p|}

    the percent agreement of the content-analysis literature, here for any
    number of coders (all must agree). It ignores agreement by chance, which
    is what Krippendorff's alpha corrects; NA is never a value, so units coded
    by some coders only are counted apart (``n_na_some``). The tolerance
    makes 0.33 written ``0.330`` agree with ``0.33``.

    References
    ----------
    Krippendorff, K. (2004). *Content Analysis: An Introduction to Its
    Methodology*, 2nd ed., Sage, §11.3 (percent agreement and why it is not
    enough).

    Examples
    --------
    >>> a = pd.DataFrame({"case_id": list("abcd"), "score": [0, 0.33, 0.67, None]})
    >>> b = pd.DataFrame({"case_id": list("abcd"), "score": [0, 0.67, 0.67, 1]})
    >>> exact_agreement(a, b)[["n_pairable", "n_exact", "n_na_some", "exact"]].tolist()
    [3, 2, 1, 0.6666666666666666]
    """
    matrix = reliability_matrix(*codings, units=units, value=value).to_numpy(dtype=float)
    coded = ~np.isnan(matrix)
    all_coded = coded.all(axis=0)
    none_coded = ~coded.any(axis=0)
    spread = np.where(all_coded, np.nanmax(np.where(coded, matrix, -np.inf), axis=0)
                      - np.nanmin(np.where(coded, matrix, np.inf), axis=0), np.nan)
    n_pairable = int(all_coded.sum())
    n_exact = int(np.sum(all_coded & (np.abs(spread) <= 1e-9)))
    return pd.Series({
        "n_units": matrix.shape[1],
        "n_pairable": n_pairable,
        "n_na_all": int(none_coded.sum()),
        "n_na_some": int((~all_coded & ~none_coded).sum()),
        "n_exact": n_exact,
        "exact": n_exact / n_pairable if n_pairable else float("nan"),
    }, dtype=object)


def coder_agreement(casebase, *, measurement: Measurement = "interval") -> pd.DataFrame:
    """Agreement of the independent codings of the case base, per variable and overall.

    Parameters
    ----------
    casebase : CaseBase
        A loaded case base whose ``codings`` hold ``<coder>_conditions`` and
        ``<coder>_outcomes`` for two or more coders (``coder_a``, ``coder_b``).
    measurement : {"interval", "ordinal", "nominal", "ratio"}
        Level of measurement for alpha (interval for fuzzy scores).

    Returns
    -------
    DataFrame
        One row per variable (each condition, then each outcome), then one row
        ``"(all)"`` per table and one for everything, with columns ``table``,
        ``variable``, ``n_units``, ``n_pairable``, ``n_na_all``, ``n_na_some``,
        ``n_exact``, ``exact`` (share of pairable units with the same score),
        ``alpha`` (Krippendorff's alpha at ``measurement``; per variable, the units are
        the cases; for a table or overall, the units are case × variable) and
        ``alpha_low``, ``alpha_high`` (95 % percentile bootstrap interval of alpha
        over units, :func:`alpha_interval` with its default seed and 1000
        replicates), on the ``"(all)"`` rows only, ``<NA>`` per variable.

    Notes
    -----
    ``exact`` is the share of pairable units (coded by both coders) with the
    same score, :math:`n_{\\text{exact}} / n_{\\text{pairable}}` (see
    :func:`exact_agreement`); ``alpha`` is :math:`1 - D_o / D_e` (see
    :func:`krippendorff_alpha`). Alpha per variable rests on few cases and is
    often undefined (NaN) when the coders used a single score; read it with
    ``n_pairable``. The interval is not computed per variable: with a few dozen
    cases (and often only two or three score values) a bootstrap interval would
    rest on too few units to be meaningful (many replicates undefined), and it
    would cost a bootstrap per variable; it is computed for each table and overall.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.

    Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard
    reliability measure for coding data. *Communication Methods and Measures* 1(1), 77-89.

    Examples
    --------
    >>> from coanalysis.loaders import load_casebase
    >>> table = coder_agreement(load_casebase())
    >>> table.iloc[-1][["table", "variable"]].tolist(), bool(table["alpha"].iloc[-1] <= 1)
    (['(all)', '(all)'], True)
    """
    codings = getattr(casebase, "codings", None)
    if not isinstance(codings, dict):
        raise TypeError("casebase must be a CaseBase (with a .codings dict)")
    rows = []
    all_codings: dict[str, list[pd.DataFrame]] = {}
    for table, item in (("conditions", "condition"), ("outcomes", "outcome")):
        names = sorted(n for n in codings if n.endswith("_" + table))
        if len(names) < 2:
            raise ValueError(f"need two codings of the {table}, found {names}")
        frames = [codings[n][["case_id", item, "score"]]
                  .rename(columns={item: "variable"}) for n in names]
        variables = frames[0]["variable"]
        order = (list(variables.cat.categories) if isinstance(variables.dtype, pd.CategoricalDtype)
                 else sorted(variables.unique()))
        for var in order:
            parts = [f[f["variable"] == var] for f in frames]
            rows.append(_agreement_row(table, var, parts, ["case_id"], measurement))
        rows.append(_agreement_row(table, "(all)", frames, ["case_id", "variable"], measurement))
        for k, f in enumerate(frames):
            f = f.assign(variable=f["variable"].astype(str).radd(table + ":"))
            all_codings.setdefault(k, []).append(f)
    overall = [pd.concat(v, ignore_index=True) for v in all_codings.values()]
    rows.append(_agreement_row("(all)", "(all)", overall, ["case_id", "variable"], measurement))
    out = pd.DataFrame(rows)
    for col in ("n_units", "n_pairable", "n_na_all", "n_na_some", "n_exact"):
        out[col] = out[col].astype("Int64")
    for col in ("exact", "alpha", "alpha_low", "alpha_high"):
        out[col] = out[col].astype("Float64")
    out.loc[out["variable"] != "(all)", ["alpha_low", "alpha_high"]] = pd.NA
    return out


def participation_agreement(casebase, *, measurement: Measurement = "ordinal") -> pd.DataFrame:
    """Agreement of the two independent codings of participation levels.

    Parameters
    ----------
    casebase : CaseBase
        A loaded case base whose ``codings`` hold ``coder_a_participation`` and
        ``coder_b_participation`` (the same case × actor × stage units).
    measurement : {"ordinal", "interval", "nominal", "ratio"}
        Level of measurement for alpha; the codebook asks for ordinal (IAP2 levels 0-5).

    Returns
    -------
    DataFrame
        One row per actor, then one per stage (units: the case × stage, or case × actor,
        cells of that actor or stage), then ``"(all)"`` (units: case × actor × stage),
        with ``table`` = ``"participation"``, ``by`` (``"actor"``, ``"stage"`` or
        ``"(all)"``), ``variable`` (the actor or stage slug), the counts of
        :func:`exact_agreement`, ``within_one`` (share of pairable units whose levels
        differ by at most one step), ``alpha`` and ``alpha_low``, ``alpha_high`` (95 %
        percentile bootstrap interval of alpha over units, :func:`alpha_interval`) on the
        ``"(all)"`` row only, ``<NA>`` on the actor and stage rows.

    Notes
    -----
    Actors and stages are two views of the same units, so their rows overlap; only
    ``"(all)"`` summarises the table. ``within_one`` is reported because adjacent IAP2
    levels (consult / involve, involve / collaborate) are where coders of documents most
    often part; ordinal alpha already weighs a one-step disagreement less than a larger one.
    The bootstrap interval is left out of the actor and stage rows: too few units for a
    meaningful interval, and a bootstrap per row for overlapping views of the same units.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard reliability
    measure for coding data. *Communication Methods and Measures* 1(1), 77-89.
    International Association for Public Participation (2018). *IAP2 Spectrum of Public
    Participation*.

    Examples
    --------
    >>> from coanalysis.loaders import load_casebase
    >>> table = participation_agreement(load_casebase())
    >>> alpha = table.set_index("variable").loc["(all)", "alpha"]
    >>> bool(0 < alpha <= 1)
    True
    """
    codings = getattr(casebase, "codings", None)
    if not isinstance(codings, dict):
        raise TypeError("casebase must be a CaseBase (with a .codings dict)")
    names = sorted(n for n in codings if n.startswith("coder_") and n.endswith("_participation"))
    if len(names) < 2:
        raise ValueError(f"need two codings of the participation levels, found {names}")
    units = ["case_id", "actor", "stage"]
    frames = [codings[n][[*units, "level"]] for n in names]
    rows = []
    for by, other in (("actor", "stage"), ("stage", "actor")):
        column = frames[0][by]
        order = (list(column.cat.categories) if isinstance(column.dtype, pd.CategoricalDtype)
                 else sorted(column.unique()))
        for slug in order:
            parts = [f[f[by] == slug] for f in frames]
            if all(len(p) == 0 for p in parts):
                continue
            rows.append({"by": by, **_agreement_row("participation", slug, parts,
                                                    ["case_id", other], measurement, value="level")})
    rows.append({"by": "(all)", **_agreement_row("participation", "(all)", frames, units, measurement,
                                                 value="level")})
    out = pd.DataFrame(rows)[["table", "by", "variable", "n_units", "n_pairable", "n_na_all",
                              "n_na_some", "n_exact", "exact", "within_one", "alpha",
                              "alpha_low", "alpha_high"]]
    for col in ("n_units", "n_pairable", "n_na_all", "n_na_some", "n_exact"):
        out[col] = out[col].astype("Int64")
    for col in ("exact", "within_one", "alpha", "alpha_low", "alpha_high"):
        out[col] = out[col].astype("Float64")
    out.loc[out["by"] != "(all)", ["alpha_low", "alpha_high"]] = pd.NA
    return out


def _within_one(frames: list[pd.DataFrame], units: list[str], value: str) -> float:
    matrix = reliability_matrix(*frames, units=units, value=value).to_numpy(dtype=float)
    both = ~np.isnan(matrix).any(axis=0)
    if not both.any():
        return float("nan")
    spread = matrix[:, both].max(axis=0) - matrix[:, both].min(axis=0)
    return float(np.mean(spread <= 1 + 1e-9))


def _agreement_row(table: str, variable: str, frames: list[pd.DataFrame], units: list[str],
                   measurement: Measurement, value: str = "score") -> dict:
    counts = exact_agreement(*frames, units=units, value=value)
    low, high = (alpha_interval(*frames, units=units, value=value, measurement=measurement)
                 if variable == "(all)" else (float("nan"), float("nan")))
    row = {
        "table": table,
        "variable": variable,
        **counts.to_dict(),
        "alpha": krippendorff_alpha(*frames, units=units, value=value, measurement=measurement),
        "alpha_low": low,
        "alpha_high": high,
    }
    if value == "level":
        row["within_one"] = _within_one(frames, units, value)
    return row


# --------------------------------------------------------------------------------------
# Blindness: did the two coders write their evidence independently?
# --------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def evidence_words(text: str) -> list[str]:
    """The words of an evidence text, as the blindness check compares them.

    Unicode NFKC normalisation, case folding, then the maximal runs of word characters
    (``\\w+``: letters, digits, ``_``): punctuation, spaces and case never separate two texts,
    and an apostrophe or a hyphen splits words (``l'agent`` -> ``l``, ``agent``).

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str
        The normalised words, in order.

    Examples
    --------
    >>> evidence_words("Co-design « ateliers », l'Agent\u00a0: 2 ans.")
    ['co', 'design', 'ateliers', 'l', 'agent', '2', 'ans']
    """
    return _WORD.findall(unicodedata.normalize("NFKC", str(text)).casefold())


def shared_run(a: str, b: str) -> int:
    """Length in words of the longest run of consecutive words two texts share.

    Computed on :func:`evidence_words` with :meth:`difflib.SequenceMatcher.find_longest_match`
    (junk heuristic off, so the match is the longest common contiguous word sequence).

    Parameters
    ----------
    a, b : str
        The two texts.

    Returns
    -------
    int
        The number of words of the longest shared run (0 when none is shared).

    Examples
    --------
    >>> shared_run("The mixed team met every week; users co-wrote the guide.",
    ...            "Every week, the mixed team met and USERS co-wrote it")
    4
    """
    wa, wb = evidence_words(a), evidence_words(b)
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return matcher.find_longest_match(0, len(wa), 0, len(wb)).size


def evidence_similarity(a: str, b: str) -> float:
    """Similarity from 0 to 1 of two evidence texts: the Ratcliff/Obershelp ratio of their
    normalised forms.

    Each text is normalised to its :func:`evidence_words` joined by single spaces; the ratio is
    :math:`2M / (|a| + |b|)`, :math:`M` the characters in the matching blocks that
    :class:`difflib.SequenceMatcher` finds (junk heuristic off). That matcher is not symmetric
    in general, so the larger of the two orders is taken. 1 means the same words in the same
    order.

    Parameters
    ----------
    a, b : str
        The two texts.

    Returns
    -------
    float
        From 0 (no character matched) to 1 (the same normalised text; two empty texts give 1).

    References
    ----------
    Ratcliff, J. W. & Metzener, D. E. (1988). Pattern matching: the gestalt approach.
    *Dr. Dobb's Journal* 13(7), 46. Python documentation, ``difflib.SequenceMatcher.ratio``.

    Examples
    --------
    >>> evidence_similarity("Users co-wrote the guide.", "users co wrote THE guide")
    1.0
    >>> round(evidence_similarity("abcd", "abxy"), 2)
    0.5
    """
    na, nb = " ".join(evidence_words(a)), " ".join(evidence_words(b))
    if not na and not nb:
        return 1.0
    return max(difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio(),
               difflib.SequenceMatcher(None, nb, na, autojunk=False).ratio())


#: The coded tables whose evidence the blindness check compares, with their unit columns.
_EVIDENCE_TABLES = {"conditions": ["case_id", "condition"], "outcomes": ["case_id", "outcome"],
                    "participation": ["case_id", "actor", "stage"]}


@dataclass(repr=False)
class EvidenceOverlap(Result):
    """Units whose two evidence texts look written together: the blindness check.

    Attributes
    ----------
    units : DataFrame
        One row per unit both coders gave an evidence text: ``table``, ``case_id``, ``unit``
        (the condition or outcome, or ``actor/stage``), ``coder_1``, ``coder_2`` (the codings
        compared), ``evidence_1``, ``evidence_2``, ``longest_run`` (:func:`shared_run`),
        ``similarity`` (:func:`evidence_similarity`), ``identical`` (the same normalised
        words), ``flagged`` (``longest_run >= min_run`` or ``similarity >= min_similarity``).
    min_run, min_similarity : the thresholds used.

    Notes
    -----
    ``table`` counts per coded table and overall: ``n_compared``, ``n_identical``,
    ``n_run`` (a shared run of ``min_run`` words or more), ``n_similar`` (similarity of
    ``min_similarity`` or more), ``n_flagged`` (either) and ``share_flagged``; ``flagged`` lists
    the flagged units.
    """

    units: pd.DataFrame
    min_run: int
    min_similarity: float

    @property
    def title(self) -> str:
        n = int(self.units["flagged"].sum())
        return (f"Blindness check: {n} of {len(self.units)} units with a shared run of "
                f">= {self.min_run} words or >= {self.min_similarity:.0%} similar evidence")

    @property
    def notes(self) -> tuple[str, ...]:
        return ("similarity: difflib ratio of the case-folded words; a flagged unit is not proof "
                "that a coder saw the other's text, only that the two texts need a second look",)

    @property
    def flagged(self) -> pd.DataFrame:
        """The flagged units (same columns as ``units``)."""
        return self.units[self.units["flagged"]].reset_index(drop=True)

    @property
    def table(self) -> pd.DataFrame:
        rows = []
        groups = [(t, self.units[self.units["table"] == t]) for t in _EVIDENCE_TABLES]
        for name, part in [*groups, ("(all)", self.units)]:
            n = len(part)
            flagged = int(part["flagged"].sum())
            rows.append({"table": name, "n_compared": n,
                         "n_identical": int(part["identical"].sum()),
                         "n_run": int((part["longest_run"] >= self.min_run).sum()),
                         "n_similar": int((part["similarity"] >= self.min_similarity).sum()),
                         "n_flagged": flagged,
                         "share_flagged": flagged / n if n else float("nan")})
        out = pd.DataFrame(rows)
        for col in ("n_compared", "n_identical", "n_run", "n_similar", "n_flagged"):
            out[col] = out[col].astype("int64")
        return out


def evidence_overlap(casebase, *, min_run: int = 8,
                     min_similarity: float = 0.9) -> EvidenceOverlap:
    """The blindness check of two independent codings: units whose evidence texts share a run
    of ``min_run`` words or more, or are ``min_similarity`` similar or more.

    Parameters
    ----------
    casebase : CaseBase
        Its ``codings`` hold ``coder_<x>_conditions``, ``_outcomes`` and ``_participation`` for
        two coders or more; the first two in name order are compared (``coder_a``,
        ``coder_b``).
    min_run : int, default 8
        Shared run, in words (:func:`shared_run`), from which a unit is flagged.
    min_similarity : float, default 0.9
        Similarity (:func:`evidence_similarity`) from which a unit is flagged.

    Returns
    -------
    EvidenceOverlap
        Every unit where both coders wrote an evidence text, with its run, similarity and
        flag; ``.table`` the counts per table, ``.flagged`` the flagged units.

    Notes
    -----
    Two coders who read the same source independently can agree on the value and even cite
    the same passage, but they rarely write the same eight words in a row or the same
    sentence with a word changed: copying of this kind is what undermines the independence
    that Krippendorff's alpha assumes. A text quoting the source verbatim in both codings is
    flagged too, and deserves the look. Units where one coder left no evidence (NA) are not
    compared.

    References
    ----------
    Krippendorff, K. (2004). *Content Analysis: An Introduction to Its Methodology*, 2nd ed.,
    §11.2 (the conditions of reliability data: coders work independently).

    Examples
    --------
    >>> from coanalysis.loaders import load_casebase
    >>> check = evidence_overlap(load_casebase())
    >>> check.table["table"].tolist()
    ['conditions', 'outcomes', 'participation', '(all)']
    """
    codings = getattr(casebase, "codings", None)
    if not isinstance(codings, dict):
        raise TypeError("casebase must be a CaseBase (with a .codings dict)")
    min_run = check_int(min_run, "min_run", min_val=1)
    if not 0 < float(min_similarity) <= 1:
        raise ValueError(f"min_similarity must be in (0, 1], got {min_similarity!r}")
    rows = []
    for table, keys in _EVIDENCE_TABLES.items():
        names = sorted(n for n in codings if n.startswith("coder_") and n.endswith("_" + table))
        if len(names) < 2:
            raise ValueError(f"need two codings of the {table}, found {names}")
        first, second = (codings[n][[*keys, "evidence"]] for n in names[:2])
        both = first.astype({k: str for k in keys}).merge(
            second.astype({k: str for k in keys}), on=keys, suffixes=("_1", "_2"))
        for rec in both.itertuples(index=False):
            rec = rec._asdict()
            a, b = rec["evidence_1"], rec["evidence_2"]
            if is_missing(a) or is_missing(b) or not str(a).strip() or not str(b).strip():
                continue
            run, sim = shared_run(a, b), evidence_similarity(a, b)
            rows.append({"table": table, "case_id": rec["case_id"],
                         "unit": "/".join(rec[k] for k in keys[1:]),
                         "coder_1": names[0], "coder_2": names[1],
                         "evidence_1": str(a), "evidence_2": str(b),
                         "longest_run": run, "similarity": sim,
                         "identical": evidence_words(a) == evidence_words(b),
                         "flagged": run >= min_run or sim >= min_similarity})
    columns = ["table", "case_id", "unit", "coder_1", "coder_2", "evidence_1", "evidence_2",
               "longest_run", "similarity", "identical", "flagged"]
    units = pd.DataFrame(rows, columns=columns).astype(
        {"longest_run": "int64", "similarity": "float64", "identical": bool, "flagged": bool})
    return EvidenceOverlap(units, int(min_run), float(min_similarity))
