"""Documents -> catalog, as one transaction: every file lands, or the catalog stays as it was.

For each file: its previous records are replaced by what it says now; each new record
joins the paper it cites (its own earlier record, then the same DOI or arXiv id, the same
normalised title, or a near-identical title of the same year) or starts a new paper.
Papers touched are then re-merged from all their records, new papers get keys that never
change, and the datasets table is rebuilt from every mention.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from medlit import catalog
from medlit.catalog import browse
from medlit.importing import dataset_groups, keys
from medlit.importing.parallel import Preparer
from medlit.importing.prepare import Header, first_source, paper_values
from medlit.importing.title_blocks import TitleBlocks
from medlit.importing.writes import Writes, answered, insert_many
from medlit.model import Notice, Record, Skip
from medlit.normalise import merge
from medlit.readers import ReadError, load
from medlit.vocab import Vocabulary
from medlit.vocab import load as load_vocab

FUZZY_EDITED = 85  # an edited title in the same file and section is still that paper
TICK = 2000  # records between progress reports
MERGED_BATCH = 5000  # merged papers written at once
KEPT_RECORDS = 200_000  # prepared records of new papers kept in memory for the merge (about 2 KiB each)


@dataclass
class FileReport:
    file: str
    read: int = 0
    new: int = 0
    merged: int = 0
    updated: int = 0
    removed: int = 0
    datasets: int = 0
    skips: list[Skip] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    unchanged: bool = False
    encoding: str = "utf-8"
    error: str | None = None


# What the readers and the normaliser make of a document. Bump it whenever a change alters
# the records or papers an unchanged document gives: stored readings made under another
# version (or another vocabulary) are read again.
RULES_VERSION = 3  # 2: DOIs that are not well formed are dropped with a warning;
# 3: one entry reader for every list shape, BibTeX fields kept, years from 1800


@cache
def build_fingerprint() -> str:
    """The rules version and the vocabulary's hash, stored with each file's hash: after an
    upgrade or a vocabulary edit, importing the same documents reads them again."""
    vocab_toml = Path(__file__).parent.parent / "data" / "vocab.toml"
    digest = hashlib.sha256(f"rules {RULES_VERSION}\0".encode() + vocab_toml.read_bytes())
    return digest.hexdigest()[:16]


def stored_name(path: Path, catalog_dir: Path) -> str:
    """How a file is named in the catalog: relative to the catalog's folder when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(catalog_dir.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


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
    vocab = load_vocab()
    thresholds, collecting = gc.get_threshold(), gc.isenabled()
    # an import builds hundreds of thousands of objects that live to the end: collecting
    # young objects less often costs nothing in memory and a seventh of the time
    gc.set_threshold(200_000, 20, 100)
    # references are checked once, before the commit: checked row by row, every multi-row
    # statement made SQLite copy each page it touched, in case the statement had to be undone
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN IMMEDIATE")
    unchanged = conn.total_changes
    job = None
    try:
        catalog.ensure_schema(conn)
        reports = []
        with Preparer(_total_size(paths)) as preparer:
            if preparer.count:
                # prepared records arrive as plain tuples, and matching them makes no
                # reference cycles: collecting only walked them all, half a second at 100k
                gc.disable()
            # with workers preparing, this thread matches while another writes
            job = _Import(Writes(conn, threaded=preparer.count > 0), vocab)
            ahead: deque[tuple[FileReport, str, Iterator | None]] = deque()
            following = iter(paths)
            for done in range(len(paths)):
                # the next files are read and prepared (in workers) while this one is matched
                while len(ahead) < max(1, preparer.count):
                    path = next(following, None)
                    if path is None:
                        break
                    ahead.append(job.start(path, stored_name(path, catalog_dir), preparer))
                report, digest, parts = ahead.popleft()
                if progress:
                    job.tick = lambda what, part, name=report.file, done=done: progress(
                        f"{name} {what}", done + part
                    )
                if parts is not None:
                    job.file(report, digest, parts)
                reports.append(report)
            if progress:
                job.tick = lambda what, part: progress(what, len(paths) + part)
            job.finish()
            job.db.close()
        if conn.total_changes != unchanged:
            browse.refresh_search_index(conn)  # whole, once: cheaper than triggers row by row
        _check_references(conn)
        conn.execute("COMMIT")
    except BaseException:
        if job is not None:
            job.db.close()  # the rollback must not meet a write still running
        conn.execute("ROLLBACK")
        raise
    finally:
        if job is not None:
            job.release()
        conn.execute("PRAGMA foreign_keys = ON")
        gc.set_threshold(*thresholds)
        if collecting:
            gc.enable()
    return reports


