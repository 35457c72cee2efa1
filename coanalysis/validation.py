"""Checks at a public function's boundary, one of each kind, so that every message has the same
shape: what was given, what was expected, how to fix it (after scikit-learn's
``utils.validation.check_scalar``).

- :func:`require_columns` — a DataFrame with the columns a function needs;
- :func:`check_level` — a confidence level strictly between 0 and 1;
- :func:`check_choice` — one of a fixed set of options;
- :func:`check_int` / :func:`check_number` — a scalar of the right type within bounds.
"""

from __future__ import annotations

import numbers
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from .errors import DataError, Problem, plain_scalar

__all__ = ["require_columns", "check_level", "check_choice", "check_int", "check_number"]


def require_columns(data: Any, columns: Sequence[str] | Mapping[str, str], *,
                    table: str = "data", file: str = "<data>") -> None:
    """Check that ``data`` is a DataFrame holding every column of ``columns``.

    The package's single column check at a function's boundary.

    Parameters
    ----------
    data : Any
        The object passed by the user.
    columns : sequence of str or mapping of str to str
        The columns needed; a mapping ``{parameter: column}`` names in each
        problem the parameter through which the column was asked for.
    table : str, default "data"
        What the table is, in the message (e.g. ``"conditions"``, ``"flows"``).
    file : str, default "<data>"
        The ``file`` of each :class:`Problem`.

    Raises
    ------
    TypeError
        When ``data`` is not a DataFrame.
    DataError
        (a ``ValueError``) with one :class:`Problem` per missing column, the
        summary naming the missing columns and the columns present.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"case_id": []}), ["case_id"])
    >>> try:
    ...     require_columns(pd.DataFrame({"case_id": []}), ["case_id", "score"], table="conditions")
    ... except DataError as err:
    ...     print(err.summary)
    the conditions table lacks the column(s) ['score']; it has ['case_id']
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"the {table} table must be a pandas DataFrame, got {type(data).__name__}")
    pairs = (list(columns.items()) if isinstance(columns, Mapping)
             else [(None, c) for c in ([columns] if isinstance(columns, str) else columns)])
    present = [str(c) for c in data.columns]
    missing = [(param, name) for param, name in pairs if name not in data.columns]
    if not missing:
        return
    problems = [
        Problem(file, None, name, present,
                f"a column {name!r}" + (f" (parameter {param}=)" if param else ""),
                "pass the right column name or rename the column")
        for param, name in missing
    ]
    raise DataError(problems, f"the {table} table lacks the column(s) "
                              f"{[name for _, name in missing]}; it has {present}")


def check_level(level: Any, name: str = "level") -> float:
    """A confidence level as a float strictly between 0 and 1 (``0.95``, not ``95``).

    Examples
    --------
    >>> check_level(0.9)
    0.9
    >>> check_level(95)
    Traceback (most recent call last):
    ...
    ValueError: level must be a number strictly between 0 and 1 (0.95 for 95 %), got 95
    """
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1 (0.95 for 95 %), "
                         f"got {plain_scalar(level)!r}")
    return float(level)


def check_choice(value: Any, name: str, options: Iterable[Any]) -> Any:
    """``value`` if it is one of ``options``, else a ``ValueError`` listing them.

    Examples
    --------
    >>> check_choice("logit", "method", ("logit", "beta", "wald"))
    'logit'
    >>> check_choice("exact", "method", ("logit", "beta", "wald"))
    Traceback (most recent call last):
    ...
    ValueError: method must be one of 'logit', 'beta', 'wald', got 'exact'
    """
    options = tuple(options)
    try:
        ok = value in options
    except TypeError:  # an unhashable value against a set-like of options
        ok = False
    if not ok:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}, "
                         f"got {plain_scalar(value)!r}")
    return value


def _check_bounds(value, name, min_val, max_val, kind):
    if (min_val is not None and value < min_val) or (max_val is not None and value > max_val):
        lo = "-inf" if min_val is None else repr(plain_scalar(min_val))
        hi = "inf" if max_val is None else repr(plain_scalar(max_val))
        raise ValueError(f"{name} must be {kind} in [{lo}, {hi}], got {plain_scalar(value)!r}")


def check_int(value: Any, name: str, *, min_val: int | None = None,
              max_val: int | None = None) -> int:
    """``value`` as an ``int`` within ``[min_val, max_val]`` (``True`` is not an integer here).

    Examples
    --------
    >>> check_int(3, "k", min_val=2)
    3
    >>> check_int(2.5, "k")
    Traceback (most recent call last):
    ...
    TypeError: k must be an integer, got 2.5 (float)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {plain_scalar(value)!r} "
                        f"({type(value).__name__})")
    value = int(value)
    _check_bounds(value, name, min_val, max_val, "an integer")
    return value


def check_number(value: Any, name: str, *, min_val: float | None = None,
                 max_val: float | None = None) -> float:
    """``value`` as a finite ``float`` within ``[min_val, max_val]``.

    Examples
    --------
    >>> check_number(0.5, "threshold", min_val=0, max_val=1)
    0.5
    >>> check_number(float("nan"), "threshold")
    Traceback (most recent call last):
    ...
    ValueError: threshold must be a finite number, got nan
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {plain_scalar(value)!r} "
                        f"({type(value).__name__})")
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    _check_bounds(value, name, min_val, max_val, "a number")
    return value
