"""The import's SQLite writes: multi-row statements, and references checked before the commit."""

from __future__ import annotations

import sqlite3

import pytest

from medlit import catalog
from medlit.importing import engine as importer
from medlit.importing import writes
from medlit.importing.writes import Writes


@pytest.fixture
def conn(tmp_path):
    conn = catalog.connect(tmp_path / "c.db", create=True, shared=True)
    conn.execute("BEGIN")
    catalog.ensure_schema(conn)
    yield conn
    conn.close()


@pytest.mark.parametrize("threaded", [False, True])
def test_insert_writes_every_row_in_order_within_the_variable_limit(conn, monkeypatch, threaded):
    monkeypatch.setattr(writes, "ROWS_A_STATEMENT", 7)
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 10)  # 3 rows of 3 values a statement
    db = Writes(conn, threaded)
    rows = [(f"key{i}", f"title {i}", i) for i in range(50)]
    db.insert("INSERT OR FAIL INTO keys VALUES (?, ?, ?)", rows)
    db.now()
    db.close()
    assert conn.execute("SELECT key, title_norm, paper_id FROM keys ORDER BY rowid").fetchall() == rows


def test_an_upsert_updates_the_rows_that_exist(conn):
    db = Writes(conn, threaded=False)
    db.insert("INSERT OR FAIL INTO keys VALUES (?, ?, ?)", [("a", "one", 1), ("b", "two", 2)])
    db.insert(
        "INSERT OR FAIL INTO keys VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET paper_id = excluded.paper_id",
        [("a", "ignored", 10), ("c", "three", 3)],
    )
    assert conn.execute("SELECT * FROM keys ORDER BY key").fetchall() == [
        ("a", "one", 10),
        ("b", "two", 2),
        ("c", "three", 3),
    ]


def test_insert_refuses_a_statement_that_would_copy_every_page(conn):
    with pytest.raises(AssertionError):
        Writes(conn, threaded=False).insert("INSERT INTO keys VALUES (?, ?, ?)", [("a", "b", 1)])


def test_a_row_without_its_paper_is_never_committed(tmp_path):
    conn = catalog.connect(tmp_path / "c.db", create=True)
    conn.execute("PRAGMA foreign_keys = OFF")  # as during an import
    conn.execute("BEGIN")
    catalog.ensure_schema(conn)
    conn.execute("INSERT INTO facets VALUES (404, 'organ', 'lung', 1, 0)")
    with pytest.raises(RuntimeError, match="facets"):
        importer._check_references(conn)


def test_an_import_leaves_references_checked_on_its_connection(tmp_path):
    from conftest import SEEDS

    conn = catalog.connect(tmp_path / "c.db", create=True)
    importer.run_import(conn, sorted(SEEDS.glob("*"))[:1], tmp_path)
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0] > 0
