"""One list as the lint rules see it: its lines (generated blocks blanked), what the readers
made of it, each record's entry, and which lines sit in fenced code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from medlit.entries import Entry, entries
from medlit.model import ReadResult

_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")


@dataclass
class Doc:
    path: Path
    name: str
    lines: list[str]
    result: ReadResult
    entries: list[Entry]
    code: set[int] = field(default_factory=set)  # 1-based lines inside fenced code blocks
    ignored: set[str] = field(default_factory=set)

    def text_lines(self):
        """(1-based number, line) of every line outside fenced code."""
        return ((n, line) for n, line in enumerate(self.lines, 1) if n not in self.code)


def read(path) -> Doc:
    from medlit.markers import blank_generated
    from medlit.readers import decode, load, read_text

    path = Path(path)
    name = str(path)
    text, _encoding = decode(load(path, name), name)
    result = read_text(text, name, path.suffix)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = blank_generated(text)[0].split("\n")
    markdown = path.suffix.lower() not in (".bib", ".bibtex")
    found = entries(lines, result.records) if markdown else []
    return Doc(path, name, lines if markdown else [], result, found, _fenced(lines) if markdown else set())


def _fenced(lines: list[str]) -> set[int]:
    inside: set[int] = set()
    fence = None
    for n, line in enumerate(lines, 1):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            inside.add(n)
        elif fence is not None:
            inside.add(n)
            if m and m.group(1) == fence:
                fence = None
    return inside
