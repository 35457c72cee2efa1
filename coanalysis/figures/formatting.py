"""Axis tick formatters in French (default) or English typography (:mod:`coanalysis.text`)."""

from __future__ import annotations

from matplotlib.ticker import FuncFormatter

from ..text import check_lang, format_number, format_percent

__all__ = ["number_formatter", "percent_formatter", "number_axis", "percent_axis"]


def number_formatter(decimals: int = 0, lang: str | None = None) -> FuncFormatter:
    """Matplotlib tick formatter using :func:`format_number`."""
    lang = check_lang(lang)  # resolved once, not at every tick
    return FuncFormatter(lambda x, _pos: format_number(x, decimals, lang))


def percent_formatter(decimals: int = 0, lang: str | None = None) -> FuncFormatter:
    """Matplotlib tick formatter for proportions using :func:`format_percent`."""
    lang = check_lang(lang)  # resolved once, not at every tick
    return FuncFormatter(lambda x, _pos: format_percent(x, decimals, lang))


def _axes_of(ax, axis: str):
    if axis not in ("x", "y", "both"):
        raise ValueError(f"axis must be 'x', 'y' or 'both', got {axis!r}")
    return [a for name, a in (("x", ax.xaxis), ("y", ax.yaxis)) if axis in (name, "both")]


def number_axis(ax, axis: str = "y", decimals: int = 0, lang: str | None = None):
    """Format the ticks of ``ax``'s ``axis`` as numbers in ``lang``; returns ``ax``."""
    for a in _axes_of(ax, axis):
        a.set_major_formatter(number_formatter(decimals, lang))
    return ax


def percent_axis(ax, axis: str = "y", decimals: int = 0, lang: str | None = None):
    """Format the ticks of ``ax``'s ``axis`` (holding proportions) as percentages; returns ``ax``."""
    for a in _axes_of(ax, axis):
        a.set_major_formatter(percent_formatter(decimals, lang))
    return ax
