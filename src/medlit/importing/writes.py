"""An import's SQLite work, queued to a thread of its own.

sqlite3 lets go of the GIL while SQLite inserts, so the importer can match the next records
while the last ones are written. The connection is never used by two threads at once: work
is queued (`later`, `ask`) and runs in the order given; `now` waits until all of it is done
and hands the connection back to the caller's thread.

Without a thread (small imports, or a connection that cannot be shared) the same calls run
at once, in the same order, so both ways build the same catalog.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from typing import Any

# sqlite3 takes the GIL back after every step of a statement; while the importer runs Python,
# the write thread waits a whole switch interval (5 ms by default) for it each time
SWITCH_INTERVAL = 0.0002
# rows inserted by one statement (see `insert`): executemany steps once a row, and each step
# waited for the GIL; at 100k papers the write thread spent twice SQLite's own time waiting
ROWS_A_STATEMENT = 1000
VALUES_A_STATEMENT = 4000  # and at most this many values (a paper's row has 21, a facet's 5)


class Writes:
    def __init__(self, conn: sqlite3.Connection, threaded: bool):
        self.conn = conn
        self.queued: list[Future] = []
        self.executor: ThreadPoolExecutor | None = None
        self.interval = sys.getswitchinterval()
        if threaded:
            sys.setswitchinterval(SWITCH_INTERVAL)
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="medlit-writes")
            try:  # a connection opened with check_same_thread (the default) stays on this thread
                self.executor.submit(conn.execute, "SELECT 1").result()
            except sqlite3.ProgrammingError:
                self.close()

    def later(self, sql: str, rows: list) -> None:
        """executemany(sql, rows), now or once the work queued before it is done."""
        if rows:
            self.ask(lambda conn: conn.executemany(sql, rows))

    def insert(self, sql: str, rows: list) -> None:
        """`sql` (an INSERT with one `VALUES (?, ...)` group, maybe an upsert) for every row, as
        statements of up to ROWS_A_STATEMENT rows each: one step, so one GIL wait, a statement.

        `sql` says what a failing row does (INSERT OR FAIL, OR IGNORE...): with the default,
        ABORT, SQLite copies every page a statement touches in case it must be undone, and
        an import undoes the whole transaction anyway.
        """
        assert sql.startswith("INSERT OR "), sql
        if rows:
            self.ask(lambda conn: insert_many(conn, sql, rows))

    def ask(self, work: Callable[[sqlite3.Connection], Any]) -> Future:
        """`work(conn)`, run after the work queued before it; its answer comes in the Future."""
        if self.executor is None:
            return answered(work(self.conn))
        future = self.executor.submit(work, self.conn)
        self.queued.append(future)
        return future

    def now(self) -> sqlite3.Connection:
        """The connection, once every queued piece of work is done; the first error is raised."""
        queued, self.queued = self.queued, []
        for future in queued:
            future.result()
        return self.conn

    def close(self) -> None:
        """Drop the work not started, wait for the piece running (a rollback must not meet it)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        self.queued = []
        sys.setswitchinterval(self.interval)


def answered(value: Any) -> Future:
    """A Future that already holds `value`: an answer that needs no waiting for the writes."""
    done: Future = Future()
    done.set_result(value)
    return done


def insert_many(conn: sqlite3.Connection, sql: str, rows: list) -> None:
    head, values, rest = sql.partition(" VALUES ")
    group, tail = rest[: rest.index(")") + 1], rest[rest.index(")") + 1 :]  # tail: an upsert clause
    assert values and group.startswith("(") and not group.strip("(?, )"), sql
    width = group.count("?")
    most = min(VALUES_A_STATEMENT, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    per = max(1, min(ROWS_A_STATEMENT, most // width))
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        conn.execute(f"{head} VALUES {','.join([group] * len(part))}{tail}", list(chain.from_iterable(part)))
