"""Reading papers back: whole (`load_papers`, in batches for an export), as a listing
shows them, by key; and the chunks SQLite's variable limit asks for."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING

from medlit.listing import FACETS, Listed

if TYPE_CHECKING:
    from medlit.model import Paper


PAPER_COLUMNS = (
    "id, key, title, year, venue, venue_abbr, venue_kind, volume, number, pages, "
    "publisher, url, doi, arxiv, abstract, note, authors, links, extra"
)


def load_papers(
    conn: sqlite3.Connection, ids: list[int] | None = None, with_sources: bool = True
) -> list[Paper]:
    """Papers with facets, datasets and sources, in the order of `ids` (or by key)."""
    from medlit.model import FacetValue, Link, Paper, Source  # not for a listing: 10 ms to import

    if ids is None:
        rows = conn.execute(f"SELECT {PAPER_COLUMNS} FROM papers ORDER BY key").fetchall()
    else:
        rows = rows_by_id(conn, f"SELECT {PAPER_COLUMNS} FROM papers WHERE 1", ids)
    papers: dict[int, Paper] = {}
    loads = json.loads
    for r in rows:
        papers[r[0]] = Paper(
            key=r[1],
            title=r[2],
            year=r[3],
            venue=r[4],
            venue_abbr=r[5],
            venue_kind=r[6],
            volume=r[7],
            number=r[8],
            pages=r[9],
            publisher=r[10],
            url=r[11],
            doi=r[12],
            arxiv=r[13],
            abstract=r[14],
            note=r[15],
            authors=[] if r[16] == "[]" else loads(r[16]),
            links=[] if r[17] == "[]" else [Link(**x) for x in loads(r[17])],
            extra={} if r[18] == "{}" else loads(r[18]),
            facets={f: [] for f in FACETS},
        )
    # the loops below run once per facet value of every paper exported: kept inline
    facets = (
        "SELECT paper_id, facet, value, curated, disputed FROM facets {where} "
        "ORDER BY paper_id, curated DESC, value"
    )
    for pid, facet, value, curated, disputed in _related(conn, facets, "paper_id", papers, ids is None):
        papers[pid].facets.setdefault(facet, []).append(FacetValue(value, bool(curated), bool(disputed)))
    datasets = (
        "SELECT pd.paper_id, d.name, d.url FROM paper_datasets pd JOIN datasets d ON d.id = pd.dataset_id "
        "{where} ORDER BY pd.paper_id, d.name"
    )
    for pid, name, url in _related(conn, datasets, "pd.paper_id", papers, ids is None):
        paper = papers[pid]
        paper.datasets.append(name)
        if url:
            paper.dataset_urls[name] = url
    if with_sources:
        sources = "SELECT paper_id, file, line, section FROM records {where} ORDER BY paper_id, file, line"
        for pid, file, line, section in _related(conn, sources, "paper_id", papers, ids is None):
            papers[pid].sources.append(Source(file, line, section))
    _user_state(conn, papers)
    return list(papers.values())


def _user_state(conn: sqlite3.Connection, papers: dict[int, Paper]) -> None:
    """The user's tags and notes (medlit tag, medlit note: see medlit.decisions), by key;
    the latest note not undone is the paper's."""
    by_key = {p.key: p for p in papers.values() if p.key}
    if not by_key or not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'tags'").fetchone():
        return
    for part in chunks(list(by_key), 900):
        marks = ",".join("?" * len(part))
        for key, tag in conn.execute(
            f"SELECT key, tag FROM tags WHERE key IN ({marks}) ORDER BY key, tag", part
        ):
            by_key[key].tags.append(tag)
        sql = f"SELECT key, data FROM decisions WHERE kind = 'note' AND undone = 0 AND key IN ({marks})"
        notes = conn.execute(sql + " ORDER BY id", part)
        for key, data in notes:
            by_key[key].user_note = json.loads(data).get("text")