def _check_references(conn: sqlite3.Connection) -> None:
    """Refuse to commit rows that point at no paper: the importer's bug, never the user's."""
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken:
        table, rowid, parent, _ = broken
        raise RuntimeError(f"the import left a row of {table} (rowid {rowid}) without its row of {parent}")


def _total_size(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):  # reported when the file is read
            total += path.stat().st_size
    return total


class _Import:
    def __init__(self, db: Writes, vocab: Vocabulary):
        self.db = db
        conn = db.now()
        self.digests = dict(conn.execute("SELECT path, sha256 FROM files"))  # as before the import
        self.vocab = vocab
        self.affected: set[int] = set()
        self.new_ids: set[int] = set()  # papers this import creates
        # they are written without a key and given one at the end (see _assign_keys), in the
        # order of their first source: (first source, id, title_norm, key base) once merged
        self.unkeyed: list[tuple[str, int, str, str]] = []
        self.key_hints: dict[int, str] = {}  # paper -> the key its BibTeX entry already uses
        # into an empty catalog, every record there is one this import wrote: what they say is
        # kept in memory, so matching never waits for the write thread to read the catalog
        self.empty = _nothing_imported(conn)
        self.said = _Known.carried()  # what this import's records said, when `empty`
        # and its mentions, as dataset_groups.state reads them (id, file, line, name, url,
        # text, paper), and the organs of the papers they name, once merged
        self.mentions: list[tuple] = []
        self.organs: dict[int, set[str]] = {}
        # nor are the records read before the end: their indexes are built then, in one go
        # (as records stream in, keeping them up to date was most of the write thread's work)
        self.deferred = catalog.indexes("records", "mentions", "facets") if self.empty else {}
        for name in self.deferred:
            conn.execute(f"DROP INDEX {name}")
        self.blocks = TitleBlocks(conn, empty=self.empty)
        # papers new in this import -> their records, so the merge need not read them back
        self.created: dict[int, list[tuple]] = {}  # as prepare.ready gave them
        self.early: set[int] = set()  # new papers written as their one record made them (_write_early)
        self.tick: Callable[[str, float], None] = lambda what, part: None
        self.kept = 0
        self.pending = _Pending()
        if self.empty:  # counted on from here; otherwise again at each file (see file())
            self.pending.start(conn)
        # merged papers waiting to be written: UPDATE rows, papers whose facets are replaced, facets
        self.merged: list[tuple] = []
        self.stale_facets: list[int] = []
        self.facet_rows: list[tuple] = []
        self.blocks.before_read = self.written  # a cycle: `release` breaks it
        # nor does the keys' state change before they are given (the papers this import writes
        # meanwhile are keyed from what it knows): it is read now, so that giving keys does
        # not wait for the indexes built at the end
        self.keys_before = answered(_keys_state(conn)) if self.empty else None

    def release(self) -> None:
        """Let go of what the import held, now rather than at the next full garbage collection
        (which took most of a second after an import of 100k papers)."""
        self.blocks.before_read = lambda: None

    # ------------------------------------------------------------------ one file

    def start(self, path: Path, name: str, preparer: Preparer) -> tuple[FileReport, str, Iterator | None]:
        """Read a file and hand it to the preparer; no parts when it is unchanged or unreadable."""
        report = FileReport(name)
        try:
            data = load(path, name)
        except ReadError as exc:
            report.error = str(exc)
            return report, "", None
        except OSError as exc:
            report.error = f"{name}: cannot read ({exc.strerror or exc})"
            return report, "", None
        digest = hashlib.sha256(data + build_fingerprint().encode()).hexdigest()
        if self.digests.get(name) == digest:
            report.unchanged = True
            return report, digest, None
        return report, digest, preparer.submit(data, name, path.suffix)

    def file(self, report: FileReport, digest: str, parts: Iterator) -> None:
        """Replace a file's previous records by the ones prepared now, each joined to its paper."""
        name = report.file
        head: Header = next(parts)
        if head.error:
            report.error = head.error
            for _ in parts:  # nothing follows an error; this ends the worker's file
                pass
            return
        report.skips, report.notices, report.encoding = head.skips, head.notices, head.encoding
        report.read = total = head.read
        report.datasets = len(head.datasets)
        old = []
        if not self.empty:
            conn = self.db.now()
            old = conn.execute(
                "SELECT id, paper_id, title_norm, doi, arxiv, section FROM records WHERE file = ?", (name,)
            ).fetchall()
            conn.execute("DELETE FROM records WHERE file = ?", (name,))
            conn.execute("DELETE FROM mentions WHERE file = ?", (name,))
            if old:
                self.blocks.forget()
            self.pending.start(conn)
        own = _OwnRecords(old)
        previous = {r[1] for r in old}
        self.affected |= previous
        claimed: set[int] = set()
        made: list[int] = []  # new papers of the chunk kept in `created`
        pending = self.pending
        carried = self.said if self.empty else _Known.carried()
        n = 0
        chunk = next(parts, None)
        answers = self._ask_catalog(chunk or [])
        while chunk is not None:
            known = _Known(answers.result(), carried)
            following = next(parts, None)
            if following is not None:
                # asked before this chunk is written, so it never sees it: `carried` does
                answers = self._ask_catalog(following)
            for item in chunk:
                if n % TICK == 0:
                    self.tick(f"{n}/{total}", n / total)
                n += 1
                row, mentions = item[0], item[1]
                paper_id, how = self._match(row, own, known, item[4])
                if paper_id is None:
                    paper_id = pending.paper()
                    self.new_ids.add(paper_id)
                    if self.kept < KEPT_RECORDS:
                        self.created[paper_id] = []
                        made.append(paper_id)
                    report.new += 1
                elif how == "own" and paper_id not in claimed:
                    report.updated += 1
                else:
                    report.merged += 1
                claimed.add(paper_id)
                self.affected.add(paper_id)
                if paper_id in self.created:
                    self.created[paper_id].append(item)
                    self.kept += 1
                record_id = pending.record((paper_id, *row))
                year, norm = row[4], row[3]
                if year and row[5] is not None:  # a head: the title is long enough to compare
                    self.blocks.add(year, record_id, paper_id, norm, item[4])
                known.add(row, paper_id)
                for mention in mentions:
                    pending.mention((*mention, record_id))
                    if self.empty:
                        self._remember_mention(mention, paper_id)
            self.flush()
            self._write_early(made)
            made = []
            chunk = following
        for mention in head.datasets:
            pending.mention((*mention, None))
            if self.empty:
                self._remember_mention(mention, None)
        self.flush()
        report.removed = len(previous - claimed)
        self.db.later(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            [(name, digest, report.read, datetime.now(UTC).isoformat(timespec="seconds"))],
        )

    def _write_early(self, made: list[int]) -> None:
        """New papers of a chunk, as their one record made them: their rows, without a key, and
        their facets.

        Written while the next chunks are matched: at the end of the import the write thread
        has the most to do, and it wrote these rows in 1.6 s of the last 3 at 100k papers. A
        paper that a later record joins is rewritten when merged; keys are given to all
        papers at the end, in order (see _assign_keys).
        """
        papers, facets = [], []
        for paper_id in made:
            items = self.created[paper_id]
            if len(items) == 1:
                _first, row, facet_rows, _base = items[0][3]
                papers.append((*row, paper_id))
                facets += [(paper_id, *facet) for facet in facet_rows]
                self.early.add(paper_id)
        self.db.insert(INSERT_PAPER, papers)
        self.db.insert("INSERT OR FAIL INTO facets VALUES (?,?,?,?,?)", facets)

    def _remember_mention(self, mention: tuple, paper_id: int | None) -> None:
        """A mention row (prepare.mention_row) as dataset_groups.state will want it, with the
        id SQLite gives it (one past the last: the catalog had none)."""
        file, line, _section, name, url, text = mention
        self.mentions.append((len(self.mentions) + 1, file, line, name, url, text, paper_id))
        if paper_id is not None:
            self.organs[paper_id] = set()  # known once the paper is merged

    def _remember_organs(self, paper_id: int, facet_rows: list[tuple]) -> None:
        """A merged paper's undisputed organs, if a remembered mention names it."""
        if paper_id in self.organs:
            self.organs[paper_id] = {
                v for facet, v, _curated, disputed in facet_rows if facet == "organ" and not disputed
            }

    def _remembered_state(self) -> tuple[list[tuple], dict[int, set[str]]]:
        """What dataset_groups.state would read from a catalog that was empty before this
        import: the mentions in its order (file, line with none first, id), papers' organs."""
        mentions = sorted(self.mentions, key=lambda m: (m[1], m[2] is not None, m[2] or 0, m[0]))
        return mentions, self.organs

    def _ask_catalog(self, chunk: list[tuple]) -> Future:
        """The catalog's answers for a chunk (see _Known); none from an empty one, whose
        records are all this import's, which `said` holds."""
        if self.empty:
            return answered(_Known.carried())
        return self.db.ask(_Known.fetcher(chunk))

    def flush(self) -> None:
        """Queue the pending records and mentions to be written."""
        records, mentions = self.pending.taken()
        self.db.insert(
            "INSERT OR FAIL INTO records (id, paper_id, file, line, section, title_norm, year, head, tail, "
            "doi, arxiv, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            records,
        )
        self.db.insert(
            "INSERT OR FAIL INTO mentions (file, line, section, name, url, text, record_id) "
            "VALUES (?,?,?,?,?,?,?)",
            mentions,
        )

    def written(self) -> sqlite3.Connection:
        """The connection once everything matched so far is in the catalog."""
        self.flush()
        return self.db.now()

    def _match(self, row: tuple, own: _OwnRecords, known: _Known, sig: int | None) -> tuple[int | None, str]:
        _file, _line, section, norm, year, head, _tail, doi, arxiv, _data = row
        pid = own.same_title(norm)
        if pid is not None:
            return pid, "own"
        for column, value in (("doi", doi), ("arxiv", arxiv)):
            if value:
                pid = known.paper(column, value)
                if pid is not None:
                    return pid, "id"
        pid = known.paper("title_norm", norm)
        if pid is not None:
            return pid, "title"
        pid = own.edited_title(norm, section)
        if pid is not None:
            return pid, "own"
        if year and head is not None:
            pid = self.blocks.nearly_same(year, norm, sig)
            if pid is not None:
                return pid, "fuzzy"
        return None, "new"

    # ------------------------------------------------------------------ after all files

    def finish(self) -> None:
        self.written()
        for statement in self.deferred.values():  # built while the merge below runs
            self.db.ask(lambda conn, statement=statement: conn.execute(statement))
        # what matching needed is freed now, while the write thread needs no GIL
        self.blocks.forget()
        self.said = _Known.carried()
        # the keys given so far, read before any paper is merged (or removed)
        keys_state = self.keys_before or self.db.ask(_keys_state)
        affected = sorted(self.affected)
        created, hints, unkeyed = self.created, self.key_hints, self.unkeyed
        for n, paper_id in enumerate(affected):
            if n % TICK == 0:
                self.tick(f"merging {n}/{len(affected)} papers", n / len(affected))
            # a paper new in this import has only the records read now, still in memory
            items = created.get(paper_id)
            if items is not None and len(items) == 1:  # most papers: written as prepared
                _row, _mentions, hint, (first, row, facet_rows, base), _sig = items[0]
                unkeyed.append((first, paper_id, row[1], base))
                self._remember_organs(paper_id, facet_rows)
                if hint:
                    hints[paper_id] = hint
            else:
                if items is not None:
                    records = [Record.from_json(json.loads(item[0][-1])) for item in items]
                else:
                    rows = self.db.now().execute("SELECT data FROM records WHERE paper_id = ?", (paper_id,))
                    records = [Record.from_json(json.loads(r[0])) for r in rows]
                if not records:
                    self._delete_paper(paper_id)
                    continue
                paper = merge(self.vocab, records)
                row, facet_rows = paper_values(paper)
                hint = next((r.key_hint for r in records if r.key_hint), None)
                self._write_paper(paper_id, row, facet_rows, hint)
                if paper_id in self.new_ids:
                    base = keys.base_key(paper.authors, paper.year, paper.title)
                    unkeyed.append((first_source(records), paper_id, row[1], base))
            if len(self.merged) >= MERGED_BATCH or len(self.facet_rows) >= MERGED_BATCH * 5:
                self._write_merged()
        self._write_merged()
        # the datasets' state: what the import remembers, after one into an empty catalog
        # (read, it waited for the indexes); else read once the facets above are written and
        # before the keys are given (a read waits for the GIL once a row, see writes.py)
        state = self._remembered_state() if self.empty else self.db.ask(dataset_groups.state).result()
        self._assign_keys(*keys_state.result())
        # worked out while the keys are written
        datasets, links = dataset_groups.rows(*state, self.vocab)
        for sql in dataset_groups.DELETE:
            self.db.ask(lambda conn, sql=sql: conn.execute(sql))
        self.db.insert(dataset_groups.INSERT_DATASET, datasets)
        self.db.insert(dataset_groups.INSERT_LINK, links)
        # freed while the last rows are written, not after (0.2 s at 100k papers)
        self.created.clear()
        self.db.now()

    def _write_paper(self, paper_id: int, row: tuple, facet_rows: list[tuple], hint: str | None) -> None:
        """Queue what a paper says now (see prepare.paper_values), replacing any facets it had."""
        self._remember_organs(paper_id, facet_rows)
        self.merged.append((*row, paper_id))
        if paper_id not in self.new_ids or paper_id in self.early:
            self.stale_facets.append(paper_id)
        self.facet_rows.extend((paper_id, *facet) for facet in facet_rows)
        if hint:
            self.key_hints[paper_id] = hint

    def _write_merged(self) -> None:
        # an UPDATE a row would wait for the GIL once a row (see writes.py): the upsert writes
        # a new paper and rewrites the others, in statements of many rows
        self.db.insert(UPSERT_PAPER, self.merged)
        if self.stale_facets:
            self.db.ask(lambda conn, ids=self.stale_facets: _delete_facets(conn, ids))
        self.db.insert("INSERT OR FAIL INTO facets VALUES (?,?,?,?,?)", self.facet_rows)
        self.merged, self.stale_facets, self.facet_rows = [], [], []

    def _delete_paper(self, paper_id: int) -> None:
        self.db.later("DELETE FROM facets WHERE paper_id = ?", [(paper_id,)])
        self.db.later("DELETE FROM paper_datasets WHERE paper_id = ?", [(paper_id,)])
        self.db.later("UPDATE keys SET paper_id = NULL WHERE paper_id = ?", [(paper_id,)])
        self.db.later("DELETE FROM papers WHERE id = ?", [(paper_id,)])

    def _assign_keys(self, keyless: list[tuple], used: set[str], retired: dict[str, list[str]]) -> None:
        """Keys for the papers without one, oldest source first: the new ones, and any that the
        catalog held before this import wrote a paper (`keyless`). A retired key returns to
        its paper; every other key is new, and stays taken."""
        waiting = self.unkeyed + [
            (first, paper_id, norm, keys.base_key(json.loads(authors), year, title))
            for first, paper_id, title, norm, year, authors in keyless
            if paper_id not in self.new_ids
        ]
        waiting.sort()  # by first source, then id
        searched: dict[str, int] = {}  # base -> position of the last key given from it
        keyed: list[tuple[int, str, bool]] = []  # (paper, key, whether the key is new)
        for _first, paper_id, norm, base in waiting:
            if retired.get(norm):
                keyed.append((paper_id, retired[norm].pop(0), False))
                continue
            hint = self.key_hints.get(paper_id)
            if hint and _usable_key(hint) and hint not in used:
                key = hint
            else:
                key, searched[base] = keys.next_free(base, used.__contains__, searched.get(base, -1))
            used.add(key)
            keyed.append((paper_id, key, True))
        self.db.ask(lambda conn: _give_keys(conn, keyed))


