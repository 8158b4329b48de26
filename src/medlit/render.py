"""Regenerate the tables between medlit markers in a README, leaving every other byte alone.

    <!-- medlit:begin task=segmentation lang=zh -->
    ...generated table...
    <!-- medlit:end -->

A marker's attributes are the search filters (`modality=CT organ=lung year=2016-`; several
values separated by commas) plus `lang`. Without a task the block gets a heading per task.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

FILTERS = ("modality", "organ", "technique", "task", "venue", "dataset", "author")


class MarkerError(Exception):
    pass


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
        if not sep or key not in (*FILTERS, "year", "lang", "curated"):
            raise MarkerError(
                f"{name}:{line}: unknown marker attribute {word!r}; use "
                f"{', '.join(FILTERS)}, year, curated or lang (e.g. task=segmentation)"
            )
        attrs[key] = value
    if attrs.get("lang", "en") not in ("en", "zh"):
        raise MarkerError(f"{name}:{line}: lang must be en or zh, not {attrs['lang']!r}")
    return attrs


def raw_filters(attrs: dict[str, str]) -> dict:
    """Marker attributes -> the params `selection.resolve_filters` takes."""
    params: dict = {
        f: tuple(v.strip() for v in attrs[f].split(",") if v.strip()) for f in FILTERS if f in attrs
    }
    params["years"] = attrs.get("year")
    params["curated"] = attrs.get("curated", "").lower() in ("1", "true", "yes")
    return params


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
