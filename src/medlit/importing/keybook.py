"""The catalog's keys as an import or a user's decision leaves them: who holds each key,
given once and never moved, and every .bib key with its own entry's work."""

from __future__ import annotations

import json
from typing import NamedTuple

from medlit.importing.identity import bare_arxiv
from medlit.importing.keys import base_key, next_free
from medlit.importing.rows import first_source
from medlit.normalise import title_key


def usable(key: str | None) -> bool:
    """A key a .bib may give that medlit can write back: ASCII letters, digits and `_-:.`."""
    return bool(key) and key.isascii() and all(ch.isalnum() or ch in "_-:." for ch in key)


class KeyFacts(NamedTuple):
    """What a paper's key is made of and found again by."""

    title: str
    authors: list[str]
    year: int | None
    doi: str | None
    arxiv: str | None
    base: str | None = None  # base_key of the above, when worked out ahead (in a worker)

    @classmethod
    def of(cls, paper, with_base: bool = False) -> KeyFacts:
        base = base_key(paper.authors, paper.year, paper.title) if with_base else None
        return cls(paper.title, paper.authors, paper.year, paper.doi, paper.arxiv, base)


def key_sources(records: list) -> tuple[str, dict]:
    """(where the records are first listed, each key an entry gives -> where it is first given)."""
    hints: dict[str, object] = {}
    for r in sorted(records, key=_place):
        if usable(r.key_hint):
            hints.setdefault(r.key_hint, r.source)
    return first_source(records), hints


class KeyBook:
    """Every key the catalog ever gave (the keys table) and who holds it, for giving keys.

    A paper keeps its key forever. A new paper gets, in order: a retired key of its own
    (the paper left and returned: the same DOI, arXiv id or title, nothing contradicting),
    its .bib entry's key, else a new Better BibTeX key. Every key a .bib entry gave cites
    that entry's work: a second key of one work is its alias, and a key left behind on a
    paper that no longer holds its entry (a merge undone) goes with the entry.
    """

    def __init__(self, conn):
        self.conn = conn
        self.owner: dict[str, int | None] = {}
        self.from_entry: set[str] = set()  # keys a .bib entry gave: they go where the entry goes
        for key, paper_id, from_entry in conn.execute("SELECT key, paper_id, from_entry FROM keys"):
            self.owner[key] = paper_id
            if from_entry:
                self.from_entry.add(key)
        self.wanted: list[tuple] = []
        # (where the entry is, its key, the title of the paper holding it): a .bib key that
        # medlit had already given another work, which keeps it (see give)
        self.clashes: list[tuple] = []

    def wants(self, paper_id: int, paper: KeyFacts, first: str, hints: dict) -> None:
        """A paper merged now (first listed at `first`, see key_sources): it needs a key if
        it has none, and its entries' keys."""
        self.wanted.append((first, paper_id, paper, hints))

    def retire(self, paper_id: int) -> None:
        """A paper left the catalog: its keys wait for it to return."""
        for (key,) in self.conn.execute("SELECT key FROM keys WHERE paper_id = ?", (paper_id,)).fetchall():
            self.owner[key] = None
        self.conn.execute("UPDATE keys SET paper_id = NULL WHERE paper_id = ?", (paper_id,))

    def give(self) -> dict[int, str]:
        """The key of every paper merged now (see wants), the keys table brought up to date;
        a paper that is not, whose key went with its entry, is given its new key here."""
        conn = self.conn
        self.wanted.sort(key=lambda w: (w[0], w[1]))
        ids = [w[1] for w in self.wanted]
        primary = {}
        for part in _chunks(ids):
            primary.update(conn.execute(f"SELECT id, key FROM papers WHERE id IN ({_q(part)})", part))
        retired = _Retired(conn)
        searched: dict[str, int] = {}
        changes: dict[int, str] = {}  # paper -> its new primary key
        rows: list[tuple] = []  # keys rows: (key, title_norm, paper, doi, arxiv, year, alias, from_entry)
        orphans: list[int] = []  # papers whose key went with its entry to another paper
        for _first, pid, paper, hints in self.wanted:
            norm = title_key(paper.title)
            facts = (norm, pid, paper.doi, bare_arxiv(paper.arxiv), paper.year)
            for hint in hints:
                holder = self.owner.get(hint, pid)
                if holder == pid:
                    continue  # free, or ours
                if hint not in self.from_entry:
                    if holder is not None:  # a key medlit gave another work never moves: say so
                        self.clashes.append((hints[hint], hint, holder))
                    continue
                if holder is None or not _holds_entry(conn, holder, hint):
                    self.owner[hint] = pid  # the entry's key follows the entry
                    if holder is not None and primary.get(holder) == hint:
                        primary[holder] = None
                        orphans.append(holder)
                        changes[holder] = None
            key = primary.get(pid)
            if key is None:
                key = retired.take(paper, self.owner) or next(
                    (h for h in hints if self.owner.get(h, pid) == pid), None
                )
                if key is None:
                    base = paper.base or base_key(paper.authors, paper.year, paper.title)
                    key, searched[base] = next_free(base, self.owner.__contains__, searched.get(base, -1))
                primary[pid] = changes[pid] = key
            self.owner[key] = pid
            rows.append((key, *facts, 0, int(key in hints or key in self.from_entry)))
            rows += [(h, *facts, 1, 1) for h in hints if h != key and self.owner.get(h, pid) == pid]
            for h in hints:
                if self.owner.setdefault(h, pid) == pid:
                    self.from_entry.add(h)
        if self.clashes:  # the holders' titles, for the message: from this merge, else the catalog
            titles = {pid: paper.title for _first, pid, paper, _hints in self.wanted}
            self.clashes = [(where, key, titles.get(h) or _title(conn, h)) for where, key, h in self.clashes]
        for holder in orphans:  # a new key of its own, from what it says now
            if primary.get(holder) is None:
                title, authors, year = conn.execute(
                    "SELECT title, authors, year FROM papers WHERE id = ?", (holder,)
                ).fetchone()
                base = base_key(json.loads(authors), year, title)
                key, searched[base] = next_free(base, self.owner.__contains__, searched.get(base, -1))
                self.owner[key] = holder
                primary[holder] = changes[holder] = key
                rows.append((key, title_key(title), holder, None, None, year, 0, 0))
        # keys that moved are let go first: the papers are written with their keys after this
        for part in _chunks(list(changes)):
            conn.execute(f"UPDATE papers SET key = NULL WHERE id IN ({_q(part)})", part)
        wanted = {w[1] for w in self.wanted}
        conn.executemany(
            "UPDATE papers SET key = ? WHERE id = ?",
            [(k, p) for p, k in changes.items() if k and p not in wanted],
        )
        conn.executemany(
            "INSERT INTO keys (key, title_norm, paper_id, doi, arxiv, year, alias, from_entry) "
            "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (key) DO UPDATE SET paper_id = excluded.paper_id, "
            "alias = excluded.alias, from_entry = excluded.from_entry, "
            "doi = excluded.doi, arxiv = excluded.arxiv, year = excluded.year, "
            "title_norm = excluded.title_norm",
            rows,
        )
        return {pid: key for pid, key in primary.items() if pid in wanted}


