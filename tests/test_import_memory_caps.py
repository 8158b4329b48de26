"""Every path an import can take builds the same catalog.

Records of new papers beyond KEPT_RECORDS are read back from the catalog for the merge; an
import into an empty catalog reads nothing back and builds the records' indexes at the end.
Each must give exactly the catalog of the plain path. The cap is lowered here so that the
seeds and a generated list cross it many times.
"""

from __future__ import annotations

import sqlite3
import sys

from conftest import CORPORA, ROOT, SEEDS, run

from medlit import catalog
from medlit.importing import engine as importer
from medlit.importing import writes

TABLES = ("papers", "records", "facets", "keys", "mentions", "datasets", "paper_datasets")


def _sources(tmp_path) -> list:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    generate.write(600, tmp_path / "lists")
    return [SEEDS, tmp_path / "lists"] + ([CORPORA] if CORPORA.is_dir() else [])


def _imported(sources: list, db) -> dict[str, list[tuple]]:
    assert run("import", *sources, "--db", db, "-q").exit_code == 0
    conn = sqlite3.connect(db)
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}


def test_caps_crossed_build_the_same_catalog(tmp_path, monkeypatch):
    sources = _sources(tmp_path)
    one = _imported(sources, tmp_path / "in-memory.db")

    monkeypatch.setattr(importer, "KEPT_RECORDS", 5)
    # and rows written in many small batches and statements
    monkeypatch.setattr(importer, "MERGED_BATCH", 2)
    monkeypatch.setattr(writes, "ROWS_A_STATEMENT", 4)
    other = _imported(sources, tmp_path / "spilled.db")

    assert len(one["papers"]) > 600
    assert all(key for _id, key, *_ in one["papers"])
    assert one == other


def test_an_empty_catalog_is_filled_as_any_other_and_gets_every_index(tmp_path, monkeypatch):
    sources = _sources(tmp_path)
    empty = tmp_path / "empty.db"
    one = _imported(sources, empty)
    monkeypatch.setattr(importer, "_nothing_imported", lambda conn: False)  # read it back
    other = _imported(sources, tmp_path / "read-back.db")

    assert len(one["papers"]) > 600 and one["datasets"]
    assert one == other
    made = sqlite3.connect(empty).execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    )
    # every index of the schema, the user's decisions' tables included
    assert {name for (name,) in made} == set(catalog.indexes(*TABLES, "decisions", "tags"))
