"""Guards around every reader: control characters out before reading, absurd records out after.

The readers trust the shape of what they read; these checks do not. A NUL or a terminal
escape in a document never reaches the catalog or a terminal; a 5 MB "title" (a table row
that lost its line breaks) is reported by line instead of stored; a broken or empty link is
named by line, and the title it garbled is read without the link markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from operator import attrgetter

from medlit.model import DatasetMention, Notice, ReadResult, Record, Skip, Source
from medlit.readers import inline

MAX_TITLE = 1000  # the longest real titles are about 300 characters
MAX_FIELD = 5000  # a venue, a cell, one author, a URL
MAX_ABSTRACT = 100_000
MAX_CHECKED_LINE = 20_000  # longer lines are not parsed again for links
SHOWN = 60  # characters of a value quoted in a message

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BROKEN = re.compile(r"\[[^\[\]|]*\]\([^()|\s]*\)?")
# `10.` registrant `/` suffix, the suffix of printable characters: no white space, and none of
# the braces, backslash or quote that could close a BibTeX field or start a LaTeX command
WELL_FORMED_DOI = re.compile(r"10\.\d{4,9}/[^\s{}\\\"\x00-\x1f\x7f-\x9f]+")
_FIELDS = ("venue", "volume", "number", "pages", "publisher", "url", "doi", "arxiv", "note")


def clip(text: str, width: int = SHOWN) -> str:
    """A value short enough to quote in a one-line message."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def without_controls(text: str, file: str) -> tuple[str, list[Notice]]:
    """The text without control characters (tab and line breaks stay), and a notice if any left."""
    first = _CONTROLS.search(text)
    if first is None:
        return text, []
    count = len(_CONTROLS.findall(text))
    line = text.count("\n", 0, first.start()) + 1
    name = "NUL" if first.group() == "\x00" else f"U+{ord(first.group()):04X}"
    plural = "s" if count > 1 else ""
    text_ = f"{count} control character{plural} removed (the first: {name})"
    return _CONTROLS.sub("", text), [Notice(Source(file, line, None), text_)]


def check(result: ReadResult, text: str, file: str, markdown: bool, lines: list[str] | None = None) -> None:
    """Move oversized records to skips, note broken and empty links, say when nothing was found.

    `lines` are the text's lines with `\\n` line breaks, if the reader has them already.
    """
    if not text.strip():
        result.notices.append(Notice(Source(file, 1, None), "empty file: nothing to import"))
        return
    if not markdown:
        lines = []
    elif lines is None:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[Record] = []
    for record in result.records:
        problem = _oversized(record)
        if problem is None and record.doi and not WELL_FORMED_DOI.fullmatch(record.doi):
            result.notices.append(
                Notice(record.source, f"{clip(record.doi)!r} is not a well-formed DOI; not kept")
            )
            record.doi = None
        if problem is None and markdown:
            _links(record, lines, result.notices)
            if not record.title:
                problem = "no title left once the broken link markup is taken out"
        if problem:
            result.skips.append(Skip(record.source, problem))
            continue
        record.datasets = _sized_datasets(record.datasets, result.skips)
        kept.append(record)
    result.records = kept
    result.datasets = _sized_datasets(result.datasets, result.skips)
    result.skips.sort(key=lambda s: s.source.line)
    result.notices.sort(key=lambda n: n.source.line)
    if not (result.records or result.datasets or result.skips):
        result.notices.append(Notice(Source(file, 1, None), nothing_found(result.seen)))


def nothing_found(seen: dict[str, int]) -> str:
    """What a document without papers held: `12 bold-title paragraphs, none read as a paper`."""
    if not seen:
        return (
            "no papers or datasets found: no list items, tables or paragraphs that could cite one "
            "(see README, What it reads)"
        )
    counts = sorted(seen.items(), key=lambda kv: -kv[1])
    what = ", ".join(f"{n} {shape}" for shape, n in counts[:4])
    return (
        f"no papers or datasets found: {what}, none read as a paper (each needs a title set apart "
        "- bold, a link, brackets or a title column - with a venue or date label, a year, an "
        "author line or a link to the paper)"
    )


_FIELD_VALUES = attrgetter(*_FIELDS)
_URL = attrgetter("url")


def _values(record: Record) -> Iterator[str]:
    """Every field, author, cell and link of a record held to MAX_FIELD (no Python loop)."""
    return chain(
        filter(None, _FIELD_VALUES(record)),
        record.authors,
        chain.from_iterable(record.cells.values()),
        map(_URL, record.links),
    )


def _oversized(record: Record) -> str | None:
    """What makes a record too big to be one, if anything (the message names the first)."""
    if (
        len(record.title) <= MAX_TITLE
        and (not record.abstract or len(record.abstract) <= MAX_ABSTRACT)
        and max(map(len, _values(record)), default=0) <= MAX_FIELD
    ):
        return None  # nearly every record: no value over its limit
    if len(record.title) > MAX_TITLE:
        return (
            f"a title of {len(record.title):,} characters is not a title "
            "(a table row or paragraph that lost its line breaks?)"
        )
    if record.abstract and len(record.abstract) > MAX_ABSTRACT:
        return f"an abstract of {len(record.abstract):,} characters is not an abstract"
    for name in _FIELDS:
        value = getattr(record, name)
        if value and len(value) > MAX_FIELD:
            return f"its {name} is {len(value):,} characters long"
    values = [*record.authors, *(v for vs in record.cells.values() for v in vs)]
    values += [link.url for link in record.links]
    longest = max(values, key=len, default="")
    if len(longest) > MAX_FIELD:
        return f"a cell, author or link of {len(longest):,} characters ({clip(longest)!r})"
    return None


def _sized_datasets(mentions: list[DatasetMention], skips: list[Skip]) -> list[DatasetMention]:
    for mention in mentions:
        if len(mention.name) > MAX_FIELD or len(mention.url or "") > MAX_FIELD:
            break
    else:
        return mentions  # nearly always: every mention kept
    kept = []
    for mention in mentions:
        if len(mention.name) > MAX_FIELD or len(mention.url or "") > MAX_FIELD:
            where = mention.source or Source("", 0, None)
            skips.append(Skip(where, f"a dataset name or link of {len(mention.name):,} characters"))
        else:
            kept.append(mention)
    return kept


def _links(record: Record, lines: list[str], notices: list[Notice]) -> None:
    """Notices for links on the record's line that markdown could not read, or that lead nowhere."""
    number = record.source.line
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    if "[" not in line or "](" not in line or len(line) > MAX_CHECKED_LINE or inline.is_simple(line):
        return  # a simple line's every `[` opens a link with an address
    segs = inline.segments(line)
    for label, href in inline.links(segs):
        if not href.strip():
            notices.append(Notice(record.source, f"empty link [{clip(label)}](): no address to keep"))
    plain = "".join(s.text if s.href is None else "|" for s in segs)  # only text outside links
    broken = _BROKEN.search(plain)
    if broken is None:
        return
    fragment = clip(broken.group(), 40)
    if "](" in record.title:
        record.title = inline.clean_title(_BROKEN.sub(_label, record.title))
        what = f"title read as {clip(record.title)!r}"
    else:
        what = "not read as a link"
    notices.append(Notice(record.source, f"broken link {fragment!r} (not closed?); {what}"))


def _label(match: re.Match) -> str:
    """`[Title](http://...` -> `Title`."""
    return match.group()[1 : match.group().index("]")]
