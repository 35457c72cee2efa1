"""The layout of a coding workbook, shared by the writer (:mod:`.sheet`) and the reader
(:mod:`.importer`): which sheet codes which resource, its columns, where the data starts.

Every data sheet has the fields of its case-base resource (``datapackage.json``, as
:func:`~coanalysis.loaders.casebase.casebase_datapackage` builds it) in the schema's order, the
``coder`` column left out (the importer writes the coder's name), and after each field drawn
from a codebook vocabulary a column of French labels (``condition (libellé)``), which the
importer ignores. Row 1 holds the field names, row 2 what each field is; the units start on
row 3.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import codebook
from ..loaders.casebase import casebase_datapackage
from ..loaders.casebase.schema import coding_resource

#: The sheet row of the field names, of their descriptions, and of the first unit.
HEADER_ROW, DESCRIPTION_ROW, FIRST_ROW = 1, 2, 3

#: Suffix of the header of a column of French labels (ignored on import).
LABEL_SUFFIX = " (libellé)"

#: The hidden sheet holding who the workbook is for and which cases it codes.
META_SHEET = "_coanalysis"
#: The first cell of :data:`META_SHEET`: what the file is.
FORMAT = "coanalysis coding workbook 1"

INSTRUCTIONS_SHEET = "consignes"
LISTS_SHEET = "listes"

#: Blank rows left for units the coder adds (sources, flows).
BLANK_ROWS = {"sources": 30, "flows": 40}

#: ``{field name: vocabulary}`` of the drop-down lists that are not a field's own vocabulary.
_VALUE_LISTS = {"score": "score", "level": "level", "direct": "boolean"}


@dataclass(frozen=True)
class SheetLayout:
    """One data sheet: its title, the resource it codes, and its columns."""

    title: str
    table: str
    resource: dict
    #: the fields that name a unit (prefilled and locked for the units the sheet lists)
    keys: tuple[str, ...]

    @property
    def fields(self) -> list[dict]:
        """The resource's fields the coder fills or reads (all but ``coder``)."""
        return [f for f in self.resource["schema"]["fields"] if f["name"] != "coder"]

    @property
    def columns(self) -> list[tuple[str, dict | None]]:
        """``(header, field)`` of each column in order; ``field`` is None for a label column."""
        out: list[tuple[str, dict | None]] = []
        for fdef in self.fields:
            out.append((fdef["name"], fdef))
            if vocabulary_of(fdef) is not None:
                out.append((fdef["name"] + LABEL_SUFFIX, None))
        return out

    def column_of(self, name: str) -> int:
        """The 1-based column of a field's header."""
        return [h for h, _ in self.columns].index(name) + 1


def vocabulary_of(fdef: dict) -> codebook.Vocabulary | None:
    """The codebook vocabulary a field's values come from (None for other fields)."""
    return codebook.VOCABULARIES.get(fdef.get("coanalysis:vocabulary"))


def list_name(fdef: dict) -> str | None:
    """The name of the drop-down list of a field (a vocabulary, ``score``, ``level``,
    ``boolean``), or None when the field is free text."""
    vocab = vocabulary_of(fdef)
    if vocab is not None:
        return vocab.name
    return _VALUE_LISTS.get(fdef["name"])


def sheet_layouts(coder: str) -> list[SheetLayout]:
    """The data sheets of a workbook for ``coder``, in the order they appear.

    Case facts and sources are the main resources ``cases`` and ``sources``; conditions,
    outcomes and participation the coder's own coding resources
    (:func:`~coanalysis.loaders.casebase.schema.coding_resource`); flows the resource
    ``flows`` (coded by one coder so far, so without a ``coder`` column).
    """
    main = {r["name"]: r for r in casebase_datapackage()["resources"]}
    return [
        SheetLayout("cases", "cases", main["cases"], ("case_id",)),
        SheetLayout("sources", "sources", main["sources"], ()),
        SheetLayout("conditions", "conditions", coding_resource(coder, "conditions"),
                    ("case_id", "condition")),
        SheetLayout("outcomes", "outcomes", coding_resource(coder, "outcomes"),
                    ("case_id", "outcome")),
        SheetLayout("participation", "participation", coding_resource(coder, "participation"),
                    ("case_id", "actor", "stage")),
        SheetLayout("flows", "flows", main["flows"], ("case_id", "from_actor", "to_actor",
                                                      "channel")),
    ]


def value_lists() -> dict[str, list[tuple[object, str]]]:
    """``{list name: [(value, French label)]}`` of every drop-down list, in codebook order."""
    lists: dict[str, list[tuple[object, str]]] = {
        name: [(t.slug, t.fr) for t in vocab] for name, vocab in codebook.VOCABULARIES.items()
        if name not in ("level", "principle")
    }
    lists["score"] = [(s, label) for s, label in zip(codebook.FUZZY_SCORES, SCORE_ANCHORS_FR)]
    lists["level"] = [(int(t.slug), t.fr) for t in codebook.LEVELS]
    lists["boolean"] = [("true", "vrai"), ("false", "faux")]
    return lists


#: What each of the four fuzzy scores means (Ragin 2000, ch. 6: the four-value fuzzy set).
SCORE_ANCHORS_FR = ("pleinement hors de l'ensemble", "plutôt hors que dans",
                    "plutôt dans que hors", "pleinement dans l'ensemble")
SCORE_ANCHORS_EN = ("fully out of the set", "more out than in", "more in than out",
                    "fully in the set")
