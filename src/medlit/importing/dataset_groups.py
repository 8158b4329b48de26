"""Dataset mentions -> datasets: every mention of the catalog grouped by link or name.

Rebuilt whole after each import, from all mentions, so a dataset named one way in one list
and linked another way in the next becomes one row. Reading (`state`) and grouping (`rows`)
are apart, so the import can group while its last papers are still being written.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

from medlit.vocab import Vocabulary, loose

DELETE = ("DELETE FROM paper_datasets", "DELETE FROM datasets")
INSERT_DATASET = "INSERT OR FAIL INTO datasets (id, name, url, organs, names, sources) VALUES (?,?,?,?,?,?)"
INSERT_LINK = "INSERT OR IGNORE INTO paper_datasets VALUES (?, ?)"


def url_key(url: str | None) -> str | None:
    """Two links to one dataset page share this: no scheme, `www.`, fragment or trailing slash."""
    if not url:
        return None
    u = url.strip().lower().split("#", 1)[0]
    for prefix in ("https://", "http://"):
        if u.startswith(prefix):
            u = u[len(prefix) :]
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/") or None


def state(conn: sqlite3.Connection) -> tuple[list[tuple], dict[int, set[str]]]:
    """Every mention (with the paper of its record) and the undisputed organs of every paper."""
    mentions = conn.execute(
        "SELECT m.id, m.file, m.line, m.name, m.url, m.text, r.paper_id FROM mentions m "
        "LEFT JOIN records r ON r.id = m.record_id ORDER BY m.file, m.line, m.id"
    ).fetchall()
    organs: dict[int, set[str]] = {}
    for pid, value in conn.execute(
        "SELECT paper_id, value FROM facets WHERE facet = 'organ' AND disputed = 0"
    ):
        organs.setdefault(pid, set()).add(value)
    return mentions, organs


def rows(
    mentions: list[tuple], organs_of_paper: dict[int, set[str]], vocab: Vocabulary
) -> tuple[list[tuple], list[tuple]]:
    """(datasets rows, paper_datasets rows): one dataset per group of mentions sharing a link
    or a name, ids from 1 as SQLite gives them to an emptied table."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # a few names and links recur on thousands of mentions: each is made a key once
    name_keys: dict[str, str] = {}
    url_keys: dict[str | None, str | None] = {}
    for _id, _f, _l, name, url, _t, _p in mentions:
        named = name_keys.get(name) or name_keys.setdefault(name, f"n:{loose(name)}")
        if url not in url_keys:
            linked = url_key(url)
            url_keys[url] = f"u:{linked}" if linked else None
        linked = url_keys[url]
        if linked:
            parent[find(linked)] = find(named)
        find(named)
    groups: dict[str, list] = {}
    for m in mentions:
        groups.setdefault(find(name_keys[m[3]]), []).append(m)
    datasets: list[tuple] = []
    links: list[tuple] = []
    organs_in: dict[str, frozenset[str]] = {}  # a dataset's name and target text repeat on every row
    for dataset_id, members in enumerate(groups.values(), start=1):
        from_papers = [m for m in members if m[6] is not None]
        names = Counter(m[3] for m in (from_papers or members))
        name = max(names, key=lambda n: (names[n], -[m[3] for m in members].index(n)))
        urls = Counter(m[4] for m in members if m[4])
        url = max(urls, key=lambda u: (urls[u], -[m[4] for m in members].index(u))) if urls else None
        organs: set[str] = set()
        for m in members:
            text = f"{m[3]} {m[5] or ''}"
            found = organs_in.get(text)
            if found is None:
                found = organs_in[text] = frozenset(vocab.infer(text)["organ"])
            organs |= found
        paper_ids = sorted({m[6] for m in from_papers})
        if paper_ids:  # what every paper using it agrees on
            organs |= set.intersection(*(organs_of_paper.get(p, set()) for p in paper_ids))
        all_names = sorted({m[3] for m in members})
        sources = [f"{m[1]}:{m[2]}" for m in members]
        datasets.append(
            (
                dataset_id,
                name,
                url,
                json.dumps(sorted(organs)),
                json.dumps(all_names, ensure_ascii=False),
                json.dumps(sources, ensure_ascii=False),
            )
        )
        links.extend((p, dataset_id) for p in paper_ids)
    return datasets, links
