"""The case base's Data Package descriptor, built from the codebook.

:func:`casebase_datapackage` builds ``data/cases/datapackage.json`` (Table Schemas whose enums are
the codebook vocabularies, keys, foreign keys and the project's ``coanalysis:`` rules) and
:func:`write_casebase_datapackage` writes it. :mod:`.descriptor_checks` checks a descriptor read
from disk against the shape this module writes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ... import codebook
from ...paths import data_dir

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

#: The patterns of the descriptor's string fields (Table Schema ``constraints.pattern``), which
#: the cell checks of :mod:`.checks` also use to write their hints.
SLUG_PATTERN = r"^[a-z][a-z0-9_]*$"
INSEE_PATTERN = r"^[0-9][0-9AB][0-9]{0,3}(;[0-9][0-9AB][0-9]{0,3})*$"
SIREN_PATTERN = r"^[0-9]{9}(;[0-9]{9})*$"
SOURCE_ID_PATTERN = r"^S[0-9]{3}$"
URL_PATTERN = r"^https?://\S+$"
PARTIAL_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_YEAR = {"minimum": 1900, "maximum": 2100}


def _names(value: str | list[str]) -> list[str]:
    """A Table Schema field list (``primaryKey``, ``fields`` of a foreign key) as a list."""
    return [value] if isinstance(value, str) else list(value)

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
             pattern=SOURCE_ID_PATTERN)
        if source_field == "source_id"
        else _str("source_url", "URL of the source exactly as written in the dossier",
                  pattern=URL_PATTERN)
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
        _str("case_id", "case (cases.case_id)", required=True, pattern=SLUG_PATTERN),
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
        _str("case_id", "case (cases.case_id)", required=True, pattern=SLUG_PATTERN),
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
                _str("case_id", "case (cases.case_id)", required=True, pattern=SLUG_PATTERN),
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
      participation levels: the two independent codings and the log
      (``log``: its resource, key and the fields the reconciled row copies) the
      table is derived from. The checker does not re-derive the rule from it:
      it rebuilds the tables with :func:`.reconcile.reconcile` (where the coders
      agree, their common value with coder A's evidence and no note; where they
      disagree, the log's row) and reports every cell that differs
      (:func:`.reconcile.compare_reconciled`). ``sameUnits`` (participation,
      whose units are a list of case × actor × stage rather than every
      combination) says that both codings hold the same units;
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
                     unique=True, pattern=SLUG_PATTERN),
                _str("name", "name of the experiment, in French", required=True),
                _vocab("corpus", codebook.CORPORA, "ost2019 (the study's five cases) or comparables"),
                _str("collectivity", "the local authority (or programme holder) running it",
                     required=True),
                _vocab("collectivity_type", codebook.COLLECTIVITY_TYPES, "kind of local authority"),
                _str("insee_code", "INSEE code(s) of the collectivity, ';'-separated, leading zeros kept",
                     pattern=INSEE_PATTERN),
                _str("siren", "SIREN number(s), 9 digits, ';'-separated", pattern=SIREN_PATTERN),
                _int("population", "population of the collectivity", minimum=0),
                _int("population_year", "year of the population figure", **_YEAR),
                _str("region", "current region, French name"),
                _vocab("domain", codebook.DOMAINS, "policy domain"),
                _int("start_year", "first year of the experiment", **_YEAR),
                _int("end_year", "last year (empty if ongoing or unknown)", **_YEAR),
                _str("parent_case", "programme or case this one belongs to (cases.case_id)",
                     pattern=SLUG_PATTERN),
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
                _str("source_id", "'S' + 3 digits", required=True, unique=True, pattern=SOURCE_ID_PATTERN),
                _str("title", "title of the page or document", required=True),
                _str("publisher", "who published it"),
                _str("url", "address of the source", required=True, unique=True, pattern=URL_PATTERN),
                _str("date", "publication date: YYYY, YYYY-MM or YYYY-MM-DD; empty if unknown",
                     pattern=PARTIAL_DATE_PATTERN),
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
                _str("case_id", "case (cases.case_id)", required=True, pattern=SLUG_PATTERN),
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
                     pattern=SOURCE_ID_PATTERN),
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
