"""Every raw answer of a service, kept in the catalog's `fetched` table by (source, id):
a second run asks nothing already answered, and --offline works from here alone."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

OK, MISSING, REFUSED = 200, 404, 400  # found; the service has no such id; it called the id malformed


def read(conn: sqlite3.Connection, source: str, ids: list[str]) -> dict[str, tuple[int, str | None, str]]:
    """id -> (status, body, fetched_at) for the ids answered before."""
    from medlit.catalog import chunks

    found = {}
    for part in chunks(ids, 900):
        marks = ",".join("?" * len(part))
        sql = f"SELECT id, status, body, fetched_at FROM fetched WHERE source = ? AND id IN ({marks})"
        for key, status, body, fetched_at in conn.execute(sql, [source, *part]):
            found[key] = (status, body, fetched_at)
    return found


def write(conn: sqlite3.Connection, source: str, answers: dict[str, tuple[int, str | None]]) -> str:
    """Store answers (id -> (status, body)); returns the time they are stored under."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    conn.executemany(
        "INSERT OR REPLACE INTO fetched (source, id, fetched_at, status, body) VALUES (?, ?, ?, ?, ?)",
        [(source, key, when, status, body) for key, (status, body) in answers.items()],
    )
    return when
