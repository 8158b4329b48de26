"""A document's entries as written: the lines each record was read from.

Readers give a record's first line; an entry runs on from there as a reader of the list
sees it: a table row is one line (its table's header and delimiter are its `frame`); a list
item takes its indented continuation (a bold title's author line); a paragraph block runs
to the next blank line. Render reuses these lines, and learns a list's shape from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medlit.model import Record

_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_BLOCK_START = re.compile(r"^[ \t]{0,3}(?:#|>|\||```|~~~|<!--)")
_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


@dataclass
class Entry:
    record: Record
    line: int  # 1-based first line
    lines: list[str]  # verbatim; blank lines inside kept, none at the end
    kind: str  # "row", "item", "block", or "entry" (a BibTeX entry: no markdown to reuse)
    frame: tuple[str, str] | None = None  # a row's header and delimiter lines
    frame_line: int | None = None  # the header's line

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def is_row(line: str) -> bool:
    return line.lstrip(" \t>").startswith("|")


def entries(lines: list[str], records: list[Record]) -> list[Entry]:
    """The entry of every record read from `lines` (records without a line are left out)."""
    starts = {r.source.line for r in records}
    code = fenced(lines) if any("```" in line or "~~~" in line for line in lines) else set()
    found = []
    for record in records:
        number = record.source.line
        if not 0 < number <= len(lines):
            continue
        if number in code:  # a fenced BibTeX block (a list's "cite us"): no markdown entry
            found.append(Entry(record, number, [""], "entry"))
            continue
        first = lines[number - 1]
        if is_row(first):
            found.append(_row(lines, record, number))
        elif _MARKER.match(first):
            found.append(Entry(record, number, _item(lines, number, starts), "item"))
        else:
            found.append(Entry(record, number, _block(lines, number, starts), "block"))
    return found


def fenced(lines: list[str]) -> set[int]:
    """The 1-based lines inside fenced code blocks, fences included."""
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


def _row(lines: list[str], record: Record, number: int) -> Entry:
    header = number - 1  # 0-based index of the row; walk up to the table's first line
    while header > 0 and is_row(lines[header - 1]):
        header -= 1
    frame = None
    if header + 1 < number - 1 and _DELIMITER.match(lines[header + 1]):
        frame = (lines[header], lines[header + 1])
    return Entry(record, number, [lines[number - 1]], "row", frame, header + 1 if frame else None)


def _item(lines: list[str], number: int, starts: set[int]) -> list[str]:
    own = indent(lines[number - 1])
    taken = [lines[number - 1]]
    j = number  # 0-based index of the next line
    while j < len(lines) and j + 1 not in starts:
        line = lines[j]
        if not line.strip():
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            if k >= len(lines) or k + 1 in starts or indent(lines[k]) <= own:
                break
            taken += lines[j:k]
            j = k
            continue
        if indent(line) <= own and (not taken[-1].strip() or _MARKER.match(line) or _BLOCK_START.match(line)):
            break
        taken.append(line)
        j += 1
    return taken


def _block(lines: list[str], number: int, starts: set[int]) -> list[str]:
    taken = [lines[number - 1]]
    j = number
    while j < len(lines) and j + 1 not in starts and lines[j].strip() and not _BLOCK_START.match(lines[j]):
        taken.append(lines[j])
        j += 1
    return taken


def read_document(path, name: str):
    """(lines, ReadResult, entries) of a markdown document on disk, its generated blocks left
    out as the importer leaves them out; a BibTeX file has records but no entries."""
    from pathlib import Path

    from medlit.markers import blank_generated
    from medlit.readers import decode, load, read_text
    from medlit.registry import registry

    path = Path(path)
    text, _encoding = decode(load(path, name), name)
    result = read_text(text, name, path.suffix)
    spec = registry().reader_for(path.suffix)
    if spec is not None and not spec.markdown:  # BibTeX: records to check, no lines to reuse
        return [], result, [Entry(r, r.source.line, [""], "entry") for r in result.records]
    lines = blank_generated(text.replace("\r\n", "\n").replace("\r", "\n"))[0].split("\n")
    return lines, result, entries(lines, result.records)
