"""The building blocks of every vocabulary: :class:`Term`, :class:`Vocabulary` (categorical codes
of the case base) and :class:`LikertScale` (ordered answer scales of the surveys)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import plain_scalar
from ..text import Lang, check_lang

__all__ = ["Term", "Vocabulary", "MISSING_REASONS", "LikertScale", "normalise_answer"]


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary: its slug (stored in data) and its labels."""

    slug: str
    fr: str
    en: str
    description: str = ""

    def label(self, lang: Lang | None = None) -> str:
        return self.fr if check_lang(lang) == "fr" else self.en


class Vocabulary(Sequence[Term]):
    """An ordered vocabulary of terms.

    >>> from coanalysis.codebook import ACTORS
    >>> ACTORS.slugs[:2]
    ('usagers', 'agents')
    >>> ACTORS.label("elus", "en")
    'Elected officials'
    """

    def __init__(self, name: str, terms: Sequence[Term]):
        self.name = name
        self._terms = tuple(terms)
        self._by_slug = {t.slug: t for t in self._terms}
        if len(self._by_slug) != len(self._terms):
            raise ValueError(f"duplicate slug in vocabulary {name!r}")

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, str):
            try:
                return self._by_slug[i]
            except KeyError:
                raise KeyError(f"{i!r} is not a {self.name}; expected one of {self.slugs}") from None
        return self._terms[i]

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self._terms)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}: {', '.join(self.slugs)})"

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self._terms)

    def labels(self, lang: Lang | None = None) -> tuple[str, ...]:
        """Labels in vocabulary order, in French (default) or English."""
        return tuple(t.label(lang) for t in self._terms)

    def label(self, slug: str, lang: Lang | None = None) -> str:
        """The label of one slug."""
        return self[slug].label(lang)

    def mapping(self, lang: Lang | None = None) -> dict[str, str]:
        """``{slug: label}`` in vocabulary order."""
        return {t.slug: t.label(lang) for t in self._terms}

    def dtype(self) -> pd.CategoricalDtype:
        """Ordered categorical dtype over the slugs."""
        return pd.CategoricalDtype(list(self.slugs), ordered=True)

    def categorical(self, values, lang: Lang | None = None) -> pd.Categorical:
        """Ordered categorical of ``values`` (slugs); with ``lang``, categories are labels."""
        cat = pd.Categorical(values, dtype=self.dtype())
        if lang is not None:
            cat = cat.rename_categories(list(self.labels(lang)))
        return cat

    def table(self) -> pd.DataFrame:
        """The vocabulary as a DataFrame (slug, fr, en, description)."""
        return pd.DataFrame(
            [(t.slug, t.fr, t.en, t.description) for t in self._terms],
            columns=["slug", "fr", "en", "description"],
        )


