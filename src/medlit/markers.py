"""The lines around a block that `medlit render` writes: `<!-- medlit:begin ATTRS -->` and
`<!-- medlit:end -->`, each on a line of its own.

Both the reader (which never reads a generated block back as a source) and render (which
fills the blocks) find them here. Matching is line-anchored, so it is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BEGIN = re.compile(r"^[ \t]*<!--[ \t]*medlit:begin\b(.*?)-->[ \t]*$", re.M)
END = re.compile(r"^[ \t]*<!--[ \t]*medlit:end[ \t]*-->[ \t]*$", re.M)


@dataclass(frozen=True)
class Span:
    line: int  # 1-based line of the begin marker
    start: int  # offset just after the begin marker's line text (before its line break)
    end: int  # offset of the end marker's line, or -1 when no end follows
    attrs: str  # the begin marker's attribute text
    end_after: int = -1  # offset just after the end marker's text
    nested: bool = False  # another begin comes before this block's end


def spans(text: str) -> list[Span]:
    """Every begin marker in order, with the end that closes it (end == -1: none does)."""
    found: list[Span] = []
    pos = 0
    while True:
        begin = BEGIN.search(text, pos)
        if begin is None:
            return found
        line = text.count("\n", 0, begin.start()) + 1
        end = END.search(text, begin.end())
        nested = BEGIN.search(text, begin.end())
        if end is None:
            found.append(Span(line, begin.end(), -1, begin.group(1)))
            return found
        inner = nested is not None and nested.start() < end.start()
        found.append(Span(line, begin.end(), end.start(), begin.group(1), end.end(), inner))
        pos = end.end()


def blank_generated(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with every line between a begin marker and its end made empty (line numbers
    stay), and the (first, last) lines blanked per block. Unclosed blocks are left as they are."""
    out, last, blanked = [], 0, []
    for span in spans(text):
        if span.end < 0 or span.nested:
            continue
        inside = text[span.start : span.end]
        breaks = inside.count("\n")
        if breaks <= 1:
            continue  # nothing between the markers
        first = span.line + 1
        out += [text[last : span.start], "\n" * breaks]
        last = span.end
        blanked.append((first, first + breaks - 2))
    if not blanked:
        return text, []
    out.append(text[last:])
    return "".join(out), blanked
