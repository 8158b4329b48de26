"""Records and papers -> the catalog's rows: what each table stores of them."""

from __future__ import annotations

import json

from medlit.importing.identity import Identity, first_author, significant_words, title_marks, work_kind
from medlit.listing import FACETS
from medlit.model import DatasetMention, Paper, Record
from medlit.normalise import title_key, venue_of
from medlit.search import title_words as search_words

RECORD_COLUMNS = (
    "id, paper_id, file, line, section, title_norm, marks, year, doi, arxiv, author, kind, "
    "cite_key, words, evidence, data"
)
IDENTITY_COLUMNS = "file, title_norm, marks, year, doi, arxiv, author, kind, cite_key, words"
# one encoder for every row: json.dumps with options builds a new one per call, and the
# rows hold no cycles to check for
encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
PAPER_COLUMNS = (
    "title, title_norm, year, venue, venue_abbr, venue_kind, volume, number, pages, publisher, url, "
    "doi, arxiv, abstract, note, authors, links, title_search, title_hashes, extra"
)


def identity(vocab, record: Record) -> Identity:
    """What a record says about which work it is (see identity.py)."""
    return Identity(
        record.source.file,
        title_key(record.title),
        title_marks(record.title),
        record_year(record),
        record.doi or None,
        record.arxiv or None,
        first_author(record.authors),
        work_kind(record.entry_type, venue_of(vocab, record)[2]),
        record.key_hint,
        significant_words(record.title),
    )


def paper_row(paper: Paper) -> tuple:
    """The papers table's columns PAPER_COLUMNS (key and id are the catalog's to give)."""
    return (
        paper.title,
        title_key(paper.title),
        paper.year,
        paper.venue,
        paper.venue_abbr,
        paper.venue_kind,
        paper.volume,
        paper.number,
        paper.pages,
        paper.publisher,
        paper.url,
        paper.doi,
        paper.arxiv,
        paper.abstract,
        paper.note,
        encode(paper.authors),
        encode([{"label": lk.label, "url": lk.url} for lk in paper.links]),
        *search_words.indexed(paper.title),  # what fuzzy search reads instead of the title
        encode(paper.extra) if paper.extra else "{}",
    )


def facet_values(paper: Paper) -> list[tuple]:
    """(facet, value, curated, disputed) of a paper: its facets rows but the paper's id."""
    return [
        (facet, fv.value, int(fv.curated), int(fv.disputed))
        for facet in FACETS
        for fv in paper.facets.get(facet, [])
    ]


def mention_row(mention: DatasetMention, record_id: int | None) -> tuple:
    """The mentions table's columns but id."""
    src = mention.source
    return (
        src.file if src else "",
        src.line if src else None,
        src.section if src else None,
        mention.name,
        mention.url,
        mention.text,
        record_id,
    )


def first_source(records: list[Record]) -> str:
    """The earliest place a paper is listed, as text that sorts: new keys go in this order."""
    return min(f"{r.source.file}\0{r.source.line:09d}" for r in records)


def record_year(record: Record) -> int | None:
    """The year a record gives, or the one its arXiv id implies."""
    if record.year:
        return record.year
    if record.arxiv:
        from medlit.readers.inline import arxiv_year

        return arxiv_year(record.arxiv)
    return None
