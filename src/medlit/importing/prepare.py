"""A document -> what the catalog will store of it, with no catalog in sight.

Everything an import does per record that needs no other document is done here: reading,
the record's row and JSON, and the paper the record makes if nothing else lists it, which
is what most records do. On a large import this runs in worker processes (parallel.py), so
the importer itself only matches records to papers and writes.

`prepare` yields a `Header`, then the file's records in chunks, each record a tuple of
plain values (see `ready`): cheap to send between processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from medlit.importing import keys
from medlit.importing.title_blocks import BLOCK, signature
from medlit.model import FACETS, DatasetMention, Notice, Record, Skip, json_dumps
from medlit.normalise import Paper, alone, title_key
from medlit.search import title_words
from medlit.vocab import load as load_vocab

CHUNK = 1000  # records sent at once: small enough to start matching early


@dataclass
class Header:
    """What a file says besides its records; `error` (a message) when it cannot be read."""

    encoding: str = "utf-8"
    read: int = 0
    skips: list[Skip] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    datasets: list[tuple] = field(default_factory=list)  # mention rows of the file's dataset lists
    error: str | None = None


def prepare(data: bytes, name: str, suffix: str) -> Iterator[Header | list[tuple]]:
    """The file's Header, then lists of `ready` records, in file order.

    Reading errors are the header's `error`; a reader's bug is one too, unless MEDLIT_DEBUG
    asks for the traceback.
    """
    import os

    from medlit.readers import ReadError, read_bytes

    try:
        result, encoding = read_bytes(data, name, suffix)
    except ReadError as exc:
        yield Header(error=str(exc))
        return
    except Exception as exc:  # a reader's bug costs this file, not the whole import
        if os.environ.get("MEDLIT_DEBUG"):
            raise
        yield Header(
            error=f"{name}: medlit could not read it ({type(exc).__name__}: {exc}); "
            "rerun with MEDLIT_DEBUG=1 and report it"
        )
        return
    yield Header(
        encoding,
        len(result.records),
        result.skips,
        result.notices,
        [mention_row(m) for m in result.datasets],
    )
    vocab = load_vocab()
    records = result.records
    for start in range(0, len(records), CHUNK):
        yield [ready(vocab, r) for r in records[start : start + CHUNK]]


def ready(vocab, record: Record) -> tuple[tuple, tuple, str | None, tuple, int | None]:
    """(row, mention rows, key hint, alone, title signature) of one record.

    `row`: the records table's columns after (id, paper_id): file, line, section,
    title_norm, year, head, tail, doi, arxiv, data. `alone`: the paper the record makes if
    no other record joins it, as (first source, paper row, facet rows, key base). The
    signature (title_blocks.signature) when the title is compared with others: a head and a year.
    """
    norm = title_key(record.title)
    year = record_year(record)
    long_enough = len(norm) >= 2 * BLOCK
    source = record.source
    row = (
        source.file,
        source.line,
        source.section,
        norm,
        year,
        norm[:BLOCK] if long_enough else None,
        norm[-BLOCK:] if long_enough else None,
        record.doi,
        record.arxiv,
        record.json_text(),
    )
    paper, facet_rows = alone(vocab, record)
    base = keys.base_key(paper.authors, paper.year, paper.title)
    # alone, the paper has the record's title
    made = (first_source([record]), paper_row(paper, norm), facet_rows, base)
    sig = signature(norm) if long_enough and year else None
    return row, tuple(mention_row(m) for m in record.datasets), record.key_hint, made, sig


def paper_values(paper: Paper) -> tuple[tuple, list[tuple]]:
    """A paper's row (see paper_row) and (facet, value, curated, disputed) rows."""
    facets = [
        (facet, fv.value, int(fv.curated), int(fv.disputed))
        for facet in FACETS
        for fv in paper.facets.get(facet, [])
    ]
    return paper_row(paper), facets


def paper_row(paper: Paper, norm: str | None = None) -> tuple:
    """The papers table's columns from title to title_hashes (key and id are the catalog's
    to give). `norm`: the title's key, if known."""
    return (
        paper.title,
        title_key(paper.title) if norm is None else norm,
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
        json_dumps(paper.authors),
        json_dumps([{"label": lk.label, "url": lk.url} for lk in paper.links]),
        *title_words.indexed(paper.title),  # what fuzzy search reads instead of the title
    )


def first_source(records: list[Record]) -> str:
    """The earliest place a paper is listed, as text that sorts: new keys go in this order."""
    return min(f"{r.source.file}\0{r.source.line:09d}" for r in records)


def mention_row(mention: DatasetMention) -> tuple:
    """The mentions table's columns but id and record_id."""
    src = mention.source
    return (
        src.file if src else "",
        src.line if src else None,
        src.section if src else None,
        mention.name,
        mention.url,
        mention.text,
    )


def record_year(record: Record) -> int | None:
    """The year a record gives, or the one its arXiv id implies."""
    if record.year:
        return record.year
    if record.arxiv:
        from medlit.readers.inline import arxiv_year

        return arxiv_year(record.arxiv)
    return None
