"""The survey reader's SPSS side: read a .sav file and obey what it declares.

A .sav file declares value labels and user-missing codes per variable (:class:`SavColumn`); a
code declared missing, or whose label names a missing reason ("NSP"), becomes NA with that
reason, and a declaration that contradicts a declared scale is an error (:func:`sav_scale_code`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...codebook.surveys import COMMON_MISSING_CODES, MISSING_REASONS
from ...codebook.terms import LikertScale
from ...codebook.terms import normalise_answer as _norm
from ...errors import DataError, Problem
from .cells import Recoded


def read_sav_file(path: str):
    import pyreadstat
    try:
        df, meta = pyreadstat.read_sav(path, user_missing=True)
    except Exception as exc:
        raise DataError(Problem(path, None, None, type(exc).__name__, "an SPSS .sav file",
                                str(exc)), "cannot read the SPSS file") from None
    rows = [(i + 1, list(r)) for i, r in enumerate(df.itertuples(index=False, name=None))]
    return list(df.columns), rows, ["lines are SPSS case numbers"], meta


#: Value labels that name a reason for a missing answer (matched after :func:`_norm`).
_MISSING_LABELS = {**{_norm(t.fr): t.slug for t in MISSING_REASONS},
                   **{_norm(t.en): t.slug for t in MISSING_REASONS},
                   **{_norm(k): r for k, r in COMMON_MISSING_CODES.items() if isinstance(k, str)}}


class SavColumn:
    """What an SPSS file itself declares about one variable: value labels and user-missing codes.

    ``pyreadstat.read_sav(user_missing=True)`` keeps user-missing codes as values and lists them
    in ``meta.missing_ranges`` (``[{"lo": 8.0, "hi": 9.0}, ...]``; a single code has lo == hi).
    """

    def __init__(self, meta: Any, col: str):
        self.labels = dict((meta.variable_value_labels or {}).get(col, {}))
        self.ranges = [(r["lo"], r["hi"]) for r in (meta.missing_ranges or {}).get(col, [])]
        self.values = list((getattr(meta, "missing_user_values", None) or {}).get(col, []))

    def user_missing(self, value: Any) -> bool:
        """Whether the file declares ``value`` a user-missing code."""
        if isinstance(value, str) and value == "":
            return False
        if value in self.values:
            return True
        for lo, hi in self.ranges:
            try:
                if lo <= value <= hi:
                    return True
            except TypeError:  # a text code against a numeric range or the reverse
                continue
        return False

    def label_reason(self, value: Any) -> str | None:
        """The missing reason named by ``value``'s label ("NSP" -> ne_sait_pas), if any."""
        label = self.labels.get(value)
        return None if label is None else _MISSING_LABELS.get(_norm(label))

    def missing_reason(self, value: Any) -> str | None:
        """Why ``value`` is a missing answer according to the file, or None for an answer."""
        reason = self.label_reason(value)
        if reason is None and self.user_missing(value):
            return "manquant_declare"
        return reason

    def describe(self, value: Any) -> str:
        label = self.labels.get(value)
        return f"code {_norm(value)}" + (f" ({label!r})" if label is not None else "")


def sav_scale_code(scale: LikertScale, sav: SavColumn, value: Any
                    ) -> tuple[int | None, str | None, str | None]:
    """``(code, reason, conflict)`` of one SPSS cell under a declared scale.

    The file's value label decides the missing reason when it names one (9 = "NSP" gives
    ``ne_sait_pas`` even if the scale maps 9 to ``sans_reponse``); a file that calls missing what
    the scale calls an answer, or labels a code with another level's label, is a conflict.
    Raises KeyError when neither the scale nor the file knows the code.
    """
    file_reason = sav.missing_reason(value)
    try:
        code, reason = scale.parse(value)
    except KeyError:
        if file_reason is None:
            raise
        return None, file_reason, None
    if code is None:
        if reason == "cellule_vide":
            return None, reason, None
        label = sav.labels.get(value)
        if file_reason is None and label is not None:
            try:
                lab_code, _ = scale.parse(label)
            except KeyError:
                lab_code = None
            if lab_code is not None:
                return None, None, (f"the file labels {sav.describe(value)} as an answer while "
                                    f"scale {scale.name!r} declares it missing ({reason})")
        return None, file_reason or reason, None
    if file_reason is not None:
        return None, None, (f"the file declares {sav.describe(value)} missing ({file_reason}) "
                            f"while scale {scale.name!r} has it as the answer "
                            f"{scale.label(code)!r}")
    label = sav.labels.get(value)
    if label is not None:
        try:
            lab_code, _ = scale.parse(label)
        except KeyError:
            lab_code = code  # a wording the scale does not know: nothing to compare
        if lab_code != code:
            return None, None, (f"the file labels {sav.describe(value)} while scale "
                                f"{scale.name!r} has {code} = {scale.label(code)!r}")
    return code, None, None


def sav_labelled(path: str, col: str, sav: SavColumn, cells: pd.Series,
                  problems: list[Problem], recoded: Recoded) -> pd.Categorical:
    """Ordered categorical of value labels for an SPSS variable with no declared scale.

    Codes the file declares user-missing, or whose label names a missing reason, become NA
    (listed in ``recoded``); a code with no value label is a problem.
    """
    answers = sorted(k for k in sav.labels if sav.missing_reason(k) is None)
    labels = []
    for ln, v in cells.items():
        if isinstance(v, str) and v == "":
            labels.append(None)
            continue
        reason = sav.missing_reason(v)
        if reason is not None:
            recoded.add(int(ln), col, v, reason)
            labels.append(None)
        elif v in sav.labels:
            labels.append(sav.labels[v])
        else:
            shown = {_norm(k): lab for k, lab in sav.labels.items()}
            problems.append(Problem(path, int(ln), col, v, "a labelled code",
                                    f"code {_norm(v)} has no value label in the file (labels: "
                                    f"{shown}); label it in SPSS, declare it missing there, or "
                                    "declare a scale for this column"))
            labels.append(None)
    return pd.Categorical(labels, categories=list(dict.fromkeys(sav.labels[k] for k in answers)),
                          ordered=True)


def sav_answers(meta: Any, col: str, cells: np.ndarray, lines: np.ndarray,
                 recoded: Recoded) -> np.ndarray:
    """Which cells of an SPSS column are answers: the codes the file declares missing are
    not, and are listed in ``recoded`` with their reason."""
    sav = SavColumn(meta, col)
    answer = np.ones(len(cells), dtype=bool)
    for k, (ln, v) in enumerate(zip(lines.tolist(), cells.tolist())):
        reason = sav.missing_reason(v)
        if reason is not None:
            recoded.add(ln, col, v, reason)
            answer[k] = False
    return answer


def sav_plain(meta: Any, col: str, cells: pd.Series, recoded: Recoded) -> pd.Series:
    """An SPSS column with neither a declared scale nor value labels: the codes declared
    missing and the empty strings become NA (the codes listed in ``recoded``); float when every
    other value reads as one, else text."""
    sav = SavColumn(meta, col)
    values = []
    for ln, v in cells.items():
        reason = sav.missing_reason(v)
        if reason is not None:
            recoded.add(int(ln), col, v, reason)
        values.append(np.nan if reason is not None else v)
    column = pd.Series(values, index=cells.index, dtype=object).replace("", np.nan)
    if pd.api.types.is_object_dtype(column.dtype):
        try:
            column = column.astype(float)
        except (TypeError, ValueError):
            column = column.astype("str")
    return column
