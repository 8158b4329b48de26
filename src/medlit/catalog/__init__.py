"""The SQLite catalog: opening it safely, its schema and migrations, and reading papers back.

Everything goes through the standard library's sqlite3, which starts fast. The schema is
versioned in `meta`; `ensure_schema` brings an older catalog up to date inside the
transaction that opens it for writing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from medlit.errors import CatalogError
from medlit.listing import FACETS, Listed

if TYPE_CHECKING:
    from medlit.model import Paper

SCHEMA_VERSION = 8
DEFAULT_DB = "catalog.db"
BUSY_TIMEOUT_MS = 120_000
# of a new catalog: a record row is over 1 KiB, and with SQLite's default of 4 KiB a page
# held three; importing 100k papers wrote 10% less and built the indexes 12% faster
PAGE_SIZE = 16384


def db_path(value: str | os.PathLike | None) -> Path:
    """The catalog a command uses: `value` if given, else as catalog/locate.py finds one."""
    from medlit.catalog.locate import locate

    return locate(value).path


_opened: list[Path] = []  # catalogs this process opened: an SQLite error later can name its file


# Told what a user would want to know while medlit works: a catalog read from a copy, a
# writer waiting for another. The CLI sets it (cli/terminal.py); a library caller may too.
# `passing=True` marks a notice that matters only while one watches (shown on a terminal).
def _silent(text: str, passing: bool = False) -> None:
    pass


notice: Callable[..., None] = _silent


def connect(path: Path, create: bool = False, shared: bool = False) -> sqlite3.Connection:
    """Open a catalog; with create=False a missing file is an error and nothing is created.
    A `shared` connection may be handed to another thread (see writes.py): never to two at once.

    A connection with create=True is a writer's: it puts the catalog in WAL mode (kept in
    the file), in which readers never wait for a writer, nor a writer for readers. A reader
    of a WAL catalog in a folder it cannot write (read-only media) reads the file as it is."""
    if not path.exists():
        if not create:
            raise CatalogError(f"no catalog at {path}; build one with: medlit import seeds/ --db {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.is_dir():
        raise CatalogError(f"{path} is a folder, not a catalog file; pass --db FILE")
    _opened.append(path)
    try:
        try:
            conn, tables, version = _open(path, "" if create else "?mode=rw", shared)
        except sqlite3.OperationalError as exc:
            if create or not _read_only_folder(exc, path):
                raise
            conn, tables, version = _open_unwritable(path, shared)
    except sqlite3.DatabaseError as exc:
        if type(exc) is sqlite3.DatabaseError and "not a database" in str(exc):
            raise CatalogError(
                f"{path} is not a medlit catalog ({exc}); pass another --db or move it away"
            ) from exc
        raise CatalogError(explain(exc, path)) from exc
    if not tables:
        if not create:
            raise CatalogError(_no_tables_yet(conn, path))
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # before the first table is created
        _write_ahead(conn, path)
        return conn
    if not version or "papers" not in tables:
        conn.close()
        raise CatalogError(f"{path} is an SQLite database but not a medlit catalog; pass another --db")
    if version > SCHEMA_VERSION:
        conn.close()
        raise CatalogError(
            f"{path} was made by a newer medlit (schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); upgrade medlit: pip install -U medlit"
        )
    if create:
        _write_ahead(conn, path)
    return conn


def _no_tables_yet(conn: sqlite3.Connection, path: Path) -> str:
    """Why a catalog file holds no tables: an empty file, a first import still writing it
    (it holds the write lock), or a first import that stopped before its end. Closes `conn`."""
    build = f"build one with: medlit import seeds/ --db {path}"
    running = "is being built by an import that is still running; run this again when it ends"
    try:
        if path.stat().st_size == 0:
            return f"{path} is an empty file, not a catalog; {build}"
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            conn.execute("BEGIN IMMEDIATE")  # taken at once unless an import is writing
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                return f"{path} {running}"
        return f"{path} holds no catalog (no tables, as a first import that was stopped leaves it); {build}"
    finally:
        conn.close()


def _open(path: Path, mode: str, shared: bool) -> tuple[sqlite3.Connection, set[str], int]:
    conn = sqlite3.connect(
        path.resolve().as_uri() + mode,
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=not shared,
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = schema_version(conn) if "meta" in tables else 0
    except BaseException:
        conn.close()
        raise
    return conn, tables, version


def _read_only_folder(exc: sqlite3.OperationalError, path: Path) -> bool:
    """A WAL catalog in a folder medlit cannot write: SQLite cannot make its -shm file. (Not
    a hot rollback journal: that one must be rolled back before the file can be read.)"""
    name = getattr(exc, "sqlite_errorname", "")
    if name not in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN", "SQLITE_READONLY_CANTINIT"):
        return False
    try:
        with open(path, "rb") as f:
            header = f.read(20)
    except OSError:
        return False
    return header[18:20] == b"\x02\x02" and not _hot_journal(path)


def _hot_journal(path: Path) -> Path | None:
    journal = path.with_name(path.name + "-journal")
    try:
        return journal if journal.stat().st_size > 0 else None
    except OSError:
        return None


def _open_unwritable(path: Path, shared: bool) -> tuple[sqlite3.Connection, set[str], int]:
    """The catalog file as it is, no -shm or -wal made: nothing can write beside it, so
    nothing can change it while it is read (SQLite's `immutable`)."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        notice(
            f"medlit: {wal} holds changes that cannot be read in a folder medlit cannot write; "
            f"reading {path} as it was before them (make the folder writable to see them)"
        )
    return _open(path, "?mode=ro&immutable=1", shared)


