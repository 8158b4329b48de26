"""Imports prepared in worker processes: the same catalog as in one process, and no worker
outlives its import, whether a worker dies, the import is killed, or the user presses Ctrl-C."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPORA, ROOT, SEEDS, run

import medlit.importing.parallel

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


def _dump(db: Path) -> dict[str, list]:
    """Every row of every table, ids included (the import date of a file aside)."""
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables if t != "files"}
    out["files"] = conn.execute("SELECT path, sha256, records FROM files ORDER BY path").fetchall()
    conn.close()
    return out


def _lists(folder: Path, n: int, rows_per_file: int) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    generate.write(n, folder, rows_per_file=rows_per_file)
    return folder


def _build(tmp_path: Path, workers: str, monkeypatch) -> tuple[dict, int]:
    """Seeds, corpora and generated lists in several imports, one of them of edited files."""
    started = []
    real = medlit.importing.parallel._Worker.__init__

    def counted(self):
        started.append(self)
        real(self)

    monkeypatch.setattr(medlit.importing.parallel._Worker, "__init__", counted)
    monkeypatch.setenv(medlit.importing.parallel.WORKERS_ENV, workers)
    db = tmp_path / workers / "catalog.db"  # files are named from here: lists/list_001.md
    lists = _lists(tmp_path / workers / "lists", 3000, rows_per_file=700)
    sources = [SEEDS, lists] + ([CORPORA] if CORPORA.is_dir() else [])
    assert run("import", *sources, "--db", db, "-q").exit_code == 0
    for path in sorted(lists.glob("*.md"))[::2]:  # every other list edited: rows change, go, come
        lines = path.read_text(encoding="utf-8").split("\n")
        edited = [
            line.replace(" for ", " for the ", 1) if i % 7 == 0 else line for i, line in enumerate(lines)
        ]
        path.write_text("\n".join(line for i, line in enumerate(edited) if i % 11 != 5), encoding="utf-8")
    assert run("import", *sources, "--db", db, "-q").exit_code == 0
    return _dump(db), len(started)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_workers_build_the_same_catalog_as_one_process(tmp_path, monkeypatch, workers):
    alone, none_started = _build(tmp_path, "0", monkeypatch)
    together, started = _build(tmp_path, workers, monkeypatch)
    assert none_started == 0 and started == 2 * int(workers)  # both imports used them
    assert together == alone
    assert len(alone["papers"]) > (3000 if CORPORA.is_dir() else 2500)  # the lists were read


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _start_import(tmp_path: Path, workers: str, rows: int = 20_000):
    lists = _lists(tmp_path / "lists", rows, rows_per_file=rows // 2)
    db = tmp_path / "catalog.db"
    assert run("import", SEEDS, "--db", db, "-q").exit_code == 0
    before = _dump(db)
    env = {k: v for k, v in os.environ.items() if k not in ("MEDLIT_DEBUG", "MEDLIT_DB")}
    env[medlit.importing.parallel.WORKERS_ENV] = workers
    process = subprocess.Popen(
        [sys.executable, "-m", "medlit", "import", str(lists), "--db", str(db), "-q"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    deadline = time.monotonic() + 60
    workers_seen: list[int] = []
    while time.monotonic() < deadline and process.poll() is None:
        workers_seen = _children(process.pid)
        if len(workers_seen) == int(workers):
            break
        time.sleep(0.005)
    assert len(workers_seen) == int(workers), "the workers never started"
    return process, workers_seen, db, before


def _all_gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    return not any(_alive(p) for p in pids)


def test_a_worker_that_dies_fails_the_import_and_changes_nothing(tmp_path):
    process, workers, db, before = _start_import(tmp_path, "1")
    os.kill(workers[0], signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, err
    assert err.startswith("medlit: a medlit worker process stopped (exit code -9) while reading ")
    assert err.count("\n") == 1 and "Traceback" not in err and out == ""
    assert _dump(db) == before


def test_kill_9_of_the_import_ends_its_workers(tmp_path):
    process, workers, db, before = _start_import(tmp_path, "2")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _all_gone(workers), "a worker outlived its import"
    assert _dump(db) == before  # the next opener rolled the half import back


def test_ctrl_c_ends_the_import_and_its_workers(tmp_path):
    process, workers, db, before = _start_import(tmp_path, "2")
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err == "medlit: interrupted; nothing was changed\n" and out == ""
    assert _all_gone(workers)
    assert _dump(db) == before
