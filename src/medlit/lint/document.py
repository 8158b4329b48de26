"""One list as the lint rules see it: its lines (generated blocks blanked), what the readers
made of it, each record's entry, and which lines sit in fenced code."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from medlit.entries import Entry, fenced, read_document
from medlit.model import ReadResult


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
    path = Path(path)
    lines, result, found = read_document(path, str(path))
    return Doc(path, str(path), lines, result, found, fenced(lines))
