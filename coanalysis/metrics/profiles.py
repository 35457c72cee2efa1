"""Case profiles: case × condition and case × principle scores, participation depth and breadth,
and the co-construction index built on the four key principles.
"""

from __future__ import annotations

from typing import Literal, Sequence

import numpy as np
import pandas as pd

from .. import codebook
from ..codebook import INVOLVE_LEVEL
from ..validation import check_choice, check_int, require_columns
from .coverage import case_grid

__all__ = [
    "condition_profile",
    "principle_profile",
    "outcome_profile",
    "participation_depth",
    "participation_breadth",
    "coconstruction_index",
    "condition_contrasts",
]


def _resource(casebase, name: str) -> tuple[pd.DataFrame, list[str]]:
    """The table ``name`` of a CaseBase (or the DataFrame itself) and the case ids to report.

    With a CaseBase, every case of ``.cases`` gets a row (NA where the table has
    nothing for it); with a bare DataFrame, the cases it mentions, in order.
    """
    if isinstance(casebase, pd.DataFrame):
        table, cases = casebase, None
    elif hasattr(casebase, name):
        table = getattr(casebase, name)
        cases_df = getattr(casebase, "cases", None)
        cases = (list(cases_df["case_id"].astype(str))
                 if isinstance(cases_df, pd.DataFrame) and "case_id" in cases_df.columns else None)
    else:
        raise TypeError(f"expected a CaseBase or a DataFrame, got {type(casebase).__name__}")
    if "case_id" not in table.columns:
        raise ValueError(f"the {name} table has no 'case_id' column; it has {list(table.columns)}")
    if cases is None:
        cases = list(pd.unique(table["case_id"].astype(str)))
    return table, cases


def _scored_profile(casebase, name: str, item: str, terms: Sequence[str],
                    columns_name: str) -> pd.DataFrame:
    """Case × term matrix of ``score``, read off the case × variable grid of :mod:`.coverage`."""
    table, cases = _resource(casebase, name)
    grid = case_grid(table, name, cases)
    wide = grid.pivot(index="case_id", columns=item, values="score")
    wide = wide.reindex(index=pd.Index(cases, name="case_id"), columns=list(terms))
    wide.index = pd.Index([str(c) for c in wide.index], name="case_id")
    wide.columns = pd.Index(list(terms), name=columns_name)
    return wide.astype("Float64")


def condition_profile(casebase, conditions: Sequence[str] | None = None) -> pd.DataFrame:
    """Case × condition matrix of fuzzy scores (NA kept as NA).

    Parameters
    ----------
    casebase : CaseBase or DataFrame
        A loaded case base (its ``conditions`` table is used and every case of
        ``cases`` gets a row) or a conditions table with ``case_id``,
        ``condition``, ``score``.
    conditions : sequence of str, optional
        Condition slugs to keep, in this order; default all 13 of the codebook.

    Returns
    -------
    DataFrame
        Index ``case_id``, one ``Float64`` column per condition (columns named
        ``condition``), values in {0, 0.33, 0.67, 1} or ``<NA>``.

    Raises
    ------
    ValueError
        When the table names a condition outside the codebook or (with a CaseBase) a case
        outside ``cases``: such rows would otherwise vanish from the matrix unseen.

    Notes
    -----
    A case with no row for a condition is NA, exactly like a row with an empty
    score: both mean "no evidence", never 0. The matrix is the case × condition
    grid of :func:`coanalysis.metrics.na_rates` made wide, so the two always
    agree on what is NA. ``profile.stack()`` gives the long form.

    Examples
    --------
    >>> cond = pd.DataFrame({"case_id": ["a", "a", "b"],
    ...                      "condition": ["experimenter", "transversalite", "experimenter"],
    ...                      "score": [1, 0.33, None]})
    >>> condition_profile(cond, ["experimenter", "transversalite"])  # doctest: +NORMALIZE_WHITESPACE
    condition  experimenter  transversalite
    case_id
    a                   1.0            0.33
    b                  <NA>            <NA>
    """
    terms = _terms(conditions, codebook.CONDITIONS, "conditions")
    return _scored_profile(casebase, "conditions", "condition", terms, "condition")


