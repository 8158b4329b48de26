"""Catalog faults: a damaged or foreign file is named and left alone, a read creates nothing,
an older catalog is upgraded when read, a newer one is refused, a lock held too long is named."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import SEEDS, exported, medlit, run_handled

from medlit import catalog

GOOD = "# Papers\n\n| Title | Year |\n|---|---|\n| A paper to import | 2018 |\n"
READS = [("search", "unet"), ("export", "json"), ("show", "ronneberger2015unet")]


def _copy(seed_db, tmp_path):
    db = tmp_path / "catalog.db"
    shutil.copy(seed_db, db)
    return db


def _damaged(seed_db, tmp_path):
    """The seeded catalog with every page but the first (the header and schema) overwritten:
    whatever a command reads is damaged, wherever the import happened to put it."""
    db = _copy(seed_db, tmp_path)
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)
    db.write_bytes(bytes(data))
    return db


def _foreign(seed_db, tmp_path):
    db = tmp_path / "catalog.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE meta (name TEXT, value TEXT)")  # a `meta` table is no proof
    conn.execute("INSERT INTO meta VALUES ('owner', 'another app')")
    conn.commit()
    conn.close()
    return db


def _random(seed_db, tmp_path):
    db = tmp_path / "catalog.db"
    db.write_bytes(bytes((i * 7919) % 251 for i in range(20_000)))
    return db


def _truncated(seed_db, tmp_path):
    db = tmp_path / "catalog.db"
    db.write_bytes(seed_db.read_bytes()[:50_000])
    return db


FAULTS = {
    "damaged": (_damaged, "is damaged (database disk image is malformed); restore it from a backup"),
    "foreign sqlite": (_foreign, "is an SQLite database but not a medlit catalog; pass another --db"),
    "random bytes": (_random, "is not a medlit catalog (file is not a database)"),
    "truncated": (_truncated, "is damaged (database disk image is malformed)"),
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("command", READS, ids=lambda c: c[0])
def test_a_bad_catalog_is_named_on_read(seed_db, tmp_path, fault, command):
    make, message = FAULTS[fault]
    db = make(seed_db, tmp_path)
    before = db.read_bytes()
    result = medlit(*command, "--db", db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.startswith(f"medlit: {db} {message}")
    assert len(result.stderr.splitlines()) == 1
    assert db.read_bytes() == before


@pytest.mark.parametrize("fault", FAULTS)
def test_import_never_writes_into_a_bad_catalog(seed_db, tmp_path, fault):
    make, _message = FAULTS[fault]
    db = make(seed_db, tmp_path)
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    before = db.read_bytes()
    result = medlit("import", "good.md", "--db", db, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"medlit: {db} ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_an_empty_file_is_not_a_catalog_to_read(tmp_path):
    db = tmp_path / "catalog.db"
    db.touch()
    result = medlit("search", "--db", db)
    assert result.returncode == 1
    assert result.stderr == (
        f"medlit: {db} is an empty file, not a catalog; build one with: medlit import seeds/ --db {db}\n"
    )


def test_a_first_import_that_was_stopped_says_so_and_importing_again_builds_it(tmp_path):
    db = tmp_path / "catalog.db"
    conn = sqlite3.connect(db)  # what a first import killed before its commit leaves: a header
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert db.stat().st_size > 0
    result = medlit("search", "--db", db)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"medlit: {db} holds no catalog (no tables, as a first import that was stopped leaves it); "
        f"build one with: medlit import seeds/ --db {db}\n"
    )
    assert medlit("import", SEEDS, "--db", db, "-q").returncode == 0
    lung = medlit("search", "--modality", "CT", "--organ", "lung", "--db", db, "-f", "keys")
    assert lung.stdout.count("\n") == 6


@pytest.mark.parametrize("command", READS, ids=lambda c: c[0])
def test_a_read_on_a_missing_catalog_creates_nothing(tmp_path, command):
    db = tmp_path / "sub" / "catalog.db"
    result = medlit(*command, "--db", db)
    assert result.returncode == 1
    assert result.stderr == f"medlit: no catalog at {db}; build one with: medlit import seeds/ --db {db}\n"
    assert list(tmp_path.iterdir()) == []


def test_a_read_through_medlit_db_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_handled("export", "json")
    assert result.exit_code == 1
    assert "no catalog at catalog.db" in result.stderr
    monkeypatch.setenv("MEDLIT_DB", str(tmp_path / "elsewhere.db"))
    result = run_handled("search", "unet")
    assert result.exit_code == 1
    assert f"no catalog at {tmp_path / 'elsewhere.db'}" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_not_a_catalog(tmp_path):
    result = medlit("search", "--db", tmp_path)
    assert result.returncode == 2  # click refuses it as a usage error
    assert "is a directory" in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ schema versions


def _rewrite(db, script):
    """Run `script` on the catalog in one transaction: it turns it into an older schema."""
    conn = sqlite3.connect(db)
    conn.executescript(f"BEGIN; {script}; COMMIT;")
    conn.close()


def _make_v1(db):
    """What medlit with schema 1 built: datasets without `sources`."""
    _make_v2(db)
    _rewrite(
        db,
        """
        CREATE TABLE datasets_v1 (id INTEGER PRIMARY KEY, name TEXT NOT NULL, url TEXT,
            organs TEXT NOT NULL DEFAULT '[]', names TEXT NOT NULL DEFAULT '[]');
        INSERT INTO datasets_v1 SELECT id, name, url, organs, names FROM datasets;
        DROP TABLE datasets;
        ALTER TABLE datasets_v1 RENAME TO datasets;
        UPDATE meta SET value = '1' WHERE name = 'schema_version'
        """,
    )


def _state(db):
    conn = sqlite3.connect(db)
    version = conn.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()[0]
    columns = [r[1] for r in conn.execute("PRAGMA table_info(datasets)")]
    conn.close()
    return int(version), columns


def test_every_schema_version_has_its_migration():
    assert sorted(catalog.MIGRATIONS) == list(range(2, catalog.SCHEMA_VERSION + 1))


def test_an_older_catalog_is_upgraded_by_a_read(seed_db, tmp_path, papers):
    db = _copy(seed_db, tmp_path)
    _make_v1(db)
    assert _state(db) == (1, ["id", "name", "url", "organs", "names"])
    result = medlit("export", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    assert _state(db) == (catalog.SCHEMA_VERSION, ["id", "name", "url", "organs", "names", "sources"])
    assert exported(db) == papers  # nothing lost on the way
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_older_catalog_is_upgraded_by_an_import(seed_db, tmp_path, papers):
    db = _copy(seed_db, tmp_path)
    _make_v1(db)
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    result = medlit("import", "good.md", "--db", db, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _state(db)[0] == catalog.SCHEMA_VERSION
    titles = {p["title"] for p in exported(db)}
    assert titles == {p["title"] for p in papers} | {"A paper to import"}


def _make_v4(db):
    """What medlit with schema 4 built: no reading_list view, no full-text index."""
    _rewrite(
        db,
        """
        DROP VIEW reading_list;
        DROP TABLE papers_fts;
        UPDATE meta SET value = '4' WHERE name = 'schema_version'
        """,
    )


def test_a_v4_catalog_gets_the_view_and_the_full_text_index(seed_db, tmp_path):
    db = _copy(seed_db, tmp_path)
    _make_v4(db)
    result = medlit("search", "--modality", "CT", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    assert _state(db)[0] == catalog.SCHEMA_VERSION

    def browsed(path):
        conn = sqlite3.connect(path)
        rows = conn.execute("SELECT * FROM reading_list ORDER BY id").fetchall()
        found = conn.execute("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'nodule' ORDER BY rowid")
        return rows, found.fetchall()

    assert browsed(db) == browsed(seed_db)
    assert browsed(db)[1]  # the index was filled from the papers there were


def _make_v2(db):
    """What medlit with schema 2 built: titles not stored for fuzzy search, facets_value."""
    _make_v4(db)
    _rewrite(
        db,
        """
        DROP INDEX papers_with_authors;
        DROP INDEX papers_with_abstract;
        DROP INDEX facets_lookup;
        CREATE INDEX facets_value ON facets(facet, value, paper_id);
        ALTER TABLE papers DROP COLUMN title_search;
        ALTER TABLE papers DROP COLUMN title_hashes;
        UPDATE meta SET value = '2' WHERE name = 'schema_version'
        """,
    )


def test_a_v3_catalog_loses_the_indexes_nothing_reads(seed_db, tmp_path):
    db = _copy(seed_db, tmp_path)
    _make_v4(db)
    _rewrite(
        db,
        """
        ALTER TABLE records ADD COLUMN tail TEXT;
        CREATE INDEX records_tail ON records(year, tail);
        CREATE INDEX keys_title ON keys(title_norm);
        UPDATE meta SET value = '3' WHERE name = 'schema_version'
        """,
    )
    result = medlit("search", "--modality", "CT", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == medlit("search", "--modality", "CT", "--format", "json", "--db", seed_db).stdout
    assert _state(db)[0] == catalog.SCHEMA_VERSION
    assert _search_state(db)[1] == _search_state(seed_db)[1]
    assert not {"records_tail", "keys_title"} & _search_state(db)[1]


def _search_state(db):
    conn = sqlite3.connect(db)
    titles = conn.execute("SELECT id, title_search, title_hashes FROM papers ORDER BY id").fetchall()
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    return titles, indexes


@pytest.mark.parametrize(
    "query", [("unet convolutonal segmentaton lung",), ("--modality", "CT", "--organ", "lung")]
)
def test_a_v2_catalog_is_upgraded_by_its_first_search(seed_db, tmp_path, query):
    """The v3 migration stores every title as fuzzy search reads it, as an import would,
    and the upgraded catalog answers exactly as a fresh one."""
    db = _copy(seed_db, tmp_path)
    _make_v2(db)
    assert _state(db)[0] == 2
    result = medlit("search", *query, "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == medlit("search", *query, "--format", "json", "--db", seed_db).stdout
    assert _state(db)[0] == catalog.SCHEMA_VERSION
    titles, indexes = _search_state(db)
    assert (titles, indexes) == _search_state(seed_db)
    assert "facets_lookup" in indexes and "facets_value" not in indexes
    assert all(text and hashes for _id, text, hashes in titles)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("command", [*READS, ("import", "good.md")], ids=lambda c: c[0])
def test_a_newer_catalog_is_refused_and_left_alone(seed_db, tmp_path, command):
    db = _copy(seed_db, tmp_path)
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE meta SET value = ? WHERE name = 'schema_version'", (str(catalog.SCHEMA_VERSION + 1),)
    )
    conn.commit()
    conn.close()
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    before = db.read_bytes()
    result = medlit(*command, "--db", db, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"medlit: {db} was made by a newer medlit (schema {catalog.SCHEMA_VERSION + 1}, this one reads "
        f"up to {catalog.SCHEMA_VERSION}); upgrade medlit: pip install -U medlit\n"
    )
    assert db.read_bytes() == before


# ------------------------------------------------------------------ locks


@pytest.mark.parametrize("command", [("import", "good.md")], ids=lambda c: c[0])
def test_a_lock_held_too_long_is_named(seed_db, tmp_path, monkeypatch, command):
    """A writer waits for another writer (readers never wait: test_hostile_outputs.py)."""
    db = _copy(seed_db, tmp_path)
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(catalog.connection, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another writer in the middle of its commit
    try:
        result = run_handled(*command, "--db", db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr == (
        f"medlit: {db} is still locked by another medlit after 0.2 s; try again when it has finished\n"
    )
    assert "A paper to import" not in {p["title"] for p in exported(db)}
