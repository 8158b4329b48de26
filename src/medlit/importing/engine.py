"""Documents -> catalog, as one transaction: every file lands, or the catalog stays as it was.

Each file is read into entries (prepare.py; large lists in worker processes, pool.py). For
each file in order: its previous records are replaced by what it says now, and each record joins
the paper it cites (matcher.py: evidence and no contradiction) or starts a new one. Then the
papers touched are merged again from all their records, papers get keys that never change
(and every .bib key stays with its entry's work), and datasets are rebuilt from every mention.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from medlit import catalog, decisions
from medlit.catalog import browse
from medlit.importing import dataset_groups, rows
from medlit.importing.identity import OWN, Identity
from medlit.importing.keybook import KeyBook
from medlit.importing.matcher import Decisions, Matcher, OwnRecords
from medlit.importing.pool import prepared
from medlit.importing.prepare import Entry, FileReport, Prepared, paper_parts
from medlit.model import Notice, Record, Source
from medlit.readers.sanity import clip
from medlit.vocab import Vocabulary
from medlit.vocab import load as load_vocab

TICK = 2000  # records between progress reports
BATCH = 2000  # papers merged and written at once


# What the readers and the normaliser make of a document. Bump it whenever a change alters
# the records or papers an unchanged document gives: stored readings made under another
# version (or another vocabulary) are read again.
# 2: DOIs that are not well formed are dropped with a warning
# 3: generated blocks between medlit markers are not read
# 4: merge truth (what each record says about which work it is, kept in its row)
# 5: one entry reader for every list shape, BibTeX fields kept, years from 1800
# 6: a .bib entry's other fields are kept as written (Record.extra)
# 7: readers linear on hostile input (et al. after spaces, digit runs, DOI tails)
# 8: a .bib entry's other fields kept once (Record.extra), not again decoded in Record.fields
# 9: a year that ends a sentence in a venue ("Radiology 2015.") is the year, not a volume
# 10: `[Title](url) - Authors et al., Venue 2015`: the link's label is the title
# 11: references written out without markup (Vancouver, APA, Nature), by their authors' form
# 12: a plain title sheds a leading year and a trailing venue (`Title. MIDL 2018`, `X et al.`)
# 13: `[Title](url) (MIDL 2018)` in a table's title cell gives the venue when no column does
# 14: `"Title," Authors, Venue 2018` and `Family et al. Title. Venue 2018`
RULES_VERSION = 14


@cache
def build_fingerprint() -> str:
    """The rules version, the vocabulary's hash and the entry shapes registered, stored with
    each file's hash: after an upgrade, a vocabulary edit or a plugin's shape installed,
    importing the same documents reads them again."""
    from medlit.registry import registry

    vocab_toml = Path(__file__).parent.parent / "data" / "vocab.toml"
    rules = f"rules {RULES_VERSION}\0shapes {registry().shapes_signature()}\0"
    digest = hashlib.sha256(rules.encode() + vocab_toml.read_bytes())
    return digest.hexdigest()[:16]


def stored_name(path: Path, catalog_dir: Path) -> str:
    """How a file is named in the catalog: relative to the catalog's folder when inside it;
    bytes of a name that are not UTF-8 written as `\\xe9` (text.path_text)."""
    from medlit.text import path_text

    resolved = path.resolve()
    try:
        return path_text(resolved.relative_to(catalog_dir.resolve()).as_posix())
    except ValueError:
        return path_text(resolved.as_posix())


def run_import(
    conn: sqlite3.Connection,
    paths: list[Path],
    catalog_dir: Path,
    progress: Callable[[str, float], None] | None = None,
) -> list[FileReport]:
    """Import files in one write transaction (waits for other writers); returns a report per file.

    `progress(what, done)` hears how far it is, `done` counting files read (and, last, one
    more for merging), fractions within a large file.
    """
    tick = progress or (lambda what, done: None)
    # what an import holds (every record's identity, the new papers' records) lives to its
    # end and makes no reference cycles: the collector only walked it, again and again
    # (bench/generate.py lists, CPU time: 10k papers 2.64 s -> 2.06 s without it)
    collecting = gc.isenabled()
    gc.disable()
    catalog.begin_write(conn)  # says so when another writer is at work
    # records are written before their papers (merged at the end): references are checked at COMMIT
    conn.execute("PRAGMA defer_foreign_keys = ON")
    unchanged = conn.total_changes
    try:
        catalog.ensure_schema(conn)
        job = Import(conn, load_vocab())
        reports = []
        named = [(path, stored_name(path, catalog_dir)) for path in paths]
        # closed at once on failure: no worker goes on preparing a file for an import that ended
        with contextlib.closing(prepared(named, job.digests, build_fingerprint())) as files:
            for done, (report, digest, result) in enumerate(files):
                if result is not None:
                    job.file(
                        report,
                        digest,
                        result,
                        lambda what, part, d=done, n=report.file: tick(f"{n} {what}", d + part),
                    )
                reports.append(report)
        job.finish(lambda what, part: tick(what, len(paths) + part))
        # the end of an import: steps that need every paper written go here
        if conn.total_changes != unchanged:
            browse.refresh_search_index(conn)  # whole, once: cheaper than triggers row by row
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        if collecting:
            gc.enable()
    return reports


class Import:
    """One import's state: the matcher over every record, and what changed."""

    def __init__(self, conn: sqlite3.Connection, vocab: Vocabulary):
        self.conn = conn
        self.vocab = vocab
        self.digests = dict(conn.execute("SELECT path, sha256 FROM files"))
        self.matcher = Matcher(load_decisions(conn))
        # the catalog's records as the matcher holds them, by file:
        # (identity, paper, section, evidence of the merge)
        self.by_file: dict[str, list[tuple[Identity, int, str | None, str | None]]] = {}
        for pid, section, evidence, *values in conn.execute(
            f"SELECT paper_id, section, evidence, {rows.IDENTITY_COLUMNS} FROM records ORDER BY id"
        ):
            ident = Identity(*values)
            self.matcher.add(ident, pid)
            self.by_file.setdefault(ident.file, []).append((ident, pid, section, evidence))
        self.first_new = self.next_paper = catalog.next_id(conn, "papers")
        self.next_record = catalog.next_id(conn, "records")
        self.affected: set[int] = set()
        self.new_records: dict[int, list[Entry]] = {}  # new papers -> their records
        self.reports: dict[str, FileReport] = {}  # by stored file name

    def file(
        self, report: FileReport, digest: str, result: Prepared, tick: Callable[[str, float], None]
    ) -> None:
        """Replace a file's previous records by the ones read now, each joined to its paper."""
        name, conn, matcher = report.file, self.conn, self.matcher
        self.reports[name] = report
        report.skips, report.notices = result.skips, result.notices
        report.read = total = len(result.entries)
        report.datasets = result.datasets
        old = self.by_file.pop(name, [])
        matcher.remove(ident for ident, *_ in old)
        conn.execute("DELETE FROM mentions WHERE file = ?", (name,))
        conn.execute("DELETE FROM records WHERE file = ?", (name,))
        own = OwnRecords(old)
        previous = {pid for _ident, pid, *_ in old}
        self.affected |= previous
        claimed: set[int] = set()
        records, mentions = [], result.mentions
        for n, entry in enumerate(result.entries):
            if n % TICK == 0:
                tick(f"{n}/{total}", n / total)
            ident = entry.ident
            own.section = entry.section
            pid, evidence = matcher.match(ident, own)
            if pid is None:
                pid, self.next_paper = self.next_paper, self.next_paper + 1
                report.new += 1
            elif evidence == OWN and pid not in claimed:
                report.updated += 1
                evidence = own.evidence.get(pid)  # how the entry first joined its paper
            else:
                report.merged += 1
            if pid >= self.first_new:
                self.new_records.setdefault(pid, []).append(entry)
            matcher.add(ident, pid)
            claimed.add(pid)
            self.affected.add(pid)
            if len(matcher.members[pid]) == 1:
                evidence = None  # the paper's first record: nothing merged
            self.by_file.setdefault(name, []).append((ident, pid, entry.section, evidence))
            record_id, self.next_record = self.next_record, self.next_record + 1
            records.append(entry.record_row(record_id, pid, evidence))
            mentions += [(*m, record_id) for m in entry.mentions]
        report.removed = len(previous - claimed)
        conn.executemany(f"INSERT INTO records ({rows.RECORD_COLUMNS}) VALUES ({_marks(16)})", records)
        conn.executemany(
            "INSERT INTO mentions (file, line, section, name, url, text, record_id) VALUES (?,?,?,?,?,?,?)",
            mentions,
        )
        conn.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            (name, digest, report.read, datetime.now(UTC).isoformat(timespec="seconds")),
        )

    def finish(self, tick: Callable[[str, float], None]) -> None:
        """Merge the papers touched, give keys, rebuild the datasets."""
        settle(self.conn, self.vocab, self.affected, self.new_records, tick, self._clash)

    def _clash(self, source: Source, key: str, title: str) -> None:
        """A .bib key medlit already gave another work: the import says so on that entry."""
        if source.file in self.reports:
            text = (
                f"key {key!r} already cites another paper ({clip(title, 60)!r}), which keeps it: "
                "rename this entry's key, or `medlit join` the two papers if they are one work"
            )
            self.reports[source.file].notices.append(Notice(source, text))


