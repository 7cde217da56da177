"""Text of a PDF page, decoded through each font's own ToUnicode map (with pypdf).

pypdf 7.1's ``extract_text`` mis-decodes part of the two-byte (Identity) text fpdf2 writes
for the embedded CJK subset: glyph codes below 0x0100 come out as "\\x00" plus a wrong
character (a name like 周远明 reads 周实量实年), while poppler's pdftotext reads the same
file correctly. So the tests read the show-text operators themselves: every ``Tj``/``TJ``
string, two bytes per glyph, mapped by the font's ``/ToUnicode`` CMap.
"""

from __future__ import annotations

import io
import re

import pypdf
from pypdf.generic import ContentStream

_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _cmap(font: object) -> dict[int, str] | None:
    stream = font.get("/ToUnicode")
    if stream is None:
        return None
    text = stream.get_object().get_data().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in _BFRANGE.findall(block):
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(int(dst, 16) + offset)
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in _BFCHAR.findall(block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    return mapping


def _decode(raw: bytes, cmap: dict[int, str] | None) -> str:
    if cmap is None:
        return raw.decode("latin-1")
    return "".join(cmap.get(int.from_bytes(raw[i:i + 2], "big"), "")
                   for i in range(0, len(raw) - 1, 2))


def page_texts(data: bytes) -> list[str]:
    """One string per page: the text of every show-text operator, in drawing order,
    operators separated by newlines."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        fonts = {name: _cmap(ref.get_object())
                 for name, ref in (page["/Resources"].get("/Font") or {}).items()}
        content = ContentStream(page.get_contents(), reader)
        current: dict[int, str] | None = None
        parts: list[str] = []
        for operands, operator in content.operations:
            if operator == b"Tf":
                current = fonts.get(operands[0])
            elif operator == b"Tj":
                parts.append(_decode(bytes(operands[0].original_bytes), current))
            elif operator == b"TJ":
                parts.append("".join(_decode(bytes(item.original_bytes), current)
                                     for item in operands[0] if hasattr(item,
                                                                        "original_bytes")))
        pages.append("\n".join(parts))
    return pages
