"""The case base: its Data Package descriptor, a schema checker that reports every problem, and the loader.

``data/cases/`` is a Frictionless Data Package (``datapackage.json`` + one CSV per
resource). :func:`validate_casebase` checks every file against the Table Schemas
of the descriptor and the codebook and returns the list of problems;
:func:`load_casebase` raises :class:`~coanalysis.errors.DataError` listing all of
them, or returns a :class:`CaseBase` of typed DataFrames.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import json
import math
import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from .. import codebook
from ..text import Lang, check_lang
from ..errors import DataError, Problem
from ..paths import data_dir
from ..spreadsheet import FORMULA_TRIGGERS
from ._paths import resolve_inside

__all__ = [
    "CaseBase",
    "CASEBASE_TABLES",
    "CODING_RESOURCES",
    "casebase_datapackage",
    "write_casebase_datapackage",
    "validate_casebase",
    "load_casebase",
    "read_resources",
    "same_score",
    "format_score",
]

#: The six main tables of the case base, in the order they are checked and shown.
CASEBASE_TABLES: tuple[str, ...] = (
    "cases", "sources", "participation", "conditions", "outcomes", "flows",
)

#: The independent codings kept next to the reconciled tables (resource name -> path),
#: and the log of how each disagreement between them was settled.
CODING_RESOURCES: dict[str, str] = {
    **{f"{coder}_{table}": f"codings/{coder}/{table}.csv"
       for coder in ("coder_a", "coder_b")
       for table in ("conditions", "outcomes", "participation")},
    "reconciliation": "codings/reconciliation.csv",
    "reconciliation_participation": "codings/reconciliation_participation.csv",
}

DESCRIPTOR = "datapackage.json"
_EXT = "coanalysis:"  # prefix of the project's own (non-standard) descriptor properties

_SLUG = r"^[a-z][a-z0-9_]*$"
_INSEE = r"^[0-9][0-9AB][0-9]{0,3}(;[0-9][0-9AB][0-9]{0,3})*$"
_SIREN = r"^[0-9]{9}(;[0-9]{9})*$"
_SOURCE_ID = r"^S[0-9]{3}$"
_URL = r"^https?://\S+$"
_PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_YEAR = {"minimum": 1900, "maximum": 2100}


# --------------------------------------------------------------------------------------
# The descriptor
# --------------------------------------------------------------------------------------

def _field(name: str, ftype: str, description: str, *, required: bool = False,
           **constraints: Any) -> dict:
    """A Table Schema field of type ``ftype``, its constraints only when there are some."""
    cons = {"required": True} if required else {}
    cons.update(constraints)
    out: dict[str, Any] = {"name": name, "type": ftype, "description": description}
    if cons:
        out["constraints"] = cons
    return out


def _str(name: str, description: str, *, required: bool = False, **constraints: Any) -> dict:
    return _field(name, "string", description, required=required, **constraints)


def _vocab(name: str, vocabulary: codebook.Vocabulary, description: str,
           *, required: bool = True) -> dict:
    out = _str(name, description, required=required, enum=list(vocabulary.slugs))
    out[_EXT + "vocabulary"] = vocabulary.name
    return out


def _int(name: str, description: str, *, required: bool = False, **constraints: Any) -> dict:
    return _field(name, "integer", description, required=required, **constraints)


def _score(name: str = "score") -> dict:
    return {
        "name": name,
        "type": "number",
        "description": "fuzzy membership score of the codebook's 4-value scheme; empty = NA (no evidence)",
        "constraints": {"enum": list(codebook.FUZZY_SCORES)},
    }


def _evidence_fields(source_field: str = "source_id") -> list[dict]:
    source = (
        _str("source_id", "id of the source backing the value (sources.source_id)",
             pattern=_SOURCE_ID)
        if source_field == "source_id"
        else _str("source_url", "URL of the source exactly as written in the dossier",
                  pattern=_URL)
    )
    return [
        _str("evidence", "what in the source supports the value, in the coder's own words"),
        source,
    ]


def _fk(field_name: str, resource: str, target: str) -> dict:
    return {"fields": field_name, "reference": {"resource": resource, "fields": target}}


def _evidence_rule(value: str, requires: list[str]) -> dict:
    return {"rule": "required_with", "field": value, "requires": requires}


def _resource(name: str, path: str, title: str, *, schema: dict) -> dict:
    """A tabular-data-resource descriptor: a UTF-8 CSV file with its Table Schema."""
    return {
        "name": name,
        "path": path,
        "title": title,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


def _coder_field(name: str) -> dict:
    """The ``coder`` column: "A" or "B" in a coder's own file, "A+B" in a reconciled table."""
    who = _RECONCILED_CODER if not name.startswith("coder_") else name.split("_")[1].upper()
    return _str("coder", f"who coded the value: {who!r} in this file", enum=[who])


_RECONCILED_CODER = "A+B"


def _reconciliation_log(name: str) -> dict:
    """Where the reconciled table ``name`` finds the log of its disagreements, and what it copies."""
    if name == "participation":
        return {"resource": "reconciliation_participation",
                "key": {k: k for k in _PARTICIPATION_KEY},
                "copied": {f: f for f in ("level", "evidence", "source_id", "note")}}
    item = "condition" if name == "conditions" else "outcome"
    return {"resource": "reconciliation", "where": {"table": name},
            "key": {"case_id": "case_id", item: "variable"},
            "copied": {f: f for f in ("score", "evidence", "note")}}


def _scored_table(name: str, path: str, item: str, vocabulary: codebook.Vocabulary,
                  *, reconciled: bool, title: str) -> dict:
    source_field = "source_id" if reconciled else "source_url"
    fields = [
        _str("case_id", "case (cases.case_id)", required=True, pattern=_SLUG),
        _vocab(item, vocabulary, f"{vocabulary.name} slug of the codebook"),
        _score(),
        *_evidence_fields(source_field),
        _coder_field(name),
    ]
    if reconciled:
        fields.append(_str("note", "how a disagreement between the two coders was settled; "
                                   "empty when they agreed"))
    foreign = [_fk("case_id", "cases", "case_id")]
    if reconciled:
        foreign.append(_fk("source_id", "sources", "source_id"))
    return _resource(
        name, path,
        title,
        schema={
            "fields": fields,
            "missingValues": [""],
            "primaryKey": ["case_id", item],
            "foreignKeys": foreign,
            _EXT + "rules": [_evidence_rule("score", ["evidence", source_field, "coder"])],
            _EXT + "allCombinations": ["case_id", item],
            **({_EXT + "reconciles": {
                "codings": [f"{coder}_{name}" for coder in ("coder_a", "coder_b")],
                "value": "score", "note": "note", "log": _reconciliation_log(name)}}
               if reconciled else {}),
        },
    )


_PARTICIPATION_KEY = ["case_id", "actor", "stage"]


def _level(name: str = "level", description: str = "participation level 0-5 (codebook); empty = NA"
           ) -> dict:
    return _int(name, description, minimum=0, maximum=5,
                enum=[int(s) for s in codebook.LEVELS.slugs])


def _participation_unit_fields() -> list[dict]:
    """The fields naming a participation unit: case, actor, stage."""
    return [
        _str("case_id", "case (cases.case_id)", required=True, pattern=_SLUG),
        _vocab("actor", codebook.ACTORS, "actor type"),
        _vocab("stage", codebook.STAGES, "stage of the policy cycle"),
    ]


def _participation_table(name: str, path: str, *, reconciled: bool, title: str) -> dict:
    """Participation levels: the reconciled table, or one coder's independent coding."""
    fields = [
        *_participation_unit_fields(),
        _level(),
        *_evidence_fields(),
        _coder_field(name),
    ]
    if reconciled:
        fields.append(_str("note", "how a disagreement between the two coders was settled; "
                                   "empty when they agreed"))
    return _resource(
        name, path, title,
        schema={
            "fields": fields,
            "missingValues": [""],
            "primaryKey": list(_PARTICIPATION_KEY),
            "foreignKeys": [_fk("case_id", "cases", "case_id"),
                            _fk("source_id", "sources", "source_id")],
            _EXT + "rules": [_evidence_rule("level", ["evidence", "source_id", "coder"])],
            **({_EXT + "reconciles": {
                "codings": [f"{coder}_{name}" for coder in ("coder_a", "coder_b")],
                "value": "level", "note": "note", "sameUnits": True,
                "log": _reconciliation_log(name)}} if reconciled else {}),
        },
    )


def _participation_reconciliation_resource(path: str) -> dict:
    return _resource(
        "reconciliation_participation", path,
        "How each disagreement between the two codings of participation levels was settled",
        schema={
            "fields": [
                *_participation_unit_fields(),
                _level("level_a", "coder A's level (empty = NA)"),
                _level("level_b", "coder B's level (empty = NA)"),
                _level("level", "the reconciled level (empty = NA)"),
                *_evidence_fields(),
                _str("note", "which level was retained and why", required=True),
            ],
            "missingValues": [""],
            "primaryKey": list(_PARTICIPATION_KEY),
            "foreignKeys": [_fk("case_id", "cases", "case_id"),
                            _fk("source_id", "sources", "source_id")],
            _EXT + "rules": [_evidence_rule("level", ["evidence", "source_id"])],
            _EXT + "matches": {
                "keyFields": list(_PARTICIPATION_KEY),
                "targetField": "level",
                "values": {"level_a": "coder_a_participation", "level_b": "coder_b_participation",
                           "level": "participation"},
            },
        },
    )


