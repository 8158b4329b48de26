"""medlit as a library: one `Catalog` object that every command calls, and scripts too.

    from medlit import Catalog

    with Catalog.open("catalog.db") as cat:
        cat.import_paths(["seeds/"])
        for paper in cat.search("unet segmentaton", organ="lung").papers:
            print(paper.key, paper.title)
        cat.export("bibtex", "refs.bib", keys=["ronneberger2015unet"])

Filters are keyword arguments: `modality`, `organ`, `technique`, `task`, `venue`, `dataset`
and `author` (and `tag`, the user's own tags) take a value or a list of values (OR within a
filter, AND across filters),
`year` takes `2016`, `"2015-2017"`, `"2016-"` or `"-2016"`, and `curated=True` ignores facets
inferred from titles. Errors are `medlit.errors` exceptions: `BadFilter` for a value that
cannot be used, `UserError` and `CatalogError` for the rest; no click, no printing.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from medlit.errors import BadValue, CatalogError, UserError
from medlit.listing import FILTERS

if TYPE_CHECKING:
    from medlit.importing.prepare import FileReport
    from medlit.listing import Listed
    from medlit.model import Paper
    from medlit.search.query import Filters

SORTS = ("score", "year", "venue", "title")


@dataclass
class SearchResult:
    """Papers in the order asked for; `scores` (key -> 0-100) when a query ranked them."""

    papers: list[Paper | Listed]
    scores: dict[str, float] | None = None
    total: int | None = None  # papers found before `limit` cut them (None: not counted)


@dataclass
class ImportResult:
    reports: list[FileReport]
    problems: list[str]  # paths that named nothing to read
    papers: int = 0  # in the catalog afterwards
    datasets: int = 0

    @property
    def failed(self) -> int:
        return len(self.problems) + sum(1 for r in self.reports if r.error)


@dataclass
class ExportResult:
    count: int = 0
    anonymous: int = 0  # entries without any author
    first_anonymous: str | None = None
    missing: list[str] = field(default_factory=list)  # wanted keys the catalog does not have
    everything: bool = False  # the .aux cited `*` (\nocite{*}): every paper was exported


class MissingKeys(UserError):
    """export(strict=True) was asked for keys the catalog does not have; nothing was written."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"{len(missing)} wanted keys are not in the catalog: {', '.join(missing[:5])}")


@dataclass
class RenderResult:
    text: str  # the document with every block regenerated
    blocks: int
    stale: list[int]  # lines of the begin markers whose blocks changed
    original: str = ""  # the document as it was
    notes: list[tuple[int, str]] = field(default_factory=list)  # (marker line, a warning)

    def diff(self, name: str = "README.md") -> str:
        """What rendering changes, as a unified diff ("" when nothing does)."""
        import difflib

        before, after = self.original.splitlines(keepends=True), self.text.splitlines(keepends=True)
        return "".join(difflib.unified_diff(before, after, name, name))


