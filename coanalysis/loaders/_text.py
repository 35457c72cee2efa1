"""Text-file helpers shared by the loaders: decoding with hints, separator detection, first lines.

A loader reads bytes, decodes them (:func:`decode_text`: UTF-8 with or without BOM, else cp1252,
with an error naming the line and the fix for UTF-16, C1 control characters and UTF-8 files with
lines pasted in another encoding), finds the separator (:func:`sniff_separator`) and checks that
the header was split by it (:func:`foreign_separator`). Line numbers count line feeds, header =
line 1 (:func:`line_of`).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np

from ..errors import DataError, Problem

__all__ = ["SEPARATORS", "decode_text", "first_lines", "foreign_separator", "line_of",
           "sniff_separator"]

#: The separators a French or English CSV export uses, in the order ties are broken.
SEPARATORS = ";,\t|"


def line_of(raw: bytes, pos: int) -> int:
    """The line (the first is 1) holding byte ``pos`` of ``raw``: one plus the line feeds before it.

    Examples
    --------
    >>> line_of(b"id;q\\n1;\\xe9\\n", 7)
    2
    """
    return raw.count(b"\n", 0, pos) + 1


def decode_text(raw: bytes, path: str, encoding: str | None) -> tuple[str, str]:
    """``(text, encoding used)`` of a text file's bytes; ``encoding=None`` detects UTF-8 (BOM or
    not) or cp1252.

    Raises :class:`DataError` (file ``path``, line, bytes, expected, fix) for a UTF-16 file not
    declared so (byte-order mark or NUL bytes), bytes ``encoding`` cannot decode, a UTF-8 file
    with lines in another encoding (see :func:`_mixed_encoding`), and C1 control characters in
    the decoded text (a Windows file decoded as latin-1). The BOM is removed from the text.
    """
    def fail(exc: UnicodeDecodeError, enc: str, hint: str) -> DataError:
        line = line_of(raw, exc.start)
        return DataError(Problem(path, line, None, raw[exc.start: exc.start + 4],
                                 f"text in the {enc} encoding", hint), "wrong encoding")
    wide = re.sub(r"[-_]", "", (encoding or "").lower()).startswith(("utf16", "utf32"))
    if not wide and (raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4096]):
        bom = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
        line = 1 if bom else line_of(raw, raw.index(b"\x00"))
        raise DataError(Problem(path, line, None, raw[:4],
                                "text in UTF-8 or cp1252",
                                "the file is UTF-16 (" + ("byte-order mark" if bom else "NUL bytes")
                                + "): re-export it as 'CSV UTF-8' or pass encoding='utf-16'"
                                + ("" if bom else " ('utf-16-le' or 'utf-16-be' without a byte-order "
                                   "mark)")), "UTF-16 file")
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise fail(exc, encoding, "pass encoding=None to let the loader detect UTF-8 or "
                       "cp1252, or the file's real encoding") from None
        used = encoding
    else:
        try:
            text, used = raw.decode("utf-8-sig"), "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        except UnicodeDecodeError:
            mixed = _mixed_encoding(raw, path)
            if mixed is not None:
                raise mixed
            try:
                text, used = raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:
                raise fail(exc, "UTF-8 or cp1252", "re-export the file as 'CSV UTF-8' and pass "
                           "encoding= if it is something else") from None
    # U+0080-U+009F are the only characters whose UTF-8 form is C2 80-9F: one byte search
    # over the encoded text tells when the (slower) character search can be skipped
    c1 = (re.search(r"[\u0080-\u009f]", text) if not text.isascii() and re.search(
        rb"\xc2[\x80-\x9f]", text.encode("utf-8", "surrogatepass")) else None)
    if c1:
        line = text[: c1.start()].count("\n") + 1
        raise DataError(Problem(path, line, None, c1.group(), "no C1 control character",
                                f"the file was decoded as {used}; Windows files need "
                                "encoding='cp1252', not latin-1"), "wrong encoding")
    return text.lstrip("\ufeff"), used


#: A valid UTF-8 sequence of two bytes or more (RFC 3629, table 3-7 of the Unicode standard).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
def _first_utf8_multibyte(raw: bytes) -> re.Match | None:
    """The first valid UTF-8 sequence of two bytes or more in ``raw``: candidates (a lead byte
    C2-F4 followed by a continuation byte 80-BF) found with numpy, then checked in order with
    :data:`_UTF8_MULTIBYTE` (the regular expression alone takes ~1 s on 9 MB)."""
    b = np.frombuffer(raw, dtype=np.uint8)
    lead, cont = b[:-1], b[1:]
    candidates = np.flatnonzero((lead >= 0xC2) & (lead <= 0xF4) & (cont >= 0x80) & (cont <= 0xBF))
    for pos in candidates.tolist():
        m = _UTF8_MULTIBYTE.match(raw, pos)
        if m is not None:
            return m
    return None


_MAX_ENCODING_LINES = 20  # lines listed one by one in a mixed-encoding error


def _mixed_encoding(raw: bytes, path: str) -> DataError | None:
    """The error for a file that is not valid UTF-8 but holds valid UTF-8 sequences: UTF-8
    with some lines in another encoding (a cp1252 paste), which decoding the whole file as
    cp1252 would turn into mojibake ('é' into 'Ã©'). None when no UTF-8 sequence is found:
    the file is then taken as cp1252 (a lone pair such as 'Ã©' written in cp1252 is read as
    UTF-8 evidence: the error then says to pass encoding='cp1252')."""
    good = _first_utf8_multibyte(raw)
    if good is None:
        return None
    text = raw.decode("utf-8", errors="surrogateescape")
    good_line = line_of(raw, good.start())
    sample = good.group().decode("utf-8")
    problems: list[Problem] = []
    lines = 0  # lines holding invalid bytes
    line, pos = 1, 0
    for m in re.finditer(r"[\udc80-\udcff]+", text):
        here = line + text.count("\n", pos, m.start())
        if lines and here == line:
            continue  # the first invalid bytes of a line are shown
        line, pos = here, m.start()
        lines += 1
        if len(problems) < _MAX_ENCODING_LINES:
            bad = m.group().encode("utf-8", "surrogateescape")
            problems.append(Problem(
                path, here, None, bad, "text in UTF-8, as the rest of the file",
                f"{bad!r} is {bad.decode('cp1252', 'replace')!r} in Windows-1252: this line was "
                f"typed or pasted in another encoding, while the file is UTF-8 elsewhere (line "
                f"{good_line} holds {sample!r}); correct the line and save the file as UTF-8 "
                "('CSV UTF-8'), or pass encoding='cp1252' only if the whole file is Windows-1252"))
    more = f", the first {len(problems)} listed" if lines > len(problems) else ""
    return DataError(problems, f"{Path(path).name}: {lines} line(s) not in UTF-8 in a UTF-8 "
                               f"file{more}")


def first_lines(text: str, k: int) -> list[str]:
    """``text.splitlines()[:k]`` without splitting the whole text: the first ``k`` lines of a
    prefix are those of the text once the prefix holds more than ``k`` lines."""
    size = 1 << 16
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > k:
            return lines[:k]
        size *= 4
    return text.splitlines()[:k]


def sniff_separator(text: str, candidates: str = SEPARATORS) -> str:
    """The separator of a CSV text among ``candidates``: :class:`csv.Sniffer` on the first 20
    lines, else the candidate the header holds most often (the first of ``candidates`` on a tie)."""
    sample = "\n".join(first_lines(text, 20))
    try:
        return csv.Sniffer().sniff(sample, delimiters=candidates).delimiter
    except csv.Error:
        header = first_lines(text, 1)[0]
        return max(candidates, key=header.count)


def foreign_separator(header: list[str], sep: str | None,
                      candidates: str = SEPARATORS) -> tuple[str, int] | None:
    """``(separator, fields)`` when a CSV header read with ``sep`` is a single field that another
    of ``candidates`` splits (into ``fields`` names); None otherwise, or when ``sep`` is None.

    Examples
    --------
    >>> foreign_separator(["id;q1;q2"], ",")
    (';', 3)
    >>> foreign_separator(["id", "q1"], ",") is None
    True
    """
    if sep is None or len(header) != 1:
        return None
    counts = {c: header[0].count(c) for c in candidates if c != sep}
    best = max(counts, key=counts.get)
    return (best, counts[best] + 1) if counts[best] else None
