"""The coding workbook: :func:`coding_sheet` writes, for one coder, the units to code of new or
existing cases, with drop-down lists, French labels and the codebook's anchors, and nothing of
another coder's work."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from .. import codebook
from ..errors import DataError
from ..loaders.casebase import CaseBase, read_resources
from ..loaders.casebase.schema import CODER_NAME
from ..spreadsheet import neutralise_text
from .layout import (BLANK_ROWS, DESCRIPTION_ROW, FIRST_ROW, FORMAT, HEADER_ROW,
                     INSTRUCTIONS_SHEET, LISTS_SHEET, META_SHEET, SCORE_ANCHORS_EN,
                     SCORE_ANCHORS_FR, SheetLayout, list_name, sheet_layouts, value_lists,
                     vocabulary_of)

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_WIDTHS = {"evidence": 60, "summary_fr": 50, "summary_en": 50, "title": 40, "url": 40,
           "source_url": 40, "name": 30, "collectivity": 30}


def check_coder(coder: Any) -> str:
    """``coder`` if it is a coder's name (lower-case letters and digits, starting with a letter)."""
    if not isinstance(coder, str) or not re.fullmatch(CODER_NAME, coder):
        raise ValueError(f"coder must be a name of lower-case letters and digits starting with a "
                         f"letter (e.g. 'a', 'marie'), got {coder!r}")
    return coder


def _units_of(casebase: CaseBase | str | Path | None) -> dict[str, pd.DataFrame]:
    """The unit keys the case base holds: case ids, participation units, flows (keys only)."""
    if isinstance(casebase, CaseBase):
        frames = {"cases": casebase.cases, "participation": casebase.participation,
                  "flows": casebase.flows}
    else:
        frames, problems = read_resources(["cases", "participation", "flows"], casebase)
        if problems:
            raise DataError(problems, summary=f"{len(problems)} problem(s) in the case base: "
                                              "fix them before writing a coding workbook")
    return {
        "cases": frames["cases"][["case_id"]].astype(str),
        "participation": frames["participation"][["case_id", "actor", "stage"]].astype(str),
        "flows": frames["flows"][["case_id", "from_actor", "to_actor", "channel"]].astype(str),
    }


def _unit_rows(layout: SheetLayout, cases: list[str], existing: set[str],
               units: dict[str, pd.DataFrame]) -> list[dict[str, str]]:
    """The prefilled keys of the units ``layout`` codes for ``cases``, in case order."""
    rows: list[dict[str, str]] = []
    for case in cases:
        new = case not in existing
        if layout.table == "cases":
            rows += [{"case_id": case}] if new else []
        elif layout.table == "conditions":
            rows += [{"case_id": case, "condition": s} for s in codebook.CONDITIONS.slugs]
        elif layout.table == "outcomes":
            rows += [{"case_id": case, "outcome": s} for s in codebook.OUTCOMES.slugs]
        elif layout.table == "participation":
            if new:
                rows += [{"case_id": case, "actor": a, "stage": s}
                         for a in codebook.ACTORS.slugs for s in codebook.STAGES.slugs]
            else:
                part = units["participation"]
                rows += part[part["case_id"] == case].to_dict("records")
        elif layout.table == "flows" and not new:
            flows = units["flows"]
            rows += flows[flows["case_id"] == case].to_dict("records")
    return rows


def _text(value: Any) -> Any:
    """A value as written to a cell: a text never runs as a formula (see
    :func:`coanalysis.spreadsheet.neutralise_text`)."""
    return neutralise_text(value) if isinstance(value, str) else value


def _list_ranges() -> dict[str, str]:
    """The range of each drop-down list's values on the lists sheet, as a data validation
    refers to it (``listes!$A$2:$A$7``): list ``i`` in column ``2i + 1``, its labels beside."""
    from openpyxl.utils import get_column_letter
    return {name: f"{LISTS_SHEET}!${get_column_letter(2 * i + 1)}${HEADER_ROW + 1}:"
                  f"${get_column_letter(2 * i + 1)}${HEADER_ROW + len(values)}"
            for i, (name, values) in enumerate(value_lists().items())}


