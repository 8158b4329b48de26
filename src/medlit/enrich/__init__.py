"""Metadata the lists leave out (authors, full venue, volume, issue, pages, DOI, abstract,
publisher), from Crossref by DOI, arXiv by arXiv id (and then Crossref by the DOI arXiv
gives), and OpenAlex by title, applied only on a strict match.

Order of a run: arXiv ids in batches, then titles of papers with no identifier (not
Chinese-language ones: those are matched by DOI only), then every DOI in batches. Each
batch's raw answers are committed to the cache as they arrive and what they fill is
committed with them, so an interrupted run keeps its work and the next run asks nothing
twice. A field a document gave is never overwritten: a service that says otherwise is a
disagreement, kept and reported.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from medlit import paper_fields
from medlit.enrich import arxiv, cache, crossref, ids, matching, openalex
from medlit.enrich.http import Client, NotFound, SourceError
from medlit.enrich.metadata import Metadata
from medlit.enrich.provenance import Provenance

PRIORITY = {"crossref": 3, "arxiv": 2, "openalex": 1}  # which service's value a field shows
TITLE_SOURCE = "openalex-title"  # the cache's name for title searches (by normalised title)


@dataclass
class Report:
    papers: int = 0
    enriched: set[str] = field(default_factory=set)  # keys of papers given at least one field
    filled: dict[str, int] = field(default_factory=dict)  # field -> papers given it
    changes: list[tuple[str, str, object, str]] = field(default_factory=list)  # key, field, value, source
    disagreements: list[tuple[str, str, str, object, object]] = field(default_factory=list)
    candidates: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, source, title, why
    unknown: list[tuple[str, str, str, str]] = field(default_factory=list)  # key, source, id, why
    failures: dict[str, str] = field(default_factory=dict)  # source -> one line
    uncached: int = 0  # lookups --offline could not answer
    requests: dict[str, int] = field(default_factory=dict)


Progress = Callable[[str, int, int], None]


class _Run:
    def __init__(self, conn: sqlite3.Connection, papers: list, client: Client | None, offline: bool,
                 dry_run: bool, progress: Progress | None):  # fmt: skip
        from medlit.vocab import load

        self.conn, self.client, self.offline, self.dry_run = conn, client, offline, dry_run
        self.progress = progress or (lambda what, done, total: None)
        self.vocab = load()
        self.report = Report(papers=len(papers))
        self.papers = papers
        self.ids = {p.key: ids.of_paper(p) for p in papers}
        self.shown_from: dict[str, dict[str, str]] = {}  # key -> field -> source whose value shows
        self.edited: dict[str, set[str]] = {}
        for key, fld, source in conn.execute("SELECT key, field, source FROM provenance WHERE applied = 1"):
            self.shown_from.setdefault(key, {})[fld] = source
        from medlit.decisions import edited_fields

        for p in papers:
            self.edited[p.key] = set(edited_fields(conn, p.key))
        self.done = 0
        self.total = 0
        self.superseded: list[tuple[str, str, str]] = []  # (key, field, source) no longer shown

    # ------------------------------------------------------------------ asking, through the cache

    def lookup(self, source: str, wanted: list[str], fetch, batch: int) -> Iterator[dict[str, tuple]]:
        """Batches of id -> (status, body, fetched_at): the cached first, then one request a
        batch (each committed to the cache as it arrives). A failing service is one line in
        the report and no further requests to it."""
        wanted = list(dict.fromkeys(w for w in wanted if w))
        if not wanted:
            return
        known = cache.read(self.conn, source, wanted)
        if known:
            yield known
        missing = [w for w in wanted if w not in known]
        if self.offline:
            self.report.uncached += len(missing)
            return
        for start in range(0, len(missing), batch):
            if source.split("-")[0] in self.report.failures:
                return
            part = missing[start : start + batch]
            self.progress(f"asking {source.split('-')[0]}", self.done, self.total)
            try:
                found = fetch(part)
            except SourceError as exc:
                self.report.failures[exc.source] = str(exc)
                return
            finally:
                self.done += len(part)
            answers = {}
            for key in part:
                body = found.get(key)
                if body is None:
                    answers[key] = (cache.MISSING, None)
                elif body == arxiv.ERROR:
                    answers[key] = (cache.REFUSED, None)
                else:
                    answers[key] = (cache.OK, body)
            # raw answers are kept even by --dry-run: a later run need not ask again
            self._commit(lambda answers=answers: cache.write(self.conn, source, answers))
            yield cache.read(self.conn, source, part)

    def _commit(self, work) -> object:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            result = work()
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return result

    # ------------------------------------------------------------------ the three phases

    def run(self) -> Report:
        by_arxiv: dict[str, list] = {}
        for p in self.papers:
            doi, arxiv_id = self.ids[p.key]
            if arxiv_id:
                by_arxiv.setdefault(arxiv_id, []).append(p)
        untitled = [
            p for p in self.papers if self.ids[p.key] == (None, None) and not ids.is_chinese(p) and p.title
        ]
        self.total = len(by_arxiv) + len(untitled) + len(self.papers)
        for answers in self.lookup(
            "arxiv", list(by_arxiv), lambda part: arxiv.fetch(self.client, part), arxiv.BATCH
        ):
            found = []
            for arxiv_id, (status, body, when) in answers.items():
                for p in by_arxiv.get(arxiv_id, []):
                    if status == cache.OK:
                        meta = arxiv.parse(body, arxiv_id)
                        found.append((p, meta, when))
                        if meta.doi and not self.ids[p.key][0]:
                            self.ids[p.key] = (meta.doi, arxiv_id)
                    else:
                        why = "malformed id" if status == cache.REFUSED else "not on arXiv"
                        self.report.unknown.append((p.key, "arxiv", arxiv_id, why))
            self._apply(found)
        self._titles(untitled)
        by_doi: dict[str, list] = {}
        for p in self.papers:
            doi = self.ids[p.key][0]
            if doi:
                by_doi.setdefault(doi, []).append(p)
        for answers in self.lookup(
            "crossref", list(by_doi), lambda part: crossref.fetch(self.client, part), crossref.BATCH
        ):
            found = []
            for doi, (status, body, when) in answers.items():
                for p in by_doi.get(doi, []):
                    if status != cache.OK:
                        self.report.unknown.append((p.key, "crossref", doi, "not in Crossref"))
                        continue
                    meta = crossref.parse(body)
                    if matching.names_the_paper(p, meta):
                        found.append((p, meta, when))
                    else:
                        self.report.candidates.append(
                            (p.key, "crossref", meta.title or "", f"DOI {doi} names another title")
                        )
            self._apply(found)
        if self.client is not None:
            self.report.requests = dict(self.client.requests)
        return self.report

    def _titles(self, papers: list) -> None:
        """Title search, one request a paper (no service batches searches); strict matches only."""
        from medlit.normalise import title_key

        by_title: dict[str, list] = {}
        for p in papers:
            by_title.setdefault(title_key(p.title), []).append(p)

        def search(part: list[str]) -> dict[str, str]:
            title = by_title[part[0]][0].title
            try:
                return {part[0]: openalex.search(self.client, title)}
            except NotFound:
                return {}

        for answers in self.lookup(TITLE_SOURCE, list(by_title), search, 1):
            found = []
            for norm, (status, body, when) in answers.items():
                if status != cache.OK:
                    continue
                try:
                    works = openalex.candidates(body)
                except SourceError:
                    continue
                for p in by_title.get(norm, []):
                    best = self._best(p, works)
                    if best is not None:
                        found.append((p, best, when))
                        if best.doi and not self.ids[p.key][0]:
                            self.ids[p.key] = (best.doi, None)
            self._apply(found)

    def _best(self, paper, works: list[Metadata]) -> Metadata | None:
        for work in works:
            ok, why = matching.judge(paper, work)
            if ok:
                return work
        scored = [(matching.title_similarity(paper.title, w.title), w) for w in works]
        if scored:
            score, work = max(scored, key=lambda x: x[0])
            if score >= matching.CANDIDATE:  # worth a look, never applied
                _, why = matching.judge(paper, work)
                self.report.candidates.append((paper.key, "openalex", work.title or "", why))
        return None

    # ------------------------------------------------------------------ filling fields

    def _apply(self, found: list[tuple]) -> None:
        if not found:
            return
        rows: list[Provenance] = []
        writes: list[tuple[int, str, object]] = []
        for paper, meta, when in found:
            self._one(paper, meta, when, rows, writes)
        if self.dry_run:
            return
        pids = dict(self.conn.execute("SELECT key, id FROM papers WHERE key IS NOT NULL"))

        def work():
            from medlit.enrich.provenance import store

            for key, fld, value in writes:
                if key in pids:
                    paper_fields.write(self.conn, pids[key], fld, value, self.vocab)
            self.conn.executemany(
                "DELETE FROM provenance WHERE key = ? AND field = ? AND source = ?", self.superseded
            )
            store(self.conn, rows)

        self._commit(work)
        self.superseded = []

    def _one(self, paper, meta: Metadata, when: str, rows: list, writes: list) -> None:
        key, report = paper.key, self.report
        for fld, value in meta.values().items():
            if fld in self.edited.get(key, ()):
                continue
            ours = getattr(paper, fld)
            shown = self.shown_from.get(key, {}).get(fld)
            empty = paper_fields.fillable(fld, ours, paper.venue_kind, value)
            if empty or (shown and PRIORITY[meta.source] > PRIORITY.get(shown, 0)):
                if shown and not empty and _same(fld, ours, value, self.vocab):
                    continue
                if shown:  # a better service's value replaces a lesser one's
                    self.superseded.append((key, fld, shown))
                rows.append(Provenance(key, fld, meta.source, value, when, True))
                writes.append((key, fld, value))
                setattr(paper, fld, paper_fields.stored_form(fld, value, self.vocab))
                if fld == "venue":
                    paper.venue_kind = paper_fields.columns(fld, value, self.vocab).get("venue_kind")
                self.shown_from.setdefault(key, {})[fld] = meta.source
                report.changes.append((key, fld, value, meta.source))
                if not shown:
                    report.filled[fld] = report.filled.get(fld, 0) + 1
                report.enriched.add(key)
            elif not shown and _compared(fld, meta.source) and not _same(fld, ours, value, self.vocab):
                rows.append(Provenance(key, fld, meta.source, value, when, False))
                report.disagreements.append((key, fld, meta.source, value, ours))


def _compared(fld: str, source: str) -> bool:
    """Whether a difference in this field is worth reporting: abstracts are worded apart, and
    arXiv's year is the posting's, not the publication's."""
    return fld not in ("abstract", "arxiv") and not (fld == "year" and source == "arxiv")


