"""`medlit add`: a paper that no list holds, from its DOI, arXiv id or link, or typed in.

The paper is stored as one record of the file `medlit add` (a file no import replaces),
so a document that lists it later joins it by DOI, arXiv id or title like any other
record, and its key never changes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from medlit import decisions
from medlit.enrich import arxiv, cache, crossref, ids
from medlit.enrich.http import Client, SourceError
from medlit.enrich.metadata import Metadata
from medlit.errors import UserError
from medlit.model import Record, Source

ADDED = "medlit add"  # the records' file name


@dataclass
class Added:
    key: str
    title: str
    new: bool  # False: the catalog had the paper already
    sources: list[str] = field(default_factory=list)  # the services its metadata came from


def identify(spec: str) -> tuple[str | None, str | None, str | None]:
    """(DOI, arXiv id, url) of what the user typed: `10.x/y`, `doi:...`, `arXiv:1505.04597`, a link."""
    text = spec.strip()
    url = text if text.lower().startswith(("http://", "https://")) else None
    if text.lower().startswith("arxiv:") or "arxiv.org/" in text.lower():
        return None, ids.clean_arxiv(text), url
    doi = ids.clean_doi(text)
    if doi:
        return doi, None, url
    bare = ids.clean_arxiv(text)
    return None, bare, url


def fetch_metadata(
    conn: sqlite3.Connection, client: Client | None, doi: str | None, arxiv_id: str | None, offline: bool
) -> list[Metadata]:
    """What arXiv and Crossref say of the identifiers (cached like enrich's answers), best first."""
    found: list[Metadata] = []
    if arxiv_id:
        entry = _ask(conn, client, "arxiv", arxiv_id, lambda: arxiv.fetch(client, [arxiv_id]), offline)
        if entry is not None:
            meta = arxiv.parse(entry, arxiv_id)
            found.append(meta)
            doi = doi or meta.doi
        elif not doi:
            raise UserError(f"arXiv has no paper {arxiv_id} (check the id, e.g. arXiv:1505.04597)")
    if doi:
        work = _ask(conn, client, "crossref", doi, lambda: crossref.fetch(client, [doi]), offline)
        if work is not None:
            found.insert(0, crossref.parse(work))
        elif not found:
            raise UserError(f"Crossref has no work with DOI {doi} (check it, or add by hand with --title)")
    return found


def _ask(conn, client, source: str, ident: str, fetch, offline: bool) -> str | None:
    known = cache.read(conn, source, [ident]).get(ident)
    if known is None:
        if offline or client is None:
            raise UserError(f"{source} {ident} is not in the cache; run without --offline")
        try:
            body = fetch().get(ident)
        except SourceError as exc:
            raise UserError(f"{exc}; nothing was added") from None
        status = cache.OK if body not in (None, arxiv.ERROR) else cache.MISSING
        conn.execute("BEGIN IMMEDIATE")
        cache.write(conn, source, {ident: (status, body if status == cache.OK else None)})
        conn.execute("COMMIT")
        known = (status, body if status == cache.OK else None, "")
    status, body, _ = known
    return body if status == cache.OK else None


def record_of(found: list[Metadata], given: dict, url: str | None) -> Record:
    """The record of an added paper: what the user typed wins, then the services in order."""
    values: dict = {}
    for meta in reversed(found):  # the best last, so it wins
        values.update({k: v for k, v in vars(meta).items() if v not in (None, "", [])})
    values.update({k: v for k, v in given.items() if v not in (None, "", [])})
    if not values.get("title"):
        raise UserError("a paper needs a title: give --title (or a DOI or arXiv id the services know)")
    return Record(
        title=values["title"],
        source=Source(ADDED, 0),
        authors=list(values.get("authors") or []),
        year=values.get("year"),
        venue=values.get("venue"),
        venue_kind=values.get("kind"),
        volume=values.get("volume"),
        number=values.get("number"),
        pages=values.get("pages"),
        publisher=values.get("publisher"),
        url=url or values.get("url"),
        doi=values.get("doi"),
        arxiv=values.get("arxiv"),
        abstract=values.get("abstract"),
    )


def existing(conn: sqlite3.Connection, record: Record) -> str | None:
    """The key of a paper the catalog already has with this DOI, arXiv id or title."""
    from medlit.normalise import title_key

    for column, value in (
        ("doi", record.doi),
        ("arxiv", record.arxiv),
        ("title_norm", title_key(record.title)),
    ):
        if value:
            sql = f"SELECT p.key FROM records r JOIN papers p ON p.id = r.paper_id WHERE r.{column} = ?"
            row = conn.execute(sql + " LIMIT 1", (value,)).fetchone()
            if row and row[0]:
                return row[0]
    return None


def insert(conn: sqlite3.Connection, record: Record, facets: dict[str, list[str]]) -> str:
    """Write the record and merge the paper it makes (given a key as an import gives them);
    the caller holds the transaction."""
    from medlit.importing import rows
    from medlit.importing.engine import settle
    from medlit.importing.prepare import Entry
    from medlit.vocab import load

    vocab = load()
    record.cells = {facet: list(values) for facet, values in facets.items() if values}
    line = conn.execute("SELECT COALESCE(MAX(line), 0) + 1 FROM records WHERE file = ?", (ADDED,)).fetchone()[
        0
    ]
    record.source = Source(ADDED, line)
    papers = conn.execute("SELECT COALESCE(MAX(id), 0) FROM papers").fetchone()[0]
    paper_id = max(papers, conn.execute("SELECT COALESCE(MAX(paper_id), 0) FROM records").fetchone()[0]) + 1
    record_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM records").fetchone()[0]
    conn.execute("PRAGMA defer_foreign_keys = ON")  # the record is written before its paper
    entry = Entry.of(vocab, record)
    row = entry.record_row(record_id, paper_id, None)
    conn.execute(f"INSERT INTO records ({rows.RECORD_COLUMNS}) VALUES ({','.join('?' * len(row))})", row)
    settle(conn, vocab, {paper_id}, {paper_id: [entry]})
    key = conn.execute("SELECT key FROM papers WHERE id = ?", (paper_id,)).fetchone()[0]
    decisions.record(conn, "add", key, {"record": record.to_json()})
    return key


def add_paper(
    conn: sqlite3.Connection,
    spec: str | None,
    given: dict,
    tags: list[str],
    facets: dict[str, list[str]],
    offline: bool = False,
    client: Client | None = None,
) -> Added:
    """The whole of `medlit add` on an autocommit connection: fetch (through the cache), then
    one transaction that adds the paper (or tags the one the catalog has) and its provenance."""
    from medlit.enrich.provenance import Provenance, store

    if not spec and not given.get("title"):
        raise UserError("give a DOI, arXiv:ID or URL, or a title (with authors, year and venue)")
    doi = arxiv_id = url = None
    if spec:
        doi, arxiv_id, url = identify(spec)
        if not (doi or arxiv_id or url):
            raise UserError(f"{spec!r} is no DOI, arXiv id (arXiv:1505.04597) or web link")
    found: list[Metadata] = []
    if doi or arxiv_id:
        own = client is None and not offline
        client = Client() if own else client
        try:
            found = fetch_metadata(conn, client, doi, arxiv_id, offline)
        finally:
            if own:
                client.close()
    record = record_of(found, given, url)
    conn.execute("BEGIN IMMEDIATE")
    try:
        key = existing(conn, record)
        new = key is None
        if new:
            key = insert(conn, record, facets)
            rows: list[Provenance] = []
            for meta in found:
                for fld, value in meta.values().items():
                    if given.get(fld) in (None, "", []) and not any(r.field == fld for r in rows):
                        rows.append(Provenance(key, fld, meta.source, value, decisions.now(), True))
            store(conn, rows)
        elif facets:
            decisions.edit(conn, key, {}, facets, {})
        if tags:
            decisions.tag(conn, key, tags)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return Added(key, record.title, new, [m.source for m in found])
