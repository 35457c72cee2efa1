"""Read a REFI-QDA project (``.qdpx``): codes, text sources, coded segments and cases.

A ``.qdpx`` file is a zip archive holding ``project.qde`` (XML in the ``urn:QDA-XML:project:1.0``
namespace) and the project's sources under ``sources/``. :func:`read_qdpx` reads the codebook,
the plain text of every ``TextSource``, every coded ``PlainTextSelection`` and the cases into a
:class:`QDAProject` of typed DataFrames; :meth:`QDAProject.code_matrix` crosses cases and codes.

Nothing is extracted to disk: entries are read from the archive in memory, an entry name that
would leave the archive (absolute, a drive, a ``..`` component) is refused, and sources named
``absolute://`` or ``relative://`` (files outside the archive) are refused rather than opened.

Conventions (docs/qdpx.md gives the reasons and the vendor quirks):

- GUIDs are compared case-insensitively and without braces; every GUID column holds the
  **lower-case form without braces** (``{6F1D…}`` → ``6f1d…``), the form of Python's
  :class:`uuid.UUID`.
- ``codes``: every ``Code`` of the codebook, categories (codes holding codes, codable or not)
  included, in document order; a root code's ``parent_id`` is NA; ``path`` joins the names from
  the root with ``/``.
- A source's ``text`` is its plain-text file decoded from UTF-8 exactly (a leading byte-order mark
  removed, CRLF kept, nothing normalised or stripped), or its inline ``PlainTextContent`` as the
  XML parser gives it (XML turns a literal CRLF into LF; ``&#13;`` keeps a CR).
- ``segments``: one row per (``PlainTextSelection``, ``Coding``); ``start`` and ``end`` are Python
  string indices into the source's ``text``, end exclusive, so ``text[start:end]`` is the
  segment's ``text``; the coder is the ``Coding``'s ``creatingUser``, else the selection's.
- Positions in the file are read, by default, as counts of Unicode characters (code points) of
  the plain text, a CRLF counting two: the reading of the standard that QualCoder's importer
  applies to BMP text. ``units="utf16"`` reads UTF-16 code units (a character outside the Basic
  Multilingual Plane counts two: what Qt-based editors such as QualCoder write when a text holds
  emoji), ``crlf="one"`` counts a CRLF as one character (ATLAS.ti, per QualCoder's importer).

References
----------
REFI-QDA Standard, *Exchange of processed data between qualitative data analysis software
packages*, Project Exchange format 1.0 (F. van Blommestein, ed., 2019; schema namespace
``urn:QDA-XML:project:1.0``; https://www.qdasoftware.org). The exporter whose conventions were
checked is QualCoder's (``src/qualcoder/refi.py`` and ``helpers.py``, github.com/ccbogel/QualCoder,
2026): positions written as its editor's positions, plain texts written in UTF-8 with a BOM, an
optional CRLF conversion for MAXQDA, and an importer that counts a CRLF as two characters except
for ATLAS.ti projects.

Examples
--------
>>> import io, zipfile
>>> qde = ('<Project xmlns="urn:QDA-XML:project:1.0" name="démo">'
...        '<Users><User guid="00000000-0000-0000-0000-0000000000aa" name="Ana"/></Users>'
...        '<CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000001" name="Confiance"'
...        ' isCodable="true"/></Codes></CodeBook><Sources>'
...        '<TextSource guid="00000000-0000-0000-0000-000000000002" name="Entretien">'
...        '<PlainTextContent>Élue : on se fait confiance.</PlainTextContent>'
...        '<PlainTextSelection guid="00000000-0000-0000-0000-000000000003" startPosition="18"'
...        ' endPosition="27" creatingUser="00000000-0000-0000-0000-0000000000aa">'
...        '<Coding guid="00000000-0000-0000-0000-000000000004">'
...        '<CodeRef targetGUID="00000000-0000-0000-0000-000000000001"/></Coding>'
...        '</PlainTextSelection></TextSource></Sources></Project>')
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     archive.writestr("project.qde", qde)
>>> project = read_qdpx(buffer)
>>> project.segments[["start", "end", "text", "coder"]]
   start  end        text coder
0     18   27   confiance   Ana
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import numpy as np
import pandas as pd

from ..errors import DataError, Problem
from ..results import Result
from ..validation import check_choice
from ._paths import unsafe_path_reason

__all__ = ["NAMESPACE", "QDAProject", "normalize_guid", "read_qdpx"]

#: The XML namespace of a REFI-QDA project file (Project Exchange 1.0).
NAMESPACE = "urn:QDA-XML:project:1.0"
_SEP = "}"  # expat's separator between namespace and local name: "urn:…}Code"
_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12})\}?$")
_STRING = "string"
#: The largest archive entry read (uncompressed): an interview is a few hundred kilobytes, and
#: the bound keeps a "zip bomb" from filling the memory.
MAX_ENTRY_BYTES = 256 * 2**20
_UNITS = ("codepoints", "utf16")
_CRLF = ("two", "one")


def normalize_guid(guid: str) -> str:
    """The one form of a REFI-QDA GUID that :func:`read_qdpx` writes: lower case, no braces.

    The standard's GUID type is ``8-4-4-4-12`` hexadecimal digits, optionally in braces; vendors
    differ in case (QualCoder writes lower case, MAXQDA upper case). A value that is not of that
    form is returned stripped and lower-cased, so that references still compare.

    Examples
    --------
    >>> normalize_guid("{6F1D9C3A-0B4E-4C2D-9A8B-7E6F5D4C3B2A}")
    '6f1d9c3a-0b4e-4c2d-9a8b-7e6f5d4c3b2a'
    """
    text = guid.strip()
    match = _GUID.match(text)
    return (match.group(1) if match else text.strip("{}")).lower()


# ---------------------------------------------------------------------------------------------
# The result
# ---------------------------------------------------------------------------------------------

@dataclass(repr=False, eq=False)  # DataFrames do not compare to one truth value
class QDAProject(Result):
    """A REFI-QDA project read by :func:`read_qdpx`: codes, sources, segments, cases.

    Attributes
    ----------
    file : str
        The ``.qdpx`` file read.
    name : str
        The project's name (``Project/@name``).
    description : str
        The project's description (``Project/Description``), "" when there is none.
    codes : DataFrame
        ``code_id``, ``name``, ``parent_id`` (NA for a root code), ``path``.
    sources : DataFrame
        ``source_id``, ``name``, ``text``: one row per ``TextSource``.
    segments : DataFrame
        ``segment_id`` (the selection's GUID), ``source_id``, ``code_id``, ``start``, ``end``
        (``Int64``, Python string indices into the source's ``text``, end exclusive), ``text``,
        ``coder`` (NA when no user is named): one row per (selection, coding).
    cases : DataFrame
        ``case_id``, ``name``.
    case_sources : DataFrame
        ``case_id``, ``source_id``: the sources each case refers to.
    read_notes : tuple of str
        What was read and how (the position convention) and what was left aside (non-text
        sources, codings of a whole source), shown under the table.
    """

    file: str
    name: str
    description: str
    codes: pd.DataFrame
    sources: pd.DataFrame
    segments: pd.DataFrame
    cases: pd.DataFrame
    case_sources: pd.DataFrame
    read_notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        return (f"REFI-QDA project {self.name!r}: {len(self.codes)} codes, "
                f"{len(self.sources)} text sources, {len(self.segments)} coded segments, "
                f"{len(self.cases)} cases")

    @property
    def notes(self) -> tuple[str, ...]:
        return self.read_notes

    @property
    def table(self) -> pd.DataFrame:
        """The coded segments (one row per selection and code)."""
        return self.segments

    def code_matrix(self, by: str = "case", value: str = "count") -> pd.DataFrame:
        """Cases (or sources) by name × codes by path: how many segments carry each code.

        Parameters
        ----------
        by : {"case", "source"}
            Rows: the cases (a case counts the segments of all its sources; a source shared by
            two cases counts in both) or the text sources.
        value : {"count", "presence"}
            ``"count"``: the number of segment rows coded with that very code (no roll-up to
            parent codes); ``"presence"``: 1 where the count is above 0, else 0.

        Returns
        -------
        DataFrame
            Integer cells; every row (also a case without sources or segments) and every code
            (categories included) of the project, in the project's order.
        """
        check_choice(by, "by", ("case", "source"))
        check_choice(value, "value", ("count", "presence"))
        segments = self.segments[["source_id", "code_id"]]
        if by == "case":
            rows = self.case_sources.merge(segments, on="source_id")
            keys, labels, index_name = self.cases["case_id"], self.cases["name"], "case"
            row_key = "case_id"
        else:
            rows = segments
            keys, labels, index_name = self.sources["source_id"], self.sources["name"], "source"
            row_key = "source_id"
        counts = pd.crosstab(rows[row_key], rows["code_id"]) if len(rows) else pd.DataFrame()
        counts = counts.reindex(index=list(keys), columns=list(self.codes["code_id"]),
                                fill_value=0).fillna(0).astype("int64")
        counts.index = pd.Index(list(labels), name=index_name)
        counts.columns = pd.Index(list(self.codes["path"]), name="code")
        return (counts > 0).astype("int64") if value == "presence" else counts


# ---------------------------------------------------------------------------------------------
# The archive and its XML
# ---------------------------------------------------------------------------------------------

@dataclass
class _Node:
    """One XML element with the line (1-based) where it starts."""

    tag: str
    attrib: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""

    def kids(self, name: str) -> list[_Node]:
        return [c for c in self.children if c.tag == name]

    def kid(self, name: str) -> _Node | None:
        found = self.kids(name)
        return found[0] if found else None


class _Reader:
    """The state of one :func:`read_qdpx` call: file name, problems found, notes."""

    def __init__(self, label: str):
        self.label = label
        self.where = f"{label} (project.qde)"
        self.problems: list[Problem] = []
        self.notes: list[str] = []

    def fatal(self, found: Any, expected: str, hint: str, summary: str, *,
              line: int | None = None, column: str | None = None) -> DataError:
        file = self.where if line is not None else self.label
        return DataError(Problem(file, line, column, found, expected, hint),
                         f"{self.label}: {summary}")

    def problem(self, node: _Node | None, column: str | None, found: Any, expected: str,
                hint: str = "") -> None:
        self.problems.append(Problem(self.where, None if node is None else node.line, column,
                                     found, expected, hint))


def _open_archive(path: str | Path | IO[bytes], reader: _Reader) -> zipfile.ZipFile:
    """The zip archive, after refusing a file that is not one and entries that would escape."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise reader.fatal(type(exc).__name__, "a .qdpx file (a zip archive holding "
                           "project.qde)", "export the project again from the QDA software with "
                           "'REFI-QDA project' (.qdpx), not 'codebook' (.qdc) or a native format",
                           "not a zip archive") from None
    unsafe = []
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        reason = ("an absolute path" if name.startswith("/")
                  else unsafe_path_reason(name.rstrip("/") or "."))
        if reason is not None:
            unsafe.append((info.filename, reason))
    if unsafe:
        archive.close()
        problems = [Problem(reader.label, None, "zip entry", name,
                            f"an entry name inside the archive, not {reason}",
                            "rebuild the archive from the QDA software's export; nothing is read "
                            "from such an archive") for name, reason in unsafe]
        raise DataError(problems, f"{reader.label}: zip entries that point outside the archive")
    return archive


def _read_entry(archive: zipfile.ZipFile, name: str, reader: _Reader) -> bytes:
    """The bytes of entry ``name``, refused when they would exceed :data:`MAX_ENTRY_BYTES`."""
    size = archive.getinfo(name).file_size
    if size > MAX_ENTRY_BYTES:
        raise reader.fatal(f"{name}: {size} bytes", f"entries of at most {MAX_ENTRY_BYTES} "
                           "bytes", "a REFI-QDA text or project file is far smaller; check the "
                           "archive's origin", f"the entry {name} is too large to read")
    return archive.read(name)


def _read_qde(archive: zipfile.ZipFile, reader: _Reader) -> tuple[bytes, str]:
    """The bytes of ``project.qde`` (or of the one ``.qde`` file at the archive's root)."""
    names = [n for n in archive.namelist() if "/" not in n.strip("/")]
    qde = [n for n in names if n.lower() == "project.qde"] or \
          [n for n in names if n.lower().endswith(".qde")]
    if len(qde) != 1:
        found = ", ".join(sorted(archive.namelist())[:8]) or "an empty archive"
        raise reader.fatal(found, "one project.qde file at the root of the archive",
                           "a .qdpx file holds project.qde and a sources/ folder; export the "
                           "whole project (REFI-QDA project exchange), not a codebook",
                           "no project.qde" if not qde else "several .qde files")
    reader.where = f"{reader.label} ({qde[0]})"
    return _read_entry(archive, qde[0], reader), qde[0]


def _parse_xml(raw: bytes, reader: _Reader) -> _Node:
    """The element tree of ``raw`` with line numbers, parsed by expat.

    Entity declarations (``<!ENTITY``) are refused: a REFI-QDA file has none, and refusing them
    keeps entity-expansion attacks out ("billion laughs"); external entities are never fetched.
    """
    parser = expat.ParserCreate(namespace_separator=_SEP)
    stack: list[_Node] = []
    root: list[_Node] = []

    def start(name: str, attrib: dict[str, str]) -> None:
        node = _Node(name, attrib, parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(name: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].text += data

    def entity(*args: Any) -> None:
        raise _EntityDeclared(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler, parser.EntityDeclHandler = chars, entity
    parser.buffer_text = True
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as exc:
        raise reader.fatal(expat.errors.messages[exc.code], "well-formed XML",
                           f"the XML breaks at line {exc.lineno}, column {exc.offset + 1}: "
                           "export the project again, or repair project.qde there",
                           f"malformed XML at line {exc.lineno}, column {exc.offset + 1}",
                           line=exc.lineno, column=f"XML column {exc.offset + 1}") from None
    except _EntityDeclared as exc:
        raise reader.fatal("<!ENTITY …>", "XML without entity declarations",
                           "REFI-QDA files declare no entities; remove the DOCTYPE",
                           "an XML entity declaration", line=exc.line,
                           column=f"XML column {exc.column}") from None
    top = root[0]
    if top.tag != f"{NAMESPACE}{_SEP}Project":
        raise reader.fatal(top.tag.replace(_SEP, ":"), f"a Project element in the {NAMESPACE} "
                           "namespace", "this is not a REFI-QDA project file",
                           "not a REFI-QDA project", line=top.line, column="root element")
    _strip_namespace(top)
    return top


class _EntityDeclared(Exception):
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


def _strip_namespace(node: _Node) -> None:
    """Local names for the elements of the REFI-QDA namespace (others keep ``ns}name``)."""
    prefix = NAMESPACE + _SEP
    stack = [node]
    while stack:
        n = stack.pop()
        n.tag = n.tag.removeprefix(prefix)
        stack.extend(n.children)


# ---------------------------------------------------------------------------------------------
# Codes, users, sources, selections, cases
# ---------------------------------------------------------------------------------------------

def _guid(node: _Node, attribute: str, reader: _Reader) -> str | None:
    value = node.attrib.get(attribute)
    if value is None or not value.strip():
        reader.problem(node, f"{node.tag}/@{attribute}", value, "a GUID",
                       f"every {node.tag} needs its {attribute} attribute")
        return None
    return normalize_guid(value)


def _codes(project: _Node, reader: _Reader) -> list[dict[str, Any]]:
    """Every ``Code`` of the codebook, depth first in document order, with its parent and path."""
    rows: list[dict[str, Any]] = []
    codebook = project.kid("CodeBook")
    codes = codebook.kid("Codes") if codebook is not None else None
    if codes is None:
        return rows
    seen: dict[str, int] = {}
    stack = [(c, None, "") for c in reversed(codes.kids("Code"))]
    while stack:
        node, parent, prefix = stack.pop()
        guid = _guid(node, "guid", reader)
        name = node.attrib.get("name", "")
        path = f"{prefix}/{name}" if prefix else name
        if guid is not None:
            if guid in seen:
                reader.problem(node, "Code/@guid", guid, "a GUID used by one code only",
                               f"the code of line {seen[guid]} has the same GUID")
            seen[guid] = node.line
            rows.append({"code_id": guid, "name": name, "parent_id": parent, "path": path})
        stack.extend((c, guid, path) for c in reversed(node.kids("Code")))
    return rows


def _users(project: _Node) -> dict[str, str]:
    users = project.kid("Users")
    return {} if users is None else {normalize_guid(u.attrib["guid"]): u.attrib.get("name", "")
                                     for u in users.kids("User") if u.attrib.get("guid")}


def _entry(archive: zipfile.ZipFile, reference: str) -> str | None:
    """The archive entry an ``internal://`` reference names: under ``sources/`` (any case of the
    folder: NVivo writes ``Sources/``), else at the root."""
    names = archive.namelist()
    in_sources = {}
    for n in names:
        folder, _, rest = n.partition("/")
        if rest and folder.lower() == "sources":
            in_sources.setdefault(rest, n)
    return in_sources.get(reference) or (reference if reference in names else None)


def _source_text(node: _Node, archive: zipfile.ZipFile, reader: _Reader) -> str | None:
    """The plain text of one ``TextSource``: its ``plainTextPath`` file, else its
    ``PlainTextContent``."""
    inline = node.kid("PlainTextContent")
    path = node.attrib.get("plainTextPath")
    name = node.attrib.get("name", "")
    if path is None:
        if inline is None:
            reader.problem(node, "TextSource", name, "a plainTextPath attribute or a "
                           "PlainTextContent element", "the standard requires one of them")
        return None if inline is None else inline.text
    scheme, sep, reference = path.partition("://")
    if not sep or scheme.lower() != "internal":
        reader.problem(node, "TextSource/@plainTextPath", path, "an internal:// path (a file "
                       "inside the .qdpx archive)", "files outside the archive are not read: "
                       "export the project with its sources embedded")
        return None
    # internal://x.txt names sources/x.txt; a '/' left after the scheme is ignored
    reference = reference.replace("\\", "/")
    reason = ("an absolute path" if reference.startswith("//")
              else unsafe_path_reason(reference.lstrip("/")))
    if reason is not None:
        reader.problem(node, "TextSource/@plainTextPath", path, "a file name inside the "
                       f"archive's sources/ folder, not {reason}")
        return None
    reference = reference.lstrip("/")
    entry = _entry(archive, reference)
    if entry is None:
        reader.problem(node, "TextSource/@plainTextPath", path,
                       f"sources/{reference} in the archive",
                       f"the source {name!r} is missing from the archive: export the project "
                       "again with its sources")
        return None
    raw = _read_entry(archive, entry, reader)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        reader.problem(node, "TextSource/@plainTextPath", raw[exc.start:exc.start + 4],
                       f"{entry} in UTF-8 (byte {exc.start})", "REFI-QDA plain texts are UTF-8")
        return None
    text = text.removeprefix("\ufeff")
    if inline is not None and inline.text != text:
        reader.problem(inline, "PlainTextContent", name, f"either PlainTextContent or the file "
                       f"{entry}, not both with different texts")
        return None
    return text


class _Positions:
    """Converts a selection's positions, as the exporter counted them, to Python string indices.

    ``units="codepoints"`` counts one per character (code point), ``"utf16"`` two for a
    character above U+FFFF; ``crlf="one"`` counts a CR followed by LF as one (the position
    before that unit is the CR's index). A position inside a character counted two (between
    the halves of a UTF-16 surrogate pair) has no index.
    """

    def __init__(self, text: str, units: str, crlf: str):
        self.ends: np.ndarray | None = None
        self.length_in_units = len(text)
        wide = (units == "utf16" and not text.isascii()
                and re.search("[\U00010000-\U0010ffff]", text) is not None)
        merged = crlf == "one" and "\r\n" in text
        if not (wide or merged):
            return
        code = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        width = np.ones(len(code), dtype=np.int64)
        if wide:
            width[code > 0xFFFF] = 2
        if merged:  # the CR of a CRLF counts nothing, its LF one
            width[:-1][(code[:-1] == 0x0D) & (code[1:] == 0x0A)] = 0
        self.ends = np.concatenate(([0], np.cumsum(width)))  # ends[k] = units before character k
        self.length_in_units = int(self.ends[-1])

    def index(self, position: int) -> int | None:
        """The Python index of ``position``, or None when it falls inside a counted unit. A
        CRLF counted as one unit maps the position before it to the index of the CR."""
        if self.ends is None:
            return position
        k = int(np.searchsorted(self.ends, position, side="left"))
        return k if k < len(self.ends) and self.ends[k] == position else None


def _int(node: _Node, attribute: str, reader: _Reader) -> int | None:
    value = node.attrib.get(attribute)
    if value is None or not re.fullmatch(r"\s*\+?\d+\s*", value):
        reader.problem(node, f"PlainTextSelection/@{attribute}", value,
                       "a whole number of characters, 0 or more",
                       f"selection {node.attrib.get('guid')}")
        return None
    return int(value)


def _segments(source_node: _Node, source_id: str, text: str | None, known_codes: set[str],
              users: dict[str, str], options: tuple[str, str], reader: _Reader,
              unknown_users: set[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    positions = _Positions(text, *options) if text is not None else None
    for sel in source_node.kids("PlainTextSelection"):
        sel_id = _guid(sel, "guid", reader)
        start, end = _int(sel, "startPosition", reader), _int(sel, "endPosition", reader)
        span = None
        if start is not None and end is not None and positions is not None:
            length = positions.length_in_units
            if end > length or start > end:
                reader.problem(sel, "PlainTextSelection/@endPosition" if end > length
                               else "PlainTextSelection/@startPosition",
                               end if end > length else start,
                               f"0 <= startPosition <= endPosition <= {length}, the length of "
                               f"the source {source_node.attrib.get('name', '')!r}",
                               f"selection {sel_id} (startPosition {start}, endPosition {end}) "
                               "lies outside its source")
            else:
                a, b = positions.index(start), positions.index(end)
                if a is None or b is None:
                    reader.problem(sel, "PlainTextSelection/@startPosition" if a is None
                                   else "PlainTextSelection/@endPosition",
                                   start if a is None else end,
                                   "a position between two characters",
                                   f"selection {sel_id} cuts a character or a CRLF in two "
                                   f"(units={options[0]!r}, crlf={options[1]!r}): try the "
                                   "other convention")
                else:
                    span = (a, b)
        for coding in sel.kids("Coding"):
            ref = coding.kid("CodeRef")
            code_id = _guid(ref, "targetGUID", reader) if ref is not None else None
            if ref is None:
                reader.problem(coding, "Coding", coding.attrib.get("guid"),
                               "a CodeRef element naming the code")
            elif code_id is not None and code_id not in known_codes:
                reader.problem(ref, "CodeRef/@targetGUID", code_id, "the GUID of a Code of "
                               "the codebook", f"selection {sel_id} is coded with an unknown code")
                code_id = None
            user = coding.attrib.get("creatingUser") or sel.attrib.get("creatingUser")
            coder = None
            if user:
                coder = users.get(normalize_guid(user))
                if coder is None:
                    unknown_users.add(normalize_guid(user))
            if span is not None and code_id is not None and sel_id is not None:
                rows.append({"segment_id": sel_id, "source_id": source_id, "code_id": code_id,
                             "start": span[0], "end": span[1],
                             "text": text[span[0]:span[1]], "coder": coder})
    return rows


def _matches(positions: _Positions, text: str, start: int, end: int, name: str) -> bool:
    """Whether the text at positions ``start``-``end`` begins like the selection's ``name``:
    exporters name a selection after its text, often cut and ended with "..." (XML turns the
    line ends of an attribute into spaces: whitespace is compared as one space)."""
    if end > positions.length_in_units or start > end:
        return False
    a, b = positions.index(start), positions.index(end)
    if a is None or b is None:
        return False
    prefix = re.sub(r"\s+", " ", re.sub(r"(\.\.\.|…)\s*$", "", name)).strip()
    return re.sub(r"\s+", " ", text[a:b]).strip().startswith(prefix)


def _name_check(named: list[tuple[str, int, int, str]], units: str, crlf: str) -> list[str]:
    """A note when selections' names do not match their text under the convention read but do
    under another one: the sign of a vendor's other way of counting."""
    if not named:
        return []
    cache: dict[tuple[int, str, str], _Positions] = {}

    def positions(text: str, u: str, c: str) -> _Positions:
        key = (id(text), u, c)
        if key not in cache:
            cache[key] = _Positions(text, u, c)
        return cache[key]

    score = {(u, c): sum(_matches(positions(t, u, c), t, a, b, n) for t, a, b, n in named)
             for u in _UNITS for c in _CRLF}
    here = score[(units, crlf)]
    best = max(score, key=lambda k: (score[k], k == (units, crlf)))
    if here == len(named) or score[best] <= here:
        return []
    return [(f"{len(named) - here} of {len(named)} selection name(s) do not match the text at "
             f"their positions; with units={best[0]!r}, crlf={best[1]!r} {score[best]} match: "
             "read the file again with those options")]


def _cases(project: _Node, text_ids: set[str], other_ids: set[str],
           reader: _Reader) -> tuple[list, list, int]:
    """Cases, their links to text sources, and the number of links to non-text sources."""
    cases, links, other = [], [], 0
    node = project.kid("Cases")
    for case in ([] if node is None else node.kids("Case")):
        case_id = _guid(case, "guid", reader)
        if case_id is None:
            continue
        cases.append({"case_id": case_id, "name": case.attrib.get("name", "")})
        for ref in case.kids("SourceRef"):
            source_id = _guid(ref, "targetGUID", reader)
            if source_id is None:
                continue
            if source_id in other_ids:
                other += 1
            elif source_id not in text_ids:
                reader.problem(ref, "SourceRef/@targetGUID", source_id, "the GUID of a source "
                               "of the project", f"case {case.attrib.get('name', '')!r}")
            elif {"case_id": case_id, "source_id": source_id} not in links:
                links.append({"case_id": case_id, "source_id": source_id})
    return cases, links, other


def _frame(rows: list[dict[str, Any]], columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.astype(columns) if len(frame) else pd.DataFrame(
        {c: pd.Series(dtype=t) for c, t in columns.items()})


# ---------------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------------

def read_qdpx(path: str | Path | IO[bytes], *, units: str = "codepoints",
              crlf: str = "two") -> QDAProject:
    """Read a REFI-QDA project exchange file (``.qdpx``) into a :class:`QDAProject`.

    Parameters
    ----------
    path : str, Path or binary file object
        The ``.qdpx`` file.
    units : {"codepoints", "utf16"}
        How the exporter counted the characters of the plain text in ``startPosition`` and
        ``endPosition``: one per Unicode character (the default, the standard's reading), or in
        UTF-16 code units (a character outside the Basic Multilingual Plane, e.g. an emoji,
        counts two: Qt-based editors such as QualCoder). Texts without such characters read
        the same either way.
    crlf : {"two", "one"}
        How the exporter counted a CRLF line end: two characters (the default: the plain text
        as it is), or one (ATLAS.ti, which counts a Windows line end as one character). Texts
        without CRLF read the same either way.

    Returns
    -------
    QDAProject
        ``codes``, ``sources``, ``segments``, ``cases``, ``case_sources`` (see
        :class:`QDAProject`), with GUIDs in lower case without braces and offsets converted to
        Python string indices of each source's ``text``.

    Raises
    ------
    DataError
        Naming the .qdpx file and, for what is inside ``project.qde``, the XML line: a file that
        is not a zip archive; zip entries with an absolute name or a ``..`` component (nothing is
        read from such an archive); no ``project.qde``; malformed XML (line and column); a
        selection outside its source (its GUID, its end position and the source's length); a
        ``CodeRef`` to a code the codebook lacks (the GUID); a source file missing from the
        archive (its name), not UTF-8, or outside the archive (``absolute://``,
        ``relative://``); a case referring to an unknown source. Every problem of the last kinds
        is listed at once.
    FileNotFoundError
        When ``path`` does not exist.

    Notes
    -----
    Codings of a whole source (a ``Coding`` directly under ``TextSource``) and non-text sources
    (pictures, PDF, audio, video) are not segments; they are counted in ``notes``. Inline
    ``PlainTextContent`` goes through the XML parser, which turns a literal CRLF into LF (XML 1.0,
    section 2.11): an exporter that counted the CRLF then shifts by one per line; ``&#13;``
    keeps the CR.

    References
    ----------
    REFI-QDA Project Exchange 1.0 (2019), https://www.qdasoftware.org; conventions checked
    against QualCoder's exporter and importer (see the module docstring and docs/qdpx.md).
    """
    check_choice(units, "units", _UNITS)
    check_choice(crlf, "crlf", _CRLF)
    label = str(path) if isinstance(path, (str, Path)) else getattr(path, "name", "<.qdpx file>")
    if not isinstance(label, str):
        label = "<.qdpx file>"
    reader = _Reader(label)
    with _open_archive(path, reader) as archive:
        raw, _ = _read_qde(archive, reader)
        project = _parse_xml(raw, reader)
        code_rows = _codes(project, reader)
        known = {r["code_id"] for r in code_rows}
        users = _users(project)
        source_rows, segment_rows = [], []
        unknown_users: set[str] = set()
        named: list[tuple[str, int, int, str]] = []
        sources = project.kid("Sources")
        source_nodes = [] if sources is None else sources.kids("TextSource")
        whole = 0
        for node in source_nodes:
            source_id = _guid(node, "guid", reader)
            text = _source_text(node, archive, reader)
            whole += len(node.kids("Coding"))
            if source_id is None:
                continue
            if text is not None:
                source_rows.append({"source_id": source_id, "name": node.attrib.get("name", ""),
                                    "text": text})
            segment_rows += _segments(node, source_id, text, known, users, (units, crlf),
                                      reader, unknown_users)
            if text is not None:
                named += [(text, int(n.attrib["startPosition"]), int(n.attrib["endPosition"]),
                           n.attrib["name"]) for n in node.kids("PlainTextSelection")
                          if n.attrib.get("name", "").strip()
                          and n.attrib.get("startPosition", "").strip().isdigit()
                          and n.attrib.get("endPosition", "").strip().isdigit()]
        others = [] if sources is None else [n for n in sources.children
                                              if n.tag != "TextSource" and n.attrib.get("guid")]
        case_rows, link_rows, other_links = _cases(
            project, {normalize_guid(n.attrib["guid"]) for n in source_nodes
                      if n.attrib.get("guid")},
            {normalize_guid(n.attrib["guid"]) for n in others}, reader)
    if reader.problems:
        raise DataError(reader.problems, f"{label}: {len(reader.problems)} problem(s) in the "
                        "REFI-QDA project")
    notes = [(f"positions read as {'UTF-16 code units' if units == 'utf16' else 'characters'}, "
              f"a CRLF counting {crlf}; GUIDs in lower case without braces")]
    if others:
        notes.append(f"{len(others)} non-text source(s) (picture, PDF, audio, video) not read"
                     + (f"; {other_links} case link(s) to them left out" if other_links else ""))
    notes += _name_check(named, units, crlf)
    if whole:
        notes.append(f"{whole} coding(s) of a whole source (no selection) not counted as segments")
    if unknown_users:
        notes.append(f"{len(unknown_users)} user GUID(s) not among the project's Users: coder NA")
    description = project.kid("Description")
    guid_t = _STRING
    return QDAProject(
        file=label, name=project.attrib.get("name", ""),
        description="" if description is None else description.text,
        codes=_frame(code_rows, {"code_id": guid_t, "name": _STRING, "parent_id": guid_t,
                                 "path": _STRING}),
        sources=_frame(source_rows, {"source_id": guid_t, "name": _STRING, "text": _STRING}),
        segments=_frame(segment_rows, {"segment_id": guid_t, "source_id": guid_t,
                                       "code_id": guid_t, "start": "Int64", "end": "Int64",
                                       "text": _STRING, "coder": _STRING}),
        cases=_frame(case_rows, {"case_id": guid_t, "name": _STRING}),
        case_sources=_frame(link_rows, {"case_id": guid_t, "source_id": guid_t}),
        read_notes=tuple(notes))
