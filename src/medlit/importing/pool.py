"""Preparing documents (prepare.py) in worker processes while the importer prepares the
first itself and then matches, so that an import of several large lists uses every core;
smaller imports prepare in-process.

Entries come back in the order of the files, whoever prepared them: the catalog an import
writes is the same row for row (ids included) with workers or without. What it pays: 100k
papers in three lists, 47.0 -> 36.1 s (paired runs, bench/README.md).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from medlit.errors import CatalogError
from medlit.importing.prepare import prepare_file

WORKERS_ENV = "MEDLIT_WORKERS"  # how many worker processes; 0 prepares in-process
MAX_WORKERS = 2
# a list of 1 MiB is about 4,500 table rows: below that, a worker costs more than it saves
# (starting it, sending the entries back); workers pay when another large list is prepared
# meanwhile, by the importer or another worker
LARGE_BYTES = 2**20


def prepared(paths: list[tuple[Path, str]], digests: dict[str, str], fingerprint: str) -> Iterator[tuple]:
    """(report, digest, Prepared or None) of each (path, stored name), in order."""
    count = workers(paths)
    if not count:
        for path, name in paths:
            yield prepare_file(path, name, digests.get(name), fingerprint)
        return
    yield from _in_workers(paths, digests, fingerprint, count)


def workers(paths: list[tuple[Path, str]]) -> int:
    """How many worker processes: MEDLIT_WORKERS, else one for each large list but the
    first, which the importer prepares itself (at most MAX_WORKERS, and a core for each);
    none where processes cannot be forked safely."""
    import threading

    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted.isdigit():
        count = min(int(wanted), len(paths) - 1)
    elif threading.active_count() > 1:
        # a caller with threads (a notebook's kernel, a web server): a forked child has only
        # this thread, and a lock another thread held stays locked in it (Python 3.12 warns)
        count = 0
    else:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        large = sum(_size(path) >= LARGE_BYTES for path, _name in paths)
        count = min(MAX_WORKERS, cores - 1, large - 1)
    # Linux only: a fork is unsafe on macOS (its system libraries) and there is none on Windows
    return max(count, 0) if sys.platform.startswith("linux") else 0


def _in_workers(paths, digests, fingerprint, count) -> Iterator[tuple]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # forked: a spawned worker would run the caller's main script again (a notebook's or a
    # script's without a __main__ guard); the fork comes before the progress bar's thread
    pool = ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start
    )
    finished = False
    (first, first_name), rest = paths[0], paths[1:]
    try:
        futures = [
            pool.submit(prepare_file, path, name, digests.get(name), fingerprint, True) for path, name in rest
        ]
        # the importer's own file: each record's paper worked out now, while the workers work
        yield prepare_file(first, first_name, digests.get(first_name), fingerprint, True)
        for (_path, name), future in zip(rest, futures, strict=True):
            try:
                yield future.result()
            except BrokenProcessPool:
                raise CatalogError(
                    f"a medlit worker process stopped while reading {name}; nothing was imported. "
                    f"Rerun with {WORKERS_ENV}=0 to read in one process"
                ) from None
        finished = True
    finally:
        if not finished:  # failed or interrupted: the workers' files are not waited for
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=finished, cancel_futures=True)


def _worker_start() -> None:
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importer's to handle
    # a file's entries make no reference cycles: the collector would walk them again and again
    gc.disable()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
