"""Rules on the markdown itself: ragged table rows (ML501), broken link syntax (ML502),
links without an address (ML203). Read line by line, outside fenced code and generated blocks."""

from __future__ import annotations

import re

from medlit.entries import is_row
from medlit.lint import Finding
from medlit.readers import inline
from medlit.readers.sanity import clip
from medlit.readers.tables import cell_count

MAX_LINE = 20_000  # longer lines are not parsed for links (sanity.py's limit too)
_DELIMITER = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_UNREAD = re.compile(r"\[++[^\[\]|]*+\]++\([^()|\s]*+\)?")  # link markup markdown did not read as a link
_SPACED = re.compile(r"\[[^\[\]]{1,200}\][ \t]+\((?:https?://|www\.)[^()\s]*\)")


def check(doc):
    yield from _tables(doc)
    for number, line in doc.text_lines():
        if ("[" in line and "](" in line) or "] (" in line:
            yield from _links(doc.name, number, line)


def _tables(doc):
    lines, code = doc.lines, doc.code
    i = 0
    while i + 1 < len(lines):
        if i + 1 in code or not is_row(lines[i]) or not _DELIMITER.match(lines[i + 1]):
            i += 1
            continue
        width = cell_count(lines[i])
        j = i + 2
        while j < len(lines) and is_row(lines[j]) and j + 1 not in code:
            count = cell_count(lines[j])
            if count != width:
                yield Finding(
                    doc.name,
                    j + 1,
                    "ML501",
                    f"table row has {count} cells, its header {width} (line {i + 1})",
                )
            j += 1
        i = j


def _links(name: str, number: int, line: str):
    if len(line) > MAX_LINE:
        return
    for m in _SPACED.finditer(line):
        yield Finding(
            name, number, "ML502", f"{clip(m.group(), 40)!r}: a space between ] and ( is not a link"
        )
    if inline.is_simple(line):
        return  # plain text and well-formed links only
    segs = inline.segments(line)
    for label, href in inline.links(segs):
        if not href.strip():
            yield Finding(
                name, number, "ML203", f"empty link [{clip(label, 30)}](): give its address or remove it"
            )
    plain = "".join(s.text if s.href is None else "|" for s in segs)
    for m in _UNREAD.finditer(plain):
        yield Finding(
            name,
            number,
            "ML502",
            f"broken link {clip(m.group(), 40)!r}: not closed, or a space in its address",
        )
