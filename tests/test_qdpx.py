"""read_qdpx on fictional REFI-QDA projects (tests/data/qdpx, written by make_fixtures.py).

Every expected value is derived here from the text the fixture script wrote (``str.find`` of a
phrase, a line counted in the XML), or written by hand (the code matrix), never from the
reader's output.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coanalysis.errors import DataError
from coanalysis.loaders import QDAProject, read_qdpx
from coanalysis.loaders.qdpx import normalize_guid

DATA = Path(__file__).parent / "data" / "qdpx"
_spec = importlib.util.spec_from_file_location("qdpx_fixtures", DATA / "make_fixtures.py")
F = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(F)

CAMILLE, NOE = "Camille (codeuse A)", "Noé (codeur B)"


@pytest.fixture(scope="module")
def project() -> QDAProject:
    return read_qdpx(DATA / "entretiens.qdpx")


def _qde(name: str) -> str:
    with zipfile.ZipFile(DATA / name) as archive:
        return archive.read("project.qde").decode("utf-8")


def _line_col(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text``."""
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


# --- what is read -----------------------------------------------------------------------------

def test_result_contract(project, check_result_contract):
    check_result_contract(project)
    assert F.LABEL.split(" / ")[0] in project.description  # flagged as test material


def test_codes_every_code_with_parent_and_path(project):
    by_hand = [  # (key, name, parent key, path)
        ("gouvernance", "Gouvernance", None, "Gouvernance"),
        ("confiance", "Confiance", "gouvernance", "Gouvernance/Confiance"),
        ("conflit", "Conflit", "gouvernance", "Gouvernance/Conflit"),
        ("conflit_ouvert", "Conflit ouvert", "conflit", "Gouvernance/Conflit/Conflit ouvert"),
        ("participation", "Participation", None, "Participation"),
        ("usagers", "Usagers", "participation", "Participation/Usagers"),
        ("agents", "Agents", "participation", "Participation/Agents"),
        ("emotions", "Émotions", None, "Émotions"),
    ]
    codes = project.codes
    assert list(codes.columns) == ["code_id", "name", "parent_id", "path"]
    assert (codes.dtypes == "string").all()
    assert list(codes["code_id"]) == [F.guid(k) for k, *_ in by_hand]
    assert list(codes["name"]) == [n for _, n, _, _ in by_hand]
    assert list(codes["path"]) == [p for *_, p in by_hand]
    parents = [None if pd.isna(v) else v for v in codes["parent_id"]]
    assert parents == [None if p is None else F.guid(p) for _, _, p, _ in by_hand]


def test_guids_braced_upper_case_in_the_file_are_lower_case_plain(project):
    qde = _qde("entretiens.qdpx")
    braced = "{" + F.guid("confiance").upper() + "}"
    assert f'guid="{braced}"' in qde and f'targetGUID="{F.guid("confiance")}"' in qde
    assert normalize_guid(braced) == F.guid("confiance")
    assert F.guid("confiance") in set(project.codes["code_id"])
    assert set(project.segments["code_id"]) <= set(project.codes["code_id"])


def test_source_texts_exact_bom_removed_crlf_kept(project):
    with zipfile.ZipFile(DATA / "entretiens.qdpx") as archive:
        raw = archive.read(f"sources/{F.guid('s1')}.txt")
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the file does hold a BOM, CRLF
    texts = dict(zip(project.sources["source_id"], project.sources["text"]))
    assert texts[F.guid("s1")] == F.TEXT_1 == raw[3:].decode("utf-8")
    assert texts[F.guid("s2")] == F.TEXT_2
    assert texts[F.guid("s3")] == F.TEXT_3  # inline PlainTextContent
    assert texts[F.guid("s4")] == F.TEXT_4  # inline, its CR written &#13; survives
    assert "\r\n" in F.TEXT_4 and "😅" in F.TEXT_4
    assert list(project.sources["name"]) == ["Entretien 01 — élue", "Entretien 02 — agent",
                                             "Entretien 03 — usager", "Note de terrain 04"]


