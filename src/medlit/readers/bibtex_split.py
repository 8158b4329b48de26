"""A BibTeX file -> entries (type, key, line, fields), in one linear pass.

bibtexparser's splitter took more than half of a 10,000-entry import; this one finds each
brace with a compiled pattern and never looks back. It reads what well-formed files hold
(`@type{key, name = {...} # "..." # macro, ...}`, `@string`, `@comment`, `@preamble`);
an entry it cannot read is handed whole to bibtexparser (bibtex.py), which names what is
wrong with it. tests/test_bibtex_reading.py holds both to the same fields on real files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]{0,40})[ \t\r\n]*([{(])")
_KEY = re.compile(r"[ \t\r\n]*([^,\s{}()\"#=]+)[ \t\r\n]*,")
_NAME = re.compile(r"[ \t\r\n]*([A-Za-z_][\w:.+/-]{0,60})[ \t\r\n]*=[ \t\r\n]*")
_BARE = re.compile(r"[A-Za-z0-9_:.+/-]+")
_SPACE = re.compile(r"[ \t\r\n]*")
_BRACE_OR_ENTRY = re.compile(r"[{}]|\n[ \t]*@(?=[ \t]*[A-Za-z])")
_QUOTE_OR_BRACE = re.compile(r'[{}"]|\n[ \t]*@(?=[ \t]*[A-Za-z])')
_ENTRY_LINE = re.compile(r"^[ \t]*@", re.MULTILINE)


@dataclass
class Entry:
    entry_type: str
    key: str
    start: int  # offset of the `@`
    line: int  # 0-based line of the `@`
    fields: dict[str, str] = field(default_factory=dict)  # names as written, values unenclosed
    joined: set[str] = field(default_factory=set)  # fields written with `#`: values as written
    bare: set[str] = field(default_factory=set)  # fields written as a bare word (a macro, a number)


@dataclass
class Split:
    entries: list[Entry] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)  # lower-case name -> value
    unread: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, line) for bibtexparser


class _Unreadable(Exception):
    pass


def split(text: str) -> Split:
    out = Split()
    pos, line, counted = 0, 0, 0
    while True:
        m = _AT.search(text, pos)
        if m is None:
            return out
        line += text.count("\n", counted, m.start())
        counted = m.start()
        kind = m.group(1).lower()
        close = "}" if m.group(2) == "{" else ")"
        if kind == "comment":
            pos = m.end()
            continue
        try:
            if kind == "preamble":
                pos = _value(text, _SPACE.match(text, m.end()).end())[1]
                pos = _end(text, pos, close)
            elif kind == "string":
                name = _NAME.match(text, m.end())
                if not name:
                    raise _Unreadable
                value, pos, joined, bare = _value(text, name.end())
                pos = _end(text, pos, close)
                if joined:
                    value = concatenation(value, out.strings)
                    if value is None:
                        raise _Unreadable
                elif bare:
                    value = out.strings.get(value.lower(), value)
                out.strings[name.group(1).lower()] = value
            else:
                entry, pos = _entry(text, m, kind, close, line)
                out.entries.append(entry)
        except _Unreadable:
            # bibtexparser reads it again, up to where the next entry starts; a scan for a
            # closing brace never goes past that point twice (bounded below), so a file of
            # broken entries is read in linear time too
            end = _next_entry(text, m.end())
            out.unread.append((m.start(), end, line))
            pos = end


def _next_entry(text: str, pos: int) -> int:
    """Where the next entry starts: an `@` at the start of a line (as bibtexparser resumes)."""
    m = _ENTRY_LINE.search(text, pos)
    return m.start() if m else len(text)


def _end(text: str, pos: int, close: str) -> int:
    pos = _SPACE.match(text, pos).end()
    if text.startswith(",", pos):
        pos = _SPACE.match(text, pos + 1).end()
    if not text.startswith(close, pos):
        raise _Unreadable
    return pos + 1


def _entry(text: str, m: re.Match, kind: str, close: str, line: int) -> tuple[Entry, int]:
    key = _KEY.match(text, m.end())
    if not key:
        raise _Unreadable
    entry = Entry(m.group(1), key.group(1), m.start(), line)
    pos = key.end()
    seen: set[str] = set()
    while True:
        pos = _SPACE.match(text, pos).end()
        if text.startswith(close, pos):
            return entry, pos + 1
        name = _NAME.match(text, pos)
        if not name:
            raise _Unreadable
        value, pos, joined, bare = _value(text, name.end())
        low = name.group(1).lower()
        if low in seen:
            raise _Unreadable  # bibtexparser names the duplicate field
        seen.add(low)
        entry.fields[name.group(1)] = value
        if joined:
            entry.joined.add(name.group(1))
        elif bare:
            entry.bare.add(name.group(1))
        pos = _SPACE.match(text, pos).end()
        if text.startswith(",", pos):
            pos += 1
        elif not text.startswith(close, pos):
            raise _Unreadable


def _value(text: str, pos: int) -> tuple[str, int, bool, bool]:
    """(value, position after it, joined with `#`, a bare word). A single braced or quoted
    part gives its inside; a concatenation is kept as written, for `concatenation`."""
    start = pos
    parts = 0
    inner = ""
    bare_word = False
    while True:
        if text.startswith("{", pos):
            end = _balanced(text, pos)
            inner = text[pos + 1 : end - 1]
            pos = end
        elif text.startswith('"', pos):
            end = _quoted(text, pos)
            inner = text[pos + 1 : end - 1]
            pos = end
        else:
            bare = _BARE.match(text, pos)
            if not bare:
                raise _Unreadable
            inner = bare.group()
            pos = bare.end()
            bare_word = True
        parts += 1
        after = _SPACE.match(text, pos).end()
        if text.startswith("#", after):
            pos = _SPACE.match(text, after + 1).end()
            continue
        if parts == 1:
            return inner, pos, False, bare_word
        return text[start:pos], pos, True, False


def _balanced(text: str, pos: int) -> int:
    """The end of the braced group that opens at pos (braces count as BibTeX counts them,
    escaped or not); the scan stops at a line that starts an entry."""
    depth = 0
    for m in _BRACE_OR_ENTRY.finditer(text, pos):
        if m.group() not in "{}":
            raise _Unreadable
        depth += 1 if m.group() == "{" else -1
        if depth == 0:
            return m.end()
    raise _Unreadable


def _quoted(text: str, pos: int) -> int:
    """The end of the quoted value that opens at pos (a `"` inside braces does not close it)."""
    depth = 0
    for m in _QUOTE_OR_BRACE.finditer(text, pos + 1):
        ch = m.group()
        if ch not in '{}"':
            raise _Unreadable
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                raise _Unreadable
        elif depth == 0:
            return m.end()
    raise _Unreadable


_PART = re.compile(
    r'[ \t\r\n]*(?:"((?:[^"\\{}]|\\.|\{[^{}]*\})*)"|\{((?:[^{}]|\{[^{}]*\})*)\}'
    r"|([A-Za-z_][\w:.+/-]*)|(\d+))[ \t\r\n]*(#|$)"
)
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep oct nov dec".split())


def concatenation(value: str, strings: dict[str, str]) -> str | None:
    """`pre # " learning"` -> the joined text, or None if a part is neither quoted, braced,
    a number, a month nor a defined @string."""
    parts: list[str] = []
    pos = 0
    while pos < len(value):
        m = _PART.match(value, pos)
        if not m or m.end() == pos:
            return None
        quoted, braced, name, number, _sep = m.groups()
        if quoted is not None:
            parts.append(quoted)
        elif braced is not None:
            parts.append(braced)
        elif number is not None:
            parts.append(number)
        else:
            known = strings.get(name.lower(), name.lower() if name.lower() in _MONTHS else None)
            if known is None:
                return None
            parts.append(known)
        pos = m.end()
    return "".join(parts)
