"""Inline markdown -> plain segments, and the small text rules every reader shares.

markdown-it parses the inline syntax (links with nested brackets, URLs with parentheses,
emphasis, code spans); readers then see a flat list of `Segment`s and never regex the
markdown themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import unquote

from medlit.text import arxiv_year, date_year, first_year, last_year  # noqa: F401 (arxiv_year: re-export)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    href: str | None = None  # set for text inside a link
    bold: bool = False


@cache
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"linkify": False}).enable("table")


# The common shapes of a table cell: plain text, `[label](url)`, `[[pdf]](url)`. Text without
# the characters that start commonmark's inline rules (escapes, code, emphasis, links,
# images, autolinks, HTML, entities, line breaks, NUL) is one text run; so is an `&` that
# cannot start an entity (`H&E`: markdown-it's entity rule needs `&#` or `&name;`). An
# http(s) address of URL-safe ASCII, or a bare host and path without a `:` (`adni.loni.usc.edu`),
# is one that markdown-it's normalizeLink leaves as it is. These are read here without
# markdown-it; anything else goes to it. tests/test_reader_fast_paths.py checks that both
# agree on every cell and line of the seeds, the corpora and the benchmark lists, and on
# generated text.
_CHAR = r"[^\\`*_\[\]!<&\n\r\x00]"
_AMP = r"&(?!#|[A-Za-z][A-Za-z0-9]{1,31};)"
_RUN = rf"(?:{_CHAR}++|{_AMP})"  # repeated possessively: a text run, `&`s and all
# a path of URL-safe characters and %-escapes, unrolled: escapes are rare
_PATH = r"(?:[/?#][A-Za-z0-9._~/:@!$'*+,;=?#-]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~/:@!$'*+,;=?#-]*)*)?"
_BARE_PATH = r"(?:[/?#][A-Za-z0-9._~/@!$'*+,;=?#-]*(?:%[0-9A-Fa-f]{2}[A-Za-z0-9._~/@!$'*+,;=?#-]*)*)?"
_URL = (
    rf"https?://[A-Za-z0-9-]{{1,40}}(?:\.[A-Za-z0-9-]{{1,40}}){{0,5}}(?::[0-9]{{1,5}})?{_PATH}"
    rf"|[A-Za-z0-9-]{{1,40}}(?:\.[A-Za-z0-9-]{{1,40}}){{1,5}}{_BARE_PATH}"
)
_PIECE = rf"{_RUN}++|\[(?:\[{_RUN}*+\]|{_RUN}*+)\]\((?:{_URL})\)"
# possessive, so that a long cell that is not simple fails at once; no capturing group
# inside (CPython 3.11's re can fail on a capture in a possessive repeat)
# bench/fast_paths.py: reading cells this way saves 11-22 % of a 10k-paper import and 17 %
# at 100k (CPU seconds), so it stays
_SIMPLE = re.compile(rf"(?:{_PIECE})*+")
# the same pieces, captured: a run is its longest stretch of text, as in _SIMPLE, and a
# link is the one that _SIMPLE's link matches. Where the pieces found cover the whole
# content one after another, _SIMPLE accepts it, and the other way round.
_RUN1 = rf"{_CHAR}+(?:{_AMP}{_CHAR}*)*|(?:{_AMP}{_CHAR}*)+"  # a run, unrolled: `&` is rare
_RUN0 = rf"{_CHAR}*(?:{_AMP}{_CHAR}*)*"
_PIECES = re.compile(rf"({_RUN1})|\[(\[{_RUN0}\]|{_RUN0})\]\(({_URL})\)")


def segments(content: str) -> list[Segment]:
    """Split inline markdown into text runs, remembering links and bold."""
    return list(_segments(content))


def is_simple(content: str) -> bool:
    """Only plain text and well-formed `[label](address)` links: nothing a checker need look at."""
    return _SIMPLE.fullmatch(content) is not None


@lru_cache(maxsize=1 << 16)
def plain_text(content: str) -> str:
    """The words of inline markdown (`plain(segments(...))`), remembered: cells repeat."""
    return plain(segments(content))


@lru_cache(maxsize=1 << 16)  # cells repeat: `CT`, `肺`, `MICCAI`, `2016`
def _segments(content: str) -> tuple[Segment, ...]:
    return read_segments(content)


def read_segments(content: str) -> tuple[Segment, ...]:
    """`segments`, not remembered: for text that seldom repeats (a title cell)."""
    found = _simple_segments(content)
    return found if found is not None else tuple(_merge(_markdown_segments(content)))


def _simple_segments(content: str) -> tuple[Segment, ...] | None:
    """The segments of simple content (see is_simple), or None for other content."""
    out: list[Segment] = []
    covered = 0
    for text, label, href in _PIECES.findall(content):
        if text:
            covered += len(text)
            out.append(Segment(text))
        else:
            covered += len(label) + len(href) + 4  # [label](href)
            out.append(Segment(label, href))
    return tuple(out) if covered == len(content) else None


# markdown-it tries every `[` as a link label: a line of 1 MB of `[` took 26 s, a cell of
# nested brackets 3.3x a plain list of its size. A `[` with no `]` after it opens no link, and
# without `](` no bracket does (no reference is defined in an entry): those are hidden from it
# as private-use characters, and given back in the segments
_HIDDEN = str.maketrans("[]", "\ue000\ue001")
_SHOWN = str.maketrans("\ue000\ue001", "[]")


def _dead_brackets_hidden(content: str) -> str:
    """The same inline text with the brackets that cannot make a link hidden; left as it is
    where a backslash, a code span or inline HTML could change what a bracket is."""
    if any(ch in content for ch in "\\`<>\ue000\ue001"):
        return content
    if "](" not in content:
        return content.translate(_HIDDEN)
    start = content.rfind("]") + 1
    if "(" in content[start:]:  # a link's address may hold a `[` there
        return content
    return content[:start] + content[start:].translate(_HIDDEN)


def _markdown_segments(content: str) -> list[Segment]:
    hidden = _dead_brackets_hidden(content)
    out = _parsed(hidden)
    if hidden is not content:
        out = [
            Segment(seg.text.translate(_SHOWN), seg.href and seg.href.translate(_SHOWN), seg.bold)
            for seg in out
        ]
    return out


def _parsed(content: str) -> list[Segment]:
    """The segments markdown-it reads in inline text."""
    out: list[Segment] = []
    tokens = _parser().parseInline(content)
    children = tokens[0].children if tokens else []
    href: str | None = None
    bold = 0
    for tok in children or []:
        kind = tok.type
        if kind == "link_open":
            href = str(tok.attrs.get("href", ""))
            out.append(Segment("", href, bold > 0))  # marks a link even when its label is empty
        elif kind == "link_close":
            href = None
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold = max(0, bold - 1)
        elif kind in ("text", "code_inline"):
            out.append(Segment(tok.content, href, bold > 0))
        elif kind in ("softbreak", "hardbreak"):
            out.append(Segment(" ", href, bold > 0))
        elif kind == "image":
            continue
    return out


def _merge(segs: list[Segment]) -> list[Segment]:
    """Join neighbouring runs that share link and weight (a link marker starts a new run)."""
    merged: list[Segment] = []
    for seg in segs:
        last = merged[-1] if merged else None
        if last and seg.text and last.href == seg.href and last.bold == seg.bold:
            merged[-1] = Segment(last.text + seg.text, seg.href, seg.bold)
        else:
            merged.append(seg)
    return merged


def plain(segs: list[Segment]) -> str:
    return squash("".join(s.text for s in segs))


def links(segs: list[Segment]) -> list[tuple[str, str]]:
    """(label, href) of every link, labels without their extra brackets."""
    found: list[tuple[str, str]] = []
    current: tuple[str, str] | None = None
    for s in segs:
        if s.href is None:
            current = None
            continue
        if current and current[1] == s.href:
            current = (current[0] + s.text, s.href)
            found[-1] = current
        else:
            current = (s.text, s.href)
            found.append(current)
    return [(label_text(label), href) for label, href in found]


@lru_cache(maxsize=1 << 12)  # most labels are `pdf`, `[pdf]`, `code` or a dataset's name
def label_text(label: str) -> str:
    label = squash(label)
    while label.startswith("[") and label.endswith("]"):
        label = label[1:-1].strip()
    return label.strip("*_ ")


def squash(text: str) -> str:
    """Runs of white space as one space, none at the ends."""
    return " ".join(text.split())


_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": ""})
_QUOTES = "\"'“”‘’「」『』《》"


_TRAILING = re.compile(r"[\s,，;；:：、.。]+$")


def clean_title(text: str) -> str:
    """A title without link leftovers, quotes, or trailing `,` `，` `.` (keeps `?` and `!`)."""
    text = unicodedata.normalize("NFC", text).translate(_HYPHENS)
    text = squash(text.replace("[[pdf]]", "").replace("[pdf]", ""))
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING.sub("", text.strip().strip(_QUOTES).strip()).strip("*_ ")
    if text.endswith("?.") or text.endswith("!."):
        text = text[:-1]
    return text


# ------------------------------------------------------------------ links and identifiers

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>&?#]+)", re.IGNORECASE)
_DOI_TAILS = ("/pdf", "/epdf", "/full", "/abstract", "/epub", "/meta", ".pdf")
_DOI_PUNCTUATION = ".,;)]"


def _without_tails(doi: str) -> str:
    """A DOI without what links add after it (`/pdf`, `/full`, `.pdf`, `).`), however many:
    taken off from the end, each in constant time."""
    end = len(doi)
    low = doi.lower()
    while end:
        if low[end - 1] in _DOI_PUNCTUATION:
            end -= 1
            continue
        tail = next((t for t in _DOI_TAILS if low.endswith(t, 0, end)), None)
        if tail is None:
            break
        end -= len(tail)
    return doi[:end]


_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_ARXIV_TEXT = re.compile(r"\barxiv\s*[:：]?\s*(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_NATURE = re.compile(r"nature\.com/articles/([a-z0-9.\-]+)", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_NATURE_ID = re.compile(r"^s\d")
_BARE_HOST = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[:/?#].*)?$", re.IGNORECASE)


def normalise_url(href: str | None) -> str | None:
    """A usable absolute URL, or None for empty links and in-page anchors.

    Links written without a scheme (`adni.loni.usc.edu`) get `http://`; relative paths
    into the list's own repository cannot be resolved and are dropped.
    """
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    if _SCHEME.match(href):
        return href
    if href.startswith("//"):
        return "https:" + href
    if _BARE_HOST.match(href):
        return "http://" + href
    return None


def doi_from(text: str | None) -> str | None:
    if not text:
        return None
    text = unquote(text)
    m = _DOI.search(text)
    if m:
        doi = _without_tails(m.group(1))
        return doi.lower() if doi.count("/") >= 1 and len(doi) > 8 else None
    m = _NATURE.search(text)
    if m and _NATURE_ID.match(m.group(1)):
        return "10.1038/" + m.group(1).lower()
    return None


def arxiv_from(text: str | None) -> str | None:
    if not text:
        return None
    m = _ARXIV_URL.search(text) or _ARXIV_TEXT.search(text)
    return m.group(1) if m else None


def year_in(text: str | None) -> int | None:
    """The last plausible publication year in a piece of text."""
    return last_year(text)


def year_cell(text: str | None) -> int | None:
    """A year or date cell (`2016`, `202301`, `8th Feb., 2021`), else its first year."""
    return date_year(text) or first_year(text)
