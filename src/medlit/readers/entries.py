"""One entry candidate -> a Record, whatever block it came from.

The markdown walker cuts a document into candidates (list items at any depth, paragraph
blocks, a heading with the block under it, `<details>` blocks, HTML table rows) and hands
each here as its visual lines: a paragraph's lines joined by soft breaks, `<br>` or a
trailing `\\` are separate lines. The first line carries the title; the fields are then
recognised by their form wherever they stand: date and venue labels (labels.py), the
citation shapes of the first line (citations.py), an author line (a run of names), links by
what they are, DOI and arXiv ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medlit.model import Link, Record, Source
from medlit.readers import inline, labels
from medlit.readers.citations import parse_item
from medlit.readers.inline import Segment

# `<br>`, `<br/>`, `<br />` (bounded, so a run of spaces cannot make it slow)
_BR = re.compile(r"<br[ \t]{0,8}/?>", re.IGNORECASE)
_AUTHOR_PREFIX = re.compile(r"^\s*(?:authors?|作者)\s*[:：]\s*", re.IGNORECASE)


@dataclass
class Entry:
    """An entry candidate: where it starts, how it was written, and its lines (inline markdown)."""

    line: int
    shape: str  # item, paragraph, heading, details, html-row, code
    lines: list[tuple[int, str]] = field(default_factory=list)
    title_markup: bool = False  # the title was set apart (a heading in a list item, a summary)


def split_lines(line: int, content: str) -> list[tuple[int, str]]:
    """A block's visual lines: `<br>` and a trailing `\\` always break; a soft break only
    where no link or emphasis is left open (a title wrapped inside `[...]` stays whole)."""
    out: list[tuple[int, str]] = []
    pending = ""
    pending_line = line
    for number, raw in enumerate(content.split("\n"), start=line):
        text = raw.strip()
        hard = text.endswith("\\") and not text.endswith("\\\\")
        if hard:
            text = text[:-1].rstrip()
        pieces = _BR.split(text) if "<" in text else [text]
        for i, piece in enumerate(pieces):
            piece = piece.strip()
            joined = f"{pending} {piece}".strip() if pending else piece
            if not pending:
                pending_line = number
            last = i == len(pieces) - 1
            if not last or hard or _closed(joined):
                if joined:
                    out.append((pending_line, joined))
                pending = ""
            else:
                pending = joined
    if pending:
        out.append((pending_line, pending))
    return out


def _closed(text: str) -> bool:
    """No `[` `(` or `**` left open: a soft break here ends a line."""
    return (
        text.count("[") <= text.count("]")
        and text.count("(") <= text.count(")")
        and text.count("**") % 2 == 0
    )


@dataclass
class Outcome:
    record: Record | None
    why: str | None = None  # news, placeholder, ... when a candidate was rejected on purpose


def read_entry(entry: Entry, source: Source, reference_section: bool = False) -> Outcome:
    lines = [(n, t) for n, t in entry.lines if t.strip()]
    if not lines:
        return Outcome(None)
    head = lines[0][1]
    segs = inline.segments(head)
    if not inline.plain(segs):
        return Outcome(None, "image or badge")  # an image or badge alone
    found = labels.Labels()
    segs, leading_date = _take_labels(segs, found)
    text = inline.plain(segs)
    if found.news or labels.is_news(text, leading_date):
        return Outcome(None, "news")
    rest = lines[1:]
    author_line, rest_links, rest_text = _rest(rest, found)
    shape_evidence = entry.title_markup or found.venue is not None or found.date is not None
    record = parse_item(
        segs,
        source,
        author_line,
        reference_section,
        evidence=shape_evidence or author_line is not None,
        strict=entry.shape in ("paragraph", "heading", "code") and not shape_evidence,
    )
    if record is None:
        return Outcome(None)
    if labels.is_placeholder(record.title):
        return Outcome(None, "placeholder")
    _apply_labels(record, found)
    _more_links(record, rest_links)
    if not record.year and rest_text:
        _venue_from_lines(record, rest_text)
    _kinds(record)
    return Outcome(record)


def _take_labels(segs: list[Segment], found: labels.Labels) -> tuple[list[Segment], bool]:
    """Segments without their date and venue labels; whether a date label led the entry."""
    out: list[Segment] = []
    leading = False
    seen_text = False
    for seg in segs:
        if seg.href is None and ("[" in seg.text or "(" in seg.text or "【" in seg.text):
            before = found.date
            new = labels.take_labels(seg.text, found)
            if not seen_text and before is None and found.date is not None:
                leading = not new.strip(" *_:-–—|") or new.lstrip().startswith(("🎉", "🔥", "📢", "🚀", "✨"))
                leading = leading or seg.text.lstrip(" *_").startswith(("[", "【"))
            seg = Segment(new, seg.href, seg.bold)
        if seg.text or seg.href is not None:
            seen_text = seen_text or bool(seg.text.strip(" *_:-–—|"))
            out.append(seg)
    return out, leading


def _rest(
    rest: list[tuple[int, str]], found: labels.Labels
) -> tuple[str | None, list[tuple[str, str]], list[str]]:
    """From the lines after the title: the author line, the links, and other text lines."""
    author_line = None
    links: list[tuple[str, str]] = []
    texts: list[str] = []
    for _number, content in rest:
        segs = inline.segments(content)
        line_links = inline.links(segs)
        loose_text = inline.plain([s for s in segs if s.href is None])
        names_text = inline.plain(segs)  # names are often links to their pages
        raw_names = "".join(s.text for s in segs)  # runs of spaces between names kept
        if not loose_text.strip(" []().,;|") and not names_text:
            continue
        prefix = _AUTHOR_PREFIX.match(names_text)
        if author_line is None and (prefix or labels.looks_like_names(names_text)):
            author_line = raw_names.strip()[prefix.end() :] if prefix else raw_names
            continue  # the links of an author line lead to the authors' pages
        links.extend(line_links)
        if not loose_text.strip(" []().,;|"):
            continue
        plain = loose_text.strip(" .")
        year = labels.date_year(plain)
        if year and found.date is None:
            found.date, found.date_year = plain, year
            continue
        label = labels.venue_label(plain)
        if label and label.year and found.venue is None:
            found.venue = label
            continue
        texts.append(loose_text)
    return author_line, links, texts


def _apply_labels(record: Record, found: labels.Labels) -> None:
    """The venue label is the publication (its year wins); a date may be the preprint's."""
    if found.venue is not None:
        if not record.venue or record.venue.lower() == "arxiv" or not _has_letters(record.venue):
            record.venue = found.venue.venue
        if found.venue.year:
            record.year = found.venue.year
    if found.date is not None:
        record.fields["date"] = found.date
        if not record.year:
            record.year = found.date_year


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _more_links(record: Record, links: list[tuple[str, str]]) -> None:
    seen = {link.url for link in record.links}
    for label, href in links:
        url = inline.normalise_url(href)
        if not url or url in seen:
            continue
        seen.add(url)
        record.links.append(Link(label or "link", url))
        record.doi = record.doi or inline.doi_from(url)
        record.arxiv = record.arxiv or inline.arxiv_from(url)
        if record.venue is None:
            venue = labels.venue_label(label)
            if venue and venue.year:
                record.venue = venue.venue
                record.year = record.year or venue.year


def _venue_from_lines(record: Record, texts: list[str]) -> None:
    from medlit.readers.venue_text import parse_venue

    for text in texts[:3]:
        parsed = parse_venue(text)
        if parsed.year and parsed.venue and len(parsed.venue) <= 200:
            record.venue = record.venue or parsed.venue
            record.year = parsed.year
            return


def _kinds(record: Record) -> None:
    """Each link labelled by what it is (paper, pdf, arxiv, code, project, scholar, dataset,
    ...); a link labelled with the venue (`[MICCAI2018]`) leads to the paper. The main url is
    the first that leads to the paper."""
    kept: list[Link] = []
    for link in record.links:
        kind = labels.link_kind(link.label, link.url)
        kept.append(Link(kind or "paper", link.url))
    record.links = kept
    if record.url is None or labels.link_kind("", record.url) in labels.NOT_PAPER_KINDS:
        main = next((k.url for k in kept if k.label in labels.LINK_KINDS_OF_PAPER), None)
        record.url = main or record.url