def principle_profile(casebase) -> pd.DataFrame:
    """Case × the study's four key principles (fuzzy scores).

    Parameters
    ----------
    casebase : CaseBase or DataFrame
        A loaded case base or a conditions table (see :func:`condition_profile`).

    Returns
    -------
    DataFrame
        Index ``case_id``, four ``Float64`` columns (named ``principle``), in order
        ``experimenter``, ``formaliser_evaluer``, ``dialogue_former``, ``transversalite``.

    Notes
    -----
    The principle columns of :func:`condition_profile`, NA kept as NA.

    References
    ----------
    OST/MNT (2019). *Élaborer les politiques publiques avec les usagers et les
    agents : vers une dynamique de co-construction ?* Les cahiers de l'Observatoire
    social territorial n°22 (the four "principes clés").

    Examples
    --------
    >>> cond = pd.DataFrame({"case_id": ["a", "a"], "condition": ["experimenter", "portage_politique"],
    ...                      "score": [0.67, 1]})
    >>> principle_profile(cond).iloc[0].tolist()
    [0.67, <NA>, <NA>, <NA>]
    """
    return _scored_profile(casebase, "conditions", "condition", codebook.PRINCIPLES.slugs,
                           "principle")


def outcome_profile(casebase, outcomes: Sequence[str] | None = None) -> pd.DataFrame:
    """Case × outcome matrix of fuzzy scores, as :func:`condition_profile` for ``outcomes``.

    Parameters
    ----------
    casebase : CaseBase or DataFrame
        A loaded case base (its ``outcomes`` table; every case of ``cases`` gets a row) or an
        outcomes table with ``case_id``, ``outcome``, ``score``.
    outcomes : sequence of str, optional
        Outcome slugs to keep, in this order; default all five of the codebook.

    Returns
    -------
    DataFrame
        Index ``case_id``, one ``Float64`` column per outcome (columns named ``outcome``).

    Notes
    -----
    No row and an empty score are both NA ("no evidence"), never 0.

    Examples
    --------
    >>> out = pd.DataFrame({"case_id": ["a", "b"], "outcome": ["perennisation"] * 2,
    ...                     "score": [1, None]})
    >>> outcome_profile(out, ["perennisation"])["perennisation"].tolist()
    [1.0, <NA>]
    """
    terms = _terms(outcomes, codebook.OUTCOMES, "outcomes")
    return _scored_profile(casebase, "outcomes", "outcome", terms, "outcome")


def _terms(terms: Sequence[str] | None, vocabulary: codebook.Vocabulary,
           parameter: str) -> list[str]:
    if terms is None:
        return list(vocabulary.slugs)
    if isinstance(terms, str):
        terms = [terms]
    bad = [t for t in terms if t not in vocabulary]
    if bad:
        raise ValueError(f"{parameter}: {bad} not in the codebook; expected some of "
                         f"{list(vocabulary.slugs)}")
    return list(terms)


def _participation(casebase) -> tuple[pd.DataFrame, list[str]]:
    """The coded cells of the participation grid (case × actor × stage), and the case ids."""
    table, cases = _resource(casebase, "participation")
    require_columns(table, ["actor", "stage", "level"], table="participation")
    table = table.assign(level=pd.to_numeric(table["level"]).astype("Int64"))
    grid = case_grid(table, "participation", cases)
    coded = grid.dropna(subset=["level"])
    data = coded.assign(case_id=coded["case_id"].astype(str), actor=coded["actor"].astype(str))
    return data, cases


