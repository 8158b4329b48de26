"""The merges the catalog made, and the user's word on them: `split` undoes one, `join`
makes one. Both are stored as decisions (the `decisions` table, shared with the user's
other edits) that every later import obeys; records are named by file and normalised
title (and year, for rows of one title in one file), which survive re-reading.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from medlit import catalog
from medlit.errors import UserError
from medlit.importing.identity import JOINED


def merges(conn: sqlite3.Connection) -> list[dict]:
    """Every paper made of more than one record, by key: its records (file, line, title,
    year, ids) and the evidence each joined on (None for the first)."""
    out = []
    papers = conn.execute(
        "SELECT p.id, p.key, p.title FROM papers p WHERE p.id IN "
        "(SELECT paper_id FROM records GROUP BY paper_id HAVING COUNT(*) > 1) ORDER BY p.key"
    ).fetchall()
    for part in catalog.chunks(papers, 900):
        ids = [p[0] for p in part]
        records: dict[int, list[dict]] = {pid: [] for pid in ids}
        for pid, file, line, year, doi, arxiv, evidence, data in conn.execute(
            "SELECT paper_id, file, line, year, doi, arxiv, evidence, data FROM records "
            f"WHERE paper_id IN ({','.join('?' * len(ids))}) "
            "ORDER BY paper_id, evidence IS NOT NULL, file, line",
            ids,
        ):
            title = json.loads(data)["title"]
            records[pid].append(
                {
                    "file": file,
                    "line": line,
                    "title": title,
                    "year": year,
                    "doi": doi,
                    "arxiv": arxiv,
                    "evidence": evidence,
                }
            )
        out += [{"key": key, "title": title, "records": records[pid]} for pid, key, title in part]
    return out


def split(conn: sqlite3.Connection, key: str) -> list[str]:
    """Undo the merge of the paper `key` cites: each of its entries (a file's records of one
    title) becomes a paper of its own, now and in every later import. The keys, in order:
    `key` stays with its own entry (a .bib key) or the first one."""
    from medlit.importing.engine import settle
    from medlit.vocab import load as load_vocab

    pid = _paper(conn, key)
    rows = conn.execute(
        "SELECT id, file, title_norm, year, cite_key FROM records WHERE paper_id = ? ORDER BY file, line",
        (pid,),
    ).fetchall()
    years: dict[tuple[str, str], set] = {}
    for _rid, file, norm, year, _cite in rows:
        years.setdefault((file, norm), set()).add(year)
    # an entry is a file's records of one title; rows of one title in one file are entries of
    # their own when their years differ (a paper and its journal version in one list)
    groups: dict[tuple, list[int]] = {}
    own = None  # the entry whose .bib key `key` is keeps the paper
    for rid, file, norm, year, cite in rows:
        name = (file, norm) if len(years[file, norm]) == 1 else (file, norm, year)
        groups.setdefault(name, []).append(rid)
        if cite == key and own is None:
            own = name
    if len(groups) < 2:
        raise UserError(
            f"{key} is one entry's paper (every record is {rows[0][1]}'s, of one title and year): "
            "nothing to split"
        )
    own = own or next(iter(groups))
    made = catalog.next_id(conn, "papers")
    papers = {own: pid}
    for name in groups:
        if name != own:
            papers[name], made = made, made + 1
    for name, rids in groups.items():
        for part in catalog.chunks(rids, 900):
            conn.execute(
                f"UPDATE records SET paper_id = ?, evidence = NULL WHERE id IN ({','.join('?' * len(part))})",
                [papers[name], *part],
            )
    _decide(conn, "split", key, [[list(name)] for name in groups])
    settle(conn, load_vocab(), set(papers.values()))
    return [_key_of(conn, p) for p in papers.values()]


def join(conn: sqlite3.Connection, key: str, other: str) -> str:
    """Make the papers `key` and `other` cite one paper, now and in every later import;
    `other` stays a key of it (an alias). Returns the paper's key."""
    from medlit.importing.engine import settle
    from medlit.vocab import load as load_vocab

    pid, gone = _paper(conn, key), _paper(conn, other)
    if pid == gone:
        raise UserError(f"{key} and {other} are already one paper")
    names = conn.execute(
        "SELECT DISTINCT file, title_norm FROM records WHERE paper_id IN (?, ?)", (pid, gone)
    ).fetchall()
    _forget_splits(conn, {tuple(n) for n in names})
    aliases = [r[0] for r in conn.execute("SELECT key FROM keys WHERE paper_id = ?", (gone,))]
    conn.execute("UPDATE records SET paper_id = ?, evidence = ? WHERE paper_id = ?", (pid, JOINED, gone))
    _decide(conn, "join", key, [list(n) for n in names])
    settle(conn, load_vocab(), {pid, gone})
    for alias in aliases:  # the other paper's keys keep citing the work, now this one
        conn.execute("UPDATE keys SET paper_id = ?, alias = 1 WHERE key = ?", (pid, alias))
    return _key_of(conn, pid)


def _paper(conn: sqlite3.Connection, key: str) -> int:
    pid = catalog.paper_id_by_key(conn, key)
    if pid is None:
        raise UserError(f"no paper with key {key!r} (list keys with: medlit search -f keys)")
    return pid


def _key_of(conn: sqlite3.Connection, pid: int) -> str:
    return conn.execute("SELECT key FROM papers WHERE id = ?", (pid,)).fetchone()[0]


def _decide(conn: sqlite3.Connection, kind: str, key: str, records: list) -> None:
    conn.execute(
        "INSERT INTO decisions (made_at, kind, key, data) VALUES (?, ?, ?, ?)",
        (datetime.now(UTC).isoformat(timespec="seconds"), kind, key, json.dumps({"records": records})),
    )


def _forget_splits(conn: sqlite3.Connection, names: set[tuple[str, str]]) -> None:
    """A join overrides earlier splits that kept these records apart."""
    for did, data in conn.execute(
        "SELECT id, data FROM decisions WHERE kind = 'split' AND NOT undone"
    ).fetchall():
        # a split's record may be named (file, title, year): a join names (file, title)
        groups = [{tuple(n[:2]) for n in group} for group in json.loads(data)["records"]]
        if sum(bool(group & names) for group in groups) > 1:
            conn.execute("UPDATE decisions SET undone = 1 WHERE id = ?", (did,))