PAPER_ROW = (  # the columns of prepare.paper_row
    "title, title_norm, year, venue, venue_abbr, venue_kind, volume, number, pages, publisher, url, "
    "doi, arxiv, abstract, note, authors, links, title_search, title_hashes"
)
INSERT_PAPER = f"INSERT OR FAIL INTO papers ({PAPER_ROW}, id) VALUES ({','.join('?' * 20)})"
UPSERT_PAPER = f"{INSERT_PAPER} ON CONFLICT (id) DO UPDATE SET " + ", ".join(
    f"{column} = excluded.{column}" for column in PAPER_ROW.split(", ")
)


def _give_keys(conn: sqlite3.Connection, keyed: list[tuple[int, str, bool]]) -> None:
    """Set papers' keys and record the new ones, in a few statements through a temporary
    table: an UPDATE a row waited for the GIL once a row (see writes.py)."""
    conn.execute("CREATE TEMP TABLE medlit_keys (id INTEGER PRIMARY KEY, key TEXT NOT NULL, new INTEGER)")
    try:
        insert_many(conn, "INSERT OR FAIL INTO temp.medlit_keys VALUES (?, ?, ?)", keyed)
        conn.execute(
            "UPDATE papers SET key = (SELECT key FROM temp.medlit_keys k WHERE k.id = papers.id) "
            "WHERE id IN (SELECT id FROM temp.medlit_keys)"
        )
        conn.execute(
            "INSERT OR FAIL INTO keys (key, title_norm, paper_id) SELECT k.key, p.title_norm, p.id "
            "FROM temp.medlit_keys k JOIN papers p ON p.id = k.id WHERE k.new"
        )
        conn.execute(
            "UPDATE keys SET paper_id = (SELECT id FROM temp.medlit_keys k WHERE k.key = keys.key) "
            "WHERE key IN (SELECT key FROM temp.medlit_keys WHERE NOT new)"
        )
    finally:
        conn.execute("DROP TABLE temp.medlit_keys")


