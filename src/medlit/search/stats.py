"""Counting papers per facet value, for `medlit stats` and `medlit vocab`."""

from __future__ import annotations

import sqlite3
from collections import Counter

from medlit.listing import FACETS

NONE = "(none)"  # the value of a paper that has none along a dimension


def values_of(
    conn: sqlite3.Connection, ids: list[int], dim: str, curated: bool = False
) -> dict[int, list[str]]:
    """paper id -> its values along one dimension (facets, venue, year, kind or dataset)."""
    out: dict[int, list[str]] = {}
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        marks = ",".join("?" * len(chunk))
        if dim in FACETS:
            trust = " AND curated = 1" if curated else ""
            rows = conn.execute(
                f"SELECT paper_id, value FROM facets WHERE facet = ? AND disputed = 0{trust} "
                f"AND paper_id IN ({marks})",
                (dim, *chunk),
            )
        elif dim == "dataset":
            rows = conn.execute(
                f"SELECT pd.paper_id, d.name FROM paper_datasets pd JOIN datasets d ON d.id = pd.dataset_id "
                f"WHERE pd.paper_id IN ({marks})",
                chunk,
            )
        else:
            column = {"venue": "COALESCE(venue_abbr, venue)", "year": "year", "kind": "venue_kind"}[dim]
            rows = conn.execute(f"SELECT id, {column} FROM papers WHERE id IN ({marks})", chunk)
        for pid, value in rows:
            out.setdefault(pid, []).append(NONE if value is None else str(value))
    for pid in ids:
        out.setdefault(pid, [NONE])
    return out


def counts(conn: sqlite3.Connection, ids: list[int], dim: str, curated: bool = False) -> dict[str, int]:
    """value -> papers, largest first (years newest first)."""
    tally = Counter(v for values in values_of(conn, ids, dim, curated).values() for v in values)
    if dim == "year":
        return dict(sorted(tally.items(), key=lambda kv: kv[0], reverse=True))
    return dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))


def cross(
    conn: sqlite3.Connection, ids: list[int], rows: str, columns: str, curated: bool = False
) -> dict[str, dict[str, int]]:
    """rows value -> columns value -> papers having both."""
    left = values_of(conn, ids, rows, curated)
    right = values_of(conn, ids, columns, curated)
    table: dict[str, Counter] = {}
    for pid in ids:
        for a in left[pid]:
            for b in right[pid]:
                table.setdefault(a, Counter())[b] += 1
    ordered = sorted(table.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return {k: dict(v) for k, v in ordered}
