"""Read survey exports (CSV, XLSX, SPSS .sav) with declared Likert scales and a row-accounting report.

French exports are handled as they come: sniffed separator, decimal comma, thousands written
with a space, U+00A0 or U+202F, UTF-8 (with or without BOM) or cp1252. Nothing is guessed
about scales and nothing is dropped silently; a cell that could be read two ways ("1.310" in a
decimal-comma column), a quote that swallows rows, an uncomputed formula or a mixed encoding
is an error naming file, line, column and value, with a fix.

The modules, in reading order:

- :mod:`.read`: :func:`read_survey` as named steps (decode and split the file, check the header
  and the rows, parse the columns, report), and the CSV reader (runaway quotes, line counts);
- :mod:`.xlsx`: the worksheet reader (sheet choice, formulas without computed values);
- :mod:`.spss`: the SPSS reader and what a .sav file declares (value labels, user-missing codes);
- :mod:`.cells`: the per-cell rules (:func:`parse_number`, the fixes proposed, ragged rows,
  the cells recoded to NA);
- :mod:`.fast`: the same rules applied a column at a time (distinct values, blocks of rows
  split in one pass), which the tests compare with the per-cell rules.

Decoding and separator detection are shared with the case-base loader
(:mod:`coanalysis.loaders._text`).
"""

from .cells import parse_number
from .read import SurveyLoad, read_survey

__all__ = ["SurveyLoad", "read_survey", "parse_number"]
