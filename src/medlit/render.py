"""Regenerate the blocks between medlit markers in a README, leaving every other byte alone.

    <!-- medlit:begin task=segmentation lang=zh -->
    ...generated entries...
    <!-- medlit:end -->

A marker's attributes are the search filters (`modality=CT organ=lung year=2016-`; several
values separated by commas), `lang`, `section="Segmentation"` (the papers listed under that
heading in the catalog's sources; `source=FILE` narrows it to one file), `template="..."`
(the shape of an entry, see shapes.py) and `sort=year|-year|title|source`.

The shape is the marker's template, else the one the list already uses (the entries of the
section named, else of the section the marker stands in, else of the whole document), else
seed 001's table with a heading per task. A paper's own entry is reused as it was written.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from medlit.errors import MarkerError
from medlit.listing import FILTERS
from medlit.shapes import FIELD

OPTIONS = ("year", "curated", "lang", "section", "source", "template", "sort")
SORTS = ("source", "year", "-year", "title")


@dataclass
class Block:
    line: int  # 1-based line of the begin marker
    start: int  # offset just after the begin marker
    end: int  # offset of the end marker
    attrs: dict[str, str]


def blocks(text: str, name: str) -> list[Block]:
    from medlit.markers import spans

    found: list[Block] = []
    for span in spans(text):
        if span.end < 0 or span.nested:
            raise MarkerError(f"{name}:{span.line}: medlit:begin has no matching <!-- medlit:end -->")
        found.append(Block(span.line, span.start, span.end, _attrs(span.attrs, name, span.line)))
    return found


def _attrs(text: str, name: str, line: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise MarkerError(f"{name}:{line}: marker attributes: {exc}") from None
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or key not in (*FILTERS, *OPTIONS):
            raise MarkerError(
                f"{name}:{line}: unknown marker attribute {word!r}; use "
                f"{', '.join(FILTERS)}, {', '.join(OPTIONS)} (e.g. task=segmentation)"
            )
        attrs[key] = value
    if attrs.get("sort", "source") not in SORTS:
        raise MarkerError(f"{name}:{line}: sort must be one of {', '.join(SORTS)}, not {attrs['sort']!r}")
    if "template" in attrs and not FIELD.search(attrs["template"]):
        raise MarkerError(
            f'{name}:{line}: template has no field; write e.g. template="* {{title}} [[pdf]]({{url}})"'
        )
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


def has_filters(attrs: dict[str, str]) -> bool:
    return any(f in attrs for f in (*FILTERS, "year"))


def heading_path(text: str, line: int) -> list[str]:
    """The ATX headings above `line` (1-based), outermost first, as the readers name them."""
    from medlit.readers import inline

    path: list[tuple[int, str]] = []
    for _number, raw in enumerate(text.split("\n")[: line - 1], 1):
        m = re.match(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$", raw)
        if not m:
            continue
        level = len(m.group(1))
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, inline.plain(inline.segments(m.group(2))).strip("# ")))
    return [h for _, h in path]
