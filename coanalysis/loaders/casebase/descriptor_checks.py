"""Checks of the case base's descriptor read from disk, before any of its files is read.

:func:`read_descriptor` parses ``datapackage.json``; :func:`check_descriptor` checks its shape
(the one :func:`.schema.casebase_datapackage` writes), the paths of its resources (inside the
package folder) and its enums against the codebook, and returns the resources the table checks
of :mod:`.checks` can read.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

from ... import codebook
from ...errors import DataError, Problem
from .._paths import resolve_inside
from .schema import CASEBASE_TABLES, CODING_RESOURCES, DESCRIPTOR, _EXT, _names

__all__ = ["check_descriptor", "read_descriptor"]

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


def check_descriptor(descriptor: Any, folder: Path,
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


def read_descriptor(folder: Path, problems: list[Problem]) -> Any:
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