def _write_ahead(conn: sqlite3.Connection, path: Path) -> None:
    """WAL mode, kept in the file's header: a reader never waits for a writer. The last
    connection to close copies the log into the file and removes it, so the catalog stays
    one self-contained file (the shipped catalog.db in git)."""
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        conn.execute("PRAGMA journal_mode = WAL")  # waits (busy_timeout) for readers of the old mode
    # the log of a large import is truncated once copied into the file, not left at its size
    conn.execute("PRAGMA journal_size_limit = 67108864")


WRITER_POLL_S = 0.25


def begin_write(conn: sqlite3.Connection, path: Path | None = None) -> None:
    """BEGIN IMMEDIATE, waiting up to BUSY_TIMEOUT_MS for another writer; `notice` hears
    (as a passing notice) that it waits, and for whom."""
    import time

    path = path or (_opened[-1] if _opened else Path(DEFAULT_DB))
    started = time.monotonic()
    told = False
    conn.execute(f"PRAGMA busy_timeout = {int(WRITER_POLL_S * 1000)}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or waited > BUSY_TIMEOUT_MS / 1000:
                    raise
                if not told:
                    notice(
                        f"medlit: {path} is being written by another medlit; waiting for it "
                        f"(up to {BUSY_TIMEOUT_MS / 1000:g} s)",
                        passing=True,
                    )
                    told = True
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def open_current(path: Path) -> sqlite3.Connection:
    """A reading connection to the catalog at `path` in the current schema. An older catalog
    is migrated in place, in one transaction, the first time it is read; one that cannot be
    written (read-only media, a folder of someone else's) is read from a migrated private
    copy instead, and `notice` says so."""
    conn = connect(path)
    if not needs_upgrade(conn):
        return conn
    version = schema_version(conn)
    conn.close()
    writer = connect(path)
    try:
        begin_write(writer, path)
        try:
            ensure_schema(writer)
            writer.execute("COMMIT")
        except BaseException:
            writer.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc) and "read-only" not in str(exc):
            raise
        writer.close()
        return _upgraded_copy(path, version)
    writer.close()
    return connect(path)


def _upgraded_copy(path: Path, version: int) -> sqlite3.Connection:
    """The catalog copied into a private temporary database and migrated there; the file is
    left as it is."""
    source = connect(path)  # read-only, or immutable in a folder that cannot be written
    copy = sqlite3.connect("", isolation_level=None)  # "": a temporary file, removed when closed
    try:
        source.backup(copy)
    finally:
        source.close()
    copy.execute("PRAGMA foreign_keys = ON")
    copy.execute("BEGIN")
    ensure_schema(copy)
    copy.execute("COMMIT")
    notice(
        f"medlit: {path} is a catalog of schema {version} that cannot be written, so it was not "
        f"upgraded to schema {SCHEMA_VERSION}: read from an upgraded temporary copy. To upgrade it "
        f"for good, run medlit once on it where it can be written (or on a copy of it)"
    )
    return copy


@contextmanager
def writing(path: Path, shared: bool = False) -> Iterator[sqlite3.Connection]:
    """An existing catalog, brought up to date, in one write transaction (waiting for
    another writer as `begin_write` does): committed when the block ends, rolled back
    (nothing changed) when it raises."""
    conn = connect(path, shared=shared)
    try:
        begin_write(conn, path)
        try:
            ensure_schema(conn)
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


def schema_version(conn: sqlite3.Connection) -> int:
    """The catalog's schema version; 0 when it has none (a new file, or not a catalog)."""
    row = conn.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else 0
    except (TypeError, ValueError):
        return 0