def _delete_facets(conn: sqlite3.Connection, paper_ids: list[int]) -> None:
    for part in catalog.chunks(paper_ids, 900):
        conn.execute(f"DELETE FROM facets WHERE paper_id IN ({','.join('?' * len(part))})", part)


class _Pending:
    """Rows of the file being imported, written in batches (a statement per row was most of
    the import's SQLite time). Ids are given here as SQLite would give them: one past the
    largest, counted after the file's old records were deleted."""

    def __init__(self):
        self.records: list[tuple] = []
        self.mentions: list[tuple] = []
        self.next_paper = self.next_record = 0

    def start(self, conn: sqlite3.Connection) -> None:
        """Count ids on from the catalog's (everything pending must be written by now)."""
        in_catalog = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM papers").fetchone()[0]
        self.next_paper = max(self.next_paper, in_catalog)
        self.next_record = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM records").fetchone()[0]

    def paper(self) -> int:
        """A new paper's id; the paper itself is written once merged (see _assign_keys)."""
        paper_id, self.next_paper = self.next_paper, self.next_paper + 1
        return paper_id

    def record(self, values: tuple) -> int:
        record_id, self.next_record = self.next_record, self.next_record + 1
        self.records.append((record_id, *values))
        return record_id

    def mention(self, row: tuple) -> None:
        """A mention row as prepare.mention_row gives it, with its record's id (or None)."""
        self.mentions.append(row)

    def taken(self) -> tuple[list[tuple], list[tuple]]:
        """The records and mentions to write, handed over (and forgotten here)."""
        taken = self.records, self.mentions
        self.records, self.mentions = [], []
        return taken


