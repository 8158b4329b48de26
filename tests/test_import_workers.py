"""Large imports prepare their documents in worker processes (importing/pool.py): the catalog
they write is the one an import in one process writes, row for row, ids and keys included."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import sys
import threading

from conftest import ROOT, SEEDS, run, run_handled

import medlit.readers
from medlit.importing import pool

# every table an import writes, in a stable order (the files table without its import time)
TABLES = {
    "papers": "SELECT * FROM papers ORDER BY id",
    "records": "SELECT * FROM records ORDER BY id",
    "facets": "SELECT * FROM facets ORDER BY paper_id, facet, value",
    "keys": "SELECT * FROM keys ORDER BY key",
    "mentions": "SELECT * FROM mentions ORDER BY id",
    "datasets": "SELECT * FROM datasets ORDER BY id",
    "paper_datasets": "SELECT * FROM paper_datasets ORDER BY paper_id, dataset_id",
    "files": "SELECT path, sha256, records FROM files ORDER BY path",
}


def _tables(db) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        conn.close()


def _lists(folder, broken: bool = False):
    """Generated lists in three files and the seeds (papers merged across documents, a .bib);
    `broken`: and a file no reader can read."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    generate.write(1200, folder / "generated", rows_per_file=500)
    shutil.copytree(SEEDS, folder / "seeds")
    if broken:
        (folder / "seeds" / "broken.md").write_bytes(b"\x00\x01binary")
    return folder


def test_workers_write_the_catalog_one_process_writes(tmp_path):
    lists = _lists(tmp_path / "lists", broken=True)
    outputs = {}
    for workers in ("2", "0"):
        db = tmp_path / f"workers-{workers}.db"
        result = run("import", lists, "--db", db, env={"MEDLIT_WORKERS": workers})
        outputs[workers] = (result.exit_code, result.stdout, result.stderr.replace(str(db), "DB"))
    # the unreadable file is named (exit code 1) and the others land
    assert outputs["2"][0] == 1 and "broken.md: a binary file" in outputs["2"][2]
    assert outputs["2"] == outputs["0"]
    with_workers, in_process = _tables(tmp_path / "workers-2.db"), _tables(tmp_path / "workers-0.db")
    assert len(with_workers["papers"]) > 1200
    for name in TABLES:
        assert with_workers[name] == in_process[name], name


def test_workers_skip_what_did_not_change(tmp_path):
    lists = _lists(tmp_path / "lists")
    db = tmp_path / "catalog.db"
    env = {"MEDLIT_WORKERS": "2"}
    assert run("import", lists, "--db", db, "-q", env=env).exit_code == 0
    before = _tables(db)
    again = run("import", lists, "--db", db, env=env)
    assert again.exit_code == 0, again.stderr
    assert again.stderr.count("unchanged") == len(before["files"]), again.stderr
    assert _tables(db) == before


def test_a_worker_that_dies_leaves_the_catalog_as_it_was(tmp_path, monkeypatch):
    lists = _lists(tmp_path / "lists")
    db = tmp_path / "catalog.db"
    assert run("import", lists / "seeds", "--db", db, "-q").exit_code == 0
    before = _tables(db)

    read_bytes = medlit.readers.read_bytes

    def die(data, name, suffix):  # a worker killed while reading (forked: it has this patch too)
        if multiprocessing.parent_process() is not None:
            os._exit(9)
        return read_bytes(data, name, suffix)  # the importer's own file

    monkeypatch.setattr("medlit.readers.read_bytes", die)
    monkeypatch.setenv("MEDLIT_WORKERS", "2")
    result = run_handled("import", lists, "--db", db)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "worker process stopped" in lines[0] and "MEDLIT_WORKERS=0" in lines[0]
    assert "Traceback" not in result.stderr
    assert _tables(db) == before


def test_a_worker_for_each_large_list_but_the_first(tmp_path, monkeypatch):
    monkeypatch.delenv("MEDLIT_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    small = tmp_path / "small.md"
    small.write_text("| Title |\n|---|\n| A paper |\n")
    large = [tmp_path / f"large-{n}.md" for n in range(3)]
    for path in large:
        with open(path, "wb") as f:
            f.truncate(pool.LARGE_BYTES)
    named = [(p, p.name) for p in (small, *large)]
    assert pool.workers(named[:2]) == 0  # one large list: the importer reads it itself
    assert pool.workers(named[:3]) == 1  # the importer prepares one, a worker the other
    assert pool.workers(named) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert pool.workers(named) == 1  # a core for the importer, one for a worker
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert pool.workers(named) == 0
    monkeypatch.setenv("MEDLIT_WORKERS", "0")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert pool.workers(named) == 0
    monkeypatch.delenv("MEDLIT_WORKERS")
    assert pool.workers(named) == 2
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # a caller with a thread of its own: no fork
    other.start()
    try:
        assert pool.workers(named) == 0
    finally:
        stop.set()
        other.join()
