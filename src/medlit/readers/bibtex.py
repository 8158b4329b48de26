"""BibTeX files -> records, through bibtexparser v2; broken entries become skips with a line.

Text fields are LaTeX-decoded (`{\\'e}` -> é, `{CT}` -> CT); `url`, `doi` and `file` stay
verbatim. The entry's own key is offered to the catalog as the citation key: a thesis
that imports its .bib keeps citing the keys it already uses.
"""

from __future__ import annotations

import re

from medlit.model import Link, ReadResult, Record, Skip, Source
from medlit.readers import inline
from medlit.readers.authors import OTHERS, format_name

KINDS = {
    "article": "journal", "inproceedings": "conference", "conference": "conference",
    "proceedings": "conference", "phdthesis": "thesis", "mastersthesis": "thesis",
    "thesis": "thesis", "book": "book", "inbook": "book", "incollection": "book",
    "techreport": "preprint", "unpublished": "preprint", "online": "web", "electronic": "web",
    "www": "web",
}  # fmt: skip
TEXT_FIELDS = (
    "title",
    "journal",
    "booktitle",
    "school",
    "institution",
    "publisher",
    "author",
    "abstract",
    "keywords",
    "howpublished",
    "series",
    "journaltitle",
)


def _decoder():
    # pylatexenc comes with bibtexparser v2 (its LaTeX decoding middleware uses it)
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(keep_braced_groups=False, math_mode="verbatim")


def read_bibtex(text: str, file: str) -> ReadResult:
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock

    result = ReadResult()
    library = bibtexparser.parse_string(text)
    decode = _decoder().latex_to_text
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            reason = f"duplicate entry key {block.key!r}; the first entry with it was kept"
        else:
            reason = "BibTeX entry could not be parsed (unbalanced braces or a missing comma?)"
        result.skips.append(Skip(Source(file, line, None), reason))
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        for name in TEXT_FIELDS:
            if name in fields:
                fields[name] = inline.squash(_safe(decode, fields[name]))
        source = Source(file, entry.start_line + 1, None)
        title = inline.clean_title(fields.get("title", ""))
        if not title:
            result.skips.append(Skip(source, f"entry {entry.key!r} has no title"))
            continue
        result.records.append(_record(entry.entry_type.lower(), entry.key, fields, title, source))
    return result


def _safe(decode, value: str) -> str:
    try:
        return decode(value)
    except Exception:  # pylatexenc on malformed LaTeX: keep the text, drop the braces
        return value.replace("{", "").replace("}", "")


def _record(entry_type: str, key: str, f: dict[str, str], title: str, source: Source) -> Record:
    kind = KINDS.get(entry_type)
    eprint = f.get("eprint", "")
    arxiv = inline.arxiv_from(f"arXiv:{eprint}") if eprint else None
    arxiv = arxiv or inline.arxiv_from(f.get("url")) or inline.arxiv_from(f.get("journal"))
    venue = (
        f.get("journal")
        or f.get("journaltitle")
        or f.get("booktitle")
        or f.get("school")
        or f.get("institution")
        or f.get("howpublished")
        or f.get("series")
    )
    if venue and venue.lower().startswith(("arxiv", "corr")):
        kind = "preprint"
    if not venue and entry_type in ("book", "misc") and f.get("publisher"):
        venue = f.get("publisher")
    if kind is None and (arxiv or (f.get("archiveprefix", "").lower() == "arxiv")):
        kind = "preprint"
    if kind is None and f.get("url") and not venue:
        kind = "web"
    authors = [a.strip() for a in re.split(r"\s+and\s+", f.get("author", "")) if a.strip()]
    authors = [OTHERS if a.lower() == "others" else (a if "," in a else format_name(a)) for a in authors]
    doi = f.get("doi", "").strip()
    doi = inline.doi_from(doi) if doi else inline.doi_from(f.get("url"))
    record = Record(
        title=title,
        source=source,
        authors=authors,
        year=inline.year_cell(f.get("year") or f.get("date", "")),
        venue=venue,
        venue_kind=kind,
        volume=f.get("volume"),
        number=f.get("number") or f.get("issue"),
        pages=re.sub(r"\s*-+\s*", "-", f["pages"]) if f.get("pages") else None,
        publisher=f.get("publisher"),
        url=inline.normalise_url(f.get("url")),
        doi=doi,
        arxiv=arxiv,
        abstract=f.get("abstract") or None,
        key_hint=key,
    )
    if entry_type == "mastersthesis":
        record.note = "master's thesis"
    elif entry_type == "phdthesis":
        record.note = "PhD thesis"
    if f.get("keywords"):
        record.cells["tags"] = [k.strip() for k in re.split(r"[,;]", f["keywords"]) if k.strip()]
    if record.url:
        record.links.append(Link("url", record.url))
    return record
