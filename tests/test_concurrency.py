"""Several processes on one catalog at once, and an import killed with SIGKILL: writers wait for
the lock, readers see one state, nothing is doubled or lost, and the catalog stays consistent."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import exported, medlit, run

from medlit import catalog

WORDS = (
    "deep learning lung nodule segmentation detection brain tumor liver lesion retinal cardiac "
    "network attention residual adversarial unsupervised registration fusion classification "
    "prostate mammography ultrasound histology pathology reconstruction denoising transfer"
).split()


def _table(path, tag: str, rows: int) -> None:
    """A pipe table of `rows` distinct papers (random words: titles too alike would be merged)."""
    rng = random.Random(tag)
    lines = ["# Papers", "", "| Title | Year | Modality | Organ |", "|---|---|---|---|"]
    for i in range(rows):
        words = " ".join(rng.choice(WORDS) for _ in range(9))
        lines.append(f"| {words} {tag} {i} | {2010 + i % 12} | CT | lung |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _start(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("MEDLIT_DEBUG", "MEDLIT_DB")}
    return subprocess.Popen(
        [sys.executable, "-m", "medlit", *map(str, args)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as a terminal's user sends it: a pytest run in the background (`pytest &`)
        # ignores SIGINT, and a child would inherit that and never hear it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _consistent(db) -> dict[str, int]:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    counts = dict(
        zip(
            ("papers", "keys", "titles", "records"),
            conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT key), COUNT(DISTINCT title_norm), "
                "(SELECT COUNT(*) FROM records) FROM papers"
            ).fetchone(),
            strict=True,
        )
    )
    assert conn.execute("SELECT COUNT(*) FROM papers WHERE key IS NULL").fetchone()[0] == 0
    conn.close()
    assert counts["papers"] == counts["keys"] == counts["titles"]  # nothing doubled
    return counts


def test_concurrent_imports_wait_for_each_other_and_readers_never_fail(tmp_path):
    files = 6
    rows = 150
    for n in range(files):
        _table(tmp_path / f"doc{n}.md", f"d{n}", rows)
    db = tmp_path / "catalog.db"
    _table(tmp_path / "base.md", "base", 1)
    assert medlit("import", "base.md", "--db", db, "-q", cwd=tmp_path).returncode == 0
    jobs = [("import", f"doc{n}.md") for n in range(files)]
    jobs += [("import", "doc0.md")] * 3  # the same file, three more times at once
    jobs += [("import", "doc1.md", "doc2.md", "doc5.md")]
    writers = [_start(*job, "--db", db, "-q", cwd=tmp_path) for job in jobs]
    reads_during_writes = 0
    while any(w.poll() is None for w in writers):
        reader = medlit("search", "lung nodule", "--organ", "lung", "--db", db, "-f", "keys", cwd=tmp_path)
        assert reader.returncode == 0, reader.stderr
        assert "Traceback" not in reader.stderr
        reads_during_writes += 1
    outcomes = [(w.wait(), w.communicate()) for w in writers]
    for code, (out, err) in outcomes:
        assert code == 0, err
        assert out == "" and err == ""
    assert reads_during_writes >= 1
    counts = _consistent(db)
    assert counts["papers"] == counts["records"] == files * rows + 1  # nothing lost, nothing doubled
    again = medlit("import", *(f"doc{n}.md" for n in range(files)), "--db", db, cwd=tmp_path)
    assert again.stderr.count("unchanged") == files


def test_a_search_sees_one_state_while_an_import_commits(seed_db, tmp_path, monkeypatch):
    """An import that commits between a search's queries must not change what the search
    sees: before, the search crashed (zip of ids and papers of different lengths) or mixed
    two states. In WAL mode the writer does not even wait for the reader (issue 19, item 13)."""
    db = tmp_path / "catalog.db"
    shutil.copy(seed_db, db)
    expected = run("search", "unet segmentation", "--db", db, "-f", "json").stdout  # json loads full papers
    real = catalog.load_papers
    attempts: list[str] = []

    def an_import_commits_now(conn, ids=None, **kwargs):
        other = sqlite3.connect(db, timeout=0.2)
        try:
            other.execute("DELETE FROM facets")
            other.execute("DELETE FROM records")
            other.execute("DELETE FROM papers")
            other.commit()
            attempts.append("committed")
        except sqlite3.OperationalError as exc:
            other.rollback()
            attempts.append(str(exc))
        finally:
            other.close()
        return real(conn, ids, **kwargs)

    monkeypatch.setattr(catalog, "load_papers", an_import_commits_now)
    result = run("search", "unet segmentation", "--db", db, "-f", "json")
    assert result.exit_code == 0
    assert result.stdout == expected != ""
    assert attempts == ["committed"]  # the writer did not wait for the reader
    assert run("search", "--db", db, "-f", "keys").stdout == ""  # and the next search sees its commit


def _wait_until(process, ready) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and not ready():
        time.sleep(0.002)


def _size(path) -> int:
    return path.stat().st_size if path.exists() else -1


@pytest.mark.parametrize("case", ["first write", "pages spilled into the log", "edited file"])
def test_kill_9_mid_import_leaves_the_catalog_as_it_was(seed_db, tmp_path, case):
    rows = 2500
    db = tmp_path / "catalog.db"
    shutil.copy(seed_db, db)
    big = tmp_path / "big.md"
    if case == "edited file":
        _table(big, "first", rows)
        assert medlit("import", big, "--db", db, "-q").returncode == 0
        _table(big, "second", rows)  # every paper changes
    else:
        _table(big, "big", rows)
    before = exported(db)
    counts_before = _consistent(db)
    size = _size(db)
    log = tmp_path / "catalog.db-wal"  # the catalog is in WAL mode: a write goes to the log first
    ready = {
        "first write": lambda: _size(log) > 0,
        # the transaction outgrew SQLite's page cache: its pages spill into the log
        "pages spilled into the log": lambda: _size(log) > 2**20,
        "edited file": lambda: _size(log) > 2**18,
    }[case]
    writer = _start("import", big, "--db", db, "-q", cwd=tmp_path)
    _wait_until(writer, ready)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert writer.returncode == -signal.SIGKILL, "the import ended before it was killed"
    assert _size(log) > 0  # a log of a transaction never committed: the next opener ignores it
    assert _size(db) == size  # the catalog file itself was not touched

    assert exported(db) == before
    _consistent(db)
    result = medlit("import", big, "--db", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    counts = _consistent(db)
    added = rows if case != "edited file" else 0  # an edited file replaces its papers
    assert counts["papers"] == counts_before["papers"] + added
    assert counts["records"] == counts_before["records"] + added
    assert medlit("import", big, "--db", db, cwd=tmp_path).stderr.startswith("big.md: unchanged")


def test_ctrl_c_mid_import_rolls_back_and_exits_130(seed_db, tmp_path):
    db = tmp_path / "catalog.db"
    shutil.copy(seed_db, db)
    before = exported(db)
    _table(tmp_path / "big.md", "big", 2500)
    writer = _start("import", "big.md", "--db", db, "-q", cwd=tmp_path)
    log = tmp_path / "catalog.db-wal"
    _wait_until(writer, lambda: _size(log) > 0)
    writer.send_signal(signal.SIGINT)
    out, err = writer.communicate()
    assert writer.returncode == 130, err
    assert err == "medlit: interrupted; nothing was changed\n" and out == ""
    assert not log.exists()  # rolled back by medlit itself, and the log removed as it closed
    assert exported(db) == before
    _consistent(db)


def test_a_search_never_waits_for_a_new_catalogs_first_import(tmp_path):
    """A catalog is in WAL mode from its first write: a reader of one that an import is still
    building answers at once (there is no catalog yet), it does not queue behind the writer."""
    db = tmp_path / "catalog.db"
    _table(tmp_path / "big.md", "first", 15000)
    writer = _start("import", "big.md", "--db", db, "-q", cwd=tmp_path)
    _wait_until(writer, lambda: _size(tmp_path / "catalog.db-wal") > 2**20)  # pages spilled
    result = medlit("search", "lung", "--db", db, "-f", "keys")
    still_writing = writer.poll() is None
    writer.communicate()
    assert writer.returncode == 0
    assert still_writing, "the import ended before the search did: give it a longer list"
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"medlit: {db} is being built by an import that is still running; run this again when it ends\n"
    )
