"""Codebook labels of QCA sets (conditions and outcomes), written for use inside a sentence."""

from __future__ import annotations

from ..codebook import CONDITIONS, OUTCOMES
from ..text import check_lang

__all__ = ["set_label"]


def _lower_first(text: str) -> str:
    """Lower-case the first letter of a label, unless the label starts with an acronym ("RH", "RSA")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def set_label(name: str, lang: str = "fr") -> str | None:
    """Codebook label of a condition or outcome slug (``~`` for negation), written for use mid-sentence.

    Parameters
    ----------
    name : str
        A condition or outcome slug, optionally prefixed with ``~``.
    lang : {"fr", "en"}

    Returns
    -------
    str or None
        The label with its first letter in lower case (acronyms kept), with
        "non " / "not " before a negated set; None when ``name`` is not a
        codebook slug (a model expression such as ``"A*B"``).

    Examples
    --------
    >>> set_label("perennisation"), set_label("~portage_politique", "en")
    ('pérennisation', 'not strong political sponsorship')
    >>> set_label("A*B") is None
    True
    """
    lang = check_lang(lang)
    neg = name.startswith("~")
    slug = name[1:] if neg else name
    for vocab in (CONDITIONS, OUTCOMES):
        if slug in vocab:
            label = _lower_first(vocab.label(slug, lang))
            return ("non " if lang == "fr" else "not ") + label if neg else label
    return None
