"""From the case base's tidy scores (case_id, condition, score) to the case × set
membership frame that QCA needs, with a report of the cases dropped and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..codebook import CONDITIONS, OUTCOMES
from ..codebook.interface import word
from ..results import Result
from ..text import check_lang
from ..validation import require_columns
from .calibrate import calibrate_codebook

__all__ = ["CaseMemberships", "from_casebase", "drop_reason"]


@dataclass(repr=False)
class CaseMemberships(Result):
    """The result of :func:`from_casebase`.

    Attributes
    ----------
    data : DataFrame
        Index ``case_id``; one column per condition and one for the outcome;
        only complete cases (no NA).
    dropped : DataFrame
        One row per case left out: ``case_id``, ``missing`` (slugs of the
        sets that are NA or uncoded, joined with ", ") and ``reason`` (the
        same in words, with the codebook labels, in ``lang``).
    dependent : DataFrame
        Kept cases that are part of another kept case (``parent_case``):
        ``case_id``, ``parent_case``. They are not independent observations.
    outcome, conditions
        What was asked for.
    """

    data: pd.DataFrame
    dropped: pd.DataFrame
    dependent: pd.DataFrame
    outcome: str
    conditions: list[str]
    n_cases: int = field(default=0)
    lang: str = field(default="fr")

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`data`: the kept cases' memberships."""
        return self.data

    @property
    def title(self) -> str:
        """The outcome, the number of conditions and what became of the cases."""
        return (f"outcome={self.outcome!r}, {len(self.conditions)} conditions: "
                f"{self.n_cases} cases, kept {len(self.data)}, dropped {len(self.dropped)}, "
                f"{len(self.dependent)} kept case(s) with a kept parent case")

    @property
    def notes(self) -> tuple[str, ...]:
        """One line per dropped case and per nested case, in ``lang``."""
        dropped, nested = word("dropped_case", self.lang), word("nested_case", self.lang)
        return tuple([dropped.format(case=row["case_id"], reason=row["reason"])
                      for _, row in self.dropped.iterrows()]
                     + [nested.format(case=row["case_id"], parent=row["parent_case"])
                        for _, row in self.dependent.iterrows()])

    def __repr__(self) -> str:
        return f"<CaseMemberships: {self.title}>"

    def summary(self) -> str:
        """The title then one line per dropped case and per nested case, in ``lang``."""
        return "\n".join([f"CaseMemberships({self.title})"] + ["  " + n for n in self.notes])


def drop_reason(missing, lang: str | None = None) -> str:
    """Why a case is left out, in words: the codebook labels of its NA or uncoded sets.

    Parameters
    ----------
    missing : list of str
        Condition or outcome slugs of the codebook.
    lang : {"fr", "en"}, optional
        Default :func:`coanalysis.default_lang`.

    Returns
    -------
    str

    Examples
    --------
    >>> drop_reason(["dialogue_former", "perennisation"])
    'NA ou non codé\xa0: Créer des espaces de dialogue et former, Pérennisation'
    >>> drop_reason(["experimenter"], "en")
    'NA or not coded: Experiment'
    """
    lang = check_lang(lang)
    labels = [(CONDITIONS if m in CONDITIONS else OUTCOMES).label(m, lang) for m in missing]
    return word("drop_reason", lang).format(", ".join(labels))


def _scores_by_case(table: pd.DataFrame, key: str, wanted: list[str], what: str) -> pd.DataFrame:
    """The ``wanted`` sets of a tidy score table as one column each, one row per case (NA kept)."""
    require_columns(table, ["case_id", key, "score"], table=what)
    sub = table.loc[table[key].astype(str).isin(wanted), ["case_id", key, "score"]].copy()
    raw = sub["score"]
    score = pd.to_numeric(raw, errors="coerce").astype("Float64").astype(float)
    bad = raw.notna() & np.isnan(score.to_numpy())
    if bad.any():
        raise ValueError(f"non-numeric {what} scores: {raw[bad].tolist()[:5]}; expected 0, 0.33, 0.67, 1 or NA")
    sub["score"] = score
    dup = sub.duplicated(["case_id", key], keep=False)
    if dup.any():
        pairs = sub.loc[dup, ["case_id", key]].drop_duplicates().values.tolist()
        raise ValueError(f"several {what} scores for the same (case_id, {key}): {pairs[:5]}; "
                         "reconcile the codings first")
    return sub.pivot(index="case_id", columns=key, values="score")


