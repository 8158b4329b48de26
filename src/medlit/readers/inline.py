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


def _markdown_segments(content: str) -> list[Segment]:
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
    """Runs of white space as one space, none at the ends (str.split's white space is re's \\s)."""
    if text.isprintable() and "  " not in text:
        return text.strip(" ")  # every white space but " " is unprintable: single spaces only
    return " ".join(text.split())


_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": ""})
_QUOTES = "\"'“”‘’「」『』《》"


# str.isspace's characters, which are re's \s (tests/test_reader_fast_paths.py checks)
_SPACES = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
# what `re.sub(r"[\s,，;；:：、.。]+$", "", text)` takes off a stripped text (`$` can only
# match at its end, as it does not end in a newline)
_TRAILING = _SPACES + ",，;；:：、.。"


def clean_title(text: str) -> str:
    """A title without link leftovers, quotes, or trailing `,` `，` `.` (keeps `?` and `!`)."""
    text = unicodedata.normalize("NFC", text)
    if "\u2010" in text or "\u2011" in text or "\u00ad" in text:  # a scan is cheaper than translate
        text = text.translate(_HYPHENS)
    if "[pdf]" in text:  # also in `[[pdf]]`
        text = text.replace("[[pdf]]", "").replace("[pdf]", "")
    text = squash(text)
    previous = None
    while previous != text:
        previous = text
        text = text.strip().strip(_QUOTES).strip().rstrip(_TRAILING).strip("*_ ")
    if text.endswith("?.") or text.endswith("!."):
        text = text[:-1]
    return text


# ------------------------------------------------------------------ links and identifiers

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>&?#]+)", re.IGNORECASE)
_DOI_TAIL = re.compile(r"(?:/(?:e?pdf|full|abstract|epub|meta)|\.pdf|[.,;)\]]+)$", re.IGNORECASE)
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
    m = _DOI.search(text) if "10." in text else None  # digits and `.` have no other case
    if m:
        doi = m.group(1)
        previous = None
        while previous != doi:
            previous = doi
            doi = _DOI_TAIL.sub("", doi)
        return doi.lower() if doi.count("/") >= 1 and len(doi) > 8 else None
    m = _NATURE.search(text) if _may_hold(text, "nature.com/articles/") else None
    if m and _NATURE_ID.match(m.group(1)):
        return "10.1038/" + m.group(1).lower()
    return None


def arxiv_from(text: str | None) -> str | None:
    if not text:
        return None
    if not _may_hold(text, "arxiv"):
        return None
    m = _ARXIV_URL.search(text) or _ARXIV_TEXT.search(text)
    return m.group(1) if m else None


def _may_hold(text: str, word: str) -> bool:
    """False if `text` cannot match `word` under re.IGNORECASE: a cheap test before a search.
    Only for ASCII text: re also matches `ı` to i, `ſ` to s, the Kelvin sign to k."""
    return not text.isascii() or word in text.lower()


def year_in(text: str | None) -> int | None:
    """The last plausible publication year in a piece of text."""
    return last_year(text)


def year_cell(text: str | None) -> int | None:
    """A year or date cell (`2016`, `202301`, `8th Feb., 2021`), else its first year."""
    return date_year(text) or first_year(text)