def _actor_frame(values: pd.Series, cases: list[str], dtype: str) -> pd.DataFrame:
    wide = values.unstack("actor") if len(values) else pd.DataFrame(index=pd.Index([], name="case_id"))
    wide = wide.reindex(index=pd.Index(cases, name="case_id"), columns=list(codebook.ACTORS.slugs))
    wide.columns = pd.Index(list(codebook.ACTORS.slugs), name="actor")
    return wide.astype(dtype)


def participation_depth(casebase) -> pd.DataFrame:
    """Highest participation level reached by each actor in each case.

    Parameters
    ----------
    casebase : CaseBase or DataFrame
        A case base (its ``participation`` table) or a participation table with
        ``case_id``, ``actor``, ``stage``, ``level``.

    Returns
    -------
    DataFrame
        Index ``case_id`` (every case), one ``Int64`` column per actor of the
        codebook (columns named ``actor``): the depth, 0-5, or ``<NA>``.

    Notes
    -----
    :math:`\\mathrm{depth}(c, a) = \\max_{s} \\mathrm{level}(c, a, s)` over the
    stages *s* whose level is coded; NA when no stage is coded for the actor in
    the case. Level 0 is a coded value (the actor is known to be absent), so a
    depth of 0 differs from NA (nothing known). An actor, stage or case outside
    the codebook (or outside ``cases``) raises ValueError rather than being dropped.

    References
    ----------
    International Association for Public Participation (IAP2), *Spectrum of
    Public Participation* (levels inform, consult, involve, collaborate, empower).

    Examples
    --------
    >>> part = pd.DataFrame({"case_id": ["a", "a", "b"], "actor": ["usagers", "usagers", "agents"],
    ...                      "stage": ["diagnostic", "decision", "conception"], "level": [2, 4, 0]})
    >>> participation_depth(part)[["usagers", "agents"]]  # doctest: +NORMALIZE_WHITESPACE
    actor    usagers  agents
    case_id
    a              4    <NA>
    b           <NA>       0
    """
    data, cases = _participation(casebase)
    coded = data.dropna(subset=["level"])
    depth = coded.groupby(["case_id", "actor"], sort=False)["level"].max()
    return _actor_frame(depth, cases, "Int64")


def participation_breadth(casebase, threshold: int = INVOLVE_LEVEL) -> pd.DataFrame:
    """Number of stages at which each actor reaches ``threshold`` ("impliquer") or more.

    Parameters
    ----------
    casebase : CaseBase or DataFrame
        A case base or a participation table (see :func:`participation_depth`).
    threshold : int, default 3
        Level from which an actor counts as involved (3 = "Impliquer" / Involve).

    Returns
    -------
    DataFrame
        Index ``case_id``, one ``Int64`` column per actor: the breadth, 0-6, or
        ``<NA>`` when no stage is coded for the actor in the case.

    Notes
    -----
    :math:`\\mathrm{breadth}(c, a) = \\#\\{s : \\mathrm{level}(c, a, s) \\ge 3\\}`
    over the coded stages. Stages with an unknown level are not counted, so
    where some stages are NA the breadth is a lower bound.

    Examples
    --------
    >>> part = pd.DataFrame({"case_id": ["a", "a", "a"], "actor": ["usagers"] * 3,
    ...                      "stage": ["diagnostic", "conception", "decision"], "level": [3, 4, 1]})
    >>> int(participation_breadth(part).loc["a", "usagers"])
    2
    """
    check_int(threshold, "threshold", min_val=0, max_val=5)
    data, cases = _participation(casebase)
    coded = data.dropna(subset=["level"])
    breadth = (coded["level"] >= threshold).groupby(
        [coded["case_id"], coded["actor"]], sort=False).sum()
    return _actor_frame(breadth, cases, "Int64")