#: One row per (selection, coding), by hand: (selection, source text, phrase, code, coder).
SEGMENTS = [
    ("s1a", F.TEXT_1, "les habitants sont venus à la première réunion", "usagers", CAMILLE),
    ("s1b", F.TEXT_1, "La confiance entre les agents et nous", "confiance", CAMILLE),
    ("s1b", F.TEXT_1, "La confiance entre les agents et nous", "agents", NOE),
    ("s1c", F.TEXT_1, "Il y a eu des désaccords, parfois vifs, sur le budget.", "conflit_ouvert",
     NOE),  # the coding names no user: the selection's
    ("s1d", F.TEXT_1, "ça a changé.\r\nEnquêtrice : Qu'est-ce qui a changé ?", "emotions", None),
    ("s2a", F.TEXT_2, "Le jardin partagé 🌱 est né", "emotions", CAMILLE),
    ("s2b", F.TEXT_2, "co-écrit la charte avec les habitants", "usagers", NOE),
    ("s2c", F.TEXT_2, "les élus ont validé sans tout relire", "conflit", CAMILLE),
    ("s3a", F.TEXT_3, "J'ai été écouté", "usagers", CAMILLE),
    ("s3b", F.TEXT_3, "je n'ai pas su ce qu'ils avaient fait de mes remarques", "confiance", NOE),
    ("s4a", F.TEXT_4, "On a tout repris à zéro", "agents", CAMILLE),
    ("s4b", F.TEXT_4, "ensemble", "agents", NOE),
]


def test_segments_exact_offsets_text_and_coder(project):
    seg = project.segments
    assert list(seg.columns) == ["segment_id", "source_id", "code_id", "start", "end", "text",
                                 "coder"]
    assert seg["start"].dtype == "Int64" and seg["end"].dtype == "Int64"
    assert (seg[["segment_id", "source_id", "code_id", "text", "coder"]].dtypes == "string").all()
    assert len(seg) == len(SEGMENTS)
    for row, (key, text, phrase, code, coder) in zip(seg.itertuples(), SEGMENTS):
        start = text.find(phrase)
        assert start >= 0 and text.find(phrase, start + 1) < 0  # the phrase is unique
        assert (row.segment_id, row.code_id) == (F.guid(key), F.guid(code))
        assert (row.start, row.end) == (start, start + len(phrase))
        assert row.text == phrase
        assert (None if pd.isna(row.coder) else row.coder) == coder


def test_the_fixture_puts_non_bmp_characters_and_crlf_before_coded_segments():
    # what makes the conventions differ: an emoji before s1a, CRLFs before s1b, an emoji inside s2a
    for text, phrase in [(F.TEXT_1, "les habitants"), (F.TEXT_1, "La confiance"),
                         (F.TEXT_4, "ensemble")]:
        i = text.find(phrase)
        assert F.to_units(text, i, units="utf16") != i or F.to_units(text, i, crlf="one") != i
    utf16 = _qde("entretiens_utf16.qdpx")
    i = F.TEXT_1.find("les habitants")
    assert f'startPosition="{i + 1}"' in utf16  # 🙂 (U+1F642) counts two UTF-16 units


@pytest.mark.parametrize("name, options", [("entretiens_utf16.qdpx", {"units": "utf16"}),
                                           ("entretiens_crlf_one.qdpx", {"crlf": "one"})])
def test_vendor_conventions_read_to_the_same_python_indices(project, name, options):
    other = read_qdpx(DATA / name, **options)
    pd.testing.assert_frame_equal(other.segments, project.segments)
    # read with the default convention, the names no longer match: the note says which works
    wrong = read_qdpx(DATA / name)
    note = [n for n in wrong.notes if "selection name" in n]
    key, value = next(iter(options.items()))
    assert note and f"{key}={value!r}" in note[0]


def test_inline_text_with_a_literal_crlf_reaches_python_as_lf():
    # XML 1.0 section 2.11: a parser hands a literal CRLF to the application as LF
    qde = ('<Project xmlns="urn:QDA-XML:project:1.0" name="t"><Sources>'
           f'<TextSource guid="{F.guid("x")}" name="x"><PlainTextContent>a\r\nb'
           '</PlainTextContent></TextSource></Sources></Project>')
    buffer = io.BytesIO()
    F.write_zip(buffer, {"project.qde": qde})
    assert read_qdpx(buffer).sources["text"].iloc[0] == "a\nb"


def test_project_qde_with_a_bom_and_a_capitalised_sources_folder(project):
    # older QualCoder exports wrote project.qde in UTF-8 with a BOM; NVivo names the folder Sources/
    qde, entries = F.project_xml(F.PROJECT)
    buffer = io.BytesIO()
    F.write_zip(buffer, {"project.qde": b"\xef\xbb\xbf" + qde.encode("utf-8"),
                         **{"Sources/" + k.split("/", 1)[1]: v for k, v in entries.items()}})
    pd.testing.assert_frame_equal(read_qdpx(buffer).segments, project.segments)


