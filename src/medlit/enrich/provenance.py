"""Where each enriched field came from and when: rows of `provenance` (key, field, source,
value as JSON, fetched_at, applied). applied = 1: the paper shows this value; 0: a document
gives the field and this service says otherwise (a disagreement, shown by `medlit show`)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass


@dataclass
class Provenance:
    key: str
    field: str
    source: str
    value: object
    fetched_at: str
    applied: bool

    def shown(self) -> str:
        if isinstance(self.value, list):
            return "; ".join(map(str, self.value))
        return str(self.value)


def store(conn: sqlite3.Connection, rows: list[Provenance]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO provenance (key, field, source, value, fetched_at, applied) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (p.key, p.field, p.source, json.dumps(p.value, ensure_ascii=False), p.fetched_at, int(p.applied))
            for p in rows
        ],
    )


def of_paper(conn: sqlite3.Connection, key: str) -> list[Provenance]:
    rows = conn.execute(
        "SELECT key, field, source, value, fetched_at, applied FROM provenance WHERE key = ? "
        "ORDER BY applied DESC, field, source",
        (key,),
    )
    return [Provenance(k, f, s, json.loads(v), at, bool(a)) for k, f, s, v, at, a in rows]


def applied_fields(conn: sqlite3.Connection, key: str) -> dict[str, str]:
    """field -> source, for the fields enrichment filled."""
    rows = conn.execute("SELECT field, source FROM provenance WHERE key = ? AND applied = 1", (key,))
    return dict(rows.fetchall())
