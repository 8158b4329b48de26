"""One list item (or `Paper:` line) -> a Record, for the citation shapes lists really use.

- bold title, then venue: `**Title,** Radiology 292:540–549(2019) [*[read]*](url)` (002)
- MLA: `Ding, Yiming, et al. ["Title."](url) Radiology (2018): 180958.` (000)
- linked title, then Vancouver:
  `[Title](url) Bien N, ... (2018) Title. PLOS Medicine 15(11): e1002699. https://doi.org/...` (000)
- venue first: `[MICCAI 2019] Title [[pdf]](url) [[code]](url)` (awesome lists)
- title in brackets, venue as a link label: `[Title] [[scholar]](url) [[MICCAI2018]](url)`
- Chinese, comma separated: `题名，浙江大学，硕士学位论文（2012）` (002)
- a bare link in a reference section: `[Title](url)` (004)
"""

from __future__ import annotations

import re

from medlit.model import Link, Record, Source
from medlit.readers import inline, labels
from medlit.readers.authors import parse_authors
from medlit.readers.inline import Segment
from medlit.readers.venue_text import VenueText, parse_venue
from medlit.registry import registry
from medlit.text import CJK, cjk_count, is_year

# link labels that say what a link is, not what the paper is called
LINK_WORDS = re.compile(
    r"^(?:pdf|paper|read|link|html|url|code|github|project|page|website|web|scholar|"
    r"google scholar|abstract|arxiv|doi|download|slides?|video|poster|supp|supplementary|"
    r"论文|链接|下载|代码|原文|英文原文|全文|项目|主页|\d+)$",
    re.IGNORECASE,
)
CODE_WORDS = re.compile(r"^(?:code|github|project|page|website|代码|项目|主页)$", re.IGNORECASE)
_BRACKET_LEAD = re.compile(r"^\s*\[([^\[\]]+)\]\s*")
_WORDS = re.compile(r"[^\W_]+")


def looks_like_title(text: str) -> bool:
    if text.lstrip("<[( ").lower().startswith(("http://", "https://", "www.", "doi:", "arxiv:")):
        return False  # an address shown as a link's text
    if CJK.search(text):
        return cjk_count(text) >= 4
    return len(_WORDS.findall(text)) >= 3


def parse_item(
    segs: list[Segment],
    source: Source,
    author_line: str | None,
    reference_section: bool,
    evidence: bool = False,
    strict: bool = False,
) -> Record | None:
    """A Record if the entry's first line cites a paper, else None (prose, navigation, glossary).

    `evidence`: the entry gave a venue or date label or an author line, so a title alone
    (a bare link, plain text) is read as one. `strict`: a paragraph or heading, which needs
    its title set apart (bold, a link, brackets) unless it has such evidence.
    """
    text = inline.plain(segs)
    links = [(label, href) for label, href in inline.links(segs)]
    if not text or (all((href or "").startswith("#") for _, href in links) and links):
        return None
    for shape, needs in registry().item_shapes(strict):
        record = shape(segs, text, links, source)
        if record is None:
            continue
        if not looks_like_title(record.title):
            return None
        if author_line and not record.authors:
            record.authors = parse_authors(author_line)
        _identifiers(record, links, text)
        told = record.doi or record.arxiv or evidence or (needs == "reference" and reference_section)
        if needs and not told:  # a title alone (a bare link, plain text) needs more to cite
            return None
        if not (
            record.year
            or record.doi
            or record.arxiv
            or record.url
            or reference_section
            or evidence
            or (record.venue and not strict)
        ):
            return None  # a bold phrase or a glossary line, not a citation
        return record
    return None


def _record(title: str, source: Source, **fields) -> Record:
    return Record(title=inline.clean_title(title), source=source, **fields)


def _apply_venue(record: Record, venue_text: str) -> None:
    _apply_parsed(record, parse_venue(venue_text))


def _apply_parsed(record: Record, parsed: VenueText) -> None:
    record.venue = parsed.venue or record.venue
    record.venue_kind = parsed.kind or record.venue_kind
    record.volume, record.number, record.pages = parsed.volume, parsed.number, parsed.pages
    record.year = record.year or parsed.year
    record.publisher = parsed.publisher
    if parsed.kind == "thesis":
        record.note = "master's thesis" if parsed.thesis_type == "masters" else "PhD thesis"


