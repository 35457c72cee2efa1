"""Number, percent and date formatting in French (default) or English typography.

One helper used by every axis, label and table the package publishes, so that a
figure never mixes ``0.45`` and ``45 %``.
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from ..codebook import check_lang
from ..errors import is_missing

__all__ = [
    "NNBSP",
    "NA_LABEL",
    "format_number",
    "format_percent",
    "format_month",
    "number_formatter",
    "percent_formatter",
    "number_axis",
    "percent_axis",
]

#: Narrow no-break space (U+202F): French thousands separator and space before ``%``.
NNBSP = "\u202f"

#: What a missing value prints as.
NA_LABEL = {"fr": "NA", "en": "NA"}

_MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def _round_half_up(value: float, decimals: int, scale: int = 1) -> Decimal:
    """``value × scale`` rounded half away from zero, computed on the printed decimal of ``value``.

    ``Decimal(repr(x))`` keeps what the user sees (2.675, 0.285) rather than the binary
    approximation (2.67499…, 0.28499…), so printed values round the way a reader expects.
    """
    exact = Decimal(repr(float(value))) * scale
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _check_decimals(decimals) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {decimals!r}")
    return int(decimals)


def _check_number(value, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (Real, np.number)):
        raise TypeError(f"{what} expects a number, got {type(value).__name__} {value!r}")


def _typeset(rounded: Decimal, decimals: int, lang: str, sign: bool) -> str:
    """Write an already rounded Decimal with the typography of ``lang``."""
    negative = rounded < 0
    text = f"{abs(rounded):,.{decimals}f}"  # 1,234.5
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
        minus = "\u2212"
    else:
        minus = "-"
    if negative:
        return minus + text
    if sign and rounded > 0:
        return "+" + text
    return text


def _checked(value, decimals, lang: str, what: str) -> tuple[str, int, str | None]:
    """Checked ``lang`` and ``decimals``, and the text of a value that is not typeset as a
    number: the NA label for a missing value, the infinity sign for ±inf, else None."""
    lang = check_lang(lang)
    decimals = _check_decimals(decimals)
    if is_missing(value):
        return lang, decimals, NA_LABEL[lang]
    _check_number(value, what)
    if math.isinf(float(value)):
        return lang, decimals, _infinity(value, lang)
    return lang, decimals, None


def _infinity(value, lang: str) -> str:
    if value < 0:
        return "\u2212∞" if lang == "fr" else "-inf"
    return "∞" if lang == "fr" else "inf"


def format_number(value, decimals: int = 0, lang: str = "fr", *, sign: bool = False) -> str:
    """Format a number with the typography of ``lang``.

    French: decimal comma, narrow no-break space (U+202F) between thousands,
    minus sign U+2212. English: decimal point, comma between thousands,
    hyphen-minus. Rounding is half away from zero (``2.5 -> 3``), as in print
    statistics, not Python's banker's rounding. Missing values give ``"NA"``.

    Parameters
    ----------
    value : number or NA
    decimals : int, default 0
        Number of decimals kept (>= 0).
    lang : {"fr", "en"}
    sign : bool, default False
        Write ``+`` before positive numbers (for differences).

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(1234.5, 1)
    '1\u202f234,5'
    >>> format_number(-1234.5, 1, lang="en")
    '-1,234.5'
    >>> format_number(float("nan"))
    'NA'
    """
    lang, decimals, special = _checked(value, decimals, lang, "format_number")
    if special is not None:
        return special
    return _typeset(_round_half_up(value, decimals), decimals, lang, sign)


def format_percent(value, decimals: int = 0, lang: str = "fr", *, sign: bool = False) -> str:
    """Format a proportion (0.45) as a percentage (``"45 %"`` in French, ``"45%"`` in English).

    French typography puts a narrow no-break space (U+202F) before ``%``.

    Examples
    --------
    >>> format_percent(0.4567, 1)
    '45,7\u202f%'
    >>> format_percent(0.4567, 1, lang="en")
    '45.7%'
    """
    lang, decimals, special = _checked(value, decimals, lang, "format_percent")
    if special == NA_LABEL[lang]:
        return special
    number = special if special is not None else _typeset(
        _round_half_up(value, decimals, scale=100), decimals, lang, sign)
    return number + (NNBSP + "%" if lang == "fr" else "%")


def format_month(date, lang: str = "fr", *, year: bool = True) -> str:
    """Month name (and year) of a date: ``"juillet 2019"`` / ``"July 2019"``."""
    lang = check_lang(lang)
    if is_missing(date):
        return NA_LABEL[lang]
    ts = pd.Timestamp(date) if not isinstance(date, _dt.date) else date
    name = _MONTHS[lang][ts.month - 1]
    return f"{name} {ts.year}" if year else name


def number_formatter(decimals: int = 0, lang: str = "fr") -> FuncFormatter:
    """Matplotlib tick formatter using :func:`format_number`."""
    check_lang(lang)
    return FuncFormatter(lambda x, _pos: format_number(x, decimals, lang))


def percent_formatter(decimals: int = 0, lang: str = "fr") -> FuncFormatter:
    """Matplotlib tick formatter for proportions using :func:`format_percent`."""
    check_lang(lang)
    return FuncFormatter(lambda x, _pos: format_percent(x, decimals, lang))


def _axes_of(ax, axis: str):
    if axis not in ("x", "y", "both"):
        raise ValueError(f"axis must be 'x', 'y' or 'both', got {axis!r}")
    return [a for name, a in (("x", ax.xaxis), ("y", ax.yaxis)) if axis in (name, "both")]


def number_axis(ax, axis: str = "y", decimals: int = 0, lang: str = "fr"):
    """Format the ticks of ``ax``'s ``axis`` as numbers in ``lang``; returns ``ax``."""
    for a in _axes_of(ax, axis):
        a.set_major_formatter(number_formatter(decimals, lang))
    return ax


def percent_axis(ax, axis: str = "y", decimals: int = 0, lang: str = "fr"):
    """Format the ticks of ``ax``'s ``axis`` (holding proportions) as percentages; returns ``ax``."""
    for a in _axes_of(ax, axis):
        a.set_major_formatter(percent_formatter(decimals, lang))
    return ax