def _write_lists(wb: Any) -> None:
    """The sheet of drop-down values, each list's values with their French labels beside
    (the layout of :func:`_list_ranges`)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    ws = wb.create_sheet(LISTS_SHEET)
    for i, (name, values) in enumerate(value_lists().items()):
        col = 2 * i + 1
        ws.cell(HEADER_ROW, col, _text(name)).font = Font(bold=True)
        ws.cell(HEADER_ROW, col + 1, _text(f"{name} (libellé)")).font = Font(bold=True)
        for r, (value, label) in enumerate(values, start=HEADER_ROW + 1):
            ws.cell(r, col, _text(value))
            ws.cell(r, col + 1, _text(label))
        ws.column_dimensions[get_column_letter(col + 1)].width = 30
    ws.protection.sheet = True


def _instruction_lines(coder: str, cases: list[str], existing: set[str]) -> list[list[Any]]:
    """The rows of the instructions sheet: how to code, in French then English, and the
    codebook's anchors of every term."""
    new = [c for c in cases if c not in existing]
    old = [c for c in cases if c in existing]
    lines: list[list[Any]] = [
        [f"Classeur de codage — codeur {coder} / Coding workbook — coder {coder}"],
        [f"Cas nouveaux / new cases : {', '.join(new) or '—'} ; cas existants / existing "
         f"cases : {', '.join(old) or '—'}"],
        [],
        ["Consignes"],
        ["Codage à l'aveugle : ce classeur ne contient que les unités à coder, jamais les valeurs "
         "ni les preuves d'un autre codeur ; ne les consultez pas avant d'avoir importé votre "
         "codage."],
        ["Remplissez les cellules blanches ; les cellules grises (unités, libellés, en-têtes) "
         "sont protégées. Choisissez les valeurs dans les listes déroulantes (feuille "
         f"« {LISTS_SHEET} »)."],
        ["Une cellule vide est NA (non documenté). Toute valeur notée demande sa preuve (avec "
         "vos propres mots) et sa source (URL pour les conditions et résultats, identifiant "
         "S000 de la feuille « sources » ou de la base pour la participation et les flux)."],
        ["Aucune formule : une cellule qui commence par =, +, - ou @ est refusée à l'import."],
        ["Importez le classeur avec : coanalysis coding import FICHIER.xlsx"],
        [],
        ["Instructions"],
        ["Blind coding: this workbook holds only the units to code, never another coder's "
         "values or evidence; do not look at them before your coding is imported."],
        ["Fill the white cells; grey cells (units, labels, headers) are protected. Pick values "
         f"from the drop-down lists (sheet '{LISTS_SHEET}')."],
        ["An empty cell is NA (not documented). Every coded value needs its evidence (in your "
         "own words) and its source (a URL for conditions and outcomes, an S000 id of the "
         "'sources' sheet or of the case base for participation and flows)."],
        ["No formula: a cell beginning with =, +, - or @ is refused on import."],
        ["Import the workbook with: coanalysis coding import FILE.xlsx"],
        [],
        ["Scores flous / fuzzy scores", "score", "ancrage", "anchor"],
        *[["", s, fr, en] for s, fr, en in zip(codebook.FUZZY_SCORES, SCORE_ANCHORS_FR,
                                                SCORE_ANCHORS_EN)],
        ["", "(vide / empty)", "NA : aucune preuve", "NA: no evidence"],
        [],
    ]
    anchor_of_one = "ancrage : ce que 1 veut dire / anchor: what 1 means (codebook)"
    definition = "définition / definition (codebook)"
    for title, vocab, what in (("Conditions", codebook.CONDITIONS, anchor_of_one),
                               ("Résultats / outcomes", codebook.OUTCOMES, anchor_of_one),
                               ("Niveaux de participation / participation levels (IAP2)",
                                codebook.LEVELS, definition),
                               ("Acteurs / actors", codebook.ACTORS, definition),
                               ("Étapes / stages", codebook.STAGES, definition)):
        lines.append([title, "slug", "libellé", "label", what])
        for t in vocab:
            principle = " [principe clé / key principle]" if t.slug in codebook.PRINCIPLES else ""
            lines.append(["", t.slug, t.fr, t.en, t.description + principle])
        lines.append([])
    lines.append(["Les règles R1–R16 et P1–P6 de docs/reconciliation.md lisent chaque ancrage ; "
                  "The rules R1–R16 and P1–P6 of docs/reconciliation.md read each anchor."])
    return lines


