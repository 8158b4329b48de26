"""The import engine: a first import into an empty catalog (indexes built at the end) and
imports one file at a time build the same catalog, with every index of the schema."""

from __future__ import annotations

import sqlite3
import sys

from conftest import ROOT, exported, run

from medlit import catalog


def test_an_empty_catalog_and_a_growing_one_end_alike(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    lists = generate.write(1500, tmp_path / "lists", rows_per_file=600)
    assert len(lists) >= 3
    at_once, one_by_one = tmp_path / "once.db", tmp_path / "steps.db"
    assert run("import", *lists, "--db", at_once, "-q").exit_code == 0
    for n in range(1, len(lists) + 1):
        assert run("import", *lists[:n], "--db", one_by_one, "-q").exit_code == 0
    papers = exported(at_once)
    assert len(papers) == 1500  # every generated paper, none merged into another
    assert papers == exported(one_by_one)
    for db in (at_once, one_by_one):
        conn = sqlite3.connect(db)
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert set(catalog.indexes("records", "facets", "mentions", "papers")) <= have
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
