"""The case base's Data Package descriptor: built from the codebook, and checked before any file is read.

:func:`casebase_datapackage` builds ``data/cases/datapackage.json`` (Table Schemas whose enums are
the codebook vocabularies, keys, foreign keys and the project's ``coanalysis:`` rules) and
:func:`write_casebase_datapackage` writes it. The second half checks a descriptor read from disk:
its shape, the paths of its resources (inside the package folder), and its enums against the
codebook.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any


from ... import codebook
from ...errors import DataError, Problem
from ...paths import data_dir
from .._paths import resolve_inside

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


#: The tables a coder codes independently, each in ``codings/coder_<name>/<table>.csv``.
CODED_TABLES: tuple[str, ...] = ("conditions", "outcomes", "participation")

#: A coder's name: lower-case letters and digits, starting with a letter (``a``, ``b``, ``marie``).
CODER_NAME = r"^[a-z][a-z0-9]*$"


def coding_resource(coder: str, table: str) -> dict:
    """The resource of one coder's independent coding of ``table``, for any coder name.

    Parameters
    ----------
    coder : str
        The coder's name (:data:`CODER_NAME`): ``"a"`` gives the shipped ``coder_a_*``
        resources; the ``coder`` column of the file holds the name in upper case.
    table : {"conditions", "outcomes", "participation"}

    Returns
    -------
    dict
        A tabular-data-resource named ``coder_<coder>_<table>`` at
        ``codings/coder_<coder>/<table>.csv``, with the Table Schema the descriptor gives the
        shipped codings (conditions and outcomes cite a ``source_url``, participation a
        ``source_id``).

    Examples
    --------
    >>> r = coding_resource("a", "outcomes")
    >>> r["name"], r["path"], [f["name"] for f in r["schema"]["fields"]][-2:]
    ('coder_a_outcomes', 'codings/coder_a/outcomes.csv', ['source_url', 'coder'])
    >>> r == next(x for x in casebase_datapackage()["resources"] if x["name"] == r["name"])
    True
    """
    if not isinstance(coder, str) or not re.fullmatch(CODER_NAME, coder):
        raise ValueError(f"coder must be a name of lower-case letters and digits starting with a "
                         f"letter (e.g. 'a', 'marie'), got {coder!r}")
    if table not in CODED_TABLES:
        raise ValueError(f"table must be one of {CODED_TABLES}, got {table!r}")
    name, path = f"coder_{coder}_{table}", f"codings/coder_{coder}/{table}.csv"
    if table == "participation":
        return _participation_table(
            name, path, reconciled=False,
            title=f"Independent coding of the participation levels by coder {coder}")
    item, vocab = (("condition", codebook.CONDITIONS) if table == "conditions"
                   else ("outcome", codebook.OUTCOMES))
    return _scored_table(name, path, item, vocab, reconciled=False,
                         title=f"Independent coding of the {table} by coder {coder}")


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
        codings.append(coding_resource(coder.removeprefix("coder_"), table))
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

