"""Write the REFI-QDA test projects of tests/test_qdpx.py (fictional test material).

Matériel de test fictif / fictional test material: the interviews below were written for these
tests; no person, commune or answer is real. Run ``python tests/data/qdpx/make_fixtures.py`` to
rewrite the ``.qdpx`` files of this folder; the same function, :func:`write_qdpx`, serves the
round-trip tests. Everything is deterministic: GUIDs are UUID 5 of fixed names, zip entries carry
a fixed date, and nothing random is drawn.

A selection is given as ``(phrase, occurrence)`` (or directly as Python indices, ``span``): its
Python indices are found here with ``str.find`` and then written in the units the variant asks
for: code points (the default), UTF-16 code units (``units="utf16"``, as Qt-based editors
count) or with a CRLF counted as one character (``crlf="one"``, as ATLAS.ti counts).
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).parent
LABEL = "Matériel de test fictif / fictional test material"
_NS = uuid.UUID("2b6a3f1e-8c4d-4e7a-9f00-5a1c0de7e575")
_DATE = (2026, 1, 1, 0, 0, 0)


def guid(key: str, *, style: str = "plain") -> str:
    """The fixed GUID of ``key``; ``style="braced"`` writes it in upper case within braces."""
    value = str(uuid.uuid5(_NS, key))
    return "{" + value.upper() + "}" if style == "braced" else value


# The fictional interviews. Source 1: CRLF line ends, a BOM in its file, an emoji before a coded
# segment. Source 2: LF, no BOM, an emoji inside a coded segment. Source 3: inline text.
# Source 4: inline text whose CRLF is written &#13;&#10;, with an emoji.
TEXT_1 = ("Enquêtrice : Comment la démarche a-t-elle commencé ?\r\n"
          "Élue : Au début, on n'y croyait pas vraiment 🙂. Puis les habitants sont venus à la "
          "première réunion, et là, ça a changé.\r\n"
          "Enquêtrice : Qu'est-ce qui a changé ?\r\n"
          "Élue : La confiance entre les agents et nous. Il y a eu des désaccords, parfois vifs, "
          "sur le budget.\r\n")
TEXT_2 = ("Agent : Le jardin partagé 🌱 est né d'une idée d'usagère.\n"
          "Agent : Nous avons co-écrit la charte avec les habitants ; les élus ont validé sans "
          "tout relire.\n")
TEXT_3 = ("Usager : J'ai été écouté, vraiment. Mais je n'ai pas su ce qu'ils avaient fait de "
          "mes remarques.\n")
TEXT_4 = "Agente : Réunion du 3 mars.\r\nOn a tout repris à zéro 😅 ensemble."

USERS = [("camille", "Camille (codeuse A)"), ("noe", "Noé (codeur B)")]

#: The codebook: (key, name, isCodable, children). "gouvernance" is a category that cannot be
#: coded, "participation" a codable category, "conflit" a code holding a code.
CODES = [
    ("gouvernance", "Gouvernance", False, [
        ("confiance", "Confiance", True, []),
        ("conflit", "Conflit", True, [
            ("conflit_ouvert", "Conflit ouvert", True, []),
        ]),
    ]),
    ("participation", "Participation", True, [
        ("usagers", "Usagers", True, []),
        ("agents", "Agents", True, []),
    ]),
    ("emotions", "Émotions", True, []),
]


def _sel(key, phrase, codings, user=None, occurrence=0):
    return {"key": key, "phrase": phrase, "occurrence": occurrence, "user": user,
            "codings": codings}


#: The sources with their selections; a coding is (key, code key, user key or None).
SOURCES = [
    {"key": "s1", "name": "Entretien 01 — élue", "text": TEXT_1, "storage": "file-bom",
     "selections": [
         _sel("s1a", "les habitants sont venus à la première réunion",
              [("c1", "usagers", "camille")]),
         # two codes on one selection, by two coders
         _sel("s1b", "La confiance entre les agents et nous",
              [("c2", "confiance", "camille"), ("c3", "agents", "noe")]),
         # the coding names no user: the selection's user is the coder
         _sel("s1c", "Il y a eu des désaccords, parfois vifs, sur le budget.",
              [("c4", "conflit_ouvert", None)], user="noe"),
         # across a CRLF, and no user at all
         _sel("s1d", "ça a changé.\r\nEnquêtrice : Qu'est-ce qui a changé ?",
              [("c5", "emotions", None)]),
     ]},
    {"key": "s2", "name": "Entretien 02 — agent", "text": TEXT_2, "storage": "file",
     "selections": [
         _sel("s2a", "Le jardin partagé 🌱 est né", [("c6", "emotions", "camille")]),
         _sel("s2b", "co-écrit la charte avec les habitants", [("c7", "usagers", "noe")]),
         _sel("s2c", "les élus ont validé sans tout relire", [("c8", "conflit", "camille")]),
     ]},
    {"key": "s3", "name": "Entretien 03 — usager", "text": TEXT_3, "storage": "inline",
     "whole_codings": [("c9", "participation", "camille")],
     "selections": [
         _sel("s3a", "J'ai été écouté", [("c10", "usagers", "camille")]),
         _sel("s3b", "je n'ai pas su ce qu'ils avaient fait de mes remarques",
              [("c11", "confiance", "noe")]),
     ]},
    {"key": "s4", "name": "Note de terrain 04", "text": TEXT_4, "storage": "inline",
     "selections": [
         _sel("s4a", "On a tout repris à zéro", [("c12", "agents", "camille")]),
         _sel("s4b", "ensemble", [("c13", "agents", "noe")]),
     ]},
]

#: Cases: "Commune A" and "Commune B" share source 2; "Commune C" has no source; source 4 is in
#: no case.
CASES = [("commune_a", "Commune A (fictive)", ["s1", "s2"]),
         ("commune_b", "Commune B (fictive)", ["s2", "s3"]),
         ("commune_c", "Commune C (fictive)", [])]

PROJECT = {"name": "Entretiens fictifs — jeu de test", "description": LABEL + ". Entretiens "
           "écrits pour les tests de coanalysis ; aucune personne ni commune réelle.",
           "users": USERS, "codes": CODES, "sources": SOURCES, "cases": CASES}


def span(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Python indices (start, end exclusive) of the ``occurrence``-th ``phrase`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(phrase, start + 1)
        if start < 0:
            raise ValueError(f"{phrase!r} not in the text")
    return start, start + len(phrase)


def to_units(text: str, index: int, *, units: str = "codepoints", crlf: str = "two") -> int:
    """The position an exporter writes for Python index ``index`` of ``text``."""
    before = text[:index]
    if crlf == "one":
        before = before.replace("\r\n", "\n")
    return len(before.encode("utf-16-le")) // 2 if units == "utf16" else len(before)


def _user_attr(users: dict[str, str], key: str | None) -> str:
    return "" if key is None else f" creatingUser={quoteattr(users[key])}"


def _code_xml(node, depth: int, style: str) -> str:
    key, name, codable, children = node
    pad = "  " * depth
    head = (f'{pad}<Code guid={quoteattr(guid(key, style=style))} name={quoteattr(name)} '
            f'isCodable="{str(codable).lower()}"')
    if not children:
        return head + "/>\n"
    inner = "".join(_code_xml(c, depth + 1, style) for c in children)
    return head + ">\n" + inner + f"{pad}</Code>\n"


def _inline(text: str) -> str:
    """XML character data that parses back to ``text`` exactly (a CR as ``&#13;``)."""
    return escape(text).replace("\r", "&#13;")


def project_xml(project: dict[str, Any], *, units: str = "codepoints", crlf: str = "two",
                code_style: str = "braced") -> tuple[str, dict[str, str]]:
    """``(project.qde text, {archive entry: text})`` for ``project``.

    Code GUIDs are written in ``code_style`` (braced upper case by default) while references to
    them are written plain: the reader must match them case-insensitively without braces.
    """
    users = {key: guid("user:" + key) for key, _ in project["users"]}
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             (f'<Project xmlns="urn:QDA-XML:project:1.0" name={quoteattr(project["name"])} '
              'origin="coanalysis tests/data/qdpx/make_fixtures.py">'),
             "<Users>"]
    lines += [f"  <User guid={quoteattr(users[k])} name={quoteattr(n)}/>"
              for k, n in project["users"]]
    lines += ["</Users>", "<CodeBook>", "<Codes>"]
    lines += ["".join(_code_xml(c, 1, code_style) for c in project["codes"]).rstrip("\n")]
    lines += ["</Codes>", "</CodeBook>", "<Sources>"]
    entries: dict[str, str] = {}
    for source in project["sources"]:
        text, key = source["text"], source["key"]
        attrs = f'guid={quoteattr(guid(key))} name={quoteattr(source["name"])}'
        if source["storage"].startswith("file"):
            file = guid(key) + ".txt"
            bom = "\ufeff" if source["storage"] == "file-bom" else ""
            entries["sources/" + file] = bom + text
            attrs += f' plainTextPath="internal://{file}"'
        lines.append(f"<TextSource {attrs}>")
        if source["storage"] == "inline":
            lines.append(f"<PlainTextContent>{_inline(text)}</PlainTextContent>")
        for sel in source["selections"]:
            a, b = sel["span"] if "span" in sel else span(text, sel["phrase"], sel["occurrence"])
            start, end = (to_units(text, i, units=units, crlf=crlf) for i in (a, b))
            lines.append(f'<PlainTextSelection guid={quoteattr(guid(sel["key"]))} '
                         f'name={quoteattr(text[a:b][:30])} startPosition="{start}" '
                         f'endPosition="{end}"{_user_attr(users, sel["user"])}>')
            for ckey, code, user in sel["codings"]:
                lines.append(f'  <Coding guid={quoteattr(guid(ckey))}{_user_attr(users, user)}>'
                             f'<CodeRef targetGUID={quoteattr(guid(code))}/></Coding>')
            lines.append("</PlainTextSelection>")
        for ckey, code, user in source.get("whole_codings", []):
            lines.append(f'<Coding guid={quoteattr(guid(ckey))}{_user_attr(users, user)}>'
                         f'<CodeRef targetGUID={quoteattr(guid(code))}/></Coding>')
        lines.append("</TextSource>")
    if project.get("picture"):
        lines.append(f'<PictureSource guid={quoteattr(guid("picture"))} name="Photo du '
                     'panneau (absente)" path="internal://absente.png"/>')
    lines.append("</Sources>")
    if project["cases"]:
        lines.append("<Cases>")
        for key, name, sources in project["cases"]:
            lines.append(f"<Case guid={quoteattr(guid('case:' + key))} name={quoteattr(name)}>")
            lines += [f"  <SourceRef targetGUID={quoteattr(guid(s))}/>" for s in sources]
            lines.append("</Case>")
        lines.append("</Cases>")
    lines.append(f"<Description>{escape(project['description'])}</Description>")
    lines.append("</Project>")
    return "\n".join(lines) + "\n", entries


