"""Preparing documents in worker processes, so that a large import uses every core.

The importer must match and write records in file order, one at a time; reading and
preparing documents (prepare.py) needs no catalog and can run ahead. Each worker is
`python -m medlit.importing.parallel`: it reads (bytes, name, suffix) tasks from its stdin and writes
the parts `prepare` yields to its stdout, as length-prefixed pickles. A worker stops when its
stdin closes, so none outlives an import, not even one killed with SIGKILL.

Small imports are prepared in-process: at 10k papers (one 2 MiB list) a worker saves nothing.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from medlit.errors import CatalogError

WORKERS_ENV = "MEDLIT_WORKERS"  # how many worker processes; 0 prepares in-process
PARALLEL_BYTES = 8 * 2**20  # under this (about 35k table rows) a worker does not pay for itself
MAX_WORKERS = 2
_END = "end"  # a file's last part
_FRAME = 8  # bytes of a part's length
_MARSHAL, _PICKLE = b"m", b"p"  # how a part is written (see _write)
PIPE_BYTES = 2**20  # what Linux lets any process ask for (/proc/sys/fs/pipe-max-size)


class Preparer:
    """Hands out files to prepare and gives back their parts, in the order submitted."""

    def __init__(self, total_bytes: int):
        wanted = os.environ.get(WORKERS_ENV)
        if wanted is not None and wanted.strip().isdigit():
            self.count = int(wanted)
        elif total_bytes >= PARALLEL_BYTES:
            # on 2 cores one or two workers import 100k papers in 15-17 s (within the noise
            # of each other), none in 19 s; two read two lists at once
            self.count = min(MAX_WORKERS, os.cpu_count() or 1)
        else:
            self.count = 0
        self.workers: list[_Worker] = []
        self.submitted = 0

    def submit(self, data: bytes, name: str, suffix: str) -> Iterator:
        """The parts of one file (see prepare.prepare), read lazily. Iterators of files given
        to one worker must be read in the order they were submitted, as the importer does."""
        if not self.count:
            from medlit.importing.prepare import prepare

            return prepare(data, name, suffix)
        if not self.workers:
            self.workers = [_Worker() for _ in range(self.count)]
        worker = self.workers[self.submitted % self.count]
        self.submitted += 1
        worker.send((data, name, suffix))
        return worker.parts(name)

    def close(self, abandon: bool = False) -> None:
        """Let the workers go; `abandon` (the import failed or was interrupted) stops them at once."""
        for worker in self.workers:
            worker.stop(abandon)
        self.workers = []

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(abandon=exc_type is not None)


class _Worker:
    def __init__(self):
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        # the worker runs this very medlit, wherever it was imported from
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        env["OPENBLAS_NUM_THREADS"] = "1"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "medlit.importing.parallel"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if os.environ.get("MEDLIT_DEBUG") else subprocess.DEVNULL,
            env=env,
        )
        # a part of 1000 prepared records is about 2 MiB: fewer turns between the processes
        with contextlib.suppress(ImportError, AttributeError, OSError):  # Linux only
            import fcntl

            fcntl.fcntl(self.process.stdout.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)

    def send(self, task: tuple) -> None:
        try:
            _write(self.process.stdin, task)
        except (BrokenPipeError, OSError):
            raise self._gone(f" while reading {task[1]}") from None

    def parts(self, name: str) -> Iterator:
        while True:
            part = _read(self.process.stdout)
            if part is None:
                raise self._gone(f" while reading {name}")
            if part == _END:
                return
            yield part

    def _gone(self, where: str) -> CatalogError:
        code = self.process.wait()
        return CatalogError(
            f"a medlit worker process stopped (exit code {code}){where}; nothing was imported. "
            f"Rerun with {WORKERS_ENV}=0 to read in one process, or MEDLIT_DEBUG=1 to see why"
        )

    def stop(self, abandon: bool) -> None:
        if abandon:
            self.process.kill()
        for stream in (self.process.stdin, self.process.stdout):  # ends the worker's loop
            with contextlib.suppress(OSError):
                stream.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # busy with a file nobody wants any more
            self.process.kill()
            self.process.wait()


def _write(stream, item) -> None:
    """An item, framed: a chunk of prepared records (plain tuples, strings and numbers) with
    marshal, which both processes, one interpreter, read alike at 60% of pickle's cost; the
    rest (a file's header, a task) with pickle."""
    try:
        payload = _MARSHAL + marshal.dumps(item) if type(item) is list else b""
    except ValueError:  # something marshal cannot write
        payload = b""
    payload = payload or _PICKLE + pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(payload).to_bytes(_FRAME, "little") + payload)
    stream.flush()


def _read(stream):
    """The next item on a stream, or None at its end."""
    head = stream.read(_FRAME)
    if len(head) < _FRAME:
        return None
    size = int.from_bytes(head, "little")
    payload = stream.read(size)
    if len(payload) < size:
        return None
    body = memoryview(payload)[1:]
    return marshal.loads(body) if payload[:1] == _MARSHAL else pickle.loads(body)


def serve() -> None:
    """A worker's life: prepare each file its stdin names until stdin closes.

    Parts are pickled and written by a thread, so that the next ones are prepared while the
    importer is still busy with these: the worker runs up to a file ahead.
    """
    import gc
    import queue
    import signal
    import threading

    from medlit.importing.prepare import prepare
    from medlit.registry import registry

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importer's to handle
    # reading makes few reference cycles: BibTeX ones (151k objects for a thesis' .bib), freed
    # by a collection after each such file, and a few dozen a Markdown file. Collecting while
    # reading only walked the file's records, a tenth of the worker's time; collecting after
    # every file walked the parts still queued for the importer, a quarter of a second
    gc.disable()
    tasks = sys.stdin.buffer
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print cannot corrupt the parts
    pending: queue.SimpleQueue = queue.SimpleQueue()

    def send() -> None:
        try:
            while (part := pending.get()) is not None:
                _write(out, part)
        except OSError:  # the importer is gone: stop reading too
            os._exit(0)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    while (task := _read(tasks)) is not None:
        data, name, suffix = task
        for part in prepare(data, name, suffix):
            pending.put(part)
        pending.put(_END)
        if not getattr(registry().reader_for(suffix), "markdown", True):  # BibTeX, say
            gc.collect()
    pending.put(None)
    sender.join()
    out.flush()
    # every part is written: tearing down the interpreter (freeing what the last file left
    # in caches, a final garbage collection) would only keep the importer waiting
    os._exit(0)


if __name__ == "__main__":
    serve()