def _paper_links(links: list[tuple[str, str]]) -> tuple[str | None, list[Link]]:
    """The main URL (first non-code link) and every link kept for the record."""
    url, kept = None, []
    for label, href in links:
        absolute = inline.normalise_url(href)
        if not absolute:
            continue
        kept.append(Link(label or "link", absolute))
        if url is None and not CODE_WORDS.match(label or "") and "scholar.google" not in absolute:
            url = absolute
    return url, kept


# ------------------------------------------------------------------ shapes


def bold_title(segs, text, links, source):
    first = next((s for s in segs if s.text.strip()), None)
    if not first or not first.bold or first.href:
        return None
    start = segs.index(first)
    end = next((i for i in range(start, len(segs)) if not segs[i].bold), len(segs))
    title = "".join(s.text for s in segs[start:end] if not s.href)
    if not looks_like_title(title):
        return None
    rest = "".join(s.text for s in segs[end:] if not s.href)
    url, kept = _paper_links(links)
    record = _record(title, source, url=url, links=kept)
    _apply_venue(record, rest)
    return record


def mla(segs, text, links, source):
    idx = next((i for i, s in enumerate(segs) if s.href is not None), None)
    if idx is None or idx == 0:
        return None
    before = "".join(s.text for s in segs[:idx]).strip()
    label = "".join(s.text for s in segs[idx:] if s.href == segs[idx].href).strip()
    if not re.search(r"et al\.?$|,\s*\w[\w.\s-]*\.?$", before) or label[:1] not in "\"“'":
        return None
    after = "".join(s.text for s in segs[idx:] if s.href is None)
    url, kept = _paper_links(links)
    record = _record(label, source, url=url, links=kept, authors=parse_authors(before, family_first=True))
    _apply_venue(record, after)
    return record