EXPORT_BATCH = 2000  # papers held at once by iter_papers: a few MiB, whatever the catalog's size


def iter_papers(conn: sqlite3.Connection, ids: list[int], with_sources: bool = True) -> Iterator[Paper]:
    """load_papers in the order of `ids`, EXPORT_BATCH at a time: an export of a million
    papers holds one batch of Paper objects, not the catalog."""
    for i in range(0, len(ids), EXPORT_BATCH):
        yield from load_papers(conn, ids[i : i + EXPORT_BATCH], with_sources)


def load_listing(conn: sqlite3.Connection, ids: list[int]) -> list[Listed]:
    """Papers in the order of `ids` as a listing shows them (key, title, year, venue): no
    JSON columns, facets, datasets or sources, which are most of load_papers' cost."""
    rows = rows_by_id(conn, "SELECT id, key, title, year, venue, venue_abbr FROM papers WHERE 1", ids)
    return [Listed(*row) for row in rows]


def rows_by_id(conn: sqlite3.Connection, sql: str, ids: list[int], keep_order: bool = True) -> list[tuple]:
    """Rows of `sql` (a SELECT of papers whose first column is the id, ending in a WHERE
    condition) for the papers in `ids`, fetched in chunks under SQLite's variable limit;
    in the order of `ids` unless keep_order is False."""
    rows: list[tuple] = []
    for chunk in chunks(ids, 900):
        rows += conn.execute(f"{sql} AND id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    if keep_order:
        order = {pid: i for i, pid in enumerate(ids)}
        rows.sort(key=lambda r: order[r[0]])
    return rows


def _related(conn: sqlite3.Connection, sql: str, column: str, papers: dict, every: bool):
    """Rows of `sql` (with a `{where}` slot) for the papers loaded: one scan when every paper
    is wanted, else chunks of ids under SQLite's variable limit."""
    if every:
        return (row for row in conn.execute(sql.format(where="")) if row[0] in papers)
    return (
        row
        for chunk in chunks(list(papers), 900)
        for row in conn.execute(sql.format(where=f"WHERE {column} IN ({','.join('?' * len(chunk))})"), chunk)
    )


def chunks(items: list, size: int):
    """`items` in slices of `size`: SQLite takes at most 999 variables a statement."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def next_id(conn: sqlite3.Connection, table: str) -> int:
    """One past the largest id of `table` (papers, records): the id a new row gets."""
    return conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0]


def paper_id_by_key(conn: sqlite3.Connection, key: str) -> int | None:
    """The paper a key cites: its own key, or an alias (another .bib key of the same work)."""
    return papers_by_key(conn, [key]).get(key)


def papers_by_key(conn: sqlite3.Connection, keys: list[str]) -> dict[str, int]:
    """key -> the paper it cites, for those of `keys` that cite one (aliases resolved)."""
    found: dict[str, int] = {}
    for chunk in chunks(keys, 900):
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT key, id FROM papers WHERE key IN ({marks})", chunk))
    rest = [k for k in keys if k not in found]
    for chunk in chunks(rest, 900):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT key, paper_id FROM keys WHERE key IN ({marks}) AND paper_id IS NOT NULL"
        found.update(conn.execute(sql, chunk))
    return found


def iter_cited(
    conn: sqlite3.Connection, cited: list[tuple[str, int]], with_sources: bool = True
) -> Iterator[Paper]:
    """The papers of (key, paper id) pairs in their order, each under the key cited: a work
    cited by its alias is written under the alias, as the LaTeX source expects."""
    from dataclasses import replace

    for i in range(0, len(cited), EXPORT_BATCH):
        batch = cited[i : i + EXPORT_BATCH]
        ids = list(dict.fromkeys(pid for _, pid in batch))
        loaded = dict(zip(ids, load_papers(conn, ids, with_sources), strict=True))
        for key, pid in batch:
            yield replace(loaded[pid], key=key)