def normalise_answer(text: Any) -> str:
    """Lower-case, whitespace-collapsed form of a cell or label, as answers are matched to scale
    labels (``"  Plutôt\u00a0Satisfait "`` -> ``"plutôt satisfait"``; ``4.0`` and ``"4,00"`` -> ``"4"``).

    Examples
    --------
    >>> normalise_answer("  Plutôt\u00a0Satisfait "), normalise_answer(4.0), normalise_answer("4,00")
    ('plutôt satisfait', '4', '4')
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    if isinstance(text, (int, np.integer)) or (isinstance(text, (float, np.floating))
                                                and float(text).is_integer()):
        return str(int(text))
    s = re.sub(r"[\s\u00a0\u202f]+", " ", str(text)).strip().lower()
    s = s.replace("\u2019", "'")
    if re.fullmatch(r"-?\d+[.,]0+", s):
        s = s.split(".")[0].split(",")[0]
    return s


#: Why an answer was turned into NA (kept in the load report).
MISSING_REASONS = Vocabulary("missing_reason", [
    Term("ne_sait_pas", "Ne sait pas", "Don't know"),
    Term("sans_reponse", "Sans réponse", "No answer"),
    Term("non_concerne", "Non concerné", "Not applicable"),
    Term("cellule_vide", "Cellule vide", "Blank cell"),
    Term("manquant_declare", "Manquant déclaré dans le fichier", "Declared missing in the file",
         "SPSS user-missing code whose value label is none of the other reasons"),
])


@dataclass(frozen=True)
class LikertScale:
    """A declared answer scale: codes in order, their French and English labels, and the codes
    that mean a missing answer with the reason.

    Parameters
    ----------
    name : str
    levels : sequence of (code, French label, English label)
        From the lowest to the highest; codes are integers (the score).
    missing : dict, optional
        ``{code or label: reason}`` with reasons from :data:`MISSING_REASONS`
        (``"ne_sait_pas"``, ``"sans_reponse"``, ``"non_concerne"``, ``"manquant_declare"``).

    Examples
    --------
    >>> from coanalysis.codebook import SATISFACTION_4
    >>> SATISFACTION_4.codes
    (1, 2, 3, 4)
    >>> SATISFACTION_4.label(4, "en")
    'Very satisfied'
    >>> SATISFACTION_4.parse("Plutôt satisfait")
    (3, None)
    >>> SATISFACTION_4.parse("NSP")
    (None, 'ne_sait_pas')
    """

    name: str
    levels: tuple[tuple[int, str, str], ...]
    missing: Mapping[Any, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        levels = tuple((int(c), str(fr), str(en)) for c, fr, en in self.levels)
        object.__setattr__(self, "levels", levels)
        # numpy keys (np.int64(9)) as Python values: messages print them plainly
        object.__setattr__(self, "missing", {plain_scalar(k): r for k, r in self.missing.items()})
        if len(levels) < 2:
            raise ValueError(f"scale {self.name!r} needs at least 2 levels")
        codes = [c for c, _, _ in levels]
        if len(set(codes)) != len(codes) or codes != sorted(codes):
            raise ValueError(f"scale {self.name!r}: codes must be distinct and increasing, got {codes}")
        for key, reason in self.missing.items():
            if reason not in MISSING_REASONS:
                raise ValueError(f"scale {self.name!r}: reason {reason!r} for {key!r} is not one of "
                                 f"{MISSING_REASONS.slugs}")
        lookup: dict[str, tuple[int | None, str | None]] = {}
        for c, fr, en in levels:
            for k in (c, fr, en):
                lookup[normalise_answer(k)] = (c, None)
        for key, reason in self.missing.items():
            if normalise_answer(key) in lookup and lookup[normalise_answer(key)][0] is not None:
                raise ValueError(f"scale {self.name!r}: {key!r} is both a level and a missing code")
            lookup[normalise_answer(key)] = (None, reason)
        object.__setattr__(self, "_lookup", lookup)

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(c for c, _, _ in self.levels)

    def labels(self, lang: Lang | None = None) -> tuple[str, ...]:
        i = 1 if check_lang(lang) == "fr" else 2
        return tuple(level[i] for level in self.levels)

    def label(self, code: int, lang: Lang | None = None) -> str:
        return dict(zip(self.codes, self.labels(lang)))[int(code)]

    def dtype(self) -> pd.CategoricalDtype:
        """Ordered categorical dtype over the integer codes."""
        return pd.CategoricalDtype(list(self.codes), ordered=True)

    def categorical(self, values: Iterable) -> pd.Categorical:
        """Ordered categorical of already-valid codes (NA allowed)."""
        return pd.Categorical(values, dtype=self.dtype())

    def parse(self, value: Any) -> tuple[int | None, str | None]:
        """``(code, None)`` for an answer, ``(None, reason)`` for a missing code or blank cell;
        raises KeyError for anything else."""
        key = normalise_answer(value)
        if key == "":
            return (None, "cellule_vide")
        try:
            return self._lookup[key]  # type: ignore[attr-defined]
        except KeyError:
            raise KeyError(value) from None

    def describe(self) -> str:
        """What the scale accepts, for error messages."""
        lv = ", ".join(f"{c} = {fr!r}" for c, fr, _ in self.levels)
        miss = ", ".join(f"{k!r} ({r})" for k, r in self.missing.items())
        return f"a code of scale {self.name!r} ({lv})" + (f" or a missing code ({miss})" if miss else "")

    def __repr__(self) -> str:
        return f"LikertScale({self.name!r}: {' < '.join(self.labels('fr'))})"
