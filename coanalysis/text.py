"""Language and number typography: the ground every label, table and figure stands on.

``lang`` is ``"fr"`` or ``"en"``; everywhere in the package ``lang=None`` means
:func:`default_lang` (``COANALYSIS_LANG``, set by ``coanalysis reproduce --lang``,
else French). Numbers, percentages and months are written with the typography of
the language (French: decimal comma, narrow no-break space U+202F between
thousands and before ``%``, minus sign U+2212), rounded half away from zero as in
print statistics, so that a figure never mixes ``0.45`` and ``45 %``.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from typing import Literal

import numpy as np
import pandas as pd

from .errors import is_missing

__all__ = [
    "Lang",
    "LANGS",
    "check_lang",
    "default_lang",
    "pick",
    "lower_first",
    "NNBSP",
    "NA_LABEL",
    "format_number",
    "format_percent",
    "format_month",
]

Lang = Literal["fr", "en"]

#: The languages of the package, French first.
LANGS: tuple[str, ...] = ("fr", "en")


def default_lang() -> Lang:
    """Language of labels: ``COANALYSIS_LANG`` (set by ``coanalysis reproduce --lang``), else ``"fr"``."""
    lang = os.environ.get("COANALYSIS_LANG", "fr")
    if lang not in LANGS:
        raise ValueError(f"COANALYSIS_LANG must be 'fr' or 'en', got {lang!r}: unset it or set it to fr or en")
    return lang  # type: ignore[return-value]


def check_lang(lang: str | None = None) -> Lang:
    """``lang`` checked; ``None`` means :func:`default_lang`.

    >>> check_lang("en")
    'en'
    >>> check_lang("de")
    Traceback (most recent call last):
    ...
    ValueError: lang must be 'fr' or 'en' (or None for the default language), got 'de'
    """
    if lang is None:
        return default_lang()
    if lang not in LANGS:
        raise ValueError(f"lang must be 'fr' or 'en' (or None for the default language), got {lang!r}")
    return lang  # type: ignore[return-value]


def pick(fr: str, en: str, lang: str | None = None) -> str:
    """The French or English variant of a text.

    >>> pick("Nombre de cas", "Number of cases", "en")
    'Number of cases'
    """
    return fr if check_lang(lang) == "fr" else en


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


def lower_first(text: str) -> str:
    """Lower-case the first letter of a label for use mid-sentence, unless it starts with an acronym.

    Examples
    --------
    >>> lower_first("Élus"), lower_first("RSA en Meurthe"), lower_first("")
    ('élus', 'RSA en Meurthe', '')
    """
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


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


def format_number(value, decimals: int = 0, lang: str | None = None, *, sign: bool = False) -> str:
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
    lang : {"fr", "en"}, optional
        Defaults to :func:`default_lang`.
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


def format_percent(value, decimals: int = 0, lang: str | None = None, *, sign: bool = False) -> str:
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


def format_month(date, lang: str | None = None, *, year: bool = True) -> str:
    """Month name (and year) of a date: ``"juillet 2019"`` / ``"July 2019"``."""
    lang = check_lang(lang)
    if is_missing(date):
        return NA_LABEL[lang]
    ts = pd.Timestamp(date) if not isinstance(date, _dt.date) else date
    name = _MONTHS[lang][ts.month - 1]
    return f"{name} {ts.year}" if year else name