class _Retired:
    """Keys whose paper left the catalog, found again by DOI, arXiv id or title."""

    def __init__(self, conn):
        self.by: dict[str, list[tuple]] = {}
        for row in conn.execute(
            "SELECT key, title_norm, doi, arxiv, year FROM keys WHERE paper_id IS NULL ORDER BY alias, key"
        ):
            for value in (row[2] and "doi:" + row[2], row[3] and "arxiv:" + row[3], "title:" + row[1]):
                if value:
                    self.by.setdefault(value, []).append(row)
        self.taken: set[str] = set()

    def take(self, paper, owner: dict) -> str | None:
        arxiv = bare_arxiv(paper.arxiv)
        for value in (
            paper.doi and "doi:" + paper.doi,
            arxiv and "arxiv:" + arxiv,
            "title:" + title_key(paper.title),
        ):
            for key, _norm, doi, old_arxiv, year in self.by.get(value or "", ()):
                if key in self.taken or owner.get(key) is not None:
                    continue
                if (doi and paper.doi and doi != paper.doi) or (old_arxiv and arxiv and old_arxiv != arxiv):
                    continue
                if year and paper.year and abs(year - paper.year) > 1:
                    continue
                self.taken.add(key)
                return key
        return None


def _title(conn, paper_id: int) -> str:
    row = conn.execute("SELECT title FROM papers WHERE id = ?", (paper_id,)).fetchone()
    return row[0] if row else "?"


def _holds_entry(conn, paper_id: int, key: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM records WHERE paper_id = ? AND cite_key = ?", (paper_id, key)).fetchone()
        is not None
    )


def _place(record) -> tuple:
    return record.source.file, record.source.line


def _chunks(items: list, size: int = 900):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _q(part: list) -> str:
    return ",".join("?" * len(part))