class Catalog:
    """A catalog file. Cheap to make: the file is opened on first use, and read methods each
    see one consistent state (their own read transaction)."""

    def __init__(self, path: str | os.PathLike | None = None):
        from medlit.catalog.locate import locate

        self.located = locate(path)  # which file, and why (medlit where)
        self.path = self.located.path
        self._conn: sqlite3.Connection | None = None
        self._reading = 0

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> Catalog:
        """The catalog at `path`; without one, $MEDLIT_DB, the nearest catalog.db in this
        folder or above, the `db` of the user's config file, else ./catalog.db."""
        return cls(path)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def exists(self) -> bool:
        return self.path.is_file()

    # ------------------------------------------------------------------ reading

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one read transaction (nested uses share it). An import that
        commits meanwhile is not seen halfway."""
        conn = self._connection()
        if self._reading == 0:
            conn.execute("BEGIN")
            conn.execute("SELECT COUNT(*) FROM meta").fetchone()  # takes the read lock now
        self._reading += 1
        try:
            yield conn
        finally:
            self._reading -= 1
            if self._reading == 0 and conn.in_transaction:
                conn.execute("COMMIT")

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            from medlit import catalog

            self._conn = catalog.open_current(self.path)
        return self._conn

    def filters(self, **filters: Any) -> Filters:
        """Filter values -> canonical `search.query.Filters` (BadFilter when one is unknown)."""
        from medlit.search import query
        from medlit.vocab import load

        unknown = set(filters) - {*FILTERS, "year", "curated"}
        if unknown:
            raise TypeError(f"unknown filter {sorted(unknown)[0]!r}; filters are {', '.join(FILTERS)}, year")
        raw = {name: tuple(_clean(v, f"--{name}") for v in _values(filters.get(name))) for name in FILTERS}
        for name, values in raw.items():
            for value in values:
                if name != "author" and not any(ch.isalnum() for ch in value):
                    # named values compare without punctuation: `!` would equal a venue written `~~`
                    from medlit.errors import UnknownValue

                    raise UnknownValue(name, value, [])
        year = filters.get("year")
        with self.reading() as conn:
            return query.resolve(
                conn, load(), raw, None if year is None else str(year), bool(filters.get("curated"))
            )

    def search(
        self,
        query: str | None = None,
        *,
        sort: str | None = None,
        limit: int | None = None,
        listing: bool = False,
        with_sources: bool = False,
        **filters: Any,
    ) -> SearchResult:
        """Papers passing the filters; a `query` ranks them by fuzzy title (and authors,
        abstracts) despite typos. `sort` is score, year (newest first), venue or title;
        `listing=True` loads only key, title, year and venue (much faster for long lists)."""
        from medlit import catalog
        from medlit.search import query as q

        if sort is not None and sort not in SORTS:
            raise BadValue(f"sort {sort!r} is not one of {', '.join(SORTS)}", "--sort")
        text = "" if query is None else _clean(query, "QUERY")  # "" is a query of nothing: an error
        with self.reading() as conn:
            chosen = self.filters(**filters)
            scores: dict[int, float] | None = None
            papers = None
            cut = False
            if text:
                from medlit.search import fuzzy  # only a query needs it: filters alone start faster

                ranked = fuzzy.rank(conn, text, q.select_ids(conn, chosen) if not chosen.is_empty() else None)
                scores = dict(ranked)
                ids = [pid for pid, _ in ranked]
            elif listing:
                # newest first is the default order: then only the first `limit` are read
                by_year = not sort or sort == "year"
                papers = q.select_listing(conn, chosen, limit if by_year else None, ordered=not by_year)
                ids = [p.id for p in papers]
                cut = by_year and limit is not None  # read up to `limit`: how many more is unknown
            else:
                ids = q.select_ids(conn, chosen)
            order = sort or ("score" if text else "year")
            total = None if cut else len(ids)
            if limit and order == ("score" if text else "year"):
                ids = ids[:limit]  # already in this order: load only what is shown
                papers = papers[:limit] if papers is not None else None
            if papers is None:
                papers = (
                    catalog.load_listing(conn, ids)
                    if listing
                    else catalog.load_papers(conn, ids, with_sources=with_sources)
                )
        by_key = {p.key: scores[pid] for pid, p in zip(ids, papers, strict=True)} if scores else None
        return SearchResult(sort_papers(papers, order)[:limit], by_key, total)

    def paper(self, key: str) -> Paper:
        """The paper with citation key `key`; UserError (with close keys) when there is none."""
        from medlit import catalog

        with self.reading() as conn:
            paper_id = catalog.paper_id_by_key(conn, key)
            if paper_id is None:
                import difflib

                known = [r[0] for r in conn.execute("SELECT key FROM papers")]
                close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
                hint = (
                    f"; did you mean {', '.join(close)}?"
                    if close
                    else " (list keys with: medlit search -f keys)"
                )
                raise UserError(f"no paper with key {key!r} in {self.path}{hint}")
            paper = catalog.load_papers(conn, [paper_id])[0]
            paper.key = key  # an alias (another .bib key of the work) is shown as cited
            return paper

    def papers(self, keys: Iterable[str] | None = None, **filters: Any) -> Iterator[Paper]:
        """Every paper passing the filters (or with these keys, in their order), by key,
        loaded a batch at a time: any number of papers in a few MiB."""
        from medlit import catalog

        with self.reading() as conn:
            chosen = self.filters(**filters)
            if keys is None:
                yield from catalog.iter_papers(conn, _ids_in_order(conn, chosen, "json"))
            else:
                yield from catalog.iter_cited(
                    conn, _cited(conn, chosen, list(dict.fromkeys(keys)), "json")[0]
                )

    def export(
        self,
        fmt: str,
        out: str | os.PathLike | TextIO,
        *,
        keys: Iterable[str] | None = None,
        aux: str | os.PathLike | None = None,
        strict: bool = False,
        lang: str = "en",
        **filters: Any,
    ) -> ExportResult:
        """Write papers as `fmt` (a registered writer: bibtex, csl-json, ris, json, csv,
        markdown, ...) to a stream, or to a file path replaced atomically. `keys` and `aux`
        (a LaTeX .aux file) pick papers by citation key. With `strict`, a missing key raises
        MissingKeys: before a file is touched, or after the papers found went to a stream."""
        from medlit import catalog

        spec = _writer(fmt)
        result = ExportResult()
        if aux is not None:
            from medlit.aux import cites_everything

            if cites_everything(aux):  # \nocite{*}: everything, as BibTeX would take it
                result.everything, aux = True, None
                keys = None
        wanted = _wanted_keys(keys, aux)
        with self.reading() as conn:
            chosen = self.filters(**filters)
            if wanted is not None:
                cited, result.missing = _cited(conn, chosen, wanted, fmt)
                if result.missing and strict and isinstance(out, str | os.PathLike):
                    raise MissingKeys(result.missing)
                papers = catalog.iter_cited(conn, cited, with_sources=fmt == "json")
            else:
                papers = catalog.iter_papers(
                    conn, _ids_in_order(conn, chosen, fmt), with_sources=fmt == "json"
                )
            papers = _tally(papers, result)
            write = spec.writer()
            if isinstance(out, str | os.PathLike):
                from medlit.files import replace_atomically

                with replace_atomically(out) as stream:
                    write(papers, stream, scores=None, fmt=spec.name, lang=lang)
            else:
                write(papers, out, scores=None, fmt=spec.name, lang=lang)
        if result.missing and strict:
            raise MissingKeys(result.missing)
        return result

    def stats(
        self,
        by: Iterable[str] = ("modality", "organ", "task", "venue"),
        top: int | None = None,
        **filters: Any,
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """(papers passing the filters, {dimension: {value: papers}}), largest first; `top`
        keeps the N largest values, and `(none)` (papers without a value) whatever its size."""
        from medlit.search import query
        from medlit.search.stats import counts

        with self.reading() as conn:
            chosen = self.filters(**filters)
            ids = query.select_ids(conn, chosen)
            result = {d: counts(conn, ids, d, chosen.curated) for d in by}
        if top:
            from medlit.search.stats import NONE

            result = {
                d: {
                    v: n
                    for v, n in [*[kv for kv in c.items() if kv[0] != NONE][:top], (NONE, c.get(NONE))]
                    if n
                }
                for d, c in result.items()
            }
        return len(ids), result

    def cross(self, rows: str, columns: str, **filters: Any) -> dict[str, dict[str, int]]:
        """rows value -> columns value -> papers having both, for the papers passing the filters."""
        from medlit.search import query
        from medlit.search.stats import cross

        with self.reading() as conn:
            chosen = self.filters(**filters)
            return cross(conn, query.select_ids(conn, chosen), rows, columns, chosen.curated)

    def datasets(self, organ: Iterable[str] | str = (), name: Iterable[str] | str = ()) -> list[dict]:
        """Datasets (name, url, organs, names, papers, sources), by name; `organ` values go
        through the vocabulary (narrower organs count), `name` matches any of its names."""
        import json

        from medlit.errors import UnknownValue
        from medlit.vocab import load

        vocab = load()
        wanted: set[str] = set()
        for value in _values(organ):
            canon = vocab.canonical("organ", value)
            if canon is None:
                raise UnknownValue("organ", value, vocab.suggest("organ", value))
            wanted |= vocab.narrower("organ", canon)
        names = [n.casefold() for n in _values(name)]
        with self.reading() as conn:
            users: dict[int, list[str]] = {}
            for dataset_id, key in conn.execute(
                "SELECT pd.dataset_id, p.key FROM paper_datasets pd JOIN papers p ON p.id = pd.paper_id "
                "ORDER BY p.key"
            ):
                users.setdefault(dataset_id, []).append(key)
            rows = []
            for dataset_id, title, url, organs, aliases, sources in conn.execute(
                "SELECT id, name, url, organs, names, sources FROM datasets ORDER BY name COLLATE NOCASE"
            ):
                organs = json.loads(organs)
                if wanted and not wanted & set(organs):
                    continue
                all_names = json.loads(aliases)
                if names and not any(n in x.casefold() for n in names for x in all_names):
                    continue
                rows.append(
                    {
                        "name": title,
                        "url": url,
                        "organs": organs,
                        "names": all_names,
                        "papers": users.get(dataset_id, []),
                        "sources": json.loads(sources),
                    }
                )
        return rows

    def usage(self, facet: str) -> dict[str, int]:
        """value -> papers using it, for a facet or `venue` (disputed values not counted)."""
        with self.reading() as conn:
            if facet == "venue":
                sql = "SELECT venue, COUNT(*) FROM papers WHERE venue IS NOT NULL GROUP BY venue"
                return dict(conn.execute(sql).fetchall())
            sql = "SELECT value, COUNT(*) FROM facets WHERE facet = ? AND disputed = 0 GROUP BY value"
            return dict(conn.execute(sql, (facet,)).fetchall())

    def count(self) -> tuple[int, int]:
        """(papers, datasets) in the catalog."""
        with self.reading() as conn:
            papers = conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
            datasets = conn.execute("SELECT COUNT(*) FROM datasets").fetchone()[0]
        return papers, datasets

    def render(self, text: str, name: str = "README.md") -> RenderResult:
        """`text` with every block between medlit markers regenerated, in the shape the list
        (the file `name`) already uses (MarkerError when the markers are broken, UserError
        when there are none). See medlit.render for the marker attributes."""
        from medlit import render
        from medlit.errors import MarkerError
        from medlit.render_blocks import BlockWriter
        from medlit.search import query as q

        count = len(render.blocks(text, name))
        if not count:
            raise MarkerError(f"{name}: no <!-- medlit:begin --> markers; add one where a block belongs")
        with self.reading() as conn:
            writer = BlockWriter(conn, self.path.parent, text, name)

            def content(block: render.Block) -> str:
                ids = None
                if render.has_filters(block.attrs) or "section" not in block.attrs:
                    ids = q.select_ids(conn, self.filters(**render.filter_values(block.attrs)))
                return writer.content(block, ids)

            new, stale = render.regenerate(text, content, name)
        return RenderResult(new, count, stale, text, writer.notes)

    # ------------------------------------------------------------------ writing

    def serve(
        self,
        host: str = "127.0.0.1",
        port: int = 8001,
        open_browser: bool = False,
        announce: Callable[[str], None] | None = None,
    ) -> None:
        """Serve the catalog read-only in Datasette until interrupted (medlit.web); raises
        MissingExtra without `pip install 'medlit[web]'`. `announce(url)` hears where."""
        from medlit import web

        web.require()
        self._connection()  # an older catalog is upgraded first: the view and index exist
        self.close()  # and no lock is held while serving
        web.serve(self.path.resolve(), host, port, open_browser, announce)

    def merges(self) -> list[dict]:
        """Every paper made of several records: its records (file, line, title, year, ids)
        and the evidence each was merged on (see importing/decisions.py)."""
        from medlit.importing import decisions

        with self.reading() as conn:
            return decisions.merges(conn)

    def split(self, key: str) -> list[str]:
        """Undo the merge of paper `key`: each entry its own paper, in every later import
        too. Returns the keys of the papers it made, `key`'s own first."""
        from medlit.importing import decisions

        return self._deciding(lambda conn: decisions.split(conn, key))

    def join(self, key: str, other: str) -> str:
        """Make papers `key` and `other` one, in every later import too; `other` stays a key
        of it. Returns the paper's key."""
        from medlit.importing import decisions

        return self._deciding(lambda conn: decisions.join(conn, key, other))

    def _deciding(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """`work(conn)` in a write transaction of its own: all of it lands, or none."""
        from medlit import catalog
        from medlit.catalog import browse

        self.close()
        with catalog.writing(self.path, shared=True) as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            result = work(conn)
            browse.refresh_search_index(conn)
        return result

    def import_paths(
        self, paths: Iterable[str | os.PathLike], progress: Callable[[str, float, int], None] | None = None
    ) -> ImportResult:
        """Read documents and folders (recursively) into the catalog, in one transaction:
        if it fails, the catalog is as it was. Creates the catalog when there is none.
        `progress(what, done, total)` hears how far it is: files read, then one for merging."""
        from medlit import catalog
        from medlit.importing.engine import run_import
        from medlit.readers import discover

        files, problems = discover([os.fspath(p) for p in paths])
        if not files:
            return ImportResult([], problems)  # nothing to read: the catalog is not even created
        self.close()  # the import writes through a connection of its own
        conn = catalog.connect(self.path, create=True, shared=True)
        try:
            catalog.check_integrity(conn, self.path)
            told = progress and (lambda what, done: progress(what, done, len(files) + 1))
            reports = run_import(conn, files, self.path.parent, progress=told)
        finally:
            conn.close()
        papers, datasets = self.count()
        return ImportResult(reports, problems, papers, datasets)

    # ------------------------------------------------------------------ the user's decisions

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """The catalog in one write transaction (committed at the end, rolled back on error)."""
        from medlit import catalog

        self.close()
        with catalog.writing(self.path) as conn:
            yield conn

    def tag(self, key: str, tags: Iterable[str], remove: bool = False) -> list[str]:
        """Add (or remove) the user's tags; the paper's tags after."""
        from medlit import decisions

        with self.writing() as conn:
            return decisions.tag(conn, key, list(tags), remove=remove)

    def note(self, key: str, text: str | None) -> None:
        """Set (None: clear) the user's note, exported as BibTeX `note`."""
        from medlit import decisions

        with self.writing() as conn:
            decisions.note(conn, key, text)

    def remove(self, key: str, undo: bool = False) -> bool:
        """Hide a paper from search and export (undo=True shows it again); False if no change."""
        from medlit import decisions

        with self.writing() as conn:
            return decisions.remove(conn, key, undo=undo)

    def edit(
        self,
        key: str,
        set: dict[str, Any] | None = None,
        add: dict[str, Iterable[str]] | None = None,
        remove: dict[str, Iterable[str]] | None = None,
    ) -> None:
        """Set fields (title, authors, year, venue, kind, volume, ...) and add or remove facet
        values; kept apart from the documents and applied again after every import."""
        from medlit import decisions, paper_fields

        values = {name: paper_fields.parse(name, value) for name, value in (set or {}).items()}
        with self.writing() as conn:
            decisions.edit(
                conn,
                key,
                values,
                {f: list(v) for f, v in (add or {}).items()},
                {f: list(v) for f, v in (remove or {}).items()},
            )

    def decided(self, key: str) -> dict:
        """What besides the documents shapes the paper: removed, fields edited (when), fields
        from metadata services and disagreements (medlit.enrich.provenance rows)."""
        from medlit import decisions
        from medlit.enrich.provenance import of_paper

        with self.reading() as conn:
            return {
                "removed": decisions.is_hidden(conn, key),
                "edited": decisions.edited_fields(conn, key),
                "provenance": of_paper(conn, key),
            }

    # ------------------------------------------------------------------ metadata services

    def enrich(
        self,
        *,
        offline: bool = False,
        dry_run: bool = False,
        progress: Callable | None = None,
        **filters: Any,
    ):
        """Fill missing metadata of the papers passing the filters from Crossref, arXiv and
        OpenAlex (see medlit.enrich); returns its Report."""
        from medlit import catalog, enrich
        from medlit.search import query

        with self.writing():
            pass  # the schema brought up to date before anything is read
        with self.reading() as conn:
            ids = query.select_ids(conn, self.filters(**filters))
            papers = catalog.load_papers(conn, ids, with_sources=False)
        conn = self._connection()  # autocommit: enrich commits each batch itself
        return enrich.run(conn, papers, offline=offline, dry_run=dry_run, progress=progress)

    def add(
        self,
        spec: str | None = None,
        *,
        title: str | None = None,
        authors: Iterable[str] = (),
        year: int | None = None,
        venue: str | None = None,
        tags: Iterable[str] = (),
        facets: dict[str, Iterable[str]] | None = None,
        offline: bool = False,
    ):
        """Add a paper by DOI, arXiv id or link (metadata fetched) or by hand; returns
        medlit.enrich.add.Added (its key, and whether the catalog had it already)."""
        from medlit.enrich.add import add_paper

        with self.writing():
            pass
        given = {"title": title, "authors": list(authors), "year": year, "venue": venue}
        facets = {f: list(v) for f, v in (facets or {}).items() if v}
        return add_paper(self._connection(), spec, given, list(tags), facets, offline)


def lint(paths: Iterable[str | os.PathLike], ignore: Iterable[str] = ()) -> list:
    """`medlit.lint.Finding`s for the lists at `paths` (rules in medlit.lint.RULES), sorted by
    file and line; codes in `ignore`, and those each list's config switches off, left out.
    Needs no catalog: the lists are checked against each other and the vocabulary."""
    from medlit.lint import lint_paths

    return lint_paths([Path(p) for p in paths], {c.upper() for c in ignore})


# ---------------------------------------------------------------------- helpers


_NO_YEAR = 1 << 62  # after every year


def sort_papers(papers: list, order: str) -> list:
    """Papers (or listings) in `order`: score keeps the rank; year is newest first."""
    if order == "score":
        return papers  # already in rank order
    if order == "year":
        # newest first, then titles; titles equal but for case keep query.NEWEST_FIRST's
        # order (COLLATE NOCASE folds ASCII letters only, as bytes.lower does; then ids, and
        # a listing comes in id order). Two stable sorts on a str and an int are several
        # times faster than one on tuples: a search may list 150k papers.
        papers = sorted(papers, key=lambda p: f"{p.title.casefold()}\0{p.title.encode().lower().decode()}")
        papers.sort(key=lambda p: _NO_YEAR if p.year is None else -p.year)
        return papers
    if order == "venue":
        return sorted(papers, key=lambda p: ((p.venue or "~").casefold(), -(p.year or 0)))
    return sorted(papers, key=lambda p: p.title.casefold())


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(value: str, option: str) -> str:
    """A value with control characters as spaces (a NUL would cut an SQL pattern short and
    match everything); nothing left is a usage error rather than no filter at all."""
    clean = " ".join(_CONTROLS.sub(" ", value).split())
    if not clean:
        raise BadValue(f"{value!r} is empty: nothing to look for", option)
    return clean


def _values(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _writer(fmt: str):
    from medlit.registry import registry

    spec = registry().writer(fmt.lower())
    if spec is None or not spec.export:
        names = sorted(n for n, s in registry().all().writers.items() if s.export)
        raise BadValue(f"no export format {fmt!r}; use one of {', '.join(names)}", "FORMAT")
    return spec


def _wanted_keys(keys: Iterable[str] | None, aux: str | os.PathLike | None) -> list[str] | None:
    if keys is None and aux is None:
        return None
    wanted = [k.strip() for k in (keys or ()) if k.strip()]
    if aux:
        from medlit.aux import cited_keys

        wanted += cited_keys(aux)
    return list(dict.fromkeys(wanted))


def _cited(
    conn: sqlite3.Connection, filters: Filters, wanted: list[str], fmt: str
) -> tuple[list[tuple[str, int]], list[str]]:
    """(key cited, paper) for each wanted key the catalog has (a paper's key or an alias:
    another .bib key of the same work) that passes the filters, in the order wanted; and
    the keys it does not have."""
    from medlit import catalog

    cites = catalog.papers_by_key(conn, wanted)
    allowed = None if filters.is_empty() else set(_ids_in_order(conn, filters, fmt))
    cited = [(k, cites[k]) for k in wanted if k in cites and (allowed is None or cites[k] in allowed)]
    return cited, [k for k in wanted if k not in cites]


def _ids_in_order(conn: sqlite3.Connection, filters: Filters, fmt: str) -> list[int]:
    """The ids of the papers to write, in the order they are written: by key, or for
    markdown as selected (its writer sorts by year). Ordering ids, not papers, lets the
    papers be loaded a batch at a time."""
    from medlit.search import query

    def by_key():
        # the key index's order: SQLite's binary collation orders UTF-8 as Python orders str
        return (r[0] for r in conn.execute("SELECT id FROM papers ORDER BY key"))

    if filters.is_empty() and fmt != "markdown":
        return list(by_key())  # every paper: no id list to select and filter
    ids = query.select_ids(conn, filters)
    if fmt == "markdown":
        return ids
    chosen = set(ids)
    return [pid for pid in by_key() if pid in chosen]


def _tally(papers: Iterator[Paper], result: ExportResult) -> Iterator[Paper]:
    """Counts the papers (and those without authors) as they stream past the writer."""
    for paper in papers:
        result.count += 1
        if not paper.authors:
            result.anonymous += 1
            if result.first_anonymous is None:
                result.first_anonymous = paper.key
        yield paper


__all__ = ["Catalog", "CatalogError", "ExportResult", "ImportResult", "MissingKeys", "SearchResult", "lint"]