def _reconciliation_resource(path: str) -> dict:
    score = _score()
    return _resource(
        "reconciliation", path,
        "How each disagreement between the two codings was settled",
        schema={
            "fields": [
                _str("table", "the reconciled table", required=True,
                     enum=["conditions", "outcomes"]),
                _str("case_id", "case (cases.case_id)", required=True, pattern=_SLUG),
                _str("variable", "condition or outcome slug", required=True,
                     enum=[*codebook.CONDITIONS.slugs, *codebook.OUTCOMES.slugs]),
                {**score, "name": "score_a", "description": "coder A's score (empty = NA)"},
                {**score, "name": "score_b", "description": "coder B's score (empty = NA)"},
                {**score, "description": "the reconciled score (empty = NA)"},
                *_evidence_fields("source_url"),
                _str("note", "which score was retained and why", required=True),
            ],
            "missingValues": [""],
            "primaryKey": ["table", "case_id", "variable"],
            "foreignKeys": [_fk("case_id", "cases", "case_id")],
            _EXT + "rules": [_evidence_rule("score", ["evidence", "source_url"])],
            _EXT + "matches": {
                "resourceField": "table",
                "keyFields": ["case_id", "variable"],
                "targetField": "score",
                "values": {"score_a": "coder_a_{table}", "score_b": "coder_b_{table}",
                           "score": "{table}"},
            },
        },
    )


def casebase_datapackage() -> dict:
    """The Data Package descriptor of the case base, built from the codebook.

    Returns
    -------
    dict
        A Frictionless Data Package descriptor (``datapackage.json``): one
        tabular resource per CSV with its Table Schema (field types, ``required``,
        ``enum`` = codebook slugs, ranges, patterns, ``primaryKey``,
        ``foreignKeys``), licence CC-BY-4.0.

    Notes
    -----
    Besides standard Table Schema, six properties prefixed ``coanalysis:`` carry
    the rules the standard cannot say, and the checker of this module applies them:

    * ``coanalysis:vocabulary`` on a field: the codebook vocabulary its ``enum``
      comes from (the loader turns it into an ordered categorical);
    * ``coanalysis:rules``: row rules — ``required_with`` (a coded value needs its
      evidence, source and coder), ``not_before`` (end year ≥ start year),
      ``not_equal`` (a case is not its own parent), ``skips_chain`` (a flow's
      ``direct`` is true exactly when its two actors are both on the classic chain
      ``codebook.CLASSIC_CHAIN`` and not adjacent: with :math:`i, j` their ranks
      on the chain, ``direct`` = :math:`|i - j| > 1`);
    * ``coanalysis:allCombinations``: the table has one row for every case ×
      every term of the vocabulary (conditions and outcomes are coded for all
      cases, NA included);
    * ``coanalysis:reconciles`` on the reconciled conditions, outcomes and
      participation levels: where the two independent codings give different
      values (or one gives NA), the reconciled row must carry a ``note`` saying
      how it was settled; where they give the same value (or both NA), the
      reconciled value is that value, with no note. Its ``log`` names the
      reconciliation log: one row per disagreement and none elsewhere, and the
      reconciled row copies the log's ``copied`` fields. With ``sameUnits``
      (participation, whose units are a list of case × actor × stage rather than
      every combination), the reconciled table and both codings hold exactly the
      same units;
    * ``coanalysis:matches`` on the reconciliation logs: their ``score_a``,
      ``score_b`` and ``score`` (``level_a``, ``level_b``, ``level``) equal the
      values of coder A, coder B and the reconciled table for the same unit;
    * ``coanalysis:itemForeignKeys``: foreign keys of a ``list`` field, checked
      item by item. ``source_ids`` of ``cases`` is a ``list`` field (Table
      Schema v2) of ``;``-separated ids, each one a ``sources.source_id``. A
      standard ``foreignKeys`` entry compares whole cells, and the reference
      implementation (frictionless) stops on one that names a list field, so
      this key is kept out of ``foreignKeys``: the descriptor stays a valid Data
      Package for any standard reader (``tests/test_casebase_frictionless.py``).

    References
    ----------
    Frictionless Data, *Data Package* and *Table Schema* specifications,
    https://specs.frictionlessdata.io/

    Examples
    --------
    >>> dp = casebase_datapackage()
    >>> [r["name"] for r in dp["resources"]][:3]
    ['cases', 'sources', 'participation']
    """
    cases = _resource(
        "cases", "cases.csv",
        "Experiments of co-construction (one row per case)",
        schema={
            "fields": [
                _str("case_id", "short slug identifying the case", required=True,
                     unique=True, pattern=_SLUG),
                _str("name", "name of the experiment, in French", required=True),
                _vocab("corpus", codebook.CORPORA, "ost2019 (the study's five cases) or comparables"),
                _str("collectivity", "the local authority (or programme holder) running it",
                     required=True),
                _vocab("collectivity_type", codebook.COLLECTIVITY_TYPES, "kind of local authority"),
                _str("insee_code", "INSEE code(s) of the collectivity, ';'-separated, leading zeros kept",
                     pattern=_INSEE),
                _str("siren", "SIREN number(s), 9 digits, ';'-separated", pattern=_SIREN),
                _int("population", "population of the collectivity", minimum=0),
                _int("population_year", "year of the population figure", **_YEAR),
                _str("region", "current region, French name"),
                _vocab("domain", codebook.DOMAINS, "policy domain"),
                _int("start_year", "first year of the experiment", **_YEAR),
                _int("end_year", "last year (empty if ongoing or unknown)", **_YEAR),
                _str("parent_case", "programme or case this one belongs to (cases.case_id)",
                     pattern=_SLUG),
                _str("summary_fr", "two or three sentences in French", required=True),
                _str("summary_en", "the same in English"),
                {
                    "name": "source_ids",
                    "type": "list",
                    "delimiter": ";",
                    "itemType": "string",
                    "description": "source_id(s) backing the row's facts, ';'-separated",
                    "constraints": {"required": True},
                },
            ],
            "missingValues": [""],
            "primaryKey": ["case_id"],
            "foreignKeys": [_fk("parent_case", "cases", "case_id")],
            # a Table Schema foreign key compares whole cells: the items of a list field are
            # checked one by one by the project's checker (the reference implementation,
            # frictionless, cannot take a foreign key on a list field)
            _EXT + "itemForeignKeys": [_fk("source_ids", "sources", "source_id")],
            _EXT + "rules": [
                {"rule": "not_before", "field": "end_year", "other": "start_year"},
                {"rule": "not_equal", "field": "parent_case", "other": "case_id"},
            ],
        },
    )
    sources = _resource(
        "sources", "sources.csv",
        "Public sources cited by the coding",
        schema={
            "fields": [
                _str("source_id", "'S' + 3 digits", required=True, unique=True, pattern=_SOURCE_ID),
                _str("title", "title of the page or document", required=True),
                _str("publisher", "who published it"),
                _str("url", "address of the source", required=True, unique=True, pattern=_URL),
                _str("date", "publication date: YYYY, YYYY-MM or YYYY-MM-DD; empty if unknown",
                     pattern=_PARTIAL_DATE),
                {"name": "accessed", "type": "date", "format": "default",
                 "description": "date the source was read for the coding",
                 "constraints": {"required": True}},
            ],
            "missingValues": [""],
            "primaryKey": ["source_id"],
        },
    )
    participation = _participation_table(
        "participation", "participation.csv", reconciled=True,
        title="Participation level of each actor at each stage (IAP2 levels 0-5, reconciled coding)")
    flows = _resource(
        "flows", "flows.csv",
        "Information circuits: directed channels between actor types",
        schema={
            "fields": [
                _str("case_id", "case (cases.case_id)", required=True, pattern=_SLUG),
                _vocab("from_actor", codebook.ACTORS, "actor the information comes from"),
                _vocab("to_actor", codebook.ACTORS, "actor it goes to"),
                _vocab("channel", codebook.CHANNELS,
                       "device carrying the information (codebook channel slug: atelier, vote...)"),
                {"name": "direct", "type": "boolean", "trueValues": ["true"],
                 "falseValues": ["false"],
                 "description": "true exactly when the channel links two non-adjacent actors "
                                "of the classic chain usagers > agents > encadrement > elus "
                                "(it skips a link); false along the chain and for channels "
                                "through partenaires or tiers",
                 "constraints": {"required": True}},
                _str("evidence", "what in the source shows the channel, in the coder's own words",
                     required=True),
                _str("source_id", "id of the source (sources.source_id)", required=True,
                     pattern=_SOURCE_ID),
            ],
            "missingValues": [""],
            "primaryKey": ["case_id", "from_actor", "to_actor", "channel"],
            "foreignKeys": [_fk("case_id", "cases", "case_id"),
                            _fk("source_id", "sources", "source_id")],
            _EXT + "rules": [{"rule": "skips_chain", "field": "direct", "from": "from_actor",
                              "to": "to_actor", "chain": list(codebook.CLASSIC_CHAIN)}],
        },
    )
    conditions = _scored_table("conditions", "conditions.csv", "condition", codebook.CONDITIONS,
                               reconciled=True,
                               title="Conditions and the four key principles (reconciled coding)")
    outcomes = _scored_table("outcomes", "outcomes.csv", "outcome", codebook.OUTCOMES,
                             reconciled=True, title="Outcomes (reconciled coding)")
    codings = []
    for name, path in CODING_RESOURCES.items():
        if name == "reconciliation":
            codings.append(_reconciliation_resource(path))
            continue
        if name == "reconciliation_participation":
            codings.append(_participation_reconciliation_resource(path))
            continue
        coder, table = name.rsplit("_", 1)
        if table == "participation":
            codings.append(_participation_table(
                name, path, reconciled=False,
                title=f"Independent coding of the participation levels by {coder.replace('_', ' ')}"))
            continue
        item, vocab = (("condition", codebook.CONDITIONS) if table == "conditions"
                       else ("outcome", codebook.OUTCOMES))
        codings.append(_scored_table(
            name, path, item, vocab, reconciled=False,
            title=f"Independent coding of the {table} by {coder.replace('_', ' ')}"))
    return {
        "profile": "tabular-data-package",
        "name": "coanalysis-casebase",
        "title": "Case base of French local experiments in co-construction of public policy",
        "description": (
            "The five cases of the OST/MNT cahier n°22 (2019) and comparable French local "
            "experiments, coded by the coanalysis project from public sources (not the OST's "
            "own data): participation levels, conditions and outcomes as fuzzy scores, "
            "information circuits, each coded value with evidence and a source."
        ),
        "version": "1.0.0",
        "licenses": [{
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }],
        "resources": [cases, sources, participation, conditions, outcomes, flows, *codings],
    }