def test_cases_and_shared_sources(project):
    names = dict(zip(project.cases["case_id"], project.cases["name"]))
    assert list(names.values()) == ["Commune A (fictive)", "Commune B (fictive)",
                                    "Commune C (fictive)"]
    links = {(names[c], s) for c, s in zip(project.case_sources["case_id"],
                                           project.case_sources["source_id"])}
    assert links == {("Commune A (fictive)", F.guid("s1")), ("Commune A (fictive)", F.guid("s2")),
                     ("Commune B (fictive)", F.guid("s2")), ("Commune B (fictive)", F.guid("s3"))}


def test_code_matrix_counts_by_hand(project):
    paths = ["Gouvernance", "Gouvernance/Confiance", "Gouvernance/Conflit",
             "Gouvernance/Conflit/Conflit ouvert", "Participation", "Participation/Usagers",
             "Participation/Agents", "Émotions"]
    # Commune A = sources 1 and 2; Commune B = sources 2 (shared, counted in both) and 3, whose
    # whole-source coding is no segment; no roll-up to the parent codes
    expected = pd.DataFrame([[0, 1, 1, 1, 0, 2, 1, 2],
                             [0, 1, 1, 0, 0, 2, 0, 1],
                             [0, 0, 0, 0, 0, 0, 0, 0]],
                            index=pd.Index(["Commune A (fictive)", "Commune B (fictive)",
                                            "Commune C (fictive)"], name="case"),
                            columns=pd.Index(paths, name="code"), dtype="int64")
    pd.testing.assert_frame_equal(project.code_matrix(), expected)
    pd.testing.assert_frame_equal(project.code_matrix(value="presence"),
                                  (expected > 0).astype("int64"))
    by_source = project.code_matrix(by="source")
    assert by_source.loc["Note de terrain 04", "Participation/Agents"] == 2
    assert int(by_source.to_numpy().sum()) == len(SEGMENTS)


def test_code_matrix_options_checked(project):
    with pytest.raises(ValueError, match="value must be one of"):
        project.code_matrix(value="share")
    with pytest.raises(ValueError, match="by must be one of"):
        project.code_matrix(by="coder")


def test_notes_count_what_is_left_aside(project):
    notes = " | ".join(project.notes)
    assert "1 non-text source" in notes and "1 coding(s) of a whole source" in notes


def test_fixtures_are_what_the_script_writes(tmp_path):
    F.write_all(tmp_path)
    for path in sorted(tmp_path.iterdir()):
        shipped = DATA / path.name
        if path.read_bytes()[:2] != b"PK":
            assert path.read_bytes() == shipped.read_bytes()
            continue
        with zipfile.ZipFile(path) as new, zipfile.ZipFile(shipped) as old:
            assert new.namelist() == old.namelist()
            assert all(new.read(n) == old.read(n) for n in new.namelist())


# --- bad input ----------------------------------------------------------------------------------

def _error(name: str, **options) -> DataError:
    with pytest.raises(DataError) as info:
        read_qdpx(DATA / name, **options)
    assert name in str(info.value)  # every message names the .qdpx file
    return info.value


def test_not_a_zip():
    assert "not a zip archive" in str(_error("not_a_zip.qdpx"))


def test_no_project_qde():
    assert "no project.qde" in str(_error("no_project_qde.qdpx"))


def test_malformed_xml_names_line_and_column():
    with zipfile.ZipFile(DATA / "malformed_xml.qdpx") as archive:
        qde = archive.read("project.qde").decode("utf-8")
    # expat points at the name of a mismatched closing tag; accented letters before it on the
    # line check that the column counts characters, not bytes
    line, column = _line_col(qde, "Descriptio>")
    assert not qde.splitlines()[line - 1][:column].isascii()
    err = _error("malformed_xml.qdpx")
    assert err.problems[0].line == line
    assert f"line {line}, column {column}" in str(err)


def test_unknown_code_names_the_guid_and_its_line():
    qde = _qde("unknown_code.qdpx")
    unknown = F.guid("code inconnu")
    line, _ = _line_col(qde, f'<CodeRef targetGUID="{unknown}"')
    err = _error("unknown_code.qdpx")
    assert [(p.line, p.found) for p in err.problems] == [(line, unknown)]
    assert F.guid("s2c") in str(err)  # the selection


def test_selection_outside_its_source():
    err = _error("selection_outside.qdpx")
    text = str(err)
    assert F.guid("s2c") in text
    assert [p.found for p in err.problems] == [len(F.TEXT_2) + 5]  # the end position
    assert f"<= {len(F.TEXT_2)}" in text  # the source's length


def test_missing_source_names_it():
    err = _error("missing_source.qdpx")
    assert len(err.problems) == 1  # the cases that refer to it raise nothing more
    assert "Entretien 02 — agent" in str(err) and f"sources/{F.guid('s2')}.txt" in str(err)


