"""The bilingual words of the interface: legends, axis titles, table headers and summary words
that figures, tables and results print. Each entry is ``(French, English)``; :func:`word` picks
one.

Examples
--------
>>> word("na_legend", "en")
'NA: not documented'
"""

from __future__ import annotations

from ..text import Lang, pick

__all__ = ["WORDS", "word"]

#: ``{key: (French, English)}``.
WORDS: dict[str, tuple[str, str]] = {
    # French puts a no-break space (U+00A0) before ":" and ";" so that they never start a line
    "na_legend": ("NA\u00a0: non documenté", "NA: not documented"),
}


def word(key: str, lang: Lang | None = None) -> str:
    """The interface word ``key`` in ``lang`` (default: :func:`coanalysis.default_lang`)."""
    try:
        fr, en = WORDS[key]
    except KeyError:
        raise KeyError(f"{key!r} is not an interface word; known: {sorted(WORDS)}") from None
    return pick(fr, en, lang)