def from_casebase(casebase, *, outcome: str, conditions, check_scores: bool = True,
                  lang: str | None = None) -> CaseMemberships:
    """Pivot the case base's tidy scores into a case × set membership frame.

    Parameters
    ----------
    casebase : CaseBase or object with ``conditions`` and ``outcomes`` DataFrames
        Tidy tables with columns ``case_id``, ``condition`` (resp.
        ``outcome``), ``score``; an optional ``cases`` table with
        ``case_id`` and ``parent_case``.
    outcome : str
        An outcome slug of the codebook (e.g. ``"perennisation"``).
    conditions : list of str
        Condition slugs of the codebook.
    check_scores : bool
        Check that every score is one of the codebook's four values.
    lang : {"fr", "en"}, optional
        Language of the drop reasons and of ``summary()`` (default:
        :func:`coanalysis.default_lang`, i.e. French unless
        ``COANALYSIS_LANG=en``).

    Returns
    -------
    CaseMemberships
        ``.data`` (complete cases only), ``.dropped`` (case, missing sets,
        reason) and
        ``.dependent`` (cases nested in another kept case).

    Notes
    -----
    A case is dropped when the outcome or any condition is NA or not coded:
    QCA needs a membership in every set, and imputing one would invent
    evidence. The scores are used as coded (0, 0.33, 0.67, 1): membership
    > 0.5 means "more in than out".

    Examples
    --------
    >>> import pandas as pd
    >>> class CB:
    ...     conditions = pd.DataFrame({"case_id": ["a", "a", "b", "b"],
    ...         "condition": ["experimenter", "transversalite"] * 2, "score": [1, 0.67, None, 0]})
    ...     outcomes = pd.DataFrame({"case_id": ["a", "b"], "outcome": ["perennisation"] * 2,
    ...         "score": [0.67, 1]})
    >>> cm = from_casebase(CB(), outcome="perennisation", conditions=["experimenter", "transversalite"],
    ...                    lang="fr")
    >>> cm.data.index.tolist(), cm.dropped["case_id"].tolist()
    (['a'], ['b'])
    >>> cm.dropped["reason"].tolist()
    ['NA ou non codé\xa0: Expérimenter']
    """
    lang = check_lang(lang)
    if isinstance(conditions, str) or not conditions:
        raise ValueError(f"conditions must be a non-empty list of condition slugs, got {conditions!r}")
    conditions = list(conditions)
    unknown = [c for c in conditions if c not in CONDITIONS]
    if unknown:
        raise ValueError(f"unknown condition(s) {unknown}; expected slugs among {CONDITIONS.slugs}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; expected one of {OUTCOMES.slugs}")
    for attr in ("conditions", "outcomes"):
        if not isinstance(getattr(casebase, attr, None), pd.DataFrame):
            raise TypeError(f"casebase must have a DataFrame attribute {attr!r} (as load_casebase() gives)")
    cond = _scores_by_case(casebase.conditions, "condition", conditions, "conditions")
    outc = _scores_by_case(casebase.outcomes, "outcome", [outcome], "outcomes")
    cases_table = getattr(casebase, "cases", None)
    all_ids = set(cond.index) | set(outc.index)
    if isinstance(cases_table, pd.DataFrame) and "case_id" in cases_table:
        all_ids |= set(cases_table["case_id"].astype(str))
        order = list(cases_table["case_id"].astype(str))
        order += sorted(all_ids - set(order))
    else:
        order = sorted(all_ids)
    wide = pd.DataFrame(index=pd.Index(order, name="case_id"))
    for c in conditions:
        wide[c] = cond[c] if c in cond else np.nan
    wide[outcome] = outc[outcome] if outcome in outc else np.nan
    dropped = []
    for case, row in wide.iterrows():
        na = [col for col in wide.columns if pd.isna(row[col])]
        if na:
            dropped.append((case, ", ".join(na), drop_reason(na, lang)))
    kept = wide.drop(index=[d[0] for d in dropped]).astype(float)
    if check_scores:
        for col in kept.columns:
            calibrate_codebook(kept[col], column=col, file="case base")
    dependent = []
    if isinstance(cases_table, pd.DataFrame) and {"case_id", "parent_case"} <= set(cases_table.columns):
        for cid, parent in zip(cases_table["case_id"].astype(str), cases_table["parent_case"]):
            if cid in kept.index and not pd.isna(parent) and str(parent) in kept.index:
                dependent.append((cid, str(parent)))
    return CaseMemberships(
        data=kept,
        dropped=pd.DataFrame(dropped, columns=["case_id", "missing", "reason"]),
        dependent=pd.DataFrame(dependent, columns=["case_id", "parent_case"]),
        outcome=outcome, conditions=conditions, n_cases=len(wide), lang=lang)
