"""Regenerate the tables between medlit markers in a README, leaving every other byte alone.

    <!-- medlit:begin task=segmentation lang=zh -->
    ...generated table...
    <!-- medlit:end -->

A marker's attributes are the search filters (`modality=CT organ=lung year=2016-`; several
values separated by commas) plus `lang`. Without a task the block gets a heading per task.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from medlit.errors import MarkerError
from medlit.model import FILTERS

BEGIN = re.compile(r"<!--\s*medlit:begin\b(.*?)-->", re.S)
END = re.compile(r"<!--\s*medlit:end\s*-->")


@dataclass
class Block:
    line: int  # 1-based line of the begin marker
    start: int  # offset just after the begin marker
    end: int  # offset of the end marker
    attrs: dict[str, str]


def blocks(text: str, name: str) -> list[Block]:
    found: list[Block] = []
    pos = 0
    while True:
        m = BEGIN.search(text, pos)
        if not m:
            break
        line = text.count("\n", 0, m.start()) + 1
        end = END.search(text, m.end())
        nested = BEGIN.search(text, m.end())
        if not end or (nested and nested.start() < end.start()):
            raise MarkerError(f"{name}:{line}: medlit:begin has no matching <!-- medlit:end -->")
        found.append(Block(line, m.end(), end.start(), _attrs(m.group(1), name, line)))
        pos = end.end()
    return found


def _attrs(text: str, name: str, line: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise MarkerError(f"{name}:{line}: marker attributes: {exc}") from None
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or key not in (*FILTERS, "year", "lang", "curated"):
            raise MarkerError(
                f"{name}:{line}: unknown marker attribute {word!r}; use "
                f"{', '.join(FILTERS)}, year, curated or lang (e.g. task=segmentation)"
            )
        attrs[key] = value
    if attrs.get("lang", "en") not in ("en", "zh"):
        raise MarkerError(f"{name}:{line}: lang must be en or zh, not {attrs['lang']!r}")
    return attrs


def filter_values(attrs: dict[str, str]) -> dict:
    """Marker attributes -> the filters `medlit.api.Catalog` methods take."""
    values: dict = {
        f: tuple(v.strip() for v in attrs[f].split(",") if v.strip()) for f in FILTERS if f in attrs
    }
    values["year"] = attrs.get("year")
    values["curated"] = attrs.get("curated", "").lower() in ("1", "true", "yes")
    return values


def regenerate(text: str, content_for, name: str) -> tuple[str, list[int]]:
    """New text, and the lines of the blocks whose content changed."""
    out, last, stale = [], 0, []
    for block in blocks(text, name):
        body = "\n" + content_for(block) + "\n"
        if text[block.start : block.end] != body:
            stale.append(block.line)
        out += [text[last : block.start], body]
        last = block.end
    out.append(text[last:])
    return "".join(out), stale
