"""The full-text index and the reading_list view stay in step with what imports write."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, exported, run

DOC = """# Lab list

| Title | Modality | Organ | Year |
|---|---|---|---|
| Quantum widget segmentation of spleens in CT | CT | spleen | 2021 |
| Capsule networks for liver lesions | MRI | liver | 2019 |
"""


def _matches(db: Path, words: str) -> set[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT key FROM reading_list WHERE id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)",
        (words,),
    ).fetchall()
    conn.close()
    return {r[0] for r in rows}


def _index_matches_papers(db: Path) -> None:
    """FTS5's own check: with rank 1 it compares the index with the papers it reads."""
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()


def test_an_import_keeps_the_index_in_step(tmp_path):
    doc = tmp_path / "list.md"
    doc.write_text(DOC, encoding="utf-8")
    db = tmp_path / "catalog.db"
    assert run("import", doc, "--db", db, "-q").exit_code == 0
    _index_matches_papers(db)
    widget = _matches(db, "widget")
    assert len(widget) == 1 and _matches(db, "spleens") == widget
    assert len(_matches(db, "network")) == 1  # the stem: "networks" in the title

    doc.write_text(DOC.replace("Quantum widget", "Quantum gadget"), encoding="utf-8")
    assert run("import", doc, "--db", db, "-q").exit_code == 0
    _index_matches_papers(db)
    assert _matches(db, "widget") == set()
    assert len(_matches(db, "gadget")) == 1

    assert run("import", doc, "--db", db, "-q").exit_code == 0  # unchanged: nothing to rebuild
    _index_matches_papers(db)
    assert len(_matches(db, "gadget")) == 1


def test_the_seed_catalog_index_finds_authors_and_abstracts(seed_db):
    _index_matches_papers(seed_db)
    papers = exported(seed_db)
    with_abstract = next(p for p in papers if p["abstract"])
    word = "witnessed"  # in qayyum2017medical's abstract, not in its title
    assert word in with_abstract["abstract"] and word not in with_abstract["title"]
    assert with_abstract["key"] in _matches(seed_db, word)
    assert _matches(seed_db, "Gulshan") == {
        p["key"] for p in papers if any("Gulshan" in a for a in p["authors"])
    }


def test_the_shipped_catalog_has_its_index_and_view():
    db = ROOT / "catalog.db"
    _index_matches_papers(db)
    conn = sqlite3.connect(db)
    assert (
        conn.execute("SELECT COUNT(*) FROM reading_list").fetchone()
        == conn.execute("SELECT COUNT(*) FROM papers").fetchone()
    )


def test_bench_fts_rebuild_runs(seed_db, tmp_path):
    copy = tmp_path / "catalog.db"
    shutil.copy(seed_db, copy)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fts_rebuild.py"), str(copy), "--runs", "2"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("90 papers: rebuild median ")


def test_a_v7_catalog_gets_tags_and_notes_in_its_view(seed_db, tmp_path):
    db = tmp_path / "catalog.db"
    shutil.copy(seed_db, db)
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        BEGIN;
        DROP VIEW reading_list;
        CREATE VIEW reading_list AS SELECT id, key, title FROM papers;
        UPDATE meta SET value = '7' WHERE name = 'schema_version';
        COMMIT;
        """
    )
    conn.close()
    assert run("tag", "kim2021paip", "lab", "--db", db).exit_code == 0  # its first write upgrades it
    conn = sqlite3.connect(db)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(reading_list)")]
    assert {"tags", "note", "organ", "doi"} <= set(columns)
    assert conn.execute("SELECT tags FROM reading_list WHERE key = 'kim2021paip'").fetchone() == ('["lab"]',)