def coconstruction_index(casebase, method: Literal["min", "mean"] = "min", *,
                         na: Literal["propagate", "skip"] = "propagate",
                         min_principles: int = 1) -> pd.DataFrame:
    """Co-construction index of each case from the four key principles.

    Parameters
    ----------
    casebase : CaseBase or DataFrame
        A case base, a conditions table, or a principle profile (a DataFrame
        whose columns are the four principle slugs, index ``case_id``).
    method : {"min", "mean"}
        ``"min"``: fuzzy AND, the case is as co-constructive as its weakest
        principle; ``"mean"``: arithmetic mean, strong principles compensate weak ones.
    na : {"propagate", "skip"}
        ``"propagate"``: a case with any NA principle gets NA; ``"skip"``: the
        index is computed over the principles that are coded.
    min_principles : int, default 1
        With ``na="skip"``, the fewest coded principles needed for a value
        (1-4); fewer gives NA.

    Returns
    -------
    DataFrame
        Index ``case_id``; columns ``coconstruction_index`` (``Float64``, in
        [0, 1] or ``<NA>``) and ``n_principles`` (``Int64``: how many of the four
        principles are coded for the case, 0-4; the value, when not NA, is
        computed over exactly these).

    Notes
    -----
    With :math:`p_1..p_4` the fuzzy scores of *experimenter*, *formaliser et
    évaluer*, *créer des espaces de dialogue et former*, *favoriser la
    transversalité*:

    .. math:: I_{\\min} = \\min_j p_j \\qquad I_{\\mathrm{mean}} = \\frac{1}{4}\\sum_j p_j

    The minimum is the fuzzy-set intersection (logical AND): membership in
    "co-construction" requires all four principles. The mean is a compensatory
    index: one absent principle lowers it by at most 1/4. With ``na="skip"``
    the min and mean run over the *k* coded principles (reported as
    ``n_principles``); the min over fewer principles can only be higher than
    the min over all four, so skipped values overstate membership and should
    be read with ``n_principles``.

    References
    ----------
    Zadeh, L. A. (1965). Fuzzy sets. *Information and Control* 8(3), 338-353.

    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*.
    University of Chicago Press (intersection of fuzzy sets as the minimum).

    Examples
    --------
    >>> prof = pd.DataFrame({"experimenter": [1, 1], "formaliser_evaluer": [0.67, None],
    ...                      "dialogue_former": [1, 1], "transversalite": [0.33, 0.67]},
    ...                     index=pd.Index(["a", "b"], name="case_id"))
    >>> coconstruction_index(prof, "min", na="skip")  # doctest: +NORMALIZE_WHITESPACE
             coconstruction_index  n_principles
    case_id
    a                        0.33             4
    b                        0.67             3
    """
    check_choice(method, "method", ("min", "mean"))
    check_choice(na, "na", ("propagate", "skip"))
    check_int(min_principles, "min_principles", min_val=1, max_val=4)
    principles = list(codebook.PRINCIPLES.slugs)
    if isinstance(casebase, pd.DataFrame) and set(principles) <= set(casebase.columns):
        profile = casebase[principles].astype("Float64")
        profile.index.name = profile.index.name or "case_id"
    else:
        profile = principle_profile(casebase)
    values = profile.to_numpy(dtype=float, na_value=np.nan)
    n_coded = (~np.isnan(values)).sum(axis=1)
    with np.errstate(all="ignore"):
        if method == "min":
            index = np.where(n_coded > 0, np.nanmin(np.where(np.isnan(values), np.inf, values),
                                                     axis=1), np.nan)
        else:
            index = np.where(n_coded > 0, np.nansum(values, axis=1) / np.maximum(n_coded, 1),
                             np.nan)
    if na == "propagate":
        keep = n_coded == len(principles)
    else:
        keep = n_coded >= min_principles
    index = np.where(keep, index, np.nan)
    return pd.DataFrame({
        "coconstruction_index": pd.array(index, dtype="Float64"),
        "n_principles": pd.array(n_coded, dtype="Int64"),
    }, index=profile.index.copy())