def explain(exc: sqlite3.Error, path: Path | None = None) -> str:
    """One line for an SQLite failure on a catalog: which file, what happened, what to do."""
    path = path or (_opened[-1] if _opened else Path(DEFAULT_DB))
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return (
            f"{path} is still locked by another medlit after {BUSY_TIMEOUT_MS / 1000:g} s; "
            "try again when it has finished"
        )
    if "malformed" in low or "corrupt" in low or "not a database" in low:
        return f"{path} is damaged ({text}); restore it from a backup, or move it away and import again"
    journal = _hot_journal(path)
    name = getattr(exc, "sqlite_errorname", "")
    if journal and (name == "SQLITE_READONLY_ROLLBACK" or "disk i/o" in low or "readonly" in low):
        return (
            f"{path} has an unfinished write in {journal.name} (a medlit stopped mid-import) that "
            "must be rolled back before it can be read, and its folder cannot be written; make "
            f"the folder writable, or copy {path.name} and {journal.name} together to one that is, "
            "and run medlit again: it rolls the write back by itself"
        )
    if "readonly" in low or "read-only" in low:
        return f"{path} cannot be written ({text}); check the permissions of the file and its folder"
    if "unable to open" in low:
        return f"{path} cannot be opened ({text}); check that its folder exists and can be written"
    return f"{path}: {text}"


def check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse to write into a damaged catalog: writing there could spread the damage."""
    problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        lines = [x for p in problems for x in p.splitlines() if x.strip() and not x.startswith("***")]
        first = lines[0][:100] if lines else "quick_check failed"
        raise CatalogError(
            f"{path} is damaged ({first}); restore it from a backup, or move it away and import again"
        )


# ------------------------------------------------------------------ schema and migrations

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


# ------------------------------------------------------------------ reading papers back

PAPER_COLUMNS = (
    "id, key, title, year, venue, venue_abbr, venue_kind, volume, number, pages, "
    "publisher, url, doi, arxiv, abstract, note, authors, links, extra"
)


def load_papers(
    conn: sqlite3.Connection, ids: list[int] | None = None, with_sources: bool = True
) -> list[Paper]:
    """Papers with facets, datasets and sources, in the order of `ids` (or by key)."""
    from medlit.model import FacetValue, Link, Paper, Source  # not for a listing: 10 ms to import

    if ids is None:
        rows = conn.execute(f"SELECT {PAPER_COLUMNS} FROM papers ORDER BY key").fetchall()
    else:
        rows = rows_by_id(conn, f"SELECT {PAPER_COLUMNS} FROM papers WHERE 1", ids)
    papers: dict[int, Paper] = {}
    loads = json.loads
    for r in rows:
        papers[r[0]] = Paper(
            key=r[1],
            title=r[2],
            year=r[3],
            venue=r[4],
            venue_abbr=r[5],
            venue_kind=r[6],
            volume=r[7],
            number=r[8],
            pages=r[9],
            publisher=r[10],
            url=r[11],
            doi=r[12],
            arxiv=r[13],
            abstract=r[14],
            note=r[15],
            authors=[] if r[16] == "[]" else loads(r[16]),
            links=[] if r[17] == "[]" else [Link(**x) for x in loads(r[17])],
            extra={} if r[18] == "{}" else loads(r[18]),
            facets={f: [] for f in FACETS},
        )
    # the loops below run once per facet value of every paper exported: kept inline
    facets = (
        "SELECT paper_id, facet, value, curated, disputed FROM facets {where} "
        "ORDER BY paper_id, curated DESC, value"
    )
    for pid, facet, value, curated, disputed in _related(conn, facets, "paper_id", papers, ids is None):
        papers[pid].facets.setdefault(facet, []).append(FacetValue(value, bool(curated), bool(disputed)))
    datasets = (
        "SELECT pd.paper_id, d.name, d.url FROM paper_datasets pd JOIN datasets d ON d.id = pd.dataset_id "
        "{where} ORDER BY pd.paper_id, d.name"
    )
    for pid, name, url in _related(conn, datasets, "pd.paper_id", papers, ids is None):
        paper = papers[pid]
        paper.datasets.append(name)
        if url:
            paper.dataset_urls[name] = url
    if with_sources:
        sources = "SELECT paper_id, file, line, section FROM records {where} ORDER BY paper_id, file, line"
        for pid, file, line, section in _related(conn, sources, "paper_id", papers, ids is None):
            papers[pid].sources.append(Source(file, line, section))
    _user_state(conn, papers)
    return list(papers.values())


def _user_state(conn: sqlite3.Connection, papers: dict[int, Paper]) -> None:
    """The user's tags and notes (medlit tag, medlit note: see medlit.decisions), by key;
    the latest note not undone is the paper's."""
    by_key = {p.key: p for p in papers.values() if p.key}
    if not by_key or not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'tags'").fetchone():
        return
    for part in chunks(list(by_key), 900):
        marks = ",".join("?" * len(part))
        for key, tag in conn.execute(
            f"SELECT key, tag FROM tags WHERE key IN ({marks}) ORDER BY key, tag", part
        ):
            by_key[key].tags.append(tag)
        sql = f"SELECT key, data FROM decisions WHERE kind = 'note' AND undone = 0 AND key IN ({marks})"
        notes = conn.execute(sql + " ORDER BY id", part)
        for key, data in notes:
            by_key[key].user_note = json.loads(data).get("text")


