"""Opening a catalog safely: the file a command means, WAL mode for a writer, waiting for
another writer, an older schema migrated (in place, or in a private copy of a catalog that
cannot be written), and one line for every SQLite failure."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from medlit.catalog.schema import SCHEMA_VERSION, ensure_schema, needs_upgrade, schema_version
from medlit.errors import CatalogError

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
    A `shared` connection may be used by a thread other than the one that opened it, never
    by two at once.

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