def condition_contrasts(profile: pd.DataFrame, *, high: float = 0.67, low: float = 0.33,
                        min_low: int = 2, spread: float = 0.67,
                        min_documented: int = 2) -> pd.DataFrame:
    """What a set of cases shares and where it differs, variable by variable.

    Parameters
    ----------
    profile : DataFrame
        Cases × variables of fuzzy scores, NA allowed (e.g. ``condition_profile(cb).loc[cases]``).
    high : float, default 0.67
        Score from which a condition counts as (rather) present.
    low : float, default 0.33
        Score up to which a condition counts as (rather) absent.
    min_low : int, default 2
        Fewest cases at or below ``low`` for a shared weakness.
    spread : float, default 0.67
        Smallest gap between the highest and the lowest documented score for a divergence.
    min_documented : int, default 2
        Fewest documented cases for a spread to be computed (else NA).

    Returns
    -------
    DataFrame
        One row per variable (index named as the profile's columns, in their order) with
        ``n_cases``, ``n_documented``, ``n_high``, ``n_low`` (``Int64``), ``min``, ``max``,
        ``spread`` (``Float64``, NA below ``min_documented``) and three flags (``bool``):
        ``shared`` (documented in every case and ≥ ``high`` in all), ``weak`` (≤ ``low`` in at
        least ``min_low`` cases) and ``divergent`` (``spread`` ≥ the threshold).

    Notes
    -----
    For variable v over the documented cases D_v:
    spread_v = max_{c ∈ D_v} x_cv − min_{c ∈ D_v} x_cv. NA never counts as low or high, and a
    variable with a NA is never ``shared``: missing evidence is not a shared trait.
    Comparisons allow 1e-9 of floating-point error, so that 1 − 0.33 counts as a gap of 0.67.

    References
    ----------
    Ragin, C. C. (2008). *Redesigning Social Inquiry: Fuzzy Sets and Beyond*, University of
    Chicago Press, ch. 2 (0.67/0.33 as "more in than out" / "more out than in").

    Examples
    --------
    >>> prof = pd.DataFrame({"x": [1, 0.67, 0.67], "y": [0, 0.33, 1], "z": [0.33, None, 0]},
    ...                     index=["a", "b", "c"])
    >>> condition_contrasts(prof)[["n_documented", "shared", "weak", "divergent"]]
       n_documented  shared   weak  divergent
    x             3    True  False      False
    y             3   False   True       True
    z             2   False   True      False
    """
    if not isinstance(profile, pd.DataFrame):
        raise TypeError(f"profile must be a DataFrame (cases × variables), got "
                        f"{type(profile).__name__}")
    try:
        values = profile.astype("Float64")
    except (TypeError, ValueError) as err:
        raise ValueError(f"profile must hold numeric scores: {err}") from None
    eps = 1e-9
    n_doc = values.notna().sum()
    vmin, vmax = values.min(), values.max()
    gap = (vmax - vmin).astype("Float64").where(n_doc >= min_documented)
    n_high = (values >= high - eps).sum()
    n_low = (values <= low + eps).sum()
    out = pd.DataFrame({
        "n_cases": pd.array([len(values)] * values.shape[1], dtype="Int64"),
        "n_documented": n_doc.astype("Int64").to_numpy(),
        "n_high": n_high.astype("Int64").to_numpy(),
        "n_low": n_low.astype("Int64").to_numpy(),
        "min": vmin.astype("Float64").to_numpy(),
        "max": vmax.astype("Float64").to_numpy(),
        "spread": gap.to_numpy(),
    }, index=values.columns)
    out["shared"] = ((out["n_documented"] == len(values)) & (out["n_high"] == len(values))
                     & (len(values) > 0)).astype(bool)
    out["weak"] = (out["n_low"] >= min_low).astype(bool)
    out["divergent"] = (out["spread"] >= spread - eps).fillna(False).astype(bool)
    return out