def test_zip_entries_leaving_the_archive_are_refused(tmp_path):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    shutil.copy(DATA / "zip_slip.qdpx", inner)
    with pytest.raises(DataError) as info:
        read_qdpx(inner / "zip_slip.qdpx")
    assert [p.found for p in info.value.problems] == ["../evasion.txt", "/etc/evasion.txt"]
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "zip_slip.qdpx"]


def test_sources_outside_the_archive_are_not_read():
    err = _error("absolute_source.qdpx")
    assert [p.found for p in err.problems] == ["absolute:///etc/passwd"]
    assert "root:" not in str(err)


@pytest.mark.parametrize("reference", ["internal://../../etc/passwd", "internal:////etc/passwd",
                                       "relative://entretien.txt"])
def test_source_paths_leaving_the_archive_are_refused(reference):
    qde, entries = F.project_xml(F.PROJECT)
    qde = qde.replace(f'plainTextPath="internal://{F.guid("s1")}.txt"',
                      f'plainTextPath="{reference}"')
    buffer = io.BytesIO()
    F.write_zip(buffer, {"project.qde": qde, **entries})
    with pytest.raises(DataError) as info:
        read_qdpx(buffer)
    assert [p.found for p in info.value.problems] == [reference]


def test_an_entry_over_the_size_bound_is_not_read(monkeypatch):
    from coanalysis.loaders import qdpx

    with zipfile.ZipFile(DATA / "entretiens.qdpx") as archive:
        size = archive.getinfo("project.qde").file_size
    monkeypatch.setattr(qdpx, "MAX_ENTRY_BYTES", size - 1)
    err = _error("entretiens.qdpx")
    assert f"project.qde: {size} bytes" in str(err)


@pytest.mark.parametrize("options", [{"units": "bytes"}, {"crlf": "zero"}])
def test_options_checked(options):
    with pytest.raises(ValueError, match="must be one of"):
        read_qdpx(DATA / "entretiens.qdpx", **options)


def test_a_position_inside_a_surrogate_pair_is_refused():
    # with units="utf16", 🙂 (U+1F642) takes two units: the position between them is no index
    middle = F.to_units(F.TEXT_1, F.TEXT_1.find("🙂"), units="utf16") + 1
    project = dict(F.PROJECT, sources=[dict(F.SOURCES[0], selections=[])], cases=[])
    qde, entries = F.project_xml(project, units="utf16")
    qde = qde.replace("</TextSource>", f'<PlainTextSelection guid="{F.guid("mid")}" '
                      f'startPosition="{middle}" endPosition="{middle + 3}">'
                      f'<Coding guid="{F.guid("mc")}"><CodeRef targetGUID='
                      f'"{F.guid("emotions")}"/></Coding></PlainTextSelection></TextSource>')
    buffer = io.BytesIO()
    F.write_zip(buffer, {"project.qde": qde, **entries})
    with pytest.raises(DataError, match="cuts a character") as info:
        read_qdpx(buffer, units="utf16")
    assert [p.found for p in info.value.problems] == [middle]


# --- round trip -----------------------------------------------------------------------------

_PIECES = st.sampled_from(["a", "é", "Œ", " ", "\n", "\r\n", "🙂", "𝔘", "œuvre", "ç", "\t"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_PIECES, min_size=1, max_size=40),
       cuts=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=5),
       storage=st.sampled_from(["file", "file-bom", "inline"]),
       units=st.sampled_from(["codepoints", "utf16"]), crlf=st.sampled_from(["two", "one"]))
def test_round_trip_random_text_and_spans(pieces, cuts, storage, units, crlf):
    text = "".join(pieces)
    inside_crlf = {m.start() + 1 for m in re.finditer("\r\n", text)} if crlf == "one" else set()
    spans = []
    for a, b in cuts:
        a, b = sorted((a % (len(text) + 1), b % (len(text) + 1)))
        if a not in inside_crlf and b not in inside_crlf:
            spans.append((a, b))
    sels = [{"key": f"r{k}", "span": s, "user": "noe", "codings": [(f"rc{k}", "emotions", None)]}
            for k, s in enumerate(spans)]
    source = {"key": "r", "name": "aléatoire", "text": text, "storage": storage,
              "selections": sels}
    buffer = io.BytesIO()
    F.write_qdpx(buffer, dict(F.PROJECT, sources=[source], cases=[]), units=units, crlf=crlf)
    got = read_qdpx(buffer, units=units, crlf=crlf)
    assert got.sources["text"].iloc[0] == text
    assert list(zip(got.segments["start"], got.segments["end"])) == spans
    assert list(got.segments["text"]) == [text[a:b] for a, b in spans]