def write_zip(target, entries: dict[str, bytes | str]) -> None:
    """A zip archive of ``entries`` (name → bytes, or text written in UTF-8), fixed dates."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def write_qdpx(target, project: dict[str, Any] = PROJECT, **options) -> str:
    """Write ``project`` as a .qdpx to ``target`` (a path or a binary buffer); returns the XML."""
    qde, entries = project_xml(project, **options)
    write_zip(target, {"project.qde": qde, **entries})
    return qde


# ---------------------------------------------------------------------------------------------
# The broken files, one per kind of bad input
# ---------------------------------------------------------------------------------------------

def broken_files() -> dict[str, dict[str, bytes | str] | bytes]:
    """``{file name: zip entries, or raw bytes for a file that is not a zip}``."""
    qde, entries = project_xml(PROJECT)
    files: dict[str, Any] = {}
    files["not_a_zip.qdpx"] = ("Ceci n'est pas une archive : " + LABEL + "\n").encode("utf-8")
    files["no_project_qde.qdpx"] = dict(entries)
    # a closing tag that does not match, after accented letters on its line: not well-formed
    files["malformed_xml.qdpx"] = {"project.qde": qde.replace("</Description>", "</Descriptio>"),
                                   **entries}
    unknown = guid("code inconnu")
    files["unknown_code.qdpx"] = {"project.qde": qde.replace(
        f'<CodeRef targetGUID="{guid("conflit")}"/>', f'<CodeRef targetGUID="{unknown}"/>'),
        **entries}
    a, b = span(TEXT_2, "les élus ont validé sans tout relire")
    files["selection_outside.qdpx"] = {"project.qde": qde.replace(
        f'startPosition="{a}" endPosition="{b}"',
        f'startPosition="{a}" endPosition="{len(TEXT_2) + 5}"'), **entries}
    missing = "sources/" + guid("s2") + ".txt"
    files["missing_source.qdpx"] = {"project.qde": qde,
                                    **{k: v for k, v in entries.items() if k != missing}}
    files["zip_slip.qdpx"] = {"project.qde": qde, **entries, "../evasion.txt": LABEL,
                              "/etc/evasion.txt": LABEL}
    files["absolute_source.qdpx"] = {"project.qde": qde.replace(
        f'plainTextPath="internal://{guid("s2")}.txt"',
        'plainTextPath="absolute:///etc/passwd"'), **entries}
    return files


def write_all(folder: Path = HERE) -> list[Path]:
    """Write every fixture of tests/test_qdpx.py into ``folder``."""
    written = []
    variants = {"entretiens.qdpx": {}, "entretiens_utf16.qdpx": {"units": "utf16"},
                "entretiens_crlf_one.qdpx": {"crlf": "one"}}
    for name, options in variants.items():
        write_qdpx(folder / name, dict(PROJECT, picture=True), **options)
        written.append(folder / name)
    for name, content in broken_files().items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            write_zip(path, content)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path.relative_to(HERE.parents[2]))