def linked_vancouver(segs, text, links, source):
    if not segs or segs[0].href is None or not links:
        return None
    title = links[0][0]
    after = "".join(s.text for s in segs if s.href is None).strip()
    m = re.match(r"^(.*?)\((\d{4})\)\s*(.*)$", after)
    if not m or not looks_like_title(title):
        return None
    authors, year, rest = m.group(1), int(m.group(2)), m.group(3)
    repeated = inline.clean_title(title)
    if rest.lower().startswith(repeated.lower()[: max(10, len(repeated) // 2)]):
        rest = rest[len(repeated) :].lstrip(" .?!")
    rest = re.sub(r"https?://\S+", "", rest)
    url, kept = _paper_links(links)
    record = _record(title, source, url=url, links=kept, year=year, authors=parse_authors(authors))
    _apply_venue(record, rest)
    record.year = year
    return record


_ET_AL = re.compile(r"^(.*?\bet\s+al\.?)[\s,.;:]*(.*)$", re.IGNORECASE)


def linked_title(segs, text, links, source):
    """`[Title](url) - Authors et al., Venue 2015`: a link that opens the entry and reads as a
    title is the title, and what follows it its authors and venue (the caller asks for a
    label, an author line or an id besides: a tool's or a dataset's link says less)."""
    if not segs or segs[0].href is None:
        return None
    title = links[0][0]
    if LINK_WORDS.match(title.strip()) or not looks_like_title(title):
        return None
    rest = "".join(s.text for s in segs if s.href is None).strip(" -–—:|,")
    if not rest:
        return None  # a link alone: bare_link reads it
    url, kept = _paper_links(links)
    record = _record(title, source, url=url, links=kept)
    _authors_and_venue(record, rest)
    return record


def _authors_and_venue(record: Record, rest: str) -> None:
    """What follows a title set apart: `Oktay et al., MIDL 2018` gives authors and venue;
    words with no year, volume or pages describe the paper and are no venue."""
    m = _ET_AL.match(rest)
    if m:
        record.authors = parse_authors(m.group(1))
        rest = m.group(2)
    parsed = parse_venue(rest)
    if parsed.year or parsed.volume or parsed.pages:
        _apply_parsed(record, parsed)


# `Ronneberger O, Fischer P` (Vancouver: two names at least, or one and et al., as `Use CT.`
# would read as a name) or `Esteva, A., Kuprel, B.` (APA, Nature): family names and initials
_FAMILY = r"[A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+)?"
_VANCOUVER_NAME = rf"{_FAMILY}\s[A-Z]{{1,3}}"
_APA_NAME = rf"{_FAMILY},\s(?:[A-Z]\.[\s-]?){{1,3}}"
_PLAIN_AUTHORS = re.compile(
    rf"^(?:(?P<vancouver>{_VANCOUVER_NAME}(?:(?:,\s{_VANCOUVER_NAME})+(?:,?\s(?:et\sal|and\sothers))?|,?\s(?:et\sal|and\sothers))\.)"
    rf"|(?P<apa>{_APA_NAME}(?:,\s(?:&\s)?{_APA_NAME})*(?:,?\s(?:et\sal\.))?)"
    rf"|(?P<family>{_FAMILY}\set\sal\.))\s+"  # `Oktay et al. Title. MIDL 2018.`
)
_APA_YEAR = re.compile(r"^\(((?:18|19|20)\d\d)[a-z]?\)\.\s+")
_TITLE_END = re.compile(r"[.?!][\"”]?\s+(?=\S)")


def plain_reference(segs, text, links, source):
    """A reference written out without markup: `Authors. Title. Venue 2017;42:60-88.`
    (Vancouver), `Authors (2021). Title. Venue, 18(2), 203-211.` (APA) or `Authors. Title.
    Nature 542, 115-118 (2017).` Only the authors' form sets it apart, so a year is required."""
    if segs[0].href is not None:
        return None
    body = inline.squash("".join(s.text for s in segs if s.href is None)).strip()
    m = _PLAIN_AUTHORS.match(body)
    if not m:
        return None
    form, authors, rest = m.lastgroup, m.group(m.lastgroup), body[m.end() :]
    year = None
    y = _APA_YEAR.match(rest)
    if y:
        year, rest = int(y.group(1)), rest[y.end() :]
    end = _TITLE_END.search(rest)
    if not end:
        return None
    title, venue = rest[: end.start() + 1].strip(' "“”'), rest[end.end() :]
    if form == "apa":  # `Family, F. M.` each: the commas inside a name mislead
        names = [re.sub(r"\s+", " ", n.group(0)).strip(" ,") for n in re.finditer(_APA_NAME, authors)]
        names += ["others"] if re.search(r"\bet\sal\b", authors) else []
    else:
        names = parse_authors(authors)
    url, kept = _paper_links(links)
    record = _record(title.rstrip("."), source, url=url, links=kept, authors=names)
    _apply_venue(record, venue)
    record.year = year or record.year
    if form == "family" and record.title[:1].islower():
        return None  # `Oktay et al. showed that ...`: prose about a paper, not its reference
    return record if record.year and looks_like_title(record.title) else None


# the closing quote with a comma or full stop beside it: `"Title" is a phrase` is prose
_QUOTED = re.compile(r'^["“](?P<title>[^"”]{8,}?)(?:[,.]["”]|["”][,.])\s*(?P<rest>.*)$')


def quoted_title(segs, text, links, source):
    """`"Title," Oktay et al., MIDL 2018.`: a title set apart by quotes, then its authors
    and venue; a year is required, as quotes alone may mark a phrase."""
    if segs[0].href is not None:
        return None
    m = _QUOTED.match(inline.squash("".join(s.text for s in segs if s.href is None)).strip())
    if not m:
        return None
    url, kept = _paper_links(links)
    record = _record(m.group("title"), source, url=url, links=kept)
    _authors_and_venue(record, m.group("rest").strip(" -–—:|,"))
    return record if record.year and looks_like_title(record.title) else None


def venue_first(segs, text, links, source):
    m = _BRACKET_LEAD.match(text)
    if not m or segs[0].href is not None:
        return None
    lead = m.group(1)
    venue = parse_venue(lead)
    if not venue.year:
        return None
    title = text[m.end() :]
    for label, _href in links:
        title = title.replace(f"[{label}]", "").replace(f"[[{label}]]", "")
    title = re.split(r"\s\[", title)[0]
    url, kept = _paper_links(links)
    record = _record(title, source, url=url, links=kept)
    _apply_venue(record, lead)
    return record


def bracket_title(segs, text, links, source):
    m = _BRACKET_LEAD.match(text)
    if not m or segs[0].href is not None or not looks_like_title(m.group(1)):
        return None
    title = m.group(1)
    venue_label = None
    for label, _href in links:
        if not LINK_WORDS.match(label) and label.lower() != "arxiv":
            venue_label = label
    if venue_label is None and any(label.lower() == "arxiv" for label, _ in links):
        venue_label = "arXiv"
    url, kept = _paper_links([(lbl, h) for lbl, h in links if lbl.lower() != "scholar"])
    record = _record(title, source, url=url, links=kept)
    label = venue_label and labels.venue_label(venue_label)
    if label and label.year:
        record.venue, record.year = label.venue, label.year
    elif venue_label:
        vm = re.match(r"^(.*?)[\s'’-]*((?:19|20)?\d{2})$", venue_label)
        if vm and vm.group(1) and len(vm.group(2)) in (2, 4):
            year = vm.group(2)
            record.year = int(year) if len(year) == 4 else 2000 + int(year)
            record.venue = vm.group(1).strip()
        else:
            record.venue = venue_label
    return record


def chinese_commas(segs, text, links, source):
    if segs[0].href is not None:
        return None
    body = "".join(s.text for s in segs if s.href is None).strip()
    parts = re.split(r"\s*[，,]\s*", body, maxsplit=1)
    if len(parts) < 2 or not CJK.search(parts[0]):
        return None
    url, kept = _paper_links(links)
    record = _record(parts[0], source, url=url, links=kept)
    _apply_venue(record, parts[1])
    if record.venue_kind == "book" and record.publisher:
        record.venue = record.publisher
    if not record.year:
        return None
    return record


def bare_link(segs, text, links, source):
    if len(links) != 1 or inline.plain([s for s in segs if s.href is None]).strip(" .,;:-–—|"):
        return None
    label, _href = links[0]
    url, kept = _paper_links(links)
    return _record(label, source, url=url, links=kept)


_TRAILING_YEAR = re.compile(r"\(\s*((?:18|19|20)\d\d)\s*\)\s*$")


def plain_title(segs, text, links, source):
    """The text outside links is the title (`Title (2023)`, a summary, a table cell), when
    nothing else in it says otherwise: at most 40 words, no sentence after a full stop."""
    body = inline.squash("".join(s.text for s in segs if s.href is None))
    year = None
    m = _TRAILING_YEAR.search(body)
    if m:
        year, body = int(m.group(1)), body[: m.start()]
    lead = _LEADING_YEAR.match(body)  # `2019 - Title`, `(2019) Title`
    if lead:
        year, body = year or int(lead.group(1) or lead.group(2)), body[lead.end() :]
    body = body.strip(" -–—|:;,")
    body, authors, parsed = _venue_tail(body)
    if not body or len(body.split()) > 40 or re.search(r"[.!?]\s+[A-Z][a-z]+\s+[a-z]", body):
        return None
    url, kept = _paper_links(links)
    record = _record(body, source, url=url, links=kept, authors=authors)
    if parsed:
        _apply_parsed(record, parsed)
    record.year = year or record.year
    record.year = record.year if record.year and is_year(record.year) else None
    return record


_LEADING_YEAR = re.compile(r"^(?:((?:18|19|20)\d\d)\s*[-–—:|]\s+|\(((?:18|19|20)\d\d)\)\s*)")
# where a title may end and its venue begin: `. `, `, `, ` | `, ` - `
_TAIL_BREAK = re.compile(r"(?:[.,;]|\s[|\-–—])\s+")
_AUTHORS_TAIL = re.compile(r"(?:,|\s[-–—])\s+([^,]{2,40}?\bet\s+al\.?)\s*$", re.IGNORECASE)


def _venue_tail(body: str) -> tuple[str, list[str], VenueText | None]:
    """`Title. MIDL 2018`, `Title, Oktay et al., MIDL 2018`, `Title | MIDL 2018`: (title,
    authors, venue) when the last part after a break is a venue with its year (a few
    words), and `X et al.` before it the authors; else the body whole."""
    breaks = [m for m in _TAIL_BREAK.finditer(body)][-3:]
    for m in reversed(breaks):
        tail = body[m.end() :].strip(" |.")
        if len(tail.split()) > 8:
            continue
        parsed = parse_venue(tail)
        if not parsed.year:
            continue
        head = body[: m.start()].strip(" -–—|:;,")
        a = _AUTHORS_TAIL.search(head)
        authors = parse_authors(a.group(1)) if a else []
        head = head[: a.start()].strip(" -–—|:;,") if a else head
        if looks_like_title(head):
            return head, authors, parsed
    return body, [], None


def _identifiers(record: Record, links: list[tuple[str, str]], text: str) -> None:
    for _label, href in links:
        record.doi = record.doi or inline.doi_from(href)
        record.arxiv = record.arxiv or inline.arxiv_from(href)
    record.doi = record.doi or inline.doi_from(text)
    record.arxiv = record.arxiv or inline.arxiv_from(text)