EXPORT_BATCH = 2000  # papers held at once by iter_papers: a few MiB, whatever the catalog's size


def iter_papers(conn: sqlite3.Connection, ids: list[int], with_sources: bool = True) -> Iterator[Paper]:
    """load_papers in the order of `ids`, EXPORT_BATCH at a time: an export of a million
    papers holds one batch of Paper objects, not the catalog."""
    for i in range(0, len(ids), EXPORT_BATCH):
        yield from load_papers(conn, ids[i : i + EXPORT_BATCH], with_sources)


def load_listing(conn: sqlite3.Connection, ids: list[int]) -> list[Listed]:
    """Papers in the order of `ids` as a listing shows them (key, title, year, venue): no
    JSON columns, facets, datasets or sources, which are most of load_papers' cost."""
    rows = rows_by_id(conn, "SELECT id, key, title, year, venue, venue_abbr FROM papers WHERE 1", ids)
    return [Listed(*row) for row in rows]


def rows_by_id(conn: sqlite3.Connection, sql: str, ids: list[int], keep_order: bool = True) -> list[tuple]:
    """Rows of `sql` (a SELECT of papers whose first column is the id, ending in a WHERE
    condition) for the papers in `ids`, fetched in chunks under SQLite's variable limit;
    in the order of `ids` unless keep_order is False."""
    rows: list[tuple] = []
    for chunk in chunks(ids, 900):
        rows += conn.execute(f"{sql} AND id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    if keep_order:
        order = {pid: i for i, pid in enumerate(ids)}
        rows.sort(key=lambda r: order[r[0]])
    return rows


def _related(conn: sqlite3.Connection, sql: str, column: str, papers: dict, every: bool):
    """Rows of `sql` (with a `{where}` slot) for the papers loaded: one scan when every paper
    is wanted, else chunks of ids under SQLite's variable limit."""
    if every:
        return (row for row in conn.execute(sql.format(where="")) if row[0] in papers)
    return (
        row
        for chunk in chunks(list(papers), 900)
        for row in conn.execute(sql.format(where=f"WHERE {column} IN ({','.join('?' * len(chunk))})"), chunk)
    )


def chunks(items: list, size: int):
    """`items` in slices of `size`: SQLite takes at most 999 variables a statement."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """One past the largest id of `table` (papers, records): the id a new row gets."""
    return conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0]


def paper_id_by_key(conn: sqlite3.Connection, key: str) -> int | None:
    """The paper a key cites: its own key, or an alias (another .bib key of the same work)."""
    return papers_by_key(conn, [key]).get(key)


def papers_by_key(conn: sqlite3.Connection, keys: list[str]) -> dict[str, int]:
    """key -> the paper it cites, for those of `keys` that cite one (aliases resolved)."""
    found: dict[str, int] = {}
    for chunk in chunks(keys, 900):
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT key, id FROM papers WHERE key IN ({marks})", chunk))
    rest = [k for k in keys if k not in found]
    for chunk in chunks(rest, 900):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT key, paper_id FROM keys WHERE key IN ({marks}) AND paper_id IS NOT NULL"
        found.update(conn.execute(sql, chunk))
    return found


def iter_cited(
    conn: sqlite3.Connection, cited: list[tuple[str, int]], with_sources: bool = True
) -> Iterator[Paper]:
    """The papers of (key, paper id) pairs in their order, each under the key cited: a work
    cited by its alias is written under the alias, as the LaTeX source expects."""
    from dataclasses import replace

    for i in range(0, len(cited), EXPORT_BATCH):
        batch = cited[i : i + EXPORT_BATCH]
        ids = list(dict.fromkeys(pid for _, pid in batch))
        loaded = dict(zip(ids, load_papers(conn, ids, with_sources), strict=True))
        for key, pid in batch:
            yield replace(loaded[pid], key=key)
