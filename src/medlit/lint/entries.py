"""Rules on each entry's fields: no year (ML201), no link (ML202), trailing junk after or in
the title (ML401)."""

from __future__ import annotations

import re

from medlit.lint import Finding
from medlit.readers.sanity import clip

_LINK = re.compile(r"\[(?:\[[^\[\]\n]*\]|[^\[\]\n]*)\]\([^()\n]*\)")  # a well-formed link, taken out first
_PDF_LEFT = re.compile(
    r"\[+\s*pdf\s*\]++(?!\s*\()", re.IGNORECASE
)  # then a pdf label is one without its address
_SECTION = re.compile(
    r"\)\s*(\((?:section|sec\.?|chapter|part|fig\.?|table)\s+[\w.\-]{1,20}\))", re.IGNORECASE
)
_JUNK_END = re.compile(r"(\(\s*\)|\[\s*\]|\[\[|\]\]|\((?:section|sec\.)\s+[\w.\-]+\))\s*$", re.IGNORECASE)


def check(doc):
    from medlit.importing.rows import record_year

    for entry in doc.entries:
        record = entry.record
        where = doc.name, entry.line
        if record_year(record) is None:
            yield Finding(
                *where, "ML201", f"{clip(record.title, 50)!r} has no year; write one (e.g. [MICCAI 2019])"
            )
        if not record.url and not record.links:
            yield Finding(*where, "ML202", f"{clip(record.title, 50)!r} has no link to the paper")
        first = entry.lines[0]
        junk = _PDF_LEFT.search(_LINK.sub("", first)) if "pdf" in first.lower() else None
        if junk:
            yield Finding(*where, "ML401", f"{junk.group()!r} left in the title, with no address after it")
        section = _SECTION.search(first)
        if section:
            yield Finding(
                *where, "ML401", f"{section.group(1)!r} after the title's link: move it out of the title"
            )
        end = _JUNK_END.search(record.title)
        if end:
            yield Finding(*where, "ML401", f"the title ends in {end.group(1)!r}")