def write_casebase_datapackage(path: str | Path | None = None) -> Path:
    """Write :func:`casebase_datapackage` to ``<path>/datapackage.json`` and return the file.

    ``path`` defaults to ``data_dir() / "cases"``. The output is deterministic
    (sorted nowhere, indented, UTF-8, trailing newline), so rewriting changes no byte.
    """
    folder = Path(path) if path is not None else data_dir() / "cases"
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / DESCRIPTOR
    out.write_text(json.dumps(casebase_datapackage(), indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    return out


# --------------------------------------------------------------------------------------
# Cell parsing against a Table Schema field
# --------------------------------------------------------------------------------------

_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_INT64_MIN, _INT64_MAX = -(2 ** 63), 2 ** 63 - 1
_NUM_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")


class _CellError(Exception):
    def __init__(self, expected: str, hint: str = ""):
        super().__init__(expected)
        self.expected = expected
        self.hint = hint


_NA_SPELLINGS = {"NA", "N/A", "NAN", "NULL", "NONE", "-"}


def _numeric_error(text: str, expected: str, decimal_hint: str) -> "_CellError":
    """The error for a cell that is not the number expected, with the likely fix."""
    hint = ""
    if _NUM_RE.match(text.replace(",", ".")):
        hint = decimal_hint
    elif text.upper() in _NA_SPELLINGS:
        hint = "leave the field empty for NA"
    return _CellError(expected, hint)


def _parse_typed(text: str, fdef: dict) -> Any:
    """Parse one non-missing cell to its Python value or raise _CellError."""
    ftype = fdef.get("type", "string")
    if ftype == "string":
        return text
    if ftype == "integer":
        if _INT_RE.match(text):
            value = int(text)
            if not _INT64_MIN <= value <= _INT64_MAX:  # the Int64 column could not hold it
                raise _CellError("an integer within the 64-bit range (about ±9.2e18)",
                                 "check the value (digits pasted together?)")
            return value
        raise _numeric_error(text, "an integer", "write a whole number without decimals")
    if ftype == "number":
        if _NUM_RE.match(text):
            value = float(text)
            if math.isinf(value):  # float("1e400") is inf, not an error
                raise _CellError("a finite number", "the number is beyond the range of a float "
                                 "(about ±1.8e308): correct the cell")
            return value
        raise _numeric_error(text, "a number", "use a decimal point, not a comma")
    if ftype == "boolean":
        true_values = fdef.get("trueValues", ["true", "True", "TRUE", "1"])
        false_values = fdef.get("falseValues", ["false", "False", "FALSE", "0"])
        if text in true_values:
            return True
        if text in false_values:
            return False
        raise _CellError(f"a boolean ({' or '.join(true_values + false_values)})",
                         "write true or false in lower case" if text.lower() in
                         {"true", "false"} else "")
    if ftype == "date":
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                raise ValueError(text)
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise _CellError("an existing date written YYYY-MM-DD") from None
    if ftype == "list":
        items = text.split(fdef.get("delimiter", ","))
        if any(item.strip() != item or item == "" for item in items):
            raise _CellError(f"a list separated by {fdef.get('delimiter', ',')!r} without "
                             "spaces or empty items")
        return items
    raise _CellError(f"a value of the unsupported type {ftype!r}",
                     "fix the type in datapackage.json")


def _format_enum(values: list) -> str:
    return ", ".join(_fmt(v) for v in values)


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_constraints(value: Any, text: str, fdef: dict) -> None:
    """Raise _CellError when ``value`` breaks one of the field's constraints (the first one)."""
    cons = fdef.get("constraints", {})
    if "enum" in cons:
        allowed = cons["enum"]
        if isinstance(value, float):
            ok = any(math.isclose(value, float(a), abs_tol=1e-9) for a in allowed)
        else:
            ok = value in allowed
        if not ok:
            hint = ""
            if isinstance(value, float) and math.isclose(value, 0.5):
                hint = ("0.5 is not a score of the 4-value scheme (maximum ambiguity has no "
                        "place in a calibrated set): choose 0.33 (more out than in) or "
                        "0.67 (more in than out)")
            elif isinstance(value, str) and value.strip() in allowed:
                hint = "remove the surrounding spaces"
            elif isinstance(value, str) and value.lower() in allowed:
                hint = f"write it in lower case: {value.lower()!r}"
            vocab = fdef.get(_EXT + "vocabulary")
            article = "an" if vocab and vocab[0] in "aeiou" else "a"
            what = f"{article} {vocab} of the codebook" if vocab else "one of the allowed values"
            raise _CellError(f"{what} ({_format_enum(allowed)})", hint)
    if "minimum" in cons and value < cons["minimum"]:
        raise _CellError(f"a value >= {_fmt(cons['minimum'])}")
    if "maximum" in cons and value > cons["maximum"]:
        raise _CellError(f"a value <= {_fmt(cons['maximum'])}")
    if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
        raise _CellError(f"a value matching {cons['pattern']}", _pattern_hint(cons["pattern"]))
    if cons.get("pattern") == _PARTIAL_DATE:
        _check_partial_date(text)




def _check_not_a_formula(text: str) -> None:
    """Raise _CellError when a text cell would run as a formula in a spreadsheet.

    Excel and LibreOffice evaluate a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and
    strip a leading tab or carriage return before doing so), so a text such as
    ``=HYPERLINK("http://…")`` or ``+cmd|' /C calc'!A0`` in a case-base CSV would run on the
    machine of whoever opens it. Only text cells (``string`` and ``list`` fields) are checked:
    a number in an ``integer`` or ``number`` field, ``-1`` included, is parsed as a number.

    References
    ----------
    OWASP, *CSV Injection*, https://owasp.org/www-community/attacks/CSV_Injection
    """
    if text.startswith(FORMULA_TRIGGERS):
        first = {"\t": "a tab", "\r": "a carriage return"}.get(text[0], repr(text[0]))
        raise _CellError("a text that does not begin with =, +, -, @, a tab or a carriage return",
                         f"a spreadsheet would run this cell as a formula (it begins with "
                         f"{first}): reword it so that it begins with a letter or a digit")


def _pattern_hint(pattern: str) -> str:
    return {
        _SLUG: "a slug: lower-case letters, digits and '_', starting with a letter",
        _SOURCE_ID: "a source id is 'S' followed by 3 digits, e.g. S007",
        _URL: "a full address starting with http:// or https://",
        _PARTIAL_DATE: "an ISO date: YYYY, YYYY-MM or YYYY-MM-DD",
        _SIREN: "a SIREN is 9 digits; separate several with ';' and no space",
        _INSEE: "INSEE codes are kept as text with their leading zeros; separate several with ';'",
    }.get(pattern, "")


def _check_partial_date(text: str) -> None:
    parts = [int(p) for p in text.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise _CellError("an existing calendar date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


# --------------------------------------------------------------------------------------
# Reading a CSV with line numbers and checking it
# --------------------------------------------------------------------------------------

def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first line of the record in the file, fields)``; the header is line 1.

    ``csv.reader.line_num`` counts physical lines read so far, so a quoted field
    spanning several lines moves the next record's first line accordingly.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise _CsvSyntaxError(start, str(err)) from None
            yield start, row
            start = reader.line_num + 1


class _CsvSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class _Table:
    """A checked table: parsed rows (dicts) with their line numbers and the header read."""

    name: str
    label: str
    schema: dict
    rows: list[dict] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    readable: bool = False
    #: (line, field) of the cells that failed their own checks (already reported)
    invalid: set = field(default_factory=set)

    def has(self, *names: str) -> bool:
        """True when the file was read and its header holds every column of ``names``.

        Checks that compare this table with another skip it otherwise: an
        unreadable file (wrong encoding, wrong separator, broken quotes) or a
        missing column is reported once, not once per row of every other table.
        """
        return self.readable and all(n in self.columns for n in names)


def _check_table(path: Path, resource: dict, problems: list[Problem]) -> _Table:
    """Read and check the CSV file ``path`` of ``resource`` (a path already checked by
    :func:`._paths.resolve_inside`) against the resource's Table Schema."""
    label = resource["path"]
    schema = resource["schema"]
    table = _Table(resource["name"], label, schema)
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    by_name = {f["name"]: f for f in fields}
    missing_values = set(schema.get("missingValues", [""]))
    if not path.is_file():
        problems.append(Problem(label, None, None, None, "a CSV file for the resource "
                                f"{resource['name']!r}", "the file does not exist"))
        return table
    try:
        records = list(_records(path))
    except UnicodeDecodeError:
        line, found, guess = _decode_error(path)
        problems.append(Problem(label, line, None, found, "a file encoded in UTF-8",
                                f"re-save the file as CSV UTF-8{guess}"))
        return table
    except _CsvSyntaxError as err:
        problems.append(Problem(label, err.line, None, None, "a well-formed CSV record",
                                f"the csv reader stopped here ({err.message}); check the "
                                "quotes of this record"))
        return table
    except OSError as err:
        problems.append(Problem(label, None, None, None, "a readable file",
                                f"{err.strerror or err}: check the file's permissions"))
        return table
    if not records:
        problems.append(Problem(label, 1, None, None, "a header row", "the file is empty"))
        return table
    _, header = records[0]
    separator = _foreign_separator(header)
    if separator is not None:
        problems.append(Problem(label, 1, None, separator, "comma-separated values",
                                f"the separator looks like {separator!r}: save the file as "
                                "comma-separated UTF-8"))
        return table
    table.columns = list(header)
    table.readable = True
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in by_name]
        for n in missing:
            problems.append(Problem(label, 1, n, None, f"a column {n!r} in the header",
                                    "add the column (it may be left empty where NA is allowed)"))
        for h in extra:
            problems.append(Problem(label, 1, h, h, f"only the columns {names}",
                                    "remove the column or declare it in datapackage.json"))
        if not missing and not extra:
            problems.append(Problem(label, 1, None, ",".join(header),
                                    f"the columns in the order {','.join(names)}",
                                    "reorder the columns"))
    index = {h: i for i, h in enumerate(header) if h in by_name}
    for line, raw in records[1:]:
        if not raw:
            problems.append(Problem(label, line, None, "", "a data row", "delete the blank line"))
            continue
        if len(raw) != len(header):
            problems.append(Problem(label, line, None, f"{len(raw)} fields",
                                    f"{len(header)} fields as in the header",
                                    "check the commas and the quotes of this row"))
            continue
        row: dict[str, Any] = {}
        for name in names:
            fdef = by_name[name]
            if name not in index:
                row[name] = None
                continue
            text = raw[index[name]]
            if text in missing_values:
                row[name] = None
                if fdef.get("constraints", {}).get("required"):
                    problems.append(Problem(label, line, name, None, "a value (required field)",
                                            _required_hint(name)))
                continue
            try:
                value = _parse_typed(text, fdef)
                if fdef.get("type") != "list":
                    _check_constraints(value, text, fdef)
                if fdef.get("type", "string") in ("string", "list"):
                    _check_not_a_formula(text)
            except _CellError as err:
                problems.append(Problem(label, line, name, text, err.expected, err.hint))
                table.invalid.add((line, name))
                value = None
            row[name] = value
        table.rows.append(row)
        table.lines.append(line)
    return table


def _decode_error(path: Path) -> tuple[int, bytes, str]:
    """Line (header = 1), bytes and a hint for the first non-UTF-8 byte sequence of ``path``.

    The line is one plus the number of line feeds before the bad byte, so it is the
    physical line of the file whatever the quoting.
    """
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = data[err.start:err.end]
        try:
            guess = f"; {bad!r} is {bad.decode('cp1252')!r} in Windows-1252, the usual " \
                    "encoding of a spreadsheet's CSV export"
        except UnicodeDecodeError:
            guess = ""
        return data[:err.start].count(b"\n") + 1, bad, guess
    raise AssertionError("_decode_error called on a valid UTF-8 file")  # pragma: no cover


def _foreign_separator(header: list[str]) -> str | None:
    """The separator the header seems to use when it is not a comma (';' or a tab), else None.

    A comma-separated header of several columns is split by the csv reader; one
    read as a single field holding ';' or a tab was written with another separator
    (a French spreadsheet writes ';').
    """
    if len(header) != 1:
        return None
    counts = {sep: header[0].count(sep) for sep in (";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else None


def _required_hint(name: str) -> str:
    if name in {"evidence", "source_id", "source_url"}:
        return "every coded value needs its evidence and source"
    return ""


def _check_unique_keys(table: _Table, problems: list[Problem]) -> None:
    schema = table.schema
    keys: list[list[str]] = []
    pk = _names(schema.get("primaryKey", []))
    if pk:
        keys.append(pk)
    for f in schema["fields"]:
        if f.get("constraints", {}).get("unique") and [f["name"]] not in keys:
            keys.append([f["name"]])
    for key in keys:
        seen: dict[tuple, int] = {}
        for row, line in zip(table.rows, table.lines):
            value = tuple(row.get(k) for k in key)
            if any(v is None for v in value):
                continue
            if value in seen:
                found = value[0] if len(value) == 1 else dict(zip(key, value))
                problems.append(Problem(
                    table.label, line, ",".join(key), found,
                    f"a unique {' + '.join(key)} (already on line {seen[value]})",
                    "remove the duplicate row or fix the key"))
                # both rows of a repeated key are ambiguous for the checks between tables
                table.invalid.update((at, k) for at in (line, seen[value]) for k in key)
            else:
                seen[value] = line


def _check_foreign_keys(table: _Table, tables: dict[str, _Table],
                        problems: list[Problem]) -> None:
    schema = table.schema
    for fk in (*schema.get("foreignKeys", []), *schema.get(_EXT + "itemForeignKeys", [])):
        fname = _names(fk["fields"])[0]
        ref = fk["reference"]
        target_name = ref["resource"] or table.name
        target_field = _names(ref["fields"])[0]
        target = tables.get(target_name)
        if target is None or not target.has(target_field):
            continue  # a missing or unreadable target is already reported
        allowed = {r.get(target_field) for r in target.rows}
        for row, line in zip(table.rows, table.lines):
            value = row.get(fname)
            if value is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item not in allowed:
                    problems.append(Problem(
                        table.label, line, fname, item,
                        f"a {target_field} listed in {target.label}",
                        f"add it to {target.label} or correct the id"))
                    table.invalid.add((line, fname))


def _check_rules(table: _Table, problems: list[Problem]) -> None:
    for rule in table.schema.get(_EXT + "rules", []):
        kind, fname = rule["rule"], rule["field"]
        for row, line in zip(table.rows, table.lines):
            value = row.get(fname)
            if value is None:
                continue
            if kind == "required_with":
                for other in rule["requires"]:
                    # a column missing from the header is reported once, on line 1
                    if (other in table.columns and row.get(other) is None
                            and (line, other) not in table.invalid):  # an invalid cell: reported
                        problems.append(Problem(
                            table.label, line, other, None,
                            f"{other} for the coded {fname} {_fmt(value)}",
                            "every coded value needs its evidence, source and coder; "
                            f"without them leave {fname} empty (NA)"))
            elif kind == "not_before":
                other = row.get(rule["other"])
                if other is not None and value < other:
                    problems.append(Problem(table.label, line, fname, value,
                                            f"a year >= {rule['other']} ({other})"))
            elif kind == "not_equal":
                if value == row.get(rule["other"]):
                    problems.append(Problem(table.label, line, fname, value,
                                            f"a value different from {rule['other']}",
                                            "a case cannot be its own parent"))
            elif kind == "skips_chain":
                _check_skips_chain(table, rule, row, line, value, problems)
            else:
                problems.append(Problem(DESCRIPTOR, None, fname, kind,
                                        "a known rule (required_with, not_before, not_equal, "
                                        "skips_chain)"))
                break


def _skips_chain(source: str, target: str, chain: list[str]) -> bool:
    """True when ``source`` and ``target`` are both on ``chain`` and not next to each other."""
    return (source in chain and target in chain
            and abs(chain.index(source) - chain.index(target)) > 1)


def _check_skips_chain(table: _Table, rule: dict, row: dict, line: int, value: Any,
                       problems: list[Problem]) -> None:
    """``rule["field"]`` (a boolean) must be true exactly when the flow skips a chain link."""
    source, target = row.get(rule["from"]), row.get(rule["to"])
    if source is None or target is None:
        return  # an invalid actor is already reported
    chain = list(rule["chain"])
    expected = _skips_chain(source, target, chain)
    if value != expected:
        if expected:
            why = f"{source} and {target} are not adjacent on the chain"
        elif source in chain and target in chain:
            why = f"{source} and {target} are adjacent on the chain (or the same actor)"
        else:
            why = f"{source if source not in chain else target} is not on the chain"
        problems.append(Problem(
            table.label, line, rule["field"], value,
            f"{str(expected).lower()}: {why} {' > '.join(chain)}",
            "direct is true exactly when a channel links two non-adjacent actors of the "
            "classic chain; channels through partenaires or tiers are false"))


def _check_all_combinations(table: _Table, tables: dict[str, _Table],
                            problems: list[Problem]) -> None:
    combo = table.schema.get(_EXT + "allCombinations")
    if not combo or not table.has(*combo):
        return
    case_field, item_field = combo
    cases = tables.get("cases")
    if cases is None or not cases.has("case_id"):
        return  # an unreadable cases.csv is reported once, not once per missing case
    item_def = next(f for f in table.schema["fields"] if f["name"] == item_field)
    items = list(item_def["constraints"]["enum"])
    have: dict[str, set] = {}
    for row in table.rows:
        have.setdefault(row.get(case_field), set()).add(row.get(item_field))
    for case in [r.get("case_id") for r in cases.rows if r.get("case_id") is not None]:
        missing = [i for i in items if i not in have.get(case, set())]
        if missing:
            problems.append(Problem(
                table.label, None, item_field, f"{case}: no row for {', '.join(missing)}",
                f"one row per case and {item_field} ({len(items)} per case)",
                "add the missing rows with an empty score if there is no evidence"))


def _keyed(table: _Table, key: list[str], value: str) -> tuple[dict[tuple, Any], set, bool]:
    """``{unit: value}`` of a table, the units whose row is unreliable (an invalid or repeated key,
    or an invalid value: reported already), and whether some row's key could not be read at all."""
    out: dict[tuple, Any] = {}
    unreliable: set = set()
    unknown = False
    for row, line in zip(table.rows, table.lines):
        unit = tuple(row.get(k) for k in key)
        if any((line, k) in table.invalid for k in key) or any(u is None for u in unit):
            unreliable.add(unit)
            unknown = True  # this row stands for some unit we cannot name
            continue
        if (line, value) in table.invalid:
            unreliable.add(unit)
        out[unit] = row.get(value)
    return out, unreliable, unknown


def _check_reconciliation(table: _Table, tables: dict[str, _Table],
                          problems: list[Problem]) -> None:
    """Where the independent codings disagree, the reconciled row must say how it was settled,
    and copy the log's row; where they agree, it keeps their common value and no note."""
    spec = table.schema.get(_EXT + "reconciles")
    key = _names(table.schema.get("primaryKey", [])) if spec else []
    if not spec or not table.has(*key, spec["value"], spec["note"]):
        return
    codings = [tables.get(name) for name in spec["codings"]]
    if any(c is None or not c.has(*key, spec["value"]) for c in codings):
        return
    value, note = spec["value"], spec["note"]
    keyed = [_keyed(c, key, value) for c in codings]
    coded = [k[0] for k in keyed]
    unreliable = set().union(*(k[1] for k in keyed))
    own, own_unreliable, own_unknown = _keyed(table, key, value)
    unreliable |= own_unreliable
    if spec.get("sameUnits"):
        # the coders coded a given list of units: the reconciled table has exactly those units
        for name, c, (_, _, c_unknown) in zip(spec["codings"], coded, keyed):
            label = tables[name].label
            if not own_unknown:  # a row of the table with an unreadable key may be the missing unit
                for unit in [u for u in c if u not in own and u not in unreliable]:
                    problems.append(Problem(
                        table.label, None, ",".join(key), " / ".join(map(str, unit)),
                        f"a row for every unit of {label}",
                        "rebuild the reconciled table with scripts/build_casebase_scores.py"))
            if not c_unknown:
                for row, line in zip(table.rows, table.lines):
                    unit = tuple(row.get(k) for k in key)
                    if unit in own and unit not in c and unit not in unreliable:
                        problems.append(Problem(
                            table.label, line, ",".join(key), " / ".join(map(str, unit)),
                            f"a unit that {label} codes too",
                            "both coders code the same units: add it to the codings or remove it"))
    disagreements: dict[tuple, int] = {}
    unsettled: set = set()  # disagreements reported for their missing note (one problem each)
    log_name = spec["log"]["resource"] if spec.get("log") else "the reconciliation log"
    classified: set = set()  # the units compared with the codings below
    for row, line in zip(table.rows, table.lines):
        unit = tuple(row.get(k) for k in key)
        if unit not in own or unit in unreliable or any(unit not in c for c in coded):
            continue  # reported already: a unit missing from a coding, an invalid key or value
        classified.add(unit)
        scores = [c[unit] for c in coded]
        agree = all(_same(scores[0], s) for s in scores[1:])
        if agree and not _same(row.get(value), scores[0]):
            both = "NA" if scores[0] is None else _fmt(scores[0])
            problems.append(Problem(
                table.label, line, value, row.get(value),
                f"the {value} every coding gives ({both})",
                "where the coders agree the reconciled table keeps their common value "
                "(scripts/build_casebase_scores.py rebuilds it from the codings)"))
        elif agree and row.get(note) is not None:
            problems.append(Problem(
                table.label, line, note, row.get(note),
                "an empty note (the coders agree on this unit)",
                "a note says how a disagreement was settled: remove it, or record the "
                "disagreement in the codings"))
        elif not agree:
            disagreements[unit] = line
            if row.get(note) is None:
                said = ", ".join(f"{name.rsplit('_', 1)[0]} {'NA' if s is None else _fmt(s)}"
                                 for name, s in zip(spec["codings"], scores))
                problems.append(Problem(
                    table.label, line, note, None,
                    f"a note on how the disagreement ({said}) was settled",
                    f"every disagreement between the coders needs a reconciliation note: settle it "
                    f"in {log_name} and rebuild with scripts/build_casebase_scores.py"))
                unsettled.add(unit)
    _check_log(table, tables, spec, key, disagreements, classified, unsettled, problems)


def _check_log(table: _Table, tables: dict[str, _Table], spec: dict, key: list[str],
               disagreements: dict[tuple, int], checked: set, unsettled: set,
               problems: list[Problem]) -> None:
    """The log of a reconciled table holds one row per disagreement, and the table copies it.

    ``disagreements``: unit -> line in the table; ``checked``: the table's units whose key and value
    could be read (a log row for any other unit is reported by the log's own ``matches`` check);
    ``unsettled``: disagreements already reported for their missing note (not reported twice)."""
    log_spec = spec.get("log")
    log = tables.get(log_spec["resource"]) if log_spec else None
    where = log_spec.get("where", {}) if log_spec else {}
    log_key = [log_spec["key"][k] for k in key] if log_spec else []
    if log is None or not log.has(*where, *log_key, *log_spec["copied"].values()):
        return  # a missing or unreadable log is reported once, by its own checks
    rows: dict[tuple, tuple[dict, int]] = {}
    for row, line in zip(log.rows, log.lines):
        if any(row.get(f) != v for f, v in where.items()):
            continue
        if any((line, f) in log.invalid for f in (*where, *log_key)):
            return  # an invalid or repeated key in the log is reported already
        rows[tuple(row.get(f) for f in log_key)] = (row, line)
    by_line = dict(zip(table.lines, table.rows))
    for unit, line in disagreements.items():
        if unit not in rows:
            if unit in unsettled:
                continue
            problems.append(Problem(
                log.label, None, ",".join(log_key), " / ".join(map(str, unit)),
                "a reconciliation row for this disagreement",
                f"add the row that settles it ({table.label}, line {line})"))
            continue
        entry, _ = rows[unit]
        for field_, log_field in log_spec["copied"].items():
            if field_ == spec["note"] and unit in unsettled:
                continue  # the missing note is reported already
            mine, theirs = by_line[line].get(field_), entry.get(log_field)
            if not _same(mine, theirs):
                problems.append(Problem(
                    table.label, line, field_, mine,
                    f"the {log_field} of {log.label} ({'NA' if theirs is None else _fmt(theirs)})",
                    "the reconciled table copies the log: rebuild it with "
                    "scripts/build_casebase_scores.py"))
    for unit, (entry, line) in rows.items():
        if unit in checked and unit not in disagreements:
            problems.append(Problem(
                log.label, line, ",".join(log_key), " / ".join(map(str, unit)),
                "a unit where the coders disagree",
                "the coders agree here (or the unit is not coded): remove this row"))


def _check_matches(table: _Table, tables: dict[str, _Table], problems: list[Problem]) -> None:
    """Values of a log table must equal those of the rows it refers to in other tables."""
    spec = table.schema.get(_EXT + "matches")
    field = spec.get("resourceField") if spec else None  # absent: the targets are fixed names
    if not spec or not table.has(*([field] if field else []), *spec["keyFields"], *spec["values"]):
        return
    lookups: dict[str, dict[tuple, Any] | None] = {}
    for row, line in zip(table.rows, table.lines):
        selector = row.get(field) if field else ""
        key = tuple(row.get(k) for k in spec["keyFields"])
        if selector is None or any(k is None for k in key):
            continue
        for fname, template in spec["values"].items():
            target_name = template.format(**{field: selector}) if field else template
            if target_name not in lookups:
                target = tables.get(target_name)
                target_key = _names(target.schema.get("primaryKey", [])) if target else []
                usable = bool(target_key) and target.has(*target_key, spec["targetField"])
                blurred = usable and any((ln, k) in target.invalid for ln in target.lines
                                         for k in target_key)
                # a target with an unreadable or repeated key: a unit that seems missing from it may
                # be on that row, and the key problem is reported already
                lookups[target_name] = None if not usable or blurred else {
                    tuple(r.get(k) for k in target_key): r.get(spec["targetField"])
                    for r in target.rows}
            lookup = lookups[target_name]
            if lookup is None:
                continue
            target_label = tables[target_name].label
            if key not in lookup:
                problems.append(Problem(table.label, line, ",".join(spec["keyFields"]),
                                        " / ".join(map(str, key)),
                                        f"a unit of {target_label}",
                                        f"check the {field} and the variable" if field
                                        else f"check {', '.join(spec['keyFields'])}"))
                break
            if (line, fname) in table.invalid:
                continue  # an invalid value is reported once, by its own check
            if not _same(row.get(fname), lookup[key]):
                expected = "NA" if lookup[key] is None else _fmt(lookup[key])
                problems.append(Problem(table.label, line, fname, row.get(fname),
                                        f"the {spec['targetField']} of {target_label} ({expected})",
                                        f"the log must copy the {spec['targetField']}s it reconciles"))


def same_score(a: Any, b: Any) -> bool:
    """True when two scores are both NA or equal within 1e-9.

    Parameters
    ----------
    a, b : float, None or NA
        Scores; None, ``pd.NA`` and NaN are NA.

    Returns
    -------
    bool

    Notes
    -----
    :math:`a \\equiv b \\iff (a = \\mathrm{NA} \\wedge b = \\mathrm{NA}) \\vee |a - b| \\le 10^{-9}`:
    NA equals only NA, so a score against NA is a disagreement of two coders.

    Examples
    --------
    >>> same_score(0.33, 0.33), same_score(None, float("nan")), same_score(0.67, None)
    (True, True, False)
    """
    return _same(None if _is_na(a) else a, None if _is_na(b) else b)


def format_score(value: Any) -> str:
    """A fuzzy score as written in the case-base CSVs: ``0``, ``0.33``, ``0.67``, ``1``; ``""`` for NA.

    Examples
    --------
    >>> [format_score(v) for v in (0.0, 0.33, 1.0, None)]
    ['0', '0.33', '1', '']
    """
    return "" if _is_na(value) else _fmt(value)


def read_resources(names: tuple[str, ...] | list[str],
                   path: str | Path | None = None) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read and check some resources of the case base, with the rules between them.

    Parameters
    ----------
    names : sequence of str
        Resource names of the descriptor (``"cases"``, ``"coder_a_conditions"``...).
    path : str or Path, optional
        Folder of the data package; defaults to ``data_dir() / "cases"``.

    Returns
    -------
    frames : dict of str to DataFrame
        One typed DataFrame per resource read (dtypes as in :class:`CaseBase`),
        indexed by ``line``, the line of each record in its file (header = 1).
    problems : list of Problem
        What :func:`validate_casebase` reports for these files: their own rules
        and the rules between two of them (foreign keys, completeness,
        reconciliation); rules towards a resource not in ``names`` are not checked.

    Notes
    -----
    This is the checker of :func:`validate_casebase` restricted to some files, for
    a script that builds the other files from them
    (``scripts/build_casebase_scores.py`` reads the codings and the reconciliation
    log to write the reconciled tables). The frames are meaningful only when
    ``problems`` is empty.

    Examples
    --------
    >>> frames, problems = read_resources(["cases", "sources"])   # doctest: +SKIP
    """
    tables, _, problems = _check_package(path, tuple(names))
    frames = {name: _frame(t).set_axis(pd.Index(t.lines, name="line", dtype="int64"))
              for name, t in tables.items()}
    return frames, problems


def _is_na(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _same(a: Any, b: Any) -> bool:
    """Both NA, or equal: numbers within 1e-9, anything else exactly."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(a, b, abs_tol=1e-9)


# --------------------------------------------------------------------------------------
# The descriptor: its structure, its paths, its vocabularies
# --------------------------------------------------------------------------------------

_REGENERATE = "regenerate the descriptor with write_casebase_datapackage()"

#: The field types the checker parses (Table Schema types; others are reported).
_SUPPORTED_TYPES = ("string", "integer", "number", "boolean", "date", "list")


class _Either:
    """A shape met by a value that meets any of ``shapes``."""

    def __init__(self, *shapes: Any):
        self.shapes = shapes


class _MapOf:
    """A JSON object whose keys are strings and whose values all have ``shape``."""

    def __init__(self, shape: Any):
        self.shape = shape


_NUMBER = (int, float)
_NAMES = _Either(str, [str])
_FOREIGN_KEY = {"fields": _NAMES, "reference": {"resource": str, "fields": _NAMES}}
_FIELD_SHAPE = {
    "name": str, "type?": str, "delimiter?": str, "trueValues?": [str], "falseValues?": [str],
    "constraints?": {"required?": bool, "unique?": bool, "enum?": list, "minimum?": _NUMBER,
                     "maximum?": _NUMBER, "pattern?": str},
    _EXT + "vocabulary?": str,
}
_SCHEMA_SHAPE = {
    "fields": [_FIELD_SHAPE], "missingValues?": [str], "primaryKey?": _NAMES,
    "foreignKeys?": [_FOREIGN_KEY], _EXT + "itemForeignKeys?": [_FOREIGN_KEY],
    _EXT + "rules?": [{"rule": str, "field": str}],
    _EXT + "allCombinations?": [str],
    _EXT + "reconciles?": {"codings": [str], "value": str, "note": str, "sameUnits?": bool,
                           "log?": {"resource": str, "key": _MapOf(str), "copied": _MapOf(str),
                                    "where?": dict}},
    _EXT + "matches?": {"keyFields": [str], "targetField": str, "values": _MapOf(str),
                        "resourceField?": str},
}
#: What each kind of ``coanalysis:rules`` rule needs besides ``rule`` and ``field``.
_RULE_SHAPES: dict[str, dict] = {
    "required_with": {"requires": [str]},
    "not_before": {"other": str},
    "not_equal": {"other": str},
    "skips_chain": {"from": str, "to": str, "chain": [str]},
}


def _json_found(value: Any) -> Any:
    """A value of the descriptor as a problem shows it: scalars as they are, else short JSON."""
    if isinstance(value, str) or (isinstance(value, _NUMBER) and not isinstance(value, bool)):
        return value
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _shape_name(shape: Any) -> str:
    """``shape`` in words, for the ``expected`` of a problem."""
    if isinstance(shape, _Either):
        return " or ".join(_shape_name(s) for s in shape.shapes)
    if isinstance(shape, list):
        return f"a list of {_shape_name(shape[0]).removeprefix('a ').removeprefix('an ')}s"
    if isinstance(shape, (dict, _MapOf)) or shape is dict:
        return "a JSON object"
    if shape is _NUMBER:
        return "a number"
    return {str: "a string", bool: "true or false", list: "a list"}[shape]


def _shape_problems(value: Any, shape: Any, where: str) -> list[tuple[str, Any, str]]:
    """``(where, found, expected)`` for every place where ``value`` does not have ``shape``.

    A shape is a type or a tuple of types (``bool`` is not a number), ``[shape]`` (a list of
    items of that shape), ``{"key": shape, "key?": shape}`` (an object with those keys, the
    ones ending in ``?`` optional, others allowed), :class:`_Either` or :class:`_MapOf`.
    """
    if isinstance(shape, _Either):
        if any(not _shape_problems(value, s, where) for s in shape.shapes):
            return []
        return [(where, _json_found(value), _shape_name(shape))]
    if isinstance(shape, list):
        if not isinstance(value, list):
            return [(where, _json_found(value), _shape_name(shape))]
        return [p for i, item in enumerate(value) for p in _shape_problems(item, shape[0],
                                                                           f"{where}[{i}]")]
    if isinstance(shape, (dict, _MapOf)):
        if not isinstance(value, dict):
            return [(where, _json_found(value), _shape_name(shape))]
        if isinstance(shape, _MapOf):
            return [p for k, v in value.items() for p in _shape_problems(v, shape.shape,
                                                                         f"{where}.{k}")]
        out = []
        for key, sub in shape.items():
            name = key.removesuffix("?")
            if name in value:
                out += _shape_problems(value[name], sub, f"{where}.{name}")
            elif not key.endswith("?"):
                out.append((f"{where}.{name}", None, f"{_shape_name(sub)} (required property)"))
        return out
    ok = isinstance(value, shape) and not (isinstance(value, bool) and shape in (_NUMBER, int))
    return [] if ok else [(where, _json_found(value), _shape_name(shape))]


def _names(value: str | list[str]) -> list[str]:
    """A Table Schema field list (``primaryKey``, ``fields`` of a foreign key) as a list."""
    return [value] if isinstance(value, str) else list(value)


def _field_problems(fdef: dict, where: str) -> list[tuple[str, Any, str]]:
    """What the checker cannot apply in a field of the right shape: type, pattern, ranges, enum."""
    out = []
    ftype = fdef.get("type", "string")
    cons = fdef.get("constraints", {})
    if ftype not in _SUPPORTED_TYPES:
        return [(f"{where}.type", ftype,
                 f"a type the checker reads ({', '.join(_SUPPORTED_TYPES)})")]
    if fdef.get("delimiter") == "":
        out.append((f"{where}.delimiter", "", "a non-empty delimiter"))
    if "pattern" in cons:
        try:
            re.compile(cons["pattern"])
        except re.error as err:
            out.append((f"{where}.constraints.pattern", cons["pattern"],
                        f"a valid regular expression ({err})"))
    for bound in ("minimum", "maximum"):
        if bound in cons and ftype not in ("integer", "number"):
            out.append((f"{where}.constraints.{bound}", cons[bound],
                        f"no {bound} on a {ftype} field (only integer and number fields have one)"))
    enum = cons.get("enum", [])
    if ftype in ("integer", "number") and any(
            not isinstance(v, _NUMBER) or isinstance(v, bool) for v in enum):
        out.append((f"{where}.constraints.enum", _json_found(enum),
                    f"numbers only in the enum of a {ftype} field"))
    return out


def _schema_problems(schema: dict, where: str) -> list[tuple[str, Any, str]]:
    """What is wrong in a schema of the right shape: unknown field names, unusable rules."""
    out = []
    fields = schema["fields"]
    declared = [f["name"] for f in fields]
    by_name = {f["name"]: f for f in fields}
    for i, fdef in enumerate(fields):
        if declared.index(fdef["name"]) != i:
            out.append((f"{where}.fields[{i}].name", fdef["name"], "a field name used once"))
        out += _field_problems(fdef, f"{where}.fields[{i}]")
    refs: list[tuple[str, str]] = [(f"{where}.primaryKey", n)
                                   for n in _names(schema.get("primaryKey", []))]
    for prop in ("foreignKeys", _EXT + "itemForeignKeys"):
        for i, fk in enumerate(schema.get(prop, [])):
            at = f"{where}.{prop}[{i}].fields"
            if len(_names(fk["fields"])) != 1 or len(_names(fk["reference"]["fields"])) != 1:
                out.append((at, _json_found(fk["fields"]),
                            "a foreign key on one field (composite keys are not checked)"))
            refs += [(at, n) for n in _names(fk["fields"])]
            first = by_name.get(_names(fk["fields"])[0], {})
            if prop != "foreignKeys" and first.get("type") != "list":
                out.append((at, _json_found(fk["fields"]), "a field of type list (its items are "
                            "checked one by one; use foreignKeys for other fields)"))
    for i, rule in enumerate(schema.get(_EXT + "rules", [])):
        at = f"{where}.{_EXT}rules[{i}]"
        kind_shape = _RULE_SHAPES.get(rule["rule"])
        if kind_shape is None:
            out.append((f"{at}.rule", rule["rule"], f"a known rule ({', '.join(_RULE_SHAPES)})"))
            continue
        problems = _shape_problems(rule, kind_shape, at)
        out += problems
        if not problems:
            refs += [(f"{at}.field", rule["field"])]
            refs += [(f"{at}.{k}", n) for k in ("requires", "other", "from", "to") if k in rule
                     for n in _names(rule[k])]
    combo = schema.get(_EXT + "allCombinations")
    if combo is not None:
        at = f"{where}.{_EXT}allCombinations"
        if len(combo) != 2:
            out.append((at, _json_found(combo), "two field names: the case and the item"))
        else:
            refs += [(at, n) for n in combo]
            if combo[1] in by_name and "enum" not in by_name[combo[1]].get("constraints", {}):
                out.append((at, combo[1], "an item field with an enum (the terms to cover)"))
    spec = schema.get(_EXT + "reconciles")
    if spec is not None:
        at = f"{where}.{_EXT}reconciles"
        refs += [(at, spec["value"]), (at, spec["note"])]
        if not schema.get("primaryKey"):
            out.append((f"{where}.primaryKey", None, "a primary key (the units reconciled)"))
        log_key = spec.get("log", {}).get("key", {})
        missing = [k for k in _names(schema.get("primaryKey", [])) if k not in log_key]
        if "log" in spec and missing:
            out.append((f"{at}.log.key", _json_found(spec["log"]["key"]),
                        f"a log field for every primary-key field (missing: {', '.join(missing)})"))
    spec = schema.get(_EXT + "matches")
    if spec is not None:
        at = f"{where}.{_EXT}matches"
        selector = spec.get("resourceField")
        refs += [(at, n) for n in (*spec["keyFields"], *spec["values"])]
        refs += [(at, selector)] if selector else []
        for fname, template in spec["values"].items():
            try:
                placeholders = {p for _, p, _, _ in string.Formatter().parse(template)
                                if p is not None}
            except ValueError:
                placeholders = {"?"}
            if placeholders - ({selector} if selector else set()):
                out.append((f"{at}.values.{fname}", template,
                            "a resource name, with {" + selector + "} as its only placeholder"
                            if selector else "a resource name without placeholders"))
    out += [(at, name, f"a field declared in the schema ({', '.join(declared)})")
            for at, name in refs if name not in by_name]
    return out


def _references_problems(resources: list[tuple[int, dict]], names: set[str]) -> list[Problem]:
    """Resources named by another resource (foreign keys, reconciliation) must exist.

    ``resources``: the resources of a readable form, with their index; ``names``: the names of
    all the resources of the descriptor (one of another form is reported already)."""
    schemas = {r["name"]: r["schema"] for _, r in resources}
    out = []
    for i, resource in resources:
        schema = resource["schema"]
        at = _where(i, resource)
        targets = [(f"{at}.schema.{prop}[{j}].reference",
                    fk["reference"]["resource"] or resource["name"],
                    _names(fk["reference"]["fields"])[0])
                   for prop in ("foreignKeys", _EXT + "itemForeignKeys")
                   for j, fk in enumerate(schema.get(prop, []))]
        spec = schema.get(_EXT + "reconciles")
        if spec is not None:
            targets += [(f"{at}.schema.{_EXT}reconciles.codings", name, None)
                        for name in spec["codings"]]
            if "log" in spec:
                targets.append((f"{at}.schema.{_EXT}reconciles.log", spec["log"]["resource"], None))
        for where, target, target_field in targets:
            if target not in names:
                out.append(Problem(DESCRIPTOR, None, where, target,
                                   "the name of a resource of the descriptor", _REGENERATE))
            elif target in schemas and target_field is not None and target_field not in {
                    f["name"] for f in schemas[target]["fields"]}:
                out.append(Problem(DESCRIPTOR, None, where, target_field,
                                   f"a field of the resource {target!r}", _REGENERATE))
    return out


def _where(index: int, resource: Any) -> str:
    """A resource's place in the descriptor: ``resources[2] (participation)``."""
    name = resource.get("name") if isinstance(resource, dict) else None
    return f"resources[{index}]" + (f" ({name})" if isinstance(name, str) else "")


def _check_descriptor(descriptor: Any, folder: Path,
                      problems: list[Problem]) -> list[tuple[dict, Path]]:
    """The resources of ``descriptor`` that the checker can read, each with its file.

    Anything the checker would trip on is reported instead (file ``datapackage.json``, the
    property as ``resources[i] (name).schema...``, what was found and what was expected), and
    the resource is left out: a descriptor that is not an object, ``resources`` that is not a
    list, a resource that is not an object or lacks ``name``, ``path`` or ``schema``, a path
    outside the package folder (checked by :func:`._paths.resolve_inside` before any file is
    opened), fields, keys and ``coanalysis:`` properties of the wrong form or naming unknown
    fields or resources; and the enums of the descriptor must be the codebook's vocabularies.
    """
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        what = "resources" if isinstance(descriptor, dict) else None
        found = descriptor if what is None else descriptor.get("resources")
        found = None if found is None else _json_found(found)
        problems.append(Problem(DESCRIPTOR, None, what, found,
                                "a JSON object whose 'resources' is a list of resource objects"
                                if what is None else "a list of resource objects", _REGENERATE))
        return []
    usable: list[tuple[int, dict, Path]] = []
    seen: dict[str, int] = {}
    for i, resource in enumerate(descriptor["resources"]):
        at = _where(i, resource)
        found = _shape_problems(resource, {"name": str, "schema": _SCHEMA_SHAPE}, at)
        if isinstance(resource, dict) and "path" not in resource:
            found.append((f"{at}.path", None, "the path of the resource's CSV file "
                                               "(required property)"))
        if not found:
            found = _schema_problems(resource["schema"], f"{at}.schema")
        name = resource.get("name") if isinstance(resource, dict) else None
        if isinstance(name, str):
            if name in seen:
                found.append((f"{at}.name", name, f"a resource name used once "
                                                  f"(already resources[{seen[name]}])"))
            seen.setdefault(name, i)
        problems += [Problem(DESCRIPTOR, None, where, value, expected, _REGENERATE)
                     for where, value, expected in found]
        if found:
            continue
        try:
            target = resolve_inside(folder, resource["path"], file=DESCRIPTOR,
                                    column=f"{at}.path", resource=name)
        except DataError as err:
            problems += err.problems
            continue
        usable.append((i, resource, target))
    for required in (*CASEBASE_TABLES, *CODING_RESOURCES):
        if required not in seen:
            problems.append(Problem(DESCRIPTOR, None, None, None,
                                    f"a resource named {required!r}", _REGENERATE))
    problems += _references_problems([(i, r) for i, r, _ in usable], set(seen))
    for _, resource, _ in usable:
        for f in resource["schema"]["fields"]:
            vocab_name = f.get(_EXT + "vocabulary")
            if vocab_name is None:
                continue
            vocab = codebook.VOCABULARIES.get(vocab_name)
            enum = f.get("constraints", {}).get("enum")
            if vocab is None or list(vocab.slugs) != enum:
                problems.append(Problem(
                    DESCRIPTOR, None, f"{resource['name']}.{f['name']}", enum,
                    f"the slugs of the codebook vocabulary {vocab_name!r}", _REGENERATE))
    return [(resource, target) for _, resource, target in usable]


def _read_descriptor(folder: Path, problems: list[Problem]) -> Any:
    """The parsed ``datapackage.json`` of ``folder`` (any JSON value), or None if unreadable."""
    path = folder / DESCRIPTOR
    if not path.is_file():
        problems.append(Problem(DESCRIPTOR, None, None, None, f"a {DESCRIPTOR} in {folder.name}/",
                                "the folder is not a case-base data package"))
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        problems.append(Problem(DESCRIPTOR, err.lineno, None, None, "valid JSON",
                                f"{err.msg} at line {err.lineno}, column {err.colno}: correct the "
                                f"JSON or {_REGENERATE}"))
    except UnicodeDecodeError as err:
        problems.append(Problem(DESCRIPTOR, None, None, None, "a file encoded in UTF-8",
                                f"{err.reason}: {_REGENERATE}"))
    except RecursionError:
        problems.append(Problem(DESCRIPTOR, None, None, None, "valid JSON of a reasonable depth",
                                f"the JSON is nested too deeply to be read: {_REGENERATE}"))
    except OSError as err:
        problems.append(Problem(DESCRIPTOR, None, None, None, "a readable file",
                                f"{err.strerror or err}"))
    return None


def _check_package(path: str | Path | None,
                   names: tuple[str, ...] | None = None) -> tuple[dict[str, _Table], dict | None,
                                                                  list[Problem]]:
    """Check the resources ``names`` (all by default) and the rules between them."""
    folder = Path(path) if path is not None else data_dir() / "cases"
    problems: list[Problem] = []
    if not folder.is_dir():
        problems.append(Problem(str(folder), None, None, None, "a folder holding the case base",
                                "the folder does not exist"))
        return {}, None, problems
    descriptor = _read_descriptor(folder, problems)
    if descriptor is None:
        return {}, None, problems
    resources = _check_descriptor(descriptor, folder, problems)
    tables: dict[str, _Table] = {}
    for resource, file in resources:
        if names is None or resource["name"] in names:
            tables[resource["name"]] = _check_table(file, resource, problems)
    for table in tables.values():  # each table's own rules first: they mark the invalid cells
        _check_unique_keys(table, problems)
        _check_foreign_keys(table, tables, problems)
        _check_rules(table, problems)
    for table in tables.values():  # then the rules between tables, which skip those cells
        _check_all_combinations(table, tables, problems)
        _check_reconciliation(table, tables, problems)
        _check_matches(table, tables, problems)
    order = {t.label: i for i, t in enumerate(tables.values())}
    problems.sort(key=lambda p: (order.get(p.file, -1),
                                 p.line if p.line is not None else 0))
    return tables, descriptor, problems


def validate_casebase(path: str | Path | None = None) -> list[Problem]:
    """Check a case-base data package and return every problem found (empty list if valid).

    Parameters
    ----------
    path : str or Path, optional
        Folder holding ``datapackage.json`` and the CSV files; defaults to
        ``coanalysis.paths.data_dir() / "cases"``.

    Returns
    -------
    list of Problem
        One :class:`~coanalysis.errors.Problem` per broken rule, with the file
        (relative to the package folder), the line in the file (header = line 1,
        so the first data row is line 2, and a quoted field spanning several lines
        counts all of them), the column, the value found and what was expected.
        Problems about a whole file or a missing combination have ``line=None``.

    Notes
    -----
    Checked, from ``datapackage.json`` and the codebook: the descriptor has the
    form the checker reads (a JSON object whose ``resources`` is a list of
    objects, each with a ``name``, a ``path`` and a ``schema`` whose fields, keys
    and ``coanalysis:`` properties are well formed and name declared fields and
    resources; anything else is a problem naming the property, e.g.
    ``resources[0] (cases).path``, and that resource is not read); every
    ``path`` is relative and stays inside the package folder (no ``..``, no
    absolute or Windows path, no URL, no symbolic link leading out: see
    :func:`._paths.resolve_inside`; checked before any file is opened); the
    descriptor's enums equal the codebook vocabularies; every file exists, is
    UTF-8 CSV and has the declared columns in order; every row has as many fields
    as the header; field types (integer, number, boolean, date, list),
    ``required``, ``enum`` (0.5 is rejected with a hint), ``minimum``/``maximum``,
    ``pattern``; no text cell that a spreadsheet would run as a formula (one
    beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; numbers
    of numeric fields are numbers, not text); primary and
    ``unique`` keys; foreign keys (to ``cases`` and ``sources``, ``parent_case``
    to ``cases``); row rules (a coded value needs evidence, source and coder;
    ``end_year >= start_year``; a flow's ``direct`` is true exactly when it skips
    a link of the classic chain); one row per case × condition (or outcome); a
    reconciliation note wherever the two codings disagree, and the common score
    (or level) wherever they agree; the same participation units in the
    reconciled table and in both codings; reconciliation logs that copy the
    values they reconcile.

    A file that cannot be read (not UTF-8 — the problem gives the line of the
    first bad byte —, separated by ``;`` or tabs, broken quotes) gets one problem
    and no other check: the tables that refer to it are not checked against it,
    so a wrong encoding of ``cases.csv`` is one problem, not one per case id of
    every other table. A column missing from a header is reported once, not on
    every row that would need it.
    Nothing is raised, whatever ``datapackage.json`` holds: use
    :func:`load_casebase` to get an error.

    Examples
    --------
    >>> problems = validate_casebase()          # doctest: +SKIP
    >>> print("\\n".join(map(str, problems)))    # doctest: +SKIP
    """
    return _check_package(path)[2]


# --------------------------------------------------------------------------------------
# The loaded case base
# --------------------------------------------------------------------------------------

@dataclass(repr=False)
class CaseBase:
    """The validated case base: one typed DataFrame per resource.

    Attributes
    ----------
    cases, participation, conditions, outcomes, flows, sources : DataFrame
        The six tables. Category columns (``corpus``, ``collectivity_type``,
        ``domain``, ``actor``, ``stage``, ``condition``, ``outcome``,
        ``from_actor``, ``to_actor``, ``channel``) are ordered categoricals over the
        codebook slugs; ``level``, years and population are ``Int64``; scores ``Float64``;
        ``direct`` ``boolean``; ids and text ``string``; ``accessed`` a datetime.
    codings : dict of str to DataFrame
        The resources of ``codings/``, keyed by resource name: the two independent
        codings (``coder_a_conditions``, ``coder_a_outcomes``, ``coder_a_participation``,
        ``coder_b_conditions``, ``coder_b_outcomes``, ``coder_b_participation``),
        ``reconciliation``, the log of how each disagreement on conditions and outcomes
        was settled, and ``reconciliation_participation``, the same for participation
        levels (one row per disagreement).
    path : Path
        Folder the package was read from.
    """

    cases: pd.DataFrame
    participation: pd.DataFrame
    conditions: pd.DataFrame
    outcomes: pd.DataFrame
    flows: pd.DataFrame
    sources: pd.DataFrame
    codings: dict[str, pd.DataFrame]
    path: Path

    def __repr__(self) -> str:
        corpus = self.cases["corpus"].value_counts(sort=False)
        by_corpus = ", ".join(f"{n} {c}" for c, n in corpus.items())
        tables = ", ".join(f"{name} {len(getattr(self, name))}" for name in CASEBASE_TABLES[1:])
        return (f"CaseBase({len(self.cases)} cases ({by_corpus}); rows: {tables}; "
                f"codings: {', '.join(self.codings) or 'none'})")

    def table(self, name: str) -> pd.DataFrame:
        """One resource by name (a main table or a coding)."""
        if name in CASEBASE_TABLES:
            return getattr(self, name)
        if name in self.codings:
            return self.codings[name]
        raise KeyError(f"{name!r} is not a resource of the case base; expected one of "
                       f"{list(CASEBASE_TABLES) + list(self.codings)}")

    def summary(self) -> pd.DataFrame:
        """One row per resource: rows, cases covered, coded values and NA values.

        ``coded``/``na`` count the ``level`` or ``score`` cells of the coded
        tables (empty for the others).
        """
        rows = []
        for name in (*CASEBASE_TABLES, *self.codings):
            df = self.table(name)
            value = "level" if "level" in df.columns else (
                "score" if "score" in df.columns else None)
            rows.append({
                "resource": name,
                "rows": len(df),
                "cases": df["case_id"].nunique() if "case_id" in df.columns else pd.NA,
                "coded": int(df[value].notna().sum()) if value else pd.NA,
                "na": int(df[value].isna().sum()) if value else pd.NA,
            })
        out = pd.DataFrame(rows)
        for col in ("cases", "coded", "na"):
            out[col] = out[col].astype("Int64")
        return out

    def as_coded_by(self, coder: str) -> "CaseBase":
        """The case base as one coder coded it, before reconciliation.

        Parameters
        ----------
        coder : {"coder_a", "coder_b"}
            Whose independent coding replaces the reconciled ``conditions``, ``outcomes`` and
            ``participation`` tables.

        Returns
        -------
        CaseBase
            The same cases, sources, flows and codings; the three coded tables are that
            coder's (with the coder's ``evidence`` and, for conditions and outcomes, the
            ``source_url`` as written in the dossier instead of ``source_id``). Every metric
            runs on it unchanged, so a result can be recomputed under each coding to see how
            far it depends on the coders' disagreements (a sensitivity analysis).

        Raises
        ------
        KeyError
            Naming the coders available when ``coder`` has no coding.

        Examples
        --------
        >>> cb = load_casebase()                                   # doctest: +SKIP
        >>> metrics.coconstruction_index(cb.as_coded_by("coder_b"))  # doctest: +SKIP
        """
        tables = ("conditions", "outcomes", "participation")
        coders = sorted({n.rsplit("_", 1)[0] for n in self.codings
                         if n.startswith("coder_") and n.rsplit("_", 1)[1] in tables})
        missing = [t for t in tables if f"{coder}_{t}" not in self.codings]
        if missing:
            raise KeyError(f"{coder!r} has no coding of {missing}; coders available: {coders}")
        return replace(self, **{t: self.codings[f"{coder}_{t}"] for t in tables})

    def labelled(self, name: str, lang: Lang = "fr") -> pd.DataFrame:
        """A copy of a resource with codebook slugs replaced by French or English labels.

        The categorical columns keep their codebook order; only their categories
        are renamed.
        """
        check_lang(lang)
        df = self.table(name).copy()
        for col in df.columns:
            vocab = _COLUMN_VOCAB.get(col)
            if vocab is not None and isinstance(df[col].dtype, pd.CategoricalDtype):
                df[col] = df[col].cat.rename_categories(list(vocab.labels(lang)))
        return df


_COLUMN_VOCAB: dict[str, codebook.Vocabulary] = {
    "corpus": codebook.CORPORA,
    "collectivity_type": codebook.COLLECTIVITY_TYPES,
    "domain": codebook.DOMAINS,
    "actor": codebook.ACTORS,
    "from_actor": codebook.ACTORS,
    "to_actor": codebook.ACTORS,
    "stage": codebook.STAGES,
    "condition": codebook.CONDITIONS,
    "outcome": codebook.OUTCOMES,
    "channel": codebook.CHANNELS,
}


def _frame(table: _Table) -> pd.DataFrame:
    columns: dict[str, Any] = {}
    for fdef in table.schema["fields"]:
        name = fdef["name"]
        values = [row.get(name) for row in table.rows]
        ftype = fdef.get("type", "string")
        vocab = codebook.VOCABULARIES.get(fdef.get(_EXT + "vocabulary"))  # unknown: reported
        if vocab is not None:
            columns[name] = pd.Categorical(values, dtype=vocab.dtype())
        elif ftype == "integer":
            columns[name] = pd.array(values, dtype="Int64")
        elif ftype == "number":
            columns[name] = pd.array(values, dtype="Float64")
        elif ftype == "boolean":
            columns[name] = pd.array(values, dtype="boolean")
        elif ftype == "date":
            columns[name] = pd.to_datetime(pd.Series(values, dtype="object"))
        elif ftype == "list":
            joined = [None if v is None else fdef.get("delimiter", ",").join(v) for v in values]
            columns[name] = pd.array(joined, dtype="string")
        else:
            columns[name] = pd.array(values, dtype="string")
    return pd.DataFrame(columns)


def load_casebase(path: str | Path | None = None) -> CaseBase:
    """Load and validate the case base.

    Parameters
    ----------
    path : str or Path, optional
        Folder of the data package; defaults to ``coanalysis.paths.data_dir() / "cases"``.

    Returns
    -------
    CaseBase
        Typed DataFrames of the six tables and of the codings.

    Raises
    ------
    DataError
        Listing every problem found by :func:`validate_casebase` (file, line,
        column, value found, what was expected, a hint).

    Notes
    -----
    Reading depends only on the package folder: ``datapackage.json`` drives the
    checks and the dtypes; the codebook gives the categories.

    Examples
    --------
    >>> cb = load_casebase()                                  # doctest: +SKIP
    >>> cb.conditions.query("condition == 'experimenter'")   # doctest: +SKIP
    """
    tables, _, problems = _check_package(path)
    folder = Path(path) if path is not None else data_dir() / "cases"
    if problems:
        raise DataError(problems, summary=f"{len(problems)} problem(s) found in the case base "
                                          f"at {folder.name}/")
    frames = {name: _frame(t) for name, t in tables.items()}
    return CaseBase(
        **{name: frames[name] for name in CASEBASE_TABLES},
        codings={name: frames[name] for name in frames if name not in CASEBASE_TABLES},
        path=folder,
    )