class _Known:
    """Which paper a DOI, arXiv id or normalised title already belongs to: the catalog's
    earliest record with it, else this file's first.

    The catalog is asked for a chunk of prepared records at once, before the chunk ahead of
    it is written; what this file has said so far is `carried` from chunk to chunk, so the
    answer never depends on how far the writes have got.
    """

    COLUMNS = (("doi", 7), ("arxiv", 8), ("title_norm", 3))  # positions in a prepared record's row

    @classmethod
    def carried(cls) -> dict[str, dict[str, int]]:
        return {column: {} for column, _ in cls.COLUMNS}

    @classmethod
    def fetcher(cls, chunk: list[tuple]) -> Callable[[sqlite3.Connection], dict[str, dict[str, int]]]:
        """Work for the writes queue: the catalog's answers for every value of `chunk`."""
        wanted = []
        for column, at in cls.COLUMNS:
            values = {item[0][at] for item in chunk}
            values.discard(None)
            if column != "title_norm":
                values.discard("")  # an empty title matches, as SQL did; an empty DOI does not
            wanted.append((column, sorted(values)))

        def fetch(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
            answers: dict[str, dict[str, int]] = {}
            for column, values in wanted:
                found = answers[column] = {}
                for part in catalog.chunks(values, 900):
                    marks = ",".join("?" * len(part))
                    for value, paper_id in conn.execute(
                        f"SELECT {column}, paper_id FROM records WHERE {column} IN ({marks}) ORDER BY id",
                        part,
                    ):
                        found.setdefault(value, paper_id)
            return answers

        return fetch

    def __init__(self, answers: dict[str, dict[str, int]], carried: dict[str, dict[str, int]]):
        self.answers = answers
        self.said = carried

    def paper(self, column: str, value: str) -> int | None:
        found = self.answers[column].get(value)
        return found if found is not None else self.said[column].get(value)

    def add(self, row: tuple, paper_id: int) -> None:
        said = self.said
        if row[7]:
            said["doi"].setdefault(row[7], paper_id)
        if row[8]:
            said["arxiv"].setdefault(row[8], paper_id)
        said["title_norm"].setdefault(row[3], paper_id)  # even an empty one, as SQL matched it


class _OwnRecords:
    """A re-imported file's previous records, so that an unchanged or edited row keeps its paper."""

    def __init__(self, old: list):
        self.by_title: dict[str, int] = {}
        self.by_section: dict[str | None, tuple[list[str], list[int]]] = {}
        for _id, pid, norm, _doi, _arxiv, section in old:  # in insertion order: the first one wins
            self.by_title.setdefault(norm, pid)
            titles, pids = self.by_section.setdefault(section, ([], []))
            titles.append(norm)
            pids.append(pid)

    def same_title(self, norm: str) -> int | None:
        return self.by_title.get(norm)

    def edited_title(self, norm: str, section: str | None) -> int | None:
        """The first previous record of the same section whose title is close to `norm`.

        Scored in one rapidfuzz call: a Python loop over an edited 4000-row file was quadratic.
        """
        titles, pids = self.by_section.get(section, ((), ()))
        if not titles:
            return None
        from rapidfuzz.fuzz import ratio
        from rapidfuzz.process import extract_iter

        for _title, _score, index in extract_iter(norm, titles, scorer=ratio, score_cutoff=FUZZY_EDITED):
            return pids[index]  # the first in file order
        return None


def _keys_state(conn: sqlite3.Connection) -> tuple[list[tuple], set[str], dict[str, list[str]]]:
    """Papers without a key (oldest source first), every key ever given (they stay taken),
    and retired keys (their paper gone) by the title they wait for."""
    keyless = conn.execute(
        "SELECT MIN(r.file || char(0) || printf('%09d', r.line)) AS first, p.id, p.title, "
        "p.title_norm, p.year, p.authors FROM papers p JOIN records r ON r.paper_id = p.id "
        "WHERE p.key IS NULL GROUP BY p.id"
    ).fetchall()
    used = {r[0] for r in conn.execute("SELECT key FROM keys")}
    retired: dict[str, list[str]] = {}
    for norm, key in conn.execute("SELECT title_norm, key FROM keys WHERE paper_id IS NULL ORDER BY key"):
        retired.setdefault(norm, []).append(key)
    return keyless, used, retired


def _nothing_imported(conn: sqlite3.Connection) -> bool:
    """No records, papers or mentions: every record the import meets is one it writes."""
    tables = ("records", "papers", "mentions")
    return not any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in tables)


def _usable_key(key: str) -> bool:
    return bool(key) and all(ch.isalnum() or ch in "_-:." for ch in key) and key.isascii()
