"""An import larger than what it keeps in memory builds the same catalog.

Records of new papers beyond KEPT_RECORDS are read back from the catalog for the merge, and
merged new papers beyond KEPT_PAPERS are written before their keys are given; both paths
must give exactly the catalog the in-memory path gives. The caps are lowered here so that
the seeds and a generated list cross them many times.
"""

from __future__ import annotations

import sqlite3
import sys

from conftest import CORPORA, ROOT, SEEDS, run

from medlit import importer, writes


def _catalog(db) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    tables = ("papers", "records", "facets", "keys", "mentions", "datasets", "paper_datasets")
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}


def test_caps_crossed_build_the_same_catalog(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    generate.write(600, tmp_path / "lists")
    sources = [SEEDS, tmp_path / "lists"] + ([CORPORA] if CORPORA.is_dir() else [])
    first = tmp_path / "in-memory.db"
    assert run("import", *sources, "--db", first, "-q").exit_code == 0

    monkeypatch.setattr(importer, "KEPT_RECORDS", 5)
    monkeypatch.setattr(importer, "KEPT_PAPERS", 7)
    # and rows written in many small batches and statements
    monkeypatch.setattr(importer, "MERGED_BATCH", 2)
    monkeypatch.setattr(importer, "KEYED_BATCH", 3)
    monkeypatch.setattr(writes, "ROWS_A_STATEMENT", 4)
    second = tmp_path / "spilled.db"
    assert run("import", *sources, "--db", second, "-q").exit_code == 0

    one, other = _catalog(first), _catalog(second)
    assert len(one["papers"]) > 600
    assert all(key for _id, key, *_ in one["papers"])
    assert one == other
