"""Inline markdown -> plain segments, and the small text rules every reader shares.

markdown-it parses the inline syntax (links with nested brackets, URLs with parentheses,
emphasis, code spans); readers then see a flat list of `Segment`s and never regex the
markdown themselves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote


@dataclass
class Segment:
    text: str
    href: str | None = None  # set for text inside a link
    bold: bool = False


@cache
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"linkify": False}).enable("table")


def segments(content: str) -> list[Segment]:
    """Split inline markdown into text runs, remembering links and bold."""
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
    return _merge(out)


def _merge(segs: list[Segment]) -> list[Segment]:
    """Join neighbouring runs that share link and weight (a link marker starts a new run)."""
    merged: list[Segment] = []
    for seg in segs:
        last = merged[-1] if merged else None
        if last and seg.text and last.href == seg.href and last.bold == seg.bold:
            last.text += seg.text
        else:
            merged.append(Segment(seg.text, seg.href, seg.bold))
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


def label_text(label: str) -> str:
    label = squash(label)
    while label.startswith("[") and label.endswith("]"):
        label = label[1:-1].strip()
    return label.strip("*_ ")


_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": ""})
_QUOTES = "\"'“”‘’「」『』《》"


def clean_title(text: str) -> str:
    """A title without link leftovers, quotes, or trailing `,` `，` `.` (keeps `?` and `!`)."""
    text = unicodedata.normalize("NFC", text).translate(_HYPHENS)
    text = squash(text.replace("[[pdf]]", "").replace("[pdf]", ""))
    previous = None
    while previous != text:
        previous = text
        text = text.strip().strip(_QUOTES).strip()
        text = re.sub(r"[\s,，;；:：、.。]+$", "", text)
        text = text.strip("*_ ")
    if text.endswith("?.") or text.endswith("!."):
        text = text[:-1]
    return text


# ------------------------------------------------------------------ links and identifiers

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>&?#]+)", re.IGNORECASE)
_DOI_TAIL = re.compile(r"(?:/(?:e?pdf|full|abstract|epub|meta)|\.pdf|[.,;)\]]+)$", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_ARXIV_TEXT = re.compile(r"\barxiv\s*[:：]?\s*(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_NATURE = re.compile(r"nature\.com/articles/([a-z0-9.\-]+)", re.IGNORECASE)
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
    if re.match(r"^[a-z][a-z0-9+.-]*://", href, re.IGNORECASE):
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
        doi = m.group(1)
        previous = None
        while previous != doi:
            previous = doi
            doi = _DOI_TAIL.sub("", doi)
        return doi.lower() if doi.count("/") >= 1 and len(doi) > 8 else None
    m = _NATURE.search(text)
    if m and re.match(r"^s\d", m.group(1)):
        return "10.1038/" + m.group(1).lower()
    return None


def arxiv_from(text: str | None) -> str | None:
    if not text:
        return None
    m = _ARXIV_URL.search(text) or _ARXIV_TEXT.search(text)
    return m.group(1) if m else None


def arxiv_year(arxiv_id: str) -> int | None:
    m = re.match(r"^(\d{2})(\d{2})\.", arxiv_id)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return 2000 + int(m.group(1))


_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


def year_in(text: str) -> int | None:
    """The last plausible publication year in a piece of text."""
    years = _YEAR.findall(text or "")
    return int(years[-1]) if years else None


def year_cell(text: str) -> int | None:
    m = _YEAR.search(text or "")
    return int(m.group(1)) if m else None