def _write_data_sheet(wb: Any, layout: SheetLayout, rows: list[dict[str, str]],
                      ranges: dict[str, str]) -> None:
    """One data sheet: headers (protected), the prefilled unit keys and French labels (locked),
    the cells to fill (unlocked), a drop-down list on every column drawn from a list."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    ws = wb.create_sheet(layout.title)
    grey = PatternFill("solid", fgColor="DDDDDD")
    columns = layout.columns
    for col, (header, fdef) in enumerate(columns, start=1):
        ws.cell(HEADER_ROW, col, _text(header)).font = Font(bold=True)
        ws.cell(HEADER_ROW, col).fill = grey
        description = fdef.get("description", "") if fdef else "libellé français (ignoré à l'import)"
        cell = ws.cell(DESCRIPTION_ROW, col, _text(description))
        cell.fill = grey
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(header, 18)
    n_rows = len(rows) + BLANK_ROWS.get(layout.table, 0)
    last = FIRST_ROW + max(n_rows, 1) - 1
    for i in range(n_rows):
        r = FIRST_ROW + i
        unit = rows[i] if i < len(rows) else {}
        for col, (header, fdef) in enumerate(columns, start=1):
            cell = ws.cell(r, col)
            if fdef is None:  # the French label of the field on the left
                slug = unit.get(header.split(" ")[0])
                source = columns[col - 2][1]
                if slug is not None and source is not None:
                    cell.value = _text(vocabulary_of(source).label(slug, "fr"))
                cell.fill = grey
                continue
            if header in unit:
                cell.value = _text(unit[header])
                cell.fill = grey
                continue
            cell.protection = Protection(locked=False)
            if fdef.get("type", "string") == "string":
                cell.number_format = "@"  # text: a spreadsheet keeps 2019-07 as typed
            if header == "evidence":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, (header, fdef) in enumerate(columns, start=1):
        name = list_name(fdef) if fdef else None
        if name is None or name not in ranges:
            continue
        letter = get_column_letter(col)
        dv = DataValidation(type="list", formula1=ranges[name], allow_blank=True,
                            showErrorMessage=True, errorStyle="stop",
                            errorTitle="coanalysis", error=f"Valeur de la liste « {name} » / "
                                                           f"a value of the list '{name}'")
        dv.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # the coder may widen columns and rows
    ws.protection.formatRows = False


def coding_sheet(case_ids: Sequence[str], coder: str, out: str | Path,
                 casebase: CaseBase | str | Path | None = None) -> Path:
    """Write a coding workbook for ``coder``: the units to code of ``case_ids``, blind.

    Parameters
    ----------
    case_ids : sequence of str
        Cases to code: an id of the case base (an *existing* case) or a new slug (a *new* case).
    coder : str
        The coder's name (lower-case letters and digits, e.g. ``"a"``, ``"marie"``); the import
        writes ``data/cases/codings/coder_<coder>/``.
    out : str or Path
        The ``.xlsx`` file to write (replaced if it exists).
    casebase : CaseBase, str or Path, optional
        The case base whose cases and units are listed (default: the project's
        ``data/cases``).

    Returns
    -------
    Path
        ``out``.

    Notes
    -----
    Sheets: ``consignes`` (how to code, French then English, with the codebook's anchor of each
    condition, outcome, level, actor and stage and the four fuzzy scores), ``cases`` (the facts
    of each new case), ``sources`` (blank rows for the sources the coder cites), ``conditions``
    and ``outcomes`` (one row per case × term), ``participation`` (for a new case the codebook's
    6 × 6 grid of actor × stage, for an existing case the units the case base holds), ``flows``
    (an existing case's channels, then blank rows), ``listes`` (the drop-down values and their
    French labels) and a hidden ``_coanalysis`` sheet (coder, cases). Columns are the fields of
    the resources of ``datapackage.json`` (the coder's coding resources for conditions,
    outcomes and participation); a column of French labels follows each codebook slug.

    Blind: for an existing case the workbook holds the unit keys only (case, condition,
    actor × stage, the three keys of a flow), never a score, level or evidence of the case
    base or of another coder. No cell is a formula: every text goes through
    :func:`coanalysis.spreadsheet.neutralise_text`. The header rows, unit keys and labels are
    protected (sheet protection without password, against slips rather than people); the
    cells to fill are unlocked and, where the field has a vocabulary, a score, a level or a
    boolean, carry a drop-down list (a data validation on the ``listes`` sheet).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = coding_sheet(["transfo", "nouveau_cas"], "c", Path(tmp) / "c.xlsx")
    ...     wb = openpyxl.load_workbook(path)
    ...     wb.sheetnames[:4], wb["conditions"].max_row - 2
    (['consignes', 'cases', 'sources', 'conditions'], 26)
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    coder = check_coder(coder)
    cases = list(case_ids) if not isinstance(case_ids, str) else [case_ids]
    bad = [c for c in cases if not isinstance(c, str) or not _SLUG.match(c)]
    if not cases or bad:
        raise ValueError(f"case_ids must be one or more slugs (lower-case letters, digits and "
                         f"'_', starting with a letter), got {bad or cases!r}")
    if len(set(cases)) != len(cases):
        raise ValueError(f"case_ids lists a case twice: {cases}")
    units = _units_of(casebase)
    existing = set(units["cases"]["case_id"])
    wb = Workbook()
    guide = wb.active
    guide.title = INSTRUCTIONS_SHEET
    for line in _instruction_lines(coder, cases, existing):
        guide.append([_text(v) for v in line])
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column == 1 and cell.value:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (40, 22, 35, 35, 70)):
        guide.column_dimensions[letter].width = width
    guide.protection.sheet = True
    ranges = _list_ranges()
    for layout in sheet_layouts(coder):
        _write_data_sheet(wb, layout, _unit_rows(layout, cases, existing, units), ranges)
    _write_lists(wb)
    meta = wb.create_sheet(META_SHEET)
    for row in ([FORMAT], ["coder", coder], ["cases", ";".join(cases)],
                ["new_cases", ";".join(c for c in cases if c not in existing)]):
        meta.append([_text(v) for v in row])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    out = Path(out)
    handle, tmp = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".",
                                   prefix=f".{out.name}.", suffix=".tmp")
    os.close(handle)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