def settle(
    conn: sqlite3.Connection,
    vocab: Vocabulary,
    affected: set[int],
    new_records: dict[int, list[Entry]] | None = None,
    tick: Callable[[str, float], None] = lambda what, part: None,
    clash: Callable[[Source, str, str], None] = lambda source, key, title: None,
) -> None:
    """Merge `affected` papers again from their records (`new_records`: papers that are new,
    with all their records' entries, not to be read back), drop the ones left without records, give
    keys, and rebuild the datasets. The import ends with this, and so do split and join."""
    new_records = new_records or {}
    book = KeyBook(conn)
    ids = sorted(affected)
    existing = {r[0] for part in catalog.chunks(ids, 900) for r in conn.execute(
        f"SELECT id FROM papers WHERE id IN ({_marks(len(part))})", part)}  # fmt: skip
    papers, facets = [], []  # written once the papers' keys are known
    for start in range(0, len(ids), BATCH):
        tick(f"merging {start}/{len(ids)} papers", start / max(1, len(ids)))
        part = ids[start : start + BATCH]
        stored = _stored_records(conn, [pid for pid in part if pid not in new_records])
        for pid in part:
            entries = new_records.get(pid)
            if entries and len(entries) == 1:
                merged = entries[0].alone(vocab)
            else:
                records = [e.as_record() for e in entries] if entries else stored.get(pid)
                if not records:
                    if pid in existing:
                        _delete_paper(conn, pid, book)
                    continue
                merged = paper_parts(vocab, records)
            papers.append((pid, merged.row))
            facets += [(pid, *values) for values in merged.facets]
            book.wants(pid, merged.facts, merged.first, merged.hints)
        changed = [pid for pid in part if pid in existing]
        for chunk in catalog.chunks(changed, 900):
            conn.execute(f"DELETE FROM facets WHERE paper_id IN ({_marks(len(chunk))})", chunk)
    keys = book.give()
    for found in book.clashes:
        clash(*found)
    conn.executemany(UPSERT_PAPER, [(*row, keys[pid], pid) for pid, row in papers])
    conn.executemany("INSERT INTO facets VALUES (?,?,?,?,?)", facets)
    decisions.apply(conn, affected)  # the user's edits and enriched fields, over what documents say
    mentions, organs = dataset_groups.state(conn)
    datasets, links = dataset_groups.rows(mentions, organs, vocab)
    for sql in dataset_groups.DELETE:
        conn.execute(sql)
    conn.executemany(dataset_groups.INSERT_DATASET, datasets)
    conn.executemany(dataset_groups.INSERT_LINK, links)


