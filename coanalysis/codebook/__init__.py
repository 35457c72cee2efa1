"""The vocabularies of coanalysis, in one place: the coding scheme of the case base, the survey
scales, and the bilingual words of the interface.

Import as ``from coanalysis import codebook`` or ``from coanalysis.codebook import ACTORS``.

- :mod:`.terms` — :class:`Term`, :class:`Vocabulary`, :class:`LikertScale`;
- :mod:`.casebase` — actors, stages, participation levels, conditions and principles, outcomes,
  corpora, kinds of authority, policy domains, channels, fuzzy scores, the classic chain;
- :mod:`.surveys` — the answer scales, missing-answer reasons and codes, the WHO-5;
- :mod:`.interface` — the words of figures, tables and summaries (NA legend, axis titles…).

This package is on the ground floor: it imports only :mod:`coanalysis.text` and
:mod:`coanalysis.errors`.
"""

from __future__ import annotations

from . import interface
from .casebase import *  # noqa: F401,F403
from .casebase import __all__ as _casebase_all
from .surveys import *  # noqa: F401,F403
from .surveys import __all__ as _surveys_all
from .terms import *  # noqa: F401,F403
from .terms import __all__ as _terms_all

__all__ = sorted(set(_terms_all) | set(_casebase_all) | set(_surveys_all)) + ["interface"]
