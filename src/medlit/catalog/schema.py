"""The catalog's schema, versioned in `meta`, and the migrations from each older version:
`ensure_schema` brings a catalog up to date inside the transaction that opens it for writing."""

from __future__ import annotations

import json
import sqlite3

SCHEMA_VERSION = 8


def schema_version(conn: sqlite3.Connection) -> int:
    """The catalog's schema version; 0 when it has none (a new file, or not a catalog)."""
    row = conn.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else 0
    except (TypeError, ValueError):
        return 0


SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, records INTEGER, imported_at TEXT);
CREATE TABLE IF NOT EXISTS papers (
    id INTEGER PRIMARY KEY, key TEXT UNIQUE, title TEXT NOT NULL, title_norm TEXT NOT NULL,
    year INTEGER, venue TEXT, venue_abbr TEXT, venue_kind TEXT, volume TEXT, number TEXT,
    pages TEXT, publisher TEXT, url TEXT, doi TEXT, arxiv TEXT, abstract TEXT, note TEXT,
    authors TEXT NOT NULL DEFAULT '[]', links TEXT NOT NULL DEFAULT '[]',
    title_search TEXT NOT NULL DEFAULT '', title_hashes BLOB NOT NULL DEFAULT x'',
    extra TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS papers_year ON papers(year);
CREATE INDEX IF NOT EXISTS papers_venue ON papers(venue);
CREATE INDEX IF NOT EXISTS papers_doi ON papers(doi);
CREATE INDEX IF NOT EXISTS papers_arxiv ON papers(arxiv);
CREATE INDEX IF NOT EXISTS papers_with_authors ON papers(id) WHERE authors NOT IN ('', '[]');
CREATE INDEX IF NOT EXISTS papers_with_abstract ON papers(id) WHERE abstract NOT IN ('', '[]');
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY, paper_id INTEGER NOT NULL REFERENCES papers(id),
    file TEXT NOT NULL, line INTEGER NOT NULL, section TEXT,
    title_norm TEXT NOT NULL, marks TEXT NOT NULL DEFAULT '', year INTEGER, doi TEXT, arxiv TEXT,
    author TEXT, kind TEXT, cite_key TEXT, words TEXT NOT NULL DEFAULT '', evidence TEXT,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_paper ON records(paper_id);
CREATE INDEX IF NOT EXISTS records_file ON records(file);
CREATE TABLE IF NOT EXISTS facets (
    paper_id INTEGER NOT NULL REFERENCES papers(id), facet TEXT NOT NULL, value TEXT NOT NULL,
    curated INTEGER NOT NULL, disputed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (paper_id, facet, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_lookup ON facets(facet, value, disputed, curated, paper_id);
CREATE TABLE IF NOT EXISTS keys (
    key TEXT PRIMARY KEY, title_norm TEXT NOT NULL, paper_id INTEGER,
    doi TEXT, arxiv TEXT, year INTEGER, alias INTEGER NOT NULL DEFAULT 0,
    from_entry INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS keys_paper ON keys(paper_id);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY, made_at TEXT NOT NULL, kind TEXT NOT NULL, key TEXT,
    data TEXT NOT NULL DEFAULT '{}', undone INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY, file TEXT NOT NULL, line INTEGER, section TEXT, name TEXT NOT NULL,
    url TEXT, text TEXT, record_id INTEGER);
CREATE INDEX IF NOT EXISTS mentions_file ON mentions(file);
CREATE TABLE IF NOT EXISTS datasets (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, url TEXT, organs TEXT NOT NULL DEFAULT '[]',
    names TEXT NOT NULL DEFAULT '[]', sources TEXT NOT NULL DEFAULT '[]');
CREATE TABLE IF NOT EXISTS paper_datasets (
    paper_id INTEGER NOT NULL, dataset_id INTEGER NOT NULL, PRIMARY KEY (paper_id, dataset_id))
    WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS paper_datasets_dataset ON paper_datasets(dataset_id);
CREATE INDEX IF NOT EXISTS decisions_key ON decisions(key, kind);
CREATE INDEX IF NOT EXISTS decisions_kind ON decisions(kind, undone, key);
CREATE TABLE IF NOT EXISTS tags (
    key TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (key, tag)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_tag ON tags(tag, key);
CREATE TABLE IF NOT EXISTS fetched (
    source TEXT NOT NULL, id TEXT NOT NULL, fetched_at TEXT NOT NULL, status INTEGER NOT NULL,
    body TEXT, PRIMARY KEY (source, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS provenance (
    key TEXT NOT NULL, field TEXT NOT NULL, source TEXT NOT NULL, value TEXT NOT NULL,
    fetched_at TEXT NOT NULL, applied INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key, field, source)) WITHOUT ROWID;
"""


def indexes(*tables: str) -> dict[str, str]:
    """name -> CREATE INDEX statement of the schema's indexes on `tables`."""
    found = {}
    for statement in SCHEMA.split(";"):
        words = statement.split()
        if words[:2] == ["CREATE", "INDEX"] and words[7].split("(")[0] in tables:  # ... name ON table(
            found[words[5]] = statement.strip()
    return found


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """v2 keeps the datasets' provenance; v1 catalogs had none, so it starts empty."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(datasets)")}
    if "sources" not in cols:
        conn.execute("ALTER TABLE datasets ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'")


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """v3 stores each title as fuzzy search reads it (see fuzzy.indexed), so that a search
    does no text work per title, and indexes facets so that a filter reads the index alone."""
    from medlit.search.title_words import indexed

    cols = {r[1] for r in conn.execute("PRAGMA table_info(papers)")}
    if "title_search" not in cols:
        conn.execute("ALTER TABLE papers ADD COLUMN title_search TEXT NOT NULL DEFAULT ''")
        conn.execute("ALTER TABLE papers ADD COLUMN title_hashes BLOB NOT NULL DEFAULT x''")
    rows = conn.execute("SELECT id, title FROM papers").fetchall()
    conn.executemany(
        "UPDATE papers SET title_search = ?, title_hashes = ? WHERE id = ?",
        ((*indexed(title), pid) for pid, title in rows),
    )
    conn.execute("DROP INDEX IF EXISTS facets_value")  # facets_lookup (in SCHEMA) replaces it


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """v4 drops two indexes nothing reads (near titles are found in memory, retired keys by a
    scan): every import paid to keep them, a tenth of its SQLite time."""
    conn.execute("DROP INDEX IF EXISTS records_tail")
    conn.execute("DROP INDEX IF EXISTS keys_title")


def _v4_to_v5(conn: sqlite3.Connection) -> None:
    """v5 adds what a browser needs (catalog/browse.py): the reading_list view and a
    full-text index of title, authors and abstract, filled here from the papers there are."""
    from medlit.catalog import browse

    conn.execute(browse.FTS)  # the view comes after every migration (ensure_schema)
    browse.refresh_search_index(conn)


def _v5_to_v6(conn: sqlite3.Connection) -> None:
    """v6 keeps what each record says about which work it is (the matcher reads these
    columns, not the JSON), how it joined its paper, every key's paper facts (a retired key
    returns only to its own paper) and aliases, and the user's decisions."""
    from medlit.importing.identity import first_author, significant_words, title_marks, work_kind
    from medlit.model import Record

    for index in ("records_head", "records_title", "records_doi", "records_arxiv"):
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    has = {r[1] for r in conn.execute("PRAGMA table_info(records)")}
    for column in ("head", "tail"):
        if column in has:
            conn.execute(f"ALTER TABLE records DROP COLUMN {column}")
    if "marks" in has:  # made as v6 already
        return
    for column in ("marks TEXT NOT NULL DEFAULT ''", "author TEXT", "kind TEXT", "cite_key TEXT",
                   "words TEXT NOT NULL DEFAULT ''", "evidence TEXT"):  # fmt: skip
        conn.execute(f"ALTER TABLE records ADD COLUMN {column}")
    updates = []
    for rid, data in conn.execute("SELECT id, data FROM records").fetchall():
        r = Record.from_json(json.loads(data))
        kind = work_kind(r.entry_type, r.venue_kind)
        updates.append(
            (
                title_marks(r.title),
                first_author(r.authors),
                kind,
                r.key_hint,
                significant_words(r.title),
                rid,
            )
        )
    conn.executemany(
        "UPDATE records SET marks = ?, author = ?, kind = ?, cite_key = ?, words = ? WHERE id = ?", updates
    )
    for column in ("doi TEXT", "arxiv TEXT", "year INTEGER", "alias INTEGER NOT NULL DEFAULT 0",
                   "from_entry INTEGER NOT NULL DEFAULT 0"):  # fmt: skip
        conn.execute(f"ALTER TABLE keys ADD COLUMN {column}")
    conn.execute(
        "UPDATE keys SET from_entry = 1 "
        "WHERE key IN (SELECT cite_key FROM records WHERE cite_key IS NOT NULL)"
    )
    conn.execute(
        "UPDATE keys SET (doi, arxiv, year) = "
        "(SELECT doi, arxiv, year FROM papers p WHERE p.id = keys.paper_id) "
        "WHERE paper_id IS NOT NULL"
    )


def _v6_to_v7(conn: sqlite3.Connection) -> None:
    """v7 adds what the user's decisions need (tags, indexes on decisions), the raw answers of
    metadata services (fetched) and where each enriched field came from (provenance): new
    tables and indexes, made by SCHEMA; and each paper's BibTeX fields as a .bib wrote them
    (papers.extra), filled as the documents are read again (the rules version changed too)."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(papers)")}
    if "extra" not in cols:
        conn.execute("ALTER TABLE papers ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'")


def _v7_to_v8(conn: sqlite3.Connection) -> None:
    """v8's reading_list view shows the user's tags and note and leaves out the papers the
    user removed (the view is made anew after every migration: see ensure_schema)."""


MIGRATIONS = {
    2: _v1_to_v2,
    3: _v2_to_v3,
    4: _v3_to_v4,
    5: _v4_to_v5,
    6: _v5_to_v6,
    7: _v6_to_v7,
    8: _v7_to_v8,
}


def ensure_schema(conn: sqlite3.Connection) -> bool:
    """Create or upgrade the schema (the caller holds the write transaction). True if changed."""
    version = schema_version(conn) if _has_meta(conn) else 0
    if version == SCHEMA_VERSION:
        return False
    from medlit.catalog import browse

    if version > 0:
        browse.drop_view(conn)  # a migration's ALTER TABLE must not meet a view of old tables
        for target in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
    for statement in SCHEMA.split(";"):  # executescript would commit the open transaction
        if statement.strip():
            conn.execute(statement)
    browse.create(conn)  # after the tables it reads
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return True


def _has_meta(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone())


def needs_upgrade(conn: sqlite3.Connection) -> bool:
    return schema_version(conn) < SCHEMA_VERSION