def _marks(n: int) -> str:
    return ",".join("?" * n)


UPSERT_PAPER = (
    f"INSERT INTO papers ({rows.PAPER_COLUMNS}, key, id) VALUES ({_marks(22)}) "
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in [*rows.PAPER_COLUMNS.split(", "), "key"])
)


def _stored_records(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[Record]]:
    found: dict[int, list[Record]] = {}
    for part in catalog.chunks(ids, 900):
        for pid, data in conn.execute(
            f"SELECT paper_id, data FROM records WHERE paper_id IN ({_marks(len(part))}) ORDER BY id", part
        ):
            found.setdefault(pid, []).append(Record.from_json(json.loads(data)))
    return found


def _delete_paper(conn: sqlite3.Connection, paper_id: int, book: KeyBook) -> None:
    conn.execute("DELETE FROM facets WHERE paper_id = ?", (paper_id,))
    conn.execute("DELETE FROM paper_datasets WHERE paper_id = ?", (paper_id,))
    book.retire(paper_id)
    conn.execute("DELETE FROM papers WHERE id = ?", (paper_id,))


def load_decisions(conn: sqlite3.Connection) -> Decisions:
    """The user's splits and joins still in force, oldest first."""
    splits, joins = [], []
    with contextlib.suppress(sqlite3.OperationalError):  # a catalog from before decisions
        for kind, data in conn.execute(
            "SELECT kind, data FROM decisions WHERE kind IN ('split', 'join') AND NOT undone ORDER BY id"
        ):
            records = json.loads(data)["records"]
            if kind == "split":
                splits.append([[tuple(r) for r in group] for group in records])
            else:
                joins.append([tuple(r) for r in records])
    return Decisions(splits, joins)