def _same(fld: str, ours, theirs, vocab) -> bool:
    """Whether a service's value says what the documents say (as loosely as each field allows)."""
    from medlit.vocab import loose

    if fld == "authors":
        return paper_fields.same_authors(ours, theirs)
    if fld == "venue":
        canon = loose(str(paper_fields.stored_form("venue", theirs, vocab)))
        # `Medical Image Computing ... – MICCAI 2015` is the documents' MICCAI, year and all
        return bool(loose(str(ours))) and (
            loose(str(ours)) in canon or loose(str(ours)) in loose(str(theirs))
        )
    if fld == "pages":
        return loose(str(ours).replace("--", "-")) == loose(str(theirs).replace("--", "-"))
    if fld in ("doi", "publisher", "volume", "number"):
        return loose(str(ours)) == loose(str(theirs))
    return ours == theirs


def run(conn: sqlite3.Connection, papers: list, client: Client | None = None, offline: bool = False,
        dry_run: bool = False, progress: Progress | None = None) -> Report:  # fmt: skip
    """Enrich `papers` (loaded Paper objects); `conn` in autocommit mode, no transaction open."""
    if client is None and not offline:
        client = Client()
    try:
        return _Run(conn, papers, client, offline, dry_run, progress).run()
    finally:
        if client is not None:
            client.close()
